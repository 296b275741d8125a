"""Snapshots of the reading workflow at 80x24, 120x36 and 160x48: the list and transcript with a
highlighted message, the message viewer, the switcher; at 80x24 a notice beside the F3 overlay
(fixture world, frozen clock)."""

from __future__ import annotations

import pytest
from fixture_world import fill, fixture_app

SIZES = [(80, 24), (120, 36), (160, 48)]


async def _highlighted(pilot):
    from lcconsole.ui.widgets.transcript import Transcript

    screen = await fill(pilot.app, pilot)
    screen.query_one(Transcript).focus()  # Esc returns to where the composer was entered from
    await pilot.pause()
    await pilot.press("f5")
    await pilot.pause()
    await pilot.press("escape")
    await pilot.pause()
    assert screen.focused is screen.query_one(Transcript)
    await pilot.press("k", "k")
    await pilot.pause()


async def _viewer(pilot):
    await _highlighted(pilot)
    await pilot.press("v")
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_transcript_with_a_highlighted_message(snap_compare, size):
    assert snap_compare(fixture_app(), terminal_size=size, run_before=_highlighted)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_message_viewer(snap_compare, size):
    assert snap_compare(fixture_app(), terminal_size=size, run_before=_viewer)


async def _switcher(pilot):
    from lcconsole.ui.modals.switcher import SwitcherModal

    await fill(pilot.app, pilot)
    await pilot.press("ctrl+g")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SwitcherModal)
    await pilot.press(*"in")  # fuzzy: Ingrid, Diego Lindqvist, …
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_switcher(snap_compare, size):
    assert snap_compare(fixture_app(), terminal_size=size, run_before=_switcher)


def test_list_120x36(snap_compare):
    async def listed(pilot):
        await fill(pilot.app, pilot)
        await pilot.pause()

    assert snap_compare(fixture_app(), terminal_size=(120, 36), run_before=listed)


def test_f3_overlay_with_a_notice_beside_it_80x24(snap_compare):
    async def overlay_and_notice(pilot):
        screen = await fill(pilot.app, pilot)
        await pilot.press("f3")
        await pilot.pause()
        screen.notify("new chat: Ana Lopez, Ingrid O'Brien", timeout=60)
        await pilot.pause()

    assert snap_compare(fixture_app(), terminal_size=(80, 24), run_before=overlay_and_notice)
