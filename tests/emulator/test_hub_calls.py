"""`Hub.call`: an engine call runs in the engine thread; the loop waits on it only briefly, and
only when the engine thread was idle (`hub.IDLE_ENGINE_WAIT`)."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from fake_engine import FakeEngine

from lcconsole.emulator import hub as hub_module
from lcconsole.emulator.contract import ErrorReply
from lcconsole.emulator.hub import Hub


@pytest.fixture
def hub():
    hub = Hub(FakeEngine())
    yield hub
    hub.close()


def on_thread(name: str) -> str:
    return threading.current_thread().name + ":" + name


async def test_a_call_runs_in_the_engine_thread_and_returns_or_raises(hub):
    assert (await hub.call(on_thread, "x")).startswith("lcconsole-engine")

    def fails() -> None:
        raise ErrorReply("not_found", "Chat X not found")

    with pytest.raises(ErrorReply) as caught:
        await hub.call(fails)
    assert caught.value.type == "not_found"


async def test_a_slow_call_leaves_the_loop_running(hub):
    """The call can only end once the loop runs a callback: had the loop blocked until the call
    returned, `release.wait` would time out and give False."""
    release = threading.Event()
    asyncio.get_running_loop().call_soon(release.set)
    assert await asyncio.wait_for(hub.call(release.wait, 10), 10) is True


async def test_a_call_queued_behind_a_busy_engine_does_not_block_the_loop(hub, monkeypatch):
    monkeypatch.setattr(hub_module, "IDLE_ENGINE_WAIT", 0.3)
    release = threading.Event()
    busy = asyncio.ensure_future(hub.call(release.wait, 10))
    await asyncio.sleep(0)  # the busy call's wait on the loop ends after 0.3 s
    start = time.perf_counter()
    queued = asyncio.ensure_future(hub.call(on_thread, "queued"))
    await asyncio.sleep(0)
    blocked = time.perf_counter() - start
    release.set()
    assert await busy is True and (await queued).endswith(":queued")
    assert blocked < 0.15, blocked
