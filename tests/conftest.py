"""Shared fixtures: an in-process emulator (`emulator`, `demo_emulator`) and real emulator processes.

def test_x(emulator):                 # EmulatorInfo: base_url, api_url, rtm_url, token, agents
    httpx.post(f"{emulator.api_url}/get_chats_summary", json={},
               headers={"Authorization": f"Bearer {emulator.token}"})

def test_y(spawn_emulator, tmp_path):  # a real `lcconsole emulator` subprocess
    proc = spawn_emulator(db=tmp_path / "e.db")
    proc.info["base_url"]; proc.kill(); proc.start()   # restart: same db, same port
"""

from __future__ import annotations

from pathlib import Path

import pytest
from emulator_process import EmulatorProcess

from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.emulator.runner import EmulatorInfo


@pytest.fixture
def emulator_server():
    """The `EmbeddedEmulator` itself (empty seed, no simulation), for tests that need `call()`."""
    server = EmbeddedEmulator(seed="empty", simulate=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def emulator(emulator_server) -> EmulatorInfo:
    """A fresh in-process emulator: empty seed (administrator only), no simulation."""
    return emulator_server.info


@pytest.fixture(scope="module")
def demo_emulator() -> EmulatorInfo:
    """An in-process emulator with the demo world and no simulation, shared by a module."""
    with EmbeddedEmulator(seed="demo", simulate=False) as info:
        yield info


@pytest.fixture
def spawn_emulator(tmp_path):
    """Factory `spawn_emulator(db=..., seed=..., extra=(...)) -> EmulatorProcess` (started)."""
    procs: list[EmulatorProcess] = []

    def spawn(db: str | Path = ":memory:", seed: str = "empty", extra: tuple[str, ...] = ()) -> EmulatorProcess:
        proc = EmulatorProcess(tmp_path, db, seed, extra)
        procs.append(proc)
        proc.start()
        return proc

    yield spawn
    for proc in procs:
        proc.kill()
