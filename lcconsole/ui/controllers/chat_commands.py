"""Chat commands: the server calls behind the agent's keys (take, close, transfer, tag, …).

The screen decides what to do (it asks in a modal, names the chat); a command makes the call
through the gateway, says what failed (a notification `type: message` titled with what was
tried), and after a chat changed re-reads it, so the panes are right even when no push arrives.
Each returns whether the server accepted. The commands know the screen only as a `CommandsView`.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, Protocol

from lcconsole.errors import LiveChatError
from lcconsole.ui.text import human

KNOWN_CUSTOMERS_SHOWN = 100
"""At most this many of the customers known here answer a search without a server list."""

if TYPE_CHECKING:
    from lcconsole.ui.controllers.session_controller import SessionController


class CommandsView(Protocol):
    """What the commands need from the screen."""

    def notify(
        self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None
    ) -> None:
        """Tell the agent."""


class ChatCommands:
    """The agent's actions on chats, customers and their own status, over the session's gateway."""

    def __init__(self, sync: SessionController, view: CommandsView) -> None:
        self.sync = sync
        self.store = sync.store
        self.view = view

    @property
    def gateway(self) -> Any:
        return self.sync.gateway

    async def call(self, what: str, call: Awaitable[Any]) -> tuple[bool, Any]:
        """Await a server call; a refusal or failure becomes a notification titled `what`."""
        try:
            return True, await call
        except LiveChatError as err:
            self.view.notify(human(err), title=what, severity="error", timeout=8)
            return False, err

    async def _on_chat(self, what: str, chat_id: str, call: Awaitable[Any]) -> bool:
        """A call that changes a chat, then the chat re-read (pushes normally got there first)."""
        ok, _ = await self.call(what, call)
        if ok:
            await self.sync.fetch_latest(chat_id)
        return ok

    async def _merged(self, what: str, call: Awaitable[Any]) -> Any:
        """A call answering with a chat, merged into the store; the chat, or None."""
        since = self.store.begin_fetch()
        ok, chat = await self.call(what, call)
        if not ok:
            return None
        self.store.merge_chat(chat, since=since)
        return chat

    # --- one chat -------------------------------------------------------------------------------

    async def take(self, chat_id: str) -> bool:
        """Join a queued chat as its agent."""
        return await self._on_chat("take chat", chat_id, self.gateway.take(chat_id, self.store.my_id))

    async def close(self, chat_id: str) -> bool:
        """End the chat's active thread."""
        return await self._on_chat("close chat", chat_id, self.gateway.close(chat_id))

    async def reopen(self, chat_id: str) -> bool:
        """Start a new thread in an inactive chat; it is seen up to now (I am a member again)."""
        if await self._merged("reopen chat", self.gateway.reopen(chat_id)) is None:
            return False
        await self.sync.mark_seen(chat_id)
        return True

    async def follow(self, chat_id: str, follow: bool = True) -> bool:
        """Follow the chat (its pushes without being its agent), or stop."""
        call = self.gateway.follow(chat_id) if follow else self.gateway.unfollow(chat_id)
        return await self._on_chat("follow" if follow else "unfollow", chat_id, call)

    async def transfer(self, chat_id: str, request: Any) -> bool:
        """Hand the chat to agents or a group (`request` from the transfer picker)."""
        return await self._on_chat("transfer", chat_id, self.gateway.transfer(chat_id, request))

    async def transfer_candidates(self, chat_id: str) -> dict[str, Any] | None:
        """Who the server says can take the chat, with their active chats (None: not read)."""
        ok, candidates = await self.call("transfer", self.gateway.transfer_candidates(chat_id))
        return dict(candidates) if ok else None

    async def change_user(self, chat_id: str, action: str, user_id: str, user_type: str) -> bool:
        """Add (`action` "add") or remove an agent of the chat."""
        call = self.gateway.add_user if action == "add" else self.gateway.remove_user
        return await self._on_chat(f"{action} user", chat_id, call(chat_id, user_id, user_type))

    async def change_access(self, chat_id: str, action: str, group_id: int) -> bool:
        """grant / revoke / set one group's access to the chat."""
        call = self.gateway.change_access(chat_id, action, group_id)
        return await self._on_chat(f"{action} access", chat_id, call)

    async def tag(self, chat_id: str, thread_id: str, tag: str, *, add: bool = True) -> bool:
        """Tag a thread (or, with `add=False`, remove the tag)."""
        call = self.gateway.tag if add else self.gateway.untag
        what = f"{'add' if add else 'remove'} tag"
        return await self._on_chat(what, chat_id, call(chat_id=chat_id, thread_id=thread_id, tag=tag))

    async def change_properties(
        self,
        level: str,
        properties: Any,
        *,
        delete: bool,
        chat_id: str,
        thread_id: str | None = None,
        event_id: str | None = None,
    ) -> bool:
        """Set (or delete) properties of the chat, a thread or an event (`level`)."""
        call = self.gateway.delete_properties if delete else self.gateway.set_properties
        what = f"{'delete' if delete else 'set'} {level} properties"
        return await self._on_chat(
            what, chat_id, call(level, properties, chat_id=chat_id, thread_id=thread_id, event_id=event_id)
        )

    async def press_button(self, chat_id: str, thread_id: str, event_id: str, postback_id: str, toggled: bool) -> bool:
        """Press (or release) a rich-message button."""
        call = self.gateway.press_button(chat_id, thread_id, event_id, postback_id, toggled)
        return await self._on_chat("postback", chat_id, call)

    async def request_summary(self, chat_id: str, thread_id: str) -> bool:
        """Ask for an AI summary of a thread (it arrives in the thread)."""
        return await self._on_chat("AI summary", chat_id, self.gateway.request_summary(chat_id, thread_id))

    async def typing(self, chat_id: str, is_typing: bool) -> None:
        """Typing on or off, for the customer to see (quietly: a failure is not worth a word)."""
        try:
            await self.gateway.typing(chat_id, is_typing)
        except LiveChatError:
            pass

    async def thinking(self, chat_id: str, title: str | None, description: str | None) -> bool:
        """Show the customer that an answer is being prepared."""
        return (await self.call("thinking", self.gateway.thinking(chat_id, title, description)))[0]

    async def start_chat(self, request: Any) -> str | None:
        """Start a chat with a customer (`request` from the start-chat form); its id, or None."""
        chat = await self._merged("start chat", self.gateway.start_chat(request))
        return chat.id if chat is not None else None

    # --- customers ------------------------------------------------------------------------------

    async def search_customers(self, query: str) -> list[Any]:
        """Customers whose name, e-mail or id matches `query` (the server's answer, and the
        customers of the chats here when the API version has no customer list)."""
        from lcconsole.gateway import Capability

        found = await self.gateway.search_customers(query)
        if self.gateway.can(Capability.CUSTOMER_LIST):
            return list(found)
        q, ids = query.casefold().strip(), {c.id for c in found}
        known = (
            c
            for c in self.store.known_customers()
            if c.id not in ids and (not q or any(q in (v or "").casefold() for v in (c.name, c.email, c.id)))
        )
        return list(found) + list(itertools.islice(known, KNOWN_CUSTOMERS_SHOWN))

    async def update_customer(self, data: Any) -> bool:
        """Change a customer's details; the store keeps the server's answer."""
        ok, customer = await self.call("update customer", self.gateway.update_customer(data))
        if ok and customer is not None:
            self.store.put_customer(customer)
        return ok

    async def new_customer(self, data: Any) -> Any:
        """Create a customer; the new customer, or None."""
        ok, customer = await self.call("new customer", self.gateway.new_customer(data))
        if not ok or customer is None:
            return None
        self.store.put_customer(customer)
        return customer

    async def ban(self, customer: Any, days: int) -> bool:
        """Ban a customer for `days`; the store marks them banned."""
        ok, _ = await self.call("ban", self.gateway.ban(customer.id, days))
        if ok:
            self.store.put_customer(type(customer)(id=customer.id, banned=True))
        return ok

    # --- me -------------------------------------------------------------------------------------

    async def multicast(self, request: Any) -> bool:
        """A message to agents."""
        return (await self.call("multicast", self.gateway.multicast(request)))[0]

    async def set_away(self, away: bool) -> bool:
        """Away (routing gives me no chats) or back."""
        return (await self.call("away", self.gateway.set_away(away)))[0]

    async def set_routing(self, status: str) -> bool:
        """My routing status (`accepting_chats` / `not_accepting_chats`); the store's profile follows."""
        me = self.store.me
        if me is None:
            return False
        ok, _ = await self.call("routing status", self.gateway.set_routing(me.id, status))
        if ok:
            self.store.set_profile(me.model_copy(update={"routing_status": status}))
        return ok
