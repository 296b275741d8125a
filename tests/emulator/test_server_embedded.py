"""EmbeddedEmulator: start/stop in a background thread, info without leaking tokens, demo + simulator."""

from __future__ import annotations

import json
import socket
import time

import pytest

from lcconsole.emulator.embedded import EmbeddedEmulator
from tests import loopback


def summary(info) -> dict:
    resp = loopback.post(
        f"{info.api_url}/get_chats_summary",
        json={"limit": 100},
        timeout=10,
        headers={"Authorization": f"Bearer {info.token}"},
    )
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_context_manager_serves_then_frees_the_port(capfd):
    server = EmbeddedEmulator(seed="empty", simulate=False)
    with server as info:
        assert info.base_url.startswith("http://127.0.0.1:")
        assert info.rtm_url == info.base_url.replace("http", "ws", 1) + "/v3.0/agent/rtm/ws"
        assert info.agents[0]["id"] == "agent1@example.com"
        assert info.token not in repr(info) and info.token not in str(info)
        ready = json.loads(info.ready_json())
        assert set(ready) == {"base_url", "rtm_url", "customer_token_url", "tls", "agents"}
        assert ready["tls"] is False
        assert summary(info)["chats_summary"] == []
        port = int(info.base_url.rsplit(":", 1)[1])
    server.stop()  # idempotent
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    out, err = capfd.readouterr()
    assert out == "" and err == ""  # an embedded emulator never writes to the terminal


def test_start_failure_is_reported():
    def broken(db):
        raise RuntimeError("no engine today")

    with pytest.raises(RuntimeError, match="no engine today"):
        EmbeddedEmulator(seed="empty", simulate=False, engine_factory=broken).start()


def test_demo_world_with_simulated_customers():
    with EmbeddedEmulator(seed="demo", simulate=True, sim_seed=4, sim_rate=40) as info:
        first = summary(info)
        assert first["chats_summary"], "the demo world has chats"
        before = {c["id"] for c in first["chats_summary"]}
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if {c["id"] for c in summary(info)["chats_summary"]} - before:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the simulator started no chat")


def test_file_db_survives_restart_on_the_same_port(tmp_path):
    db = str(tmp_path / "embedded.db")
    with EmbeddedEmulator(db=db, seed="empty", simulate=False) as info:
        token = info.token
        resp = loopback.post(
            f"{info.api_url}/start_chat", json={"chat": {}}, timeout=10, headers={"Authorization": f"Bearer {token}"}
        )
        chat_id = resp.json()["chat"]["id"]
        port = int(info.base_url.rsplit(":", 1)[1])
    with EmbeddedEmulator(db=db, seed="empty", simulate=False, port=port) as again:
        assert again.base_url == info.base_url and again.token == token
        info = again
        assert chat_id in [c["id"] for c in summary(info)["chats_summary"]]
