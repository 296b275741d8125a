"""The shell: light first frame, keymap from the config, palette and help list every action."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from fixture_world import fill, fixture_app

import lcconsole.ui
from lcconsole.ui.keymap import KEY_ACTIONS
from lcconsole.ui.screens.help import HelpScreen


def test_first_frame_needs_no_network_stack():
    code = (
        "import sys, lcconsole.ui.app, lcconsole.ui.cli; "
        "print(','.join(m for m in ('httpx', 'pydantic', 'websockets', 'uvicorn', 'starlette', "
        "'lcconsole.emulator', 'lcconsole.api', 'lcconsole.rtm', "
        "'textual.widgets._text_area') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_every_action_has_an_id_tooltip_and_a_handler():
    from lcconsole.ui.screens.main import MainScreen

    ids = [a.id for a in KEY_ACTIONS]
    assert len(ids) == len(set(ids))
    for binding in MainScreen.BINDINGS:
        assert binding.id and binding.tooltip, binding
        name = binding.action.split("(")[0]
        assert hasattr(MainScreen, f"action_{name}"), name


def test_every_binding_id_is_area_dot_name():
    """One style for the ids a keymap names: `area.name`, lower case, words joined by `_`."""
    style = re.compile(r"[a-z_]+\.[a-z_0-9]+")
    ids = [a.id for a in KEY_ACTIONS]
    for path in (Path(lcconsole.ui.__file__).parent).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Binding":
                id_ = next((k.value for k in node.keywords if k.arg == "id"), None)
                assert id_ is not None, (path.name, node.lineno)
                if isinstance(id_, ast.Constant):
                    ids.append(id_.value)
    assert len(ids) > 80
    assert [i for i in ids if not style.fullmatch(i)] == []


def test_warm_up_imports_the_modals_and_freezes_the_loaded_heap():
    """After the first full load: the modals are imported and everything alive then leaves the
    collector's generations (full collections stop walking it)."""
    import gc

    from lcconsole.ui.screens.follow_ups import _warm_up

    gc.unfreeze()  # a connected test in this process may have frozen already
    try:
        _warm_up()
        assert gc.get_freeze_count() > 10_000 and "lcconsole.ui.modals" in sys.modules
    finally:
        gc.unfreeze()


async def test_keymap_from_config_rebinds_and_help_shows_it():
    app = fixture_app()
    app.keymap_overrides = {"chat.sort": "ctrl+t", "app.help": "f12"}
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await fill(app, pilot)
        from lcconsole.ui.widgets.chat_list import ChatList

        chat_list = screen.query_one(ChatList)
        chat_list.focus()
        await pilot.press("s")  # the old key does nothing now
        assert chat_list.sort_mode == "waiting"
        await pilot.press("ctrl+t")
        assert chat_list.sort_mode == "activity"
        await pilot.press("f1")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from rich.console import Console

        from lcconsole.ui.screens.help import keymap_table

        console = Console(width=160, record=True)
        console.print(keymap_table(app.screen.overrides))
        text = console.export_text()
        assert "ctrl+t" in text and "chat.sort" in text and "F12" in text


async def test_palette_lists_every_action():
    from lcconsole.ui.commands import ConsoleCommands

    app = fixture_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await fill(app, pilot)
        provider = ConsoleCommands(app.screen)
        titles = [hit.text async for hit in provider.discover()]
        labels = {a.label for a in KEY_ACTIONS if a.id != "app.palette"}
        assert all(any(t.startswith(label + " (") for t in titles) for label in labels)
        for query, label in (
            ("transfer", "Transfer"),
            ("take", "Take"),
            ("accept", "Take"),
            ("pick", "Take"),
            ("switch", "Switch chat"),
            ("mark unread", "Mark unread"),
        ):
            hits = sorted([hit async for hit in provider.search(query)], key=lambda h: -h.score)
            assert hits and str(hits[0].text).startswith(label + " ("), (query, hits[:2])


async def test_narrow_terminal_hides_details_and_f3_toggles():
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await fill(app, pilot)
        right = screen.query_one("#right")
        assert not right.display or right.region.width == 0
        await pilot.press("f3")
        await pilot.pause()
        assert right.region.width > 0
        await pilot.press("f2")
        await pilot.pause()
        assert screen.query_one("#left").region.width == 0


async def test_every_stylesheet_exists_and_each_is_parsed_when_its_screen_needs_it():
    from lcconsole.ui.app import ConsoleApp, stylesheet_paths
    from lcconsole.ui.modals import ConfirmModal

    paths = stylesheet_paths()
    assert [p.name for p in paths] == ["app.tcss", "layout.tcss", "panes.tcss", "modals.tcss"]
    assert all(p.is_file() for p in paths)
    assert list(ConsoleApp.CSS_PATH) == [str(paths[0])]  # the start-up screen's, for the first frame
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await fill(app, pilot)
        assert all(app.stylesheet.has_source(str(p)) for p in paths[:3])
        assert app.screen.query_one("ChatList").styles.scrollbar_size_vertical == 1  # panes.tcss
        assert not app.stylesheet.has_source(str(paths[3]))  # no modal yet
        screen.show_modal(ConfirmModal("Close the chat?", "It ends the chat."))
        await pilot.pause()
        assert app.stylesheet.has_source(str(paths[3]))
        assert app.screen.query_one(".lc-dialog").styles.width.value == 60  # modals.tcss (.lc-confirm)


async def test_unknown_keymap_ids_are_reported_at_start():
    app = fixture_app()
    app.keymap_overrides = {
        "chat.sort": "ctrl+t",
        "chat.sortt": "z",
        "message.view": "V",
        "viewer.search": "ctrl+f",
        "composer.editor": "ctrl+x",
    }
    async with app.run_test(size=(120, 40)) as pilot:
        await fill(app, pilot)
        for _ in range(250):
            if app._notifications:
                break
            await pilot.pause(0.02)
        messages = [n.message for n in app._notifications]
    assert messages == ["unknown binding id in [keymap]: chat.sortt (see F1 for the ids)"]


async def test_filter_and_sort_stay_visible_until_cleared_and_escape_clears_the_filter():
    app = fixture_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await fill(app, pilot)
        from lcconsole.ui.widgets.chat_list import ChatList

        chat_list = screen.query_one(ChatList)
        state = screen.query_one("#list-state")
        chat_list.focus()
        assert not state.display
        await pilot.press("slash", "a", "n", "enter", "s")
        await pilot.pause()
        assert chat_list.filter_text == "an" and state.display
        assert str(state.render()) == "filter: an (esc clears) · sorted by last activity (s)"
        await pilot.press("escape")  # in the list: the filter goes, the sort stays
        assert chat_list.filter_text == "" and screen.query_one("#chat-filter").value == ""
        assert str(state.render()) == "sorted by last activity (s)"
        await pilot.press("slash", "z", "escape")  # in the filter field: cleared too
        assert chat_list.filter_text == "" and screen.focused is chat_list
        await pilot.press("s")
        assert not state.display


async def test_theme_toggle_is_remembered(tmp_path):
    from lcconsole.config import resolve

    app = fixture_app()
    app.settings.config_path = tmp_path / "config.toml"
    async with app.run_test(size=(100, 30)) as pilot:
        await fill(app, pilot)
        await pilot.press("f9")
        await pilot.pause()
        assert app.theme == "textual-light"
    assert resolve(config_path=tmp_path / "config.toml", env={}).theme == "textual-light"
