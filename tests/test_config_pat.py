"""Personal Access Tokens in the configuration: flags, environment, profiles, API version."""

from __future__ import annotations

import base64
import logging
import os
import stat

import pytest

from lcconsole import config
from lcconsole.config import ConfigError, Secret, resolve

ACCOUNT = "e5a2f2c1-7f0f-4d7e-9f3b-0c4a8b1d2e3f"
PAT = "fra:PAT-s3cr3t-value-xyz"
BASIC = base64.b64encode(f"{ACCOUNT}:{PAT}".encode()).decode()


def write(path, text, mode=0o600):
    path.write_text(text)
    os.chmod(path, mode)
    return path


def test_pat_from_flags_env_and_profile_is_basic(tmp_path):
    none = tmp_path / "none.toml"
    s = resolve(config_path=none, env={}, account_id=ACCOUNT, pat=PAT)
    assert s.credentials.authorization() == f"Basic {BASIC}" and s.base_url == config.DEFAULT_BASE_URL
    s = resolve(config_path=none, env={"LCCONSOLE_ACCOUNT_ID": ACCOUNT, "LCCONSOLE_PAT": PAT})
    assert s.credentials.authorization() == f"Basic {BASIC}"
    path = write(tmp_path / "c.toml", f'[profiles.me]\naccount_id = "{ACCOUNT}"\ntoken_command = "echo {PAT}"\n')
    s = resolve(config_path=path, env={})
    assert s.credentials.authorization() == f"Basic {BASIC}" and s.account_id == ACCOUNT
    # --token stays an OAuth bearer token, also when the environment holds a PAT
    s = resolve(config_path=none, env={"LCCONSOLE_ACCOUNT_ID": ACCOUNT, "LCCONSOLE_PAT": PAT}, token="tok")
    assert s.credentials.authorization() == "Bearer tok"


def test_pat_from_keyring_profile(tmp_path, monkeypatch):
    import keyring

    monkeypatch.setattr(keyring, "get_password", lambda svc, user: PAT if (svc, user) == ("lcconsole", "me") else None)
    path = write(tmp_path / "c.toml", f'[profiles.me]\naccount_id = "{ACCOUNT}"\nkeyring = true\n')
    assert resolve(config_path=path, env={}).credentials.authorization() == f"Basic {BASIC}"


def test_pat_without_account_id_is_refused_without_echoing_it(tmp_path):
    with pytest.raises(ConfigError, match="account id") as info:
        resolve(config_path=tmp_path / "none.toml", env={"LCCONSOLE_PAT": PAT})
    assert PAT not in str(info.value)


def test_pat_file_must_be_private(tmp_path):
    pat_file = write(tmp_path / "me.pat", PAT + "\n", 0o644)
    path = write(tmp_path / "c.toml", f'[profiles.me]\naccount_id = "{ACCOUNT}"\npat_file = "{pat_file}"\n')
    with pytest.raises(ConfigError, match="chmod 600") as info:
        resolve(config_path=path, env={})
    assert PAT not in str(info.value)
    os.chmod(pat_file, 0o600)
    assert resolve(config_path=path, env={}).credentials.authorization() == f"Basic {BASIC}"


@pytest.mark.parametrize(
    "base_url, expected",
    [
        ("https://api.livechatinc.com", "3.6"),
        ("https://proxy.example.com", "3.6"),
        ("http://127.0.0.1:8080", "3.0"),
        ("http://localhost:9", "3.0"),
    ],
)
def test_api_version_defaults_to_36_for_a_real_server(tmp_path, base_url, expected):
    s = resolve(config_path=tmp_path / "n.toml", env={}, base_url=base_url, token="t")
    assert s.api_version == expected
    assert resolve(config_path=tmp_path / "n.toml", env={}, account_id=ACCOUNT, pat=PAT).api_version == "3.6"


def test_api_version_from_flag_env_profile_and_bad_values(tmp_path):
    path = write(
        tmp_path / "c.toml", '[profiles.p]\ntoken = "t"\nbase_url = "http://127.0.0.1:1"\napi_version = "3.6"\n'
    )
    assert resolve(config_path=path, env={}).api_version == "3.6"
    assert resolve(config_path=path, env={"LCCONSOLE_API_VERSION": "3.0"}).api_version == "3.0"
    assert resolve(config_path=path, env={"LCCONSOLE_API_VERSION": "3.0"}, api_version="3.6").api_version == "3.6"
    with pytest.raises(ConfigError, match="unsupported API version"):
        resolve(config_path=path, env={}, api_version="3.2")


def test_debug_log_redacts_pat_and_its_basic_form(tmp_path):
    log = tmp_path / "debug.log"
    creds = resolve(config_path=tmp_path / "n.toml", env={}, account_id=ACCOUNT, pat=PAT).credentials
    handler = config.setup_debug_log(log, creds)
    try:
        logger = logging.getLogger("lcconsole.test")
        logger.debug("raw %s and %s", PAT, BASIC)
        logger.debug("login %s", {"token": f"Basic {BASIC}"})
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    text = log.read_text()
    assert PAT not in text and BASIC not in text and text.count("***") >= 3
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_store_pat_uses_keyring_or_a_private_file(tmp_path, monkeypatch):
    import keyring
    from keyring.errors import NoKeyringError

    saved = {}
    monkeypatch.setattr(keyring, "set_password", lambda s, u, p: saved.__setitem__((s, u), p))
    monkeypatch.setattr(keyring, "get_password", lambda s, u: saved.get((s, u)))
    assert config.store_pat("me", Secret(PAT), tmp_path / "x" / "me.pat") == {"keyring": True}
    assert saved == {("lcconsole", "me"): PAT} and not (tmp_path / "x").exists()

    def no_keyring(*_):
        raise NoKeyringError("none")

    monkeypatch.setattr(keyring, "set_password", no_keyring)
    where = config.store_pat("me", Secret(PAT), tmp_path / "x" / "me.pat")
    stored = tmp_path / "x" / "me.pat"
    assert where == {"pat_file": str(stored)} and stored.read_text().strip() == PAT
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600


def test_save_profile_replaces_only_that_profile(tmp_path):
    path = write(
        tmp_path / "c.toml",
        '# mine\ntheme = "nord"\n[profiles.a]\ntoken = "ta"\n'
        '[profiles.me]\nbase_url = "http://old"\n[keymap]\n"chat.close" = "ctrl+w"\n',
    )
    config.save_profile(path, "me", {"account_id": ACCOUNT, "keyring": True, "api_version": "3.6"}, make_default=True)
    text = path.read_text()
    assert "# mine" in text and "http://old" not in text
    import tomllib

    data = tomllib.loads(text)
    assert data["profiles"]["me"] == {"account_id": ACCOUNT, "keyring": True, "api_version": "3.6"}
    assert data["profiles"]["a"] == {"token": "ta"} and data["keymap"] == {"chat.close": "ctrl+w"}
    assert data["default_profile"] == "me" and data["theme"] == "nord"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_console_help_lists_pat_options_and_no_secret(capsys, monkeypatch):
    from lcconsole.ui.cli import main

    monkeypatch.setenv("LCCONSOLE_PAT", PAT)
    monkeypatch.setenv("LCCONSOLE_ACCOUNT_ID", ACCOUNT)
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for needle in ("--account-id", "--pat", "--api-version", "LCCONSOLE_PAT", "lcconsole login"):
        assert needle in out, needle
    assert PAT not in out and BASIC not in out


def test_console_speaks_36_and_demo_runs_it_unless_told_30(tmp_path):
    from lcconsole.ui.cli import CONSOLE_VERSIONS

    assert set(CONSOLE_VERSIONS) == {"3.6", "3.0"}
    path = tmp_path / "n.toml"
    assert resolve(config_path=path, env={}, demo=True).api_version == "3.6"
    assert resolve(config_path=path, env={}, demo=True, api_version="3.0").api_version == "3.0"
    assert resolve(config_path=path, env={}).api_version == "3.6"  # no token at all: demo mode too


async def test_session_builds_the_client_and_socket_of_the_chosen_version():
    from lcconsole.config import Settings
    from lcconsole.ui.session import Session

    settings = Settings(
        base_url="https://api.livechatinc.com", token=Secret(PAT), account_id=ACCOUNT, api_version="3.6"
    )
    session = Session(settings)
    await session.open()
    try:
        assert session.client.version == "3.6" and session.rtm.dialect.version == "3.6"
        assert session.rtm.url == "wss://api.livechatinc.com/v3.6/agent/rtm/ws"
        assert session.client.auth_scheme == "Basic" and PAT not in repr(session.client) + repr(session.rtm)
        assert session.gateway.version == "3.6"
    finally:
        await session.client.aclose()
