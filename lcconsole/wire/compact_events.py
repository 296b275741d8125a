"""The store's compact form of the common events, and the thread read that builds it.

A loaded thread of 10k events held as pydantic models costs ~1.1 KB an event beyond its values
(the instance, its `__dict__`, its fields-set and its extras dict); a record ~120 B
(docs/benchmarks.md, rss_10k).

The store keeps every message, system message and file of a loaded thread as a record
(`compact`): one with fields this client does not know, and every other kind of event, stays the
model. A record reads like its model (the same attribute names and `type`), compares equal to
the model it was made from, and gives a model back (`model`) where one is needed (a summary's
last event). Readers that tell kinds apart use `MESSAGES`, `SYSTEM_MESSAGES` and `FILES`.
"""

from __future__ import annotations

import json
import re
from sys import intern
from typing import TYPE_CHECKING, Any, ClassVar

from lcconsole.wire.events import EventBase, File, Message, Postback, SystemMessage
from lcconsole.wire.model_base import Properties

if TYPE_CHECKING:
    from pydantic import ValidationError

    from lcconsole.wire.objects import GetChatThreadsResponse

_BASE = ("id", "custom_id", "order", "author_id", "timestamp", "recipients", "properties")
_SHARED = frozenset({"author_id", "recipients"})  # the same few values in every event: interned
CHUNK = 200
"""Events validated per step of a thread read: few models exist at once, and validating through
the answer's own validator builds no second copy of the event schemas."""


class EventRecord:
    """An event model without extra fields, as a loaded thread holds it. `properties` is written
    in place by property pushes, as on the model."""

    __slots__ = _BASE
    MODEL: ClassVar[type[EventBase]]
    FIELDS: ClassVar[tuple[str, ...]]
    type: ClassVar[str]

    id: str | None
    custom_id: str | None
    order: int | None
    author_id: str | None
    timestamp: int | None
    recipients: str | None
    properties: Properties | None

    def __init__(self, event: EventBase) -> None:
        for name in self.FIELDS:
            value = getattr(event, name)
            setattr(self, name, intern(value) if name in _SHARED and type(value) is str else value)

    def model(self) -> Any:
        """The model this record stands for (fields left at None are left out)."""
        return self.MODEL.model_validate(
            {name: value for name in self.FIELDS if (value := getattr(self, name)) is not None}
        )

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.FIELDS)

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return self is other or self._values() == other._values()
        if isinstance(other, self.MODEL):
            return bool(self.model() == other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, as the model

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.FIELDS if getattr(self, n) is not None)
        return f"{type(self).__name__}({shown})"


class MessageRecord(EventRecord):
    """A `Message` without a postback (one with a postback, rare, stays the model: eight slots,
    not nine, keep a record at 96 bytes instead of 112)."""

    __slots__ = ("text",)
    MODEL = Message
    FIELDS = (*_BASE, *__slots__)
    type = "message"
    postback: ClassVar[Postback | None] = None

    text: str


class SystemMessageRecord(EventRecord):
    """A `SystemMessage`."""

    __slots__ = ("text", "system_message_type", "text_vars")
    MODEL = SystemMessage
    FIELDS = (*_BASE, *__slots__)
    type = "system_message"

    text: str
    system_message_type: str | None
    text_vars: dict[str, Any] | None


class FileRecord(EventRecord):
    """A `File`."""

    __slots__ = ("name", "url", "content_type", "size", "width", "height", "thumbnail_url", "thumbnail2x_url")
    MODEL = File
    FIELDS = (*_BASE, *__slots__)
    type = "file"

    name: str | None
    url: str | None
    content_type: str | None
    size: int | None
    width: int | None
    height: int | None
    thumbnail_url: str | None
    thumbnail2x_url: str | None


_RECORDS: dict[type, type[EventRecord]] = {r.MODEL: r for r in (MessageRecord, SystemMessageRecord, FileRecord)}

MESSAGES = (Message, MessageRecord)
"""The classes of a message as readers of the store meet it (for `isinstance`)."""
SYSTEM_MESSAGES = (SystemMessage, SystemMessageRecord)
FILES = (File, FileRecord)


def compact(event: Any) -> Any:
    """The form the store holds `event` in: a record for a message (without a postback), system
    message or file without unknown fields, else the event itself."""
    record = _RECORDS.get(type(event))
    if record is None or event.model_extra or (record is MessageRecord and event.postback is not None):
        return event
    return record(event)


def as_model(event: Any) -> Any:
    """The event as a model (a record's `model`; anything else as it is)."""
    return event.model() if isinstance(event, EventRecord) else event


def chat_threads_answer(raw: Any) -> GetChatThreadsResponse:
    """`GetChatThreadsResponse.model_validate(raw)`, for the console's thread reads: the answer
    is validated without its threads' events, then the events `CHUNK` at a time, held compact,
    their parsed JSON dropped as it goes, so a long thread never exists as models all at once
    (the peak of a 10k-event read). Takes `raw` apart.

    `raw` may also be the answer's body (bytes or text, as the client's `call(...,
    undecoded=True)` returns it): its JSON is then parsed as it is validated, so the events never
    all exist as dicts either (their tree is ~1 KB an event beside ~0.45 KB of records). Bad JSON
    raises ValueError, as `json.loads` does."""
    from lcconsole.wire.objects import GetChatThreadsResponse

    if isinstance(raw, (bytes, bytearray, str)):
        return _read_body(raw)
    chat = raw.get("chat") if isinstance(raw, dict) else None
    threads = chat.get("threads") if isinstance(chat, dict) else None
    held: list[list[Any] | None] = []
    for thread in threads if isinstance(threads, list) else ():
        events = thread.get("events") if isinstance(thread, dict) else None
        held.append(thread.pop("events") if isinstance(events, list) else None)
    answer = GetChatThreadsResponse.model_validate(raw)
    for at, (thread_model, events) in enumerate(zip(answer.chat.threads or (), held, strict=False)):
        if events is not None:
            thread_model.events = compact_events(events, thread_at=at)
    return answer


def compact_events(events: list[Any], thread_at: int = 0, offset: int = 0) -> list[Any]:
    """Event dicts validated (by the answer's validator) and held compact; empties `events`. A
    validation error names the event's place in the answer (`chat.threads.<thread_at>.events.<n>`,
    `n` counted from `offset`, the place of `events[0]`)."""
    from pydantic import ValidationError

    from lcconsole.wire.objects import GetChatThreadsResponse

    parts: list[list[Any]] = []  # from the end, so that each chunk is dropped from `events` at once
    while events:
        start = max(len(events) - CHUNK, 0)
        chunk = events[start:]
        del events[start:]
        try:
            step = GetChatThreadsResponse.model_validate({"chat": {"threads": [{"events": chunk}]}})
        except ValidationError as exc:
            raise _placed(exc, thread_at, offset + start) from None
        parts.append([compact(e) for thread in step.chat.threads or () for e in thread.events])
    return [e for part in reversed(parts) for e in part]


def _placed(exc: ValidationError, thread_at: int, start: int) -> ValidationError:
    """`exc` of a slice of events with its locations moved to the events' place in the answer
    (`exc` itself when pydantic cannot rebuild it)."""
    from pydantic import ValidationError
    from pydantic_core import InitErrorDetails

    errors = []
    for error in exc.errors():
        loc = list(error["loc"])
        if loc[:4] == ["chat", "threads", 0, "events"] and len(loc) > 4 and isinstance(loc[4], int):
            loc[2], loc[4] = thread_at, loc[4] + start
        detail = InitErrorDetails(type=error["type"], loc=tuple(loc), input=error["input"])
        if "ctx" in error:
            detail["ctx"] = error["ctx"]
        errors.append(detail)
    try:
        return ValidationError.from_exception_data(exc.title, errors)
    except (KeyError, TypeError, ValueError):
        return exc


# --- reading the body as it is validated ---------------------------------------------------------

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODE = json.JSONDecoder().raw_decode


def _skip(text: str, at: int) -> int:
    """`at` moved past blanks."""
    match = _SPACE.match(text, at)
    return match.end() if match else at


class _Unexpected(Exception):
    """The body is not shaped as the streaming read expects: read it whole instead."""


def _read_body(body: bytes | bytearray | str) -> GetChatThreadsResponse:
    """`chat_threads_answer` of a body: the objects down to each thread are parsed here, every
    other value by `json`'s own decoder, and a thread's events `CHUNK` at a time, each chunk
    compacted before the next is parsed. A body of another shape, another encoding than UTF-8
    without a BOM, or bad JSON is read whole by `json.loads` (which detects the encoding)."""
    from lcconsole.wire.objects import GetChatThreadsResponse

    try:
        text = body if isinstance(body, str) else body.decode()
        reader = _BodyReader(text)
        raw, end = reader.value(0, ())
        if _skip(text, end) != len(text):
            raise _Unexpected
    except (_Unexpected, ValueError, IndexError):
        return chat_threads_answer(json.loads(body))
    answer = GetChatThreadsResponse.model_validate(raw)
    threads = answer.chat.threads or []
    for at, events in reader.events.items():
        threads[at].events = events
    return answer


class _BodyReader:
    """The JSON parser of `_read_body`: the answer's objects down to its threads by hand, the
    rest by `json`; `events` holds each thread's compacted events by its place."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.events: dict[int, list[Any]] = {}

    def value(self, at: int, path: tuple[str | int, ...]) -> tuple[Any, int]:
        """The value starting at `at` (after blanks) and where it ends; `path`: its place."""
        text = self.text
        at = _skip(text, at)
        first = text[at : at + 1]
        threads = path[:2] == ("chat", "threads")
        if first == "{" and (path in ((), ("chat",)) or (threads and len(path) == 3)):
            return self._object(at, path)
        if first == "[" and threads and len(path) == 2:
            return self._array(at, path)
        if first == "[" and threads and len(path) == 4 and path[3] == "events":
            return self._events(at, path)
        return _DECODE(text, at)

    def _object(self, at: int, path: tuple[str | int, ...]) -> tuple[Any, int]:
        text, out = self.text, dict[str, Any]()
        at = _skip(text, at + 1)
        if text[at] == "}":
            return out, at + 1
        while True:
            key, at = _DECODE(text, _skip(text, at))
            at = _skip(text, at)
            if not isinstance(key, str) or text[at] != ":":
                raise _Unexpected
            value, at = self.value(at + 1, (*path, key))
            if key == "events" and value is _STREAMED:
                out.pop(key, None)
            else:
                out[key] = value
            at = self._next(at, "}")
            if at < 0:
                return out, -at

    def _array(self, at: int, path: tuple[str | int, ...]) -> tuple[Any, int]:
        text, out = self.text, list[Any]()
        at = _skip(text, at + 1)
        if text[at] == "]":
            return out, at + 1
        while True:
            value, at = self.value(at, (*path, len(out)))
            out.append(value)
            at = self._next(at, "]")
            if at < 0:
                return out, -at

    def _events(self, at: int, path: tuple[str | int, ...]) -> tuple[Any, int]:
        text, thread_at = self.text, int(path[2])
        held: list[Any] = []
        chunk: list[Any] = []
        at = _skip(text, at + 1)
        done = text[at] == "]"
        at += done
        while not done:
            event, at = _DECODE(text, _skip(text, at))
            chunk.append(event)
            at = self._next(at, "]")
            done = at < 0
            at = abs(at)
            if len(chunk) == CHUNK or done:
                held += compact_events(chunk, thread_at, offset=len(held))
        self.events[thread_at] = held
        return _STREAMED, at

    def _next(self, at: int, close: str) -> int:
        """After a member: the start of the next one, or minus the end of the container."""
        at = _skip(self.text, at)
        found = self.text[at : at + 1]
        if found == ",":
            return at + 1
        if found == close:
            return -(at + 1)
        raise _Unexpected


_STREAMED = object()  # a thread's events, held in `_BodyReader.events`
