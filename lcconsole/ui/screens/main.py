"""MainScreen: chat list · transcript + composer · customer + properties panes · status bar.

Data goes down from the `Store` (one listener repaints only what a change touched); intent comes
up as the widgets' messages. The behaviour lives in collaborators the screen builds
(`ui/controllers/`: the session, the outbox sender, the chat commands, the notices) and runs in
its workers; the screen composes, binds keys and paints (docs/architecture.md, "The main screen
and its collaborators").
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from dataclasses import replace
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from lcconsole.ui.controllers.chat_actions import ChatActions
from lcconsole.ui.controllers.chat_commands import ChatCommands
from lcconsole.ui.controllers.console_actions import ConsoleActions
from lcconsole.ui.controllers.notices import Notices
from lcconsole.ui.controllers.outbox_sender import OutboxSender
from lcconsole.ui.controllers.screen_view import current_thread_id
from lcconsole.ui.controllers.session_controller import Lifecycle, SessionController
from lcconsole.ui.freshness import QUIET_SECTION, Freshness
from lcconsole.ui.keymap import screen_bindings
from lcconsole.ui.persist import Drafts, Outbox, UnreadMarks
from lcconsole.ui.screens.conversation import ConversationMixin
from lcconsole.ui.screens.messages import MessagesMixin
from lcconsole.ui.screens.navigation import NavigationMixin
from lcconsole.ui.screens.panes import ANNOUNCE_EVERY, PanesMixin
from lcconsole.ui.status import StatusBar
from lcconsole.ui.store import Changes, Store
from lcconsole.ui.text import one_line, sanitize
from lcconsole.ui.transcript_feed import TranscriptFeed
from lcconsole.ui.viewmodels import chat_list_item
from lcconsole.ui.widgets.chat_list import ChatList
from lcconsole.ui.widgets.composer import Composer
from lcconsole.ui.widgets.customer_panel import CustomerPanel
from lcconsole.ui.widgets.footer import FittedFooter
from lcconsole.ui.widgets.properties_panel import PropertiesPanel
from lcconsole.ui.widgets.transcript import Transcript

SMALL = 100  # below this width the chat list is narrower
MIN_TRANSCRIPT = 60  # columns the conversation keeps; the details pane narrows or hides first
LEFT_WIDTHS = (30, 34)  # chat list: narrow, normal (styles/app.tcss)
RIGHT_WIDE, RIGHT_SLIM = 42, 26  # details pane widths (styles/app.tcss)
DRAFT_DELAY = 0.4
SEEN_DELAY = 0.5
OUTBOX_RETRY = 10.0  # seconds between retries of pending sends while connected


def _warm_up() -> None:
    """After the first full load, off the UI thread: import the modals (the first one opens
    without a pause)."""
    import lcconsole.ui.modals  # noqa: F401  (imported for its cost, ahead of the first modal)


class MainScreen(
    NavigationMixin,
    PanesMixin,
    ConversationMixin,
    MessagesMixin,
    Screen,
):
    """The console's one working screen."""

    IS_MAIN = True
    BINDINGS = screen_bindings() + [
        Binding("slash", "filter", "Filter", show=False, id="chat.filter", tooltip="Filter the chat list by typing."),
    ]

    def __init__(self) -> None:
        super().__init__(id="main")
        self.store = Store(wall=self.app.clock)
        self.freshness = Freshness(self.store, clock=self.app.clock)
        data_dir = self.app.data_dir
        self.drafts = Drafts(data_dir / "drafts.json" if data_dir else None)
        self.outbox = Outbox(data_dir / "outbox.json" if data_dir else None)
        self.unread_marks = UnreadMarks(data_dir / "unread.json" if data_dir else None)
        self.composer_modes: dict[str, str] = {}  # chat id -> "note" (customer when absent)
        self._typing_chat: str | None = None  # the chat shown when the composer text was begun
        self.current_chat_id: str | None = None
        self.sync = SessionController(self.store, self)
        self.outbox_sender = OutboxSender(self.outbox, self.sync, self)
        self.commands = ChatCommands(self.sync, self)
        self.chat_actions = ChatActions(self.commands, self.outbox_sender, self)
        self.console_actions = ConsoleActions(self.commands, self)
        self.ready = False  # mounted: the widgets exist (store changes before that wait for on_mount)
        self._draft_timer: Any = None
        self._seen_timer: Any = None
        self._announced = -ANNOUNCE_EVERY
        self.feed = TranscriptFeed()  # the open chat's transcript entries
        self._right_fits = True
        self._right_hidden_by_user = False
        self.notices = Notices(self.store, self, self.app.settings.notify)
        self.store.subscribe(self.on_store_changes)

    # --- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="left", classes="pane"):
                yield Input(placeholder="/ filter chats", id="chat-filter", compact=True)
                yield Static("", id="list-state", markup=False)
                yield ChatList(id="chat-list", clock=self.app.clock)
            with Vertical(id="centre", classes="pane"):
                yield Static("", id="chat-title")
                yield Transcript(id="transcript")
                yield Composer(id="composer", enter_sends=self.app.settings.enter_sends)
            with Vertical(id="right", classes="pane"):
                yield CustomerPanel(id="customer-panel")
                yield PropertiesPanel(id="properties-panel")
        yield StatusBar(id="status")
        yield FittedFooter(compact=True)

    def on_mount(self) -> None:
        status = self.query_one(StatusBar)
        status.demo = self.app.settings.demo
        status.pending = len(self.outbox.pending())
        self._fit_panes(self.app.size.width)
        self.query_one(ChatList).focus()
        composer = self.query_one(Composer)
        composer.canned = dict(self.app.settings.canned)
        composer.slot_values = self.canned_slots
        self.set_interval(1.0, self._tick)
        self.set_interval(OUTBOX_RETRY, self.outbox_sender.retry)
        self.ready = True
        if self.session is not None and self.session.rtm is not None:
            self.sync.on_rtm_state(self.session.rtm.state)  # the session started before the mount
        self.on_store_changes(Changes(chats=set(self.store.chats), profile=self.store.me is not None))
        if self.current_chat_id is None and self.sync.logins:
            self.open_first_chat()

    # --- the session ----------------------------------------------------------------------------

    @property
    def session(self) -> Any:
        """The `Session` (client, RTM, gateway) once started, else None."""
        return self.sync.session

    @property
    def gateway(self) -> Any:
        """The session's `Gateway` (every server call goes through it)."""
        return self.sync.gateway

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

        app = self.app
        app.session = app.session or Session(app.settings)
        if await self.sync.start(app.session):
            self.spawn(self.sync.push_loop(), group="pushes", exclusive=True)

    def terminal_write(self, sequence: str) -> None:
        """An escape sequence to the terminal (bell, title, desktop notification)."""
        self.app.terminal_write(sequence)

    def spawn(self, work: Coroutine[Any, Any, Any], *, group: str, exclusive: bool = False) -> None:
        """Run a controller's coroutine in a worker of this screen."""
        self.run_worker(work, group=group, exclusive=exclusive, exit_on_error=False)

    def show_status(self, **values: Any) -> None:
        """Set status-bar fields (ignored while the screen is not mounted, or closing)."""
        found = self.query("#status")
        if found:
            for name, value in values.items():
                setattr(found.first(), name, value)

    async def first_paint(self) -> None:
        """Wait (at most 0.25 s) until what the store holds now is painted."""
        painted = asyncio.Event()
        self.call_after_refresh(painted.set)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(painted.wait(), 0.25)

    def open_first_chat(self) -> None:
        """Show the first chat of the list (not read: the agent has not opened it)."""
        if not self.ready:  # on_mount opens it
            return
        chat_list = self.query_one(ChatList)
        visible = list(chat_list.visible_ids)
        if visible:
            chat_list.selected_chat_id = visible[0]
            self.open_chat(visible[0])

    async def resynced(self, first: bool) -> None:
        """After a resync: the chat being read is seen, the outbox goes out (and after the first
        one, the modals are imported in the background)."""
        if self.current_chat_id is not None and self.current_chat_id == self._reading:
            self.mark_seen_worker(self.current_chat_id)
        if first:
            self.run_worker(_warm_up, thread=True, group="warm", exit_on_error=False)
            self.load_group_names()
        await self.outbox_sender.deliver_pending()

    @work(group="groups", exclusive=True, exit_on_error=False)
    async def load_group_names(self) -> None:
        """Group names from the Configuration API's list_groups. Without them (a token lacking
        `groups--all:ro`, a server without that API) groups stay numbers: no notification."""
        from lcconsole.errors import LiveChatError

        try:
            names = await self.gateway.group_names()
        except LiveChatError as err:
            self.log.warning(f"list_groups: {err.type}: {err.message}")
            return
        self.store.group_names = names
        self.show_details()

    @work(group="refetch", exit_on_error=False)
    async def refetch_chats(self, chat_ids: list[str]) -> None:
        """Re-read chats a push left incomplete."""
        await self.sync.refetch(chat_ids)

    @work(group="refresh", exclusive=True, exit_on_error=False)
    async def refresh_quiet_rows(self) -> None:
        """One summary page: rows no push keeps current are read again
        (`lcconsole.ui.freshness`); a failure waits for the next round quietly."""
        from lcconsole.ui.freshness import REFRESH_PAGE

        if await self.sync.refresh_summaries(REFRESH_PAGE):
            self._check_freshness()

    def on_resize(self, event: Any) -> None:
        self._fit_panes(event.size.width)

    def _fit_panes(self, width: int) -> None:
        """The transcript keeps MIN_TRANSCRIPT columns: the details pane is full, slim, or (when
        even slim does not fit) hidden, and F3 then shows it as an overlay."""
        self.set_class(width < SMALL, "-narrow")
        left = 0 if self.has_class("-hide-left") else LEFT_WIDTHS[width >= SMALL]
        room = width - left - MIN_TRANSCRIPT
        self.set_class(RIGHT_SLIM <= room < RIGHT_WIDE, "-slim-right")
        self._right_fits = room >= RIGHT_SLIM
        if not self._right_fits:
            self.add_class("-hide-right")
        else:
            self.remove_class("-overlay-right")
            if not self._right_hidden_by_user:
                self.remove_class("-hide-right")

    def action_toggle_pane(self, which: str) -> None:
        """Show or hide the left or right pane (the right one as an overlay when it does not fit)."""
        if which == "right" and not self._right_fits:
            self.toggle_class("-overlay-right")
            return
        if which == "right":
            self._right_hidden_by_user = not self.has_class("-hide-right")
        self.toggle_class(f"-hide-{which}")
        if which == "left":
            self._fit_panes(self.app.size.width)

    def action_focus_area(self, area: str) -> None:
        """Focus the chat list or the composer (in the open chat's mode)."""
        if area == "composer":
            self.enter_composer()
        else:
            self.remove_class("-hide-left")
            self.query_one(ChatList).focus()

    def action_filter(self) -> None:
        """Focus the chat filter."""
        self.remove_class("-hide-left")
        self.query_one("#chat-filter", Input).focus()

    def action_toggle_sort(self) -> None:
        """Waiting time <-> last activity."""
        chat_list = self.query_one(ChatList)
        chat_list.sort_mode = "activity" if chat_list.sort_mode == "waiting" else "waiting"
        self._show_list_state()
        self.notify(f"sorted by {'last activity' if chat_list.sort_mode == 'activity' else 'waiting time'}", timeout=2)

    def action_toggle_theme(self) -> None:
        """Dark <-> light."""
        self.app.action_toggle_theme()

    def action_help(self) -> None:
        """The live keymap."""
        from lcconsole.ui.screens.help import HelpScreen

        panes = [
            ("Chat list", ChatList.BINDINGS),
            ("Transcript", Transcript.BINDINGS),
            ("Composer", Composer.BINDINGS),
            ("Customer pane", CustomerPanel.BINDINGS),
            ("Properties pane", PropertiesPanel.BINDINGS),
        ]
        self.app.push_screen(HelpScreen(self.app.keymap_overrides, panes, self.capabilities()))

    def action_help_keys(self) -> None:
        """`?`: the live keymap (outside the composer, where `?` is just a character)."""
        self.action_help()

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
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def _in_composer(self) -> bool:
        focused = self.focused
        composer = self.query_one(Composer)
        return focused is not None and (focused is composer or composer in focused.ancestors)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Single-key chat actions are off while typing (the footer then shows what matters)."""
        from lcconsole.ui.keymap import ACTIONS

        if not self.ready:
            return True
        if not self.is_offered(action):
            return False  # the connection's API version has no such thing: hidden
        typing = self._in_composer() or self.focused is self.query_one("#chat-filter")
        if typing:
            for spec in ACTIONS:
                if spec.area == "chat" and spec.action.split("(")[0] == action:
                    return False
            if action == "filter":
                return False
        return True

    @on(Input.Changed, "#chat-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_one(ChatList).filter_text = event.value
        self._show_list_state()

    def _show_list_state(self) -> None:
        """The active filter and a non-default sort, shown under the filter until cleared."""
        chat_list = self.query_one(ChatList)
        parts = []
        if chat_list.filter_text.strip():
            parts.append(f"filter: {one_line(chat_list.filter_text, 40)} (esc clears)")
        if chat_list.sort_mode != "waiting":
            parts.append("sorted by last activity (s)")
        state = self.query_one("#list-state", Static)
        state.update(" · ".join(parts))
        state.display = bool(parts)

    @on(Input.Submitted, "#chat-filter")
    def _filter_done(self) -> None:
        """Enter in the filter: back to the list, on the first match if the cursor is hidden."""
        chat_list = self.query_one(ChatList)
        visible = chat_list.visible_ids
        if visible and chat_list.selected_chat_id not in visible:
            chat_list.selected_chat_id = visible[0]
        if chat_list.selected_chat_id:
            self.open_chat(chat_list.selected_chat_id)
            self.read_chat(chat_list.selected_chat_id)
        chat_list.focus()

    # --- the agent's actions (ui/controllers: ChatActions, ConsoleActions) ----------------------

    def _run(self, work: Coroutine[Any, Any, Any], group: str = "action", exclusive: bool = False) -> None:
        self.spawn(work, group=group, exclusive=exclusive)

    def action_take_chat(self) -> None:
        """`a`: join the highlighted queued chat."""
        self._run(self.chat_actions.take(), exclusive=True)

    def action_attach(self) -> None:
        """Send a file or an image."""
        self._run(self.chat_actions.attach())

    def action_outbox(self, what: str) -> None:
        """Retry, edit or copy the open chat's failed messages."""
        self.chat_actions.failed_sends(what)

    def action_close_chat(self) -> None:
        """Close the chat (asks first)."""
        self._run(self.chat_actions.close())

    def action_reopen_chat(self) -> None:
        """Reopen an inactive chat."""
        self._run(self.chat_actions.reopen())

    def action_follow_chat(self) -> None:
        """Follow the chat."""
        self._run(self.chat_actions.follow(True))

    def action_unfollow_chat(self) -> None:
        """Stop following the chat."""
        self._run(self.chat_actions.follow(False))

    def action_transfer_chat(self) -> None:
        """Transfer the chat to agents or a group."""
        self._run(self.chat_actions.transfer())

    def action_add_user(self) -> None:
        """Add an agent to the chat."""
        self._run(self.chat_actions.change_user("add"))

    def action_remove_user(self) -> None:
        """Remove an agent from the chat (asks first)."""
        self._run(self.chat_actions.change_user("remove"))

    def action_access(self, action: str) -> None:
        """Grant, revoke or set a group's access (asks first)."""
        self._run(self.chat_actions.access(action))

    def action_tag(self) -> None:
        """Tag the current thread."""
        self._run(self.chat_actions.tag("add"))

    def action_untag(self) -> None:
        """Remove a tag from the current thread."""
        self._run(self.chat_actions.tag("remove"))

    def action_property(self, level: str, delete: bool) -> None:
        """Set or delete chat, thread or event properties."""
        self._run(self.chat_actions.properties(level, delete))

    def action_postback(self) -> None:
        """Press the first button of the newest rich message (asks first)."""
        self._run(self.chat_actions.press_newest_button())

    def action_request_summary(self) -> None:
        """Ask for an AI summary of the current thread."""
        self._run(self.chat_actions.request_summary())

    def action_send_thinking(self) -> None:
        """Show the customer that an answer is being prepared."""
        self._run(self.chat_actions.send_thinking())

    def action_edit_customer(self) -> None:
        """Edit the open chat's customer."""
        self._run(self.console_actions.edit_customer())

    def action_new_customer(self) -> None:
        """Create a customer."""
        self._run(self.console_actions.new_customer())

    def action_ban_customer(self) -> None:
        """Ban the open chat's customer (asks first)."""
        self._run(self.console_actions.ban_customer())

    def action_earlier_chats(self) -> None:
        """The customer's earlier chats and last visit."""
        self._run(self.console_actions.browse_earlier())

    def action_start_chat(self) -> None:
        """Start a chat with a customer."""
        self._run(self.console_actions.start_chat())

    def action_customers(self) -> None:
        """The customers browser."""
        self._run(self.console_actions.customers())

    def action_archives(self) -> None:
        """The archives browser."""
        self._run(self.console_actions.archives())

    def action_visitors(self) -> None:
        """The visitors on the website."""
        self._run(self.console_actions.browse_visitors())

    def action_multicast(self) -> None:
        """A message to agents."""
        self._run(self.console_actions.multicast())

    def action_toggle_away(self) -> None:
        """Away <-> back."""
        self._run(self.console_actions.toggle_away(), group="routing", exclusive=True)

    def action_toggle_routing(self) -> None:
        """Accepting chats <-> not (asks first)."""
        self._run(self.console_actions.toggle_routing(), group="routing", exclusive=True)

    def on_transcript_postback_pressed(self, message: Any) -> None:
        """A rich-message button pressed in the transcript."""
        chat_id = self.current_chat_id
        if chat_id and self.session_ready:
            press = self.commands.press_button(
                chat_id, message.thread_id, message.event_id, message.postback_id, message.toggled
            )
            self._run(press, group="postback")

    def on_customer_panel_edit_requested(self, message: Any) -> None:
        self.run_action("edit_customer")

    def on_properties_panel_edit_requested(self, message: Any) -> None:
        """The properties pane's own keys: chat/thread properties, tags, access, users."""
        actions = {
            "chat_properties": "property('chat', False)",
            "thread_properties": "property('thread', False)",
            "event_properties": "property('event', False)",
            "tags": "tag",
            "access": "access('grant')",
            "users": "add_user",
        }
        action = actions.get(getattr(message, "kind", ""))
        if action:
            self.run_action(action)

    # --- what the actions need from the screen (`ActionsView`) -----------------------------------

    async def ask(self, modal: Any) -> Any:
        """Show a modal and wait for its result (None = cancelled)."""
        return await self.app.push_screen_wait(modal)

    def show_modal(self, modal: Any, callback: Any = None) -> None:
        """Show a modal without waiting (`callback` gets its result)."""
        self.app.push_screen(modal, callback)

    def highlighted_row(self) -> Any:
        """The chat-list row under the cursor, or None."""
        chat_list = self.query_one(ChatList)
        return chat_list.items.get(chat_list.selected_chat_id or "")

    def select_chat(self, chat_id: str | None) -> None:
        """Highlight a chat in the list and show it."""
        if chat_id:
            self.query_one(ChatList).selected_chat_id = chat_id
            self.open_chat(chat_id)

    def edit_in_composer(self, text: str) -> None:
        """Put `text` in the composer and focus it."""
        composer = self.query_one(Composer)
        composer.text = text
        composer.focus_input()

    def copy_to_clipboard(self, text: str) -> None:
        """Copy `text` with the terminal's clipboard."""
        self.app.copy_to_clipboard(text)

    assumed_capabilities: frozenset[str] | None = None
    """What the screen offers before a connection says (None: every action)."""

    def capabilities(self) -> frozenset[str] | None:
        """The connection's capabilities (`gateway.Capability` values), else the assumed ones."""
        offered = self.sync.capabilities()
        return offered if offered is not None else self.assumed_capabilities

    def is_offered(self, action: str) -> bool:
        """Whether the screen action `action` is offered by this connection (check_action)."""
        from lcconsole.ui.keymap import ACTIONS, offered

        capabilities = self.capabilities()
        if capabilities is None:
            return True
        return all(offered(spec.id, capabilities) for spec in ACTIONS if spec.action.split("(")[0] == action)

    # --- store -> widgets -----------------------------------------------------------------------

    def chat_item(self, chat_id: str, chat_list: ChatList | None = None) -> Any:
        """The chat-list row of a chat, from the store."""
        summary = self.store.chats[chat_id]
        previous = (chat_list or self.query_one(ChatList)).items.get(chat_id)
        thread = self.store.current_thread(chat_id)
        item = chat_list_item(
            summary,
            self.store.my_id,
            self.store.my_last_seen(chat_id),
            unread=self.store.unread(chat_id),
            previous=previous,
            history=thread.events if thread else (),
            marked_unread=chat_id in self.unread_marks,
        )
        as_of = self.freshness.as_of(chat_id, item.section)
        if as_of is not None:
            item = replace(item, as_of=as_of)
        typing = self.store.typing_in(chat_id)
        customer = self.store.customer_of(chat_id) if typing is not None else None
        is_typing = customer is not None and typing.author_id == customer.id
        has_draft = bool(self.drafts.get(chat_id).strip())
        if is_typing or has_draft:
            item = replace(item, typing=is_typing, draft=has_draft)
        return item

    def on_store_changes(self, changes: Changes) -> None:
        """Repaint exactly what `changes` touched."""
        if not self.ready:
            return
        chat_list = self.query_one(ChatList)
        for chat_id in changes.removed:
            chat_list.remove(chat_id)
        new_rows = [cid for cid in changes.chats if cid in self.store.chats and cid not in chat_list.items]
        if self.synced and 0 < len(new_rows) <= 3:
            self._announce(new_rows)
        # only the changed rows are rebuilt; the list re-lays out once (a resync page)
        rows = []
        for chat_id in changes.chats:
            if chat_id in self.store.chats:
                previous = chat_list.items.get(chat_id)
                item = self.chat_item(chat_id, chat_list)
                rows.append(item)
                if self.synced:
                    self.notices.note_row(chat_id, previous, item, chat_id in changes.new_event_chats)
        chat_list.upsert_many(rows)
        self.notices.flush()
        current = self.current_chat_id
        if current and current in changes.chats:
            self.show_details()
        if current and current in changes.transcripts:
            delta = changes.transcript_delta(current)
            self.show_transcript(delta, rebuild=delta is None)
        elif current and current in changes.chats:
            self.show_transcript()  # only names can have changed (cheap to check)
        if current and current in changes.new_event_chats and self.session_ready and self._reading == current:
            self._schedule_seen()
        if current and current in changes.typing:
            self.show_typing()
        for chat_id in changes.typing - changes.chats:  # the row's typing marker
            if chat_id in chat_list.items and chat_id in self.store.chats:
                chat_list.upsert(self.chat_item(chat_id))
        if changes.profile:
            self.show_profile()
        for notice in changes.notices:
            self.notify(one_line(notice, 300), title="multicast", timeout=8)
        if changes.refetch:
            self.refetch_chats(sorted(changes.refetch))
        if current in changes.removed:
            self.notify("this chat is no longer accessible", severity="warning")

    def _schedule_seen(self) -> None:
        """New events in the open chat: mark it seen shortly (debounced)."""
        if self._seen_timer is not None:
            self._seen_timer.stop()
        self._seen_timer = self.set_timer(SEEN_DELAY, self.action_mark_seen)

    def _tick(self) -> None:
        """Once a second: expire typing indicators, save drafts, keep quiet rows honest."""
        self.store.expire_typing()
        self.drafts.save()
        self._check_freshness()

    def _check_freshness(self) -> None:
        """Mark (or unmark) "as of" on quiet rows in view; read a refresh page when one is due."""
        chat_list = self.query_one(ChatList)
        in_view = [chat_list.items[cid] for cid in chat_list.ids_in_view()]
        flipped = self.freshness.flipped((i.chat_id, i.section, i.as_of) for i in in_view)
        if flipped:
            self.on_store_changes(Changes(chats=flipped))
        quiet = any(i.section == QUIET_SECTION for i in in_view)
        if self.synced and self.freshness.due(quiet, self.app.app_focus):
            self.refresh_quiet_rows()

    # --- chat selection and drafts --------------------------------------------------------------

    def on_chat_list_chat_highlighted(self, message: ChatList.ChatHighlighted) -> None:
        """The cursor shows a chat; it is not read until opened (Enter)."""
        self.open_chat(message.chat_id)

    def on_chat_list_chat_selected(self, message: ChatList.ChatSelected) -> None:
        """Enter (or a click) opens and reads the chat; Esc in the composer returns to the list."""
        self.open_chat(message.chat_id)
        self.read_chat(message.chat_id)
        self._origin = None
        self.enter_composer()
        self._origin = self.query_one(ChatList)

    def open_chat(self, chat_id: str) -> None:
        """Show a chat now from the store (in its own composer mode), then fetch its threads."""
        if chat_id == self.current_chat_id:
            return
        composer = self.query_one(Composer)
        if self.current_chat_id:
            self.drafts.set(self.current_chat_id, composer.text)
            self.drafts.save()
            self.composer_modes[self.current_chat_id] = composer.mode  # ctrl+n in the composer too
        self.current_chat_id = chat_id
        if self._reading != chat_id:
            self._reading = None
        if not self._in_composer():
            self._typing_chat = None  # the agent is not typing: the next text begins here
        composer.mode = self.composer_modes.get(chat_id, "customer")
        self.notices.seen_by_agent(chat_id)
        composer.text = self.drafts.get(chat_id)
        self.show_details()
        self.show_transcript()
        self.show_typing()
        if self.session_ready:
            self.load_chat(chat_id)

    def on_text_area_changed(self, event: Any) -> None:
        """Composer edits become the chat's draft (written to disk shortly after)."""
        text = self.query_one(Composer).text
        if self._typing_chat is None and text.strip() and self._in_composer():
            self._typing_chat = self.current_chat_id  # where the agent began this message
        chat_id = self.current_chat_id
        if chat_id and self.set_draft(chat_id, text):
            if self._draft_timer is not None:
                self._draft_timer.stop()
            self._draft_timer = self.set_timer(DRAFT_DELAY, self.drafts.save)

    def set_draft(self, chat_id: str, text: str) -> bool:
        """Remember a chat's draft (not saved yet) and keep its row's draft marker in step;
        True when the draft changed."""
        had_draft = bool(self.drafts.get(chat_id).strip())
        if not self.drafts.set(chat_id, text):
            return False
        if had_draft != bool(text.strip()) and chat_id in self.store.chats:
            self.query_one(ChatList).upsert(self.chat_item(chat_id))  # the draft marker
        return True

    def canned_slots(self) -> dict[str, str]:
        """What canned-response slots are filled with in the open chat."""
        from lcconsole.ui.canned import slot_values

        chat_id = self.current_chat_id
        return slot_values(self.store, chat_id, self.store.current_thread(chat_id or "") if chat_id else None)

    def current_thread_id(self) -> str | None:
        """The open chat's newest thread id (from loaded threads or the summary)."""
        return current_thread_id(self.store, self.current_chat_id)

    async def on_unmount(self) -> None:
        """The app is closing (any way): save and close the session."""
        await self.shutdown()

    async def shutdown(self) -> None:
        """Save the draft and close the session (idempotent)."""
        if self.sync.lifecycle is Lifecycle.STOPPED:
            return
        self.notices.restore_title()
        composers = self.query(Composer)  # gone when called from on_unmount (already recorded)
        if self.current_chat_id and composers:
            self.drafts.set(self.current_chat_id, composers.first().text)
        self.drafts.save()
        self.outbox.save()
        await self.sync.stop()
