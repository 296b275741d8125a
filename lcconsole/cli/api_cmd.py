"""`lcconsole api`: call any Agent Chat Web API action (v3.6 or v3.0) from the shell.

    lcconsole api ACTION [--json JSON | --json -] [--file PATH] [--base-url URL]
                  [--account-id ID --pat PAT | --token TOKEN] [--api-version 3.6|3.0]
    lcconsole api --list [--api-version 3.6|3.0]

Prints the response JSON on stdout as the server sent it, byte for byte (`{}` for actions
without a payload), except that characters that could drive a terminal are written as `\\u`
escapes (the same JSON value). A response that does not fit the action's model is an error, as it is for
the typed client methods. Exit codes: 0 success, 1 the API (or the network) refused or answered
something unexpected, 2 bad arguments — caught before any request is made.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import httpx

from lcconsole.cli.common import (
    ArgError,
    add_version_argument,
    api_version_from,
    credentials_from,
)
from lcconsole.config import ENV_ACCOUNT_ID, ENV_BASE_URL, ENV_PAT, ENV_TOKEN
from lcconsole.safetext import safe_json_text, sanitize
from lcconsole.secret import Credentials
from lcconsole.wire.dialects import DEFAULT_BASE_URL, Dialect, dialect


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ArgError(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (its help never shows environment values)."""
    parser = _Parser(
        prog="lcconsole api",
        description="Call one Agent Chat Web API action (v3.6 or v3.0) and print the JSON response.",
        epilog=f"Credentials: a Personal Access Token from --account-id/--pat or ${ENV_ACCOUNT_ID}/${ENV_PAT} "
        f"(sent as HTTP Basic), or an OAuth token from --token or ${ENV_TOKEN}; the base URL from --base-url or "
        f"${ENV_BASE_URL} (default {DEFAULT_BASE_URL}). Exit codes: 0 ok, "
        "1 API or network error, 2 bad arguments.",
    )
    parser.add_argument("action", nargs="?", help="action name, e.g. list_chats (see --list)")
    parser.add_argument(
        "--json", dest="json_arg", metavar="JSON", help="request payload as a JSON object, or - to read it from stdin"
    )
    parser.add_argument(
        "--file", metavar="PATH", help="file to upload (upload_file in v3.6; send_file, upload_image in v3.0)"
    )
    parser.add_argument("--base-url", metavar="URL", help=f"API base URL (default: ${ENV_BASE_URL})")
    parser.add_argument("--account-id", metavar="ID", help=f"account id for --pat (default: ${ENV_ACCOUNT_ID})")
    parser.add_argument(
        "--pat",
        metavar="PAT",
        help=f"Personal Access Token (default: ${ENV_PAT}; prefer it: command lines are visible to other users in ps)",
    )
    parser.add_argument(
        "--token",
        metavar="TOKEN",
        help=f"OAuth bearer token (default: ${ENV_TOKEN}; prefer it: command lines are visible to other users in ps)",
    )
    parser.add_argument("--region", metavar="REGION", help="X-Region header, e.g. fra")
    parser.add_argument(
        "--timeout", metavar="SECONDS", type=float, default=20.0, help="request timeout in seconds (default: 20)"
    )
    parser.add_argument(
        "--attempts",
        metavar="N",
        type=int,
        default=3,
        help="attempts for retry-safe actions on 429/5xx/connection errors (default: 3)",
    )
    add_version_argument(parser)
    parser.add_argument("--list", action="store_true", help="list the version's actions and their scopes")
    return parser


def list_actions(version: str | Dialect = "3.0") -> str:
    """One line per Web action of `version`: name and the scopes that allow it (any one suffices)."""
    actions = dialect(version).actions
    width = max(len(name) for name in actions)
    return "\n".join(f"{name.ljust(width)}  {' '.join(spec.scopes) or '-'}" for name, spec in sorted(actions.items()))


def _secrets(argv: Sequence[str]) -> list[str]:
    found = [os.environ.get(ENV_TOKEN, ""), os.environ.get(ENV_PAT, "")]
    for i, arg in enumerate(argv):
        for flag in ("--token", "--pat"):
            if arg == flag and i + 1 < len(argv):
                found.append(argv[i + 1])
            elif arg.startswith(flag + "="):
                found.append(arg.split("=", 1)[1])
    return [s for s in found if s]


def _scrub(text: str, secrets: list[str]) -> str:
    """Server or argument text for stderr: secrets masked, escapes and controls made visible."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return sanitize(text)


def _read_payload(json_arg: str | None, stdin: Any) -> dict[str, Any]:
    if json_arg is None:
        return {}
    text = stdin.read() if json_arg == "-" else json_arg
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArgError(f"invalid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ArgError("the --json payload must be a JSON object")
    return value


async def _run(
    args: argparse.Namespace,
    payload: dict[str, Any],
    token: Credentials,
    base_url: str | None,
    version: Dialect,
    transport: httpx.AsyncBaseTransport | None,
) -> Any:
    from lcconsole.api import AgentClient, RetryPolicy

    parts = version.upload_parts
    files = {parts[args.action]: args.file} if args.action in parts else None
    async with AgentClient(
        token=token,
        base_url=base_url,
        region=args.region,
        timeout=args.timeout,
        transport=transport,
        retry=RetryPolicy(max_attempts=args.attempts),
        version=version.version,
    ) as client:
        client.keep_last_body = True
        result = await client.call(args.action, payload, files=files)
        client.parse_response(args.action, result)  # raises ResponseValidationError
        return client.last_body or b""


def main(
    argv: Sequence[str] | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    stdin: Any = None,
    stdout: Any = None,
    stderr: Any = None,
) -> int:
    """Run `lcconsole api ...`; returns the exit code. `transport` lets tests inject a mock."""
    argv = list(sys.argv[1:] if argv is None else argv)
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    secrets = _secrets(argv)
    parser = build_parser()
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help
            return int(exc.code or 0)
        base_url = args.base_url or os.environ.get(ENV_BASE_URL) or None
        version = dialect(api_version_from(args, base_url))
        if args.list:
            print(list_actions(version), file=stdout)
            return 0
        if not args.action:
            raise ArgError("an ACTION is required (see --list)")
        if args.action not in version.actions:
            raise ArgError(
                f"unknown action {args.action!r} in API v{version.version} "
                f"(see lcconsole api --list --api-version {version.version})"
            )
        if args.attempts < 1:
            raise ArgError("--attempts must be at least 1")
        parts = version.upload_parts
        if args.action in parts and not args.file:
            raise ArgError(f"{args.action} needs --file PATH")
        if args.file and args.action not in parts:
            raise ArgError(f"--file is only for {' and '.join(sorted(parts))}")
        payload = _read_payload(args.json_arg, stdin)
        token = credentials_from(args)
    except ArgError as exc:
        parser.print_usage(stderr)
        print(f"lcconsole api: error: {_scrub(str(exc), secrets)}", file=stderr)
        return 2

    from lcconsole.errors import FileTooLargeError, LiveChatError, RequestValidationError

    try:
        result = asyncio.run(_run(args, payload, token, base_url, version, transport))
    except (RequestValidationError, FileTooLargeError) as exc:  # refused before any request
        print(f"error: {exc.type}: {_scrub(exc.message, secrets + list(token.secrets()))}", file=stderr)
        return 2
    except LiveChatError as exc:
        print(f"error: {exc.type}: {_scrub(exc.message, secrets + list(token.secrets()))}", file=stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    text = result.decode("utf-8", errors="replace") if result.strip() else "{}"
    text = safe_json_text(text)
    stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
