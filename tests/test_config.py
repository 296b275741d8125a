"""Config file, profiles, token sources, permissions and redaction."""

from __future__ import annotations

import gc
import logging
import os
import stat
import sys

import pytest

from lcconsole import config
from lcconsole.config import ConfigError, Secret, resolve

TOKEN = "dal:S3cr3tT0kenValue"


def write(path, text, mode=0o600):
    path.write_text(text)
    os.chmod(path, mode)
    return path


def test_no_token_means_demo(tmp_path):
    s = resolve(config_path=tmp_path / "missing.toml", env={})
    assert s.demo and s.token is None and s.base_url is None


def test_cli_beats_env_beats_profile(tmp_path):
    path = write(
        tmp_path / "c.toml",
        f'[profiles.work]\nbase_url = "http://profile"\ntoken = "{TOKEN}"\nregion = "fra"\n',
    )
    s = resolve(config_path=path, env={})
    assert (s.base_url, s.token.reveal(), s.region, s.profile) == ("http://profile", TOKEN, "fra", "work")
    env = {"LCCONSOLE_BASE_URL": "http://env", "LCCONSOLE_TOKEN": "envtok"}
    s = resolve(config_path=path, env=env)
    assert (s.base_url, s.token.reveal()) == ("http://env", "envtok")
    s = resolve(config_path=path, env=env, base_url="http://cli", token="clitok")
    assert (s.base_url, s.token.reveal()) == ("http://cli", "clitok")
    assert resolve(config_path=path, env=env, demo=True).demo


def test_a_server_without_a_token_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="no token for http://x"):
        resolve(config_path=tmp_path / "none.toml", env={"LCCONSOLE_BASE_URL": "http://x"})
    assert resolve(config_path=tmp_path / "none.toml", env={"LCCONSOLE_BASE_URL": "http://x"}, demo=True).demo


def test_profiles_and_default_profile(tmp_path):
    path = write(
        tmp_path / "c.toml",
        'default_profile = "b"\ntheme = "textual-light"\n'
        '[profiles.a]\nbase_url = "http://a"\ntoken = "ta"\n'
        '[profiles.b]\nbase_url = "http://b"\ntoken = "tb"\n'
        '[keymap]\n"chat.close" = "ctrl+w"\n',
    )
    s = resolve(config_path=path, env={})
    assert (s.profile, s.base_url, s.token.reveal(), s.theme) == ("b", "http://b", "tb", "textual-light")
    assert s.keymap == {"chat.close": "ctrl+w"}
    assert resolve(config_path=path, env={}, profile="a").token.reveal() == "ta"
    with pytest.raises(ConfigError, match="profile 'zz' not found"):
        resolve(config_path=path, env={}, profile="zz")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_readable_file_with_token_is_refused(tmp_path, mode):
    path = write(tmp_path / "c.toml", f'[profiles.x]\ntoken = "{TOKEN}"\n', mode)
    with pytest.raises(ConfigError) as err:
        resolve(config_path=path, env={})
    msg = str(err.value)
    assert "chmod 600" in msg and f"{mode:04o}" in msg and TOKEN not in msg


def test_readable_file_without_token_is_fine(tmp_path):
    path = write(tmp_path / "c.toml", '[profiles.x]\ntoken_command = "echo hi"\n', 0o644)
    assert resolve(config_path=path, env={}).token.reveal() == "hi"


def test_template_created_private(tmp_path):
    path = tmp_path / "sub" / "config.toml"
    assert config.ensure_config_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not config.ensure_config_file(path)
    assert resolve(config_path=path, env={}).demo  # the template is all comments


def test_token_command(tmp_path):
    script = tmp_path / "tok.py"
    script.write_text(f"print('  {TOKEN}  ')\n")
    path = write(tmp_path / "c.toml", f'[profiles.p]\ntoken_command = "{sys.executable} {script}"\n')
    assert resolve(config_path=path, env={}).token.reveal() == TOKEN
    bad = write(tmp_path / "b.toml", '[profiles.p]\ntoken_command = "echo leaked; exit 3"\n')
    with pytest.raises(ConfigError, match="exit code 3") as err:
        resolve(config_path=bad, env={})
    assert "leaked" not in str(err.value)


def test_keyring(tmp_path, monkeypatch):
    import keyring

    store = {("lcconsole", "p"): TOKEN}
    monkeypatch.setattr(keyring, "get_password", lambda svc, user: store.get((svc, user)))
    path = write(tmp_path / "c.toml", "[profiles.p]\nkeyring = true\n[profiles.q]\nkeyring = true\n")
    assert resolve(config_path=path, env={}, profile="p").token.reveal() == TOKEN
    with pytest.raises(ConfigError, match="keyring set lcconsole q"):
        resolve(config_path=path, env={}, profile="q")


def test_invalid_toml(tmp_path):
    path = write(tmp_path / "c.toml", "theme = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        resolve(config_path=path, env={})


def test_secret_never_shows():
    s = Secret(TOKEN)
    assert TOKEN not in repr(s) and TOKEN not in str(s) and TOKEN not in f"{s}"
    assert TOKEN not in repr(config.Settings(token=s))


def test_debug_log_redacts(tmp_path):
    log = tmp_path / "debug.log"
    handler = config.setup_debug_log(log, Secret(TOKEN))
    try:
        logger = logging.getLogger("lcconsole.test")
        logger.debug("headers %s", {"Authorization": f"Bearer {TOKEN}"})
        logger.debug("login payload token=%s", f"Bearer {TOKEN}")
        logger.debug("raw %s", TOKEN)
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    text = log.read_text()
    assert TOKEN not in text and text.count("***") >= 3
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_help_mentions_everything_and_no_token(capsys, monkeypatch):
    from lcconsole.ui.cli import main

    monkeypatch.setenv("LCCONSOLE_TOKEN", TOKEN)
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for needle in (
        "demo",
        "LCCONSOLE_BASE_URL",
        "LCCONSOLE_TOKEN",
        "config.toml",
        "profiles",
        "keyring",
        "token_command",
    ):
        assert needle in out, needle
    assert TOKEN not in out
    assert config.example("       ") in out  # the one example: the template the file starts as


def test_the_example_config_is_a_working_config(tmp_path):
    path = write(
        tmp_path / "c.toml", config.example().replace('token_command = "pass show livechat"', f'token = "{TOKEN}"')
    )
    s = resolve(config_path=path, env={})
    assert s.profile == "work" and s.token.reveal() == TOKEN and s.account_id == "..."
    assert s.keymap == {"chat.close": "ctrl+w"} and s.canned["greeting"].startswith("Hi ")


def test_cli_refuses_readable_config(tmp_path, capsys):
    from lcconsole.ui.cli import main

    path = write(tmp_path / "c.toml", f'[profiles.x]\ntoken = "{TOKEN}"\n', 0o644)
    assert main(["--config", str(path)]) == 2
    assert gc.isenabled()  # paused for the start-up only
    err = capsys.readouterr().err
    assert "chmod 600" in err and TOKEN not in err


def test_save_theme_keeps_the_rest(tmp_path):
    path = write(tmp_path / "c.toml", f'# mine\ntheme = "old"\n[profiles.x]\ntoken = "{TOKEN}"\n')
    config.save_theme(path, "textual-light")
    text = path.read_text()
    assert text.startswith('# mine\ntheme = "textual-light"\n[profiles.x]') and TOKEN in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    fresh = tmp_path / "new" / "config.toml"
    config.save_theme(fresh, "nord")
    assert resolve(config_path=fresh, env={}).theme == "nord" and "[keymap]" in fresh.read_text()


def test_notify_and_canned_tables(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[notify]\nbell = false\n[canned]\nhi = "Hi {customer.name}"\n')
    settings = resolve(config_path=path, env={})
    assert settings.notify == {"bell": False, "desktop": True, "title": True}
    assert settings.canned == {"hi": "Hi {customer.name}"}
    for bad in ('[notify]\nbell = "yes"\n', "[notify]\nflash = true\n", "[canned]\nhi = 3\n", "notify = 1\n"):
        path.write_text(bad)
        with pytest.raises(ConfigError, match="notify|canned"):
            resolve(config_path=path, env={})


def test_pydantic_plugins_are_off_while_the_console_runs(monkeypatch):
    from lcconsole.ui import cli

    seen = []
    monkeypatch.setattr(cli, "_run", lambda argv: seen.append(os.environ.get(cli.PYDANTIC_PLUGINS)) or 0)
    monkeypatch.delenv(cli.PYDANTIC_PLUGINS, raising=False)
    assert cli.main([]) == 0
    assert seen == ["__all__"] and cli.PYDANTIC_PLUGINS not in os.environ  # not left behind
    monkeypatch.setenv(cli.PYDANTIC_PLUGINS, "logfire")  # the user's own choice is kept
    assert cli.main([]) == 0
    assert seen[-1] == "logfire" and os.environ[cli.PYDANTIC_PLUGINS] == "logfire"
