"""Without --db, each seed gets its own database file in the user data dir."""

import json
import os
import signal
import subprocess
import sys
import time

from tests import loopback


def _run(seed: str, tmp_path) -> int:
    """Start `lcconsole emulator --seed SEED` with the default db; the number of chats it lists."""
    ready = tmp_path / f"ready-{seed}.json"
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lcconsole",
            "emulator",
            "--seed",
            seed,
            "--no-simulate",
            "--port",
            "0",
            "--ready-file",
            str(ready),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while not ready.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "emulator did not start"
            time.sleep(0.02)
        info = json.loads(ready.read_text())
        reply = loopback.post(
            f"{info['base_url']}/v3.0/agent/action/get_chats_summary",
            json={"limit": 100},
            headers={"Authorization": f"Bearer {info['agents'][0]['token']}"},
        )
        return len(reply.json()["chats_summary"])
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)


def test_seed_empty_after_demo_starts_empty(tmp_path):
    assert _run("demo", tmp_path) > 0
    assert _run("empty", tmp_path) == 0
    files = sorted(p.name for p in (tmp_path / "data" / "lcconsole").glob("*.sqlite3"))
    assert files == ["emulator-demo.sqlite3", "emulator-empty.sqlite3"]
