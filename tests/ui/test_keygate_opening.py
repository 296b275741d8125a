"""The KeyGate's announcements (no app): which flows still hold the keys typed after theirs."""

from __future__ import annotations

import asyncio

from lcconsole.ui.keygate import KeyGate


async def test_an_announced_flow_holds_until_it_pushes_or_ends():
    gate = KeyGate(app=None, forward=None)  # type: ignore[arg-type]
    pushed, silent = gate.opening(), gate.opening()  # announced by the key's action, not yet running
    assert len(gate._opening) == 2

    async def pushes() -> None:
        with pushed:
            await asyncio.sleep(0)  # (the server call before the modal)
            gate.opened()
            assert len(gate._opening) == 1  # only this flow's announcement went
            await asyncio.sleep(0)  # (waiting for the modal's answer)

    async def ends_without_a_modal() -> None:
        with silent:
            await asyncio.sleep(0)
            assert silent in gate._opening

    await asyncio.gather(asyncio.create_task(pushes()), asyncio.create_task(ends_without_a_modal()))
    assert not gate._opening
    gate.opened()  # outside any flow: nothing to do
    assert not gate._opening
