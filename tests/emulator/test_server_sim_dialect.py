"""`lcconsole emulator --seed demo --simulate --sim-dialect 3.6`: the demo world with simulated
traffic spoken in v3.6, watched from a v3.6 and a v3.0 socket of the administrator."""

from __future__ import annotations

import subprocess
import sys
import time

from _v36_client import Socket


def test_demo_with_a_v36_simulator_reaches_sockets_of_both_versions(spawn_emulator):
    proc = spawn_emulator(
        seed="demo", extra=("--simulate", "--sim-dialect", "3.6", "--sim-seed", "1", "--sim-rate", "20")
    )
    token = proc.info["agents"][0]["token"]
    ws = proc.base_url.replace("http", "ws", 1)
    v36 = Socket(f"{ws}/v3.6/agent/rtm/ws", token, {})
    v30 = Socket(f"{ws}/v3.0/agent/rtm/ws", token, {})
    try:
        seen36: set[str] = set()
        seen30: set[str] = set()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (
            {"incoming_event", "incoming_chat"} <= seen36 and {"incoming_event", "incoming_chat_thread"} <= seen30
        ):
            seen36 |= {f["action"] for f in v36.drain()}
            seen30 |= {f["action"] for f in v30.drain()}
            time.sleep(0.2)
        assert {"incoming_event", "incoming_chat"} <= seen36, seen36
        assert {"incoming_event", "incoming_chat_thread"} <= seen30, seen30
        assert "incoming_chat_thread" not in seen36 and "incoming_chat" not in seen30
    finally:
        v36.close()
        v30.close()


def test_unknown_sim_dialect_exits_2():
    result = subprocess.run(
        [sys.executable, "-m", "lcconsole", "emulator", "--sim-dialect", "3.5"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "--sim-dialect" in result.stderr
