"""`lcconsole api`: call any Agent Chat Web API v3.0 action from the shell.

    lcconsole api ACTION [--json JSON | --json -] [--file PATH] [--base-url URL]
                  [--account-id ID --pat PAT | --token TOKEN]
    lcconsole api --list

Prints the response JSON on stdout (`{}` for actions without a payload). Exit codes: 0 success,
1 the API (or the network) refused, 2 bad arguments — caught before any request is made.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from typing import Any, Sequence

import httpx

from lcconsole.cli.common import ACCOUNT_ENV, PAT_ENV, TOKEN_ENV, ArgError, credentials_from
from lcconsole.secret import Credentials
from lcconsole.wire.actions import ACTIONS

BASE_URL_ENV = "LCCONSOLE_BASE_URL"
UPLOAD_ACTIONS = {"send_file": "file", "upload_image": "image"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise ArgError(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (its help never shows environment values)."""
    parser = _Parser(
        prog="lcconsole api",
        description="Call one Agent Chat Web API v3.0 action and print the JSON response.",
        epilog=f"Credentials: a Personal Access Token from --account-id/--pat or ${ACCOUNT_ENV}/${PAT_ENV} "
               f"(sent as HTTP Basic), or an OAuth token from --token or ${TOKEN_ENV}; the base URL from --base-url or "
               f"${BASE_URL_ENV} (default https://api.livechatinc.com). Exit codes: 0 ok, "
               "1 API or network error, 2 bad arguments.",
    )
    parser.add_argument("action", nargs="?", help="action name, e.g. get_chats_summary (see --list)")
    parser.add_argument("--json", dest="json_arg", metavar="JSON",
                        help="request payload as a JSON object, or - to read it from stdin")
    parser.add_argument("--file", metavar="PATH",
                        help="file to upload (send_file: the file; upload_image: the image)")
    parser.add_argument("--base-url", metavar="URL", help=f"API base URL (default: ${BASE_URL_ENV})")
    parser.add_argument("--account-id", metavar="ID", help=f"account id for --pat (default: ${ACCOUNT_ENV})")
    parser.add_argument("--pat", metavar="PAT", help=f"Personal Access Token (default: ${PAT_ENV})")
    parser.add_argument("--token", metavar="TOKEN", help=f"OAuth bearer token (default: ${TOKEN_ENV})")
    parser.add_argument("--region", metavar="REGION", help="X-Region header, e.g. fra")
    parser.add_argument("--timeout", metavar="SECONDS", type=float, default=20.0,
                        help="request timeout in seconds (default: 20)")
    parser.add_argument("--attempts", metavar="N", type=int, default=3,
                        help="attempts for retry-safe actions on 429/5xx/connection errors (default: 3)")
    parser.add_argument("--list", action="store_true", help="list the actions and their scopes")
    return parser


def list_actions() -> str:
    """One line per action: name and the scopes that allow it (any one suffices)."""
    width = max(len(name) for name in ACTIONS)
    return "\n".join(
        f"{name.ljust(width)}  {' '.join(spec.scopes) or '-'}" for name, spec in sorted(ACTIONS.items())
    )


def _secrets(argv: Sequence[str]) -> list[str]:
    found = [os.environ.get(TOKEN_ENV, ""), os.environ.get(PAT_ENV, "")]
    for i, arg in enumerate(argv):
        for flag in ("--token", "--pat"):
            if arg == flag and i + 1 < len(argv):
                found.append(argv[i + 1])
            elif arg.startswith(flag + "="):
                found.append(arg.split("=", 1)[1])
    return [s for s in found if s]


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


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


async def _run(args: argparse.Namespace, payload: dict[str, Any], token: Credentials, base_url: str | None,
               transport: httpx.AsyncBaseTransport | None) -> dict[str, Any]:
    from lcconsole.api import AgentClient, RetryPolicy

    files = {UPLOAD_ACTIONS[args.action]: args.file} if args.action in UPLOAD_ACTIONS else None
    async with AgentClient(token=token, base_url=base_url, region=args.region, timeout=args.timeout,
                           transport=transport, retry=RetryPolicy(max_attempts=args.attempts)) as client:
        return await client.call(args.action, payload, files=files)


def main(argv: Sequence[str] | None = None, *, transport: httpx.AsyncBaseTransport | None = None,
         stdin: Any = None, stdout: Any = None, stderr: Any = None) -> int:
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
        if args.list:
            print(list_actions(), file=stdout)
            return 0
        if not args.action:
            raise ArgError("an ACTION is required (see --list)")
        if args.action not in ACTIONS:
            raise ArgError(f"unknown action {args.action!r} (see lcconsole api --list)")
        if args.attempts < 1:
            raise ArgError("--attempts must be at least 1")
        if args.action in UPLOAD_ACTIONS and not args.file:
            raise ArgError(f"{args.action} needs --file PATH")
        if args.file and args.action not in UPLOAD_ACTIONS:
            raise ArgError("--file is only for send_file and upload_image")
        payload = _read_payload(args.json_arg, stdin)
        token = credentials_from(args)
        base_url = args.base_url or os.environ.get(BASE_URL_ENV) or None
    except ArgError as exc:
        parser.print_usage(stderr)
        print(f"lcconsole api: error: {_scrub(str(exc), secrets)}", file=stderr)
        return 2

    from lcconsole.api.errors import FileTooLargeError, LiveChatError, RequestValidationError

    try:
        result = asyncio.run(_run(args, payload, token, base_url, transport))
    except (RequestValidationError, FileTooLargeError) as exc:  # refused before any request
        print(f"error: {exc.type}: {_scrub(exc.message, secrets + list(token.secrets()))}", file=stderr)
        return 2
    except LiveChatError as exc:
        print(f"error: {exc.type}: {_scrub(exc.message, secrets + list(token.secrets()))}", file=stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    print(json.dumps(result, ensure_ascii=False, indent=2), file=stdout)
    return 0
