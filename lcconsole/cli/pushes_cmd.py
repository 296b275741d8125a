"""`lcconsole pushes`: log in over RTM and print every push as one JSON line until interrupted.

stdout gets only `{"action": ..., "payload": ...}` lines (flushed one by one); connection state
changes go to stderr. A failed login prints `error: <type>: <message>` and exits 1; Ctrl-C exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from contextlib import suppress

from lcconsole.cli.common import ArgError, add_version_argument, api_version_from, credentials_from
from lcconsole.config import ENV_ACCOUNT_ID, ENV_BASE_URL, ENV_PAT, ENV_TOKEN
from lcconsole.safetext import safe_json, sanitize
from lcconsole.wire.dialects import DEFAULT_BASE_URL


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (the token never has a default that --help could show)."""
    parser = argparse.ArgumentParser(
        prog="lcconsole pushes",
        description="Log in over the Agent RTM API (v3.6 or v3.0) and print every push as one JSON line "
        '({"action": ..., "payload": ...}) until interrupted.',
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help=f"API base URL, http(s) or a full ws(s) RTM URL (default: ${ENV_BASE_URL} or {DEFAULT_BASE_URL})",
    )
    parser.add_argument("--account-id", metavar="ID", help=f"account id for --pat (default: ${ENV_ACCOUNT_ID})")
    parser.add_argument(
        "--pat",
        metavar="PAT",
        help=f"Personal Access Token, logged in as Basic (default: ${ENV_PAT};"
        " prefer it: command lines are visible to other users in ps)",
    )
    parser.add_argument(
        "--token",
        metavar="TOKEN",
        help=f"OAuth access token, logged in as Bearer (default: ${ENV_TOKEN};"
        " prefer it: command lines are visible to other users in ps)",
    )
    parser.add_argument("--region", metavar="REGION", help="data-center region sent as X-Region (e.g. fra)")
    add_version_argument(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run `lcconsole pushes`; returns the exit code."""
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    base_url = args.base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    try:
        token = credentials_from(args)
        version = api_version_from(args, base_url)
    except ArgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_run(base_url, token, args.region, version))
    except KeyboardInterrupt:
        return 0
    except ValueError as exc:  # a malformed base URL
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _print_state(state) -> None:
    text = state.status
    if state.status == "reconnecting":
        text += f" (attempt {state.attempt}"
        text += f", retry in {state.retry_in:.1f} s)" if state.retry_in is not None else ")"
    if state.reason:
        text += f": {sanitize(str(state.reason))}"
    print(f"lcconsole pushes: {text}", file=sys.stderr, flush=True)


async def _run(base_url: str, token, region: str | None, version: str = "3.0") -> int:
    from lcconsole.errors import LiveChatError
    from lcconsole.rtm import RtmConnection

    conn = RtmConnection(base_url, token, region=region, version=version)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
    conn.add_state_listener(_print_state)
    try:
        try:
            login = await conn.start()
        except LiveChatError as exc:
            print(f"error: {sanitize(str(exc))}", file=sys.stderr, flush=True)
            return 1
        me = login.my_profile.id if login.my_profile else None
        if me:
            print(f"lcconsole pushes: logged in as {sanitize(me)}", file=sys.stderr, flush=True)
        printer = asyncio.create_task(_print_pushes(conn))
        stopper = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({printer, stopper}, return_when=asyncio.FIRST_COMPLETED)
        for task in (printer, stopper):
            task.cancel()
            with suppress(BaseException):
                await task
        if stopper in done:
            return 0
        if printer in done and not printer.cancelled() and printer.exception() is None:
            if printer.result() == "broken_pipe":
                return 0
        state = conn.state
        print(f"error: disconnected: {sanitize(str(state.reason))}", file=sys.stderr, flush=True)
        return 1
    finally:
        with suppress(Exception):
            await conn.close()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)


async def _print_pushes(conn) -> str:
    out = sys.stdout
    async for push in conn.pushes():
        line = safe_json({"action": push.action, "payload": push.raw})
        try:
            out.write(line + "\n")
            out.flush()
        except BrokenPipeError:
            with suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # noqa: ASYNC230 - devnull, to silence the exit flush
            return "broken_pipe"
    return "ended"
