"""thread tags: tag_chat_thread, untag_chat_thread."""

from __future__ import annotations

from lcconsole.api.areas import Invoker


class TagsMixin:
    """Thread tags."""

    async def tag_chat_thread(self: Invoker, *, chat_id: str, thread_id: str, tag: str) -> None:
        """Add a tag to a thread."""
        await self._invoke("tag_chat_thread", {"chat_id": chat_id, "thread_id": thread_id, "tag": tag})

    async def untag_chat_thread(self: Invoker, *, chat_id: str, thread_id: str, tag: str) -> None:
        """Remove a tag from a thread."""
        await self._invoke("untag_chat_thread", {"chat_id": chat_id, "thread_id": thread_id, "tag": tag})
