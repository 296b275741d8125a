"""v3.6 events, properties and thread tags."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lcconsole.api.areas import Invoker
from lcconsole.api.uploads import FileSource

if TYPE_CHECKING:  # annotations only: the models load on the first request
    from lcconsole.wire.v36 import requests as rq
    from lcconsole.wire.v36 import responses as r

Props = dict[str, dict[str, Any]]
Names = dict[str, list[str]]


class EventsMixin36:
    """The docs' "Events", "Properties" and "Thread tags" methods."""

    async def send_event(
        self: Invoker, *, chat_id: str, event: rq.Event | dict[str, Any], attach_to_last_thread: bool | None = None
    ) -> r.SendEventResponse:
        """Send an event (message, file, rich message, …) into the chat; returns its `event_id`.

        Retried after a failure only when the event carries a `custom_id` (see `api.retry`)."""
        return await self._invoke(
            "send_event", {"chat_id": chat_id, "event": event, "attach_to_last_thread": attach_to_last_thread}
        )

    async def send_event_preview(self: Invoker, *, chat_id: str, event: rq.PreviewMessage | dict[str, Any]) -> None:
        """Show customers an unsaved preview of a message (not stored)."""
        await self._invoke("send_event_preview", {"chat_id": chat_id, "event": event})

    async def upload_file(
        self: Invoker, *, file: FileSource, filename: str | None = None, content_type: str | None = None
    ) -> r.UploadFileResponse:
        """Upload a file (multipart, streamed; over 10 MB refused before sending); returns its
        temporary `url`, to send as a `{"type": "file", "url": ...}` event within 24 hours."""
        return await self._invoke("upload_file", {}, upload=file, filename=filename, content_type=content_type)

    async def send_rich_message_postback(
        self: Invoker, *, chat_id: str, thread_id: str, event_id: str, postback: rq.PostbackToggle | dict[str, Any]
    ) -> None:
        """Press (or un-press) a rich-message button: `postback={"id": ..., "toggled": True}`."""
        await self._invoke(
            "send_rich_message_postback",
            {"chat_id": chat_id, "thread_id": thread_id, "event_id": event_id, "postback": postback},
        )

    async def update_chat_properties(self: Invoker, *, id: str, properties: Props) -> None:
        """Set chat properties: `{"namespace": {"name": value}}`."""
        await self._invoke("update_chat_properties", {"id": id, "properties": properties})

    async def delete_chat_properties(self: Invoker, *, id: str, properties: Names) -> None:
        """Delete chat properties: `{"namespace": ["name", ...]}`."""
        await self._invoke("delete_chat_properties", {"id": id, "properties": properties})

    async def update_thread_properties(self: Invoker, *, chat_id: str, thread_id: str, properties: Props) -> None:
        """Set thread properties."""
        await self._invoke(
            "update_thread_properties", {"chat_id": chat_id, "thread_id": thread_id, "properties": properties}
        )

    async def delete_thread_properties(self: Invoker, *, chat_id: str, thread_id: str, properties: Names) -> None:
        """Delete thread properties."""
        await self._invoke(
            "delete_thread_properties", {"chat_id": chat_id, "thread_id": thread_id, "properties": properties}
        )

    async def update_event_properties(
        self: Invoker, *, chat_id: str, thread_id: str, event_id: str, properties: Props
    ) -> None:
        """Set event properties."""
        await self._invoke(
            "update_event_properties",
            {"chat_id": chat_id, "thread_id": thread_id, "event_id": event_id, "properties": properties},
        )

    async def delete_event_properties(
        self: Invoker, *, chat_id: str, thread_id: str, event_id: str, properties: Names
    ) -> None:
        """Delete event properties."""
        await self._invoke(
            "delete_event_properties",
            {"chat_id": chat_id, "thread_id": thread_id, "event_id": event_id, "properties": properties},
        )

    async def tag_thread(self: Invoker, *, chat_id: str, thread_id: str, tag: str) -> None:
        """Tag a thread (tags are case-sensitive and defined in the Configuration API)."""
        await self._invoke("tag_thread", {"chat_id": chat_id, "thread_id": thread_id, "tag": tag})

    async def untag_thread(self: Invoker, *, chat_id: str, thread_id: str, tag: str) -> None:
        """Remove a tag from a thread."""
        await self._invoke("untag_thread", {"chat_id": chat_id, "thread_id": thread_id, "tag": tag})
