"""Customer and console-wide actions of the main screen: customers, start chat, browsers,
multicast and the routing status."""

from __future__ import annotations

import time
from typing import Any

from textual import work

from lcconsole.ui.screens.actions import m


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

    @work(group="action", exit_on_error=False)
    async def action_earlier_chats(self) -> None:
        """The customer's earlier (archived) threads: pick one, preview it, open its chat."""
        from lcconsole.ui.modals.archives_browser import chat_of

        chat_id = self._chat()
        customer = self.store.customer_of(chat_id) if chat_id else None
        if customer is None:
            return
        key = customer.email or customer.name or customer.id
        ok, response = await self.api(
            "earlier chats", self.gateway.archives(filters={"query": key}, pagination={"limit": 100})
        )
        if not ok:
            return
        chats = [
            c for c in map(chat_of, response.chats or []) if any(getattr(u, "id", None) == customer.id for u in c.users)
        ]
        if not chats:
            self.notify("no earlier chats of this customer", timeout=3)
            return
        choices = []
        for chat in chats:
            thread = chat.thread
            first = next((e.text for e in (thread.events if thread else []) if getattr(e, "text", None)), "")
            stamp = getattr(thread, "timestamp", None) if thread else None
            when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(stamp)) if stamp else ""
            choices.append((when or "?", f"{chat.id} · {getattr(thread, 'id', '') or ''} · {first}"))
        picked = await self.ask(
            m.CopyPickerModal(choices, title="Earlier chats of " + (customer.name or key), label_width=17)
        )
        if picked is None:
            return
        chat = chats[[text for _, text in choices].index(picked)]
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
