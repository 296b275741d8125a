"""Hardening defaults (issue 16, finding 11), over real sockets.

`lcconsole emulator` rate-limits every caller by default (Web API and RTM per agent, customer
tokens per client address; `--no-rate-limit` turns it off), and idle connections time out: an
HTTP connection that sends nothing (not even a whole request head) and a logged-in RTM socket that
sends no frame, pings included, for the idle timeout are closed.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from _rtm_frames import recv, response_to, until
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from lcconsole.emulator.cli import DEFAULT_RATE_LIMIT, build_parser
from lcconsole.emulator.embedded import EmbeddedEmulator
from tests import loopback

IDLE = 1.0
"""The idle timeout of the test server (seconds)."""


@contextmanager
def cli_emulator(tmp_path, *extra: str):
    """`lcconsole emulator --seed empty` with only `extra` options: its ready-file JSON."""
    ready = tmp_path / f"ready-{len(extra)}.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lcconsole",
            "emulator",
            "--seed",
            "empty",
            "--no-simulate",
            "--db",
            ":memory:",
            "--port",
            "0",
            "--ready-file",
            str(ready),
            *extra,
        ],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "emulator did not start"
            time.sleep(0.02)
        yield json.loads(ready.read_text())
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)


def statuses(info: dict, count: int, path: str, headers: str = "") -> list[int]:
    """`count` POSTs of `{}` to `path`, each on its own connection: every connection is opened
    first and the requests are then written back to back, so they reach the server within a few
    milliseconds however slow this machine is (the limiter sees a burst, not the client's pace)."""
    address = urlsplit(info["base_url"])
    request = (
        f"POST {path} HTTP/1.1\r\nHost: {address.netloc}\r\nContent-Type: application/json\r\n"
        f"{headers}Content-Length: 2\r\nConnection: close\r\n\r\n{{}}"
    ).encode()
    socks = [socket.create_connection((address.hostname, address.port), timeout=30) for _ in range(count)]
    try:
        for sock in socks:
            sock.sendall(request)
        codes = []
        for sock in socks:
            head = b""
            while b"\r\n" not in head:
                chunk = sock.recv(4096)
                assert chunk, "closed without an answer"
                head += chunk
            codes.append(int(head.split(b" ", 2)[1]))
        return codes
    finally:
        for sock in socks:
            sock.close()


def burst(info: dict, count: int) -> tuple[list[int], list[int]]:
    """`count` get_chats_summary calls by the administrator and as many customer token requests,
    each set sent at once: their status codes."""
    auth = f"Authorization: Bearer {info['agents'][0]['token']}\r\n"
    return statuses(info, count, "/v3.0/agent/action/get_chats_summary", auth), statuses(info, count, "/customer/token")


def test_the_rate_limit_is_on_by_default(tmp_path):
    assert build_parser().parse_args([]).rate_limit == DEFAULT_RATE_LIMIT
    assert build_parser().parse_args(["--no-rate-limit"]).rate_limit is None
    count = int(DEFAULT_RATE_LIMIT * 3)
    with cli_emulator(tmp_path) as info:
        calls, tokens = burst(info, count)
    assert 200 in calls and 429 in calls and set(calls) == {200, 429}, calls
    assert 200 in tokens and 429 in tokens and set(tokens) == {200, 429}, tokens


def test_no_rate_limit_turns_it_off(tmp_path):
    with cli_emulator(tmp_path, "--no-rate-limit") as info:
        calls, tokens = burst(info, int(DEFAULT_RATE_LIMIT * 3))
    assert set(calls) == {200} and set(tokens) == {200}


@pytest.fixture(scope="module")
def idle_server():
    with EmbeddedEmulator(seed="empty", simulate=False, idle_timeout=IDLE) as info:
        yield info


def closed_after(info, sent: bytes) -> float:
    """Seconds until the server closes a raw connection that sent `sent` and then nothing."""
    address = urlsplit(info.base_url)
    with socket.create_connection((address.hostname, address.port), timeout=IDLE * 10) as sock:
        start = time.monotonic()
        sock.sendall(sent.replace(b"{host}", address.netloc.encode()))
        assert sock.recv(1024) == b""  # closed, without an answer
        return time.monotonic() - start


@pytest.mark.parametrize(
    "sent",
    [
        b"",
        b"POST /v3.0/agent/action/get_chats_summary HTTP/1.1\r\n",
        b"POST /customer/token HTTP/1.1\r\nHost: {host}\r\n"
        b"Content-Type: application/json\r\nContent-Length: 10\r\n\r\n{",
    ],
    ids=["nothing", "half-a-head", "half-a-body"],
)
def test_a_silent_http_connection_is_closed(idle_server, sent):
    assert IDLE * 0.9 <= closed_after(idle_server, sent) < IDLE * 8


def test_keep_alive_requests_still_work(idle_server):
    headers = {"Authorization": f"Bearer {idle_server.token}"}
    with loopback.client(base_url=idle_server.api_url, timeout=10, headers=headers) as http:
        for _ in range(3):
            assert http.post("/get_chats_summary", json={}).status_code == 200


@pytest.mark.parametrize("version", ["3.0", "3.6"])
async def test_an_rtm_socket_lives_while_it_pings_and_is_closed_when_silent(idle_server, version):
    url = idle_server.rtm_url.replace("/v3.0/", f"/v{version}/")
    async with connect(url) as ws:
        await ws.send(json.dumps({"request_id": "login", "action": "login", "payload": {"token": idle_server.token}}))
        await until(ws, response_to("login"))
        started = time.monotonic()
        n = 0
        while time.monotonic() - started < IDLE * 2.5:  # alive past the HTTP and RTM timeouts
            n += 1
            silent = time.monotonic()
            await ws.send(json.dumps({"request_id": f"p{n}", "action": "ping"}))
            pong, _ = await until(ws, response_to(f"p{n}"))
            assert pong["success"] is True
            await asyncio.sleep(IDLE / 5)
        frame, _ = await until(ws, lambda f: f.get("action") == "agent_disconnected")
        assert frame["payload"]["reason"] == "connection_timeout"
        with pytest.raises(ConnectionClosed):
            await recv(ws, IDLE * 5)
        assert IDLE * 0.9 <= time.monotonic() - silent < IDLE * 8
