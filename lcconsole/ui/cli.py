"""`lcconsole [--base-url URL] [--account-id ID --pat PAT | --token TOKEN] [--api-version V]
[--profile NAME] [--demo] [--config PATH]`."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from lcconsole import config

DESCRIPTION = """\
A keyboard-driven terminal console for LiveChat agents (Agent Chat API v3.6, or v3.0 against
the emulator).

Demo mode: with no token configured (or with --demo) the console starts a local emulator of the
API in-process on a free loopback port, with a demo world and simulated customers, and connects
to it exactly as it would to a real server. The status bar then says DEMO.
"""

EPILOG = """\
Sign in with a Personal Access Token: `lcconsole login` asks for your account id and PAT, checks
them against the server and keeps the PAT in the system keyring (or a private 0600 file).

where the server and credentials come from (first match wins):
  1. --base-url / --account-id + --pat (Personal Access Token) / --token (OAuth access token)
  2. environment: LCCONSOLE_BASE_URL, LCCONSOLE_ACCOUNT_ID + LCCONSOLE_PAT, LCCONSOLE_TOKEN,
     LCCONSOLE_API_VERSION (LCCONSOLE_PROFILE picks a profile,
     LCCONSOLE_CONFIG another config file, LCCONSOLE_DATA_DIR where drafts and the outbox live,
     LCCONSOLE_DEBUG_LOG a debug log file with Authorization redacted)
  3. a profile of the config file {path}
     (created on first run, mode 0600; a file that holds a token and is readable by others is
     refused). Profiles:

{example}

Tokens are never printed or logged. Keys: F1 or ? shows every binding, ctrl+p searches every
action, ctrl+q quits.
"""


PYDANTIC_PLUGINS = "PYDANTIC_DISABLE_PLUGINS"
"""Pydantic's switch for its plugins ("__all__": none are looked for)."""
CONSOLE_VERSIONS = ("3.6", "3.0")
"""API versions the console's screens speak (through `lcconsole.gateway`)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (its --help explains demo mode, env vars, config and profiles)."""
    try:
        path = str(config.default_config_path())
    except Exception:  # platformdirs cannot tell (no HOME): still show help
        path = "<user config dir>/lcconsole/config.toml"
    parser = argparse.ArgumentParser(
        prog="lcconsole",
        description=DESCRIPTION,
        epilog=EPILOG.replace("{path}", path).replace("{example}", config.example("       ")),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--base-url", metavar="URL", help="API base URL (e.g. https://api.livechatinc.com)")
    parser.add_argument(
        "--token",
        metavar="TOKEN",
        help="agent access token (prefer LCCONSOLE_TOKEN, token_command or keyring: "
        "command lines are visible to other users)",
    )
    parser.add_argument(
        "--account-id", metavar="ID", help="account id that goes with --pat (default: $LCCONSOLE_ACCOUNT_ID)"
    )
    parser.add_argument("--pat", metavar="PAT", help="Personal Access Token (prefer lcconsole login or LCCONSOLE_PAT)")
    parser.add_argument(
        "--api-version",
        metavar="VERSION",
        choices=config.API_VERSIONS,
        help="Agent Chat API version: 3.6 (default for a real server) or 3.0",
    )
    parser.add_argument("--profile", metavar="NAME", help="profile of the config file to use")
    parser.add_argument(
        "--demo", action="store_true", help="ignore every token and run against the embedded demo emulator"
    )
    parser.add_argument("--config", metavar="PATH", type=Path, help=f"config file (default {path})")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse, resolve settings, run the console; returns the exit code.

    The garbage collector is paused during start-up: the imports alone leave ~100k tracked
    objects that live as long as the console and fewer than 1k in cycles, so its collections
    (about 115 ms of the ~860 ms of CPU until the chat list shows) find almost nothing. The app
    enables it again once the main screen has painted (`ConsoleApp.startup_done`), at the latest
    when this returns.

    Pydantic plugins are off while the console runs (unless the environment says otherwise): to
    find them pydantic reads the entry points of every installed distribution when it builds its
    first model (~6 ms before the chat list shows), and the console uses none."""
    gc.disable()
    plugins_set_here = PYDANTIC_PLUGINS not in os.environ
    if plugins_set_here:
        os.environ[PYDANTIC_PLUGINS] = "__all__"
    try:
        return _run(argv)
    finally:
        gc.enable()
        if plugins_set_here:
            os.environ.pop(PYDANTIC_PLUGINS, None)


def _run(argv: list[str] | None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.config is None and not os.environ.get(config.ENV_CONFIG):
            config.ensure_config_file(config.default_config_path())
        settings = config.resolve(
            base_url=args.base_url,
            token=args.token,
            profile=args.profile,
            config_path=args.config,
            demo=args.demo,
            account_id=args.account_id,
            pat=args.pat,
            api_version=args.api_version,
        )
    except config.ConfigError as exc:
        print(f"lcconsole: {exc}", file=sys.stderr)
        return 2
    if settings.api_version not in CONSOLE_VERSIONS:
        print(
            f"lcconsole: the console speaks Agent Chat API {', '.join(CONSOLE_VERSIONS)} for now, not "
            f"{settings.api_version}; `lcconsole api` and `lcconsole pushes` speak "
            f"{settings.api_version}. Use --api-version 3.0 against the emulator.",
            file=sys.stderr,
        )
        return 2
    debug_log = os.environ.get(config.ENV_DEBUG_LOG)
    if debug_log:
        config.setup_debug_log(debug_log, settings.credentials)
    from lcconsole.ui.app import ConsoleApp

    app = ConsoleApp(settings)
    result = app.run()
    return result if isinstance(result, int) else (app.return_code or 0)
