"""v3.6 chats, chat access and chat users: listing, reading, starting, resuming, deactivating,
following, transferring chats and adding/removing their users."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lcconsole.api.areas import Invoker

if TYPE_CHECKING:  # annotations only: the models load on the first request
    from lcconsole.wire.v36 import requests as rq
    from lcconsole.wire.v36 import responses as r


class ChatsMixin36:
    """The docs' "Chats", "Chat access" and "Chat users" methods."""

    async def list_chats(
        self: Invoker,
        *,
        filters: rq.ListChatsFilters | dict[str, Any] | None = None,
        sort_order: rq.SortOrder | None = None,
        limit: int | None = None,
        page_id: str | None = None,
    ) -> r.ListChatsResponse:
        """Summaries of the chats the agent can access; `page_id` pages (without filters/limit)."""
        return await self._invoke(
            "list_chats", {"filters": filters, "sort_order": sort_order, "limit": limit, "page_id": page_id}
        )

    async def list_threads(
        self: Invoker,
        *,
        chat_id: str,
        sort_order: rq.SortOrder | None = None,
        limit: int | None = None,
        page_id: str | None = None,
        min_events_count: int | None = None,
        filters: rq.DateFilters | dict[str, Any] | None = None,
    ) -> r.ListThreadsResponse:
        """Threads of a chat with their events, paginated by `page_id`."""
        return await self._invoke(
            "list_threads",
            {
                "chat_id": chat_id,
                "sort_order": sort_order,
                "limit": limit,
                "page_id": page_id,
                "min_events_count": min_events_count,
                "filters": filters,
            },
        )

    async def get_chat(self: Invoker, *, chat_id: str, thread_id: str | None = None) -> r.Chat:
        """A chat with one thread (the latest unless `thread_id` names another)."""
        return await self._invoke("get_chat", {"chat_id": chat_id, "thread_id": thread_id})

    async def list_archives(
        self: Invoker,
        *,
        filters: rq.ArchivesFilters | dict[str, Any] | None = None,
        sort_order: rq.SortOrder | None = None,
        limit: int | None = None,
        page_id: str | None = None,
        highlights: rq.Highlights | dict[str, Any] | None = None,
    ) -> r.ListArchivesResponse:
        """Archived chats, one item per thread."""
        return await self._invoke(
            "list_archives",
            {
                "filters": filters,
                "sort_order": sort_order,
                "limit": limit,
                "page_id": page_id,
                "highlights": highlights,
            },
        )

    async def start_chat(
        self: Invoker,
        *,
        chat: rq.ChatIn | dict[str, Any] | None = None,
        active: bool | None = None,
        continuous: bool | None = None,
    ) -> r.StartChatResponse:
        """Start a chat; returns its `chat_id`, `thread_id` and initial `event_ids`."""
        return await self._invoke("start_chat", {"chat": chat, "active": active, "continuous": continuous})

    async def resume_chat(
        self: Invoker,
        *,
        chat: rq.ResumeChatIn | dict[str, Any],
        active: bool | None = None,
        continuous: bool | None = None,
    ) -> r.ResumeChatResponse:
        """Open a new thread in an inactive chat (`chat.id` required); returns its `thread_id`."""
        return await self._invoke("resume_chat", {"chat": chat, "active": active, "continuous": continuous})

    async def deactivate_chat(self: Invoker, *, id: str, ignore_requester_presence: bool | None = None) -> None:
        """Close the chat's active thread."""
        await self._invoke("deactivate_chat", {"id": id, "ignore_requester_presence": ignore_requester_presence})

    async def follow_chat(self: Invoker, *, id: str) -> None:
        """Receive the chat's pushes without being one of its users."""
        await self._invoke("follow_chat", {"id": id})

    async def unfollow_chat(self: Invoker, *, id: str) -> None:
        """Stop following a chat."""
        await self._invoke("unfollow_chat", {"id": id})

    async def transfer_chat(
        self: Invoker,
        *,
        id: str,
        target: rq.Target | dict[str, Any] | None = None,
        ignore_agents_availability: bool | None = None,
        ignore_requester_presence: bool | None = None,
    ) -> None:
        """Transfer an active chat to agents or a group (`target={"type": "group", "ids": [1]}`)."""
        await self._invoke(
            "transfer_chat",
            {
                "id": id,
                "target": target,
                "ignore_agents_availability": ignore_agents_availability,
                "ignore_requester_presence": ignore_requester_presence,
            },
        )

    async def add_user_to_chat(
        self: Invoker,
        *,
        chat_id: str,
        user_id: str,
        user_type: str,
        visibility: str,
        ignore_requester_presence: bool | None = None,
    ) -> None:
        """Add an agent (or the customer) to an active chat, visible to `all` or to `agents`."""
        await self._invoke(
            "add_user_to_chat",
            {
                "chat_id": chat_id,
                "user_id": user_id,
                "user_type": user_type,
                "visibility": visibility,
                "ignore_requester_presence": ignore_requester_presence,
            },
        )

    async def remove_user_from_chat(
        self: Invoker,
        *,
        chat_id: str,
        user_id: str,
        user_type: str,
        ignore_requester_presence: bool | None = None,
    ) -> None:
        """Remove an agent from a chat."""
        await self._invoke(
            "remove_user_from_chat",
            {
                "chat_id": chat_id,
                "user_id": user_id,
                "user_type": user_type,
                "ignore_requester_presence": ignore_requester_presence,
            },
        )
