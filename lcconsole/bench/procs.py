"""Process helpers for scenarios: a real emulator subprocess, tiny HTTP calls, programs on a pty.

Every helper registers its cleanup on the scenario's `Context.stack`, so child processes are
terminated even when the scenario fails or the worker is stopped.
"""

from __future__ import annotations

import errno
import fcntl
import http.client
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lcconsole.bench.worker import Context, NotReady


@dataclass
class Emulator:
    """A running `lcconsole emulator` subprocess and what its ready file says."""

    proc: subprocess.Popen
    base_url: str
    agents: list[dict]
    info: dict

    @property
    def token(self) -> str:
        """The administrator's token."""
        return self.agents[0]["token"]

    @property
    def port(self) -> int:
        """The bound loopback port."""
        return urlsplit(self.base_url).port or 80


def _stop(proc: subprocess.Popen, grace: float = 5.0) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=grace)


def start_emulator(
    ctx: Context, db: str | Path, seed: str = "empty", extra: tuple[str, ...] = (), timeout: float = 30.0
) -> Emulator:
    """Start `lcconsole emulator --no-simulate --port 0 --ready-file` and wait until ready."""
    try:
        import lcconsole.emulator.cli  # noqa: F401  (only checks it is installed)
    except ImportError as exc:
        raise NotReady(f"lcconsole.emulator.cli not available: {exc}") from None
    ready = Path(ctx.workdir) / f"ready-{os.getpid()}-{time.monotonic_ns()}.json"
    cmd = [
        sys.executable,
        "-m",
        "lcconsole",
        "emulator",
        "--seed",
        seed,
        "--no-simulate",
        "--no-rate-limit",
        "--db",
        str(db),
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--ready-file",
        str(ready),
        *extra,
    ]
    log = open(Path(ctx.workdir) / f"emulator-{os.getpid()}.log", "ab")
    ctx.stack.callback(log.close)
    proc = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    ctx.stack.callback(_stop, proc)
    ctx.stack.callback(lambda: ready.unlink(missing_ok=True))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"emulator exited with {proc.returncode} before it was ready")
        if ready.exists():
            try:
                info = json.loads(ready.read_text())
                return Emulator(proc, info["base_url"].rstrip("/"), info["agents"], info)
            except (ValueError, KeyError):
                pass  # partly written; read again
        time.sleep(0.02)
    raise RuntimeError(f"emulator not ready within {timeout:g} s")


class Http:
    """A tiny keep-alive JSON client on http.client for set-up calls (not for measuring)."""

    def __init__(self, base_url: str, timeout: float = 30.0):
        u = urlsplit(base_url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)

    def post(self, path: str, body: dict, token: str | None = None) -> dict:
        """POST JSON; return the decoded answer; raise RuntimeError on a non-2xx status."""
        data = self.post_raw(path, body, token)
        return json.loads(data) if data else {}

    def post_raw(self, path: str, body: dict, token: str | None = None) -> bytes:
        """POST JSON; return the raw answer body (not decoded); raise on a non-2xx status."""
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.conn.request("POST", path, json.dumps(body).encode(), headers)
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.status >= 300:
            raise RuntimeError(f"POST {path} -> {resp.status}: {data[:200]!r}")
        return data

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def new_customer(http: Http, name: str) -> dict:
    """Create a customer on the emulator's customer side: {"customer_id", "access_token"}."""
    return http.post("/customer/token", {"name": name})


def customer_chat(http: Http, name: str, text: str) -> tuple[str, str]:
    """A new customer starts a chat with one message; returns (chat_id, customer token)."""
    cust = new_customer(http, name)
    tok = cust["access_token"]
    body = {"chat": {"thread": {"events": [{"type": "message", "text": text, "recipients": "all"}]}}}
    res = http.post("/v3.0/customer/action/start_chat", body, tok)
    chat_id = res.get("chat_id") or (res.get("chat") or {}).get("id")  # customer API: chat object
    if not chat_id:
        raise RuntimeError(f"start_chat answered without a chat id: {str(res)[:200]}")
    return chat_id, tok


# --- programs on a pseudo-terminal -------------------------------------------------------------


@dataclass
class PtyProc:
    """A child process on a pty: read its output with `read_until`."""

    pid: int
    fd: int
    started: float
    buf: bytearray
    closed: bool = False

    def read_until(self, predicate, timeout: float) -> float | None:
        """Read output until `predicate(buf)` holds; return perf_counter() then, None on timeout."""
        deadline = time.perf_counter() + timeout
        while True:
            if predicate(self.buf):
                return time.perf_counter()
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            r, _, _ = select.select([self.fd], [], [], min(left, 0.05))
            if r:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError as exc:
                    if exc.errno == errno.EIO:  # child closed the terminal
                        return time.perf_counter() if predicate(self.buf) else None
                    raise
                if not chunk:
                    return None
                self.buf += chunk

    def write(self, data: bytes) -> None:
        """Type `data` into the child's terminal."""
        os.write(self.fd, data)

    def drain(self, seconds: float = 0.0) -> None:
        """Read whatever arrives for `seconds` (keeps the child from blocking on output)."""
        self.read_until(lambda _b: False, seconds)


def cpu_ms(pid: int) -> float | None:
    """CPU time (user + system) a live process has used so far, in ms (10 ms resolution)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def spawn_pty(ctx: Context, argv: list[str], cols: int, rows: int, env: dict | None = None) -> PtyProc:
    """Fork `argv` on a new pty of cols x rows (TERM=xterm-256color); cleaned up on exit."""
    child_env = dict(os.environ)
    child_env.update({"TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows), "COLORTERM": "truecolor"})
    child_env.pop("TEXTUAL", None)
    child_env.update(env or {})
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.execvpe(argv[0], argv, child_env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    proc = PtyProc(pid, fd, started, bytearray())
    ctx.stack.callback(stop_pty, proc)
    return proc


def stop_pty(p: PtyProc) -> None:
    """SIGTERM, then SIGKILL the child; reap it and close the terminal (idempotent)."""
    if p.closed:
        return
    p.closed = True
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(p.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            try:
                p.drain(0.02)
            except OSError:
                pass
            try:
                done, _ = os.waitpid(p.pid, os.WNOHANG)
            except ChildProcessError:
                done = p.pid
            if done:
                break
        else:
            continue
        break
    try:
        os.waitpid(p.pid, os.WNOHANG)
    except ChildProcessError:
        pass
    try:
        os.close(p.fd)
    except OSError:
        pass
