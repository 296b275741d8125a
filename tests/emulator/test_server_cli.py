"""`lcconsole emulator` as a real process: ready file, signals, restart persistence, SIGKILL durability."""

from __future__ import annotations

import asyncio
import signal
import stat

import httpx
import pytest

from lcconsole.wire.actions import ALL_SCOPES
from tests import loopback


def call(proc, action: str, payload: dict, token: str | None = None) -> httpx.Response:
    return loopback.post(
        f"{proc.base_url}/v3.0/agent/action/{action}",
        json=payload,
        timeout=10,
        headers={"Authorization": f"Bearer {token or proc.token}"},
    )


def test_ready_file_signals_and_restart_keep_tokens_and_data(spawn_emulator, tmp_path):
    db = tmp_path / "emulator.db"
    proc = spawn_emulator(db=db, extra=("--agent", "helper@example.com=chats--my:ro,customers:ro"))
    info = proc.info
    port = info["base_url"].rsplit(":", 1)[1]
    assert info == {
        "base_url": f"http://127.0.0.1:{port}",
        "rtm_url": f"ws://127.0.0.1:{port}/v3.0/agent/rtm/ws",
        "customer_token_url": f"http://127.0.0.1:{port}/customer/token",
        "tls": False,
        "agents": info["agents"],
    }
    assert all(set(a) == {"id", "token", "account_id", "pat", "scopes"} for a in info["agents"])
    assert [a["id"] for a in info["agents"]] == ["agent1@example.com", "helper@example.com"]
    assert sorted(info["agents"][0]["scopes"]) == sorted(ALL_SCOPES)
    assert info["agents"][1]["scopes"] == ["chats--my:ro", "customers:ro"]
    assert stat.S_IMODE(proc.ready_file.stat().st_mode) == 0o600
    chat = call(proc, "start_chat", {"chat": {"thread": {"events": [{"type": "message", "text": "keep me"}]}}})
    chat_id = chat.json()["chat"]["id"]

    assert proc.terminate() == 0
    output = proc.log()
    assert f"listening on {info['base_url']}" in output
    assert all(a["token"] not in output and a["pat"] not in output for a in info["agents"])

    again = proc.start()  # same db: same agents, tokens and PATs, same chats
    assert again["agents"] == info["agents"] and again["base_url"] == info["base_url"]
    threads = call(proc, "get_chat_threads", {"chat_id": chat_id}).json()["chat"]["threads"]
    assert [e["text"] for e in threads[0]["events"] if e["type"] == "message"] == ["keep me"]
    proc.proc.send_signal(signal.SIGINT)
    assert proc.proc.wait(10) == 0


def test_bad_arguments_exit_2(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "lcconsole", "emulator", "--agent", "x@y=not-a-scope"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "unknown scope" in result.stderr


async def _burst(base_url: str, token: str, chat_id: str, acked: list[str], workers: int = 8) -> None:
    async def worker(n: int) -> None:
        async with loopback.async_client(
            base_url=base_url, timeout=5, headers={"Authorization": f"Bearer {token}"}
        ) as client:
            for i in range(10_000):
                custom_id = f"burst-{n}-{i}"
                body = {"chat_id": chat_id, "event": {"type": "message", "text": custom_id, "custom_id": custom_id}}
                try:
                    resp = await client.post("/v3.0/agent/action/send_event", json=body)
                except httpx.HTTPError:
                    return
                if resp.status_code != 200:
                    return
                acked.append(custom_id)

    await asyncio.gather(*(worker(n) for n in range(workers)))


def test_sigkill_mid_burst_keeps_every_acknowledged_event_exactly_once(spawn_emulator, tmp_path):
    proc = spawn_emulator(db=tmp_path / "burst.db")
    chat_id = call(proc, "start_chat", {"chat": {}}).json()["chat"]["id"]
    acked: list[str] = []

    async def run() -> None:
        burst = asyncio.create_task(_burst(proc.base_url, proc.token, chat_id, acked))
        for _ in range(500):  # kill once a few hundred writes are acknowledged
            if len(acked) >= 300:
                break
            await asyncio.sleep(0.01)
        proc.kill()
        await asyncio.wait_for(burst, 15)

    asyncio.run(run())
    assert len(acked) >= 300
    proc.start()
    chat = call(proc, "get_chat_threads", {"chat_id": chat_id}).json()["chat"]
    stored = [e.get("custom_id") for t in chat["threads"] for e in t["events"] if e["type"] == "message"]
    assert len(stored) == len(set(stored)), "duplicated events after restart"
    missing = set(acked) - set(stored)
    assert not missing, f"{len(missing)} acknowledged events lost"


@pytest.mark.parametrize("sig", [signal.SIGTERM])
def test_simulating_emulator_stops_cleanly(spawn_emulator, sig):
    proc = spawn_emulator(seed="demo", extra=("--simulate", "--sim-seed", "7", "--sim-rate", "20"))
    customers = loopback.post(f"{proc.base_url}/customer/token", json={"name": "Probe"}, timeout=10)
    assert customers.status_code == 200
    proc.proc.send_signal(sig)
    assert proc.proc.wait(10) == 0
    assert "Traceback" not in proc.log()


def test_rate_limit_option(spawn_emulator):
    proc = spawn_emulator(extra=("--rate-limit", "1"))
    statuses = [call(proc, "get_chats_summary", {}) for _ in range(4)]
    limited = [r for r in statuses if r.status_code == 429]
    assert statuses[0].status_code == 200 and limited
    assert limited[0].json()["error"]["type"] == "too_many_requests"
    assert int(limited[0].headers["Retry-After"]) >= 1
