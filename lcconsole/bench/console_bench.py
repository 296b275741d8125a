"""Console scenarios: the real `lcconsole` on a pseudo-terminal against a running emulator.

Times are taken on this side of the pty: from just before the fork until the bytes that show the
awaited content have arrived, so they include interpreter start-up, imports, connecting and drawing.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

from lcconsole.bench.procs import Http, cpu_ms, customer_chat, spawn_pty, start_emulator, stop_pty
from lcconsole.bench.worker import Context, NotReady

ALT_SCREEN = b"\x1b[?1049h"
_ESC = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")
READY_NAME = "Ready Customer"
MAIN_SCREEN_TEXT = "ctrl+s send"
"""In the main screen's composer, drawn with its first frame (the start-up screen has none)."""


def _console_argv(base_url: str, token: str) -> list[str]:
    try:
        import lcconsole.ui.cli  # noqa: F401  (only checks it is installed)
    except ImportError as exc:
        raise NotReady(f"lcconsole.ui.cli not available: {exc}") from None
    script = Path(sys.executable).with_name("lcconsole")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "lcconsole"]
    return head + ["--base-url", base_url, "--token", token]


def _isolated_env(ctx: Context) -> dict:
    """Point config/data/state dirs at the work dir so a user's own config plays no part."""
    home = ctx.workdir / f"home-{os.getpid()}"
    env = {}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        path = home / var.lower()
        path.mkdir(parents=True, exist_ok=True)
        env[var] = str(path)
    env.pop("LCCONSOLE_TOKEN", None)
    ctx.stack.callback(shutil.rmtree, home, True)
    return env


def visible_text(data: bytes) -> str:
    """Terminal output with escape sequences removed (what ends up in cells, roughly)."""
    return _ESC.sub(b"", data).decode("utf-8", errors="replace")


def full_frame(rows: int):
    """Predicate: the alternate screen is on and a frame reaching the last row has content."""
    last_row = f"\x1b[{rows};".encode()

    def check(buf: bytearray) -> bool:
        start = buf.find(ALT_SCREEN)
        if start < 0:
            return False
        after = bytes(buf[start + len(ALT_SCREEN) :])
        if last_row not in after:
            return False
        return sum(1 for ch in visible_text(after) if not ch.isspace()) >= 20

    return check


def contains(text: str, start: int = 0):
    """Predicate: `text` appears in the visible output after byte offset `start`."""
    needle = text.encode()

    def check(buf: bytearray) -> bool:
        if buf.find(needle, start) >= 0:
            return True
        return text in visible_text(bytes(buf[start:]))

    return check


def _bare_argv() -> list[str]:
    """The bare Textual app (bare_app.py) as a script: no lcconsole import in its process."""
    return [sys.executable, str(Path(__file__).with_name("bare_app.py"))]


def _time_first_frame(
    ctx: Context, argv: list[str], cols: int, rows: int, env: dict | None = None
) -> tuple[float, float | None]:
    """(ms from fork to the first full frame, CPU ms the program used until then)."""
    proc = spawn_pty(ctx, argv, cols, rows, env)
    t = proc.read_until(full_frame(rows), timeout=20.0)
    cpu = cpu_ms(proc.pid)
    stop_pty(proc)
    if t is None:
        raise RuntimeError(
            f"{argv[-1]}: no full frame at {cols}x{rows} within 20 s; got {visible_text(bytes(proc.buf))[-200:]!r}"
        )
    return (t - proc.started) * 1000, cpu


def bare_first_frame(ctx: Context, cols: int, rows: int) -> dict:
    """The bare app's first frame at cols x rows (keys for 80x24, else suffixed with the size)."""
    ms, cpu = _time_first_frame(ctx, _bare_argv(), cols, rows)
    suffix = "" if (cols, rows) == (80, 24) else f"_{cols}x{rows}"
    out = {f"bare_first_frame{suffix}_ms": ms}
    if cpu is not None:
        out["bare_first_frame_cpu_ms"] = cpu
    return out


def first_frame(ctx: Context) -> dict:
    """first_frame_ms at 80x24 and 160x48: process start -> first full frame on the pty, each
    right next to the bare Textual app's on the same pty harness (order alternating by run)."""
    emu = start_emulator(ctx, ctx.workdir / f"ff-{time.monotonic_ns()}.db")
    argv = _console_argv(emu.base_url, emu.token)
    env = _isolated_env(ctx)
    out: dict = {}
    for name, (cols, rows) in (("first_frame_ms", (80, 24)), ("first_frame_160x48_ms", (160, 48))):
        for step in ctx.interleave("bare", "console"):
            if step == "bare":
                bare = bare_first_frame(ctx, cols, rows)
                if cols != 80:
                    bare.pop("bare_first_frame_cpu_ms", None)
                out.update(bare)
                continue
            out[name], cpu = _time_first_frame(ctx, argv, cols, rows, env)
            if cols == 80:
                out["first_frame_cpu_ms"] = cpu
    return out


def _ready_db(ctx: Context) -> Path:
    return ctx.workdir / "ready-100.db"


def setup_list_ready(ctx: Context) -> dict:
    """An emulator database holding 100 active chats, each with a known customer name."""
    db = _ready_db(ctx)
    if db.exists():
        return {}
    emu = start_emulator(ctx, db)
    http = Http(emu.base_url)
    try:
        for i in range(100):
            customer_chat(http, f"{READY_NAME} {i:03d}", f"hello from customer {i}")
    finally:
        http.close()
    return {}


def list_ready(ctx: Context) -> dict:
    """list_ready_ms: process start -> one of the 100 known customer names on the screen; the
    bare Textual app's first frame at the same size is measured next to it."""
    db = _ready_db(ctx)
    if not db.exists():
        raise NotReady("the 100-chat database was not built (setup failed)")
    emu = start_emulator(ctx, db)
    out: dict = {}
    for step in ctx.interleave("bare", "console"):
        if step == "bare":
            out.update(bare_first_frame(ctx, 160, 48))
            continue
        proc = spawn_pty(ctx, _console_argv(emu.base_url, emu.token), 160, 48, _isolated_env(ctx))
        t = proc.read_until(contains(READY_NAME), timeout=30.0)
        cpu = cpu_ms(proc.pid)
        main = proc.read_until(contains(MAIN_SCREEN_TEXT), timeout=30.0) if t is not None else None
        stop_pty(proc)
        if t is None or main is None:
            raise RuntimeError(
                f"no '{READY_NAME}' and main screen within 30 s; screen tail {visible_text(bytes(proc.buf))[-200:]!r}"
            )
        out.update(
            {
                "list_ready_ms": (t - proc.started) * 1000,
                "list_ready_cpu_ms": cpu,
                "main_screen_ms": (main - proc.started) * 1000,
            }
        )
    return out


def _v36_env(ctx: Context, emu) -> dict:
    """The isolated env with the administrator's account id and Personal Access Token (v3.6's
    credentials, sent as HTTP Basic), passed in the environment rather than on the command line."""
    admin = emu.agents[0]
    return {**_isolated_env(ctx), "LCCONSOLE_ACCOUNT_ID": admin["account_id"], "LCCONSOLE_PAT": admin["pat"]}


def _frame_then_list(ctx: Context, argv: list[str], env: dict) -> tuple[float, float]:
    """(ms to the first full frame, ms to a known customer name on screen), one console start."""
    proc = spawn_pty(ctx, argv, 160, 48, env)
    frame = proc.read_until(full_frame(48), timeout=20.0)
    ready = proc.read_until(contains(READY_NAME), timeout=30.0) if frame is not None else None
    stop_pty(proc)
    if frame is None or ready is None:
        raise RuntimeError(f"{argv[-1]}: no frame or no list; screen tail {visible_text(bytes(proc.buf))[-200:]!r}")
    return (frame - proc.started) * 1000, (ready - proc.started) * 1000


def list_ready_v36(ctx: Context) -> dict:
    """first_frame_v36_ms and list_ready_v36_ms: the console over Agent Chat API v3.6 with a PAT
    against the same console over v3.0 with a token, same emulator and 100 chats, 160x48,
    started A B B A within each run (the mean of each pair is the run's figure), after one
    untimed start of each."""
    db = _ready_db(ctx)
    if not db.exists():
        raise NotReady("the 100-chat database was not built (setup failed)")
    emu = start_emulator(ctx, db)
    head = _console_argv(emu.base_url, emu.token)
    variants = {
        "v30": (head + ["--api-version", "3.0"], _isolated_env(ctx)),
        "v36": (head[: head.index("--token")] + ["--api-version", "3.6"], _v36_env(ctx, emu)),
    }
    for argv, env in variants.values():  # untimed: the fresh emulator's first answers in each
        _frame_then_list(ctx, argv, env)  # version (its caches, its validators) are not the console's
    samples: dict[str, list[tuple[float, float]]] = {"v30": [], "v36": []}
    for name in ctx.interleave("v30", "v36", "v36", "v30"):
        argv, env = variants[name]
        samples[name].append(_frame_then_list(ctx, argv, env))
    out: dict = {}
    for name, keys in (
        ("v30", ("v30_first_frame_ms", "v30_list_ready_ms")),
        ("v36", ("first_frame_v36_ms", "list_ready_v36_ms")),
    ):
        frames, lists = zip(*samples[name], strict=True)
        out[keys[0]], out[keys[1]] = statistics.mean(frames), statistics.mean(lists)
    return out


def _bare_push_argv(emu) -> tuple[list[str], dict]:
    """The bare push app (bare_push_app.py) on the emulator's agent RTM socket, and its env."""
    ws = emu.base_url.replace("http", "ws", 1) + "/v3.0/agent/rtm/ws"
    return [sys.executable, str(Path(__file__).with_name("bare_push_app.py")), ws], {
        "LCCONSOLE_BENCH_TOKEN": f"Bearer {emu.token}"
    }


def _start_console(ctx: Context, emu, name: str, opened: str):
    """The console on a pty, once it lists `name` and shows the open chat's `opened` text."""
    proc = spawn_pty(ctx, _console_argv(emu.base_url, emu.token), 160, 48, _isolated_env(ctx))
    if proc.read_until(contains(name), timeout=30.0) is None:
        raise RuntimeError("the console never listed the chat")
    if proc.read_until(contains(opened), timeout=30.0) is None:  # it opens the first chat itself
        raise RuntimeError(f"the console never showed {opened!r} of the open chat")
    return proc


def _start_bare(ctx: Context, emu):
    """The bare push app on a pty, once it is logged in."""
    from lcconsole.bench.bare_push_app import LOGGED_IN

    argv, env = _bare_push_argv(emu)
    proc = spawn_pty(ctx, argv, 160, 48, env)
    if proc.read_until(contains(LOGGED_IN), timeout=30.0) is None:
        raise RuntimeError(f"the bare push app did not log in: {visible_text(bytes(proc.buf))[-200:]!r}")
    return proc


def _sends(
    ctx: Context, proc, http: Http, chat_id: str, cust_token: str, tag: str
) -> tuple[list[float], list[float], str]:
    """Time customer sends (texts marked with `tag`) until their text is on `proc`'s screen,
    once it is idle. Returns the sorted on-screen times, the sorted times of the send_event
    round trips and the last text sent."""
    _wait_idle(proc)
    samples, http_samples = [], []
    deadline, text = time.monotonic() + 60.0, ""
    for k in range(ctx.pick(30, 12)):
        if time.monotonic() > deadline:
            break
        text = f"pz{tag}{k:03d}q{os.getpid() % 1000:03d}"
        start = len(proc.buf)
        t0 = time.perf_counter()
        http.post(
            "/v3.0/customer/action/send_event",
            {"chat_id": chat_id, "event": {"type": "message", "text": text, "recipients": "all"}},
            cust_token,
        )
        http_samples.append((time.perf_counter() - t0) * 1000)
        t1 = proc.read_until(contains(text, start), timeout=5.0)
        if t1 is None:
            raise RuntimeError(f"{text!r} not on screen within 5 s")
        samples.append((t1 - t0) * 1000)
        proc.drain(0.05)
    stop_pty(proc)
    return sorted(samples), sorted(http_samples), text


def _wait_idle(proc, cap: float = 5.0) -> None:
    """Read output until the program is idle (at most 20 ms of CPU in 0.25 s, i.e. its start-up
    work is done: the first resync's tail, background imports), at most `cap` seconds. Pushes
    arriving in the first second after the list shows compete with that work (documented in
    docs/benchmarks.md); this figure is the steady state."""
    deadline = time.monotonic() + cap
    last = cpu_ms(proc.pid)
    while time.monotonic() < deadline:
        proc.drain(0.25)
        now = cpu_ms(proc.pid)
        if last is not None and now is not None and now - last <= 20:
            return
        last = now


def _p95(samples: list[float]) -> float:
    return samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]


def _push_figures(
    ctx: Context, emu, http: Http, chat_id: str, cust_token: str, name: str, opened: str, suffix: str = ""
) -> dict:
    """push_to_screen{suffix}: the console's series and, interleaved, the bare push app's on the
    same emulator, chat and pty harness (p95 and p50 each, and the HTTP round trips alone)."""
    out: dict = {}
    for step in ctx.interleave("bare", "console"):
        if step == "bare":
            samples, _, opened = _sends(ctx, _start_bare(ctx, emu), http, chat_id, cust_token, "b")
            out[f"bare_push{suffix}_ms"] = _p95(samples)
            out[f"bare_push{suffix}_p50_ms"] = statistics.median(samples)
            continue
        proc = _start_console(ctx, emu, name, opened)  # `opened`: the newest text in the chat
        samples, http_samples, _ = _sends(ctx, proc, http, chat_id, cust_token, "c")
        out[f"push_to_screen{suffix}_ms"] = _p95(samples)
        out[f"push_to_screen{suffix}_p50_ms"] = statistics.median(samples)
        out[f"push_http{suffix}_ms"] = _p95(http_samples)
    return out


def push_to_screen(ctx: Context) -> dict:
    """push_to_screen_ms: customer send_event over HTTP -> its unique text in the pty output;
    the same sends to a bare Textual app writing pushes into a `Log` beside it."""
    emu = start_emulator(ctx, ctx.workdir / f"push-{time.monotonic_ns()}.db")
    http = Http(emu.base_url)
    ctx.stack.callback(http.close)
    chat_id, cust_token = customer_chat(http, "Push Customer", "first message")
    return _push_figures(ctx, emu, http, chat_id, cust_token, "Push Customer", "first message")


LONG_EVENTS = 5000


def setup_push_long(ctx: Context) -> dict:
    """A database with one chat whose open thread already holds 5,000 messages."""
    db = ctx.workdir / "push-long.db"
    if (ctx.workdir / "push-long.json").exists():
        return {}
    emu = start_emulator(ctx, db)
    http = Http(emu.base_url)
    try:
        chat_id, tok = customer_chat(http, "Long Customer", "message 0")
        deadline = time.monotonic() + 240
        for i in range(1, LONG_EVENTS):
            http.post(
                "/v3.0/customer/action/send_event",
                {
                    "chat_id": chat_id,
                    "event": {"type": "message", "recipients": "all", "text": f"message {i} of a long chat"},
                },
                tok,
            )
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {i} events sent in 240 s")
    finally:
        http.close()
    (ctx.workdir / "push-long.json").write_text(f'{{"chat_id": "{chat_id}", "token": "{tok}"}}')
    return {}


def push_to_screen_long(ctx: Context) -> dict:
    """push_to_screen_long_ms: the same with the open chat already holding 5,000 events."""
    import json

    meta = ctx.workdir / "push-long.json"
    if not meta.exists():
        raise NotReady("the 5,000-event chat was not built (setup failed)")
    info = json.loads(meta.read_text())
    db = ctx.workdir / f"push-long-{os.getpid()}.db"  # a copy: runs must not add to the chat
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{ctx.workdir / 'push-long.db'}{suffix}")
        if src.exists():
            shutil.copyfile(src, f"{db}{suffix}")
            ctx.stack.callback(Path(f"{db}{suffix}").unlink, True)
    emu = start_emulator(ctx, db)
    http = Http(emu.base_url)
    ctx.stack.callback(http.close)
    return _push_figures(
        ctx,
        emu,
        http,
        info["chat_id"],
        info["token"],
        "Long Customer",
        f"message {LONG_EVENTS - 1} of a long chat",
        "_long",
    )
