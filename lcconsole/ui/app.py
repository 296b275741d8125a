"""ConsoleApp: paints a light start-up screen first, then imports the panes and connects.

The first frame needs only Textual: the main screen (panes, pydantic view models) is imported in a
thread worker after mount, and the network (httpx, websockets, the demo emulator) starts after
that, from the main screen. With a server, the login goes out first, and the chat list read from
its answer shows on the start-up screen while the rest loads (docs/architecture.md, Start-up).
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from lcconsole.config import ConfigError, Settings, default_data_dir, save_theme
from lcconsole.ui.commands import ConsoleCommands
from lcconsole.ui.keygate import KeyGate
from lcconsole.ui.status import StatusBar

if TYPE_CHECKING:
    from lcconsole.ui.chat_items import ChatListItem

STYLESHEETS = ("app.tcss", "layout.tcss", "panes.tcss", "modals.tcss")
"""The console's stylesheets: the first (start-up screen) before the first frame, the main
screen's two right after it, the modals' (the last) when the first modal is pushed."""
PRELOADED = (
    "lcconsole.ui.persist",
    "lcconsole.ui.widgets.chat_list",
    "pydantic",
    "lcconsole.wire.objects",
    "lcconsole.gateway",
    "lcconsole.rtm.connection",
    "lcconsole.ui.viewmodels",
    "lcconsole.ui.store",
    "lcconsole.ui.widgets.composer",
)
"""Imported by the loader, in this order, once the login is sent (off the UI thread, for their
cost): first what shows the chat list read from the login answer, then the RTM stack and the
panes' heaviest modules, one at a time: the loader waits between two while that list draws."""
V36_ANSWER_READER = "lcconsole.wire.v36.canonical_json"
"""Imported first over v3.6: the first list is read from the login answer through it."""
FIRST_LIST_WAIT = 1.0
"""Seconds the loader waits at most for the first list to draw (only a closing app takes long)."""
DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


def freeze_loaded_heap() -> None:
    """Applied once, after the first full load (imports done, the chat list loaded, the modals
    imported): everything alive then lives as long as the app, so it leaves the collector's
    generations (`gc.freeze()`). Without this, every full collection walks it all while holding
    the GIL: 40-170 ms with a single chat and growing with the chats loaded, which is what a
    pushed message waited for at the p95. A young collection first, so fresh garbage is not
    kept for good. (Before that, the collector is paused until the main screen painted:
    `ui.cli.main`.)"""
    gc.collect(1)
    gc.freeze()


def styles_dir() -> Path:
    """`styles/` of a source checkout, or `lcconsole/_styles` inside an installed wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_styles", here.parent / "styles"):
        if (candidate / "app.tcss").exists():
            return candidate
    return here.parent / "styles"


def stylesheet_paths() -> list[Path]:
    """Every stylesheet the app loads (they must all exist, also after installation)."""
    return [styles_dir() / name for name in STYLESHEETS]


class StartupScreen(Screen):
    """What the first frame shows while the panes load and the connection starts; then, when
    the login answers before the panes are ready, the chat list read from that answer
    (`show_chats`), where the main screen will show it."""

    def __init__(self, demo: bool) -> None:
        super().__init__(id="startup")
        self.demo = demo
        self.rows: list[ChatListItem] = []
        """The chat list's rows shown (`show_chats`)."""

    def compose(self) -> ComposeResult:
        yield Static("lcconsole · starting" + (" the demo emulator" if self.demo else "") + "…", id="startup-text")
        bar = StatusBar(id="status")
        bar.demo = self.demo
        yield bar

    def show_chats(self, items: list[ChatListItem], clock: Callable[[], float]) -> None:
        """The chat list (`ui.chat_items` rows), in the main screen's list pane; read-only: keys
        wait for the main screen (`KeyGate.park_until`)."""
        from textual.containers import Horizontal, Vertical

        from lcconsole.ui.screens.layout import SMALL
        from lcconsole.ui.widgets.chat_list import ChatList

        chat_list = ChatList(id="chat-list", clock=clock)
        chat_list.can_focus = False
        chat_list.set_items(items)
        self.rows = items
        text = self.query_one("#startup-text", Static)
        self.set_class(self.app.size.width < SMALL, "-narrow")
        panes = Horizontal(
            Vertical(Static("/ filter chats", id="chat-filter"), chat_list, id="left", classes="pane"),
            Vertical(Static(str(text.content), id="startup-text"), id="centre", classes="pane"),
            id="panes",
        )
        text.remove()
        self.mount(panes, before=self.query_one(StatusBar))


class ConsoleApp(App[int]):
    """The LiveChat agent console."""

    TITLE = "lcconsole"
    CSS_PATH = [str(stylesheet_paths()[0])]
    COMMANDS = App.COMMANDS | {ConsoleCommands}
    BINDINGS = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="app.quit",
            priority=True,
            tooltip="Quit the console (drafts and outbox are kept).",
        ),
        Binding("ctrl+p", "command_palette", "Commands", id="app.palette", tooltip="Search every action."),
    ]

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        session: Any = None,
        data_dir: Path | None = None,
        clock: Callable[[], float] = time.time,
        connect: bool = True,
    ) -> None:
        """`session` defaults to `Session(settings)`; `connect=False` builds the screen only
        (snapshots fill the store themselves); `clock` feeds the "waiting for" times."""
        super().__init__()
        self.settings = settings or Settings()
        self.session = session
        self.data_dir = data_dir if data_dir is not None else default_data_dir()
        self.clock = clock
        self.connect = connect
        self.keymap_overrides: dict[str, str] = dict(self.settings.keymap)
        self.main_screen: Any = None
        self.keygate = KeyGate(self, lambda key: App.on_event(self, key))
        self._loader_may_run = threading.Event()
        self._loader_may_run.set()
        self.started: asyncio.Future[None] | None = None
        """Done once the main screen's list settled (or could not): keys typed before wait for it."""

    def get_driver_class(self) -> Any:
        """Textual's driver for this platform; on Linux and macOS, `ConsoleDriver` (Esc and a
        key typed in one burst are read as meant: `ui/terminal_input.py`)."""
        driver = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        if driver is LinuxDriver:
            from lcconsole.ui.terminal_input import ConsoleDriver

            return ConsoleDriver
        return driver

    async def on_event(self, event: events.Event) -> None:
        """Keys from the terminal pass the KeyGate (a burst is applied in order, each key after
        the focus change of the one before); a key that bubbled back ran its binding."""
        if isinstance(event, events.Key):
            if not event.is_forwarded:
                await self.keygate.arrive(event)
                return
            await super().on_event(event)
            self.keygate.reached_app(event)
            return
        await super().on_event(event)

    def on_mount(self) -> None:
        """Theme and keymap from the config, then the start-up screen and the loader."""
        self.theme = self.settings.theme if self.settings.theme in self.available_themes else DARK_THEME
        self.settings.theme = self.theme  # only a change by the user is written back
        if self.keymap_overrides:
            self.set_keymap(self.keymap_overrides)
            self.run_worker(self._check_keymap, thread=True, group="keymap", exit_on_error=False)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.push_screen(StartupScreen(self.settings.demo))
        self.started = asyncio.get_running_loop().create_future()
        self.keygate.park_until(self.started)  # nothing to type into before the main screen
        self.call_after_refresh(self._load_pane_styles)
        # the loader starts once the first frame is out: a thread importing while that frame is
        # rendered takes the GIL from it
        self.call_after_refresh(self.run_worker, self._load_main, thread=True, group="boot", exit_on_error=False)

    def _load_pane_styles(self) -> None:
        """Parse the main screen's stylesheets once the first frame is out (~20-35 ms that the
        first frame does not wait for). They style none of the start-up screen's nodes, so
        nothing is restyled here: the main screen's widgets get them as they mount."""
        self._load_styles(stylesheet_paths()[1:-1])

    def _load_styles(self, paths: list[Path]) -> None:
        new = [path for path in paths if not self.stylesheet.has_source(str(path))]
        for path in new:
            self.stylesheet.read(path)
        if new:
            self.stylesheet.parse()

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """As `App.push_screen`; the modals' stylesheet is parsed before the first screen that
        goes over the main screen mounts (~8 ms the chat list no longer waits for)."""
        if self.main_screen is not None:
            self._load_styles(stylesheet_paths()[-1:])
        return super().push_screen(screen, *args, **kwargs)

    def _check_keymap(self) -> None:
        """Say which `[keymap]` ids name no binding (off the UI thread: it imports every modal)."""
        from lcconsole.ui.keymap import unknown_ids

        unknown = unknown_ids(self.keymap_overrides)
        if unknown:
            self.call_from_thread(
                self.notify,
                "unknown binding id in [keymap]: " + ", ".join(unknown)[:300] + " (see F1 for the ids)",
                title="config",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def _load_main(self) -> None:
        """Import the main screen (panes, models, client) off the UI thread, then show it."""
        if self.connect:  # the RTM socket opens and logs in while the rest imports; then the RTM
            # stack: the session starts while the screen mounts (the HTTP client's modules load
            # after the login painted the list: ui/session.py)
            importlib.import_module("lcconsole.rtm.opening")

            self.call_from_thread(self._connect_early)
            v36 = self.session is not None and self.session.version != "3.0"
            for module in (V36_ANSWER_READER, *PRELOADED) if v36 else PRELOADED:
                self._loader_may_run.wait(FIRST_LIST_WAIT)  # (both need the GIL: the list first)
                importlib.import_module(module)
        from lcconsole.ui.screens.main import MainScreen

        self.call_from_thread(self._show_main, MainScreen)
        # (the modals are imported after the first resync: an import here competes for the GIL
        # with logging in and painting the list)

    def _connect_early(self) -> None:
        """Start the session's RTM login ahead of the screens (a real server only)."""
        from lcconsole.ui.session import Session

        self.session = self.session or Session(self.settings)
        self.session.connect_early(on_answer=self._login_answered)

    def _login_answered(self, frame: dict[str, Any]) -> None:
        """The login answered while the start-up screen still shows: its chat list shows now,
        read from the answer without the models (`ui.chat_items.login_items`). The main screen
        reads the same answer into the store and shows the same rows. An answer that cannot be
        read so shows nothing here (the main screen says what is wrong with it)."""
        screen = self.screen if self.screen_stack else None
        if not isinstance(screen, StartupScreen) or frame.get("success") is False:
            return
        self._loader_may_run.clear()
        try:
            self._show_first_list(screen, frame)
        finally:
            self.call_after_refresh(self._loader_may_run.set)

    def _show_first_list(self, screen: StartupScreen, frame: dict[str, Any]) -> None:
        from lcconsole.ui.chat_items import login_items
        from lcconsole.ui.persist import Drafts, UnreadMarks

        drafts = Drafts.in_data_dir(self.data_dir)
        try:
            items = login_items(
                frame["payload"],
                version=self.session.version,
                draft=lambda chat_id: bool(drafts.get(chat_id).strip()),
                marked_unread=UnreadMarks.in_data_dir(self.data_dir),
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            return
        screen.show_chats(items, self.clock)

    def _show_main(self, screen_class: type) -> None:
        startup = self.screen if isinstance(self.screen, StartupScreen) else None
        self.main_screen = screen_class(first_rows=startup.rows if startup else ())
        self.switch_screen(self.main_screen)
        self.main_screen.call_after_refresh(self.startup_done)
        if self.connect:  # connect while the screen mounts (the store keeps what arrives)
            self.main_screen.start_session()

    def startup_done(self) -> None:
        """The main screen has painted (with the chat list when the login answered already):
        the garbage collector, paused for the start-up by `ui.cli.main`, runs again."""
        gc.enable()
        if not self.connect:
            self.release_keys()

    def release_keys(self) -> None:
        """Keys typed during the start-up go now (to the main screen, once the login's list is
        painted and its first chat shows, or once that failed)."""
        if self.started is not None and not self.started.done():
            self.started.set_result(None)

    def _theme_changed(self, theme: Any) -> None:
        """A theme picked by the user (F9 or the palette) is remembered in the config file."""
        path = self.settings.config_path
        name = getattr(theme, "name", None)
        if not path or not name or name == self.settings.theme:
            return
        self.settings.theme = name
        try:
            save_theme(path, name)
        except (OSError, ConfigError) as exc:
            self.notify(f"theme not saved: {exc}", severity="warning", markup=False)

    def terminal_write(self, sequence: str) -> None:
        """Send an escape sequence (bell, title, OSC 52/9/777) to the terminal, in order with
        Textual's own output (through the driver; Textual has no public API for this)."""
        driver = self._driver
        if driver is not None:
            driver.write(sequence)

    def action_toggle_theme(self) -> None:
        """Switch between the dark and the light theme."""
        self.theme = LIGHT_THEME if self.theme == DARK_THEME else DARK_THEME

    async def action_quit(self) -> None:
        """Save drafts, close the session, exit."""
        if self.main_screen is not None:
            await self.main_screen.shutdown()
        self.exit(0)

    async def on_unmount(self) -> None:
        """Close the session even when the app exits another way."""
        if self.main_screen is not None:
            await self.main_screen.shutdown()
