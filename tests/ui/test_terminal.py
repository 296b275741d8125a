"""terminal.py: the escape sequences written for bell, notifications, title and OSC 52; the
local clipboard fallback; the external editor (a real script as $EDITOR)."""

from __future__ import annotations

import base64
import stat
import subprocess
import sys

import pytest

from lcconsole.ui import terminal


def test_osc52_carries_the_text_base64():
    out: list[str] = []
    used = terminal.copy(out.append, "héllo\nworld", env={}, which=lambda name: None)
    assert used == ["OSC 52"]
    assert out == ["\x1b]52;c;" + base64.b64encode("héllo\nworld".encode()).decode() + "\a"]


def test_copy_also_uses_the_local_clipboard_but_not_over_ssh():
    out: list[str] = []
    calls = []

    def run(command, **kw):
        calls.append((command, kw["input"]))
        return subprocess.CompletedProcess(command, 0)

    env = {"DISPLAY": ":0"}
    used = terminal.copy(out.append, "abc", env=env, run=run, which=lambda n: f"/usr/bin/{n}")
    assert used == ["OSC 52", "xclip"]
    assert calls == [(["/usr/bin/xclip", "-selection", "clipboard"], b"abc")]
    calls.clear()
    used = terminal.copy(
        out.append, "abc", env={**env, "SSH_CONNECTION": "1 2 3 4"}, run=run, which=lambda n: f"/usr/bin/{n}"
    )
    assert used == ["OSC 52"] and not calls


def test_notifications_are_wrapped_for_tmux_and_cannot_break_out():
    out: list[str] = []
    terminal.desktop_notify(out.append, "lcconsole", "Ana: hi;\x07\x1b]2;pwn", env={})
    assert out == ["\x1b]9;lcconsole: Ana: hi;  ]2;pwn\a", "\x1b]777;notify;lcconsole;Ana: hi,  ]2,pwn\a"]
    out.clear()
    terminal.desktop_notify(out.append, "t", "b", env={"TMUX": "/tmp/tmux-1/default,1,0"})
    assert out == ["\x1bPtmux;\x1b\x1b]9;t: b\a\x1b\\", "\x1bPtmux;\x1b\x1b]777;notify;t;b\a\x1b\\"]


def test_bell_and_title():
    out: list[str] = []
    terminal.bell(out.append)
    terminal.set_title(out.append, "lcconsole (3)")
    assert out == ["\a", "\x1b]2;lcconsole (3)\a"]


@pytest.fixture
def editor_script(tmp_path):
    """An $EDITOR that appends a line to the file it is given and records its argument."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[-1])\n"
        "pathlib.Path(sys.argv[1]).write_text(p.read_text())\n"
        "p.write_text(p.read_text() + ' and more\\n')\n"
    )
    return script


def test_edit_text_runs_the_editor_on_a_private_file(tmp_path, editor_script):
    seen = tmp_path / "seen.txt"
    env = {"EDITOR": f"{sys.executable} {editor_script} {seen}"}
    assert terminal.edit_text("draft", env=env) == "draft and more"
    assert seen.read_text() == "draft"


def test_visual_wins_and_a_failing_editor_changes_nothing(tmp_path):
    env = {"VISUAL": "false", "EDITOR": "true"}
    with pytest.raises(terminal.EditorFailed, match="status 1"):
        terminal.edit_text("draft", env=env)
    with pytest.raises(terminal.EditorFailed):
        terminal.edit_text("draft", env={"EDITOR": str(tmp_path / "missing-editor")})
    assert terminal.editor_command({}) == ["vi"]


def test_the_draft_file_is_private(tmp_path):
    modes = []

    def run(command, **kw):
        modes.append(stat.S_IMODE(__import__("os").stat(command[-1]).st_mode))
        return subprocess.CompletedProcess(command, 0)

    terminal.edit_text("secret draft", env={"EDITOR": "ed"}, run=run)
    assert modes == [0o600]
