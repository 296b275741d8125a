"""Customer and console-wide actions of the main screen: customers, start chat, browsers,
multicast and the routing status."""

from __future__ import annotations

import asyncio
from typing import Any

from textual import work

from lcconsole.ui.screens.actions import m
from lcconsole.ui.widgets.customer_panel import format_when, visit_summary, visit_text

EARLIER_DELAY = 0.3  # seconds a chat stays shown before its customer's earlier chats are fetched


def earlier_line(chat: Any) -> tuple[str, str, str]:
    """(when, thread id, first message) of one archived thread."""
    thread = chat.thread
    first = next((e.text for e in (thread.events if thread else []) if getattr(e, "text", None)), "")
    when = format_when(getattr(thread, "timestamp", None) if thread else None) or "?"
    return when, (getattr(thread, "id", "") if thread else "") or "", first


class ConsoleActionsMixin:
    """Actions that are not about one chat's thread (or are about its customer)."""

    # --- customers ------------------------------------------------------------------------------

    def _customer(self) -> Any:
        chat_id = self._chat()
        customer = self.store.customer_of(chat_id) if chat_id else None
        if chat_id and customer is None:
            self.notify("this chat has no customer", severity="warning")
        return customer

    def on_customer_panel_edit_requested(self, message: Any) -> None:
        self.run_action("edit_customer")

    def on_properties_panel_edit_requested(self, message: Any) -> None:
        """The properties pane's own keys: chat/thread properties, tags, access, users."""
        actions = {
            "chat_properties": "property('chat', False)",
            "thread_properties": "property('thread', False)",
            "event_properties": "property('event', False)",
            "tags": "tag",
            "access": "access('grant')",
            "users": "add_user",
        }
        action = actions.get(getattr(message, "kind", ""))
        if action:
            self.run_action(action)

    @work(group="action", exit_on_error=False)
    async def action_edit_customer(self) -> None:
        """CustomerModal -> the customer's new details."""
        customer = self._customer()
        if customer is None:
            return
        data = await self.ask(m.CustomerModal(customer))
        if data is not None:
            await self.commands.update_customer(data)

    @work(group="action", exit_on_error=False)
    async def action_new_customer(self) -> None:
        """CustomerModal(None) -> a new customer."""
        if not self.session_ready:
            return
        data = await self.ask(m.CustomerModal(None))
        customer = await self.commands.new_customer(data) if data is not None else None
        if customer is not None:
            self.notify(f"customer created: {customer.id}", timeout=4)

    @work(group="action", exit_on_error=False)
    async def action_ban_customer(self) -> None:
        """BanModal (asks and picks days) -> ban the customer."""
        customer = self._customer()
        if customer is None:
            return
        days = await self.ask(m.BanModal(customer))
        if days and await self.commands.ban(customer, days):
            self.notify(f"banned for {days} days", timeout=3)

    @work(group="action", exit_on_error=False)
    async def action_start_chat(self) -> None:
        """StartChatModal -> start a chat, then open it."""
        if not self.session_ready:
            return
        request = await self.ask(
            m.StartChatModal(self.commands.search_customers, self.known_groups(), self.known_tags())
        )
        if request is None:
            return
        self._select(await self.commands.start_chat(request))

    def _select(self, chat_id: str | None) -> None:
        from lcconsole.ui.widgets.chat_list import ChatList

        if chat_id:
            self.query_one(ChatList).selected_chat_id = chat_id
            self.open_chat(chat_id)

    @work(group="action", exit_on_error=False)
    async def action_customers(self) -> None:
        """The customers browser (every customer-list filter); opens the picked customer's chat."""
        if not self.session_ready:
            return
        customer = await self.ask(m.CustomersBrowser(self.gateway.customers))
        if customer is None or not getattr(customer, "id", None):
            return
        self.store.put_customer(customer)
        chats = sorted(self.store.chats_of_customer(customer.id))
        if chats:
            self._select(max(chats, key=lambda cid: self.store.chats[cid].order or 0))
        else:
            self.notify(f"{customer.name or customer.id} has no chat here; S starts one", timeout=5)

    @work(group="action", exit_on_error=False)
    async def action_archives(self) -> None:
        """The archives browser (every archive filter); opens the chat it returns."""
        if not self.session_ready:
            return
        chat_id = await self.ask(
            m.ArchivesBrowser(
                self.gateway.archives, agents=list(self.store.agents.values()), groups=self.known_groups()
            )
        )
        if chat_id:
            if chat_id not in self.store.chats:
                await self.sync.fetch_latest(chat_id)
            self._select(chat_id)

    async def earlier_chats(self, customer: Any, *, quiet: bool = False) -> list[Any] | None:
        """The customer's archived threads (one chat per thread, newest first), remembered for
        the details pane; None when the archives failed (notified unless `quiet`)."""
        from lcconsole.errors import LiveChatError

        call = self.gateway.customer_archives(customer)
        if quiet:
            try:
                chats = await call
            except LiveChatError:
                return None
        else:
            ok, chats = await self.api("earlier chats", call)
            if not ok:
                return None
        self.earlier[customer.id] = [earlier_line(chat) for chat in chats]
        return chats

    @work(group="earlier", exclusive=True, exit_on_error=False)
    async def load_earlier(self, customer: Any) -> None:
        """Fill the details pane's earlier chats of the customer shown (once per customer)."""
        await asyncio.sleep(EARLIER_DELAY)  # the cursor may only be passing through
        shown = self.store.customer_of(self.current_chat_id or "")
        if shown is None or shown.id != customer.id:
            return
        if customer.id not in self.earlier and await self.earlier_chats(customer, quiet=True) is not None:
            self.show_details()

    @work(group="action", exit_on_error=False)
    async def action_earlier_chats(self) -> None:
        """The customer's earlier (archived) threads and last visit: pick a thread to preview it
        and open its chat, or the visit to read it whole (every page's URL copyable)."""
        chat_id = self._chat()
        customer = self.store.customer_of(chat_id) if chat_id else None
        if customer is None:
            return
        chats = await self.earlier_chats(customer)
        self.show_details()
        if chats is None:
            return
        visit = customer.last_visit
        if not chats and visit is None:
            self.notify("no earlier chats or visits of this customer", timeout=3)
            return
        who = customer.name or customer.email or customer.id
        choices = [
            (when, f"{chat.id} · {thread_id} · {first}")
            for chat, (when, thread_id, first) in zip(chats, self.earlier[customer.id], strict=True)
        ]
        if visit is not None:
            choices.append((format_when(visit.started_at) or "?", visit_summary(visit)))
        picked = await self.ask(
            m.CopyPickerModal(choices, title=f"Earlier chats and the last visit of {who}", label_width=17)
        )
        if picked is None:
            return
        index = [text for _, text in choices].index(picked)
        if index == len(chats):  # the visit: whole, every URL selectable and copyable
            self.app.push_screen(
                m.MessageViewerModal(f"Last visit of {who}", visit_text(visit), lambda text: self.copy_text(text, ""))
            )
            return
        chat = chats[index]
        if await self.ask(m.ThreadPreviewModal(chat)):
            if chat.id not in self.store.chats:
                await self.sync.fetch_latest(chat.id)
            self._select(chat.id)

    @work(group="action", exit_on_error=False)
    async def action_multicast(self) -> None:
        """MulticastModal -> a message to agents."""
        if not self.session_ready:
            return
        request = await self.ask(m.MulticastModal(list(self.store.agents.values()), self.known_groups()))
        if request is not None and await self.commands.multicast(request):
            self.notify("multicast sent", timeout=2)

    @work(group="routing", exclusive=True, exit_on_error=False)
    async def action_toggle_away(self) -> None:
        """Away (routing gives me no chats) <-> back."""
        from lcconsole.ui.status import StatusBar

        gateway = self.session.gateway if self.session is not None else None
        if not self.session_ready or gateway is None:
            self.notify("not connected yet", severity="warning", timeout=3)
            return
        status = self.query_one(StatusBar)
        away = not status.away
        if await self.commands.set_away(away):
            status.away = away
            self.notify("away: no new chats are routed to you" if away else "back from away", timeout=2)

    @work(group="routing", exclusive=True, exit_on_error=False)
    async def action_toggle_routing(self) -> None:
        """My routing status: accepting_chats <-> not_accepting_chats."""
        me = self.store.me
        if not self.session_ready or me is None:
            return
        new = "not_accepting_chats" if me.routing_status == "accepting_chats" else "accepting_chats"
        if not await self.ask(
            m.ConfirmModal(
                "Routing status",
                "Stop accepting new chats?" if new == "not_accepting_chats" else "Start accepting new chats?",
                confirm_label="Stop" if new == "not_accepting_chats" else "Accept chats",
            )
        ):
            return
        await self.commands.set_routing(new)
