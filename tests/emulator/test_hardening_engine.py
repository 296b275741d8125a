"""Hardening: no request stalls the emulator (issue 16, findings 2 and 6), over real sockets.

The engine runs in the hub's engine thread, never on the event loop; each engine call has a time
limit (`request_timeout`); search and filter sizes are bounded so even the slowest legal query
is short, and oversized ones are `validation` errors, never `internal`.
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from _rtm_frames import response_to, until
from websockets.asyncio.client import connect

from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.wire.actions import ALL_SCOPES
from lcconsole.wire.limits import FILTER_VALUES, PROPERTY_FILTERS, SEARCH_QUERY_CHARS
from tests import loopback

OTHER = "agent2@example.com"
BOUND = 1.0
"""Seconds another caller may wait while one caller runs its slowest query (generous for 2 busy cores)."""


@pytest.fixture(scope="module")
def server():
    server = EmbeddedEmulator(seed="empty", simulate=False, agents=[(OTHER, ALL_SCOPES)])
    info = server.start()
    with loopback.client(timeout=10) as http:
        for _ in range(10):  # ten closed threads, each with a 16 KB message of "a"
            customer = http.post(info.customer_token_url, json={"name": "Ann"}).json()
            headers = {"Authorization": f"Bearer {customer['access_token']}"}
            url = info.base_url + "/v3.0/customer/action/"
            chat = http.post(
                url + "start_chat",
                headers=headers,
                json={"chat": {"thread": {"events": [{"type": "message", "text": "a" * 16000}]}}},
            ).json()["chat"]
            http.post(url + "close_thread", headers=headers, json={"chat_id": chat["id"]})
    yield server
    server.stop()


def headers(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


async def ping(ws, request_id: str) -> float:
    """Seconds until the socket answers a ping."""
    start = time.perf_counter()
    await ws.send(json.dumps({"request_id": request_id, "action": "ping"}))
    frame, _ = await until(ws, response_to(request_id))
    assert frame["success"] is True
    return time.perf_counter() - start


async def timed(coro) -> tuple[float, object]:
    start = time.perf_counter()
    result = await coro
    return time.perf_counter() - start, result


async def test_a_busy_engine_does_not_stall_sockets(server):
    """An engine call that takes long (here: 0.8 s) leaves pings on every socket answered at once."""
    info = server.info
    async with connect(info.rtm_url) as ws:
        await ws.send(json.dumps({"request_id": "login", "action": "login", "payload": {"token": info.token}}))
        await until(ws, response_to("login"))
        hub = server.app.state.hub
        busy = server.call(lambda: asyncio.ensure_future(hub.call(time.sleep, 0.8)))
        await asyncio.sleep(0.05)
        assert not busy.done()
        assert await ping(ws, "p1") < 0.3
        async with connect(info.rtm_url) as fresh:  # even a new socket, before its login
            assert await ping(fresh, "p2") < 0.3


ARCHIVES = {
    "3.0": ("get_archives", lambda r: r["pagination"]["total"]),
    "3.6": ("list_archives", lambda r: r["found_chats"]),
}


@pytest.mark.parametrize("version", ["3.0", "3.6"])
@pytest.mark.parametrize(
    "query", ["a" * (SEARCH_QUERY_CHARS - 1) + "b", "a" * 8000 + "b"], ids=["slowest-legal", "crafted-8000"]
)
async def test_slowest_archive_query_does_not_delay_another_caller(server, query, version):
    info = server.info
    action, found = ARCHIVES[version]
    async with loopback.async_client(base_url=info.base_url, timeout=10) as http, connect(info.rtm_url) as ws:
        await ws.send(
            json.dumps({"request_id": "login", "action": "login", "payload": {"token": info.token_of(OTHER)}})
        )
        await until(ws, response_to("login"))
        slow = asyncio.create_task(
            timed(
                http.post(
                    f"/v{version}/agent/action/{action}",
                    json={"filters": {"query": query}},
                    headers=headers(info.token),
                )
            )
        )
        await asyncio.sleep(0.01)
        other, summary = await timed(
            http.post(
                "/v3.0/agent/action/get_chats_summary", json={"limit": 100}, headers=headers(info.token_of(OTHER))
            )
        )
        pinged = await ping(ws, "p")
        took, answer = await slow
        assert summary.status_code == 200
        assert other < BOUND and pinged < BOUND, (other, pinged, took)
        if len(query) > SEARCH_QUERY_CHARS:
            assert answer.status_code == 400
            assert answer.json()["error"]["type"] == "validation"
            assert "filters.query" in answer.json()["error"]["message"]
        else:
            assert answer.status_code == 200, answer.text
            assert found(answer.json()) == 0


def test_v36_archive_search_is_a_substring_not_a_pattern(server):
    """`%` and `_` are plain characters; the match ignores ASCII case, as in v3.0."""
    url = server.info.base_url + "/v3.6/agent/action/list_archives"
    with loopback.client(timeout=30) as http:

        def found(query: str) -> int:
            answer = http.post(url, json={"filters": {"query": query}}, headers=headers(server.info.token))
            assert answer.status_code == 200, answer.text
            return answer.json()["found_chats"]

        assert found("A" * 100) == 10 and found("a%a") == 0 and found("a_a") == 0


@pytest.mark.parametrize(
    "filters",
    [
        {"query": "x" * 50_000},
        {"properties": {f"ns{i}": {"p": {"exists": True}} for i in range(1000)}},
        {"properties": {"routing": {"p": {"values": list(range(250_001))}}}},
        {"agent_ids": ["a@example.com"] * (FILTER_VALUES + 1)},
        {"group_ids": list(range(FILTER_VALUES + 1))},
    ],
    ids=["query-50k", "1000-property-filters", "250001-values", "agent-ids", "group-ids"],
)
def test_oversized_filters_are_validation_errors_not_internal(server, filters):
    with loopback.client(base_url=server.info.api_url, timeout=30) as http:
        answer = http.post("/get_archives", json={"filters": filters}, headers=headers(server.info.token))
    kind = answer.json()["error"]["type"]  # a body too big to even read: entity_too_large
    assert (answer.status_code, kind) in {(400, "validation"), (413, "entity_too_large")}, kind


def test_limits_leave_room_for_real_filters(server):
    filters = {
        "properties": {"ns": {f"p{i}": {"values": list(range(FILTER_VALUES))} for i in range(PROPERTY_FILTERS)}},
        "query": "a" * SEARCH_QUERY_CHARS,
        "group_ids": list(range(FILTER_VALUES)),
    }
    with loopback.client(base_url=server.info.api_url, timeout=30) as http:
        answer = http.post("/get_archives", json={"filters": filters}, headers=headers(server.info.token))
    assert answer.status_code == 200, answer.text


def test_a_call_past_the_time_limit_is_request_timeout_and_rolled_back():
    """With a limit no statement can meet, a real query is interrupted: 504 `request_timeout`,
    the transaction rolled back, and the server keeps answering."""
    server = EmbeddedEmulator(seed="demo", simulate=False, request_timeout=1e-9)
    info = server.start()
    try:
        with loopback.client(base_url=info.api_url, timeout=10, headers=headers(info.token)) as http:
            for _ in range(2):
                answer = http.post("/get_archives", json={"filters": {"query": "order"}})
                assert answer.status_code == 504, answer.text[:200]
                assert answer.json()["error"] == {"type": "request_timeout", "message": "Request timed out"}
        engine = server.app.state.engine
        assert server.call(lambda: engine.conn.in_transaction) is False
    finally:
        server.stop()


def test_rate_limit_covers_rtm_too_and_pings_stay_free():
    """Finding 11: with --rate-limit the RTM socket shares the caller's bucket with the Web API."""
    with EmbeddedEmulator(seed="empty", simulate=False, rate_limit=1) as info:

        async def burst() -> dict:
            async with connect(info.rtm_url) as ws:
                await ws.send(json.dumps({"request_id": "login", "action": "login", "payload": {"token": info.token}}))
                await until(ws, response_to("login"))
                for i in range(4):
                    await ws.send(json.dumps({"request_id": f"s{i}", "action": "get_chats_summary"}))
                answers: dict = {}
                while len(answers) < 4:  # refusals may overtake the first answer
                    frame, _ = await until(ws, lambda f: f.get("type") == "response")
                    answers[frame["request_id"]] = frame
                assert await ping(ws, "free") < BOUND
                return answers

        answers = asyncio.run(burst())
    refused = [a for a in answers.values() if not a["success"]]
    assert refused and all(a["payload"]["error"]["type"] == "too_many_requests" for a in refused)
