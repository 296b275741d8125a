"""Chat loading and the composer for the main screen, and the outbox sender's view.

The session's start, push loop and resync are `controllers.session_controller`'s; sending is
`controllers.outbox_sender`'s.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual import work


class ConversationMixin:
    """Chat loading and the composer (the session: `SessionController`; sending: `OutboxSender`)."""

    async def api(self, what: str, coro: Any) -> tuple[bool, Any]:
        """Await a server call; a failure becomes a notification `type: message` (`ChatCommands.call`)."""
        return await self.commands.call(what, coro)

    # --- opening chats --------------------------------------------------------------------------

    @work(group="open", exclusive=True, exit_on_error=False)
    async def load_chat(self, chat_id: str) -> None:
        """Fetch the chat's latest thread (and mark it seen when the agent opened it)."""
        await asyncio.sleep(0.05)  # cursor held down: only the chat it stops on is fetched
        since = self.store.begin_fetch()
        ok, chat = await self.api("open chat", self.gateway.chat(chat_id, self.sync.latest_id(chat_id)))
        if not ok or self.current_chat_id != chat_id:
            return
        self.store.merge_chat(chat, since=since)
        self._show_new_marker(chat_id)
        if self._reading == chat_id:
            await self.sync.mark_seen(chat_id)

    def _show_new_marker(self, chat_id: str) -> None:
        seen = self.store.my_last_seen(chat_id) or 0
        first_new = None
        for thread in self.store.loaded_threads(chat_id):
            for event in thread.events:
                if (event.timestamp or 0) > seen and event.author_id != self.store.my_id:
                    first_new = event.order
                    break
            if first_new is not None:
                break
        self.query_one("#transcript").set_new_marker(first_new)

    @work(group="seen", exit_on_error=False)
    async def mark_seen_worker(self, chat_id: str) -> None:
        """`SessionController.mark_seen` in a worker."""
        await self.sync.mark_seen(chat_id)

    def on_transcript_load_older_requested(self, message: Any) -> None:
        if self.current_chat_id and self.session_ready:
            self.load_older(self.current_chat_id, quiet=True)

    def action_load_older(self) -> None:
        """Load the thread before the oldest loaded one."""
        if self.current_chat_id and self.session_ready:
            self.load_older(self.current_chat_id)

    @work(group="older", exclusive=True, exit_on_error=False)
    async def load_older(self, chat_id: str, quiet: bool = False) -> None:
        """The thread before the oldest loaded one (`SessionController.read_older`)."""
        ok, found = await self.api("older threads", self.sync.read_older(chat_id))
        if ok and not found and not quiet:
            self.notify("no older threads", timeout=2)

    # --- sending and the outbox -----------------------------------------------------------------

    @work(group="compose", exclusive=True, exit_on_error=False)
    async def on_composer_submitted(self, message: Any) -> None:
        """Send to the chat shown in the header now; if the agent began typing in another chat,
        ask first. Record the message in the outbox, show it pending, send it."""
        text, chat_id = message.text, self.current_chat_id
        if not chat_id or not text.strip():
            return
        began = self._typing_chat
        if began and began != chat_id and began in self.store.chats:
            from lcconsole.ui.controllers.screen_view import customer_label, m

            kind = "note" if message.note else "message"
            if not await self.ask(
                m.ConfirmModal(
                    "Send to this chat?",
                    f"You began this {kind} in the chat with {customer_label(self.store, began)}. "
                    f"Send it to {customer_label(self.store, chat_id)}?",
                    confirm_label="Send here",
                )
            ):
                return
            if self.current_chat_id != chat_id:
                return
        entry = self.outbox.add(chat_id, "note" if message.note else "message", text)
        self._typing_chat = None
        self.show_transcript()
        self.outbox_sender.send(entry, from_composer=True)
        self.read_chat(chat_id)

    def on_composer_typing_changed(self, message: Any) -> None:
        """Typing indicators for customer messages (never for notes)."""
        from lcconsole.ui.widgets.composer import Composer

        if not (self.current_chat_id and self.session_ready) or self.query_one(Composer).mode == "note":
            return
        if message.is_typing and not self._in_composer():
            return  # a draft loaded on switching chats is not typing
        self.send_typing(self.current_chat_id, message.is_typing)

    @work(group="typing", exclusive=True, exit_on_error=False)
    async def send_typing(self, chat_id: str, is_typing: bool) -> None:
        """Typing on/off for the customer (`ChatCommands.typing`)."""
        await self.commands.typing(chat_id, is_typing)

    # --- the outbox sender's view ----------------------------------------------------------------

    def composer_sent(self, entry: Any) -> None:
        """Clear the composer only if it still holds exactly what was sent."""
        from lcconsole.ui.widgets.composer import Composer

        composer = self.query_one(Composer)
        if entry.chat_id == self.current_chat_id and composer.text == entry.text:
            composer.clear()
        if self.drafts.get(entry.chat_id) == entry.text:
            self.set_draft(entry.chat_id, "")  # the row's draft marker goes too
            self.drafts.save()

    def composer_refused(self, entry: Any) -> None:
        """The server refused the composer's text for good: it stays there, focused."""
        from lcconsole.ui.widgets.composer import Composer

        self.query_one(Composer).focus_input()

    def outbox_changed(self, chat_id: str | None) -> None:
        """The pending count, and the open chat's transcript when its entries changed."""
        self.show_status(pending=len(self.outbox.pending()))
        if self.current_chat_id and chat_id in (None, self.current_chat_id):
            self.show_transcript()
