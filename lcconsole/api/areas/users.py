"""chat users: add_user_to_chat, remove_user_from_chat, update_agent."""

from __future__ import annotations

from typing import Literal

from lcconsole.api.areas import Invoker

UserType = Literal["agent", "customer"]
RoutingStatus = Literal["accepting_chats", "not_accepting_chats"]


class UsersMixin:
    """Chat membership and agent routing status."""

    async def add_user_to_chat(self: Invoker, *, chat_id: str, user_id: str, user_type: UserType) -> None:
        """Add an agent (or the one customer) to a chat."""
        await self._invoke("add_user_to_chat", {"chat_id": chat_id, "user_id": user_id, "user_type": user_type})

    async def remove_user_from_chat(self: Invoker, *, chat_id: str, user_id: str, user_type: UserType) -> None:
        """Remove an agent from a chat (customers cannot be removed)."""
        await self._invoke("remove_user_from_chat", {"chat_id": chat_id, "user_id": user_id, "user_type": user_type})

    async def update_agent(
        self: Invoker, *, agent_id: str | None = None, routing_status: RoutingStatus | None = None
    ) -> None:
        """Update an agent (the current one by default), e.g. its routing status."""
        await self._invoke("update_agent", {"agent_id": agent_id, "routing_status": routing_status})
