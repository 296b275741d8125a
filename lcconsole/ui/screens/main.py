"""MainScreen: chat list · transcript + composer · customer + properties panes · status bar.

Data goes down from the `Store` (one listener hands each change to the `Painter`, which repaints
only what it touched); intent comes up as the widgets' messages and the keys' actions. The screen
composes, binds keys and owns what is open and focused; the behaviour lives in collaborators it
builds and hands itself as a small view protocol (`ui/controllers/`: the session, the outbox
sender, the commands, the chat and console actions, the message actions, the notices;
`ui/screens/`: the painter, the navigator, the conversation, the pane layout and the follow-ups
of store changes, resyncs and the clock), run in its workers (docs/architecture.md, "The
main screen and its collaborators").
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Input, Static

from lcconsole.ui.changes import Changes
from lcconsole.ui.chat_items import ChatListItem
from lcconsole.ui.controllers.chat_actions import ChatActions
from lcconsole.ui.controllers.chat_commands import ChatCommands
from lcconsole.ui.controllers.console_actions import ConsoleActions
from lcconsole.ui.controllers.message_actions import MessageActions
from lcconsole.ui.controllers.notices import Notices
from lcconsole.ui.controllers.outbox_sender import OutboxSender
from lcconsole.ui.controllers.session_controller import Lifecycle, SessionController
from lcconsole.ui.freshness import Freshness
from lcconsole.ui.keymap import PROPERTIES_PANE_ACTIONS, is_chat_key, screen_action_offered, screen_bindings
from lcconsole.ui.persist import Drafts, Outbox, UnreadMarks
from lcconsole.ui.screens.conversation import Conversation
from lcconsole.ui.screens.flow_keys import FlowKeys
from lcconsole.ui.screens.follow_ups import FollowUps
from lcconsole.ui.screens.layout import PaneLayout
from lcconsole.ui.screens.navigation import Navigator
from lcconsole.ui.screens.painter import Painter, Panes, Sources
from lcconsole.ui.status import StatusBar
from lcconsole.ui.store import Store
from lcconsole.ui.text import sanitize
from lcconsole.ui.transcript_feed import TranscriptFeed
from lcconsole.ui.widgets.chat_list import ChatList
from lcconsole.ui.widgets.composer import Composer
from lcconsole.ui.widgets.customer_panel import CustomerPanel
from lcconsole.ui.widgets.footer import FittedFooter
from lcconsole.ui.widgets.properties_panel import PropertiesPanel
from lcconsole.ui.widgets.transcript import Transcript

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from lcconsole.ui.app import ConsoleApp

OUTBOX_RETRY = 10.0  # seconds between retries of pending sends while connected
KEYS_WAIT = 5.0
"""Seconds keys typed during the start-up wait at most for the login's list (then they go)."""


class MainScreen(FlowKeys, Screen[None]):
    """The console's one working screen."""

    IS_MAIN = True
    BINDINGS = screen_bindings() + [
        Binding("slash", "filter", "Filter", show=False, id="chat.filter", tooltip="Filter the chat list by typing."),
    ]

    assumed_capabilities: frozenset[str] | None = None
    """What the screen offers before a connection says (None: every action)."""

    @property
    def console_app(self) -> ConsoleApp:
        """The app, as the console's own (its settings, clock, data dir, session)."""
        return cast("ConsoleApp", self.app)

    def __init__(self, first_rows: Sequence[ChatListItem] = ()) -> None:
        """`first_rows`: the chat list the start-up screen showed (read from the login answer),
        shown until the store holds that login (the same rows)."""
        super().__init__(id="main")
        self.first_rows = first_rows
        self.store = Store(wall=self.console_app.clock)
        self.freshness = Freshness(self.store, clock=self.console_app.clock)
        data_dir = self.console_app.data_dir
        self.drafts = Drafts.in_data_dir(data_dir)
        self.outbox = Outbox.in_data_dir(data_dir)
        self.unread_marks = UnreadMarks.in_data_dir(data_dir)
        self.current_chat_id: str | None = None
        self.sync = SessionController(self.store, self)
        self.outbox_sender = OutboxSender(self.outbox, self.sync, self)
        self.commands = ChatCommands(self.sync, self)
        self.chat_actions = ChatActions(self.commands, self.outbox_sender, self)
        self.console_actions = ConsoleActions(self.commands, self)
        self.message_actions = MessageActions(self.store, self)
        self.notices = Notices(self.store, self, self.console_app.settings.notify)
        self.feed = TranscriptFeed()  # the open chat's transcript entries
        self.pane_layout = PaneLayout(self)
        self.follow_ups = FollowUps(
            self.store, self.freshness, self.drafts, self.sync, self.outbox_sender, self, lambda: self.app.app_focus
        )
        # built on mount, with the widgets they work on:
        self.painter: Painter | None = None
        self.navigator: Navigator | None = None
        self.conversation: Conversation | None = None

    # --- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="left", classes="pane"):
                yield Input(placeholder="/ filter chats", id="chat-filter", compact=True)
                yield Static("", id="list-state", markup=False)
                yield ChatList(id="chat-list", clock=self.console_app.clock)
            with Vertical(id="centre", classes="pane"):
                yield Static("", id="chat-title")
                yield Transcript(id="transcript")
                yield Composer(id="composer", enter_sends=self.console_app.settings.enter_sends)
            with Vertical(id="right", classes="pane"):
                yield CustomerPanel(id="customer-panel")
                yield PropertiesPanel(id="properties-panel")
        yield StatusBar(id="status")
        yield FittedFooter(compact=True)

    def on_mount(self) -> None:
        chat_list, composer, status = self.query_one(ChatList), self.query_one(Composer), self.query_one(StatusBar)
        panes = Panes(
            chat_list=chat_list,
            list_state=self.query_one("#list-state", Static),
            title=self.query_one("#chat-title", Static),
            transcript=self.query_one(Transcript),
            composer=composer,
            customer=self.query_one(CustomerPanel),
            properties=self.query_one(PropertiesPanel),
            status=status,
        )
        sources = Sources(
            freshness=self.freshness,
            drafts=self.drafts,
            outbox=self.outbox,
            unread_marks=self.unread_marks,
            notices=self.notices,
            console_actions=self.console_actions,
            feed=self.feed,
            clock=self.console_app.clock,
        )
        self.painter = Painter(self.store, panes, sources)
        self.navigator = Navigator(self.store, chat_list, self.query_one("#chat-filter", Input), composer, self)
        self.conversation = Conversation(
            self.chat_actions,
            self.drafts,
            self.unread_marks,
            self.notices,
            self.painter,
            self.navigator,
            composer,
            self,
        )
        status.demo = self.console_app.settings.demo
        status.pending = len(self.outbox.pending())
        self.pane_layout.fit(self.app.size.width)
        chat_list.focus()
        composer.canned = dict(self.console_app.settings.canned)
        composer.slot_values = self.canned_slots
        self.set_interval(1.0, self.follow_ups.tick)
        self.set_interval(OUTBOX_RETRY, self.outbox_sender.retry)
        if self.session is not None and self.session.rtm is not None:
            self.sync.on_rtm_state(self.session.rtm.state)  # the session started before the mount
        if self.first_rows:
            chat_list.set_items(list(self.first_rows))
        self.store.subscribe(self.on_store_changes)  # what the store holds now is painted below
        self.on_store_changes(Changes(chats=set(self.store.chats), profile=self.store.me is not None))
        if self.current_chat_id is None and self.sync.logins:
            self.open_first_chat()

    def on_resize(self, event: Any) -> None:
        self.pane_layout.fit(event.size.width)

    def show_pane(self, which: str) -> None:
        """Show the `left` or `centre` pane if the agent hid it."""
        self.pane_layout.show(which)

    # --- the session ----------------------------------------------------------------------------

    @property
    def session(self) -> Any:
        """The `Session` (client, RTM, gateway) once started, else None."""
        return self.sync.session

    @property
    def session_ready(self) -> bool:
        """A login answered: the gateway may be called."""
        return self.sync.lifecycle.can_call

    @property
    def synced(self) -> bool:
        """The first resync is done (new chats are announced after it)."""
        return self.sync.lifecycle.synced

    @work(group="session", exclusive=True, exit_on_error=False)
    async def start_session(self) -> None:
        """Start (demo emulator,) client and RTM, then apply pushes; the controller's login
        listener resyncs."""
        from lcconsole.ui.session import Session

        app = self.console_app
        app.session = app.session or Session(app.settings)
        try:
            if await self.sync.start(app.session):
                self.spawn(self.sync.push_loop(), group="pushes", exclusive=True)
                with contextlib.suppress(TimeoutError):  # keys typed meanwhile go to the list once
                    # its first chat shows (else a key may land before or after that)
                    await asyncio.wait_for(self.sync.settled.wait(), KEYS_WAIT)
        finally:
            self._drop_unstored_rows()
            app.release_keys()

    def _drop_unstored_rows(self) -> None:
        """Rows the start-up screen read from the login answer that the store does not hold
        (the login failed after all) leave the list."""
        rows, self.first_rows = self.first_rows, ()
        if rows and self.is_mounted:  # (not mounted yet: on_mount will not show them)
            chat_list = self.query_one(ChatList)
            for chat_id in [cid for cid in chat_list.items if cid not in self.store.chats]:
                chat_list.remove(chat_id)

    def spawn(self, work: Coroutine[Any, Any, Any], *, group: str, exclusive: bool = False) -> None:
        """Run a controller's coroutine in a worker of this screen."""
        self.run_worker(work, group=group, exclusive=exclusive, exit_on_error=False)

    async def first_paint(self) -> None:
        """Wait (at most 0.25 s) until what the store holds now is painted."""
        painted = asyncio.Event()
        self.call_after_refresh(painted.set)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(painted.wait(), 0.25)

    def open_first_chat(self) -> None:
        """Show the first chat of the list (not read: the agent has not opened it)."""
        if self.navigator is not None:  # not mounted yet: on_mount opens it
            self.navigator.show_first()

    async def resynced(self, first: bool) -> None:
        """After a resync: the follow-ups (the chat being read is seen, the outbox goes out)."""
        await self.follow_ups.resynced(first)

    # --- the store ------------------------------------------------------------------------------

    def on_store_changes(self, changes: Changes) -> None:
        """Store listener: the painter repaints what `changes` touched; then the follow-ups (new-chat
        toast, the open chat read, notices, chats to re-read)."""
        if self.painter is None:
            return
        new_rows = self.painter.paint(changes, self.current_chat_id, synced=self.synced)
        self.follow_ups.after_paint(changes, new_rows)

    # --- painting (the views' requests) ---------------------------------------------------------

    def show_status(self, **values: Any) -> None:
        """Set status-bar fields (ignored while the screen is not mounted, or closing)."""
        try:  # query_one by id is cached; a query() walks the whole screen (every resync page)
            status = self.query_one("#status", StatusBar)
        except NoMatches:
            return
        for name, value in values.items():
            setattr(status, name, value)
        if "state" in values:  # (the reconnect key is offered while a try waits)
            self.refresh_bindings()

    def show_details(self) -> None:
        """Repaint the open chat's title and details panes."""
        if self.painter is not None:
            self.painter.show_details(self.current_chat_id)

    def show_transcript(self) -> None:
        """Repaint the open chat's transcript (its outbox entries changed)."""
        if self.painter is not None:
            self.painter.show_transcript(self.current_chat_id)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: str = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications never interpret markup and never show control sequences."""
        self.app.notify(
            sanitize(str(message))[:2000],
            title=sanitize(str(title))[:200],
            severity=cast("SeverityLevel", severity),
            timeout=timeout,
            markup=markup,
        )

    def terminal_write(self, sequence: str) -> None:
        """An escape sequence to the terminal (bell, title, desktop notification, clipboard)."""
        self.console_app.terminal_write(sequence)

    # --- opening and reading chats --------------------------------------------------------------

    def on_chat_list_chat_highlighted(self, message: ChatList.ChatHighlighted) -> None:
        """The cursor shows a chat; it is not read until opened (Enter)."""
        self.open_chat(message.chat_id)

    def on_chat_list_chat_selected(self, message: ChatList.ChatSelected) -> None:
        """Enter (or a click) opens and reads the chat; Esc in the composer returns to the list."""
        self.open_chat(message.chat_id)
        self.read_chat(message.chat_id)
        self._nav().reply_from_list()

    def open_chat(self, chat_id: str) -> None:
        """Show a chat now from the store, then fetch its threads."""
        if self.conversation is not None:
            self.conversation.open(chat_id)

    def read_chat(self, chat_id: str) -> None:
        """The agent opened or answered the chat: seen up to now."""
        if self.conversation is not None:
            self.conversation.read(chat_id)

    def select_chat(self, chat_id: str | None) -> None:
        """Highlight a chat in the list and show it (nothing for None)."""
        if chat_id and self.navigator is not None:
            self.navigator.select(chat_id)

    def highlighted_row(self) -> Any:
        """The chat-list row under the cursor, or None."""
        chat_list = self.query_one(ChatList)
        return chat_list.items.get(chat_list.selected_chat_id or "")

    def highlighted_message(self) -> Any:
        """The transcript's highlighted entry, else its newest message, else None."""
        transcript = self.query_one(Transcript)
        entry = transcript.cursor_entry
        if entry is None:
            entry = next((e for e in reversed(transcript.entries) if e.kind != "thread_start"), None)
        return entry

    def on_transcript_load_older_requested(self, message: Any) -> None:
        self._conv().load_older(quiet=True)

    # --- the composer ---------------------------------------------------------------------------

    def in_composer(self) -> bool:
        """Whether the focus is in the composer."""
        focused = self.focused
        composer = self.query_one(Composer)
        return focused is not None and (focused is composer or composer in focused.ancestors)

    def on_composer_submitted(self, message: Any) -> None:
        self._run(self._conv().submit(message.text, note=message.note), group="compose")  # (never cancel one)

    def on_composer_typing_changed(self, message: Any) -> None:
        self._conv().typing_changed(message.is_typing)

    def on_text_area_changed(self, event: Any) -> None:
        self._conv().text_changed()

    def edit_in_composer(self, text: str, *, note: bool) -> bool:
        """Put `text` in the empty composer, in its audience, and focus it (False: it holds a text)."""
        return self.query_one(Composer).restore(text, note=note)

    def canned_slots(self) -> dict[str, str]:
        """What canned-response slots are filled with in the open chat."""
        from lcconsole.ui.canned import slot_values

        chat_id = self.current_chat_id
        return slot_values(self.store, chat_id, self.store.current_thread(chat_id or "") if chat_id else None)

    def composer_refused(self, entry: Any) -> bool:
        """The server refused the composer's text for good: back into the composer when its chat
        is open and the composer empty (True); else the sender keeps it as a failed message."""
        if entry.chat_id != self.current_chat_id:
            return False
        return self.query_one(Composer).restore(entry.text, note=entry.kind == "note")

    def outbox_changed(self, chat_id: str | None) -> None:
        """The pending count, and the open chat's transcript when its entries changed."""
        self.show_status(pending=len(self.outbox.pending()))
        if self.current_chat_id and chat_id in (None, self.current_chat_id):
            self.show_transcript()

    # --- modals and the clipboard (for the actions) ---------------------------------------------

    def opening(self) -> AbstractContextManager[None]:
        """Announce a flow that may open a modal (it runs inside the result): keys typed
        meanwhile wait for it."""
        return self.console_app.keygate.opening()

    async def ask(self, modal: Any, *, asked: bool = True) -> Any:
        """Show a modal and wait for its result (None = cancelled). `asked=False`: a question the
        agent did not ask for; keys typed before it shows do not answer it (`KeyGate.interrupting`)."""
        dismissed = self.app.push_screen(modal, wait_for_dismiss=True)
        if asked:
            self.console_app.keygate.opened(dismissed)
        else:
            self.console_app.keygate.interrupting(modal, dismissed)
        return await asyncio.shield(dismissed)  # as push_screen_wait: a cancelled flow leaves it up

    def show_modal(self, modal: Any, callback: Any = None) -> None:
        """Show a modal without waiting (`callback` gets its result)."""
        self.app.push_screen(modal, callback)
        self.console_app.keygate.opened()

    def copy_text(self, text: str, what: str) -> None:
        """Copy `text` (OSC 52 and the local clipboard) and, when `what` names it, say so."""
        self.message_actions.copy_text(text, what)

    def copy_to_clipboard(self, text: str) -> None:
        """Copy `text` with the terminal's clipboard."""
        self.app.copy_to_clipboard(text)

    # --- what the keys may do -------------------------------------------------------------------

    def capabilities(self) -> frozenset[str] | None:
        """The connection's capabilities (`gateway.Capability` values), else the assumed ones."""
        offered = self.sync.capabilities()
        return offered if offered is not None else self.assumed_capabilities

    def is_offered(self, action: str) -> bool:
        """Whether the screen action `action` is offered by this connection (check_action)."""
        return screen_action_offered(action, self.capabilities())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Single-key chat actions are off while typing (the footer then shows what matters)."""
        if self.painter is None:
            return True
        if not self.is_offered(action):
            return False  # the connection's API version has no such thing: hidden
        if action == "reconnect_now":
            return self.sync.waiting_to_reconnect()
        typing = self.in_composer() or self.focused is self.query_one("#chat-filter")
        return not (typing and (is_chat_key(action) or action == "filter"))

    # --- bindings (each key's help is in `keymap.KEY_ACTIONS`) ---------------------------------------
    # Textual's part (focus, panes, the list) is done here; a flow with modals and server calls is
    # a collaborator's, run in a worker of this screen (`_run`; most of those keys: `FlowKeys`).

    def _run(self, work: Coroutine[Any, Any, Any], group: str = "action", exclusive: bool = False) -> None:
        self.spawn(work, group=group, exclusive=exclusive)

    def _nav(self) -> Navigator:
        assert self.navigator is not None, "keys and the widgets' messages come once mounted"
        return self.navigator

    def _conv(self) -> Conversation:
        assert self.conversation is not None, "keys and the widgets' messages come once mounted"
        return self.conversation

    def action_toggle_pane(self, which: str) -> None:
        self.pane_layout.toggle(which, self.app.size.width)

    def action_focus_area(self, area: str) -> None:
        if area == "composer":
            self._nav().enter_composer()
        else:
            self.show_pane("left")
            self.query_one(ChatList).focus()

    def action_filter(self) -> None:
        self.show_pane("left")
        self.query_one("#chat-filter", Input).focus()

    def action_toggle_sort(self) -> None:
        self._nav().toggle_sort()
        self._show_list_state()

    def action_toggle_theme(self) -> None:
        self.console_app.action_toggle_theme()

    def action_help(self) -> None:
        from lcconsole.ui.screens.help import HelpScreen, main_screen_panes

        self.app.push_screen(HelpScreen(self.console_app.keymap_overrides, main_screen_panes(), self.capabilities()))

    def action_help_keys(self) -> None:
        self.action_help()  # `?` outside the composer, where it is just a character

    def action_reply(self) -> None:
        if self.chat_actions.open_chat_id():
            self._nav().enter_composer("customer")

    def action_note(self) -> None:
        if self.chat_actions.open_chat_id():
            self._nav().enter_composer("note")

    def action_toggle_note(self) -> None:
        self._nav().toggle_note()

    def action_back(self) -> None:
        self._nav().back()

    def action_jump(self, what: str, step: int) -> None:
        self._nav().jump(what, step)

    def action_switcher(self) -> None:
        self._run(self._nav().switcher())

    def action_mark_seen(self) -> None:
        if self.current_chat_id:
            self.read_chat(self.current_chat_id)

    def action_mark_unseen(self) -> None:
        self._conv().mark_unread()

    def action_load_older(self) -> None:
        self._conv().load_older()

    def action_message_cursor(self, delta: int) -> None:
        self.query_one(Transcript).move_cursor(delta)

    def action_reconnect_now(self) -> None:
        self.sync.reconnect_now()  # (offered only while a try waits: `check_action`)

    # --- the widgets' messages ------------------------------------------------------------------

    @on(Input.Changed, "#chat-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_one(ChatList).filter_text = event.value
        self._show_list_state()

    def _show_list_state(self) -> None:
        if self.painter is not None:
            self.painter.show_list_state()

    @on(Input.Submitted, "#chat-filter")
    def _filter_done(self) -> None:
        self._nav().filter_done()

    def on_transcript_postback_pressed(self, message: Any) -> None:
        """A rich-message button pressed in the transcript."""
        chat_id = self.current_chat_id
        if chat_id and self.session_ready:
            args = (message.thread_id, message.event_id, message.postback_id, message.toggled)
            self._run(self.commands.press_button(chat_id, *args), group="postback")

    async def on_customer_panel_edit_requested(self, message: Any) -> None:
        await self.run_action("edit_customer")

    async def on_properties_panel_edit_requested(self, message: Any) -> None:
        """The properties pane's own keys: chat/thread properties, tags, access, users."""
        action = PROPERTIES_PANE_ACTIONS.get(getattr(message, "kind", ""))
        if action:
            await self.run_action(action)

    # --- closing --------------------------------------------------------------------------------

    async def on_unmount(self) -> None:
        """The app is closing (any way): save and close the session."""
        await self.shutdown()

    async def shutdown(self) -> None:
        """Save the draft and close the session (idempotent)."""
        if self.sync.lifecycle is Lifecycle.STOPPED:
            return
        self.notices.restore_title()
        if self.conversation is not None and self.query(Composer):  # gone in on_unmount (recorded)
            self.conversation.keep_draft()
        self.drafts.save()
        self.outbox.save()
        await self.sync.stop()
