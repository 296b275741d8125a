"""Store -> widgets: the chat-list rows, the open chat's title, details panes, transcript (with
the outbox's entries) and typing line, and the status bar's agent fields.

The main screen builds one `Painter` when it is mounted, handing it the widgets it paints; until
then nothing is painted (the first paint covers everything the store holds). The painter reads;
it never calls the server or changes the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import Static

from lcconsole.ui.chat_items import ChatListItem, chat_list_item
from lcconsole.ui.text import one_line
from lcconsole.ui.viewmodels import pending_entry
from lcconsole.ui.widgets._chat_rows import format_age

if TYPE_CHECKING:
    from lcconsole.ui.changes import Changes
    from lcconsole.ui.controllers.console_actions import ConsoleActions
    from lcconsole.ui.controllers.notices import Notices
    from lcconsole.ui.freshness import Freshness
    from lcconsole.ui.persist import Drafts, Outbox, UnreadMarks
    from lcconsole.ui.status import StatusBar
    from lcconsole.ui.store import Store
    from lcconsole.ui.transcript_feed import TranscriptFeed
    from lcconsole.ui.widgets.chat_list import ChatList
    from lcconsole.ui.widgets.composer import Composer
    from lcconsole.ui.widgets.customer_panel import CustomerPanel
    from lcconsole.ui.widgets.properties_panel import PropertiesPanel
    from lcconsole.ui.widgets.transcript import Transcript


@dataclass(frozen=True)
class Panes:
    """The widgets the painter paints."""

    chat_list: ChatList
    list_state: Static
    title: Static
    transcript: Transcript
    composer: Composer
    customer: CustomerPanel
    properties: PropertiesPanel
    status: StatusBar


@dataclass(frozen=True)
class Sources:
    """What the painter reads besides the store: the console's own state of each chat."""

    freshness: Freshness
    drafts: Drafts
    outbox: Outbox
    unread_marks: UnreadMarks
    notices: Notices
    console_actions: ConsoleActions  # the customers' earlier chats
    feed: TranscriptFeed  # the open chat's transcript entries
    clock: Callable[[], float]


def new_chats_text(store: Store, chat_ids: Iterable[str]) -> str:
    """ "new chat: Ann, Bob" for a toast."""
    names = []
    for chat_id in chat_ids:
        customer = store.customer_of(chat_id)
        names.append((customer.name or customer.email or customer.id) if customer else chat_id)
    return "new chat: " + one_line(", ".join(n or "" for n in names), 80)


class Painter:
    """Paints what a store change touched (`paint`), or one part of the open chat."""

    def __init__(self, store: Store, panes: Panes, sources: Sources) -> None:
        self.store = store
        self.panes = panes
        self.sources = sources

    # --- the chat list ----------------------------------------------------------------------------

    def chat_item(self, chat_id: str) -> ChatListItem:
        """The chat-list row of a chat, from the store."""
        return self._row(chat_id, self.panes.chat_list.items.get(chat_id), self.store.my_id)

    def _row(self, chat_id: str, previous: ChatListItem | None, my_id: str) -> ChatListItem:
        """`chat_item`, given the row shown now and my id (read once per resync page)."""
        store, sources = self.store, self.sources
        thread = store.current_thread(chat_id)
        item = chat_list_item(  # the store counts unread (so no last-seen time is needed)
            store.chats[chat_id],
            my_id,
            unread=store.unread(chat_id),
            previous=previous,
            history=thread.events if thread else (),
            marked_unread=chat_id in sources.unread_marks,
            chat_id=chat_id,
        )
        as_of = sources.freshness.as_of(chat_id, item.section)
        if as_of is not None:
            item = replace(item, as_of=as_of)
        typing = store.typing.current(chat_id)
        customer = store.customer_of(chat_id) if typing is not None else None
        is_typing = customer is not None and typing is not None and typing.author_id == customer.id
        has_draft = bool(sources.drafts.get(chat_id).strip())
        if is_typing or has_draft:
            item = replace(item, typing=is_typing, draft=has_draft)
        return item

    def repaint_row(self, chat_id: str) -> None:
        """Rebuild one chat's row (its marks changed)."""
        if chat_id in self.store.chats:
            self.panes.chat_list.upsert(self.chat_item(chat_id))

    def show_list_state(self) -> None:
        """The active filter and a non-default sort, shown under the filter until cleared."""
        chat_list = self.panes.chat_list
        parts = []
        if chat_list.filter_text.strip():
            parts.append(f"filter: {one_line(chat_list.filter_text, 40)} (esc clears)")
        if chat_list.sort_mode != "waiting":
            parts.append("sorted by last activity (s)")
        state = self.panes.list_state
        state.update(" · ".join(parts))
        state.display = bool(parts)

    # --- a store change ---------------------------------------------------------------------------

    def paint(self, changes: Changes, chat_id: str | None, *, synced: bool) -> list[str]:
        """Repaint exactly what `changes` touched (`chat_id` is the open chat; after the first
        resync, `synced`, rows are weighed for notices); returns the chats new to the list."""
        store, chat_list, notices = self.store, self.panes.chat_list, self.sources.notices
        for removed in changes.removed:
            chat_list.remove(removed)
        chats, shown, my_id = store.chats, chat_list.items, store.my_id
        new_rows: list[str] = []
        rows = []  # only the changed rows are rebuilt; the list re-lays out once (a resync page)
        for changed in changes.chats:
            if changed in chats:
                previous = shown.get(changed)
                if previous is None:
                    new_rows.append(changed)
                item = self._row(changed, previous, my_id)
                rows.append(item)
                if synced:
                    notices.note_row(changed, previous, item, changed in changes.new_event_chats)
        chat_list.upsert_many(rows)
        notices.flush()
        if chat_id and chat_id in changes.chats:
            self.show_details(chat_id)
        if chat_id and chat_id in changes.transcripts:
            delta = changes.transcript_delta(chat_id)
            self.show_transcript(chat_id, delta, rebuild=delta is None)
        elif chat_id and chat_id in changes.chats:
            self.show_transcript(chat_id)  # only names can have changed (cheap to check)
        if chat_id and chat_id in changes.typing:
            self.show_typing(chat_id)
        for typing in changes.typing - changes.chats:  # the row's typing marker
            if typing in chat_list.items:
                self.repaint_row(typing)
        if changes.profile:
            self.show_profile()
        return new_rows

    # --- the open chat ----------------------------------------------------------------------------

    def show_profile(self) -> None:
        """Agent name and routing status in the status bar."""
        status, me = self.panes.status, self.store.me
        status.agent = (me.name or me.id or "") if me else ""
        status.routing = (me.routing_status or "") if me else ""

    def show_details(self, chat_id: str | None) -> None:
        """Title, customer pane and properties pane of the open chat (its customer's earlier chats
        are asked for once)."""
        summary = self.store.chats.get(chat_id or "")
        customer = self.store.customer_of(chat_id) if chat_id else None
        if summary is None:
            self.panes.title.update(Text(""))
        else:
            thread = summary.last_thread_summary
            state = "open" if thread and thread.active else "closed"
            if state == "open":
                state = self.queue_state(chat_id or "") or state
            name = one_line((customer.name or customer.email or customer.id or "") if customer else "chat", 60)
            tags = f" · {one_line(', '.join(thread.tags), 80)}" if thread and thread.tags else ""
            follow = " · followed" if summary.is_followed else ""
            self.panes.title.update(Text(f"{name} · {one_line(chat_id or '', 20)} · {state}{tags}{follow}"))
        self.panes.composer.target = (customer.name or customer.email or customer.id or "") if customer else ""
        actions = self.sources.console_actions
        earlier = actions.earlier.get(customer.id or "") if customer is not None else None
        self.panes.customer.show(customer, earlier=earlier)
        if customer is not None and earlier is None:
            actions.want_earlier(customer)
        loaded = self.store.current_thread(chat_id or "")
        self.panes.properties.show(summary, loaded, group_label=self.store.group_label)

    def queue_state(self, chat_id: str) -> str:
        """ "queued · 2 of 5 · waiting 3m" for a queued chat (oldest waiting first), else ""."""
        items = self.panes.chat_list.items
        item = items.get(chat_id)
        if item is None or item.section != "queued":
            return ""
        queue = sorted(
            (i for i in items.values() if i.section == "queued"),
            key=lambda i: (i.waiting_since is None, i.waiting_since or 0, i.chat_id),
        )
        position = next(n for n, i in enumerate(queue, 1) if i.chat_id == chat_id)
        waited = (
            f" · waiting {format_age(max(0.0, self.sources.clock() - item.waiting_since))}"
            if item.waiting_since is not None
            else ""
        )
        return f"queued · {position} of {len(queue)}{waited}"

    def pending_entries(self, chat_id: str) -> list[Any]:
        """The outbox's pending and failed sends of a chat not yet known as events."""
        entries: list[Any] = []
        thread = None
        for entry in self.sources.outbox.for_chat(chat_id):
            if self.store.known.find_custom_id(chat_id, entry.custom_id) is not None:
                continue
            if thread is None:
                thread = self.store.current_thread(chat_id)
            text = entry.text or f"[{entry.kind}] {entry.path}"
            entries.append(
                pending_entry(
                    entry.custom_id,
                    thread.id if thread and thread.id else "",
                    text,
                    note=entry.kind == "note",
                    error=entry.error if entry.state == "failed" else None,
                    timestamp=entry.created,
                )
            )
        return entries

    def show_transcript(
        self,
        chat_id: str | None,
        delta: tuple[set[str], dict[str, set[str]]] | None = None,
        rebuild: bool = False,
    ) -> None:
        """Bring the transcript in step with the store and the outbox: the open chat's entries
        are built when it was just opened (or with `rebuild`); otherwise only what `delta`
        (changed thread ids, thread id -> changed event ids) names and the outbox's entries
        are, and the widget appends or replaces them."""
        pending = self.pending_entries(chat_id) if chat_id else ()
        self.sources.feed.show(self.panes.transcript, self.store, chat_id, pending, delta, rebuild)

    def show_typing(self, chat_id: str | None) -> None:
        """The customer's typing indicator / sneak peek."""
        typing = self.store.typing.current(chat_id or "")
        if typing is None:
            self.panes.transcript.set_typing(None)
            return
        who = self.store.chat_users(chat_id or "").get(typing.author_id)
        name = getattr(who, "name", None) or ("customer" if typing.kind == "typing" else typing.author_id)
        text = f"{name} is {typing.kind}…" + (f" {typing.text}" if typing.text else "")
        self.panes.transcript.set_typing(text)

    def show_new_marker(self, chat_id: str) -> None:
        """The "new" line above the first event after my last-seen time (not mine)."""
        seen = self.store.my_last_seen(chat_id) or 0
        first_new = None
        for thread in self.store.loaded_threads(chat_id):
            for event in thread.events:
                if (event.timestamp or 0) > seen and event.author_id != self.store.my_id:
                    first_new = event.order
                    break
            if first_new is not None:
                break
        self.panes.transcript.set_new_marker(first_new)
