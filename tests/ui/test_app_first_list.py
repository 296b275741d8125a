"""Start-up: the chat list read from the login answer shows while the panes still load, and keys
typed on it wait for the main screen and act on the list the agent saw (a real emulator; the
main screen is held back until the test lets it show)."""

from __future__ import annotations

import time

from app_harness import console, new_customer, server, wait_for  # noqa: F401  (server: fixture)

from lcconsole.config import Secret, Settings
from lcconsole.ui.app import ConsoleApp, StartupScreen
from lcconsole.ui.controllers.session_controller import SessionController
from lcconsole.ui.widgets.chat_list import ChatList
from lcconsole.wire.dialects import dialect


async def test_keys_typed_on_the_login_list_go_to_the_chat_they_were_typed_at(server, tmp_path, monkeypatch):
    customers = [new_customer(server, f"first list {i}", name=f"First{i}") for i in range(3)]
    held: list[type] = []
    show_main = ConsoleApp._show_main
    monkeypatch.setattr(ConsoleApp, "_show_main", lambda self, screen_class: held.append(screen_class))
    settings = Settings(base_url=server.info.base_url, token=Secret(server.info.token))
    app = ConsoleApp(settings, data_dir=tmp_path, clock=time.time)
    async with app.run_test(size=(120, 36)) as pilot:
        startup = await wait_for(
            pilot,
            lambda: held and isinstance(app.screen, StartupScreen) and app.screen.rows and app.screen,
            what="the chat list read from the login answer, the main screen held",
        )
        shown = startup.query_one(ChatList)
        order = shown.visible_ids
        assert {c.chat_id for c in customers} <= set(order)
        await wait_for(
            pilot,
            lambda: "First0" in "".join(shown.render_line(y).text for y in range(shown.size.height)),
            what="the rows drawn",
        )
        assert not shown.can_focus and app.focused is None

        await pilot.press("j", "j", "enter")  # at the third row the agent sees
        await pilot.pause(0.05)
        assert app.main_screen is None and app.screen is startup  # nothing to type into yet: they wait

        show_main(app, held[0])
        screen = app.main_screen
        assert screen is not None and screen.first_rows == startup.rows  # the same list, no empty frame
        await wait_for(pilot, lambda: screen.current_chat_id == order[2], what=f"the third row {order[2]} opened")
        assert screen.query_one(ChatList).selected_chat_id == order[2]
        assert set(screen.query_one(ChatList).items) == set(screen.store.chats) == set(order)


async def test_a_failed_login_leaves_no_rows_the_store_does_not_hold(server, tmp_path, monkeypatch):
    """The list read from the answer goes when the console's own read of that answer fails."""
    new_customer(server, "are you there", name="Failing")
    held: list[type] = []
    show_main = ConsoleApp._show_main
    monkeypatch.setattr(ConsoleApp, "_show_main", lambda self, screen_class: held.append(screen_class))

    login_response = dialect("3.0").login_response
    read = login_response.model_validate
    settings = Settings(base_url=server.info.base_url, token=Secret(server.info.token))
    app = ConsoleApp(settings, data_dir=tmp_path, clock=time.time)
    async with app.run_test(size=(120, 36)) as pilot:
        startup = await wait_for(pilot, lambda: held and app.screen.rows and app.screen, what="the first list")
        monkeypatch.setattr(login_response, "model_validate", lambda payload: read({"chats_summary": "not a list"}))
        start = SessionController.start

        async def start_once_shown(controller, session):  # the failure comes after the rows showed
            await wait_for(pilot, lambda: controller.view.is_mounted and controller.view.query_one(ChatList).items)
            return await start(controller, session)

        monkeypatch.setattr(SessionController, "start", start_once_shown)
        show_main(app, held[0])
        screen = app.main_screen
        await wait_for(pilot, lambda: app.started.done(), what="keys released")
        assert startup.rows and not screen.query_one(ChatList).items and not screen.store.chats
