"""lcconsole.ui.text: sanitize / literal / wrap / clip / cap_lines."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from lcconsole.ui.text import cap_lines, clip, display_safe, literal, one_line, sanitize, wrap

sys.path.insert(0, str(Path(__file__).parent))
from hostile_corpus import HOSTILE, forbidden_in


def test_escape_sequences_become_visible_text() -> None:
    assert sanitize("\x1b[31mred\x1b[0m") == "␛[31mred␛[0m"
    assert sanitize("\x1b]52;c;aGk=\x07") == "␛]52;c;aGk=␇"
    assert sanitize("a\x00b\x7fc\x9bd") == "a␀b␡c�d"
    assert sanitize("\u202eevil\u202c") == "�evil�"
    assert sanitize("zero\u200bwidth") == "zero�width"
    assert sanitize("a\r\nb\rc\u2028d") == "a\nb\nc\nd"
    assert sanitize("a\r\nb", newlines=False) == "a⏎b"
    assert sanitize("a\tb") == "a   b"
    assert sanitize("plain [bold] text") == "plain [bold] text"


def test_literal_never_interprets_markup() -> None:
    text = literal("[bold]x[/bold] [@click=app.quit]q[/] \x1b[1m")
    assert text.plain == "[bold]x[/bold] [@click=app.quit]q[/] ␛[1m"
    assert not text.spans
    console = Console(width=80, record=True, force_terminal=True, color_system="truecolor")
    console.print(text)
    assert "[@click=app.quit]" in console.export_text()


def test_every_hostile_text_is_neutralised() -> None:
    for text in HOSTILE:
        assert not forbidden_in(sanitize(text)), repr(text[:40])
        assert not forbidden_in(one_line(text)) and "\n" not in one_line(text)
        assert len(one_line(text)) <= 201


def test_cap_lines_and_clip() -> None:
    lines, hidden = cap_lines("\n".join(str(i) for i in range(10_000)), 5)
    assert lines == ["0", "1", "2", "3", "4"] and hidden == 9_995
    assert cap_lines("one", 5) == (["one"], 0)
    assert clip("日本語日本語", 5) == "日本…" and cell_len(clip("日本語日本語", 5)) <= 5
    assert clip("short", 10) == "short" and clip("abc", 0) == ""


def test_wrap_keeps_words_and_width() -> None:
    assert wrap("hello world again", 11) == ["hello world", "again"]
    assert wrap("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert all(cell_len(line) <= 7 for line in wrap("日本語" * 10 + " ok", 7))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=2, max_value=120))
def test_sanitized_text_is_safe_and_wraps_within_width(text: str, width: int) -> None:
    clean = sanitize(text)
    assert not forbidden_in(clean)
    for line in clean.split("\n"):
        wrapped = wrap(line, width)
        assert all(cell_len(part) <= width for part in wrapped)
        assert "".join("".join(wrapped).split()) == "".join(line.split())  # only spaces dropped


def test_display_safe_keeps_cell_width() -> None:
    for text in ("\x1b[31mx", "a\u202eb\u200bc", "lone \ud800 x", "plain"):
        safe = display_safe(text)
        assert not forbidden_in(safe)
        assert cell_len(safe) == cell_len(text)


def test_long_urls_are_cut_with_an_ellipsis_never_broken_across_lines():
    from lcconsole.ui.viewmodels import TranscriptEntry
    from lcconsole.ui.widgets._transcript_layout import entry_lines

    url = "https://example.com/" + "segment/" * 20 + "end"
    entry = TranscriptEntry(
        key="e1",
        thread_id="t",
        order=1,
        kind="message",
        author="Ana",
        text=f"see {url} please, and short http://a.example/x too",
    )
    lines = ["".join(text for text, _ in line) for line in entry_lines(entry, 40)][1:]
    shown = [line.strip() for line in lines]
    assert any(line.startswith("https://example.com/segment/") and line.endswith("…") for line in shown)
    assert not any(line.startswith(("segment/", "end")) for line in shown)  # no address continues
    assert any("http://a.example/x" in line for line in shown)  # short ones stay whole
    assert all(len(line) <= 38 for line in shown)
