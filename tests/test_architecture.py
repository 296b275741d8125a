"""The layering rules of docs/architecture.md, checked in fresh interpreters."""

import subprocess
import sys

import pytest

LAYERS = {
    "lcconsole.api": ("textual",),
    "lcconsole.rtm": ("textual",),
    "lcconsole.wire.objects": ("textual", "httpx"),
    "lcconsole.emulator.engine": ("textual", "lcconsole.api", "lcconsole.rtm"),
    "lcconsole.emulator.server": ("textual", "lcconsole.api", "lcconsole.rtm"),
    "lcconsole.emulator.embedded": ("textual", "lcconsole.api", "lcconsole.rtm"),
    "lcconsole.emulator.cli": ("textual", "lcconsole.api", "lcconsole.rtm"),
}


@pytest.mark.parametrize("module", sorted(LAYERS))
def test_layer_does_not_import_what_it_must_not(module):
    forbidden = LAYERS[module]
    code = (
        f"import importlib, sys; importlib.import_module({module!r}); "
        f"bad = sorted(m for m in sys.modules "
        f"if any(m == f or m.startswith(f + '.') for f in {forbidden!r})); print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} imported {out.stdout.strip()}"
