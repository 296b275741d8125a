"""reconnect_consistent_ms: the console holds 10k chats; the network is cut for 8 s while 500
events happen; from the moment it is restored, how long until the console's store equals the API.

The console (headless, real session: HTTP client + RTM) talks to the emulator through a TCP proxy
in its own process: SIGUSR1 cuts every connection and refuses new ones, SIGUSR2 restores.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lcconsole.bench.emulator_bench import _summary_db
from lcconsole.bench.procs import Http, customer_chat, start_emulator
from lcconsole.bench.widget_bench import SIZE, _settle
from lcconsole.bench.worker import Context, NotReady, require

CUT_S = 8.0
EVENTS = 500
NEW_CHATS = 50  # the 500 events: 50 new chats, each with 10 customer messages


def proxy(ready_file: str, target_port: int) -> None:
    """Forward 127.0.0.1:<free port> -> 127.0.0.1:target_port until killed; SIGUSR1 cuts every
    connection and refuses new ones (accepted, then closed at once), SIGUSR2 lets them through."""

    async def main() -> None:
        up = True
        open_writers: set[asyncio.StreamWriter] = set()

        async def pipe(reader, writer):
            try:
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                writer.close()

        async def handle(reader, writer):
            if not up:
                writer.transport.abort()
                return
            try:
                up_reader, up_writer = await asyncio.open_connection("127.0.0.1", target_port)
            except OSError:
                writer.transport.abort()
                return
            open_writers.update((writer, up_writer))
            await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
            open_writers.difference_update((writer, up_writer))

        def cut() -> None:
            nonlocal up
            up = False
            for w in list(open_writers):
                w.transport.abort()
            open_writers.clear()

        def restore() -> None:
            nonlocal up
            up = True

        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGUSR1, cut)
        loop.add_signal_handler(signal.SIGUSR2, restore)
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        Path(ready_file).write_text(str(server.sockets[0].getsockname()[1]))
        await asyncio.Event().wait()

    asyncio.run(main())


def _start_proxy(ctx: Context, target_port: int) -> tuple[subprocess.Popen, int]:
    ready = ctx.workdir / f"proxy-{os.getpid()}.port"
    code = f"from lcconsole.bench.reconnect_bench import proxy; proxy({str(ready)!r}, {target_port})"
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.DEVNULL)
    ctx.stack.callback(lambda: (proc.kill(), proc.wait(10)))
    ctx.stack.callback(lambda: ready.unlink(missing_ok=True))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        text = ready.read_text().strip() if ready.exists() else ""
        if text:
            return proc, int(text)
        if proc.poll() is not None:
            raise RuntimeError("the proxy exited")
        time.sleep(0.02)
    raise RuntimeError("the proxy did not start")


def _truth(http: Http, token: str) -> dict[str, str | None]:
    """Every chat the API lists -> the id of its last message (what the store must hold)."""
    out: dict[str, str | None] = {}
    page_id = None
    while True:
        body = {"limit": 100, **({"page_id": page_id} if page_id else {})}
        resp = http.post("/v3.0/agent/action/get_chats_summary", body, token)
        for chat in resp.get("chats_summary", []):
            last = (chat.get("last_event_per_type") or {}).get("message") or {}
            out[chat["id"]] = (last.get("event") or {}).get("id")
        page_id = resp.get("next_page_id")
        if not page_id:
            return out


def _differences(store, truth: dict[str, str | None], touched: set[str]) -> int:
    """How far the store is from `truth`: chats missing or extra, plus touched chats whose last
    message differs (untouched chats did not change on the server)."""
    diff = len(truth.keys() ^ set(store.chats))
    for chat_id in touched:
        summary = store.chats.get(chat_id)
        last = summary.last_event_per_type.get("message") if summary is not None else None
        mine = last.event.id if last is not None and last.event is not None else None
        diff += mine != truth.get(chat_id)
    return diff


def reconnect_consistent(ctx: Context) -> dict:
    """reconnect_consistent_ms, next to first_sync_ms (start -> the 10k chats in the store)."""
    require("lcconsole.ui.app")
    from lcconsole.config import Secret, Settings
    from lcconsole.ui.app import ConsoleApp

    src = _summary_db(ctx)
    if not src.exists():
        raise NotReady("the 10k-chat database was not built (setup failed)")
    db = ctx.workdir / f"reconnect-{os.getpid()}.db"
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{src}{suffix}").exists():
            shutil.copyfile(f"{src}{suffix}", f"{db}{suffix}")
            ctx.stack.callback(Path(f"{db}{suffix}").unlink, True)
    emu = start_emulator(ctx, db)
    proxy_proc, port = _start_proxy(ctx, emu.port)
    settings = Settings(base_url=f"http://127.0.0.1:{port}", token=Secret(emu.token))
    data_dir = Path(tempfile.mkdtemp(prefix="bench-reconnect-", dir=ctx.workdir))
    app = ConsoleApp(settings, data_dir=data_dir)
    out: dict = {}

    async def wait(pilot, condition, limit: float, what: str) -> float:
        deadline = time.perf_counter() + limit
        while not condition():
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{what}: not within {limit:g} s")
            await pilot.pause(0.02)
        return time.perf_counter()

    async def main() -> None:
        http = None
        t_start = time.perf_counter()
        async with app.run_test(size=SIZE) as pilot:
            await wait(pilot, lambda: app.main_screen is not None, 60, "main screen")
            screen = app.main_screen
            http = Http(emu.base_url, timeout=60)
            ctx.stack.callback(http.close)
            truth = await asyncio.to_thread(_truth, http, emu.token)
            t_synced = await wait(
                pilot, lambda: screen.synced and _differences(screen.store, truth, set()) == 0, 240, "first sync"
            )
            out["first_sync_ms"] = (t_synced - t_start) * 1000
            await _settle(pilot)
            rtm = screen.session.rtm
            cut_at = time.perf_counter()
            proxy_proc.send_signal(signal.SIGUSR1)
            await wait(pilot, lambda: rtm.state.status != "connected", 10, "disconnect")
            touched: set[str] = set()
            http = Http(emu.base_url, timeout=60)  # a fresh keep-alive connection (idle ones close)
            ctx.stack.callback(http.close)
            for k in range(NEW_CHATS):  # the server moves on while the console is cut off
                chat_id, tok = await asyncio.to_thread(
                    customer_chat, http, f"Cut Customer {k:03d}", "message 0 during the cut"
                )
                touched.add(chat_id)
                for j in range(1, EVENTS // NEW_CHATS):
                    await asyncio.to_thread(
                        http.post,
                        "/v3.0/customer/action/send_event",
                        {
                            "chat_id": chat_id,
                            "event": {"type": "message", "recipients": "all", "text": f"message {j} during the cut"},
                        },
                        tok,
                    )
            truth = await asyncio.to_thread(_truth, http, emu.token)
            left = CUT_S - (time.perf_counter() - cut_at)
            if left > 0:
                await pilot.pause(left)
            restored = time.perf_counter()
            proxy_proc.send_signal(signal.SIGUSR2)
            done = await wait(
                pilot, lambda: _differences(screen.store, truth, touched) == 0, 120, "consistent after the restore"
            )
            out["reconnect_consistent_ms"] = (done - restored) * 1000
            out["reconnect_cut_s"] = restored - cut_at

    asyncio.run(main())
    return out
