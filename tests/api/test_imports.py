"""`import lcconsole.api` (and the api CLI) must not load Textual."""

from __future__ import annotations

import subprocess
import sys


def test_api_imports_no_textual():
    code = (
        "import lcconsole.api, lcconsole.cli.api_cmd, lcconsole.wire.objects, sys; "
        "bad = [m for m in sys.modules if m.startswith('textual')]; assert not bad, bad"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_rtm_imports_no_httpx_and_no_textual():
    code = (
        "import lcconsole.rtm.connection, sys; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('httpx', 'textual')]; "
        "assert not bad, bad"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
