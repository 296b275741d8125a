"""Console configuration: a TOML file with profiles, a keymap and a theme.

The file lives at ``platformdirs.user_config_path("lcconsole") / "config.toml"`` (override with
``--config`` or ``LCCONSOLE_CONFIG``)::

    theme = "textual-dark"
    default_profile = "work"

    [profiles.work]
    base_url = "https://api.livechatinc.com"
    region = "fra"
    token_command = "pass show livechat/work"   # or: token = "..." | keyring = true

    [keymap]
    "chat.close" = "ctrl+w"

A token is a secret: it is held in a `Secret` (whose repr hides it), never logged and never put in
an exception message. A file that holds a token and is readable by group or others is refused.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shlex
import stat
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from lcconsole.secret import Secret  # also known as config.Secret

APP_NAME = "lcconsole"
KEYRING_SERVICE = "lcconsole"
ENV_BASE_URL = "LCCONSOLE_BASE_URL"
ENV_TOKEN = "LCCONSOLE_TOKEN"
ENV_PROFILE = "LCCONSOLE_PROFILE"
ENV_CONFIG = "LCCONSOLE_CONFIG"
ENV_DATA_DIR = "LCCONSOLE_DATA_DIR"
ENV_DEBUG_LOG = "LCCONSOLE_DEBUG_LOG"
DEFAULT_BASE_URL = "https://api.livechatinc.com"

TEMPLATE = """\
# lcconsole configuration (this file is private: keep it mode 0600).
# Without a token the console starts in demo mode against an embedded emulator.
#
# theme = "textual-dark"
# enter_sends = false                     # true: Enter sends, shift+enter adds a line
# default_profile = "work"
#
# [profiles.work]
# base_url = "https://api.livechatinc.com"
# region = "fra"                          # optional X-Region
# token_command = "pass show livechat"    # or: token = "..."  or: keyring = true
#
# [keymap]                                # binding id = keys (see ? in the console)
# "chat.close" = "ctrl+w"
"""


class ConfigError(Exception):
    """The configuration cannot be used; the message says why and how to fix it."""


@dataclass
class Settings:
    """The resolved settings the console runs with."""

    base_url: str | None = None
    token: Secret | None = None
    region: str | None = None
    profile: str | None = None
    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    config_path: Path | None = None
    data_dir: Path | None = None
    enter_sends: bool = False

    @property
    def demo(self) -> bool:
        """True when no token is configured: the console runs against an embedded emulator."""
        return self.token is None


def default_config_path() -> Path:
    """Where the config file lives unless --config / LCCONSOLE_CONFIG says otherwise."""
    import platformdirs

    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def default_data_dir() -> Path:
    """Where drafts and the outbox are kept (LCCONSOLE_DATA_DIR overrides)."""
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env)
    import platformdirs

    return platformdirs.user_data_path(APP_NAME)


def create_private_file(path: Path, text: str) -> None:
    """Create (or replace) `path` with mode 0600 from the start (no readable window)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def ensure_config_file(path: Path) -> bool:
    """Create a commented template at `path` (mode 0600) if missing; True if it was created."""
    if path.exists():
        return False
    try:
        create_private_file(path, TEMPLATE)
    except OSError:
        return False
    return True


def save_theme(path: Path, theme: str) -> None:
    """Remember the theme in the config file (one top-level line changed; the file stays 0600)."""
    text = path.read_text(encoding="utf-8") if path.exists() else TEMPLATE
    lines = text.splitlines()
    first_table = next((i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines))
    setting = f"theme = {json.dumps(theme)}"
    for i in range(first_table):
        if re.match(r"\s*theme\s*=", lines[i]):
            lines[i] = setting
            break
    else:  # after the opening comment paragraph, always before the first table
        blank = next((i for i in range(first_table) if not lines[i].strip()), None)
        lines.insert(blank if blank is not None else (0 if first_table == len(lines) else first_table),
                     setting)
    new = "\n".join(lines) + "\n"
    if tomllib.loads(new).get("theme") != theme:  # never write a file we cannot read back
        raise ConfigError(f"could not record the theme in {path}")
    create_private_file(path, new)


def _holds_token(data: Mapping) -> bool:
    profiles = data.get("profiles") or {}
    if not isinstance(profiles, Mapping):
        return False
    return any(isinstance(p, Mapping) and "token" in p for p in profiles.values()) or (
        "token" in data
    )


def load_file(path: Path) -> dict:
    """Read and check the config file; a missing file is an empty config."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    mode = stat.S_IMODE(path.stat().st_mode)
    if _holds_token(data) and mode & 0o077:
        raise ConfigError(
            f"config file {path} holds a token but is readable by other users "
            f"(mode {mode:04o}); refusing to use it. Run: chmod 600 {shlex.quote(str(path))}"
        )
    for key in ("profiles", "keymap"):
        if key in data and not isinstance(data[key], dict):
            raise ConfigError(f"config file {path}: [{key}] must be a table")
    return data


def run_token_command(command: str, timeout: float = 30.0) -> Secret:
    """Run `command` through the shell and return its stripped stdout as the token."""
    try:
        proc = subprocess.run(
            command, shell=True, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise ConfigError(f"token_command timed out after {timeout:g} s") from None
    except OSError as exc:
        raise ConfigError(f"token_command could not be run: {exc.strerror}") from None
    if proc.returncode != 0:
        raise ConfigError(f"token_command failed with exit code {proc.returncode}")
    token = proc.stdout.strip()
    if not token:
        raise ConfigError("token_command printed nothing")
    return Secret(token)


def keyring_token(profile: str) -> Secret:
    """Read the token of `profile` from the system keyring (service "lcconsole")."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:  # pragma: no cover - keyring is a dependency
        raise ConfigError("the keyring library is not installed") from None
    try:
        value = keyring.get_password(KEYRING_SERVICE, profile)
    except KeyringError as exc:
        raise ConfigError(f"keyring error: {type(exc).__name__}") from None
    if not value:
        raise ConfigError(
            f"no token in the keyring for profile {profile!r}; store one with: "
            f"keyring set {KEYRING_SERVICE} {shlex.quote(profile)}"
        )
    return Secret(value)


def _profile_token(name: str, profile: Mapping) -> Secret | None:
    if profile.get("token"):
        return Secret(str(profile["token"]))
    if profile.get("token_command"):
        return run_token_command(str(profile["token_command"]))
    if profile.get("keyring") is True:
        return keyring_token(name)
    return None


def resolve(
    *,
    base_url: str | None = None,
    token: str | None = None,
    profile: str | None = None,
    config_path: Path | None = None,
    demo: bool = False,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Merge command line > environment > config profile into `Settings`.

    `demo=True` ignores every token source. Raises `ConfigError` with a readable message.
    """
    env = os.environ if env is None else env
    path = Path(config_path or env.get(ENV_CONFIG) or default_config_path()).expanduser()
    data = load_file(path)
    profiles = data.get("profiles") or {}
    name = profile or env.get(ENV_PROFILE) or data.get("default_profile")
    if name is not None and name not in profiles:
        if profile or env.get(ENV_PROFILE):
            known = ", ".join(sorted(profiles)) or "none"
            raise ConfigError(f"profile {name!r} not found in {path} (profiles: {known})")
        name = None
    if name is None and len(profiles) == 1:
        name = next(iter(profiles))
    prof: Mapping = profiles.get(name, {}) if name else {}
    keymap = {str(k): str(v) for k, v in (data.get("keymap") or {}).items()}
    settings = Settings(
        base_url=base_url or env.get(ENV_BASE_URL) or prof.get("base_url"),
        region=prof.get("region"),
        profile=name,
        theme=data.get("theme"),
        keymap=keymap,
        config_path=path,
        enter_sends=bool(data.get("enter_sends", False)),
    )
    if demo:
        settings.base_url = None
        return settings
    if token or env.get(ENV_TOKEN):
        settings.token = Secret(token or env[ENV_TOKEN])
    elif name:
        settings.token = _profile_token(name, prof)
    if settings.token is not None and not settings.base_url:
        settings.base_url = DEFAULT_BASE_URL
    if settings.token is None and settings.base_url:
        raise ConfigError(
            f"no token for {settings.base_url}: give --token, set {ENV_TOKEN}, or add token_command, "
            f"keyring = true or token to the profile (or use --demo)")
    return settings


_AUTH_RE = re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)[^'\"\r\n,}]+")
_BEARER_RE = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9:._~+/=-]+")


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Hide Authorization header values, bearer tokens and any of `secrets` in `text`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = _AUTH_RE.sub(lambda m: m.group(1) + "***", text)
    return _BEARER_RE.sub(lambda m: f"{m.group(1)} ***", text)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts Authorization values and known secrets in every record."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self.secrets)
        record.args = None
        return True


def setup_debug_log(path: str | Path, token: Secret | None = None) -> logging.Handler:
    """Log DEBUG to `path` (created 0600) with Authorization and the token redacted."""
    path = Path(path)
    if not path.exists():
        create_private_file(path, "")
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    handler.addFilter(RedactingFilter((token.reveal(),) if token else ()))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    return handler
