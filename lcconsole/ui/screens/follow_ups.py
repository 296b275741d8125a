"""FollowUps: what the main screen does after the store changed, after a resync and once a second.

After a store change (once the `Painter` repainted it): a toast for a few new chats, the open
chat marked seen shortly when the agent is reading it, multicast notices, incomplete chats read
again, a word when the open chat went away. After a resync: the chat being read is seen, group
names are loaded (after the first one), the outbox goes out. Once a second: typing indicators
expire, drafts are saved, quiet rows are marked "as of" (and a refresh page read when due).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Protocol

from textual import log

from lcconsole.ui.changes import Changes
from lcconsole.ui.freshness import QUIET_SECTION, REFRESH_PAGE
from lcconsole.ui.screens.painter import Painter, new_chats_text
from lcconsole.ui.text import one_line

if TYPE_CHECKING:
    from lcconsole.ui.controllers.outbox_sender import OutboxSender
    from lcconsole.ui.controllers.session_controller import SessionController
    from lcconsole.ui.freshness import Freshness
    from lcconsole.ui.persist import Drafts
    from lcconsole.ui.screens.conversation import Conversation
    from lcconsole.ui.store import Store

SEEN_DELAY = 0.5  # seconds: new events in the chat being read are marked seen after this
ANNOUNCE_EVERY = 5.0  # seconds between "new chat" toasts


def _warm_up() -> None:
    """After the first full load, off the UI thread: import the modals (the first one opens
    without a pause), then keep the long-lived heap out of later full collections."""
    import lcconsole.ui.modals  # noqa: F401  (imported for its cost, ahead of the first modal)
    from lcconsole.ui.app import freeze_loaded_heap

    freeze_loaded_heap()


class FollowUpsView(Protocol):
    """What the follow-ups need from the screen (the painter and conversation once mounted)."""

    current_chat_id: str | None
    painter: Painter | None
    conversation: Conversation | None

    def notify(
        self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None
    ) -> None:
        """Tell the agent."""

    def spawn(self, work: Coroutine[Any, Any, Any], *, group: str, exclusive: bool = False) -> None:
        """Run `work` in the background (exclusive: cancelling the group's running one)."""

    def set_timer(self, delay: float, callback: Callable[[], Any]) -> Any:
        """Call `callback` once after `delay` seconds (the returned timer has `stop`)."""

    def on_store_changes(self, changes: Changes) -> None:
        """Paint `changes` (the screen's store listener)."""

    def action_mark_seen(self) -> None:
        """Mark the open chat seen."""

    def show_details(self) -> None:
        """Repaint the open chat's title and details panes."""


class FollowUps:
    """The screen's follow-ups (module docstring); `app_focused` says whether the terminal has
    the focus (a refresh page is read less often without it)."""

    def __init__(
        self,
        store: Store,
        freshness: Freshness,
        drafts: Drafts,
        sync: SessionController,
        outbox_sender: OutboxSender,
        view: FollowUpsView,
        app_focused: Callable[[], bool],
    ) -> None:
        self.store = store
        self.freshness = freshness
        self.drafts = drafts
        self.sync = sync
        self.outbox_sender = outbox_sender
        self.view = view
        self.app_focused = app_focused
        self._seen_timer: Any = None
        self._announced = -ANNOUNCE_EVERY

    def _reading(self) -> str | None:
        conversation = self.view.conversation
        return conversation.reading if conversation is not None else None

    def after_paint(self, changes: Changes, new_rows: list[str]) -> None:
        """After the painter painted `changes` (`new_rows`: chats new to the list)."""
        view, current = self.view, self.view.current_chat_id
        synced = self.sync.lifecycle.synced
        if synced and 0 < len(new_rows) <= 3 and time.monotonic() - self._announced >= ANNOUNCE_EVERY:
            self._announced = time.monotonic()  # at most one toast every few seconds
            view.notify(new_chats_text(self.store, new_rows), timeout=3)
        can_call = self.sync.lifecycle.can_call
        if current and current in changes.new_event_chats and can_call and self._reading() == current:
            if self._seen_timer is not None:  # marked seen shortly (debounced)
                self._seen_timer.stop()
            self._seen_timer = view.set_timer(SEEN_DELAY, view.action_mark_seen)
        for notice in changes.notices:
            view.notify(one_line(notice, 300), title="multicast", timeout=8)
        if changes.refetch:
            view.spawn(self.sync.refetch(sorted(changes.refetch)), group="refetch")
        if current in changes.removed:
            view.notify("this chat is no longer accessible", severity="warning")

    async def resynced(self, first: bool) -> None:
        """After a resync: the chat being read is seen, the outbox goes out (and after the first
        one, the modals are imported in the background and group names loaded)."""
        current = self.view.current_chat_id
        if current is not None and current == self._reading():
            self.view.spawn(self.sync.mark_seen(current), group="seen")
        if first:
            self.view.spawn(asyncio.to_thread(_warm_up), group="warm")
            self.view.spawn(self.load_group_names(), group="groups", exclusive=True)
        await self.outbox_sender.deliver_pending()

    async def load_group_names(self) -> None:
        """Group names from the Configuration API's list_groups. Without them (a token lacking
        `groups--all:ro`, a server without that API) groups stay numbers: no notification."""
        from lcconsole.errors import LiveChatError

        try:
            names = await self.sync.gateway.group_names()
        except LiveChatError as err:
            log.warning(f"list_groups: {err.type}: {err.message}")
            return
        self.store.group_names = names
        self.view.show_details()

    def tick(self) -> None:
        """Once a second: expire typing indicators, save drafts, keep quiet rows honest."""
        self.store.expire_typing()
        self.drafts.save()
        self.check_freshness()

    def check_freshness(self) -> None:
        """Mark (or unmark) "as of" on quiet rows in view; read a refresh page when one is due."""
        painter = self.view.painter
        if painter is None:
            return
        chat_list = painter.panes.chat_list
        in_view = [chat_list.items[cid] for cid in chat_list.ids_in_view()]
        flipped = self.freshness.flipped((i.chat_id, i.section, i.as_of) for i in in_view)
        if flipped:
            self.view.on_store_changes(Changes(chats=flipped))
        quiet = any(i.section == QUIET_SECTION for i in in_view)
        if self.sync.lifecycle.synced and self.freshness.due(quiet, self.app_focused()):
            self.view.spawn(self.refresh_quiet_rows(), group="refresh", exclusive=True)

    async def refresh_quiet_rows(self) -> None:
        """One summary page: rows no push keeps current are read again
        (`lcconsole.ui.freshness`); a failure waits for the next round quietly."""
        if await self.sync.refresh_summaries(REFRESH_PAGE):
            self.check_freshness()
