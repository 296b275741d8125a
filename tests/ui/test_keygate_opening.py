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


async def test_keys_typed_after_a_modals_answer_wait_for_what_the_flow_does_next():
    """A flow asks, gets the answer, then calls the server or asks again: announced again from
    the answer (set inside the key that dismissed the modal) until its next push or its end."""
    gate = KeyGate(app=None, forward=None)  # type: ignore[arg-type]
    flow = gate.opening()
    answered: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    going_on, done = asyncio.Event(), asyncio.Event()

    async def asks_then_calls() -> None:
        with flow:
            gate.opened(answered)
            assert not gate._opening  # the modal is up: keys go to it
            await answered
            await going_on.wait()  # (the server call after the answer)
        done.set()

    task = asyncio.create_task(asks_then_calls())
    await asyncio.sleep(0)
    answered.set_result("picked")
    await asyncio.sleep(0)  # the answer's callbacks run before the dismissing key is released
    assert gate._opening == {flow}
    going_on.set()
    await done.wait()
    assert not gate._opening
    await task
