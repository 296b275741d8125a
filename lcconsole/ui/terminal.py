"""Talking to the terminal around the console: bell, desktop notifications, window title, the
OSC 52 clipboard and the agent's own editor.

Every sequence goes through a `write` callable (the app's driver in the console, a list's
`append` in tests). Desktop notifications are wrapped in tmux's passthrough when `$TMUX` is set
(tmux would swallow them otherwise); OSC 52 is sent bare because tmux itself understands it (and
puts the text in its paste buffer with `set-clipboard on`).
"""

from __future__ import annotations

import base64
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

Write = Callable[[str], object]
Run = Callable[..., subprocess.CompletedProcess]

BEL = "\a"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _field(text: str, limit: int = 200) -> str:
    """One safe OSC field: no control characters (they would end or break the sequence)."""
    return _UNSAFE.sub(" ", text)[:limit]


def tmux_wrap(sequence: str, env: Mapping[str, str]) -> str:
    """`sequence` wrapped for tmux passthrough when running inside tmux, else unchanged."""
    if not env.get("TMUX"):
        return sequence
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"


def bell(write: Write) -> None:
    """Ring the terminal bell."""
    write(BEL)


def desktop_notify(write: Write, title: str, body: str, env: Mapping[str, str] | None = None) -> None:
    """A desktop notification as OSC 9 (iTerm2, kitty, WezTerm…) and OSC 777 (foot, urxvt…)."""
    env = os.environ if env is None else env
    title, body = _field(title, 80), _field(body)
    write(tmux_wrap(f"\x1b]9;{title}: {body}{BEL}", env))
    write(tmux_wrap(f"\x1b]777;notify;{title.replace(';', ',')};{body.replace(';', ',')}{BEL}", env))


def set_title(write: Write, title: str) -> None:
    """Set the terminal window title (OSC 2; tmux turns it into the pane title)."""
    write(f"\x1b]2;{_field(title)}{BEL}")


def osc52(write: Write, text: str) -> None:
    """Put `text` on the clipboard of the terminal the agent sits at (works over SSH and tmux)."""
    write(f"\x1b]52;c;{base64.b64encode(text.encode('utf-8')).decode('ascii')}{BEL}")


def local_clipboard_command(
    env: Mapping[str, str], which: Callable[[str], str | None] = shutil.which
) -> list[str] | None:
    """The command that copies stdin to this machine's clipboard, or None (none, or over SSH)."""
    if env.get("SSH_CONNECTION") or env.get("SSH_TTY"):
        return None  # this machine's clipboard is not the agent's
    candidates: list[list[str]] = []
    if sys.platform == "darwin":
        candidates.append(["pbcopy"])
    if env.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if env.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    for command in candidates:
        path = which(command[0])
        if path:
            return [path, *command[1:]]
    return None


def copy(
    write: Write,
    text: str,
    env: Mapping[str, str] | None = None,
    run: Run = subprocess.run,
    which: Callable[[str], str | None] = shutil.which,
) -> list[str]:
    """Copy `text` with OSC 52 and, when there is one, the local clipboard too; returns the
    names of the ways used (e.g. `["OSC 52", "xclip"]`)."""
    env = os.environ if env is None else env
    osc52(write, text)
    used = ["OSC 52"]
    command = local_clipboard_command(env, which)
    if command:
        try:
            run(
                command,
                input=text.encode("utf-8"),
                check=True,
                timeout=5,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            used.append(Path(command[0]).name)
        except (OSError, subprocess.SubprocessError):
            pass
    return used


def editor_command(env: Mapping[str, str] | None = None) -> list[str]:
    """`$VISUAL`, else `$EDITOR`, else `vi`, split like a shell would."""
    env = os.environ if env is None else env
    value = env.get("VISUAL") or env.get("EDITOR") or "vi"
    return shlex.split(value) or ["vi"]


class EditorFailed(Exception):
    """The editor could not be run or exited with an error (the draft is unchanged)."""


def edit_text(text: str, env: Mapping[str, str] | None = None, run: Run = subprocess.run) -> str:
    """Open `text` in the agent's editor (a private temporary file) and return the edited text.

    One trailing newline (editors add it) is dropped. Raises `EditorFailed`.
    """
    command = editor_command(env)
    fd, name = tempfile.mkstemp(prefix="lcconsole-draft-", suffix=".txt")  # mode 0600
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            result = run([*command, str(path)], check=False)
        except OSError as exc:
            raise EditorFailed(f"{command[0]}: {exc.strerror or exc}") from None
        if result.returncode != 0:
            raise EditorFailed(f"{command[0]} exited with status {result.returncode}")
        edited = path.read_text(encoding="utf-8", errors="replace")
    finally:
        path.unlink(missing_ok=True)
    return edited[:-1] if edited.endswith("\n") else edited
