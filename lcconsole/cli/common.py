"""What the headless sub-commands share: argument errors and where credentials come from."""

from __future__ import annotations

import argparse
import os

from lcconsole.config import (
    ENV_ACCOUNT_ID,
    ENV_API_VERSION,
    ENV_PAT,
    ENV_TOKEN,
    ConfigError,
    default_api_version,
    parse_api_version,
)
from lcconsole.secret import Credentials
from lcconsole.wire.dialects import DEFAULT_BASE_URL


class ArgError(Exception):
    """A bad command line, caught before any request (exit code 2)."""


def credentials_from(args: argparse.Namespace) -> Credentials:
    """--account-id/--pat, then --token, then the environment (PAT before token)."""
    account = args.account_id or os.environ.get(ENV_ACCOUNT_ID) or ""
    pat = args.pat or ("" if args.token else os.environ.get(ENV_PAT, ""))
    if pat:
        if not account:
            raise ArgError(f"a Personal Access Token needs its account id: --account-id or ${ENV_ACCOUNT_ID}")
        return Credentials.basic(account, pat)
    token = args.token or os.environ.get(ENV_TOKEN, "")
    if not token:
        raise ArgError(
            f"no credentials: pass --account-id and --pat (or --token), or set "
            f"{ENV_ACCOUNT_ID} and {ENV_PAT} (or {ENV_TOKEN})"
        )
    return Credentials.bearer(token)


def add_version_argument(parser: argparse.ArgumentParser) -> None:
    """`--api-version 3.6|3.0`."""
    parser.add_argument(
        "--api-version",
        metavar="VERSION",
        choices=("3.6", "3.0"),
        help=f"Agent Chat API version (default: ${ENV_API_VERSION}, else 3.6 for a "
        "real server and 3.0 for the emulator on localhost)",
    )


def api_version_from(args: argparse.Namespace, base_url: str | None) -> str:
    """--api-version, then $LCCONSOLE_API_VERSION, then 3.6 (3.0 for a localhost base URL)."""
    try:
        chosen = parse_api_version(args.api_version or os.environ.get(ENV_API_VERSION))
    except ConfigError as exc:
        raise ArgError(str(exc)) from None
    return chosen or default_api_version(base_url or DEFAULT_BASE_URL)
