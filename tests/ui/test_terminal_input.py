"""Terminal input read as the agent typed it: Esc and a key in one burst (no app; the driver's
input loop over a pipe)."""

from __future__ import annotations

import contextlib
import os
import termios
import threading
import time

import pytest
from textual import constants
from textual._xterm_parser import XTermParser

from lcconsole.ui.terminal_input import ConsoleDriver, KeyReader


def keys(reader: KeyReader, data: str) -> list[tuple[str, str | None]]:
    return [(event.key, event.character) for event in reader.feed(data) if hasattr(event, "key")]


def test_esc_a_note_send_and_esc_typed_at_once_stay_keys():
    """`Esc n`, a note, `ctrl+s`, `Esc r` in one read: Textual's parser alone reissues all of it
    as typed text behind a `^` (the note went into the reply); here every key stays a key."""
    got = keys(KeyReader(XTermParser()), "\x1bncheck billing\x13\x1br")
    assert got[0] == ("alt+n", "n")  # the key gate reads it as Esc, then n (alt+n runs nothing)
    assert "".join(c or "" for _, c in got[1:-2]) == "check billing"
    assert got[-2:] == [("ctrl+s", "\x13"), ("alt+r", "r")]
    assert ("circumflex_accent", "^") not in got


def test_sequences_pastes_and_alt_keys_read_as_before():
    reader = KeyReader(XTermParser())
    assert keys(reader, "\x1b[A\x1bOP") == [("up", None), ("f1", None)]
    assert keys(reader, "\x1bG") == [("alt+shift+g", "G")]  # alt+shift+g (revoke access), as after a pause
    assert keys(reader, "\x1b/") == [("alt+slash", "/")]
    pasted = list(reader.feed("\x1b[200~hello world\x1b[201~x"))
    assert [type(e).__name__ for e in pasted] == ["Paste", "Key"] and pasted[0].text == "hello world"


def test_a_read_ending_in_esc_waits_for_the_next_byte_or_the_delay():
    reader = KeyReader(XTermParser())
    assert keys(reader, "hi\x1b") == [("h", "h"), ("i", "i")]
    assert keys(reader, "[B") == [("down", None)]  # the arrow key split across two reads
    assert keys(reader, "\x1b") == []
    assert list(reader.tick()) == []  # not yet: a byte may follow
    time.sleep(constants.ESCAPE_DELAY)
    assert [e.key for e in reader.tick()] == ["escape"]


@contextlib.contextmanager
def input_loop(pending: bytes = b"", attrs_before: list | None = None):
    """`ConsoleDriver.run_input_thread` (Textual's loop with the reader) over a pipe, without an
    app: yields (the pipe's write end, the events read). `pending` is in the pipe before the loop
    starts; `attrs_before` the terminal's modes before the console's."""
    got: list[object] = []

    class Recording(ConsoleDriver):
        def process_message(self, message) -> None:  # type: ignore[no-untyped-def]
            got.append(message)

    driver = Recording.__new__(Recording)  # (no app: only the input loop runs)
    driver._debug = False
    driver.exit_event = threading.Event()
    if attrs_before is not None:
        driver.attrs_before = attrs_before
    read_end, write_end = os.pipe()
    driver.fileno = read_end
    if pending:
        os.write(write_end, pending)
    thread = threading.Thread(target=driver.run_input_thread, daemon=True)
    thread.start()
    try:
        yield write_end, got
    finally:
        driver.exit_event.set()
        thread.join(2)
        os.close(write_end)
        os.close(read_end)


def wait_for_events(got: list, count: int) -> None:
    deadline = time.monotonic() + 5
    while len(got) < count and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.mark.timeout(10)
def test_the_drivers_input_loop_reads_through_the_key_reader():
    with input_loop() as (write_end, got):
        os.write(write_end, b"\x1bnok\x13\x1br")
        wait_for_events(got, 5)
        assert [(e.key, e.character) for e in got] == [
            ("alt+n", "n"),
            ("o", "o"),
            ("k", "k"),
            ("ctrl+s", "\x13"),
            ("alt+r", "r"),
        ]


def test_the_console_reads_the_terminal_with_it(tmp_path):
    from lcconsole.config import Settings
    from lcconsole.ui.app import ConsoleApp

    app = ConsoleApp(Settings(base_url="http://127.0.0.1:9"), data_dir=tmp_path, connect=False)
    assert app.get_driver_class() is ConsoleDriver


def test_enter_typed_before_the_terminal_left_line_mode_is_enter():
    """Keys typed while the console starts come through the terminal's line mode, where Enter
    becomes a newline (ctrl+j): `/emma` Enter `n` typed then opens the match and starts a note."""
    line_mode = [termios.ICRNL | termios.IXON, 0, 0, termios.ICANON | termios.ECHO, 0, 0, []]
    with input_loop(b"/emma\nn", line_mode) as (write_end, got):  # typed before the loop ran
        wait_for_events(got, 7)
        os.write(write_end, b"\n")  # typed once the console reads the terminal raw: ctrl+j
        wait_for_events(got, 8)
        assert [e.key for e in got] == ["slash", "e", "m", "m", "a", "enter", "n", "ctrl+j"]
