"""`lcconsole emulator`: serve the emulator on loopback until SIGINT/SIGTERM.

Prints the base URL once it accepts connections and, with `--ready-file`, writes the ready file
(JSON: base_url, rtm_url, customer_token_url, tls, agents with their bearer token, account id and
personal access token; mode 0600). Tokens are printed nowhere else. `--tls-cert/--tls-key` serve
https:// and wss:// instead of http:// and ws://.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import logging
import os
import signal
import ssl
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from lcconsole.emulator.idle import IDLE_TIMEOUT
from lcconsole.emulator.sim_dialects import DIALECTS
from lcconsole.wire.actions import ALL_SCOPES

if TYPE_CHECKING:
    from lcconsole.emulator.runner import TlsFiles

log = logging.getLogger("lcconsole.emulator")

DEFAULT_RATE_LIMIT = 50.0
"""Requests a second per caller unless `--rate-limit`/`--no-rate-limit` say otherwise: far more
than a console or a script needs, little enough that one caller cannot flood the server."""


def default_db(seed: str) -> Path:
    """`emulator-<seed>.sqlite3` in the user data dir (platformdirs).

    One file per seed, so `--seed empty` never opens a database an earlier demo run filled.
    """
    from platformdirs import user_data_dir

    return Path(user_data_dir("lcconsole", appauthor=False)) / f"emulator-{seed}.sqlite3"


def _agent(value: str) -> tuple[str, tuple[str, ...]]:
    email, sep, scopes = value.partition("=")
    if not sep or "@" not in email:
        raise argparse.ArgumentTypeError("expected EMAIL=SCOPE,SCOPE,...")
    granted = tuple(s.strip() for s in scopes.split(",") if s.strip())
    unknown = [s for s in granted if s not in ALL_SCOPES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown scope(s): {', '.join(unknown)}")
    return email.strip(), granted


def _positive(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `lcconsole emulator`."""
    p = argparse.ArgumentParser(
        prog="lcconsole emulator",
        description="A local LiveChat Agent Chat API server, v3.0 and v3.6 (Web API, RTM, customer side).",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port (default 0: a free one)")
    p.add_argument(
        "--db",
        help="SQLite file (default: emulator-<seed>.sqlite3 in the user data dir; :memory: for an ephemeral one)",
    )
    p.add_argument(
        "--seed",
        choices=("demo", "empty"),
        default="demo",
        help="demo: agents, customers and chats to explore (default); "
        "empty: only the administrator agent1@example.com and group 0",
    )
    p.add_argument(
        "--simulate",
        dest="simulate",
        action="store_true",
        default=None,
        help="simulated customers visit and chat; with --seed demo the other demo "
        "agents are played too (default with --seed demo)",
    )
    p.add_argument(
        "--no-simulate", dest="simulate", action="store_false", help="no simulated traffic (default with --seed empty)"
    )
    p.add_argument("--sim-seed", type=int, help="random seed of the simulator (deterministic runs)")
    p.add_argument(
        "--sim-dialect",
        choices=DIALECTS,
        default="mixed",
        help="API version the simulated customers and agents speak: 3.0, 3.6 or "
        "mixed (every other one in v3.6; default)",
    )
    p.add_argument("--sim-rate", type=_positive, default=1.0, help="simulated customer actions per second (default 1)")
    p.add_argument(
        "--rate-limit",
        type=_positive,
        default=DEFAULT_RATE_LIMIT,
        help="requests per second allowed per caller, Web API and RTM together, and "
        "customer tokens per client address (429 beyond; default: "
        f"{DEFAULT_RATE_LIMIT:g})",
    )
    p.add_argument(
        "--no-rate-limit",
        dest="rate_limit",
        action="store_const",
        const=None,
        help="no rate limit (benchmarks, load tests)",
    )
    p.add_argument(
        "--idle-timeout",
        type=_positive,
        default=IDLE_TIMEOUT,
        help="seconds a connection may send nothing (HTTP) or no frame, pings "
        f"included (RTM), before it is closed (default: {IDLE_TIMEOUT:g})",
    )
    p.add_argument(
        "--agent",
        type=_agent,
        action="append",
        default=[],
        metavar="EMAIL=SCOPE,...",
        help="add an agent with exactly these scopes (repeatable)",
    )
    p.add_argument(
        "--ready-file", type=Path, help="write base_url, rtm_url, customer_token_url and agent tokens here (0600)"
    )
    p.add_argument(
        "--tls-cert",
        type=Path,
        metavar="PATH",
        help="PEM certificate (chain): serve https:// and wss:// (needs --tls-key)",
    )
    p.add_argument("--tls-key", type=Path, metavar="PATH", help="PEM private key of --tls-cert")
    p.add_argument("--login-timeout", type=_positive, default=30.0, help=argparse.SUPPRESS)
    return p


def write_ready_file(path: Path, text: str) -> None:
    """Write `text` atomically to `path`, readable by the owner only (a fresh, exclusive
    temporary file: nothing planted at a guessable name is followed or reused)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(text.encode())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


async def serve(args: argparse.Namespace) -> int:
    """Run the server described by parsed `args` until a signal; the exit code."""
    from lcconsole.emulator.engine import Engine
    from lcconsole.emulator.runner import EmulatorInfo, base_url_of, bind_socket, make_server
    from lcconsole.emulator.server import create_app
    from lcconsole.emulator.simulator import Simulator

    db = args.db or str(default_db(args.seed))
    if db != ":memory:":
        Path(db).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not args.db:  # our own data dir: private even when an older version made it 0755
            os.chmod(Path(db).parent, 0o700)
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        print(f"lcconsole emulator: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    if not _is_loopback(args.host):
        print(f"lcconsole emulator: warning: listening on non-loopback {args.host}", file=sys.stderr)
    engine = Engine(db)
    simulator = app = None
    try:
        engine.seed(args.seed, args.agent)
        engine.base_url = base_url_of(sock, tls=args.tls is not None)
        app = create_app(
            engine, rate_limit=args.rate_limit, login_timeout=args.login_timeout, idle_timeout=args.idle_timeout
        )
        server = make_server(app, tls=args.tls, idle_timeout=args.idle_timeout)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, setattr, server, "should_exit", True)
        simulate = args.simulate if args.simulate is not None else args.seed == "demo"
        if simulate:
            simulator = Simulator(app.state.hub, seed=args.sim_seed, rate=args.sim_rate, dialect=args.sim_dialect)
            await simulator.start()
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not serving.done():  # noqa: ASYNC110 - uvicorn's `started` is a plain flag
            await asyncio.sleep(0.01)
        if server.started:
            print(f"lcconsole emulator listening on {engine.base_url}", flush=True)
            print(
                f"  database {db} · seed {args.seed} · simulator {'on' if simulate else 'off'}"
                f"{' · agent tokens in ' + str(args.ready_file) if args.ready_file else ''}",
                flush=True,
            )
            if args.ready_file:
                write_ready_file(
                    args.ready_file, EmulatorInfo(engine.base_url, engine.agent_credentials()).ready_json()
                )
        await serving
        return 0 if server.started else 1
    finally:
        if simulator is not None:
            await simulator.stop()
        if app is not None:
            app.state.hub.close()
        engine.close()
        sock.close()


def _tls_files(parser: argparse.ArgumentParser, args: argparse.Namespace) -> TlsFiles | None:
    """The TLS pair of the arguments (None without TLS); exits 2 when it cannot be used."""
    from lcconsole.emulator.runner import TlsFiles

    if args.tls_cert is None and args.tls_key is None:
        return None
    if args.tls_cert is None or args.tls_key is None:
        parser.error("--tls-cert and --tls-key go together")
    tls = TlsFiles(str(args.tls_cert), str(args.tls_key))
    try:
        tls.check()
    except (OSError, ssl.SSLError) as exc:
        parser.error(f"cannot use --tls-cert/--tls-key: {exc}")
    return tls


def main(argv: list[str]) -> int:
    """Entry point of `lcconsole emulator`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.tls = _tls_files(parser, args)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return asyncio.run(serve(args))
    except KeyboardInterrupt:
        return 0
