"""client_call_us: AgentClient.send_event vs a bare httpx.AsyncClient post of the same body.

Both talk to the same tiny loopback server (uvicorn + Starlette, in its own process) that answers
every send_event with one realistic, fixed response, so the figure is the client's own overhead
(request model, response model, error/retry wrapper) and not the emulator's work.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lcconsole.bench.worker import Context, NotReady

TOKEN = "bench-token-not-secret"
CHAT_ID = "PJ0MRSHTDG"
BODY = {"chat_id": CHAT_ID, "event": {"type": "message", "text": "hello world", "recipients": "all"}}
RESPONSE = {
    "thread_id": "K600PKZON8",
    "event": {
        "id": "K600PKZON8_1",
        "type": "message",
        "text": "hello world",
        "recipients": "all",
        "author_id": "agent1@example.com",
        "order": 1,
        "timestamp": 1700000000,
        "properties": {},
    },
}


def serve(ready_file: str) -> None:
    """Run the canned send_event server on a free loopback port; write the port to ready_file."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    answer = json.dumps(RESPONSE).encode()

    async def action(request):
        await request.body()
        return Response(answer, media_type="application/json")

    app = Starlette(routes=[Route("/v3.0/agent/action/{name}", action, methods=["POST"])])
    # proto=IPPROTO_TCP: asyncio only sets TCP_NODELAY on such sockets (else Nagle adds ~40 ms)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    Path(ready_file).write_text(str(sock.getsockname()[1]))
    asyncio.run(server.serve(sockets=[sock]))


def _start_server(ctx: Context) -> int:
    ready = ctx.workdir / f"canned-{os.getpid()}.port"
    proc = subprocess.Popen(
        [sys.executable, "-c", f"from lcconsole.bench.client_bench import serve; serve({str(ready)!r})"],
        stdin=subprocess.DEVNULL,
    )
    ctx.stack.callback(lambda: (proc.terminate(), proc.wait(10)))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the canned server exited")
        if ready.exists() and ready.read_text().strip():
            port = int(ready.read_text())
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return port
            except OSError:
                pass
        time.sleep(0.02)
    raise RuntimeError("the canned server did not start")


async def _measure(base_url: str, calls: int) -> tuple[float, float]:
    try:
        from lcconsole.api import AgentClient
    except ImportError as exc:
        raise NotReady(f"lcconsole.api.AgentClient not available: {exc}") from None
    import httpx

    url = f"{base_url}/v3.0/agent/action/send_event"
    client = AgentClient(token=TOKEN, base_url=base_url)
    bare = httpx.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"})
    ours: list[float] = []
    theirs: list[float] = []
    perf = time.perf_counter
    try:
        for _ in range(20):  # warm up both (connection, imports, caches)
            await client.send_event(chat_id=CHAT_ID, event=BODY["event"])
            (await bare.post(url, json=BODY)).json()
        for _ in range(calls):  # alternate call by call, so drift and noise hit both alike
            t0 = perf()
            await client.send_event(chat_id=CHAT_ID, event=BODY["event"])
            t1 = perf()
            (await bare.post(url, json=BODY)).json()
            t2 = perf()
            ours.append(t1 - t0)
            theirs.append(t2 - t1)
    finally:
        await client.aclose()
        await bare.aclose()
    return statistics.median(ours) * 1e6, statistics.median(theirs) * 1e6


def client_call(ctx: Context) -> dict:
    """Both clients against the canned server, call by call; p50 µs of each (the runner
    reports their ratio)."""
    port = _start_server(ctx)
    ours, theirs = asyncio.run(asyncio.wait_for(_measure(f"http://127.0.0.1:{port}", ctx.pick(2000, 400)), 45))
    return {"client_call_us": ours, "httpx_call_us": theirs}
