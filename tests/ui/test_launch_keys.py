"""Keys typed at launch: the terminal's flow control, CR -> NL translation and echo are off from
the first moment of `lcconsole`, and the terminal's modes come back at exit (a real pty)."""

from __future__ import annotations

import os
import pty
import sys
import time

import lcconsole.__main__ as entry

CHILD = r"""
import atexit, sys, termios
from lcconsole.ui.launch_keys import keep_launch_keys
before = termios.tcgetattr(0)
keep_launch_keys()
during = termios.tcgetattr(0)
print("READY", flush=True)
got = b""
while not got.endswith(b"\n"):  # the keys the parent types: x, ctrl+s, Enter, ctrl+q, a newline
    got += sys.stdin.buffer.raw.read(16)
atexit._run_exitfuncs()
after = termios.tcgetattr(0)
print("IXON", bool(before[0] & termios.IXON), bool(during[0] & termios.IXON), "ECHO", bool(during[3] & termios.ECHO), "RESTORED", after == before)
print("KEYS", got == b"x\x13\r\x11\n")
"""


def test_flow_control_and_cr_translation_are_off_from_launch_and_restored_at_exit():
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal in its default (line) mode
        os.execv(sys.executable, [sys.executable, "-c", CHILD])
    out = b""
    try:
        out = read_until(fd, out, b"READY")
        os.write(fd, b"x\x13\r\x11\n")  # ctrl+s, Enter, ctrl+q, as typed at launch
        out = read_until(fd, out, b"KEYS")
        out = read_until(fd, out, b"\n", start=out.index(b"KEYS"))
    finally:
        os.waitpid(pid, 0)
    text = out.decode(errors="replace")
    assert "IXON True False ECHO False RESTORED True" in text and "KEYS True" in text, text


def read_until(fd: int, out: bytes, marker: bytes, start: int = 0) -> bytes:
    deadline = time.monotonic() + 10
    while marker not in out[start:] and time.monotonic() < deadline:
        try:
            out += os.read(fd, 1024)
        except OSError:
            break
    return out


def test_the_console_turns_them_off_before_its_imports(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr("lcconsole.ui.launch_keys.keep_launch_keys", lambda: calls.append("keys"))
    monkeypatch.setattr("lcconsole.ui.cli.main", lambda args: calls.append("console") or 0)
    assert entry.main([]) == 0
    assert calls == ["keys", "console"]
    calls.clear()
    monkeypatch.setattr("lcconsole.cli.login_cmd.main", lambda args: calls.append("login") or 0)
    assert entry.main(["login"]) == 0 and calls == ["login"]  # a sub-command leaves the terminal be
