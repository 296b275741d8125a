"""`lcconsole login`: hidden PAT prompt, check against the server, keyring or 0600 file, profile."""

from __future__ import annotations

import io
import stat
import tomllib

import httpx
import pytest
from api.helpers import Recorder, fail

from cli.pat import ACCOUNT, BASIC, PAT
from lcconsole import config
from lcconsole.cli.login_cmd import main


@pytest.fixture
def keyring_store(monkeypatch):
    import keyring

    store: dict = {}
    monkeypatch.setattr(keyring, "set_password", lambda s, u, p: store.__setitem__((s, u), p))
    monkeypatch.setattr(keyring, "get_password", lambda s, u: store.get((s, u)))
    return store


def login(argv, rec, asked=None):
    out, err = io.StringIO(), io.StringIO()
    asked = [] if asked is None else asked

    def prompt(text):
        asked.append(("plain", text))
        return ACCOUNT

    def secret(text):
        asked.append(("hidden", text))
        return PAT

    code = main(argv, transport=rec.transport, prompt=prompt, secret_prompt=secret, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_login_checks_stores_in_keyring_and_writes_a_usable_profile(tmp_path, keyring_store):
    path = tmp_path / "config.toml"
    rec = Recorder(httpx.Response(200, json={"chats_summary": [], "found_chats": 0}))
    asked = []
    code, out, err = login(["--config", str(path)], rec, asked)
    assert (code, err) == (0, "")
    assert asked == [("plain", "Account ID: "), ("hidden", "Personal Access Token (input hidden): ")]
    [request] = rec.requests
    assert str(request.url) == "https://api.livechatinc.com/v3.6/agent/action/list_chats"
    assert request.headers["Authorization"] == BASIC
    assert keyring_store == {("lcconsole", "default"): PAT}
    text = path.read_text()
    assert PAT not in text and PAT not in out
    assert tomllib.loads(text)["profiles"]["default"] == {
        "base_url": "https://api.livechatinc.com",
        "api_version": "3.6",
        "account_id": ACCOUNT,
        "keyring": True,
    }
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    settings = config.resolve(config_path=path, env={})
    assert settings.credentials.authorization() == BASIC and settings.api_version == "3.6"


def test_without_a_keyring_the_pat_goes_to_a_private_file(tmp_path, monkeypatch):
    import keyring
    from keyring.errors import NoKeyringError

    def none(*_):
        raise NoKeyringError("no backend")

    monkeypatch.setattr(keyring, "set_password", none)
    path = tmp_path / "cfg" / "config.toml"
    rec = Recorder(httpx.Response(200, json={}))
    code, out, err = login(
        [
            "--config",
            str(path),
            "--profile",
            "work",
            "--account-id",
            ACCOUNT,
            "--base-url",
            "http://127.0.0.1:9",
            "--api-version",
            "3.0",
        ],
        rec,
    )
    assert (code, err) == (0, "")
    assert rec.requests[0].url.path == "/v3.0/agent/action/get_chats_summary"
    pat_file = tmp_path / "cfg" / "pats" / "work.pat"
    assert pat_file.read_text().strip() == PAT and stat.S_IMODE(pat_file.stat().st_mode) == 0o600
    assert str(pat_file) in out and PAT not in out
    assert config.resolve(config_path=path, env={}, profile="work").credentials.authorization() == BASIC


def test_refused_pat_is_not_stored(tmp_path, keyring_store):
    path = tmp_path / "config.toml"
    rec = Recorder(fail(401, "authentication", f"Invalid PAT {PAT}"))
    code, out, err = login(["--config", str(path)], rec)
    assert code == 1 and "refused" in err and "nothing was stored" in err
    assert PAT not in err + out and keyring_store == {} and not path.exists()


def test_missing_scope_still_signs_in(tmp_path, keyring_store):
    rec = Recorder(fail(403, "authorization", "Missing scope"))
    code, _, err = login(["--config", str(tmp_path / "c.toml")], rec)
    assert (code, err) == (0, "") and keyring_store


def test_help_has_no_pat_option(capsys, monkeypatch):
    monkeypatch.setenv("LCCONSOLE_PAT", PAT)
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "--pat" not in out and PAT not in out and "hidden" in out


def test_subcommand_is_wired():
    from lcconsole.__main__ import SUBCOMMANDS

    assert SUBCOMMANDS["login"] == "lcconsole.cli.login_cmd"
