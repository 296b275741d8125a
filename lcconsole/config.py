"""Console configuration: a TOML file with profiles, a keymap and a theme.

The file lives at ``platformdirs.user_config_path("lcconsole") / "config.toml"`` (override with
``--config`` or ``LCCONSOLE_CONFIG``); `TEMPLATE` below is the one example of it (the file starts
as it, `lcconsole --help` shows it).

Without `account_id` the token is an OAuth access token (sent as `Bearer`); with it, it is a Personal
Access Token (PAT), sent as HTTP Basic `base64(account_id:pat)` (`lcconsole login` writes such a
profile). A token is a secret: it is held in a `Secret` (whose repr hides it), never logged and never put in
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
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from lcconsole.secret import Credentials, Secret  # also known as config.Secret
from lcconsole.wire.dialects import DEFAULT_BASE_URL

APP_NAME = "lcconsole"
KEYRING_SERVICE = "lcconsole"
ENV_BASE_URL = "LCCONSOLE_BASE_URL"
ENV_TOKEN = "LCCONSOLE_TOKEN"
ENV_ACCOUNT_ID = "LCCONSOLE_ACCOUNT_ID"
ENV_PAT = "LCCONSOLE_PAT"
ENV_API_VERSION = "LCCONSOLE_API_VERSION"
API_VERSIONS = ("3.6", "3.0")
"""Agent Chat API versions spoken; 3.6 is what LiveChat serves, 3.0 only the local emulator."""
ENV_PROFILE = "LCCONSOLE_PROFILE"
ENV_CONFIG = "LCCONSOLE_CONFIG"
ENV_DATA_DIR = "LCCONSOLE_DATA_DIR"
ENV_DEBUG_LOG = "LCCONSOLE_DEBUG_LOG"

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
# api_version = "3.6"                     # default 3.6 for a real server, 3.0 for localhost
# account_id = "..."                      # with it, the token is a Personal Access Token
# token_command = "pass show livechat"    # its stdout (stripped) is the token
# # or: token = "..."
# # or: keyring = true                    # from the system keyring: keyring set lcconsole work
#
# [keymap]                                # binding id = keys (see ? in the console)
# "chat.close" = "ctrl+w"
#
# [notify]                                # new chats / customer messages in my other chats
# bell = true                             # ring the terminal bell
# desktop = true                          # OSC 9 + OSC 777 desktop notification
# title = true                            # "lcconsole (3)" in the terminal title
#
# [canned]                                # typed as #name in the composer (ctrl+t: picker)
# greeting = "Hi {customer.name}, I'm {agent.name}. How can I help?"
"""
NOTIFY_KEYS = ("bell", "desktop", "title")


def example(indent: str = "") -> str:
    """The settings part of `TEMPLATE`, uncommented (what `lcconsole --help` shows)."""
    lines = TEMPLATE.splitlines()[3:]  # after the two header lines and their blank line
    return "\n".join(indent + line[2:] if line.startswith("# ") else "" for line in lines)


class ConfigError(Exception):
    """The configuration cannot be used; the message says why and how to fix it."""


@dataclass
class Settings:
    """The resolved settings the console runs with."""

    base_url: str | None = None
    token: Secret | None = None
    """The OAuth token, or the PAT when `account_id` is set."""
    account_id: str | None = None
    region: str | None = None
    api_version: str | None = "3.0"
    """The Agent Chat API version spoken ("3.6" or "3.0"); `resolve` always sets it."""
    profile: str | None = None
    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    config_path: Path | None = None
    data_dir: Path | None = None
    enter_sends: bool = False
    notify: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(NOTIFY_KEYS, True))
    canned: dict[str, str] = field(default_factory=dict)

    @property
    def demo(self) -> bool:
        """True when no token is configured: the console runs against an embedded emulator."""
        return self.token is None

    @property
    def credentials(self) -> Credentials | None:
        """Basic (account id + PAT) when an account id is set, else Bearer; None in demo mode."""
        if self.token is None:
            return None
        if self.account_id:
            return Credentials.basic(self.account_id, self.token)
        return Credentials.bearer(self.token)


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


def _set_top_level(text: str, key: str, value: str) -> str:
    """`text` with the top-level `key = "value"` line set (before the first table)."""
    lines = text.splitlines()
    first_table = next((i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines))
    setting = f"{key} = {json.dumps(value)}"
    for i in range(first_table):
        if re.match(rf"\s*{key}\s*=", lines[i]):
            lines[i] = setting
            break
    else:  # after the opening comment paragraph, always before the first table
        blank = next((i for i in range(first_table) if not lines[i].strip()), None)
        lines.insert(blank if blank is not None else (0 if first_table == len(lines) else first_table), setting)
    return "\n".join(lines) + "\n"


def save_theme(path: Path, theme: str) -> None:
    """Remember the theme in the config file (one top-level line changed; the file stays 0600)."""
    text = path.read_text(encoding="utf-8") if path.exists() else TEMPLATE
    new = _set_top_level(text, "theme", theme)
    if tomllib.loads(new).get("theme") != theme:  # never write a file we cannot read back
        raise ConfigError(f"could not record the theme in {path}")
    create_private_file(path, new)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(str(value))  # a JSON string is a valid TOML basic string


def save_profile(path: Path, name: str, values: Mapping[str, object], *, make_default: bool = False) -> None:
    """Write `[profiles.<name>]` with `values` into the config file, replacing that table if it
    exists (other tables and comments are kept); optionally make it the default profile. The file
    stays 0600 and is read back before it replaces the old one."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise ConfigError(f"profile name {name!r}: use letters, digits, '-' and '_' only")
    text = path.read_text(encoding="utf-8") if path.exists() else TEMPLATE
    lines, kept, skipping = text.splitlines(), [], False
    header = re.compile(r"\s*\[\s*profiles\s*\.\s*[\"']?" + re.escape(name) + r"[\"']?\s*\]\s*(#.*)?$")
    for line in lines:
        if line.lstrip().startswith("["):
            skipping = bool(header.match(line))
        if not skipping:
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    block = [f"[profiles.{name}]"] + [f"{k} = {_toml_value(v)}" for k, v in values.items() if v is not None]
    new = "\n".join(kept + [""] + block) + "\n"
    if make_default:
        new = _set_top_level(new, "default_profile", name)
    if (tomllib.loads(new).get("profiles") or {}).get(name, {}).get("account_id") != values.get("account_id"):
        raise ConfigError(f"could not record profile {name!r} in {path}")
    create_private_file(path, new)


def _holds_token(data: Mapping) -> bool:
    profiles = data.get("profiles") or {}
    if not isinstance(profiles, Mapping):
        return False
    return any(isinstance(p, Mapping) and ("token" in p or "pat" in p) for p in profiles.values()) or ("token" in data)


CREDENTIAL_KEYS = ("token", "pat", "token_command", "pat_file", "keyring")
"""Keys that hold a secret, run a command or decide where a secret is read from."""


def _has_credentials(data: Mapping) -> bool:
    profiles = data.get("profiles") or {}
    tables = (
        [data, *(p for p in profiles.values() if isinstance(p, Mapping))] if isinstance(profiles, Mapping) else [data]
    )
    return any(key in table for table in tables for key in CREDENTIAL_KEYS)


def load_file(path: Path) -> dict:
    """Read and check the config file; a missing file is an empty config.

    Refused: a file holding a token or PAT that others can read, and a file with any
    credential setting (`CREDENTIAL_KEYS`: it can run a command or send a secret elsewhere)
    that others can write or that belongs to another user.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        raw = file.read()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    mode = stat.S_IMODE(info.st_mode)
    fix = f"Run: chmod 600 {shlex.quote(str(path))}"
    if _holds_token(data) and mode & 0o077:
        raise ConfigError(
            f"config file {path} holds a token but is readable by other users "
            f"(mode {mode:04o}); refusing to use it. {fix}"
        )
    if _has_credentials(data) and (mode & 0o022 or info.st_uid != os.getuid()):
        raise ConfigError(
            f"config file {path} has credential settings but other users can change it "
            f"(mode {mode:04o}, owner uid {info.st_uid}); refusing to use it. {fix}"
        )
    for key in ("profiles", "keymap", "notify", "canned"):
        if key in data and not isinstance(data[key], dict):
            raise ConfigError(f"config file {path}: [{key}] must be a table")
    for key, value in (data.get("notify") or {}).items():
        if key not in NOTIFY_KEYS or not isinstance(value, bool):
            raise ConfigError(
                f"config file {path}: [notify] {key} must be one of {', '.join(NOTIFY_KEYS)} = true/false"
            )
    for key, value in (data.get("canned") or {}).items():
        if not isinstance(value, str):
            raise ConfigError(f"config file {path}: [canned] {key} must be a string")
    return data


def run_token_command(command: str, timeout: float = 30.0) -> Secret:
    """Run `command` through the shell and return its stripped stdout as the token."""
    try:
        proc = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=timeout, check=False)
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


def read_pat_file(path: Path) -> Secret:
    """The PAT stored by `lcconsole login` in a private file (refused if others can read it)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"cannot read pat_file {path}: {exc.strerror}") from None
    if mode & 0o077:
        raise ConfigError(
            f"pat_file {path} is readable by other users (mode {mode:04o}); "
            f"refusing to use it. Run: chmod 600 {shlex.quote(str(path))}"
        )
    if not text:
        raise ConfigError(f"pat_file {path} is empty; run lcconsole login again")
    return Secret(text)


def store_pat(profile: str, pat: Secret, fallback: Path) -> dict[str, object]:
    """Keep `pat` in the system keyring (service "lcconsole", user `profile`); without a usable
    keyring, in the private file `fallback` (mode 0600). Returns the profile keys that find it
    again: `{"keyring": True}` or `{"pat_file": "<path>"}`."""
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.set_password(KEYRING_SERVICE, profile, pat.reveal())
        if keyring.get_password(KEYRING_SERVICE, profile) == pat.reveal():
            return {"keyring": True}
    except (ImportError, KeyringError, RuntimeError):
        pass
    fallback.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    create_private_file(fallback, pat.reveal() + "\n")
    return {"pat_file": str(fallback)}


def _profile_token(name: str, profile: Mapping) -> Secret | None:
    for key in ("token", "pat"):
        if profile.get(key):
            return Secret(str(profile[key]))
    if profile.get("pat_file"):
        return read_pat_file(Path(str(profile["pat_file"])).expanduser())
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
    account_id: str | None = None,
    pat: str | None = None,
    api_version: str | None = None,
) -> Settings:
    """Merge command line > environment > config profile into `Settings`.

    A PAT (`pat`, LCCONSOLE_PAT, or the secret of a profile with `account_id`) needs an account
    id; a token (`token`, LCCONSOLE_TOKEN, a profile without `account_id`) is an OAuth token.
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
        api_version=parse_api_version(api_version or env.get(ENV_API_VERSION) or prof.get("api_version")),
        profile=name,
        theme=data.get("theme"),
        keymap=keymap,
        config_path=path,
        enter_sends=bool(data.get("enter_sends", False)),
        notify={**dict.fromkeys(NOTIFY_KEYS, True), **(data.get("notify") or {})},
        canned={str(k): v for k, v in (data.get("canned") or {}).items()},
    )
    if demo:
        settings.base_url = None
        settings.api_version = settings.api_version or "3.6"  # the real path; --api-version 3.0 too
        return settings
    account = account_id or env.get(ENV_ACCOUNT_ID) or None
    pat_value = pat or (None if token else env.get(ENV_PAT))
    if pat_value:
        settings.token = Secret(pat_value)
        settings.account_id = account or prof.get("account_id")
        if not settings.account_id:
            raise ConfigError(
                f"a Personal Access Token needs its account id: give --account-id, set "
                f"{ENV_ACCOUNT_ID}, or add account_id to the profile"
            )
    elif token or env.get(ENV_TOKEN):
        settings.token = Secret(token or env[ENV_TOKEN])
    elif name:
        settings.token = _profile_token(name, prof)
        if settings.token is not None and prof.get("account_id"):
            settings.account_id = str(account or prof["account_id"])
    if settings.token is not None and not settings.base_url:
        settings.base_url = DEFAULT_BASE_URL
    if settings.token is None and settings.base_url:
        raise ConfigError(
            f"no token for {settings.base_url}: run lcconsole login, give --account-id and --pat "
            f"(or --token), set {ENV_ACCOUNT_ID} and {ENV_PAT} (or {ENV_TOKEN}), or add "
            f"token_command, keyring = true or token to the profile (or use --demo)"
        )
    if not settings.api_version:  # no token and no server: demo mode, on the real (v3.6) path
        settings.api_version = default_api_version(settings.base_url) if settings.token else "3.6"
    return settings


def parse_api_version(value: object) -> str | None:
    """`value` as a supported version ("3.6", "v3.0" …); None for nothing; ConfigError otherwise."""
    if value is None or value == "":
        return None
    text = str(value).strip().lstrip("v")
    if text not in API_VERSIONS:
        raise ConfigError(f"unsupported API version {value!r} (use {' or '.join(API_VERSIONS)})")
    return text


def default_api_version(base_url: str | None) -> str:
    """3.6 (what LiveChat serves) for a real server; 3.0 for the emulator on this machine."""
    host = (urlsplit(base_url).hostname or "") if base_url else ""
    local = not host or host == "localhost" or host.startswith("127.") or host == "::1"
    return "3.0" if local else "3.6"


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


def setup_debug_log(path: str | Path, token: Secret | Credentials | None = None) -> logging.Handler:
    """Log DEBUG to `path` (created 0600) with Authorization and the token (or PAT) redacted."""
    path = Path(path)
    if not path.exists():
        create_private_file(path, "")
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    secrets = token.secrets() if isinstance(token, Credentials) else (token.reveal(),) if token else ()
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    return handler
