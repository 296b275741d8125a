"""Store -> panes: the title, customer and properties panes, the transcript (with outbox
entries), the typing line, the status bar's agent and routing status, new-chat toasts."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual.widgets import Static

from lcconsole.ui.status import StatusBar
from lcconsole.ui.text import one_line
from lcconsole.ui.viewmodels import pending_entry
from lcconsole.ui.widgets._chat_rows import format_age
from lcconsole.ui.widgets.chat_list import ChatList
from lcconsole.ui.widgets.composer import Composer
from lcconsole.ui.widgets.customer_panel import CustomerPanel
from lcconsole.ui.widgets.properties_panel import PropertiesPanel
from lcconsole.ui.widgets.transcript import Transcript

ANNOUNCE_EVERY = 5.0  # seconds between "new chat" toasts


class PanesMixin:
    """Painting the open chat and the status bar from the store (the main screen's half)."""

    def _announce(self, chat_ids: list[str]) -> None:
        """A short toast for new chats (at most one every few seconds: busy sites stay calm)."""
        now = time.monotonic()
        if now - self._announced < ANNOUNCE_EVERY:
            return
        self._announced = now
        names = []
        for chat_id in chat_ids:
            customer = self.store.customer_of(chat_id)
            names.append((customer.name or customer.email or customer.id) if customer else chat_id)
        self.notify("new chat: " + one_line(", ".join(n or "" for n in names), 80), timeout=3)

    def show_profile(self) -> None:
        """Agent name and routing status in the status bar."""
        status = self.query_one(StatusBar)
        me = self.store.me
        status.agent = (me.name or me.id or "") if me else ""
        status.routing = (me.routing_status or "") if me else ""

    def show_details(self) -> None:
        """Title, customer pane and properties pane of the open chat."""
        chat_id = self.current_chat_id
        summary = self.store.chats.get(chat_id or "")
        customer = self.store.customer_of(chat_id) if chat_id else None
        title = self.query_one("#chat-title", Static)
        if summary is None:
            title.update(Text(""))
        else:
            thread = summary.last_thread_summary
            state = "open" if thread and thread.active else "closed"
            if state == "open":
                state = self.queue_state(chat_id) or state
            name = one_line((customer.name or customer.email or customer.id) if customer else "chat", 60)
            tags = f" · {one_line(', '.join(thread.tags), 80)}" if thread and thread.tags else ""
            follow = " · followed" if summary.is_followed else ""
            title.update(Text(f"{name} · {one_line(chat_id or '', 20)} · {state}{tags}{follow}"))
        self.query_one(Composer).target = (customer.name or customer.email or customer.id or "") if customer else ""
        earlier = self.console_actions.earlier.get(customer.id) if customer is not None else None
        self.query_one(CustomerPanel).show(customer, earlier=earlier)
        if customer is not None and earlier is None:
            self.console_actions.want_earlier(customer)
        self.query_one(PropertiesPanel).show(
            summary, self.store.current_thread(chat_id or ""), group_label=self.store.group_label
        )

    def queue_state(self, chat_id: str) -> str:
        """ "queued · 2 of 5 · waiting 3m" for a queued chat (oldest waiting first), else ""."""
        items = self.query_one(ChatList).items
        item = items.get(chat_id)
        if item is None or item.section != "queued":
            return ""
        queue = sorted(
            (i for i in items.values() if i.section == "queued"),
            key=lambda i: (i.waiting_since is None, i.waiting_since or 0, i.chat_id),
        )
        position = next(n for n, i in enumerate(queue, 1) if i.chat_id == chat_id)
        waited = (
            f" · waiting {format_age(max(0.0, self.app.clock() - item.waiting_since))}"
            if item.waiting_since is not None
            else ""
        )
        return f"queued · {position} of {len(queue)}{waited}"

    def pending_entries(self, chat_id: str) -> list[Any]:
        """The outbox's pending and failed sends of a chat not yet known as events."""
        entries: list[Any] = []
        thread = None
        for entry in self.outbox.for_chat(chat_id):
            if self.store.find_custom_id(chat_id, entry.custom_id) is not None:
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

    def show_transcript(self, delta: tuple[set[str], dict[str, set[str]]] | None = None, rebuild: bool = False) -> None:
        """Bring the transcript in step with the store and the outbox: the open chat's entries
        are built when it was just opened (or with `rebuild`); otherwise only what `delta`
        (changed thread ids, thread id -> changed event ids) names and the outbox's entries
        are, and the widget appends or replaces them."""
        chat_id = self.current_chat_id
        self.feed.show(
            self.query_one(Transcript),
            self.store,
            chat_id,
            self.pending_entries(chat_id) if chat_id else (),
            delta,
            rebuild,
        )

    def show_typing(self) -> None:
        """The customer's typing indicator / sneak peek."""
        typing = self.store.typing_in(self.current_chat_id or "")
        if typing is None:
            self.query_one(Transcript).set_typing(None)
            return
        who = self.store.chat_users(self.current_chat_id or "").get(typing.author_id)
        name = getattr(who, "name", None) or ("customer" if typing.kind == "typing" else typing.author_id)
        text = f"{name} is {typing.kind}…" + (f" {typing.text}" if typing.text else "")
        self.query_one(Transcript).set_typing(text)
