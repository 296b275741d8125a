"""What the headless sub-commands share: argument errors and where credentials come from."""

from __future__ import annotations

import argparse
import os

from lcconsole.secret import Credentials

TOKEN_ENV = "LCCONSOLE_TOKEN"
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
