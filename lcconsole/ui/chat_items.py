"""The chat list's rows (`ChatListItem`) and how they are read from a chat summary.

Nothing here imports pydantic: a row is read the same way from the store's models, from compact
records, and from the login's raw JSON (`JsonView`), so the first list can be painted from the
login answer before the models are imported (`login_items`; `ui.app`), and it shows what the
store's rows will show.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from lcconsole.ui.text import compact_json, fill_text_vars
from lcconsole.wire.event_tags import CLASS_TAGS, tag_of

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

Section = Literal["mine", "queued", "followed", "others", "closed"]
SECTIONS: tuple[Section, ...] = ("mine", "queued", "followed", "others", "closed")
"""Chat list sections in display order (see `chat_list_item` for what each one holds)."""


@dataclass(slots=True)
class ChatListItem:
    """One row of the chat list.

    Treat it as immutable (`dataclasses.replace` for changes): the chat list caches drawn rows
    per item object. (Not `frozen`: frozen construction is 4x slower, and a resync builds one
    per changed chat.)"""

    chat_id: str
    section: Section
    customer_name: str
    preview: str = ""
    waiting_since: float | None = None
    unread: int = 0
    tags: tuple[str, ...] = ()
    followed: bool = False
    last_activity: float = 0.0
    typing: bool = False  # the customer is typing
    draft: bool = False  # I have an unsent draft in this chat
    as_of: float | None = None  # no pushes keep this row current: its content is from then

    @property
    def active(self) -> bool:
        """The chat's last thread is open: every section but closed. (Not a field: 12 slots
        make a row 128 bytes, 13 took pymalloc's 144-byte class.)"""
        return self.section != "closed"


SUMMARY_AUTHOR = "AI summary"


def _json_or_none(text: str | None) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def system_event_view(event: Any) -> tuple[Literal["summary", "system"], str, str, tuple[str, ...]]:
    """(kind, author, text, lines) of a `system` event: an AI summary shows its text; any
    other one shows what happened (`source`/`subtype`) and its details, one `key: value` a line."""
    details = _json_or_none(event.details)
    if event.subtype == "summary" and isinstance(details, dict):
        summary = details.get("summary") if isinstance(details.get("summary"), dict) else {}
        text = str(summary.get("text") or "(empty summary)")
        status = summary.get("status")
        return "summary", SUMMARY_AUTHOR, text, ((f"status: {status}",) if status not in (None, "ok") else ())
    what = " / ".join(str(x) for x in (event.source, event.subtype) if x) or "system event"
    if isinstance(details, dict):
        lines = tuple(f"{k}: {v if isinstance(v, str) else compact_json(v)}" for k, v in details.items())
    else:
        lines = (event.details,) if event.details else ()
    return "system", "System", what, lines


class JsonView:
    """Wire JSON read as the models read it: attributes for fields, nested objects as views, a
    missing (or null) field at the model's default. Only what `chat_list_item` reads is covered:
    the first list is built from it (`login_items`), every later one from the store's models."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        value = self._data.get(name)
        if value is None:
            return _DEFAULTS.get(name)
        if name in _RAW:
            return value
        if name == "last_event_per_type":
            return {key: JsonView(entry) for key, entry in value.items()}
        if type(value) is dict:
            return JsonView(value)
        if type(value) is list:
            return [JsonView(v) if type(v) is dict else v for v in value]
        return value


_DEFAULTS: dict[str, Any] = {
    "users": (),
    "user_ids": (),
    "tags": (),
    "elements": (),
    "fields": (),
    "text": "",
    "last_event_per_type": {},
}
"""The models' defaults other than None, for the fields a row reads (`Message.text` is "")."""
_RAW = frozenset(("text_vars", "properties", "access"))
"""Fields read as plain JSON (mappings of values, not objects)."""


def _tag(event: Any) -> str:
    tag = CLASS_TAGS.get(type(event))  # a model (tag_of's first question, without its call)
    if tag is not None:
        return tag
    return tag_of(event._data) if type(event) is JsonView else tag_of(event)


_CUSTOMER_TAGS = frozenset(("message", "file", "filled_form"))
"""Events that are the customer's words when the customer wrote them."""


def user_name(user: Any) -> str:
    """A user's name as the panes show it: the name, else the email, else the id."""
    return getattr(user, "name", None) or getattr(user, "email", None) or getattr(user, "id", None) or ""


def _event_ts(event: Any) -> float:
    return float(getattr(event, "timestamp", None) or 0)


def event_preview(event: Any) -> str:
    """A one-line description of an event for list previews (raw, not sanitized)."""
    return _preview(event, _tag(event))


def _preview(event: Any, tag: str) -> str:
    if tag == "message":
        return event.text
    if tag == "system_message":
        return fill_text_vars(event.text, event.text_vars)
    if tag == "file":
        return f"[file] {event.name or 'file'}"
    if tag == "rich_message":
        for element in event.elements:
            if element.title or element.subtitle:
                return element.title or element.subtitle or ""
        return "[rich message]"
    if tag == "filled_form":
        return "[form] " + ", ".join(f.label or "" for f in event.fields[:3])
    if tag == "annotation":
        return event.text or f"[{event.annotation_type or 'annotation'}]"
    if tag == "custom":
        return "[custom event]"
    if tag == "system":
        kind, _author, text, _lines = system_event_view(event)
        return f"AI summary: {text}" if kind == "summary" else f"[{text}]"
    if tag == "deleted" or getattr(event, "deleted", None) is True:
        return f"[deleted {getattr(event, 'type', None) or 'event'}]"
    return f"[{getattr(event, 'type', None) or 'event'}]"


Tagged = tuple[Any, str, float]
"""An event, its tag (`tag_of`) and its timestamp: a row reads each of them once."""


def _newest(events: Sequence[Any], wanted: Callable[[Any, str], bool]) -> list[Tagged]:
    """The last of `events` (in order) that is `wanted`, tagged: read from the end, so a row of
    a chat with a long loaded thread costs what its newest events cost."""
    for i in range(len(events) - 1, -1, -1):
        event = events[i]
        tag = _tag(event)
        if wanted(event, tag):
            return [(event, tag, _event_ts(event))]
    return []


def _tagged_key(tagged: Tagged) -> tuple[int, float]:
    return (tagged[0].order or 0, tagged[2])


def _note(event: Any, tag: str) -> bool:
    return tag == "message" and event.recipients == "agents"


def is_note(event: Any) -> bool:
    """An agents-only note (a message the customer does not see)."""
    return _note(event, _tag(event))


def _from_customer(event: Any, tag: str, customer_id: str | None) -> bool:
    """The customer's own words (a note is never theirs)."""
    return tag in _CUSTOMER_TAGS and bool(customer_id) and event.author_id == customer_id and not _note(event, tag)


def _answer(event: Any, tag: str, customer_id: str | None, users: Mapping[str, Any]) -> bool:
    """An answer to the customer: an event by someone else than a customer (`users`: the
    chat's users by id), not a system message and not a note."""
    return (
        bool(event.author_id)
        and event.author_id != customer_id
        and getattr(users.get(event.author_id), "type", "agent") != "customer"
        and tag != "system_message"
        and not _note(event, tag)
    )


def chat_list_item(
    summary: Any,
    my_id: str,
    last_seen: float | None = None,
    *,
    unread: int | None = None,
    previous: ChatListItem | None = None,
    history: Sequence[Any] = (),
    marked_unread: bool = False,
    chat_id: str | None = None,
) -> ChatListItem:
    """The list row for a chat summary (`chat_id`: the id as the store keys it, held by the
    row instead of the parsed summary's copy of it: 10k rows, ~0.6 MiB).

    Section: closed when the last thread is not active; else mine when I am in it; queued when
    no agent is in it; followed when I follow it (`is_followed`); else others (another agent's
    chat that I can see but do not follow). `waiting_since` is the timestamp of the customer's last
    message when no agent answered after it (kept from `previous` if it was already waiting);
    `unread` counts the latest events per type newer than `last_seen` (my own `last_seen_timestamp`
    in the summary by default), except mine and system messages, unless given; at least 1 when
    the agent `marked_unread` the chat. Notes are no answer: they neither end the waiting time
    (also when a note displaced the customer's message from `last_event_per_type`; `history`,
    the loaded events of the chat in order, fills in what the summary lost: only its newest
    customer message and newest answer are read) nor read as a reply.
    """
    users: dict[str, Any] = {}
    customer = None
    agents = False  # any agent among the users
    for user in summary.users:  # one pass: this runs for every changed row of a resync
        kind = user.type
        if kind == "agent":
            agents = True
        elif customer is None and kind == "customer":
            customer = user
        uid = user.id
        if uid:
            users[uid] = user
    thread = summary.last_thread_summary
    active = thread is not None and bool(thread.active)
    section: Section = "closed"
    if active:
        # agents still in the chat: a thread's user_ids keep agents who left (e.g. transferred away)
        agents_in = (
            [uid for uid in thread.user_ids if getattr(users.get(uid), "type", None) == "agent"] if agents else []
        )
        if my_id in agents_in:
            section = "mine"
        elif not agents_in:
            section = "queued"
        elif summary.is_followed:
            section = "followed"
        else:
            section = "others"
    if last_seen is None and unread is None:
        me = users.get(my_id)
        last_seen = float(getattr(me, "last_seen_timestamp", None) or 0) if me else 0.0

    last_activity = float(thread.timestamp or 0) if thread is not None else 0.0
    events: list[Tagged] = []  # each event's tag and time read once: this runs for every changed row
    for le in summary.last_event_per_type.values():
        event = le.event
        if event is not None:
            tag = _tag(event)
            if tag != "restricted":
                ts = _event_ts(event)
                events.append((event, tag, ts))
                if ts > last_activity:
                    last_activity = ts
    if len(events) > 1:
        events.sort(key=_tagged_key)
    last, last_tag, _ = events[-1] if events else (None, "", 0.0)
    customer_id = customer.id if customer is not None else None
    timed = events
    if history:
        timed = [
            *events,
            *_newest(history, lambda e, tag: _from_customer(e, tag, customer_id)),
            *_newest(history, lambda e, tag: _answer(e, tag, customer_id, users)),
        ]
    last_customer = last_agent = 0.0
    for e, tag, ts in timed:  # the two tests exclude each other (the author is the customer or not)
        if _from_customer(e, tag, customer_id):
            last_customer = max(last_customer, ts)
        elif _answer(e, tag, customer_id, users):
            last_agent = max(last_agent, ts)
    waiting: float | None = None
    if active and last_customer and last_customer > last_agent:
        waiting = last_customer
    held = previous.waiting_since if previous is not None else None
    if active and held and held > last_agent and (waiting is not None or any(_note(e, t) for e, t, _ in events)):
        waiting = min(waiting or held, held)  # a note may have displaced the customer's message
    if unread is None:
        unread = sum(1 for e, t, ts in events if ts > last_seen and e.author_id != my_id and t != "system_message")
    if marked_unread:
        unread = max(unread, 1)
    preview = ""
    if last is not None:
        preview = _preview(last, last_tag)
        mine = bool(last.author_id) and last.author_id == my_id
        if _note(last, last_tag):
            preview = ("Note (you): " if mine else "Note: ") + preview
        elif mine:
            preview = "You: " + preview
    if waiting is not None and waiting == last_activity:
        waiting = last_activity  # one float object for both
    return ChatListItem(  # by position: keywords cost 3x as much (0.8 us a row)
        chat_id or summary.id or "",  # chat_id
        section,
        user_name(customer) or "Customer",  # customer_name
        preview[:500],
        waiting,  # waiting_since
        unread,
        tuple(thread.tags) if thread is not None else (),  # tags
        bool(summary.is_followed),  # followed
        last_activity,
    )


def count_unread(events: Iterable[Any], customer_ids: Collection[str], seen: float) -> int:
    """The store's unread count of a chat: its known customer events after my last-seen time
    (`seen`, 0 when I have not seen it), system messages aside."""
    count = 0  # a loop, not sum() over a generator: most chats know one event (3x faster then)
    for e in events:
        if e.author_id in customer_ids and (e.timestamp or 0) > seen and e.type != "system_message":
            count += 1
    return count


def login_items(
    payload: Mapping[str, Any],
    *,
    version: str,
    draft: Callable[[str], bool] = lambda chat_id: False,
    marked_unread: Collection[str] = (),
) -> list[ChatListItem]:
    """The chat list's rows read from the RTM login answer's raw payload (v3.0, or v3.6 through
    its canonical JSON), as the painter reads them from the store once the login is stored:
    the same sections, previews, waiting times and unread counts. Raises on what it cannot
    read (KeyError, TypeError, ValueError, AttributeError); the models judge the answer later."""
    if version != "3.0":
        from lcconsole.wire.v36.canonical_json import login_data

        payload = login_data(dict(payload))
    my_id = payload["my_profile"]["id"]
    items: dict[str, ChatListItem] = {}
    for raw in payload.get("chats_summary") or ():
        chat_id = raw["id"]
        summary = JsonView(raw)
        customers = {u.id for u in summary.users if u.type == "customer" and u.id}
        seen = next((u.last_seen_timestamp or 0 for u in summary.users if u.id == my_id), 0)
        known = {
            e.id: e
            for last in summary.last_event_per_type.values()
            if (e := last.event) is not None and e.id and _tag(e) != "restricted"
        }
        item = chat_list_item(
            summary,
            my_id,
            unread=count_unread(known.values(), customers, seen),
            marked_unread=chat_id in marked_unread,
            chat_id=chat_id,
        )
        if draft(chat_id):
            item.draft = True
        items[chat_id] = item
    return list(items.values())
