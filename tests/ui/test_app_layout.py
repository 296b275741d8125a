"""Layout rules: the transcript keeps 60 columns (the details pane narrows, hides, or comes back
as an overlay with F3), notifications stay off the composer."""

from __future__ import annotations

import pytest
from fixture_world import fill, fixture_app

from lcconsole.ui.widgets.composer import Composer
from lcconsole.ui.widgets.transcript import Transcript


@pytest.mark.parametrize("size, right", [((160, 48), 42), ((120, 36), 26), ((100, 30), 0), ((80, 24), 0)])
async def test_transcript_keeps_sixty_columns(size, right):
    app = fixture_app()
    async with app.run_test(size=size) as pilot:
        screen = await fill(app, pilot)
        await pilot.pause()
        transcript = screen.query_one(Transcript)
        pane = screen.query_one("#right")
        assert transcript.region.width >= 60 or size[0] < 100  # at 80: F3 is an overlay
        assert (pane.region.width if pane.display else 0) == right


async def test_f3_at_80x24_shows_details_over_the_transcript_not_beside_it():
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await fill(app, pilot)
        transcript = screen.query_one(Transcript)
        width = transcript.region.width
        pane = screen.query_one("#right")
        assert not pane.display
        await pilot.press("f3")
        await pilot.pause()
        assert pane.display and pane.region.width > 0
        assert transcript.region.width == width  # not squeezed
        assert pane.region.right == 80
        await pilot.press("f3")
        await pilot.pause()
        assert not pane.display


async def test_notifications_never_cover_the_composer():
    app = fixture_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await fill(app, pilot)
        for n in range(4):
            screen.notify(f"notice {n} " + "word " * 30, timeout=30)
        await pilot.pause()
        await pilot.pause()
        composer = screen.query_one(Composer).region
        toasts = [w for w in app.screen.walk_children() if type(w).__name__ == "Toast"]
        assert toasts
        rack = toasts[0].parent.region  # toasts past its height scroll inside it
        for toast in toasts:
            shown = toast.region.intersection(rack)
            assert not shown.overlaps(composer), (shown, composer)


async def test_notifications_stay_off_the_f3_overlay_and_come_back_when_it_closes():
    app = fixture_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await fill(app, pilot)
        await pilot.press("f3")
        await pilot.pause()
        pane = screen.query_one("#right").region
        screen.notify("new chat: " + "word " * 12, timeout=30)
        screen.notify("a second notice", timeout=30)
        await pilot.pause()
        await pilot.pause()
        toasts = [w for w in app.screen.walk_children() if type(w).__name__ == "Toast"]
        assert len(toasts) == 2
        for toast in toasts:
            assert toast.region.width >= 30  # still readable beside the overlay
            assert not toast.region.overlaps(pane), (toast.region, pane)
        await pilot.press("f3")
        await pilot.pause()
        await pilot.pause()
        assert all(t.region.overlaps(pane) for t in toasts)  # back at the right edge


@pytest.mark.parametrize("size", [(160, 48), (120, 36), (80, 24)])
async def test_the_footer_shows_whole_labels_only(size):
    from textual.widgets._footer import FooterKey

    app = fixture_app()
    async with app.run_test(size=size) as pilot:
        screen = await fill(app, pilot)
        for _ in range(3):
            await pilot.pause()
        keys = list(screen.query(FooterKey))
        palette = next(k for k in keys if k.has_class("-command-palette"))
        shown = [k for k in keys if k.display and k is not palette]
        hidden = [k for k in keys if not k.display]
        assert shown and hidden  # more keys than fit at any of these widths
        assert all(k.region.right <= palette.region.x for k in shown)
        assert keys.index(hidden[0]) > keys.index(shown[-1])  # the tail goes, in order
        painted = "".join(s.text for s in screen._compositor.render_strips()[-1])
        for key in shown:
            assert key.description in painted
        assert painted.rstrip().endswith("Commands")


@pytest.mark.parametrize("size", [(160, 48), (120, 36)])
async def test_details_rows_keep_label_and_value_on_one_line(size):
    from lcconsole.ui.widgets.customer_panel import CustomerPanel
    from lcconsole.ui.widgets.properties_panel import PropertiesPanel

    app = fixture_app()
    async with app.run_test(size=size) as pilot:
        screen = await fill(app, pilot)
        await pilot.pause()
        cut = 0
        for panel in (screen.query_one(CustomerPanel), screen.query_one(PropertiesPanel)):
            lines = panel.render_info().plain.split("\n")
            body = panel.query_one(".panel--body")
            assert body.size.height == len(lines)  # nothing wrapped
            cut += sum(len(line) > body.size.width for line in lines)
        assert cut  # some rows were longer than the pane


async def test_the_footer_rebuilds_only_when_its_keys_change():
    from textual.widgets._footer import FooterKey

    app = fixture_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await fill(app, pilot)
        await pilot.pause()
        before = list(screen.query(FooterKey))
        for _ in range(3):  # what every action and focus change does
            screen.refresh_bindings()
            await pilot.pause()
        assert list(screen.query(FooterKey)) == before  # the same widgets: nothing was rebuilt

        await pilot.press("enter", "r")  # open the chat, start a reply: the composer's keys show
        await pilot.pause()
        await pilot.pause()
        after = list(screen.query(FooterKey))
        shown = {b.description for (_, b, _, _) in screen.active_bindings.values() if b.show}
        assert after != before
        got = {k.description for k in after if not k.has_class("-command-palette")}
        assert got == shown, got ^ shown
