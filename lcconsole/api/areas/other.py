"""other: archives, threads, files, closing, multicast, last-seen, typing, rich-message postbacks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lcconsole.api.areas import Invoker
from lcconsole.api.uploads import FileSource
from lcconsole.wire import objects as o

if TYPE_CHECKING:  # annotations only: the request models load on the first request
    from lcconsole.wire import requests as rq


class OtherMixin:
    """The spec's "other" group."""

    async def get_archives(
        self: Invoker,
        *,
        filters: rq.ArchivesFilters | dict[str, Any] | None = None,
        pagination: rq.Pagination | dict[str, Any] | None = None,
    ) -> o.GetArchivesResponse:
        """Archived chats, one item per thread (both v3.0 and v3.1 response shapes accepted)."""
        return await self._invoke("get_archives", {"filters": filters, "pagination": pagination})

    async def get_chat_threads(
        self: Invoker, *, chat_id: str, thread_ids: list[str] | None = None
    ) -> o.GetChatThreadsResponse:
        """A chat with the requested (or all accessible) threads and their events."""
        return await self._invoke("get_chat_threads", {"chat_id": chat_id, "thread_ids": thread_ids})

    async def get_chat_threads_summary(
        self: Invoker,
        *,
        chat_id: str,
        order: rq.Order | None = None,
        limit: int | None = None,
        page_id: str | None = None,
    ) -> o.GetChatThreadsSummaryResponse:
        """Thread ids, orders and event counts of a chat, paginated by `page_id`."""
        return await self._invoke(
            "get_chat_threads_summary",
            {"chat_id": chat_id, "order": order, "limit": limit, "page_id": page_id},
        )

    async def send_file(
        self: Invoker,
        *,
        chat_id: str,
        file: FileSource,
        filename: str | None = None,
        content_type: str | None = None,
        custom_id: str | None = None,
        require_active_thread: bool | None = None,
    ) -> o.SendFileResponse:
        """Upload a file into a chat (multipart, streamed; over 10 MB is refused before sending)."""
        return await self._invoke(
            "send_file",
            {"chat_id": chat_id, "custom_id": custom_id, "require_active_thread": require_active_thread},
            upload=file,
            filename=filename,
            content_type=content_type,
        )

    async def close_thread(self: Invoker, *, chat_id: str) -> None:
        """Close the chat's active thread."""
        await self._invoke("close_thread", {"chat_id": chat_id})

    async def upload_image(
        self: Invoker, *, image: FileSource, filename: str | None = None, content_type: str | None = None
    ) -> o.UploadImageResponse:
        """Upload an image (multipart `payload.image`); returns its `url` and `path`."""
        return await self._invoke("upload_image", {}, upload=image, filename=filename, content_type=content_type)

    async def multicast(
        self: Invoker, *, scopes: rq.MulticastScopes | dict[str, Any], content: Any, type: str | None = None
    ) -> None:
        """Send arbitrary JSON `content` to agents and/or customers."""
        await self._invoke("multicast", {"scopes": scopes, "content": content, "type": type})

    async def update_last_seen_timestamp(
        self: Invoker, *, chat_id: str, timestamp: int | None = None
    ) -> o.UpdateLastSeenTimestampResponse:
        """Mark the chat as seen up to `timestamp` (now by default)."""
        return await self._invoke("update_last_seen_timestamp", {"chat_id": chat_id, "timestamp": timestamp})

    async def send_typing_indicator(
        self: Invoker, *, chat_id: str, is_typing: bool, recipients: rq.Recipients | None = None
    ) -> None:
        """Tell the chat the agent is (not) typing."""
        await self._invoke(
            "send_typing_indicator", {"chat_id": chat_id, "is_typing": is_typing, "recipients": recipients}
        )

    async def send_rich_message_postback(
        self: Invoker,
        *,
        chat_id: str,
        thread_id: str,
        event_id: str,
        postback: rq.PostbackToggle | dict[str, Any],
    ) -> None:
        """Press (or un-press) a rich-message button: `postback={"id": ..., "toggled": True}`."""
        await self._invoke(
            "send_rich_message_postback",
            {"chat_id": chat_id, "thread_id": thread_id, "event_id": event_id, "postback": postback},
        )
