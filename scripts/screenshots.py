"""Regenerate screenshots/*.svg from the same deterministic fixture world as the snapshot tests.

.venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "ui"))

from fixture_world import fill, fixture_app  # noqa: E402  (importable only once tests/ui is on sys.path, above)

SHOTS = [
    # (file, theme, size, keys pressed after filling)
    ("main-dark-160x48.svg", "textual-dark", (160, 48), ()),
    ("main-light-160x48.svg", "textual-light", (160, 48), ()),
    ("main-80x24.svg", "textual-dark", (80, 24), ()),
    ("help.svg", "textual-dark", (120, 40), ("f1",)),
    ("palette.svg", "textual-dark", (120, 32), ("ctrl+p",)),
]


async def shoot(name: str, theme: str, size: tuple[int, int], keys: tuple[str, ...]) -> Path:
    app = fixture_app(theme)
    async with app.run_test(size=size) as pilot:
        await fill(app, pilot)
        if keys:
            await pilot.press(*keys)
        await pilot.pause(0.3)
        path = ROOT / "screenshots" / name
        app.save_screenshot(filename=name, path=str(path.parent))
    return path


async def main() -> None:
    (ROOT / "screenshots").mkdir(exist_ok=True)
    for shot in SHOTS:
        print(await shoot(*shot))


if __name__ == "__main__":
    asyncio.run(main())
