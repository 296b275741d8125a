"""`Gateway`: every wish of the agent as one method, returning canonical models.

The request objects the screens pass (`TransferRequest`, `StartChatRequest`, `CustomerData`, …
from `ui.modals.answers`) are read by their attributes; each version builds its own bodies.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from lcconsole.errors import LiveChatError


class Capability(enum.StrEnum):
    """Things only some API versions can do; `Gateway.capabilities` lists the connection's."""

    ACCESS = "access"  # grant / revoke / set a group's access to a chat
    CUSTOMER_LIST = "customer_list"  # browse and search every customer
    NEW_CUSTOMER = "new_customer"
    SEND_AS_IMAGE = "send_as_image"  # an image upload separate from a file message
    THREAD_SUMMARY = "thread_summary"  # AI summary of a thread
    THINKING_INDICATOR = "thinking_indicator"
    VISITORS = "visitors"  # customers browsing the website
    TRANSFER_CANDIDATES = "transfer_candidates"  # agents a chat can go to, with their load
    ROUTING_STATUSES = "routing_statuses"  # every agent's routing status


class Unsupported(LiveChatError):
    """A wish the connection's API version cannot fulfil (see `Gateway.capabilities`)."""

    def __init__(self, what: str, version: str) -> None:
        super().__init__("unsupported", f"{what} is not available in Agent Chat API {version}")


class Gateway:
    """What the console asks of the server. Subclasses implement it for one API version."""

    version: str = ""
    capabilities: frozenset[Capability] = frozenset()
    read_login: Callable[[Any], Any] | None = None
    """How the RTM connection should read the login answer for this gateway (`RtmConnection(
    read_login=...)`): straight into the canonical `LoginResponse`; None when the version's own
    model is the canonical one."""

    def __init__(self, client: Any, rtm: Any) -> None:
        self.client = client
        self.rtm = rtm
        self._login_listeners: dict[Callable[[Any], None], Callable[[Any], None]] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(version={self.version!r})"

    def can(self, capability: Capability) -> bool:
        """Whether this connection supports `capability`."""
        return capability in self.capabilities

    def _unsupported(self, what: str) -> Unsupported:
        return Unsupported(what, self.version)

    # --- connection -----------------------------------------------------------------------------

    def add_login_listener(self, listener: Callable[[Any], None]) -> None:
        """Call `listener(LoginResponse)` (canonical) after every (re)login."""

        def wrapped(login: Any) -> None:
            listener(self.canonical_login(login))

        self._login_listeners[listener] = wrapped
        self.rtm.add_login_listener(wrapped)

    def remove_login_listener(self, listener: Callable[[Any], None]) -> None:
        """Undo `add_login_listener`."""
        wrapped = self._login_listeners.pop(listener, None)
        if wrapped is not None:
            self.rtm.remove_login_listener(wrapped)

    def canonical_login(self, login: Any) -> Any:
        """The version's login response as the canonical `LoginResponse`."""
        return login

    async def pushes(self) -> AsyncIterator[Any]:
        """Every RTM push as its canonical class (pushes the console has no use for are skipped)."""
        async for push in self.rtm.pushes():
            for canonical in self.canonical_pushes(push):
                yield canonical

    def canonical_pushes(self, push: Any) -> list[Any]:
        """One version push -> the canonical pushes it means (often one, sometimes none)."""
        return [push]

    async def set_away(self, away: bool) -> None:
        """Away: routing gives me no chats (RTM only)."""
        await self.rtm.call("set_away_status", {"away": away})

    # --- reading --------------------------------------------------------------------------------

    async def chat_summaries(self, *, limit: int, page_id: str | None = None) -> Any:
        """One page of chat summaries: `.chats_summary`, `.next_page_id`."""
        raise NotImplementedError

    async def chat(self, chat_id: str, thread_id: str | None = None) -> Any:
        """The chat with one thread in `threads` (the latest, or `thread_id`)."""
        raise NotImplementedError

    async def thread_ids(self, chat_id: str) -> tuple[list[tuple[str, int]], bool]:
        """The chat's newest (up to 100) threads as (id, order), and whether that is all."""
        raise NotImplementedError

    async def archives(self, *, filters: dict[str, Any] | None = None, pagination: dict[str, int] | None = None) -> Any:
        """Archived chats (one per thread): `.chats`, `.pagination` `{page, total}`.

        `filters`: `query`, `date_from`/`date_to` (YYYY-MM-DD), `agent_ids`, `group_ids`, `tags`,
        `thread_ids`, `properties`; `pagination`: `{page, limit}` (page 1 first)."""
        raise NotImplementedError

    async def customer_archives(self, customer: Any) -> list[Any]:
        """The customer's ended threads, newest first, one chat per thread (up to 100). v3.0 has
        no customer filter: its archive search by e-mail (or name), kept to this customer."""
        key = customer.email or customer.name or customer.id
        page = await self.archives(filters={"query": key}, pagination={"limit": 100})
        return ended_threads_of(page.chats, customer.id)

    async def group_names(self) -> dict[int, str]:
        """Group id -> name from the Configuration API's list_groups (every version: that API
        has its own; needs `groups--all:ro`)."""
        from lcconsole.api.configuration import ConfigurationClient

        groups = await ConfigurationClient(self.client).list_groups()
        return {group.id: group.name for group in groups if group.name}

    async def customers(self, **request: Any) -> Any:
        """One page of the customer list (`Capability.CUSTOMER_LIST`)."""
        raise self._unsupported("the customer list")

    async def search_customers(self, query: str) -> list[Any]:
        """Customers matching `query` (name, e-mail or id)."""
        raise self._unsupported("customer search")

    # --- chats ----------------------------------------------------------------------------------

    async def take(self, chat_id: str, my_id: str) -> None:
        """Join a queued chat as its agent."""
        raise NotImplementedError

    async def close(self, chat_id: str) -> None:
        """End the chat's active thread."""
        raise NotImplementedError

    async def reopen(self, chat_id: str) -> Any:
        """Start a new thread in an inactive chat; returns the chat with it."""
        raise NotImplementedError

    async def follow(self, chat_id: str) -> None:
        raise NotImplementedError

    async def unfollow(self, chat_id: str) -> None:
        raise NotImplementedError

    async def transfer(self, chat_id: str, request: Any) -> None:
        """Hand the chat to agents or a group (`request`: target_type, ids, force)."""
        raise NotImplementedError

    async def add_user(self, chat_id: str, user_id: str, user_type: str = "agent") -> None:
        raise NotImplementedError

    async def remove_user(self, chat_id: str, user_id: str, user_type: str = "agent") -> None:
        raise NotImplementedError

    async def change_access(self, chat_id: str, action: str, group_id: int) -> None:
        """grant / revoke / set one group's access (`Capability.ACCESS`)."""
        raise self._unsupported("changing chat access")

    async def tag(self, chat_id: str, thread_id: str, tag: str) -> None:
        raise NotImplementedError

    async def untag(self, chat_id: str, thread_id: str, tag: str) -> None:
        raise NotImplementedError

    async def set_properties(
        self,
        level: str,
        properties: dict[str, dict[str, Any]],
        *,
        chat_id: str,
        thread_id: str | None = None,
        event_id: str | None = None,
    ) -> None:
        """Set `{ns: {name: value}}` on the chat, a thread or an event (`level`)."""
        await self._properties("update", level, properties, chat_id, thread_id, event_id)

    async def delete_properties(
        self,
        level: str,
        names: dict[str, list[str]],
        *,
        chat_id: str,
        thread_id: str | None = None,
        event_id: str | None = None,
    ) -> None:
        """Delete `{ns: [name, …]}` from the chat, a thread or an event (`level`)."""
        await self._properties("delete", level, names, chat_id, thread_id, event_id)

    async def _properties(
        self, verb: str, level: str, properties: Any, chat_id: str, thread_id: str | None, event_id: str | None
    ) -> None:
        """The version's `<verb>_*_properties` action for `level` ("update" or "delete")."""
        raise NotImplementedError

    async def start_chat(self, request: Any) -> Any:
        """Start a chat with a customer (`request`: customer_id, message, group_id, tags);
        returns the new chat."""
        raise NotImplementedError

    # --- events ---------------------------------------------------------------------------------

    async def send_text(
        self, chat_id: str, text: str, *, custom_id: str, note: bool = False, recipients: str = "all"
    ) -> tuple[str, Any] | None:
        """A message (`note`: to agents only); (thread_id, event) when the answer says."""
        raise NotImplementedError

    async def attach(
        self, chat_id: str, path: Path, *, custom_id: str, as_image: bool = False
    ) -> tuple[str, Any] | None:
        """Upload a file and post it in the chat."""
        raise NotImplementedError

    async def press_button(self, chat_id: str, thread_id: str, event_id: str, postback_id: str, toggled: bool) -> None:
        """Press (or release) a rich-message button."""
        raise NotImplementedError

    async def typing(self, chat_id: str, is_typing: bool) -> None:
        raise NotImplementedError

    async def mark_seen(self, chat_id: str) -> int | None:
        """Mark the chat seen up to now; the server's time (Unix seconds) when known."""
        raise NotImplementedError

    # --- customers and the console --------------------------------------------------------------

    async def update_customer(self, data: Any) -> Any:
        """Change a customer's details (`data`: customer_id, name, email, avatar, fields);
        returns the customer as it is now, when the server says."""
        raise NotImplementedError

    async def new_customer(self, data: Any) -> Any:
        raise self._unsupported("creating customers")

    async def ban(self, customer_id: str, days: int) -> None:
        raise NotImplementedError

    async def multicast(self, request: Any) -> None:
        """A message to agents (`request`: content, type, all_agents, agent_ids, group_ids)."""
        raise NotImplementedError

    async def set_routing(self, agent_id: str, status: str) -> None:
        """`accepting_chats` / `not_accepting_chats`."""
        raise NotImplementedError

    # --- what only some versions have (see `capabilities`) --------------------------------------

    async def request_summary(self, chat_id: str, thread_id: str) -> None:
        """Ask for an AI summary of a thread; it arrives as a `ThreadSummaryReady` push."""
        raise self._unsupported("AI thread summaries")

    async def transfer_candidates(self, chat_id: str) -> list[tuple[str, int]]:
        """(agent id, active chats) of the agents the chat can go to, least busy first."""
        raise self._unsupported("transfer candidates")

    async def routing_statuses(self) -> dict[str, str]:
        """Every agent's routing status by agent id."""
        raise self._unsupported("other agents' routing statuses")

    async def watch_visitors(self, group_ids: list[int] | None = None) -> tuple[str, list[Any]]:
        """Follow the customers on the website: (subscription, customers now); changes arrive as
        `VisitorsSeen` / `VisitorLeft` pushes."""
        raise self._unsupported("the visitors view")

    async def unwatch_visitors(self, subscription: str) -> None:
        raise self._unsupported("the visitors view")

    async def thinking(self, chat_id: str, title: str | None = None, description: str | None = None) -> None:
        """Show the customer that an answer is being prepared."""
        raise self._unsupported("thinking indicators")


def ended_threads_of(chats: list[Any], customer_id: str) -> list[Any]:
    """The archive chats of `customer_id` whose thread has ended (the live one is not earlier)."""
    return [
        chat
        for chat in chats
        if chat.thread is not None and not chat.thread.active and any(user.id == customer_id for user in chat.users)
    ]


def start_chat_body(request: Any, audience: str) -> dict[str, Any]:
    """The `chat` of a start_chat for a `StartChatRequest`; `audience` names the message event's
    audience field (`recipients` in v3.0, `visibility` in v3.6)."""
    thread: dict[str, Any] = {}
    if request.message:
        thread["events"] = [{"type": "message", "text": request.message, audience: "all"}]
    if request.tags:
        thread["tags"] = list(request.tags)
    chat: dict[str, Any] = {"users": [{"id": request.customer_id, "type": "customer"}]}
    if request.group_id is not None:
        chat["access"] = {"group_ids": [request.group_id]}
    if thread:
        chat["thread"] = thread
    return chat
