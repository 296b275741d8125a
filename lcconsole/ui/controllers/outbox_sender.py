"""The outbox sender: sends what the agent wrote or attached, exactly once.

Every message or file is recorded in the durable `Outbox` before it is sent and leaves it only
once the server has it. A transient failure keeps the entry pending (tried again on the retry
timer and after every resync, first checking by `custom_id` whether the earlier try landed); a
definite refusal marks it failed (or, when it came straight from the composer, puts the text
back there). The sender knows the screen only as an `OutboxView`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from lcconsole.errors import LiveChatError, is_transient
from lcconsole.ui.text import human

if TYPE_CHECKING:
    from lcconsole.ui.controllers.session_controller import SessionController
    from lcconsole.ui.persist import Outbox, OutboxEntry


class OutboxView(Protocol):
    """What the sender needs from the screen."""

    def notify(
        self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None
    ) -> None:
        """Tell the agent."""

    def spawn(self, work: Coroutine[Any, Any, Any], *, group: str, exclusive: bool = False) -> None:
        """Run `work` in the background (exclusive: cancelling the group's running one)."""

    def composer_refused(self, entry: OutboxEntry) -> bool:
        """`entry` came from the composer and the server refused it for good: put it back there
        (True), or leave it to the outbox as failed (False)."""

    def outbox_changed(self, chat_id: str | None) -> None:
        """Entries of `chat_id` (None: of any chat) were sent, kept or failed: repaint."""


class OutboxSender:
    """Sends outbox entries through the session's gateway; `inflight` holds the custom ids being
    sent right now (never two sends of one entry at once)."""

    def __init__(self, outbox: Outbox, sync: SessionController, view: OutboxView) -> None:
        self.outbox = outbox
        self.sync = sync
        self.view = view
        self.inflight: set[str] = set()
        self._in_order: dict[str, asyncio.Lock] = {}  # chat id -> one send at a time

    def waiting(self) -> list[OutboxEntry]:
        """Pending entries no send is working on."""
        return [e for e in self.outbox.pending() if e.custom_id not in self.inflight]

    def send(self, entry: OutboxEntry, *, from_composer: bool = False) -> None:
        """Deliver `entry` in the background."""
        self.view.spawn(self.deliver(entry, from_composer=from_composer), group="send")

    def retry(self) -> None:
        """Timer: while connected, pending sends (e.g. after a 5xx) are tried again."""
        if self.sync.lifecycle.can_call and self.waiting() and self.sync.rtm_connected:
            self.view.spawn(self.deliver_pending(), group="outbox", exclusive=True)

    async def deliver(self, entry: OutboxEntry, *, from_composer: bool = False) -> None:
        """Send one entry and settle it: done, pending (retry later) or failed. The outbox is on
        disk before the request goes out; the entries of one chat go one at a time, in the order
        asked (a burst of sends arrives in the order typed)."""
        if entry.custom_id in self.inflight:
            return
        self.inflight.add(entry.custom_id)
        try:
            async with self._in_order.setdefault(entry.chat_id, asyncio.Lock()):
                await self.outbox.flush()
                if not self.sync.lifecycle.can_call:
                    if from_composer:
                        self.view.notify("offline: the message is in the outbox", severity="warning")
                    return
                await self._settle(entry, from_composer)
        finally:
            self.inflight.discard(entry.custom_id)
        await self.outbox.flush()

    async def _settle(self, entry: OutboxEntry, from_composer: bool) -> None:
        try:
            result = await self._send(entry)
        except LiveChatError as err:
            if is_transient(err):
                self.outbox.mark(entry.custom_id, "pending", human(err))
                self.view.notify(f"{human(err)} — kept in the outbox, will retry", severity="warning")
            else:
                self.view.notify(self._refusal(err, entry.chat_id), title="not sent", severity="error", timeout=10)
                if from_composer and self.view.composer_refused(entry):
                    self.outbox.done(entry.custom_id)
                else:
                    self.outbox.mark(entry.custom_id, "failed", human(err))
        else:
            self.outbox.done(entry.custom_id)
            if result is not None:
                self.sync.store.add_event(entry.chat_id, result[0], result[1])
        finally:
            self.view.outbox_changed(entry.chat_id)

    def _refusal(self, err: LiveChatError, chat_id: str) -> str:
        """The refusal as the agent reads it; when the chat has no place for me (a queued chat,
        another agent's, a closed one), says what to do first: the server's words read like a fault."""
        if err.type == "missing_access" and not self._in_chat(chat_id):
            return f"you are not in this chat: take it from the queue first, or be added to it\n({human(err)})"
        if err.type == "chat_inactive":
            return f"this chat is closed: reopen it first (Activate)\n({human(err)})"
        return human(err)

    def _in_chat(self, chat_id: str) -> bool:
        summary = self.sync.store.chats.get(chat_id)
        me = self.sync.store.my_id
        return summary is None or any(u.id == me and getattr(u, "type", None) == "agent" for u in summary.users)

    async def _send(self, entry: OutboxEntry) -> tuple[str, Any] | None:
        """The API calls for one entry; returns (thread_id, event) when the server says."""
        gateway = self.sync.gateway
        sent: tuple[str, Any] | None
        if entry.kind in ("message", "note"):
            sent = await gateway.send_text(
                entry.chat_id,
                entry.text,
                custom_id=entry.custom_id,
                note=entry.kind == "note",
                recipients=entry.recipients,
            )
        else:
            sent = await gateway.attach(
                entry.chat_id, Path(entry.path), custom_id=entry.custom_id, as_image=entry.kind == "image"
            )
        return sent

    async def deliver_pending(self) -> None:
        """After (re)login and on the retry timer: drop entries that already landed (custom_id),
        send the rest once. Only a definite "not there" sends: while the lookup that decides
        (the chat's latest thread) fails for a retryable reason, the entry waits for the next
        try."""
        pending = self.waiting()
        undecided: set[str] = set()
        for chat_id in {e.chat_id for e in pending}:
            try:
                await self.sync.fetch_latest(chat_id, strict=True)
            except LiveChatError as err:
                if is_transient(err):
                    undecided.add(chat_id)
        for entry in pending:
            if self.sync.store.known.find_custom_id(entry.chat_id, entry.custom_id) is not None:
                self.outbox.done(entry.custom_id)
            elif entry.chat_id not in undecided:
                self.send(entry)
        self.view.outbox_changed(None)
        await self.outbox.flush()
