"""Console actions: the flows that are not about one chat's thread — its customer (edit, ban,
earlier chats), customers and chats found elsewhere (browsers, visitors, start chat), messages to
agents and my own routing status.

Like `ChatActions`, each asks in a modal, calls a `ChatCommands` command and says what happened;
the screen knows them only as an `ActionsView`.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from lcconsole.errors import LiveChatError
from lcconsole.ui.clock import format_when
from lcconsole.ui.controllers.screen_view import ActionsView, known_groups, m, open_chat_id, opens_modal
from lcconsole.ui.widgets.customer_panel import visit_summary, visit_text

if TYPE_CHECKING:
    from lcconsole.ui.changes import Changes
    from lcconsole.ui.controllers.chat_commands import ChatCommands

EARLIER_DELAY = 0.3  # seconds a chat stays shown before its customer's earlier chats are fetched


def earlier_line(chat: Any) -> tuple[str, str, str]:
    """(when, thread id, first message) of one archived thread."""
    thread = chat.thread
    first = next((e.text for e in (thread.events if thread else []) if getattr(e, "text", None)), "")
    when = format_when(getattr(thread, "timestamp", None) if thread else None) or "?"
    return when, (getattr(thread, "id", "") if thread else "") or "", first


class ConsoleActions:
    """Customers, browsers, visitors, multicast and routing; `earlier` keeps each customer's
    archived threads for the details pane."""

    def __init__(self, commands: ChatCommands, view: ActionsView) -> None:
        self.commands = commands
        self.sync = commands.sync
        self.store = commands.store
        self.view = view
        self.earlier: dict[str, list[tuple[str, str, str]]] = {}  # customer -> archived threads
        self._earlier_for: str | None = None  # the customer whose earlier chats load now
        self._visitors_modal: Any = None
        self.away = False
        self.store.subscribe(self.on_visitor_changes)

    @property
    def gateway(self) -> Any:
        return self.sync.gateway

    def _customer(self) -> Any:
        """The open chat's customer, or None (with a hint)."""
        chat_id = open_chat_id(self.sync, self.view)
        customer = self.store.customer_of(chat_id) if chat_id else None
        if chat_id and customer is None:
            self.view.notify("this chat has no customer", severity="warning")
        return customer

    # --- the open chat's customer -----------------------------------------------------------------

    @opens_modal
    async def edit_customer(self) -> None:
        """CustomerModal -> the customer's new details."""
        customer = self._customer()
        if customer is None:
            return
        data = await self.view.ask(m.CustomerModal(customer))
        if data is not None:
            await self.commands.update_customer(data)

    @opens_modal
    async def ban_customer(self) -> None:
        """BanModal (asks and picks days) -> ban the customer."""
        customer = self._customer()
        if customer is None:
            return
        days = await self.view.ask(m.BanModal(customer))
        if days and await self.commands.ban(customer, days):
            self.view.notify(f"banned for {days} days", timeout=3)

    async def earlier_chats(self, customer: Any, *, quiet: bool = False) -> list[Any] | None:
        """The customer's archived threads (one chat per thread, newest first), remembered for
        the details pane; None when the archives failed (notified unless `quiet`)."""
        call = self.gateway.customer_archives(customer)
        if quiet:
            try:
                chats = await call
            except LiveChatError:
                return None
        else:
            ok, chats = await self.commands.call("earlier chats", call)
            if not ok:
                return None
        self.earlier[customer.id] = [earlier_line(chat) for chat in chats]
        return list(chats)

    def want_earlier(self, customer: Any) -> None:
        """The details pane shows `customer` without their earlier chats: fetch them shortly
        (once per customer shown, however often)."""
        if customer.id in self.earlier or not self.sync.lifecycle.can_call or self._earlier_for == customer.id:
            return
        self._earlier_for = customer.id
        self.view.spawn(self.load_earlier(customer), group="earlier", exclusive=True)

    async def load_earlier(self, customer: Any) -> None:
        """Fill the details pane's earlier chats of the customer shown."""
        await asyncio.sleep(EARLIER_DELAY)  # the cursor may only be passing through
        shown = self.store.customer_of(self.view.current_chat_id or "")
        if shown is None or shown.id != customer.id:
            return
        if customer.id not in self.earlier and await self.earlier_chats(customer, quiet=True) is not None:
            self.view.show_details()

    @opens_modal
    async def browse_earlier(self) -> None:
        """The customer's earlier (archived) threads and last visit: pick a thread to preview it
        and open its chat, or the visit to read it whole (every page's URL copyable)."""
        chat_id = open_chat_id(self.sync, self.view)
        customer = self.store.customer_of(chat_id) if chat_id else None
        if customer is None:
            return
        chats = await self.earlier_chats(customer)
        self.view.show_details()
        if chats is None:
            return
        visit = customer.last_visit
        if not chats and visit is None:
            self.view.notify("no earlier chats or visits of this customer", timeout=3)
            return
        who = customer.name or customer.email or customer.id
        choices = [
            (when, f"{chat.id} · {thread_id} · {first}")
            for chat, (when, thread_id, first) in zip(chats, self.earlier[customer.id or ""], strict=True)
        ]
        if visit is not None:
            choices.append((format_when(visit.started_at) or "?", visit_summary(visit)))
        title = f"Earlier chats and the last visit of {who}"
        picked = await self.view.ask(m.CopyPickerModal(choices, title=title, label_width=17))
        if picked is None:
            return
        index = [text for _, text in choices].index(picked)
        if index == len(chats):  # the visit: whole, every URL selectable and copyable
            copy = lambda text: self.view.copy_text(text, "")  # noqa: E731  (the viewer's copy callback)
            self.view.show_modal(m.MessageViewerModal(f"Last visit of {who}", visit_text(visit), copy))
            return
        chat = chats[index]
        if await self.view.ask(m.ThreadPreviewModal(chat)):
            await self._open(chat.id)

    # --- customers and chats found elsewhere ------------------------------------------------------

    @opens_modal
    async def new_customer(self) -> None:
        """CustomerModal(None) -> a new customer."""
        if not self.sync.lifecycle.can_call:
            return
        data = await self.view.ask(m.CustomerModal(None))
        customer = await self.commands.new_customer(data) if data is not None else None
        if customer is not None:
            self.view.notify(f"customer created: {customer.id}", timeout=4)

    @opens_modal
    async def start_chat(self, customer: Any = None) -> None:
        """StartChatModal (for `customer`, else searched) -> start a chat, then show it."""
        if not self.sync.lifecycle.can_call:
            return
        groups, tags = known_groups(self.store), self.store.known_tags()
        request = await self.view.ask(m.StartChatModal(self.commands.search_customers, groups, tags, customer=customer))
        if request is not None:
            self.view.select_chat(await self.commands.start_chat(request))

    @opens_modal
    async def customers(self) -> None:
        """The customers browser (every customer-list filter); shows the picked customer's chat."""
        if not self.sync.lifecycle.can_call:
            return
        customer = await self.view.ask(m.CustomersBrowser(self.gateway.customers))
        if customer is None or not getattr(customer, "id", None):
            return
        self.store.put_customer(customer)
        chats = sorted(self.store.chats_of_customer(customer.id))
        if chats:
            self.view.select_chat(max(chats, key=lambda cid: self.store.chats[cid].order or 0))
        else:
            self.view.notify(f"{customer.name or customer.id} has no chat here; S starts one", timeout=5)

    @opens_modal
    async def archives(self) -> None:
        """The archives browser (every archive filter); shows the chat it returns."""
        if not self.sync.lifecycle.can_call:
            return
        agents = list(self.store.agents.values())
        browser = m.ArchivesBrowser(self.gateway.archives, agents=agents, groups=known_groups(self.store))
        chat_id = await self.view.ask(browser)
        if chat_id:
            await self._open(chat_id)

    async def _open(self, chat_id: str) -> None:
        """Show a chat, read first when the store does not hold it."""
        if chat_id not in self.store.chats:
            await self.sync.fetch_latest(chat_id)
        self.view.select_chat(chat_id)

    # --- visitors ---------------------------------------------------------------------------------

    def visitors(self) -> list[Any]:
        """The visitors on the website now, from the store."""
        from lcconsole.ui.modals.visitors import visitors_of

        customers = self.store.customers
        return visitors_of(customers[c] for c in self.store.visitor_ids if c in customers)

    def on_visitor_changes(self, changes: Changes) -> None:
        """Keep an open visitors list current (store listener)."""
        if self._visitors_modal is not None and changes.customers:
            self._visitors_modal.set_visitors(self.visitors())

    @opens_modal
    async def browse_visitors(self) -> None:
        """The visitors on the website (live while open); Enter starts a chat with one."""
        from lcconsole.ui.store_extras import apply_visitors_seen

        if not self.sync.lifecycle.can_call:
            return
        if not self.sync.offers("visitors"):
            self.view.notify("The visitors view is not available in this API version", severity="warning", timeout=4)
            return
        ok, watched = await self.commands.call("visitors", self.gateway.watch_visitors())
        if not ok:
            return
        subscription, customers = watched
        self.store.emit(apply_visitors_seen(self.store, customers))
        self._visitors_modal = m.VisitorsModal(self.visitors())
        try:
            customer = await self.view.ask(self._visitors_modal)
        finally:
            self._visitors_modal = None
            await self.commands.call("visitors", self.gateway.unwatch_visitors(subscription))
        if customer is not None:
            await self.start_chat(customer)

    # --- me ---------------------------------------------------------------------------------------

    @opens_modal
    async def multicast(self) -> None:
        """MulticastModal -> a message to agents."""
        if not self.sync.lifecycle.can_call:
            return
        request = await self.view.ask(m.MulticastModal(list(self.store.agents.values()), known_groups(self.store)))
        if request is not None and await self.commands.multicast(request):
            self.view.notify("multicast sent", timeout=2)

    async def toggle_away(self) -> None:
        """Away (routing gives me no chats) <-> back."""
        if not self.sync.lifecycle.can_call or self.gateway is None:
            self.view.notify("not connected yet", severity="warning", timeout=3)
            return
        away = not self.away
        if await self.commands.set_away(away):
            self.away = away
            self.view.show_status(away=away)
            self.view.notify("away: no new chats are routed to you" if away else "back from away", timeout=2)

    @opens_modal
    async def toggle_routing(self) -> None:
        """My routing status: accepting_chats <-> not_accepting_chats (confirmed)."""
        me = self.store.me
        if not self.sync.lifecycle.can_call or me is None:
            return
        stop = me.routing_status == "accepting_chats"
        if await self.view.ask(
            m.ConfirmModal(
                "Routing status",
                "Stop accepting new chats?" if stop else "Start accepting new chats?",
                confirm_label="Stop" if stop else "Accept chats",
            )
        ):
            await self.commands.set_routing("not_accepting_chats" if stop else "accepting_chats")
