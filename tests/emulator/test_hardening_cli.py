"""Hardening of the command-line side (issue 16, findings 9 and 10).

`lcconsole api` shows server text literally (escape sequences made visible), against the real
emulator over loopback; a config file others can change is refused whenever it has credential
settings (it could run a command or send a secret elsewhere); `--token`/`--pat` help warns
that command lines are visible in `ps`.
"""

from __future__ import annotations

import io
import json
import os

import pytest

from lcconsole.cli.api_cmd import main as api_main
from lcconsole.config import ConfigError, resolve
from lcconsole.emulator.embedded import EmbeddedEmulator

HOSTILE = "\x1b[2J\x1b]0;pwned\x07\x1b[31mred\u202eevil\x9b1m"


@pytest.fixture(scope="module")
def emulator():
    with EmbeddedEmulator(seed="empty", simulate=False) as info:
        yield info


def run_api(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = api_main(argv, stdin=io.StringIO(""), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_server_error_text_reaches_stderr_with_escapes_visible(emulator):
    code, _, err = run_api(
        [
            "follow_chat",
            "--json",
            json.dumps({"chat_id": HOSTILE}),
            "--base-url",
            emulator.base_url,
            "--token",
            emulator.token,
        ]
    )
    assert code == 1
    assert err.startswith("error: not_found: Chat ")
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err and "\x9b" not in err
    assert "␛[2J" in err and "␛]0;pwned␇" in err


def test_server_json_on_stdout_cannot_drive_the_terminal_and_keeps_its_value(emulator):
    created = run_api(
        [
            "create_customer",
            "--json",
            json.dumps({"name": HOSTILE}),
            "--base-url",
            emulator.base_url,
            "--token",
            emulator.token,
        ]
    )
    assert created[0] == 0, created
    code, out, _ = run_api(
        [
            "get_customers",
            "--json",
            json.dumps({"filters": {"name": {"values": [HOSTILE]}}}),
            "--base-url",
            emulator.base_url,
            "--token",
            emulator.token,
        ]
    )
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out and "\x9b" not in out
    assert json.loads(out)["customers"][0]["name"] == HOSTILE  # same JSON value


def test_help_warns_that_command_line_secrets_are_visible(capsys):
    assert api_main(["--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert help_text.count("visible to other users in ps") >= 2  # --token and --pat


@pytest.mark.parametrize(
    "setting", ['token_command = "echo hi"', 'pat_file = "/tmp/x"', "keyring = true", 'token = "dal:x"']
)
@pytest.mark.parametrize("mode", [0o622, 0o660, 0o602])
def test_config_writable_by_others_with_credentials_is_refused(tmp_path, setting, mode):
    marker = tmp_path / "ran"
    path = tmp_path / "config.toml"
    path.write_text(
        f'[profiles.x]\nbase_url = "http://127.0.0.1:9"\n{setting}\n'.replace("echo hi", f"touch {marker}; echo hi")
    )
    os.chmod(path, mode)
    with pytest.raises(ConfigError) as err:
        resolve(config_path=path, env={})
    assert "chmod 600" in str(err.value)
    assert not marker.exists()  # the command never ran


def test_config_writable_by_others_without_credentials_is_still_read(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "textual-light"\n')
    os.chmod(path, 0o666)
    assert resolve(config_path=path, env={}).theme == "textual-light"
