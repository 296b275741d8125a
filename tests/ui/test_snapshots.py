"""Snapshots of the console from the deterministic fixture world (no network, frozen clock)."""

from __future__ import annotations

from fixture_world import fill, fixture_app


async def _filled(pilot):
    await fill(pilot.app, pilot)
    await pilot.pause()


async def _help(pilot):
    await fill(pilot.app, pilot)
    await pilot.press("f1")
    await pilot.pause()


def test_main_80x24(snap_compare):
    assert snap_compare(fixture_app(), terminal_size=(80, 24), run_before=_filled)


def test_main_160x48_dark(snap_compare):
    assert snap_compare(fixture_app("textual-dark"), terminal_size=(160, 48), run_before=_filled)


def test_main_160x48_light(snap_compare):
    assert snap_compare(fixture_app("textual-light", demo=False), terminal_size=(160, 48), run_before=_filled)


def test_help_screen(snap_compare):
    assert snap_compare(fixture_app(), terminal_size=(120, 40), run_before=_help)
