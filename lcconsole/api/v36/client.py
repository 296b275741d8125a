"""`AgentClient36`: the async typed client for every Agent Chat Web API v3.6 action.

Made by `AgentClient(version="3.6", ...)`; same transport, errors, retries and secrets as the
v3.0 client (`api.base.BaseClient`), with the v3.6 dialect and one method per v3.6 action.
"""

from __future__ import annotations

from typing import Any

from lcconsole.api.base import BaseClient
from lcconsole.api.v36.chats import ChatsMixin36
from lcconsole.api.v36.events import EventsMixin36
from lcconsole.api.v36.other import OtherMixin36
from lcconsole.errors import LiveChatError
from lcconsole.wire.dialects import V36


class AgentClient36(ChatsMixin36, EventsMixin36, OtherMixin36, BaseClient):
    """Async client for Agent Chat API v3.6: one method per Web action, named like the action.

    async with AgentClient(version="3.6", account_id="…", pat="…") as client:
        chats = await client.list_chats(limit=25)
        await client.send_event(chat_id="PJ0MRSHTDG", event={"type": "message", "text": "hi"})
    """

    dialect = V36

    async def _find_sent_event(self, chat_id: str, custom_id: str, original: LiveChatError) -> dict[str, Any] | None:
        """The `send_event` result if an event with `custom_id` is in the chat's latest threads."""
        try:
            found = await self._execute("list_threads", {"chat_id": chat_id, "sort_order": "desc", "limit": 3})
        except LiveChatError:
            raise original from None
        threads = found.get("threads") if isinstance(found, dict) else None
        for thread in threads or []:
            for event in (thread.get("events") or []) if isinstance(thread, dict) else []:
                if isinstance(event, dict) and event.get("custom_id") == custom_id and event.get("id"):
                    return {"event_id": event["id"]}
        return None
