"""What the headless sub-commands share: argument errors and where credentials come from."""

from __future__ import annotations

import argparse
import os

from lcconsole.secret import Credentials

TOKEN_ENV = "LCCONSOLE_TOKEN"
BASE_URL_ENV = "LCCONSOLE_BASE_URL"
API_VERSION_ENV = "LCCONSOLE_API_VERSION"
DEFAULT_BASE_URL = "https://api.livechatinc.com"
ACCOUNT_ENV = "LCCONSOLE_ACCOUNT_ID"
PAT_ENV = "LCCONSOLE_PAT"


class ArgError(Exception):
    """A bad command line, caught before any request (exit code 2)."""


def credentials_from(args: argparse.Namespace) -> Credentials:
    """--account-id/--pat, then --token, then the environment (PAT before token)."""
    account = args.account_id or os.environ.get(ACCOUNT_ENV) or ""
    pat = args.pat or ("" if args.token else os.environ.get(PAT_ENV, ""))
    if pat:
        if not account:
            raise ArgError(f"a Personal Access Token needs its account id: --account-id or ${ACCOUNT_ENV}")
        return Credentials.basic(account, pat)
    token = args.token or os.environ.get(TOKEN_ENV, "")
    if not token:
        raise ArgError(f"no credentials: pass --account-id and --pat (or --token), or set "
                        f"{ACCOUNT_ENV} and {PAT_ENV} (or {TOKEN_ENV})")
    return Credentials.bearer(token)


def add_version_argument(parser: argparse.ArgumentParser) -> None:
    """`--api-version 3.6|3.0`."""
    parser.add_argument("--api-version", metavar="VERSION", choices=("3.6", "3.0"),
                        help=f"Agent Chat API version (default: ${API_VERSION_ENV}, else 3.6 for a "
                             "real server and 3.0 for the emulator on localhost)")


def api_version_from(args: argparse.Namespace, base_url: str | None) -> str:
    """--api-version, then $LCCONSOLE_API_VERSION, then 3.6 (3.0 for a localhost base URL)."""
    from lcconsole.config import ConfigError, default_api_version, parse_api_version

    try:
        chosen = parse_api_version(args.api_version or os.environ.get(API_VERSION_ENV))
    except ConfigError as exc:
        raise ArgError(str(exc)) from None
    return chosen or default_api_version(base_url or DEFAULT_BASE_URL)
