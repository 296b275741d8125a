"""Merging fetch answers into what the store already holds: the store only moves forward.

A fetch (login summaries, a resync page, chat read, archives) is answered from a snapshot
the server took at some moment after the request left; pushes keep arriving meanwhile. The rule:

* Things the server orders are merged by that order, whatever arrived first: events by id (a
  known event is only replaced when no push changed the chat's events since the fetch began),
  the last event of each type by (thread order, event order; creation time when a thread's
  order is unknown), threads by order (an older last
  thread never replaces a newer one), last-seen times only forward.
* Everything else (members, the last thread's state: open/closed, tags, user ids, properties;
  chat properties, access, following) is taken from the answer unless a push changed that part
  of the chat after the fetch began (`Store.begin_fetch` returns the store's clock then): the
  push is at least as new as the snapshot, and any change the snapshot holds but the store does
  not yet has its own push still on the way, so the state converges on the server's.
* A chat a push announced or touched after the fetch began is kept by `retain`; a chat dropped
  after it began is not brought back by the answer.

The rule is about the canonical models (`lcconsole.wire.objects`), so it holds for every dialect.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lcconsole.ui.store import Store
    from lcconsole.wire.objects import ChatSummary

FIELDS = ("users", "thread", "events", "properties", "access", "is_followed")
"""The parts of a chat a push can touch (plus "any", touched by every push about the chat)."""


def order_of(obj: Any) -> int:
    """The server's `order` of an event or thread (0 when missing)."""
    return getattr(obj, "order", None) or 0


def newer_last(last: Any, other: Any) -> bool:
    """Whether `last` (a `last_event_per_type` entry) is newer than `other` by the server's
    ordering: thread order, then event order. A push may name a thread whose order the store
    does not know (its thread was never loaded): then the events' creation times decide."""
    a, b = last.event, other.event

    def created(event: Any) -> str:
        return getattr(event, "created_at", None) or ""

    if last.thread_id and last.thread_id == other.thread_id:
        return (order_of(a), created(a)) > (order_of(b), created(b))
    if last.thread_order is None or other.thread_order is None:
        return (created(a), order_of(a)) > (created(b), order_of(b))
    return (last.thread_order, order_of(a), created(a)) > (other.thread_order, order_of(b), created(b))


def users_forward(base: list[Any], other: Iterable[Any]) -> list[Any]:
    """`base` with every user's last-seen time raised to the one in `other` when newer."""
    seen = {u.id: u.last_seen_timestamp or 0 for u in other if u.id}
    for user in base:
        if seen.get(user.id, 0) > (user.last_seen_timestamp or 0):
            user.last_seen_timestamp = seen[user.id]
    return base


def merge_summary(store: Store, old: ChatSummary, new: ChatSummary, since: int | None) -> ChatSummary:
    """`new` (a fetched summary) merged with `old` (the stored one) by the module's rule."""
    chat_id = old.id or ""

    def pushed(part: str) -> bool:
        return store.pushed_since(chat_id, part, since)

    if pushed("users"):
        new.users = users_forward(old.users, new.users)
    else:
        new.users = users_forward(new.users, old.users)
    for name in ("properties", "access", "is_followed"):
        if pushed(name) and getattr(old, name) != getattr(new, name):
            setattr(new, name, getattr(old, name))
    mine, theirs = old.last_thread_summary, new.last_thread_summary
    if mine is not None and (
        theirs is None or order_of(mine) > order_of(theirs) or (mine.id == theirs.id and pushed("thread"))
    ):
        new.last_thread_summary = mine
    for kind, last in old.last_event_per_type.items():
        current = new.last_event_per_type.get(kind)
        if last.event is not None and (current is None or current.event is None or newer_last(last, current)):
            new.last_event_per_type[kind] = last
    if (old.order or 0) > (new.order or 0):
        new.order = old.order
    return new


def keep_thread_state(loaded: Any, fetched: Any) -> Any:
    """`fetched` (a thread from an answer) with the thread state of `loaded` (pushed since)."""
    return fetched.model_copy(
        update={
            "active": loaded.active,
            "tags": list(loaded.tags),
            "user_ids": list(loaded.user_ids),
            "properties": loaded.properties,
        }
    )


def merge_events(stored: list[Any], fetched: list[Any], keep_stored: bool) -> list[Any]:
    """Union by id in server order; a known id keeps the stored copy when `keep_stored`, or when
    it equals the fetched one (the transcript's `EntryCache` then reuses its entry). Fetched
    events are taken in the store's form (`compact_events.compact`)."""
    from lcconsole.wire.compact_events import compact

    by_id = {e.id: e for e in stored}
    for event in fetched:
        old = by_id.get(event.id)
        if old is None or not keep_stored:
            held = compact(event)
            by_id[event.id] = old if old is not None and type(old) is type(held) and old == held else held
    return sorted(by_id.values(), key=order_of)
