"""`Hub.call`: engine calls run in the engine thread, those of one loop turn together in one
transaction (`Engine.run_batch`); the loop waits on them only briefly, and only when the engine
thread was idle (`hub.IDLE_ENGINE_WAIT`)."""

from __future__ import annotations

import asyncio
import functools
import json
import threading
import time

import pytest
from fake_engine import FakeEngine

from lcconsole.emulator import dialects
from lcconsole.emulator import hub as hub_module
from lcconsole.emulator.contract import ErrorReply, attempt
from lcconsole.emulator.engine import Engine
from lcconsole.emulator.hub import Hub


@pytest.fixture
def hub():
    hub = Hub(FakeEngine())
    yield hub
    hub.close()


def on_thread(name: str) -> str:
    return threading.current_thread().name + ":" + name


async def turns(n: int) -> None:
    """Let the event loop run `n` turns."""
    for _ in range(n):
        await asyncio.sleep(0)


async def test_a_call_runs_in_the_engine_thread_and_returns_or_raises(hub):
    assert (await hub.call(on_thread, "x")).startswith("lcconsole-engine")

    def fails() -> None:
        raise ErrorReply("not_found", "Chat X not found")

    with pytest.raises(ErrorReply) as caught:
        await hub.call(fails)
    assert caught.value.type == "not_found"


class BrokenBatches(FakeEngine):
    def run_batch(self, calls):
        raise RuntimeError("the batch failed as a whole")


async def test_a_batch_that_fails_as_a_whole_fails_each_of_its_calls():
    hub = Hub(BrokenBatches())
    try:
        results = await asyncio.gather(hub.call(len, "a"), hub.call(len, "bb"), return_exceptions=True)
        assert [str(r) for r in results] == ["the batch failed as a whole"] * 2
        assert await hub.call(len, "alone") == 5  # one call is no batch
    finally:
        hub.close()


async def test_a_slow_call_leaves_the_loop_running(hub):
    """The call can only end once the loop runs a timer: had the loop blocked until the call
    returned, `release.wait` would time out and give False."""
    release = threading.Event()
    asyncio.get_running_loop().call_later(0.05, release.set)
    assert await asyncio.wait_for(hub.call(release.wait, 10), 10) is True


async def test_a_call_queued_behind_a_busy_engine_does_not_block_the_loop(hub, monkeypatch):
    monkeypatch.setattr(hub_module, "IDLE_ENGINE_WAIT", 0.3)
    release = threading.Event()
    busy = asyncio.ensure_future(hub.call(release.wait, 10))
    await turns(3)  # the busy call is handed over; the loop's wait on it ends after 0.3 s
    start = time.perf_counter()
    queued = asyncio.ensure_future(hub.call(on_thread, "queued"))
    await turns(3)
    blocked = time.perf_counter() - start
    release.set()
    assert await busy is True and (await queued).endswith(":queued")
    assert blocked < 0.15, blocked


class BatchSizes(FakeEngine):
    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def run_batch(self, calls):
        self.sizes.append(len(calls))
        return [attempt(call) for call in calls]


async def test_calls_made_while_a_batch_runs_go_together_once_it_is_done(monkeypatch):
    monkeypatch.setattr(hub_module, "IDLE_ENGINE_WAIT", 0.01)
    engine = BatchSizes()
    hub = Hub(engine)
    try:
        release = threading.Event()
        busy = asyncio.ensure_future(asyncio.gather(hub.call(release.wait, 10), hub.call(len, "x")))
        await asyncio.sleep(0.05)  # the loop's own wait on the busy batch is over
        queued = []
        for text in ("a", "bb", "ccc"):  # three separate turns of the loop
            queued.append(asyncio.ensure_future(hub.call(len, text)))
            await turns(2)
        assert engine.sizes == [2]  # nothing more went to the engine while it was busy
        release.set()
        assert await busy == [True, 1]
        assert [await q for q in queued] == [1, 2, 3]
        assert engine.sizes == [2, 3]
        assert await hub.call(len, "alone") == 5  # an idle engine again takes a call at once
    finally:
        hub.close()


def send(engine: Engine, token: str, chat_id: str, text: str):
    principal = engine.authenticate(token)
    return dialects.execute(
        engine, "3.0", principal, "send_event", {"chat_id": chat_id, "event": {"type": "message", "text": text}}
    )


@pytest.fixture
def chat():
    engine = Engine()
    engine.seed("empty")
    token = engine.agent_credentials()[0]["token"]
    customer = engine.authenticate(engine.create_customer_token("Ann").payload["access_token"], "customer")
    started = engine.execute(
        customer, "start_chat", {"chat": {"thread": {"events": [{"type": "message", "text": "hi"}]}}}
    )
    yield engine, token, started.payload["chat"]["id"]
    engine.close()


def texts(engine: Engine, chat_id: str) -> list[str]:
    rows = engine.conn.execute("SELECT body FROM events WHERE chat_id=? ORDER BY ord", (chat_id,))
    return [json.loads(body)["text"] for (body,) in rows]


async def test_calls_of_one_loop_turn_share_one_commit_and_fail_alone(chat):
    engine, token, chat_id = chat
    hub = Hub(engine)
    commits: list[str] = []
    engine.conn.set_trace_callback(lambda sql: commits.append(sql) if sql == "COMMIT" else None)
    try:
        results = await asyncio.gather(
            hub.call(send, engine, token, chat_id, "one"),
            hub.call(send, engine, token, "NOSUCHCHAT", "lost"),
            hub.call(send, engine, token, chat_id, "two"),
            return_exceptions=True,
        )
    finally:
        engine.conn.set_trace_callback(None)
        hub.close()
    assert [type(r).__name__ for r in results] == ["Outcome", "ErrorReply", "Outcome"]
    assert results[1].type == "not_found"
    assert [r.payload["event"]["text"] for r in (results[0], results[2])] == ["one", "two"]
    assert commits == ["COMMIT"]
    assert texts(engine, chat_id) == ["hi", "one", "two"]


def test_a_batch_whose_transaction_is_lost_runs_its_successes_again_alone(chat):
    engine, token, chat_id = chat

    def lose_the_transaction() -> None:
        engine.conn.execute("ROLLBACK")  # as an interrupted write may do
        raise ErrorReply("request_timeout")

    results = engine.run_batch(
        [
            functools.partial(send, engine, token, chat_id, "one"),
            lose_the_transaction,
            functools.partial(send, engine, token, chat_id, "two"),
        ]
    )
    assert [ok for ok, _ in results] == [True, False, True]
    assert results[1][1].type == "request_timeout"
    assert texts(engine, chat_id) == ["hi", "one", "two"]
    assert [results[0][1].payload["event"]["id"], results[2][1].payload["event"]["id"]] == [
        e
        for e in engine.conn.execute("SELECT id FROM events WHERE chat_id=? ORDER BY ord", (chat_id,)).fetchall()[1:]
        for e in [e[0]]
    ]
