"""Pilot helpers shared by tests/ui/test_modals_*.py (open a modal on the tiny host, type, read)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent / "snapshot_apps"))

from modal_host import ModalHost
from textual.pilot import Pilot
from textual.widgets import Input


@asynccontextmanager
async def opened(
    factory: Callable[[], Any], size: tuple[int, int] = (80, 24)
) -> AsyncIterator[tuple[ModalHost, Pilot, Any]]:
    """Run the host with `factory()` pushed; yields (app, pilot, modal)."""
    app = ModalHost(factory)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield app, pilot, app.modal


async def type_text(pilot: Pilot, text: str) -> None:
    """Type characters one by one into the focused widget."""
    await pilot.press(*text)


async def fill(pilot: Pilot, screen: Any, widget_id: str, text: str) -> None:
    """Focus `#widget_id` and replace its value with `text`; the last character is typed with
    the pilot so the input sees a real key press (keeps the tests fast)."""
    widget = screen.query_one(f"#{widget_id}", Input)
    widget.focus()
    await pilot.pause()  # focusing selects the whole value; set it afterwards
    widget.value = text[:-1]
    widget.cursor_position = len(widget.value)
    if text:
        await pilot.press(text[-1])


async def settle(app: ModalHost, pilot: Pilot) -> None:
    """Let workers finish and the screen refresh."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def still_open_with(app: ModalHost, modal: Any, fragment: str) -> None:
    """Assert the modal is still on top and shows an inline error containing `fragment`."""
    assert app.screen is modal, "the modal was dismissed"
    assert not app.results
    assert fragment.lower() in modal.error_text.lower(), modal.error_text
    error = modal.query_one("#form-error")
    assert error.display and error.has_class("-shown")
