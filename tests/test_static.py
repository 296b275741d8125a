"""Static checks, run with the suite: ruff's lint rules and format check, and mypy (strict on wire,
errors, api, rtm, emulator, ui/controllers and ui/screens). Their configuration is in pyproject.toml; `every noqa / type: ignore` there carries its reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_lint_is_clean() -> None:
    result = _run("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = _run("ruff", "format", "--no-cache", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.timeout(600)  # a cold mypy run takes a while on a loaded machine
def test_mypy_strict_layers_are_clean() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
