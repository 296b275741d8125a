"""Pilot tests: the message cursor, the message viewer (long messages whole, search, copy), OSC 52
copies read from the driver's output, the copy picker, and the draft edited in $EDITOR."""

from __future__ import annotations

import base64
import re
import sys

from app_harness import (  # noqa: F401  (server is a fixture)
    console,
    events_of,
    idle,
    new_customer,
    open_chat,
    server,
    wait_for,
)

from lcconsole.ui.widgets.composer import Composer
from lcconsole.ui.widgets.transcript import Transcript

OSC52 = re.compile(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")


def capture(app) -> list[str]:
    """Everything the app writes to its (headless) driver from now on."""
    out: list[str] = []
    driver = app._driver
    original = driver.write
    driver.write = lambda data: (out.append(data), original(data))
    return out


def copied(out: list[str]) -> list[str]:
    return [base64.b64decode(m).decode() for m in OSC52.findall("".join(out))]


async def test_cursor_viewer_search_and_copy_of_a_long_message(server, tmp_path, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    long = "\n".join(f"line {n}" for n in range(1, 1601))  # far past the transcript's 300 lines
    customer = new_customer(server, long)
    customer.say("short one")
    async with console(server, tmp_path, size=(120, 36)) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        out = capture(app)
        transcript = screen.query_one(Transcript)
        transcript.focus()
        await pilot.press("r", "escape")  # composer -> back to the transcript it was entered from
        assert screen.focused is transcript
        await pilot.press("k")
        assert transcript.cursor_entry.text == "short one"
        await pilot.press("k")
        assert transcript.cursor_entry.text == long
        await pilot.press("y")
        assert copied(out) == [long]
        await pilot.press("v")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MessageViewerModal", what="viewer")
        viewer = app.screen
        assert viewer.area.text == long
        await pilot.press("G")
        assert viewer.area.cursor_location[0] == 1599
        await pilot.press("g", "slash", *"line 1234", "enter")
        assert viewer.area.selected_text == "line 1234"
        assert viewer.area.cursor_location[0] == 1233
        await pilot.press("n")  # the only match: wraps around to itself
        assert viewer.area.selected_text == "line 1234"
        await pilot.press("y")
        assert copied(out)[-1] == "line 1234"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="viewer closed")
        await pilot.press("escape")  # clears the highlight
        assert transcript.cursor_entry is None


async def test_copy_picker_copies_ids_and_urls(server, tmp_path, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    url = "https://example.com/" + "very-long-path/" * 12 + "end?q=1"
    customer = new_customer(server, f"see {url}.")
    async with console(server, tmp_path, size=(80, 24)) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        out = capture(app)
        await pilot.press("r", "escape", "Y")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CopyPickerModal", what="picker")
        labels = [label for label, _ in app.screen.values]
        assert labels[:1] == ["chat id"] and "customer e-mail" in labels
        await pilot.press("1")
        await wait_for(pilot, lambda: app.screen is screen, what="picker closed")
        assert copied(out) == [customer.chat_id]
        await pilot.press("Y")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CopyPickerModal", what="picker")
        index = labels.index("message URL")
        await pilot.press(str(index + 1))
        assert copied(out)[-1] == url  # whole, without the sentence's full stop
        await pilot.press("Y")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CopyPickerModal", what="picker")
        await pilot.press(str(labels.index("customer e-mail") + 1))
        assert copied(out)[-1] == f"{customer.name.lower()}@c.example"


async def test_shift_arrows_in_the_composer_move_the_message_cursor(server, tmp_path):
    customer = new_customer(server, "first")
    customer.say("second")
    async with console(server, tmp_path, size=(120, 36)) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        transcript = screen.query_one(Transcript)
        await pilot.press("r", "shift+up")
        assert transcript.cursor_entry.text == "second"
        await pilot.press("shift+up")
        assert transcript.cursor_entry.text == "first"
        await pilot.press("shift+down")
        assert transcript.cursor_entry.text == "second"
        assert screen.query_one(Composer).text == ""  # nothing selected or typed


async def test_editor_fills_the_draft_and_nothing_is_sent(server, tmp_path, monkeypatch):
    script = tmp_path / "ed.py"
    script.write_text(
        "import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().upper() + '\\nsecond line\\n')\n"
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    customer = new_customer(server, "hello")
    async with console(server, tmp_path, size=(120, 36)) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        composer = screen.query_one(Composer)
        await pilot.press("r", *"my draft", "ctrl+e")
        await wait_for(pilot, lambda: composer.text == "MY DRAFT\nsecond line", what="edited draft")
        assert screen.focused is composer.area
        await idle(pilot, screen)
        assert screen.drafts.get(customer.chat_id) == "MY DRAFT\nsecond line"
    assert [e.get("text") for e in events_of(server, customer.chat_id) if e["type"] == "message"] == ["hello"]
