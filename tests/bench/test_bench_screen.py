"""The pty-output predicates the console benchmarks rely on (pure functions, no processes)."""

from __future__ import annotations

from lcconsole.bench.console_bench import contains, full_frame, visible_text


def test_visible_text_strips_csi_osc_and_modes():
    raw = b"\x1b[?1049h\x1b[1;1H\x1b[38;2;1;2;3mHello\x1b[0m \x1b]0;title\x07world"
    assert visible_text(raw) == "Hello world"


def test_full_frame_needs_alt_screen_last_row_and_text():
    check = full_frame(24)
    body = b"".join(b"\x1b[%d;1H" % y + b"x" * 3 for y in range(1, 25))
    assert not check(bytearray(body))  # no alternate screen yet
    assert not check(bytearray(b"\x1b[?1049h\x1b[1;1Hstarting"))  # last row not drawn
    assert not check(bytearray(b"\x1b[?1049h" + b"\x1b[24;1H" + b" " * 80))  # blank frame
    assert check(bytearray(b"\x1b[?1049h" + body))


def test_contains_looks_only_after_start_and_across_styles():
    buf = bytearray(b"old pz001 \x1b[1;1Hnew ")
    assert not contains("pz001", start=10)(buf)
    buf += b"p\x1b[1mz002"  # split by a style change: found in the visible text
    assert contains("pz002", start=10)(buf)
