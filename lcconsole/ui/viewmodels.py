"""View models for the transcript: pure functions from `wire.objects` models to small objects
(the chat list's rows are `ui.chat_items`).

Texts are kept raw here; the widgets sanitize them when they draw (`lcconsole.ui.text`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Mapping
from operator import attrgetter
from typing import Any, Literal

from lcconsole.ui.chat_items import SUMMARY_AUTHOR, system_event_view, user_name
from lcconsole.ui.text import compact_json, fill_text_vars, human_size
from lcconsole.wire.compact_events import FILES, MESSAGES, SYSTEM_MESSAGES, MessageRecord
from lcconsole.wire.objects import (
    Annotation,
    Custom,
    DeletedEvent,
    EventBase,
    FilledForm,
    Message,
    RestrictedEvent,
    RichMessage,
    SystemEvent,
    Thread,
)

EntryKind = Literal[
    "customer",
    "agent",
    "note",
    "system",
    "file",
    "image",
    "rich",
    "form",
    "custom",
    "annotation",
    "pending",
    "failed",
    "thread_start",
    "summary",
    "deleted",
]
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


class TranscriptEntry:
    """One event (or a thread separator / pending send) of the thread view.

    Treat it as immutable (`changed` makes a changed copy): the transcript caches drawn lines per
    entry object. `text` is the main body (raw, may be multi-line); `lines` are extra detail
    lines (file URL, form answers, rich-message titles); `buttons` are `(postback_id, text,
    pressed_by_me)`; `raw` is the wire object shown (not compared).

    A plain message's entry (`of_message`, most of a long history) reads its order, timestamp,
    text and author id from the message instead of holding them: 88 instead of 128 bytes an
    entry (docs/benchmarks.md, rss_10k). The store replaces an event to change it, never edits it.
    """

    __slots__ = ("key", "thread_id", "kind", "author", "raw", "mine", "_own")

    key: str
    thread_id: str
    kind: EntryKind
    author: str
    raw: Any
    mine: bool
    _own: tuple[int, float, str, tuple[str, ...], tuple[tuple[str, str, bool], ...], str] | None

    def __init__(
        self,
        key: str,
        thread_id: str,
        order: int,
        kind: EntryKind,
        author: str = "",
        timestamp: float = 0.0,
        text: str = "",
        lines: tuple[str, ...] = (),
        buttons: tuple[tuple[str, str, bool], ...] = (),
        raw: Any = None,
        author_id: str = "",
        mine: bool = False,
    ) -> None:
        self.key, self.thread_id, self.kind, self.author, self.raw, self.mine = key, thread_id, kind, author, raw, mine
        self._own = (order, timestamp, text, lines, buttons, author_id)

    @classmethod
    def of_message(
        cls, event: Any, key: str, thread_id: str, kind: EntryKind, author: str, mine: bool
    ) -> TranscriptEntry:
        """The entry of a plain message (`Message` or `MessageRecord`): order, timestamp, text
        and author id are the event's."""
        entry = cls.__new__(cls)
        entry.key, entry.thread_id, entry.kind, entry.author, entry.raw, entry.mine = (
            key,
            thread_id,
            kind,
            author,
            event,
            mine,
        )
        entry._own = None
        return entry

    @property
    def order(self) -> int:
        """Where the entry sorts in its thread (the event's `order`)."""
        own = self._own
        return own[0] if own is not None else self.raw.order or 0

    @property
    def timestamp(self) -> float:
        """Unix time shown beside the entry (0: none)."""
        own = self._own
        return own[1] if own is not None else self.raw.timestamp or 0

    @property
    def text(self) -> str:
        own = self._own
        return own[2] if own is not None else self.raw.text

    @property
    def lines(self) -> tuple[str, ...]:
        own = self._own
        return own[3] if own is not None else ()

    @property
    def buttons(self) -> tuple[tuple[str, str, bool], ...]:
        own = self._own
        return own[4] if own is not None else ()

    @property
    def author_id(self) -> str:
        own = self._own
        return own[5] if own is not None else self.raw.author_id or ""

    def changed(self, **values: Any) -> TranscriptEntry:
        """A copy with `values` (field name -> value) changed."""
        fields = dict(zip(_COMPARED, _compared(self), strict=True))
        return TranscriptEntry(**{**fields, "raw": self.raw, **values})

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(_compared(self) == _compared(other))

    __hash__ = None  # type: ignore[assignment]  # compared by value, as the values it shows

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in _COMPARED)
        return f"TranscriptEntry({shown})"


_COMPARED = (
    "key",
    "thread_id",
    "order",
    "kind",
    "author",
    "timestamp",
    "text",
    "lines",
    "buttons",
    "author_id",
    "mine",
)
_compared = attrgetter(*_COMPARED)
"""An entry's compared values, as a tuple."""


# --- transcript ---------------------------------------------------------------------------------


def _form_answer(field: Any) -> str:
    def one(value: Any) -> str:
        if isinstance(value, dict):
            return str(value.get("label") or value.get("id") or value.get("group_id") or "")
        return "" if value is None else str(value)

    if field.answers is not None:
        return ", ".join(one(a) for a in field.answers)
    return one(field.answer)


def event_entry(
    event: EventBase, thread_id: str, users: Mapping[str, Any], my_id: str, customer_ids: Collection[str] = ()
) -> TranscriptEntry:
    """The transcript entry for one event."""
    author_id = event.author_id or ""
    user = users.get(author_id)
    author = user_name(user) or author_id or "System"
    is_customer = getattr(user, "type", None) == "customer" or author_id in customer_ids
    text = ""
    lines: tuple[str, ...] = ()
    buttons: tuple[tuple[str, str, bool], ...] = ()
    if isinstance(event, MESSAGES):
        text = event.text
        if event.recipients == "agents":
            kind: EntryKind = "note"
        else:
            kind = "customer" if is_customer else "agent"
    elif isinstance(event, SYSTEM_MESSAGES):
        kind, author = "system", "System"
        text = fill_text_vars(event.text, event.text_vars)
    elif isinstance(event, FILES):
        is_image = bool(event.width or event.height) or (event.content_type or "") in IMAGE_TYPES
        kind = "image" if is_image else "file"
        parts = [event.name or "file"]
        if is_image and (event.width or event.height):
            parts.append(f"{event.width or '?'}×{event.height or '?'}")
        parts.append(human_size(event.size))
        if event.content_type:
            parts.append(event.content_type)
        text = " · ".join(parts)
        lines = (event.url or "",) if event.url else ()
    elif isinstance(event, RichMessage):
        kind = "rich"
        out: list[str] = []
        pressed: list[tuple[str, str, bool]] = []
        for element in event.elements:
            if element.title:
                out.append(element.title)
            if element.subtitle:
                out.append(element.subtitle)
            if element.image and element.image.url:
                out.append(f"image: {element.image.url}")
            for button in element.buttons:
                pressed.append((button.postback_id or "", button.text or "", my_id in button.user_ids))
        text = "\n".join(out)
        buttons = tuple(pressed)
    elif isinstance(event, FilledForm):
        kind = "form"
        text = "Form submitted"
        lines = tuple(f"{f.label or f.id or '?'}: {_form_answer(f)}" for f in event.fields)
    elif isinstance(event, Custom):
        kind = "custom"
        text = compact_json(event.content)
    elif isinstance(event, Annotation):
        kind = "annotation"
        text = f"[{event.annotation_type or 'annotation'}] {event.text or ''}".rstrip()
    elif isinstance(event, RestrictedEvent):
        kind, text = "system", "(restricted event)"
    elif isinstance(event, SystemEvent):
        kind, author, text, lines = system_event_view(event)
    elif isinstance(event, DeletedEvent):
        kind, text = "deleted", f"(deleted {event.type or 'event'})"
    else:
        kind = "custom"
        text = compact_json(event.model_dump(exclude_none=True))
    if kind != "deleted" and _deleted_extra(event):  # administrators see the content
        kind, lines = "deleted", (*lines, f"(deleted {event.type or 'event'}; agents see only that)")
    return TranscriptEntry(
        key=event.id or event.custom_id or f"{thread_id}:{event.order}",
        thread_id=thread_id,
        order=int(event.order or 0),
        kind=kind,
        author=author,
        timestamp=event.timestamp or 0,  # the event's own int: no float per entry
        text=text,
        lines=lines,
        buttons=buttons,
        raw=event,
        author_id=author_id,
        mine=bool(author_id) and author_id == my_id,
    )


def _deleted_extra(event: Any) -> bool:
    """A deleted event still carrying its content (`deleted: true`, as administrators get it)."""
    extra = getattr(event, "model_extra", None)
    return bool(extra) and extra.get("deleted") is True


def summary_entry(thread: Thread, order: int) -> TranscriptEntry:
    """The thread's AI summary (`thread.summary`), for a thread whose events do not hold it."""
    summary = thread.summary
    text = (summary.text if summary else None) or "(empty summary)"
    status = summary.status if summary else None
    return TranscriptEntry(
        key=f"summary:{thread.id}",
        thread_id=thread.id or "",
        order=order,
        kind="summary",
        author=SUMMARY_AUTHOR,
        text=text,
        lines=(f"status: {status}",) if status not in (None, "ok") else (),
        raw=summary,
    )


def thread_start_entry(thread: Thread) -> TranscriptEntry:
    """The separator shown before a thread's events."""
    first = min((e.order for e in thread.events if e.order is not None), default=None)
    order = (first - 1) if first is not None else int(thread.order or 0)
    state = "open" if thread.active else "closed"
    tags = f" · tags: {', '.join(thread.tags)}" if thread.tags else ""
    return TranscriptEntry(
        key=f"thread:{thread.id}",
        thread_id=thread.id or "",
        order=order,
        kind="thread_start",
        author="",
        timestamp=float(thread.timestamp or 0),
        text=f"thread {state}{tags}",
        raw=thread,
    )


def thread_head(thread: Thread) -> list[TranscriptEntry]:
    """The entries before a thread's events: its separator (and a notice when it is restricted)."""
    head = [thread_start_entry(thread)]
    if thread.restricted_access:
        head.append(
            TranscriptEntry(
                key=f"restricted:{thread.id}",
                thread_id=thread.id or "",
                order=head[0].order + 1,
                kind="system",
                author="System",
                text="(this thread is not accessible)",
            )
        )
    return head


def thread_tail(thread: Thread, body: list[TranscriptEntry]) -> list[TranscriptEntry]:
    """The entries after a thread's events (`body`): its AI summary unless an event shows it."""
    if thread.restricted_access or thread.summary is None or not thread.summary.text:
        return []
    if any(e.kind == "summary" and e.text == thread.summary.text for e in body):
        return []
    return [summary_entry(thread, max((e.order for e in body), default=thread_start_entry(thread).order) + 1)]


def transcript_entries(
    thread: Thread, users: Mapping[str, Any], my_id: str, cache: EntryCache | None = None
) -> list[TranscriptEntry]:
    """The thread separator followed by the thread's events in `order` (and its AI summary).

    With a `cache`, entries of events unchanged since its last build of the thread are reused."""
    head = thread_head(thread)
    if thread.restricted_access:
        return head
    body = (cache if cache is not None else EntryCache(0)).body(thread, users, my_id)
    return head + body + thread_tail(thread, body)


def sorted_events(thread: Thread) -> list[EventBase]:
    """The thread's events in `order` (events without one last, as they came)."""
    events = thread.events
    orders = [e.order for e in events]
    if None in orders or any(a > b for a, b in zip(orders, orders[1:], strict=False)):
        events = sorted(events, key=lambda e: (e.order is None, e.order or 0))
    return events


_AuthorInfo = tuple[str, bool]  # (shown name, is a customer)


class EntryCache:
    """The entries built for the events of recently built threads, so a thread built again
    reuses the entry of every event that is the same object as before (the store replaces an
    event to change it) while no author's name or kind changed. Rich messages, whose buttons
    change in place, are always rebuilt. Reused entries are the same objects: cheap to compare.

    Owned by whoever builds transcripts (the main screen's `TranscriptFeed`); holds at most
    `threads` threads per my id, the least recently built dropped first (0: remembers nothing).
    """

    def __init__(self, threads: int = 64) -> None:
        self.threads = threads
        self._built: OrderedDict[tuple[str, str], tuple[dict[str, TranscriptEntry], dict[str, _AuthorInfo]]]
        self._built = OrderedDict()

    def clear(self) -> None:
        """Forget every built entry."""
        self._built.clear()

    def __len__(self) -> int:
        return len(self._built)

    def keys(self) -> list[tuple[str, str]]:
        """(thread id, my id) of the threads remembered, least recently built first."""
        return list(self._built)

    def body(self, thread: Thread, users: Mapping[str, Any], my_id: str) -> list[TranscriptEntry]:
        """Entries of the thread's events, in order."""
        tid = thread.id or ""
        author_info = _Authors(users)
        old: dict[str, TranscriptEntry] = {}
        authors: dict[str, _AuthorInfo] = {}
        cached = self._built.pop((tid, my_id), None)
        if cached is not None and all(author_info(a) == info for a, info in cached[1].items()):
            old, authors = cached[0], cached[1]
        fresh: dict[str, TranscriptEntry] = {}
        entries: list[TranscriptEntry] = []
        append = entries.append
        for event in sorted_events(thread):
            eid = event.id
            entry = old.get(eid) if eid else None
            if entry is None or entry.raw is not event:
                entry = _build_entry(event, tid, users, my_id, authors, author_info)
            append(entry)
            if eid and type(event) is not RichMessage:
                fresh[eid] = entry
        self._keep(tid, my_id, fresh, authors)
        return entries

    def entry(self, thread_id: str, event: EventBase, users: Mapping[str, Any], my_id: str) -> TranscriptEntry:
        """The entry of one (new or changed) event of a thread this cache built: remembered, so
        the next `body` of the thread reuses it. Same result as `event_entry`."""
        author_info = _Authors(users)
        cached = self._built.get((thread_id, my_id))
        authors = cached[1] if cached is not None else {}
        entry = _build_entry(event, thread_id, users, my_id, authors, author_info)
        if cached is not None and event.id and type(event) is not RichMessage:
            cached[0][event.id] = entry
        return entry

    def authors_changed(self, thread_id: str, users: Mapping[str, Any], my_id: str) -> bool:
        """True when a name or kind of an author of the thread's remembered entries changed."""
        cached = self._built.get((thread_id, my_id))
        author_info = _Authors(users)
        return cached is not None and any(author_info(a) != info for a, info in cached[1].items())

    def _keep(self, tid: str, my_id: str, fresh: dict[str, TranscriptEntry], authors: dict[str, _AuthorInfo]) -> None:
        if tid and self.threads > 0:
            self._built[(tid, my_id)] = (fresh, authors)
            while len(self._built) > self.threads:
                self._built.popitem(last=False)


class _Authors:
    """(shown name, is a customer) of the authors of a chat's events."""

    def __init__(self, users: Mapping[str, Any]) -> None:
        self.users = users
        self.customer_ids = {uid for uid, u in users.items() if getattr(u, "type", None) == "customer"}

    def __call__(self, author_id: str) -> _AuthorInfo:
        user = self.users.get(author_id)
        return (
            user_name(user) or author_id or "System",
            getattr(user, "type", None) == "customer" or author_id in self.customer_ids,
        )


def _build_entry(
    event: EventBase,
    tid: str,
    users: Mapping[str, Any],
    my_id: str,
    authors: dict[str, _AuthorInfo],
    author_info: _Authors,
) -> TranscriptEntry:
    """`event_entry`, with a fast path for plain messages (most of a long history)."""
    if type(event) is MessageRecord or (type(event) is Message and not _deleted_extra(event)):
        author_id = event.author_id or ""
        info = authors.get(author_id)
        if info is None:
            info = authors[author_id] = author_info(author_id)
        kind: EntryKind = "note" if event.recipients == "agents" else ("customer" if info[1] else "agent")
        return TranscriptEntry.of_message(
            event,
            event.id or event.custom_id or f"{tid}:{event.order}",
            tid,
            kind,
            info[0],
            bool(author_id) and author_id == my_id,
        )
    author_id = event.author_id or ""
    if author_id not in authors:
        authors[author_id] = author_info(author_id)
    return event_entry(event, tid, users, my_id, author_info.customer_ids)


def pending_entry(
    custom_id: str,
    thread_id: str,
    text: str,
    *,
    note: bool = False,
    author: str = "You",
    error: str | None = None,
    timestamp: float = 0.0,
) -> TranscriptEntry:
    """An outbox entry: shown as pending, or as failed with its error in `lines`."""
    return TranscriptEntry(
        key=custom_id,
        thread_id=thread_id,
        order=2**62,
        kind="failed" if error else "pending",
        author=author + (" (note)" if note else ""),
        timestamp=timestamp,
        text=text,
        lines=(f"failed: {error}",) if error else (),
        mine=True,
    )
