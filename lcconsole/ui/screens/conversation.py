"""The open chat and its composer: which chat is shown and which one the agent reads, its draft,
its latest thread fetched on opening, older threads on request, what the composer sends, and the
typing indicator.

A chat is *read* (marked seen) only when the agent opens it (Enter) or answers it; moving the
list cursor over it shows it without reading it. The `Conversation` knows the screen only as a
`ConversationView` and is given the painter, the navigator and the composer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from lcconsole.ui.controllers.chat_actions import ChatActions
    from lcconsole.ui.controllers.notices import Notices
    from lcconsole.ui.persist import Drafts, UnreadMarks
    from lcconsole.ui.screens.navigation import Navigator
    from lcconsole.ui.screens.painter import Painter
    from lcconsole.ui.widgets.composer import Composer

DRAFT_DELAY = 0.4
OPEN_DELAY = 0.05  # the list cursor held down: only the chat it stops on is fetched


class ConversationView(Protocol):
    """What the conversation needs from the screen."""

    current_chat_id: str | None

    def in_composer(self) -> bool:
        """Whether the focus is in the composer."""

    def spawn(self, work: Coroutine[Any, Any, Any], *, group: str, exclusive: bool = False) -> None:
        """Run `work` in the background (exclusive: cancelling the group's running one)."""

    def notify(
        self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None
    ) -> None:
        """Tell the agent."""

    def set_timer(self, delay: float, callback: Any) -> Any:
        """Call `callback` after `delay` seconds (a timer with `stop()`)."""


class Conversation:
    """The open chat (`view.current_chat_id`), the chat being read (`reading`) and the composer's
    text as each chat's draft."""

    def __init__(
        self,
        actions: ChatActions,
        drafts: Drafts,
        unread_marks: UnreadMarks,
        notices: Notices,
        painter: Painter,
        navigator: Navigator,
        composer: Composer,
        view: ConversationView,
    ) -> None:
        self.actions = actions
        self.commands = actions.commands
        self.sync = actions.sync
        self.store = actions.store
        self.drafts = drafts
        self.unread_marks = unread_marks
        self.notices = notices
        self.painter = painter
        self.navigator = navigator
        self.composer = composer
        self.view = view
        self.reading: str | None = None  # the chat the agent opened (new events in it are read)
        self.typing_chat: str | None = None  # the chat shown when the composer text was begun
        self._draft_timer: Any = None
        self._submitting = asyncio.Lock()

    # --- opening and reading ----------------------------------------------------------------------

    def open(self, chat_id: str) -> None:
        """Show a chat now from the store (in its own composer mode), then fetch its threads."""
        current = self.view.current_chat_id
        if chat_id == current:
            return
        if current:
            self.drafts.set(current, self.composer.text)
            self.drafts.save()
            self.navigator.leave_chat(current)
        self.view.current_chat_id = chat_id
        if self.reading != chat_id:
            self.reading = None
        if not self.view.in_composer():
            self.typing_chat = None  # the agent is not typing: the next text begins here
        self.navigator.enter_chat(chat_id)
        self.notices.seen_by_agent(chat_id)
        self.composer.text = self.drafts.get(chat_id)
        self.painter.show_details(chat_id)
        self.painter.show_transcript(chat_id)
        self.painter.show_typing(chat_id)
        if self.sync.lifecycle.can_call:
            self.view.spawn(self.load(chat_id), group="open", exclusive=True)

    async def load(self, chat_id: str) -> None:
        """Fetch the chat's latest thread (and mark it seen when the agent opened it)."""
        await asyncio.sleep(OPEN_DELAY)
        since = self.store.begin_fetch()
        call = self.sync.gateway.chat(chat_id, self.sync.latest_id(chat_id))
        ok, chat = await self.commands.call("open chat", call)
        if not ok or self.view.current_chat_id != chat_id:
            return
        self.store.merge_chat(chat, since=since)
        self.painter.show_new_marker(chat_id)
        if self.reading == chat_id:
            await self.sync.mark_seen(chat_id)

    def read(self, chat_id: str) -> None:
        """The agent opened or answered the chat: seen up to now, no longer marked unread. What
        they type next begins here (a text begun in another chat is asked about only when the
        chat changed without their asking)."""
        self.reading = chat_id
        if chat_id == self.view.current_chat_id:
            self.typing_chat = None
        if self.unread_marks.mark(chat_id, False):
            self.painter.repaint_row(chat_id)
        if self.sync.lifecycle.can_call:
            self.view.spawn(self.sync.mark_seen(chat_id), group="seen")

    def mark_unread(self) -> None:
        """Mark the open chat unread (until it is opened or answered)."""
        chat_id = self.view.current_chat_id
        if not chat_id:
            return
        if self.reading == chat_id:
            self.reading = None
        self.unread_marks.mark(chat_id, True)
        self.painter.repaint_row(chat_id)
        self.view.notify("marked unread", timeout=2)

    def load_older(self, *, quiet: bool = False) -> None:
        """The thread before the oldest loaded one of the open chat ("no older threads" unless
        `quiet`)."""
        chat_id = self.view.current_chat_id
        if chat_id and self.sync.lifecycle.can_call:
            self.view.spawn(self._older(chat_id, quiet), group="older", exclusive=True)

    async def _older(self, chat_id: str, quiet: bool) -> None:
        ok, found = await self.commands.call("older threads", self.sync.read_older(chat_id))
        if ok and not found and not quiet:
            self.view.notify("no older threads", timeout=2)

    # --- the composer -----------------------------------------------------------------------------

    async def submit(self, text: str, *, note: bool) -> None:
        """Send what the composer gave up to the chat shown now (`ChatActions.send` asks first
        when the text was begun in another chat), then that chat is read. One submission at a
        time, in the order sent; a text not sent goes back (`put_back`)."""
        async with self._submitting:
            chat_id, began = self.view.current_chat_id, self.typing_chat
            self.typing_chat = None  # keys typed after the send begin the next message
            if chat_id and await self.actions.send(text, chat_id, note=note, began=began):
                self.read(chat_id)
            else:
                self.typing_chat = began
                self.put_back(text, note=note, chat_id=chat_id or began)

    def put_back(self, text: str, *, note: bool, chat_id: str | None) -> None:
        """A text the composer gave up and that was not sent: into the composer again when it is
        empty (with its audience), else kept as a failed message of `chat_id` (retry, edit or
        copy it from there)."""
        if not self.composer.restore(text, note=note) and chat_id:
            self.actions.keep_unsent(chat_id, text, note=note)

    def typing_changed(self, is_typing: bool) -> None:
        """Typing indicators for customer messages (never for notes, nor a draft just loaded)."""
        chat_id = self.view.current_chat_id
        if not (chat_id and self.sync.lifecycle.can_call) or self.composer.mode == "note":
            return
        if is_typing and not self.view.in_composer():
            return  # a draft loaded on switching chats is not typing
        self.view.spawn(self.commands.typing(chat_id, is_typing), group="typing", exclusive=True)

    def text_changed(self) -> None:
        """Composer edits become the chat's draft (written to disk shortly after)."""
        text, chat_id = self.composer.text, self.view.current_chat_id
        if self.typing_chat is None and text.strip() and self.view.in_composer():
            self.typing_chat = chat_id  # where the agent began this message
        if chat_id and self.set_draft(chat_id, text):
            if self._draft_timer is not None:
                self._draft_timer.stop()
            self._draft_timer = self.view.set_timer(DRAFT_DELAY, self.drafts.save)

    def set_draft(self, chat_id: str, text: str) -> bool:
        """Remember a chat's draft (not saved yet) and keep its row's draft marker in step;
        True when the draft changed."""
        had_draft = bool(self.drafts.get(chat_id).strip())
        if not self.drafts.set(chat_id, text):
            return False
        if had_draft != bool(text.strip()):
            self.painter.repaint_row(chat_id)  # the draft marker
        return True

    def keep_draft(self) -> None:
        """Record the open chat's composer text as its draft and save the drafts (closing)."""
        if self.view.current_chat_id:
            self.drafts.set(self.view.current_chat_id, self.composer.text)
        self.drafts.save()
