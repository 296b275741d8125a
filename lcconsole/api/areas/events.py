"""events: send_event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lcconsole.api.areas import Invoker
from lcconsole.wire import objects as o

if TYPE_CHECKING:  # annotations only: the request models load on the first request
    from lcconsole.wire import requests as rq


class EventsMixin:
    """Sending events (messages, system messages, files by URL, rich messages, forms, custom)."""

    async def send_event(
        self: Invoker,
        *,
        chat_id: str,
        event: rq.MessageIn
        | rq.SystemMessageIn
        | rq.FileIn
        | rq.RichMessageIn
        | rq.FilledFormIn
        | rq.CustomIn
        | rq.AnnotationIn
        | dict[str, Any],
        attach_to_last_thread: bool | None = None,
        require_active_thread: bool | None = None,
    ) -> o.SendEventResponse:
        """Send an event to a chat; returns its thread id and the stored event.

        Give the event a `custom_id` to make retries safe: after an ambiguous failure the client
        checks whether the event landed before re-sending (see `lcconsole.api.retry`).
        """
        return await self._invoke(
            "send_event",
            {
                "chat_id": chat_id,
                "event": event,
                "attach_to_last_thread": attach_to_last_thread,
                "require_active_thread": require_active_thread,
            },
        )
