"""A non-editable install carries every stylesheet the console loads."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_install_has_every_stylesheet(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("lcconsole-*.whl")
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    code = (
        "import lcconsole.ui.app as a, sys; "
        "paths = a.stylesheet_paths(); "
        f"assert all(str(p).startswith({str(target)!r}) for p in paths), paths; "
        "missing = [str(p) for p in paths if not p.exists()]; "
        "print('missing:', missing) if missing else print('ok', len(paths))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok"), out.stdout
