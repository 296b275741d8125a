"""A real `lcconsole emulator` subprocess for the tests that need one (the `spawn_emulator`
fixture builds it; the spec checkers start their own)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


class EmulatorProcess:
    """`python -m lcconsole emulator ... --port 0 --ready-file F` as a subprocess."""

    def __init__(
        self, workdir: Path, db: str | Path = ":memory:", seed: str = "empty", extra: tuple[str, ...] = ()
    ) -> None:
        self.workdir = Path(workdir)
        self.db = str(db)
        self.seed = seed
        self.extra = tuple(extra)
        self.ready_file = self.workdir / f"ready-{id(self)}.json"
        self.log_file = self.workdir / f"emulator-{id(self)}.log"
        self.proc: subprocess.Popen | None = None
        self.info: dict = {}

    @property
    def base_url(self) -> str:
        return self.info["base_url"]

    @property
    def token(self) -> str:
        """The administrator's token."""
        return self.info["agents"][0]["token"]

    def start(self, timeout: float = 20.0) -> dict:
        """Start and wait for the ready file; returns its JSON. A restart keeps the port."""
        self.ready_file.unlink(missing_ok=True)
        port = self.info["base_url"].rsplit(":", 1)[1] if self.info else "0"
        cmd = [
            sys.executable,
            "-m",
            "lcconsole",
            "emulator",
            "--seed",
            self.seed,
            "--db",
            self.db,
            "--port",
            port,
            "--ready-file",
            str(self.ready_file),
            *self.extra,
        ]
        if "--simulate" not in self.extra:
            cmd.append("--no-simulate")
        if "--rate-limit" not in self.extra:  # tests drive it faster than the default allows
            cmd.append("--no-rate-limit")
        with open(self.log_file, "ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"emulator exited with {self.proc.returncode}: {self.log()}")
            if self.ready_file.exists():
                self.info = json.loads(self.ready_file.read_text())
                return self.info
            time.sleep(0.02)
        self.kill()
        raise RuntimeError(f"emulator not ready within {timeout} s: {self.log()}")

    def log(self) -> str:
        """What the process printed so far."""
        return self.log_file.read_text(errors="replace") if self.log_file.exists() else ""

    def terminate(self, timeout: float = 10.0) -> int:
        """SIGTERM and wait; the exit code."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def kill(self) -> None:
        """SIGKILL and reap."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
