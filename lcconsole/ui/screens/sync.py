"""Chat loading and sending (with the durable outbox) for the main screen.

Messages are recorded in the outbox before they are sent and leave it only once the server has
them. The session's start, push loop and resync are `controllers.session_controller`'s.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual import work

from lcconsole.errors import LiveChatError, is_transient
from lcconsole.ui.text import human


class SyncMixin:
    """Chat loading, sending and outbox delivery (the session itself: `SessionController`)."""

    _inflight: set

    async def api(self, what: str, coro: Any) -> tuple[bool, Any]:
        """Await an API call; a LiveChatError becomes a notification `type: message`."""
        try:
            return True, await coro
        except LiveChatError as err:
            self.notify(human(err), title=what, severity="error", timeout=8)
            return False, err

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
        """The chat's thread list (once), then the thread before the oldest loaded one."""
        if self.store.older_thread_id(chat_id) is None:
            ok, _ = await self.api("older threads", self.sync.list_threads(chat_id))
            if not ok:
                return
        older = self.store.older_thread_id(chat_id)
        if older is None:
            if not quiet:
                self.notify("no older threads", timeout=2)
            return
        since = self.store.begin_fetch()
        ok, chat = await self.api("older threads", self.gateway.chat(chat_id, older))
        if ok:
            self.store.merge_chat(chat, since=since)

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
            from lcconsole.ui.screens.actions import m

            kind = "note" if message.note else "message"
            if not await self.ask(
                m.ConfirmModal(
                    "Send to this chat?",
                    f"You began this {kind} in the chat with {self.customer_label(began)}. "
                    f"Send it to {self.customer_label(chat_id)}?",
                    confirm_label="Send here",
                )
            ):
                return
            if self.current_chat_id != chat_id:
                return
        entry = self.outbox.add(chat_id, "note" if message.note else "message", text)
        self._typing_chat = None
        self.show_transcript()
        self.deliver(entry, from_composer=True)
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
        """Typing on/off for the customer (failures are not worth a notification)."""
        try:
            await self.gateway.typing(chat_id, is_typing)
        except LiveChatError:
            pass

    @work(group="send", exit_on_error=False)
    async def deliver(self, entry: Any, from_composer: bool = False) -> None:
        """Send one outbox entry and settle it: done, pending (retry later) or failed."""
        from lcconsole.ui.widgets.composer import Composer

        if entry.custom_id in self._inflight or not self.session_ready:
            if from_composer:
                self._composer_sent(entry)
                self.notify("offline: the message is in the outbox", severity="warning")
            return
        self._inflight.add(entry.custom_id)
        try:
            result = await self._send_entry(entry)
        except LiveChatError as err:
            if is_transient(err):
                self.outbox.mark(entry.custom_id, "pending", human(err))
                if from_composer:
                    self._composer_sent(entry)
                self.notify(f"{human(err)} — kept in the outbox, will retry", severity="warning")
            elif from_composer:
                self.outbox.done(entry.custom_id)
                self.notify(human(err), title="not sent", severity="error", timeout=10)
                self.query_one(Composer).focus_input()
            else:
                self.outbox.mark(entry.custom_id, "failed", human(err))
                self.notify(human(err), title="not sent", severity="error", timeout=10)
        else:
            self.outbox.done(entry.custom_id)
            if result is not None:
                self.store.add_event(entry.chat_id, result[0], result[1])
            if from_composer:
                self._composer_sent(entry)
        finally:
            self._inflight.discard(entry.custom_id)
            self.show_status(pending=len(self.outbox.pending()))
            if entry.chat_id == self.current_chat_id:
                self.show_transcript()

    def _composer_sent(self, entry: Any) -> None:
        """Clear the composer only if it still holds exactly what was sent."""
        from lcconsole.ui.widgets.composer import Composer

        composer = self.query_one(Composer)
        if entry.chat_id == self.current_chat_id and composer.text == entry.text:
            composer.clear()
        if self.drafts.get(entry.chat_id) == entry.text:
            self.set_draft(entry.chat_id, "")  # the row's draft marker goes too
            self.drafts.save()

    async def _send_entry(self, entry: Any) -> tuple[str, Any] | None:
        """The API calls for one entry; returns (thread_id, event) when the server says."""
        gateway = self.gateway
        if entry.kind in ("message", "note"):
            return await gateway.send_text(
                entry.chat_id,
                entry.text,
                custom_id=entry.custom_id,
                note=entry.kind == "note",
                recipients=entry.recipients,
            )
        return await gateway.attach(
            entry.chat_id, Path(entry.path), custom_id=entry.custom_id, as_image=entry.kind == "image"
        )

    def retry_outbox(self) -> None:
        """Timer: while connected, pending sends (e.g. after a 5xx) are tried again."""
        rtm = self.session.rtm if self.session is not None else None
        pending = [e for e in self.outbox.pending() if e.custom_id not in self._inflight]
        if self.session_ready and pending and rtm is not None and rtm.state.status == "connected":
            self.outbox_worker()

    @work(group="outbox", exclusive=True, exit_on_error=False)
    async def outbox_worker(self) -> None:
        """`deliver_outbox` in a worker."""
        await self.deliver_outbox()

    async def deliver_outbox(self) -> None:
        """After (re)login and on the retry timer: drop entries that already landed (custom_id),
        send the rest once. Only a definite "not there" sends: while the lookup that decides
        (the chat's latest thread) fails for a retryable reason, the entry waits for the next
        try."""
        pending = [e for e in self.outbox.pending() if e.custom_id not in self._inflight]
        undecided: set[str] = set()
        for chat_id in {e.chat_id for e in pending}:
            try:
                await self.sync.fetch_latest(chat_id, strict=True)
            except LiveChatError as err:
                if is_transient(err):
                    undecided.add(chat_id)
        for entry in pending:
            if self.store.find_custom_id(entry.chat_id, entry.custom_id) is not None:
                self.outbox.done(entry.custom_id)
            elif entry.chat_id not in undecided:
                self.deliver(entry)
        self.show_status(pending=len(self.outbox.pending()))
        if self.current_chat_id:
            self.show_transcript()
