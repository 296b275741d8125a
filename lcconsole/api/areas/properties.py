"""properties: update_/delete_ chat, chat thread and event properties.

Update requests take plain values `{namespace: {name: value}}` (the v3.0 request format); delete
requests take `{namespace: [name, ...]}`.
"""

from __future__ import annotations

from typing import Any

from lcconsole.api.areas import Invoker

PlainProperties = dict[str, dict[str, Any]]
PropertyNames = dict[str, list[str]]


class PropertiesMixin:
    """Chat, thread and event properties."""

    async def update_chat_properties(self: Invoker, *, chat_id: str, properties: PlainProperties) -> None:
        """Set chat properties."""
        await self._invoke("update_chat_properties", {"chat_id": chat_id, "properties": properties})

    async def update_chat_thread_properties(
        self: Invoker, *, chat_id: str, thread_id: str, properties: PlainProperties
    ) -> None:
        """Set thread properties."""
        await self._invoke(
            "update_chat_thread_properties",
            {"chat_id": chat_id, "thread_id": thread_id, "properties": properties},
        )

    async def update_event_properties(
        self: Invoker, *, chat_id: str, thread_id: str, event_id: str, properties: PlainProperties
    ) -> None:
        """Set event properties."""
        await self._invoke(
            "update_event_properties",
            {"chat_id": chat_id, "thread_id": thread_id, "event_id": event_id, "properties": properties},
        )

    async def delete_chat_properties(self: Invoker, *, chat_id: str, properties: PropertyNames) -> None:
        """Delete chat properties."""
        await self._invoke("delete_chat_properties", {"chat_id": chat_id, "properties": properties})

    async def delete_chat_thread_properties(
        self: Invoker, *, chat_id: str, thread_id: str, properties: PropertyNames
    ) -> None:
        """Delete thread properties."""
        await self._invoke(
            "delete_chat_thread_properties",
            {"chat_id": chat_id, "thread_id": thread_id, "properties": properties},
        )

    async def delete_event_properties(
        self: Invoker, *, chat_id: str, thread_id: str, event_id: str, properties: PropertyNames
    ) -> None:
        """Delete event properties."""
        await self._invoke(
            "delete_event_properties",
            {"chat_id": chat_id, "thread_id": thread_id, "event_id": event_id, "properties": properties},
        )
