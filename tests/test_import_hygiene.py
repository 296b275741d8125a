"""What each entry point loads, in a fresh interpreter: the layers that must stay light (the API
client and `lcconsole api` without Textual; the RTM client without httpx; the early login, which
runs before the first list, without pydantic or the wire models)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def loaded_by(*modules: str) -> list[str]:
    """Every module a fresh interpreter holds after importing `modules`."""
    code = f"import sys, {', '.join(modules)}; print('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def package(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize(
    ("modules", "forbidden"),
    [
        (("lcconsole.api", "lcconsole.cli.api_cmd", "lcconsole.wire.objects"), {"textual"}),
        (("lcconsole.rtm.connection",), {"httpx", "textual"}),
        (("lcconsole.rtm", "lcconsole.wire.pushes", "lcconsole.cli.pushes_cmd"), {"textual"}),
        (("lcconsole.rtm.opening",), {"pydantic", "httpx", "textual"}),
    ],
    ids=["api", "rtm", "pushes-cli", "early-login"],
)
def test_an_entry_point_loads_none_of_what_it_must_not(modules, forbidden):
    assert [m for m in loaded_by(*modules) if package(m) in forbidden] == []


def test_the_early_login_loads_no_wire_model():
    """It runs before the first list is painted: of the wire package, the dialects (paths and
    names) at most."""
    wire = {m for m in loaded_by("lcconsole.rtm.opening") if m.startswith("lcconsole.wire.")}
    assert wire <= {"lcconsole.wire.dialects"}
