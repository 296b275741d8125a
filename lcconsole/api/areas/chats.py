"""chats: activate_chat, follow_chat, get_chats_summary, start_chat, transfer_chat, unfollow_chat."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lcconsole.api.areas import Invoker
from lcconsole.wire import objects as o

if TYPE_CHECKING:  # annotations only: the request models load on the first request
    from lcconsole.wire import requests as rq


class ChatsMixin:
    """Starting, activating, following and transferring chats."""

    async def activate_chat(
        self: Invoker, *, chat: rq.ActivateChatIn | dict[str, Any], continuous: bool | None = None
    ) -> o.ActivateChatResponse:
        """Activate an inactive chat (`chat.id` required); returns the chat with its threads."""
        return await self._invoke("activate_chat", {"chat": chat, "continuous": continuous})

    async def follow_chat(self: Invoker, *, chat_id: str) -> None:
        """Follow a chat: receive all its pushes until it is re-activated or unfollowed."""
        await self._invoke("follow_chat", {"chat_id": chat_id})

    async def get_chats_summary(
        self: Invoker,
        *,
        filters: rq.ChatsSummaryFilters | dict[str, Any] | None = None,
        page_id: str | None = None,
        limit: int | None = None,
        order: rq.Order | None = None,
    ) -> o.GetChatsSummaryResponse:
        """Summaries of the chats the agent can access, paginated by `page_id`."""
        return await self._invoke(
            "get_chats_summary", {"filters": filters, "page_id": page_id, "limit": limit, "order": order}
        )

    async def start_chat(
        self: Invoker, *, chat: rq.StartChatIn | dict[str, Any] | None = None, continuous: bool | None = None
    ) -> o.StartChatResponse:
        """Start a chat (optionally with a customer, initial events, properties, access)."""
        return await self._invoke("start_chat", {"chat": chat, "continuous": continuous})

    async def transfer_chat(
        self: Invoker,
        *,
        chat_id: str,
        target: rq.TransferTarget | dict[str, Any] | None = None,
        force: bool | None = None,
    ) -> None:
        """Transfer a chat to agents or groups (`target={"type": "group", "ids": [1]}`)."""
        await self._invoke("transfer_chat", {"chat_id": chat_id, "target": target, "force": force})

    async def unfollow_chat(self: Invoker, *, chat_id: str) -> None:
        """Stop following a chat."""
        await self._invoke("unfollow_chat", {"chat_id": chat_id})
