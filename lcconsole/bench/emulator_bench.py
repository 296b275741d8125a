"""Emulator scenarios: send_event throughput at 50 concurrent clients, get_chats_summary at 10k.

The load client is raw asyncio HTTP/1.1 with keep-alive (one connection per client), so the
client side costs little next to the server being measured. Baselines, measured alternately in
the same process: a bare Starlette JSON endpoint served by the emulator's own uvicorn settings,
and a bare SQLite read of the same 100 chats' rows.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lcconsole.bench.procs import Http, customer_chat, start_emulator
from lcconsole.bench.worker import Context, NotReady, require

CLIENTS = 50


def _request(host: str, port: int, path: str, body: dict, token: str) -> bytes:
    data = json.dumps(body).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\n\r\n"
    )
    return head.encode() + data


async def _one_client(host: str, port: int, request: bytes, n: int, errors: list) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for _ in range(n):
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = None
            for line in head.split(b"\r\n")[1:]:
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if length is None:
                raise RuntimeError("response without Content-Length")
            body = await reader.readexactly(length)
            if status != 200:
                errors.append((status, body[:200]))
                if len(errors) > 20:
                    raise RuntimeError(f"too many errors, e.g. {errors[0]}")
    finally:
        writer.close()


async def _load(host: str, port: int, request: bytes, per_client: int, limit: float) -> float:
    errors: list = []
    # warm-up: every connection once, so connection set-up is not in the measured window
    await asyncio.wait_for(_one_client(host, port, request, 20, errors), limit)
    t0 = time.perf_counter()
    await asyncio.wait_for(
        asyncio.gather(*(_one_client(host, port, request, per_client, errors) for _ in range(CLIENTS))), limit
    )
    elapsed = time.perf_counter() - t0
    if errors:
        raise RuntimeError(f"{len(errors)} non-200 answers, e.g. {errors[0]}")
    return CLIENTS * per_client / elapsed


def serve_bare(ready_file: str) -> None:
    """A bare Starlette + uvicorn JSON endpoint (parse the body, answer a small JSON object)
    with the emulator's server settings (`make_server`, `bind_socket`); port -> ready_file."""
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from lcconsole.emulator.runner import bind_socket, make_server

    async def action(request):
        body = await request.json()
        return JSONResponse(
            {"thread_id": "K600PKZON8", "event": {"id": "K600PKZON8_1", "order": 1, **body.get("event", {})}}
        )

    app = Starlette(routes=[Route("/v3.0/agent/action/{name}", action, methods=["POST"])])
    sock = bind_socket()
    Path(ready_file).write_text(str(sock.getsockname()[1]))
    asyncio.run(make_server(app).serve(sockets=[sock]))


def _start_bare(ctx: Context) -> int:
    ready = ctx.workdir / f"bare-{os.getpid()}-{time.monotonic_ns()}.port"
    code = f"from lcconsole.bench.emulator_bench import serve_bare; serve_bare({str(ready)!r})"
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.DEVNULL)
    ctx.stack.callback(lambda: (proc.terminate(), proc.wait(10)))
    ctx.stack.callback(lambda: ready.unlink(missing_ok=True))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the bare endpoint exited")
        text = ready.read_text().strip() if ready.exists() else ""
        if text:
            return int(text)
        time.sleep(0.02)
    raise RuntimeError("the bare endpoint did not start")


def send_event_rps(ctx: Context) -> dict:
    """emulator_send_event_rps: 50 keep-alive clients each send_event N times to one chat, in
    rounds alternating with the same load on the bare endpoint (bare_endpoint_rps)."""
    emu = start_emulator(ctx, ctx.workdir / f"rps-{time.monotonic_ns()}.db")
    bare_port = _start_bare(ctx)
    http = Http(emu.base_url)
    ctx.stack.callback(http.close)
    chat_id, _ = customer_chat(http, "Rps Customer", "hello")
    body = {"chat_id": chat_id, "event": {"type": "message", "text": "benchmark message", "recipients": "all"}}
    http.post("/v3.0/agent/action/send_event", body, emu.token)  # proves the request works
    path = "/v3.0/agent/action/send_event"
    targets = {
        "emulator_send_event_rps": (emu.port, _request("127.0.0.1", emu.port, path, body, emu.token)),
        "bare_endpoint_rps": (bare_port, _request("127.0.0.1", bare_port, path, body, emu.token)),
    }
    per_client = ctx.pick(50, 20)
    rounds: dict[str, list[float]] = {name: [] for name in targets}
    for name in [*ctx.interleave(*targets), *reversed(ctx.interleave(*targets))]:
        port, req = targets[name]
        rounds[name].append(asyncio.run(_load("127.0.0.1", port, req, per_client, 90.0)))
    return {name: statistics.mean(values) for name, values in rounds.items()}


def _summary_db(ctx: Context) -> Path:
    return ctx.workdir / "summary-10k.db"


def setup_summary_10k(ctx: Context) -> dict:
    """Build (once per bench run) a database holding 10,000 chats through the engine itself."""
    engine_mod = require("lcconsole.emulator.engine")
    db = _summary_db(ctx)
    if db.exists():
        return {}
    n = 10_000
    tmp = db.with_suffix(".building")
    for p in tmp.parent.glob(tmp.name + "*"):
        p.unlink()
    engine = engine_mod.Engine(tmp)
    try:
        engine.seed("empty")
        _fast_sqlite(engine)
        for i in range(n):
            cust = engine.create_customer_token(name=f"Summary Customer {i:05d}").payload
            who = engine.authenticate(cust["access_token"], "customer")
            engine.execute(
                who,
                "start_chat",
                {"chat": {"thread": {"events": [{"type": "message", "text": f"question {i}", "recipients": "all"}]}}},
            )
    finally:
        engine.close()
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(tmp) + suffix)
        if src.exists():
            shutil.move(src, str(db) + suffix)
    return {}


def _fast_sqlite(engine) -> None:
    """Relax fsync while building set-up data (the data is thrown away after the bench)."""
    for attr in ("conn", "_conn", "db", "_db"):
        conn = getattr(engine, attr, None)
        if hasattr(conn, "execute"):
            try:
                conn.execute("PRAGMA synchronous=OFF")
            except Exception:  # noqa: BLE001 - only an optimisation
                pass
            return


def _bare_summary_page(conn: sqlite3.Connection) -> int:
    """The rows get_chats_summary(limit=100) is built from, read by plain queries: the page of
    chats by last activity, their users, last events, last threads and access groups."""
    chats = conn.execute("SELECT * FROM chats ORDER BY last_order DESC, id DESC LIMIT 100").fetchall()
    ids = [r[0] for r in chats]
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        "SELECT * FROM chat_users cu LEFT JOIN customers c ON c.id=cu.user_id"
        f" LEFT JOIN agents a ON a.id=cu.user_id WHERE cu.chat_id IN ({marks})",
        ids,
    ).fetchall()
    rows += conn.execute(
        "SELECT e.*, t.ord FROM chat_last_event l JOIN events e ON e.id=l.event_id"
        f" JOIN threads t ON t.id=e.thread_id WHERE l.chat_id IN ({marks})",
        ids,
    ).fetchall()
    rows += conn.execute(
        f"SELECT t.* FROM threads t JOIN chats c ON t.id=c.last_thread_id WHERE c.id IN ({marks})", ids
    ).fetchall()
    rows += conn.execute(f"SELECT chat_id, group_id FROM chat_access WHERE chat_id IN ({marks})", ids).fetchall()
    return len(chats)


def summary_10k(ctx: Context) -> dict:
    """emulator_summary_10k_ms: p50 of get_chats_summary(limit=100) over HTTP with 10k chats,
    call by call alternating with the bare SQLite read of the same rows (sqlite_summary_10k_ms)."""
    db = _summary_db(ctx)
    if not db.exists():
        raise NotReady("the 10k-chat database was not built (setup failed)")
    emu = start_emulator(ctx, db)
    http = Http(emu.base_url)
    ctx.stack.callback(http.close)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    ctx.stack.callback(conn.close)
    first = http.post("/v3.0/agent/action/get_chats_summary", {"limit": 100}, emu.token)
    got = len(first.get("chats_summary", []))
    if got != 100 or _bare_summary_page(conn) != 100:
        raise RuntimeError(f"get_chats_summary returned {got} chats, expected 100")
    for _ in range(5):
        http.post("/v3.0/agent/action/get_chats_summary", {"limit": 100}, emu.token)
        _bare_summary_page(conn)
    samples, bare = [], []
    deadline = time.perf_counter() + 30.0
    for _ in range(ctx.pick(200, 40)):
        t0 = time.perf_counter()
        http.post_raw("/v3.0/agent/action/get_chats_summary", {"limit": 100}, emu.token)
        t1 = time.perf_counter()
        _bare_summary_page(conn)
        t2 = time.perf_counter()
        samples.append((t1 - t0) * 1000)
        bare.append((t2 - t1) * 1000)
        if time.perf_counter() > deadline:
            break
    return {"emulator_summary_10k_ms": statistics.median(samples), "sqlite_summary_10k_ms": statistics.median(bare)}
