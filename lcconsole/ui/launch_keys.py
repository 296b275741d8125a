"""Keys typed the moment the console is launched, before Textual reads the terminal raw.

For its first ~0.25 s (imports) the terminal is still in line mode: its flow control swallows
`ctrl+s` (XOFF) and `ctrl+q` (XON), and Enter arrives as a newline, which reads as `ctrl+j`.
So a reply typed and sent at launch stayed unsent, and `/emma` Enter filled the filter with what
came next; the keys were also echoed onto the shell's screen. `keep_launch_keys` turns all three
off at once, before the imports; the terminal's modes come back when the process exits (after
Textual restores the ones it found). Keys typed before
even that reach the console through `ConsoleDriver`, which reads that newline as Enter.
"""

from __future__ import annotations

import atexit
import os
import sys
import termios
from typing import TextIO


def keep_launch_keys(stream: TextIO | None = None) -> None:
    """Turn off the terminal's flow control, CR -> NL translation and echo now (a terminal only)."""
    stream = sys.stdin if stream is None else stream
    try:
        fd = stream.fileno()
        if not os.isatty(fd):
            return
        before = termios.tcgetattr(fd)
        now = list(before)
        now[0] &= ~(termios.IXON | termios.ICRNL)
        now[3] &= ~termios.ECHO  # (nor are they printed over the shell's screen)
        termios.tcsetattr(fd, termios.TCSANOW, now)
    except (AttributeError, OSError, ValueError, termios.error):
        return
    atexit.register(_restore, fd, before)


def _restore(fd: int, modes: list) -> None:
    try:
        termios.tcsetattr(fd, termios.TCSADRAIN, modes)
    except (OSError, termios.error):
        pass
