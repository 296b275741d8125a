"""The one client-side store: everything the panes show, updated by API results and RTM pushes.

Every mutation is idempotent (applying the same data twice changes nothing) and returns a
`Changes` describing what moved, which is also handed to every listener, so the screen repaints
only the widgets (and chat rows) that were touched. Pushes are applied by `store_pushes.apply_push`.

The store only moves forward: fetch answers are merged by the server's ordering, never by
arrival time, so an answer computed before a push cannot undo it (the rule in full is in
`store_merge`). A caller takes `since = store.begin_fetch()` before sending a request and hands
it to `set_summaries` / `merge_chat` / `retain` with the answer. Summaries are changed only via
`edit_chat` (pushes) or whole writes, which keep the tag, group and customer indexes current.

`read_at` keeps, per chat, the wall time of the last answer that carried its latest events (a
summary, or its newest thread): for chats that get no event pushes (another agent's chat I do
not follow) that is how new the row can be.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from lcconsole.ui.changes import Changes
from lcconsole.ui.compact import CompactModels, EventStub
from lcconsole.ui.known_events import KnownEvents
from lcconsole.ui.store_index import ChatIndex
from lcconsole.ui.store_merge import (
    keep_thread_state,
    merge_events,
    merge_summary,
    newer_last,
    order_of,
    users_forward,
)
from lcconsole.ui.typing_state import TypingIndicators

if TYPE_CHECKING:  # pydantic is imported lazily: the first frame must not wait for it
    from lcconsole.wire.objects import Agent, Chat, ChatSummary, Customer, MyProfile, Thread


SUMMARY_PARTS = ("users", "thread", "properties", "access", "is_followed")


def _last_key(event: Any) -> tuple[int, str]:
    """How `newer_last` orders two events of one thread."""
    return (order_of(event), getattr(event, "created_at", None) or "")


class Store:
    """Chats (summaries), loaded threads with their events, customers, agents, me."""

    def __init__(self, wall: Callable[[], float] = time.time) -> None:
        self.wall = wall
        self.read_at: dict[str, float] = {}  # chat -> wall time its latest events were read
        self.me: MyProfile | None = None
        self.agents: dict[str, Agent] = {}
        self.customers: dict[str, Customer] = {}
        # summaries as compact JSON + an LRU of parsed models: 10k chats cost ~10 MiB, not ~80
        self.chats: CompactModels[str, ChatSummary] = CompactModels("lcconsole.wire.objects:ChatSummary")
        self.threads: dict[str, dict[str, Thread]] = {}  # chat -> thread id -> Thread (loaded)
        self.thread_ids: dict[str, list[str]] = {}  # chat -> every known thread id, by order
        self.typing = TypingIndicators()
        self.threads_listed: set[str] = set()  # chats whose every thread id is known
        self.multicasts: list[Any] = []
        self.unhandled_pushes: set[str] = set()  # push kinds without a handler, logged once each
        self.visitor_ids: dict[str, None] = {}  # customers on the website (ordered set)
        self.known = KnownEvents()  # per chat, the events the store knows
        self._thread_orders: dict[str, dict[str, int]] = {}  # chat -> thread id -> order
        self._listeners: list[Callable[[Changes], None]] = []
        self.clock = 0  # +1 per push applied, fetch begun, drop
        # chat -> part -> clock of its newest writer; the marks dicts are shared between chats
        # written alike (a fetch marks every chat it answers the same way) and never changed in place
        self._pushed: dict[str, dict[str, int]] = {}
        self._marks: dict[tuple[tuple[str, int], ...], dict[str, int]] = {}
        self._dropped: dict[str, int] = {}  # chat -> clock when dropped
        self.index = ChatIndex()  # tags, groups and customers of the known chats
        self.group_names: dict[int, str] = {}  # group id -> name (Configuration API list_groups)
        self._my_seen: dict[str, int] = {}  # chat -> my last-seen time, where I am a member
        self.chats.on_write = self._index

    # --- ordering against pushes ----------------------------------------------------------------

    def begin_fetch(self) -> int:
        """A fetch begins: the token to hand back with its answer (take it before sending)."""
        self.clock += 1
        return self.clock

    def tick(self) -> int:
        """A push is being applied: advance the clock."""
        self.clock += 1
        return self.clock

    def touch(self, chat_id: str, *parts: str, at: int | None = None) -> None:
        """Record that these parts of a chat were written by the push being applied (or by the
        answer of the fetch begun `at`); older answers will not overwrite them (store_merge)."""
        old = self._pushed.get(chat_id, {})
        clock = self.clock if at is None else at
        marks = dict(old)
        for part in ("any", *parts):
            if marks.get(part, -1) < clock:
                marks[part] = clock
        if marks == old:
            return
        if at is None:  # a push: its clock is its own, nothing to share
            self._pushed[chat_id] = marks
            return
        if len(self._marks) > 1024:  # a few entries per fetch answer: keep it bounded
            self._marks.clear()
        self._pushed[chat_id] = self._marks.setdefault(tuple(marks.items()), marks)

    def pushed_since(self, chat_id: str, part: str, since: int | None) -> bool:
        """True when a push, or a fetch begun later, wrote `part` of the chat after the fetch
        that began at `since` (None: the answer is newer than everything)."""
        return since is not None and self._pushed.get(chat_id, {}).get(part, -1) > since

    @contextlib.contextmanager
    def edit_chat(self, chat_id: str, *parts: str) -> Iterator[ChatSummary | None]:
        """Change a chat's summary in place for a push (None when the chat is unknown)."""
        self.touch(chat_id, *parts)
        with self.chats.edit(chat_id) as summary:
            yield summary

    # --- indexes --------------------------------------------------------------------------------

    def _index(self, chat_id: str, summary: ChatSummary | None) -> None:
        self._my_seen.pop(chat_id, None)
        for user in summary.users if summary is not None and self.my_id else ():
            if user.id == self.my_id:
                self._my_seen[chat_id] = user.last_seen_timestamp or 0
        if summary is None:
            customers_changed = self.index.remove(chat_id)
        else:
            thread = summary.last_thread_summary
            customers_changed = self.index.put(
                chat_id,
                tuple(thread.tags) if thread else (),
                tuple(summary.access.group_ids) if summary.access else (),
                tuple(u.id for u in summary.users if u.id and getattr(u, "type", None) == "customer"),
            )
        if customers_changed:
            self.known.customers_changed(chat_id)

    def known_tags(self) -> list[str]:
        """Tags on the last thread of any known chat."""
        return self.index.tags()

    def known_groups(self) -> list[int]:
        """Group ids in any known chat's access or named by list_groups (group 0 = all agents,
        always listed)."""
        return sorted({0} | set(self.group_names) | self.index.groups())

    def group_label(self, group_id: int) -> str:
        """A group's name when list_groups gave one, else its number."""
        return self.group_names.get(group_id) or str(group_id)

    def chats_of_customer(self, customer_id: str) -> set[str]:
        """The known chats whose customer is `customer_id`."""
        return set(self.index.chats_of(customer_id))

    # --- listeners ------------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[Changes], None]) -> None:
        """Call `listener(changes)` after every update that changed something."""
        self._listeners.append(listener)

    def emit(self, changes: Changes) -> Changes:
        """Hand `changes` to the listeners (when non-empty) and return it."""
        if changes:
            for listener in list(self._listeners):
                listener(changes)
        return changes

    # --- reading --------------------------------------------------------------------------------

    @property
    def my_id(self) -> str:
        """My agent id ('' before login)."""
        return (self.me.id or "") if self.me else ""

    def chat_users(self, chat_id: str) -> dict[str, Any]:
        """Users of a chat by id (agents from the directory fill in missing names)."""
        users: dict[str, Any] = dict(self.agents)
        summary = self.chats.get(chat_id)
        for user in summary.users if summary else ():
            if user.id:
                users[user.id] = user
        if self.me and self.me.id:
            users.setdefault(self.me.id, self.me)
        return users

    def customer_of(self, chat_id: str) -> Customer | None:
        """The chat's customer, preferring the fuller object from the customer directory."""
        summary = self.chats.get(chat_id)
        for user in summary.users if summary else ():
            if getattr(user, "type", None) == "customer" and user.id:
                return self.customers.get(user.id, user)
        return None

    def known_customers(self) -> list[Customer]:
        """Every customer known here: the fetched ones, then the customers of the chats."""
        known = dict(self.customers)
        for chat_id in self.chats:
            customer = self.customer_of(chat_id)
            if customer is not None and customer.id not in known:
                known[customer.id] = customer
        return list(known.values())

    def my_last_seen(self, chat_id: str) -> float | None:
        """My last-seen timestamp in a chat (None when unknown)."""
        summary = self.chats.get(chat_id)
        for user in summary.users if summary else ():
            if user.id == self.my_id:
                return user.last_seen_timestamp
        return None

    def loaded_threads(self, chat_id: str) -> list[Thread]:
        """The chat's loaded threads, oldest first."""
        return sorted(self.threads.get(chat_id, {}).values(), key=order_of)

    def current_thread(self, chat_id: str) -> Thread | None:
        """The newest loaded thread of a chat."""
        if not self.threads.get(chat_id):  # most chats (every changed row of a resync asks)
            return None
        return self.loaded_threads(chat_id)[-1]

    def older_thread_id(self, chat_id: str) -> str | None:
        """The newest known thread id that is not loaded yet but older than every loaded one."""
        loaded = self.threads.get(chat_id, {})
        if not loaded:
            return None
        oldest = min(order_of(t) for t in loaded.values())
        ids = [t for t in self.thread_ids.get(chat_id, []) if t not in loaded]
        orders = self._thread_orders.get(chat_id, {})
        older = [t for t in ids if orders.get(t, 0) < oldest]
        return older[-1] if older else None

    def unread(self, chat_id: str) -> int:
        """Customer messages (any customer event but system messages) after my last-seen time
        (0 when I have never seen the chat), over the events the store knows: exact once
        `unread_exact` holds."""
        return self.known.unread(chat_id, self.index.customers(chat_id), self._my_seen.get(chat_id, 0))

    def may_miss_unseen(self, chat_id: str) -> bool:
        """A chat of mine with customer events after my last-seen time whose count the store
        cannot vouch for yet (see `unread_exact`)."""
        if chat_id not in self._my_seen or not self.unread(chat_id):
            return False
        return not self.unread_exact(chat_id)

    def unread_exact(self, chat_id: str) -> bool:
        """True when the store holds every event after my last-seen time in the chat: the
        loaded threads reach back, without a gap, from the newest thread to one that started
        by then (or to the first thread, once the chat's thread list is known)."""
        summary = self.chats.get(chat_id)
        last = summary.last_thread_summary if summary else None
        loaded = self.threads.get(chat_id, {})
        if last is None or last.id not in loaded:
            return False
        seen = self._my_seen.get(chat_id, 0)
        orders = self._thread_orders.get(chat_id, {})
        for thread_id in sorted(orders, key=lambda t: orders[t], reverse=True):
            if orders[thread_id] > order_of(last):
                continue
            thread = loaded.get(thread_id)
            if thread is None:
                return False
            if (thread.timestamp or 0) and (thread.timestamp or 0) <= seen:
                return True
        return chat_id in self.threads_listed

    # --- API results ----------------------------------------------------------------------------

    def set_profile(self, me: MyProfile) -> Changes:
        """My profile (login response or a routing status push)."""
        if self.me is not None and self.me == me:
            return Changes()
        self.me = me
        if me.id:
            self.agents[me.id] = me
        return self.emit(Changes(profile=True))

    def set_summaries(
        self, summaries: Iterable[ChatSummary], *, complete: bool = False, since: int | None = None
    ) -> Changes:
        """Chat summaries (login / the chat list) from a fetch begun at `since` (None: newer
        than every push applied); `complete` drops chats not listed (as `retain`)."""
        changes = Changes()
        seen: set[str] = set()
        now = self.wall()
        for summary in summaries:
            if summary.id:
                seen.add(summary.id)
                changes.update(self._put_summary(summary, since))
                self.read_at[summary.id] = now
        if complete:
            changes.update(self._retain(seen, since))
        return self.emit(changes)

    def retain(self, chat_ids: set[str], since: int | None = None) -> Changes:
        """Drop every chat not in `chat_ids` (a full resync begun at `since`) that no push
        announced or touched since then."""
        return self.emit(self._retain(chat_ids, since))

    def drop(self, chat_id: str) -> Changes:
        """Forget a chat (it is no longer accessible)."""
        return self.emit(self._drop_chat(chat_id) if chat_id in self.chats else Changes())

    def _retain(self, chat_ids: set[str], since: int | None) -> Changes:
        changes = Changes()
        for chat_id in [c for c in self.chats if c not in chat_ids]:
            if not self.pushed_since(chat_id, "any", since):
                changes.update(self._drop_chat(chat_id))
        return changes

    def merge_chat(self, chat: Chat, since: int | None = None) -> Changes:
        """A full chat (a chat read, a started or reopened chat, an incoming chat push) from a
        fetch begun at `since` (None: newer than every push applied)."""
        changes = self._merge_chat(chat, since)
        summary = self.chats.get(chat.id or "")
        last = summary.last_thread_summary if summary is not None else None
        if last is not None and any(t.id == last.id for t in [*(chat.threads or []), chat.thread] if t):
            self.read_at[chat.id or ""] = self.wall()
        return self.emit(changes)

    def set_thread_ids(self, chat_id: str, refs: Iterable[tuple[str, int]]) -> None:
        """Every thread (id, order) of a chat (the thread list)."""
        orders = self._thread_orders.setdefault(chat_id, {})
        for thread_id, order in refs:
            if thread_id:
                orders[thread_id] = order or 0
        self.thread_ids[chat_id] = sorted(orders, key=lambda t: orders[t])

    def add_event(self, chat_id: str, thread_id: str, event: Any) -> Changes:
        """One event (send_event result or incoming_event push)."""
        return self.emit(self._add_event(chat_id, thread_id, event))

    def put_customer(self, customer: Customer) -> Changes:
        """A customer object (customer list, customer updates, customer pushes)."""
        return self.emit(self._put_customer(customer))

    def _put_customer(self, customer: Customer) -> Changes:
        if not customer.id:
            return Changes()
        old = self.customers.get(customer.id)
        holders = sorted(self.chats_of_customer(customer.id))
        if old is None:  # start from the copy embedded in a chat, if any
            old = next(
                (
                    u
                    for c in holders
                    for u in self.chats[c].users
                    if u.id == customer.id and getattr(u, "type", None) == "customer"
                ),
                None,
            )
        if old is not None:
            data = old.model_dump(exclude_unset=True)
            data.update(customer.model_dump(exclude_unset=True))
            customer = type(old).model_validate(data)
            if customer == self.customers.get(customer.id):
                return Changes()
        self.customers[customer.id] = customer
        changes = Changes(customers={customer.id})
        changes.chats = set(holders)
        return changes

    def put_agents(self, agents: Iterable[Agent]) -> None:
        """Agents seen anywhere (for names in transcripts and the transfer picker)."""
        self.agents.update((a.id, a) for a in agents if a.id and a.id not in self.agents)

    def set_last_seen(self, chat_id: str, user_id: str, timestamp: int) -> Changes:
        """A user's last-seen timestamp in a chat moved (only ever forward)."""
        return self.emit(self._set_last_seen(chat_id, user_id, timestamp))

    def _set_last_seen(self, chat_id: str, user_id: str, timestamp: int) -> Changes:
        summary = self.chats.get(chat_id)
        for user in summary.users if summary else ():
            if user.id == user_id:
                if (user.last_seen_timestamp or 0) >= timestamp:
                    return Changes()
                with self.chats.edit(chat_id) as summary:
                    for same in summary.users:
                        if same.id == user_id:
                            same.last_seen_timestamp = timestamp
                return Changes(chats={chat_id})
        return Changes()

    def expire_typing(self) -> Changes:
        """Forget typing indicators that went quiet."""
        return self.emit(Changes(typing=self.typing.expire()))

    # --- internals ------------------------------------------------------------------------------

    def _drop_chat(self, chat_id: str) -> Changes:
        self.threads_listed.discard(chat_id)
        self.read_at.pop(chat_id, None)
        self.clock += 1
        self._dropped[chat_id] = self.clock
        self._pushed.pop(chat_id, None)
        self.chats.pop(chat_id, None)
        self.threads.pop(chat_id, None)
        self.known.drop(chat_id)
        self.typing.pop(chat_id, None)
        return Changes(removed={chat_id})

    def _put_summary(self, summary: ChatSummary, since: int | None) -> Changes:
        chat_id = summary.id or ""
        changes = Changes()
        if chat_id not in self.chats and since is not None and self._dropped.get(chat_id, -1) > since:
            return changes  # dropped after this fetch began
        self.put_agents(u for u in summary.users if getattr(u, "type", None) == "agent")
        for last in summary.last_event_per_type.values():
            event = last.event
            # (type name, not getattr: a pydantic attribute miss raises inside, ~10k times a resync)
            if event is not None and getattr(event, "id", None) and type(event).__name__ != "RestrictedEvent":
                changes.update(self._remember(chat_id, EventStub(event)))  # the summary keeps it
        if self.chats.same(chat_id, summary):  # compares JSON when not parsed: no parse
            self._wrote(chat_id, since, *SUMMARY_PARTS)
            return changes
        old = self.chats.get(chat_id)
        if old is not None:
            summary = merge_summary(self, old, summary, since)
        self._wrote(chat_id, since, *SUMMARY_PARTS)
        if old is not None and summary == old:
            return changes
        self.chats[chat_id] = summary
        changes.chats.add(chat_id)
        thread = summary.last_thread_summary
        loaded = self.threads.get(chat_id, {}).get(thread.id) if thread and thread.id else None
        if loaded is not None and thread is not None:
            loaded.active, loaded.tags = thread.active, list(thread.tags)
            if thread.properties is not None:
                loaded.properties = thread.properties
            changes.thread_changed(chat_id, loaded.id or "")
        return changes

    def _wrote(self, chat_id: str, since: int | None, *parts: str) -> None:
        if since is not None:  # a fetch's answer: older answers must not overwrite it
            self.touch(chat_id, *parts, at=since)

    def _remember(self, chat_id: str, event: Any) -> Changes:
        if not self.known.remember(chat_id, event):
            return Changes()
        return Changes(new_events=1, new_event_chats={chat_id})

    def _merge_chat(self, chat: Chat, since: int | None = None) -> Changes:
        from lcconsole.wire.objects import ChatSummary, LastThreadSummary

        chat_id = chat.id or ""
        changes = Changes()
        if chat_id not in self.chats:
            if since is not None and self._dropped.get(chat_id, -1) > since:
                return changes  # dropped after this fetch began
            self.chats[chat_id] = ChatSummary(id=chat_id)
            changes.chats.add(chat_id)
        threads = list(chat.threads or []) + ([chat.thread] if chat.thread else [])
        with self.chats.edit(chat_id) as summary:
            users_forward(chat.users, summary.users)  # last seen only moves forward
            for name in ("users", "properties", "access", "is_followed"):
                if (
                    name in chat.model_fields_set
                    and not self.pushed_since(chat_id, name, since)
                    and getattr(summary, name) != getattr(chat, name)
                ):
                    setattr(summary, name, getattr(chat, name))
                    changes.chats.add(chat_id)
            self.put_agents(u for u in chat.users if getattr(u, "type", None) == "agent")
            if chat.threads_summary:
                self.set_thread_ids(chat_id, ((r.thread_id or "", r.order or 0) for r in chat.threads_summary))
            for thread in threads:
                changes.update(self._put_thread(chat_id, thread, since))
            self._wrote(
                chat_id,
                since,
                *(n for n in ("users", "properties", "access", "is_followed") if n in chat.model_fields_set),
            )
            newest = max(threads, key=order_of, default=None)
            newest = self.threads.get(chat_id, {}).get(newest.id or "") if newest is not None else None
            last = summary.last_thread_summary
            if newest is not None and (
                last is None
                or order_of(newest) > order_of(last)
                or (newest.id == last.id and not self.pushed_since(chat_id, "thread", since))
            ):
                fresh = LastThreadSummary(
                    id=newest.id,
                    order=newest.order,
                    timestamp=newest.timestamp,
                    active=newest.active,
                    user_ids=list(newest.user_ids),
                    properties=newest.properties,
                    tags=list(newest.tags),
                )
                if fresh != last:
                    summary.last_thread_summary = fresh
                    changes.chats.add(chat_id)
            if threads:
                self._wrote(chat_id, since, "thread", "events")
        return changes

    def _put_thread(self, chat_id: str, thread: Thread, since: int | None = None) -> Changes:
        if not thread.id:
            return Changes()
        loaded = self.threads.setdefault(chat_id, {})
        self.set_thread_ids(chat_id, [(thread.id, thread.order or 0)])
        changes = Changes()
        old = loaded.get(thread.id)
        keep_events = self.pushed_since(chat_id, "events", since)
        events = merge_events(old.events if old is not None else [], thread.events, keep_events)
        newest: dict[str, Any] = {}  # per type: only the newest can become the summary's last
        for event in events:
            if getattr(event, "id", None):
                changes.update(self._remember(chat_id, event))
                kind = event.type
                if kind and (kind not in newest or _last_key(event) >= _last_key(newest[kind])):
                    newest[kind] = event
        for event in newest.values():
            if self._note_last_event(chat_id, thread, event):
                changes.chats.add(chat_id)  # the row shows it even when the thread held it
        if old is not None and self.pushed_since(chat_id, "thread", since):
            thread = keep_thread_state(old, thread)
        thread = thread.model_copy(update={"events": events})
        if thread == old:
            return changes
        loaded[thread.id] = thread
        changes.thread_changed(chat_id, thread.id)
        changes.chats.add(chat_id)
        return changes

    def _add_event(self, chat_id: str, thread_id: str, event: Any) -> Changes:
        from lcconsole.wire.compact_events import compact

        if not getattr(event, "id", None):
            return Changes()
        changes = Changes()
        held = compact(event)  # as the thread holds it; the index and the summary keep the model
        thread = self.threads.get(chat_id, {}).get(thread_id)
        if (
            thread is not None
            and self.known.get(chat_id, event.id) is None
            and (not thread.events or order_of(thread.events[-1]) <= order_of(event))
        ):  # a new event at the end (the common push): thread events are kept sorted by order
            thread.events.append(held)
            changes.event_changed(chat_id, thread_id, event.id)
        elif thread is not None:
            events = [e for e in thread.events if e.id != event.id]
            if len(events) == len(thread.events) or any(e.id == event.id and e != event for e in thread.events):
                events.append(held)
                thread.events = sorted(events, key=order_of)
                changes.event_changed(chat_id, thread_id, event.id)
        known = self.known.get(chat_id, event.id)
        if isinstance(known, EventStub):  # remembered from a summary: compare with its copy
            known = self._summary_event(chat_id, event.id) or known
        if known is None or known != event:
            if known is None:
                changes.update(self._remember(chat_id, event))
            else:
                self.known.put(chat_id, event)
            if chat_id in self.chats:
                self._note_last_event(chat_id, thread, event, thread_id)
                changes.chats.add(chat_id)
        return changes

    def _summary_event(self, chat_id: str, event_id: str) -> Any | None:
        summary = self.chats.get(chat_id)
        for last in summary.last_event_per_type.values() if summary else ():
            if last.event is not None and getattr(last.event, "id", None) == event_id:
                return last.event
        return None

    def _note_last_event(self, chat_id: str, thread: Thread | None, event: Any, thread_id: str | None = None) -> bool:
        """Make `event` its type's last event in the chat's summary when it is newer (or a new
        copy of it); True when the summary changed."""
        from lcconsole.wire.compact_events import as_model
        from lcconsole.wire.objects import LastEvent

        summary = self.chats.get(chat_id)
        if summary is None or not event.type:
            return False
        thread_id = thread_id or (thread.id if thread else None)
        thread_order = thread.order if thread else self._thread_order(chat_id, thread_id)
        current = summary.last_event_per_type.get(event.type)
        if (
            current is not None
            and current.event is not None
            and (
                current.event.id == event.id
                and current.event == event
                or newer_last(
                    current, LastEvent.model_construct(thread_id=thread_id, thread_order=thread_order, event=event)
                )
            )
        ):
            return False
        entry = LastEvent(thread_id=thread_id, thread_order=thread_order, event=as_model(event))
        with self.chats.edit(chat_id) as summary:
            summary.last_event_per_type[event.type] = entry
        return True

    def _thread_order(self, chat_id: str, thread_id: str | None) -> int | None:
        """The order of a thread the store knows of without having loaded it (None: unknown)."""
        order = self._thread_orders.get(chat_id, {}).get(thread_id or "")
        if order is None:
            last = self.chats[chat_id].last_thread_summary
            if last is not None and last.id and last.id == thread_id:
                order = last.order
        return order
