"""Property-based fuzzing of every action over HTTP and RTM (issue 5, item 6): whatever the body,
the answer is a 2xx or a LiveChat envelope with a non-5xx status, the server stays up, and the
state stays consistent (every chat listed can be read back, SQLite integrity holds)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import connect

from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.wire.actions import ACTIONS, CUSTOMER_ACTIONS
from lcconsole.wire.errors import ERROR_TYPES
from lcconsole.wire.requests import REQUEST_MODELS
from tests import loopback


@pytest.fixture(scope="module")
def fuzz_server():
    server = EmbeddedEmulator(seed="demo", simulate=False)
    info = server.start()
    with loopback.client(
        base_url=info.base_url, timeout=10, headers={"Authorization": f"Bearer {info.token}"}
    ) as client:
        chats = client.post("/v3.0/agent/action/get_chats_summary", json={"limit": 20}).json()["chats_summary"]
        server.chat_ids = [c["id"] for c in chats]
        server.client = client
        yield server
    server.stop()


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["", "all", "agents", "chat", "group", "agent", "message", "asc", "desc", "0"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12,
)


def field_names(action: str) -> list[str]:
    model = REQUEST_MODELS.get(action)
    return sorted(model.model_fields) if model else ["chat_id"]


@st.composite
def payloads(draw, action: str, chat_ids: list[str]):
    """Objects with the action's own field names (some with plausible values), plus junk."""
    names = field_names(action)
    body = {}
    for name in draw(st.lists(st.sampled_from(names), max_size=len(names), unique=True)):
        if name == "chat_id" and chat_ids and draw(st.booleans()):
            body[name] = draw(st.sampled_from(chat_ids))
        elif name == "event" and draw(st.booleans()):
            body[name] = {
                "type": draw(st.sampled_from(["message", "file", "rich_message", "custom", "x"])),
                "text": draw(values),
            }
        else:
            body[name] = draw(values)
    body.update(draw(st.dictionaries(st.text(max_size=8), values, max_size=2)))
    return body


def assert_sane(resp: httpx.Response) -> None:
    assert resp.status_code < 500, resp.text
    if resp.status_code != 200:
        error = resp.json()["error"]
        assert error["type"] in ERROR_TYPES and isinstance(error["message"], str)
    else:
        assert isinstance(resp.json(), dict)


FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("action", sorted(a for a in ACTIONS if not ACTIONS[a].multipart))
def test_fuzz_json_actions(fuzz_server, action):
    @FUZZ
    @given(body=payloads(action, fuzz_server.chat_ids), wrapped=st.booleans())
    def run(body, wrapped):
        sent = {"payload": body} if wrapped else body
        assert_sane(fuzz_server.client.post(f"/v3.0/agent/action/{action}", json=sent))

    run()


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    raw=st.one_of(
        st.binary(max_size=64), st.text(max_size=64).map(str.encode), values.map(lambda v: json.dumps(v).encode())
    ),
    action=st.sampled_from(sorted(ACTIONS)),
    ctype=st.sampled_from(["application/json", "text/plain", "multipart/form-data; boundary=x", ""]),
)
def test_fuzz_raw_bodies(fuzz_server, raw, action, ctype):
    headers = {"Content-Type": ctype} if ctype else {}
    assert_sane(fuzz_server.client.post(f"/v3.0/agent/action/{action}", content=raw, headers=headers))


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(action=st.sampled_from(sorted(CUSTOMER_ACTIONS)), data=st.data())
def test_fuzz_customer_actions(fuzz_server, action, data):
    token = fuzz_server.client.post("/customer/token", json={}).json()["access_token"]
    body = data.draw(payloads(action, fuzz_server.chat_ids))
    assert_sane(
        fuzz_server.client.post(
            f"/v3.0/customer/action/{action}", json=body, headers={"Authorization": f"Bearer {token}"}
        )
    )


rtm_frames = st.one_of(
    values.map(json.dumps),
    st.text(max_size=40),
    st.builds(
        lambda a, p: json.dumps({"request_id": "f", "action": a, "payload": p}),
        st.sampled_from(sorted(ACTIONS) + ["login", "ping", "set_away_status", "nope"]),
        values,
    ),
)


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(samples=st.lists(rtm_frames, min_size=30, max_size=30))
def test_fuzz_rtm_frames(fuzz_server, samples):
    async def run():
        async with connect(fuzz_server.info.rtm_url) as ws:
            await ws.send(
                json.dumps(
                    {"request_id": "l", "action": "login", "payload": {"token": f"Bearer {fuzz_server.info.token}"}}
                )
            )
            assert json.loads(await ws.recv())["success"]
            for frame in samples:
                await ws.send(frame)
                answer = json.loads(await asyncio.wait_for(ws.recv(), 5))
                while answer.get("type") == "push":
                    answer = json.loads(await asyncio.wait_for(ws.recv(), 5))
                assert answer["type"] == "response"
                if not answer["success"]:
                    assert answer["payload"]["error"]["type"] in ERROR_TYPES

    asyncio.run(run())


def test_state_is_consistent_after_fuzzing(fuzz_server):
    """Runs after the fuzzers in this module: everything listed reads back, the db is intact."""
    client = fuzz_server.client
    summary = client.post("/v3.0/agent/action/get_chats_summary", json={"limit": 100})
    assert summary.status_code == 200
    for chat in summary.json()["chats_summary"]:
        threads = client.post("/v3.0/agent/action/get_chat_threads", json={"chat_id": chat["id"]})
        assert threads.status_code == 200, threads.text
        for thread in threads.json()["chat"]["threads"]:
            orders = [e["order"] for e in thread["events"]]
            assert orders == sorted(orders) and len(set(orders)) == len(orders)
    engine = fuzz_server.call(lambda: fuzz_server.app.state.engine)
    assert fuzz_server.call(lambda: engine.conn.execute("PRAGMA integrity_check").fetchone()[0]) == "ok"
    assert client.post("/v3.0/agent/action/get_customers", json={"limit": 100}).status_code == 200
