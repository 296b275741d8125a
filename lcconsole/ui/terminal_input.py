"""Reading the terminal: Textual's Linux driver, with `Esc` and a key typed in one burst read
as that key pressed with alt, at once.

A terminal sends Esc as the byte ESC and alt+x as ESC x. On ESC followed by bytes that start no
known sequence, Textual's parser keeps reading them as one sequence until a pause; when another
ESC comes first (keys typed faster than the pause, or bunched by an SSH link) it gives up and
reissues the lot as typed text with that ESC turned into `^`. So `Esc n`, a note, `ctrl+s` and
`Esc` typed at once put "^n…" into the reply still focused and sent it to the customer.

`KeyReader` takes an ESC followed by a printable character that starts no sequence as
alt+<char> at once (what the parser makes of it after a pause; the key gate then reads an alt
key that runs nothing as Esc and the key), and a lone ESC at the end of a read as Escape once
no byte followed it for the parser's escape delay. Sequences (CSI, SS3, OSC…) and bracketed
pastes go to the parser untouched.
"""

from __future__ import annotations

import os
import select
import selectors
import termios
import time
from codecs import getincrementaldecoder
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

from textual import constants, events
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

ESC = "\x1b"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"
INTRODUCERS = frozenset("[O]P_^X\\\x1b")
"""Characters after ESC that start a sequence (CSI, SS3, OSC, DCS, SOS, PM, APC, ST) or are Esc."""


def plain_key(char: str) -> events.Key:
    """The key event Textual's parser makes of `char` typed alone (its key name: "a", "A",
    "slash", "question_mark")."""
    return next(iter(XTermParser().feed(char)))  # type: ignore[return-value]  # a printable char is one Key


def alt_key(char: str) -> events.Key:
    """alt+<char>, named as the parser names ESC <char> after a pause (alt+shift+g for `G`)."""
    if char.isupper() and len(char.lower()) == 1:
        return events.Key(f"alt+shift+{char.lower()}", char)
    return events.Key(f"alt+{plain_key(char).key}", char)


class KeyReader:
    """Terminal input to events: Textual's parser, with ESC + a character decided at once."""

    def __init__(self, parser: XTermParser) -> None:
        self.parser = parser
        self._pasting = False
        self._held_at: float | None = None  # a read ended with a lone ESC at this time

    def feed(self, data: str) -> Iterator[Any]:
        """The events of `data` (one read), in order."""
        if self._held_at is not None:
            data, self._held_at = ESC + data, None
        start = index = 0
        while (index := data.find(ESC, index)) != -1:
            following = data[index + 1 : index + 2]
            if data.startswith(PASTE_START, index):
                self._pasting = True
            elif data.startswith(PASTE_END, index):
                self._pasting = False
            elif not self._pasting and (not following or (following not in INTRODUCERS and following.isprintable())):
                if index > start:
                    yield from self.parser.feed(data[start:index])
                start = index + 2
                if following:
                    yield alt_key(following)
                else:  # the read ends with ESC: Escape, unless a byte follows soon
                    self._held_at = time.monotonic()
            index += 1
        if start < len(data):
            yield from self.parser.feed(data[start:])

    def tick(self) -> Iterator[Any]:
        """Events due by time: a held ESC nothing followed (Escape), the parser's own."""
        if self._held_at is not None and time.monotonic() - self._held_at >= constants.ESCAPE_DELAY:
            self._held_at = None
            yield events.Key("escape", ESC)
        yield from self.parser.tick()


class ConsoleDriver(LinuxDriver):
    """Textual's Linux driver, reading keys through `KeyReader`."""

    def _typed_before_raw_mode(self) -> bytes:
        """The keys typed while the console was starting, before the terminal left line mode:
        all pending when the input thread starts. Enter came through line mode as a newline
        (ICRNL), which reads as ctrl+j; it is Enter again (typed then, ctrl+j was a newline too)."""
        data = b""
        while select.select([self.fileno], [], [], 0)[0]:
            chunk = os.read(self.fileno, 4096)
            if not chunk:
                break
            data += chunk
        attrs = getattr(self, "attrs_before", None)  # (the terminal's modes before Textual's)
        if attrs and attrs[0] & termios.ICRNL:
            data = data.replace(b"\n", b"\r")
        return data

    def run_input_thread(self) -> None:
        """Wait for input and dispatch its events (Textual's loop, with `KeyReader`)."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        reader = KeyReader(XTermParser(self._debug))
        decode = getincrementaldecoder("utf-8")().decode

        def process(ready: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> None:
            for number, (_key, mask) in enumerate(ready, 1):
                if mask & selectors.EVENT_READ:
                    data = decode(os.read(self.fileno, 4096), final=final and number == len(ready))
                    if not data:
                        break
                    for event in reader.feed(data):
                        self.process_message(event)
            for event in reader.tick():
                self.process_message(event)

        early = self._typed_before_raw_mode()
        if early:
            for event in reader.feed(decode(early)):
                self.process_message(event)
        try:
            while not self.exit_event.is_set():
                process(selector.select(0.1))
            selector.unregister(self.fileno)
            process(selector.select(0.1), final=True)
        finally:
            selector.close()
            with suppress(EOFError, ParseError):
                for _event in reader.parser.feed(""):
                    pass
