"""Snapshots of every modal and browser at 80x24 (plain `def`, pytest-textual-snapshot).

Hostile sample names (markup, an escape sequence) must appear literally in the pictures.
Regenerate with `pytest tests/ui/test_modals_snapshots.py --snapshot-update` and review the SVGs.
"""

from __future__ import annotations

from typing import Any

import pytest

from modal_pilot import opened  # noqa: F401  # isort: skip  (puts snapshot_apps on sys.path)
from modal_host import MODALS, ModalHost, freeze_cursors


async def _settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await _steady(pilot)


async def _steady(pilot: Any) -> None:
    """Cursors shown without blinking, then one refresh: the picture is the same under load."""
    freeze_cursors(pilot.app)
    await pilot.pause()


@pytest.mark.parametrize("name", list(MODALS))
def test_modal_snapshot(name: str, snap_compare: Any) -> None:
    assert snap_compare(ModalHost(MODALS[name]), terminal_size=(80, 24), run_before=_settle)


def test_modal_error_snapshot(snap_compare: Any) -> None:
    """The inline error of an invalid submit (bad int) is visible and the modal stays."""

    async def submit_bad_value(pilot: Any) -> None:
        await pilot.press(*"my_app", "tab", *"score", "tab", "tab")  # prefilled int 3, selected on focus
        await pilot.press("x", "enter")
        assert pilot.app.screen.error_text == "Value: 'x' is not a whole number"
        await _steady(pilot)

    assert snap_compare(ModalHost(MODALS["property_set"]), terminal_size=(80, 24), run_before=submit_bad_value)


def test_archive_preview_snapshot(snap_compare: Any) -> None:
    async def preview(pilot: Any) -> None:
        await _settle(pilot)
        pilot.app.screen.query_one("#results").focus()
        await pilot.press("down", "v")
        await _steady(pilot)

    assert snap_compare(ModalHost(MODALS["archives_browser"]), terminal_size=(80, 24), run_before=preview)


def test_light_theme_snapshot(snap_compare: Any) -> None:
    """Theme variables only: the light theme keeps the dialog, error and list readable."""

    async def with_error(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("ctrl+s")  # no message typed: inline error
        await _steady(pilot)

    assert snap_compare(
        ModalHost(MODALS["start_chat"], theme="textual-light"), terminal_size=(80, 24), run_before=with_error
    )
