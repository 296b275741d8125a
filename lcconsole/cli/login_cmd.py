"""`lcconsole login`: sign in with a Personal Access Token and remember it.

Asks for the account id and the PAT (hidden input), checks them against the server with one cheap
read, then keeps the PAT in the system keyring (or, without a usable keyring, in a private 0600
file next to the config) and writes a profile with the account id into the config file. The PAT
is never printed, logged or written into the config file.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lcconsole import config
from lcconsole.cli.common import ArgError, add_version_argument, api_version_from
from lcconsole.config import ENV_ACCOUNT_ID, ENV_BASE_URL
from lcconsole.secret import Credentials, Secret
from lcconsole.wire.dialects import DEFAULT_BASE_URL

Prompt = Callable[[str], str]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (there is no --pat: the PAT is only ever typed at the hidden prompt)."""
    parser = argparse.ArgumentParser(
        prog="lcconsole login",
        description="Sign in with a Personal Access Token (Developer Console > Settings > "
        "Authorization > Personal Access Tokens): asks for your account id and the PAT "
        "(hidden), checks them against the server, keeps the PAT in the system keyring "
        "(or a private 0600 file) and saves a profile for it in the config file.",
    )
    parser.add_argument(
        "--profile", metavar="NAME", default="default", help="profile to create or replace (default: default)"
    )
    parser.add_argument("--account-id", metavar="ID", help=f"account id (default: ${ENV_ACCOUNT_ID}, else asked)")
    parser.add_argument(
        "--base-url", metavar="URL", help=f"API base URL (default: ${ENV_BASE_URL} or {DEFAULT_BASE_URL})"
    )
    parser.add_argument("--region", metavar="REGION", help="X-Region header, e.g. fra")
    parser.add_argument("--config", metavar="PATH", type=Path, help="config file (default: the usual one)")
    add_version_argument(parser)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    transport: Any = None,
    prompt: Prompt | None = None,
    secret_prompt: Prompt | None = None,
    stdout: Any = None,
    stderr: Any = None,
) -> int:
    """Run `lcconsole login`; returns the exit code (0 stored, 1 refused, 2 bad input)."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    prompt, secret_prompt = prompt or input, secret_prompt or getpass.getpass
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        path = Path(args.config or os.environ.get(config.ENV_CONFIG) or config.default_config_path()).expanduser()
        base_url = (args.base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL).rstrip("/")
        version = api_version_from(args, base_url)
        account_id = (args.account_id or os.environ.get(ENV_ACCOUNT_ID) or prompt("Account ID: ")).strip()
        pat = Secret(secret_prompt("Personal Access Token (input hidden): ").strip())
        if not account_id or not pat:
            raise ArgError("both the account id and the PAT are needed")
        config.load_file(path)  # a broken or world-readable config is refused before anything else
    except (ArgError, config.ConfigError) as exc:
        print(f"lcconsole login: {exc}", file=stderr)
        return 2
    except (EOFError, KeyboardInterrupt):
        print("lcconsole login: cancelled", file=stderr)
        return 2
    credentials = Credentials.basic(account_id, pat)
    problem = asyncio.run(_check(credentials, base_url, version, args.region, transport))
    if problem is not None:
        print(f"lcconsole login: {credentials.scrub(problem)}; nothing was stored", file=stderr)
        return 1
    try:
        where = config.store_pat(args.profile, pat, path.parent / "pats" / f"{args.profile}.pat")
        data = config.load_file(path)
        values: dict[str, object] = {
            "base_url": base_url,
            "api_version": version,
            "account_id": account_id,
            "region": args.region,
            **where,
        }
        config.save_profile(
            path, args.profile, values, make_default=data.get("default_profile") in (None, args.profile)
        )
    except (config.ConfigError, OSError) as exc:
        print(f"lcconsole login: could not store the PAT: {credentials.scrub(str(exc))}", file=stderr)
        return 1
    stored = "the system keyring" if where.get("keyring") else f"{where['pat_file']} (mode 0600)"
    print(
        f"Signed in: account {account_id} on {base_url} (API v{version}). The PAT is kept in {stored}; "
        f"profile {args.profile!r} is saved in {path}. Run: lcconsole --profile {args.profile}",
        file=stdout,
    )
    return 0


async def _check(
    credentials: Credentials, base_url: str, version: str, region: str | None, transport: Any
) -> str | None:
    """None when the server accepts the credentials, else why not (a missing scope is accepted)."""
    from lcconsole.api import AgentClient, AuthorizationError, LiveChatError, RetryPolicy

    client = AgentClient(
        token=credentials,
        base_url=base_url,
        region=region,
        transport=transport,
        retry=RetryPolicy(max_attempts=2),
        version=version,
    )
    try:
        async with client:
            await client.call(client.dialect.check_action, {})
    except AuthorizationError:
        return None  # signed in; the PAT just lacks a chat-reading scope (the console will say so)
    except LiveChatError as exc:
        if exc.type == "authentication":
            return f"the server refused this account id and PAT ({exc.message})"
        return f"could not check the PAT at {base_url}: {exc}"
    return None
