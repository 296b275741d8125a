"""Transcript: wrapping, scrolling, sticking to the bottom, markers, buttons, older history."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from textual.app import App, ComposeResult

from lcconsole.ui.viewmodels import TranscriptEntry
from lcconsole.ui.widgets.transcript import Transcript

STYLES = Path(__file__).resolve().parents[2] / "styles" / "panes.tcss"
T0 = 1_700_000_000.0


def msg(n: int, text: str | None = None, kind: str = "customer", **kw) -> TranscriptEntry:
    return TranscriptEntry(
        key=f"e{n}",
        thread_id="t1",
        order=n,
        kind=kind,
        author="Ann" if kind == "customer" else "Bob",
        timestamp=T0 + n,
        text=f"message number {n}" if text is None else text,
        **kw,
    )


def rich(n: int, pressed: bool = False) -> TranscriptEntry:
    return msg(n, "Pick one", kind="rich", buttons=(("yes", "Yes", pressed), ("no", "No", False)))


class TranscriptHost(App):
    CSS_PATH = str(STYLES)

    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def compose(self) -> ComposeResult:
        yield Transcript()

    def on_transcript_postback_pressed(self, message: Transcript.PostbackPressed) -> None:
        self.messages.append(("postback", message.thread_id, message.event_id, message.postback_id, message.toggled))

    def on_transcript_load_older_requested(self, message: Transcript.LoadOlderRequested) -> None:
        self.messages.append(("older",))


def screen_lines(widget: Transcript) -> list[str]:
    """The visible content lines (inside the padding), as the widget draws them."""
    height = widget.scrollable_content_region.height
    return ["".join(segment.text for segment in widget.render_line(y)) for y in range(height)]


async def test_wraps_long_messages_to_the_width_and_rewraps_on_resize() -> None:
    app = TranscriptHost()
    long_text = " ".join(f"word{i}" for i in range(60))
    async with app.run_test(size=(40, 20)) as pilot:
        transcript = app.query_one(Transcript)
        transcript.set_entries([msg(1, long_text)])
        await pilot.pause()
        width = transcript.scrollable_content_region.width
        lines = [line for line in screen_lines(transcript) if line.strip()]
        assert lines[0].startswith("Ann")
        body = [line.strip() for line in lines[1:]]
        assert " ".join(body) == long_text  # nothing lost, nothing repeated
        assert all(cell_len(line) <= width for line in screen_lines(transcript))
        narrow_height = transcript.virtual_size.height
        await pilot.resize_terminal(80, 20)
        await pilot.pause()
        assert transcript.virtual_size.height < narrow_height
        body = [line.strip() for line in screen_lines(transcript)[1:] if line.strip()]
        assert " ".join(body) == long_text


async def test_append_follows_the_bottom_only_when_at_the_bottom() -> None:
    app = TranscriptHost()
    async with app.run_test(size=(50, 12)) as pilot:
        transcript = app.query_one(Transcript)
        transcript.set_entries([msg(i) for i in range(50)])
        await pilot.pause()
        assert transcript.scroll_y == transcript.max_scroll_y > 0
        transcript.append(msg(50, "the newest one"))
        await pilot.pause()
        assert transcript.scroll_y == transcript.max_scroll_y
        assert any("the newest one" in line for line in screen_lines(transcript))
        transcript.focus()
        await pilot.press("pageup")
        await pilot.pause()
        scrolled = transcript.scroll_y
        assert scrolled < transcript.max_scroll_y and not transcript.auto_scroll
        transcript.append(msg(51, "not followed"))
        await pilot.pause()
        assert transcript.scroll_y == scrolled  # reading older lines: the view stays put
        await pilot.press("end")
        assert transcript.auto_scroll
        transcript.append(msg(52, "followed again"))
        await pilot.pause()
        assert transcript.scroll_y == transcript.max_scroll_y
        assert any("followed again" in line for line in screen_lines(transcript))


async def test_replace_remove_marker_and_typing_line() -> None:
    app = TranscriptHost()
    async with app.run_test(size=(50, 16)) as pilot:
        transcript = app.query_one(Transcript)
        transcript.set_entries([msg(i) for i in range(1, 5)])
        pending = TranscriptEntry(
            key="cid-1", thread_id="t1", order=2**62, kind="pending", author="You", text="on its way"
        )
        transcript.append(pending)
        transcript.set_new_marker(3)  # the first unseen event
        transcript.set_typing("Ann is typing: hel")
        await pilot.pause()
        lines = screen_lines(transcript)
        marker = next(i for i, line in enumerate(lines) if line.startswith("── new"))
        assert "message number 3" in lines[marker + 2] and "message number 2" in lines[marker - 1]
        assert any("sending…" in line for line in lines)
        last = max(i for i, line in enumerate(lines) if line.strip())
        assert lines[last].startswith("Ann is typing: hel")
        transcript.replace(msg(5, "on its way", kind="agent"), key="cid-1")  # the send landed
        transcript.append(pending)
        transcript.replace(msg(5, "on its way", kind="agent"), key="cid-1")  # push came first
        transcript.set_typing(None)
        transcript.remove("e1")
        await pilot.pause()
        lines = screen_lines(transcript)
        assert not any("sending…" in line or "typing" in line for line in lines)
        assert not any("message number 1" in line for line in lines)
        assert [e.key for e in transcript.entries] == ["e2", "e3", "e4", "e5"]
        transcript.set_new_marker(None)
        await pilot.pause()
        assert not any(line.startswith("── new") for line in screen_lines(transcript))


async def test_buttons_are_selected_and_pressed_from_the_keyboard() -> None:
    app = TranscriptHost()
    async with app.run_test(size=(50, 20)) as pilot:
        transcript = app.query_one(Transcript)
        transcript.set_entries([rich(1, pressed=True), msg(2), rich(3)])
        transcript.focus()
        await pilot.pause()
        lines = screen_lines(transcript)
        assert any("[ Yes ] ✓" in line for line in lines)
        await pilot.press("right")  # first press: the newest button
        assert transcript.selected_button == ("e3", 1)
        await pilot.press("left", "left", "enter")
        assert transcript.selected_button == ("e1", 1)
        await pilot.press("left", "space")  # the pressed "Yes": pressing again un-toggles
        await pilot.pause()
        assert app.messages == [("postback", "t1", "e1", "no", True), ("postback", "t1", "e1", "yes", False)]
        button_line = next(i for i, line in enumerate(screen_lines(transcript)) if "[ No ]" in line)
        await pilot.click(Transcript, offset=(4, button_line))
        await pilot.pause()
        assert app.messages[-1] == ("postback", "t1", "e1", "no", True)


async def test_load_older_at_the_top_and_prepend_keeps_the_view() -> None:
    app = TranscriptHost()
    async with app.run_test(size=(50, 12)) as pilot:
        transcript = app.query_one(Transcript)
        transcript.set_entries([msg(i) for i in range(100, 130)])
        transcript.focus()
        await pilot.pause()
        await pilot.press("home")
        await pilot.pause()
        assert app.messages == [("older",)]
        await pilot.press("up", "up")  # already requested: no flood
        assert app.messages == [("older",)]
        top_line = screen_lines(transcript)[0]
        transcript.prepend([msg(i) for i in range(70, 100)])
        await pilot.pause()
        assert screen_lines(transcript)[0] == top_line  # the same line stays on top
        assert transcript.entries[0].key == "e70"
        await pilot.press("home")
        await pilot.pause()
        assert app.messages == [("older",), ("older",)]
        transcript.has_older = False
        transcript.prepend([])
        await pilot.press("up")
        assert len(app.messages) == 2


async def test_event_kinds_are_drawn_distinctly() -> None:
    app = TranscriptHost()
    entries = [
        TranscriptEntry(
            key="thread:t1",
            thread_id="t1",
            order=0,
            kind="thread_start",
            timestamp=T0,
            text="thread closed · tags: vip",
        ),
        msg(1, "hi from the customer"),
        msg(2, "hi from the agent", kind="agent"),
        msg(3, "only agents see this", kind="note"),
        msg(4, "Bob joined the chat", kind="system"),
        msg(5, "cat.png · 10×20 · 1.2 KB", kind="image", lines=("http://files/cat.png",)),
        msg(6, "Form submitted", kind="form", lines=("Email: a@b.c",)),
        msg(7, '{"k":1}', kind="custom"),
        msg(8, "lost", kind="failed", lines=("failed: network down",)),
    ]
    async with app.run_test(size=(60, 30)) as pilot:
        transcript = app.query_one(Transcript)
        transcript.set_entries(entries)
        await pilot.pause()
        text = "\n".join(screen_lines(transcript))
        for needle in (
            "── ",
            "thread closed · tags: vip",
            "note · agents only",
            "┃ only agents see this",
            "• Bob joined the chat",
            "image",
            "http://files/cat.png",
            "Email: a@b.c",
            "custom event",
            '{"k":1}',
            "not sent",
            "failed: network down",
        ):
            assert needle in text, needle


async def test_a_custom_events_json_wraps_between_items_never_inside_a_word() -> None:
    from lcconsole.ui.text import compact_json

    content = {
        "kind": "ticket_created",
        "ticket_id": "TCK-20931",
        "priority": "high",
        "requester": "ana.lopez@example.com",
        "tags": ["billing", "refund", "urgent"],
    }
    app = TranscriptHost()
    async with app.run_test(size=(48, 20)) as pilot:
        transcript = app.query_one(Transcript)
        transcript.set_entries([msg(1, compact_json(content), kind="custom")])
        await pilot.pause()
        shown = [line.strip() for line in screen_lines(transcript) if line.strip()]
        body = shown[shown.index(next(x for x in shown if x.startswith("{"))) :]
        assert len(body) > 2  # it did wrap
        assert " ".join(body).startswith(compact_json(content))
        for word in ('"ticket_created",', '"TCK-20931",', '"ana.lopez@example.com",', '"refund",'):
            assert any(word in line.split() for line in body), word


def count_layouts(monkeypatch) -> list[str]:
    """The keys of the entries the transcript lays out from now on, in order."""
    from lcconsole.ui.widgets import transcript as transcript_module

    laid_out: list[str] = []
    real_height = transcript_module.entry_height

    def counting(entry, width):
        laid_out.append(entry.key)
        return real_height(entry, width)

    monkeypatch.setattr(transcript_module, "entry_height", counting)
    return laid_out


async def test_ten_thousand_entries_open_and_only_visible_lines_render(monkeypatch) -> None:
    from lcconsole.ui.widgets.transcript import entry_height as real_height  # before the spy

    app = TranscriptHost()
    entries = [msg(i, f"message {i} " + "lorem ipsum " * (i % 12)) for i in range(10_000)]
    laid_out = count_layouts(monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        await pilot.pause()
        transcript.lines_rendered = 0
        transcript.set_entries(entries)
        height = transcript.scrollable_content_region.height
        assert 0 < len(laid_out) <= 2 * height  # before the first frame: only the newest screens
        await pilot.pause()
        assert len(laid_out) >= 10_000  # after it: every entry, exactly
        exact = [real_height(e, transcript._width) for e in entries]
        assert transcript._heights == exact and transcript.virtual_size.height == sum(exact)
        assert transcript.lines_rendered <= 3 * height
        assert len(transcript._cache) <= height
        assert "message 9999" in "\n".join(screen_lines(transcript))
        assert transcript.scroll_y == transcript.max_scroll_y
        # scrolled to the top before the rest was laid out: the view stays on the first entry
        transcript.set_entries(entries[1:])
        transcript.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        assert transcript._heights == exact[1:] and transcript.scroll_y == 0
        assert screen_lines(transcript)[0].startswith("Ann")
        transcript.action_bottom()
        transcript.append(entries[0].changed(key="x", order=10_001, text="last"))
        await pilot.pause()
        assert screen_lines(transcript)[-1].strip() == "last"


async def test_set_entries_with_older_threads_in_front_keeps_the_view() -> None:
    app = TranscriptHost()
    async with app.run_test(size=(50, 12)) as pilot:
        transcript = app.query_one(Transcript)
        current = [msg(i) for i in range(100, 130)]
        transcript.set_entries(current)
        transcript.focus()
        await pilot.pause()
        await pilot.press("home")
        await pilot.pause()
        top_line = screen_lines(transcript)[0]
        older = [msg(i) for i in range(60, 100)]
        changed = current[-1].changed(text="edited")
        transcript.set_entries(older + current[:-1] + [changed])  # what a screen rebuilds
        await pilot.pause()
        assert screen_lines(transcript)[0] == top_line
        assert transcript.entries[0].key == "e60" and transcript.entries[-1].text == "edited"
        transcript.set_entries([msg(1)])  # another chat: a real replacement, shown at the bottom
        await pilot.pause()
        assert [e.key for e in transcript.entries] == ["e1"]


async def test_button_keys_are_off_without_buttons_so_escape_passes_on() -> None:
    app = TranscriptHost()
    async with app.run_test(size=(50, 12)) as pilot:
        transcript = app.query_one(Transcript)
        transcript.set_entries([msg(1)])
        transcript.focus()
        await pilot.pause()
        assert not transcript.check_action("button", (1,))
        assert not transcript.check_action("unselect", ())
        transcript.append(rich(2))
        await pilot.press("right")
        assert transcript.check_action("press", ()) and transcript.selected_button == ("e2", 1)
        await pilot.press("escape")
        assert transcript.selected_button is None


async def test_set_entries_lays_out_only_a_changed_tail(monkeypatch) -> None:

    app = TranscriptHost()
    async with app.run_test(size=(60, 12)) as pilot:
        transcript = app.query_one(Transcript)
        entries = [msg(n) for n in range(1, 501)]
        pending = msg(10_000, "sending this", kind="pending")
        transcript.set_entries(entries + [pending])
        await pilot.pause()
        transcript.scroll_to(y=5, animate=False, immediate=True)  # reading older messages
        await pilot.pause()
        laid_out = count_layouts(monkeypatch)
        sent = msg(501, "sending this", kind="agent")  # the pending send became its event
        transcript.set_entries(entries + [sent, msg(502, "and a reply")])
        await pilot.pause()
        assert laid_out == ["e501", "e502"]  # not the 500 unchanged entries
        assert [e.key for e in transcript.entries][-3:] == ["e500", "e501", "e502"]
        assert "e10000" not in transcript._index and transcript._index["e502"] == 501
        assert round(transcript.scroll_y) == 5  # the reading position is kept
        transcript.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert any("and a reply" in line for line in screen_lines(transcript))
        laid_out.clear()
        transcript.set_entries([msg(n + 1000) for n in range(3)])  # another chat: everything
        assert len(laid_out) == 3 and [e.key for e in transcript.entries] == ["e1000", "e1001", "e1002"]


async def test_set_entries_repaints_even_when_the_line_count_is_the_same() -> None:
    app = TranscriptHost()
    async with app.run_test(size=(60, 12)) as pilot:
        transcript = app.query_one(Transcript)
        transcript.set_entries([msg(1, "first chat")])
        await pilot.pause()
        before = transcript.lines_rendered
        transcript.set_entries([msg(7, "other chat")])  # another chat, same height
        await pilot.pause()
        assert transcript.lines_rendered > before
        assert any("other chat" in line for line in screen_lines(transcript))


class ShrinkingHost(App):
    """A transcript above a box whose height grows, as the composer does."""

    CSS_PATH = str(STYLES)
    CSS = "#below { height: 1; }"

    def compose(self) -> ComposeResult:
        from textual.widgets import Static

        yield Transcript()
        yield Static("below", id="below")


async def test_newest_line_stays_visible_when_the_transcript_gets_shorter() -> None:
    app = ShrinkingHost()
    async with app.run_test(size=(50, 20)) as pilot:
        transcript = app.query_one(Transcript)
        transcript.set_entries([*(msg(i) for i in range(40)), msg(40, "the newest one")])
        await pilot.pause()
        assert any("the newest one" in line for line in screen_lines(transcript))
        app.query_one("#below").styles.height = 8
        await pilot.pause()
        await pilot.pause()
        assert transcript.scroll_y == transcript.max_scroll_y
        assert any("the newest one" in line for line in screen_lines(transcript))


async def test_a_new_marker_added_at_the_bottom_keeps_the_newest_line_visible() -> None:
    app = TranscriptHost()
    async with app.run_test(size=(50, 12)) as pilot:
        transcript = app.query_one(Transcript)
        transcript.set_entries([*(msg(i) for i in range(30)), msg(30, "the newest one")])
        await pilot.pause()
        height = transcript.virtual_size.height
        transcript.set_new_marker(28)
        await pilot.pause()
        assert transcript.virtual_size.height == height + 1
        assert transcript.scroll_y == transcript.max_scroll_y
        assert "the newest one" in screen_lines(transcript)[-1]
