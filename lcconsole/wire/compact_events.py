"""The store's compact form of a plain message, and the thread read that builds it.

A loaded thread of 10k events held as pydantic `Message` models costs ~1.1 KB a message beyond
its values (the instance, its `__dict__`, its fields-set and its extras dict); a `MessageRecord`
~120 B (docs/benchmarks.md, rss_10k).

The store keeps every plain message of a loaded thread as a record (`compact`): a message with
fields this client does not know, and every other kind of event, stays the model. A record reads
like the model (the same attribute names, `type == "message"`), compares equal to the model it
was made from, and gives a model back (`model`) where one is needed (a summary's last event).
"""

from __future__ import annotations

from sys import intern
from typing import TYPE_CHECKING, Any

from lcconsole.wire.events import Message, Postback
from lcconsole.wire.model_base import Properties

if TYPE_CHECKING:
    from lcconsole.wire.objects import GetChatThreadsResponse

FIELDS = ("id", "custom_id", "order", "author_id", "timestamp", "recipients", "properties", "text", "postback")


class MessageRecord:
    """A `Message` without extra fields, as a loaded thread holds it. `properties` is written in
    place by property pushes, as on the model."""

    __slots__ = FIELDS
    type = "message"

    id: str | None
    custom_id: str | None
    order: int | None
    author_id: str | None
    timestamp: int | None
    recipients: str | None
    properties: Properties | None
    text: str
    postback: Postback | None

    def __init__(self, message: Message) -> None:
        self.id = message.id
        self.custom_id = message.custom_id
        self.order = message.order
        self.author_id = _shared(message.author_id)  # the same few authors and recipients
        self.timestamp = message.timestamp
        self.recipients = _shared(message.recipients)
        self.properties = message.properties
        self.text = message.text
        self.postback = message.postback

    def model(self) -> Message:
        """The `Message` this record stands for (fields left at None are left out)."""
        return Message.model_validate({name: value for name in FIELDS if (value := getattr(self, name)) is not None})

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in FIELDS)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, MessageRecord):
            return self is other or self._values() == other._values()
        if isinstance(other, Message):
            return self.model() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, as the model

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in FIELDS if getattr(self, name) is not None)
        return f"MessageRecord({fields})"


MESSAGES = (Message, MessageRecord)
"""The classes of a message as readers of the store meet it (for `isinstance`)."""


def compact(event: Any) -> Any:
    """The form the store holds `event` in: a `MessageRecord` for a plain message, else itself."""
    if type(event) is Message and not event.model_extra:
        return MessageRecord(event)
    return event


def as_model(event: Any) -> Any:
    """The event as a model (a record's `model`; anything else as it is)."""
    return event.model() if type(event) is MessageRecord else event


def _shared(value: str | None) -> str | None:
    return intern(value) if type(value) is str else value


def chat_threads_answer(raw: Any) -> GetChatThreadsResponse:
    """`GetChatThreadsResponse.model_validate(raw)`, for the console's thread reads: the answer
    is validated without its threads' events, then each event on its own, held compact, its
    parsed JSON dropped as it goes, so a long thread never exists as models all at once (the
    peak of a 10k-event read, docs/benchmarks.md rss_10k). Takes `raw` apart."""
    from lcconsole.wire.objects import GetChatThreadsResponse

    chat = raw.get("chat") if isinstance(raw, dict) else None
    threads = chat.get("threads") if isinstance(chat, dict) else None
    held: list[list[Any] | None] = []
    for thread in threads if isinstance(threads, list) else ():
        events = thread.get("events") if isinstance(thread, dict) else None
        held.append(thread.pop("events") if isinstance(events, list) else None)
    answer = GetChatThreadsResponse.model_validate(raw)
    for thread_model, events in zip(answer.chat.threads or (), held, strict=False):
        if events is not None:
            thread_model.events = compact_events(events)
    return answer


def compact_events(events: list[Any]) -> list[Any]:
    """Event dicts validated one at a time and held compact; empties `events` as it goes."""
    from lcconsole.wire.objects import parse_event

    out = []
    while events:
        out.append(compact(parse_event(events.pop())))
    out.reverse()
    return out
