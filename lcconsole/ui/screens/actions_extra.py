"""Actions only some API versions offer (`Gateway.capabilities`): the AI summary of a thread, a
thinking indicator, the visitors on the website, and the transfer picker fed by the server's
list of agents who can take the chat (with their active chats)."""

from __future__ import annotations

from typing import Any

from textual import work

from lcconsole.ui.changes import Changes
from lcconsole.ui.screens.actions import m


class ExtraActionsMixin:
    """Handlers relying on the main screen's store, gateway, `api()` and `ask()` helpers."""

    _visitors_modal: Any = None

    assumed_capabilities: frozenset[str] | None = None
    """What the screen offers before a connection says (None: every action)."""

    def capabilities(self) -> frozenset[str] | None:
        """The connection's capabilities (`gateway.Capability` values), else the assumed ones."""
        offered = self.sync.capabilities()
        return offered if offered is not None else self.assumed_capabilities

    def offers(self, capability: str) -> bool:
        """Whether the connection supports `capability` (a `gateway.Capability` value)."""
        return self.sync.offers(capability)

    def is_offered(self, action: str) -> bool:
        """Whether the screen action `action` is offered by this connection (check_action)."""
        from lcconsole.ui.keymap import ACTIONS, offered

        capabilities = self.capabilities()
        if capabilities is None:
            return True
        return all(offered(spec.id, capabilities) for spec in ACTIONS if spec.action.split("(")[0] == action)

    def _offered(self, capability: str, what: str) -> bool:
        if getattr(self, "session_ready", False) and not self.offers(capability):
            self.notify(f"{what} is not available in this API version", severity="warning", timeout=4)
            return False
        return True

    @work(group="action", exit_on_error=False)
    async def action_request_summary(self) -> None:
        """Ask for an AI summary of the open chat's current thread; it appears in the thread."""
        chat_id = self._chat() if self._offered("thread_summary", "The AI summary") else None
        thread_id = self.current_thread_id() if chat_id else None
        if not chat_id or not thread_id:
            return
        if await self.commands.request_summary(chat_id, thread_id):
            self.notify("AI summary requested: it appears in the thread", timeout=3)

    @work(group="action", exit_on_error=False)
    async def action_send_thinking(self) -> None:
        """ThinkingModal -> show the customer that an answer is being prepared."""
        chat_id = self._chat() if self._offered("thinking_indicator", "The thinking indicator") else None
        if not chat_id:
            return
        shown = await self.ask(m.ThinkingModal())
        if shown is not None:
            title, description = shown
            if await self.commands.thinking(chat_id, title, description):
                self.notify("the customer sees that you are preparing an answer", timeout=3)

    # --- visitors -------------------------------------------------------------------------------

    def visitors(self) -> list[Any]:
        """The visitors on the website now, from the store."""
        from lcconsole.ui.modals.visitors import visitors_of

        customers = self.store.customers
        return visitors_of(customers[c] for c in self.store.visitor_ids if c in customers)

    def on_visitor_changes(self, changes: Changes) -> None:
        """Keep an open visitors list current (store listener)."""
        if self._visitors_modal is not None and changes.customers:
            self._visitors_modal.set_visitors(self.visitors())

    @work(group="action", exit_on_error=False)
    async def action_visitors(self) -> None:
        """The visitors on the website (live while open); Enter starts a chat with one."""
        from lcconsole.ui.store_extras import apply_visitors_seen

        if not getattr(self, "session_ready", False) or not self._offered("visitors", "The visitors view"):
            return
        ok, watched = await self.api("visitors", self.gateway.watch_visitors())
        if not ok:
            return
        subscription, customers = watched
        self.store.emit(apply_visitors_seen(self.store, customers))
        self._visitors_modal = m.VisitorsModal(self.visitors())
        try:
            customer = await self.ask(self._visitors_modal)
        finally:
            self._visitors_modal = None
            await self.api("visitors", self.gateway.unwatch_visitors(subscription))
        if customer is None:
            return
        request = await self.ask(
            m.StartChatModal(self.commands.search_customers, self.known_groups(), self.known_tags(), customer=customer)
        )
        if request is None:
            return
        self._select(await self.commands.start_chat(request))

    # --- transfer -------------------------------------------------------------------------------

    async def transfer_modal(self, chat_id: str) -> Any:
        """The transfer picker: with the server's candidates and their load when it tells them
        (None when that list could not be read)."""
        active_chats = None
        if self.offers("transfer_candidates"):
            active_chats = await self.commands.transfer_candidates(chat_id)
            if active_chats is None:
                return None
        return m.TransferModal(
            list(self.store.agents.values()),
            self.known_groups(),
            exclude_agent_ids=[self.store.my_id],
            active_chats=active_chats,
        )
