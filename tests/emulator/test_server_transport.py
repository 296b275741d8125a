"""Transport behaviour of the emulator server, against a fake engine (no dependence on semantics):
body decoding, envelopes for every kind of bad input, limits, RTM framing and push fan-out."""

from __future__ import annotations

import asyncio
import functools
import json

import _rtm_frames as frames
import pytest
from _rtm_frames import recv, response_to
from fake_engine import FakeEngine
from websockets.asyncio.client import connect

from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.wire.actions import MAX_UPLOAD_BYTES
from tests import loopback

A1, A2 = "Bearer tok1", "Bearer tok2"


@pytest.fixture(scope="module")
def fake():
    server = EmbeddedEmulator(seed="empty", simulate=False, engine_factory=FakeEngine, login_timeout=1.0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def http(fake):
    async with loopback.async_client(base_url=fake.info.base_url, timeout=10) as client:
        yield client


def engine_of(server) -> FakeEngine:
    return server.call(lambda: server.app.state.engine)


async def post(http, action, body: bytes | None = None, token=A1, ctype="application/json", headers=None):
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = token
    if ctype:
        headers["Content-Type"] = ctype
    return await http.post(f"/v3.0/agent/action/{action}", content=body, headers=headers)


def assert_envelope(resp, status, type_):
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error"} and body["error"]["type"] == type_, body
    assert body["error"]["message"]
    return body["error"]["message"]


async def test_wrapped_and_plain_bodies_reach_the_engine_identically(fake, http):
    payload = {"chat_id": "C1", "event": {"type": "message", "text": "hi"}}
    r1 = await post(http, "send_event", json.dumps({"payload": payload, "author_id": "bot"}).encode())
    r2 = await post(http, "send_event", json.dumps(payload).encode())
    assert r1.status_code == r2.status_code == 200
    calls = [c for c in engine_of(fake).calls if c[1] == "send_event"][-2:]
    assert calls[0][2] == calls[1][2] == payload


async def test_no_payload_action_answers_empty_object(http):
    resp = await post(http, "close_thread", b'{"chat_id": "C1"}')
    assert resp.status_code == 200 and resp.json() == {}


@pytest.mark.parametrize(
    "body, ctype, fragment",
    [
        (b"{not json", "application/json", "Malformed JSON"),
        (b"[1, 2]", "application/json", "array"),
        (b'"text"', "application/json", "a str"),
        (b'{"payload": [1]}', "application/json", "payload"),
        (b"\xff\xfe", "application/json", "Malformed JSON"),
        (b"chat_id=C1", "application/x-www-form-urlencoded", "Content-Type"),
        (b'{"chat_id": 5, "event": {}}', "application/json", "chat_id"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", "nested too deeply"),
    ],
)
async def test_malformed_bodies_are_validation_envelopes(http, body, ctype, fragment):
    message = assert_envelope(await post(http, "send_event", body, ctype=ctype), 400, "validation")
    assert fragment in message


async def test_unknown_action_wrong_method_and_path_are_envelopes(http):
    assert "frobnicate" in assert_envelope(await post(http, "frobnicate", b"{}"), 404, "not_found")
    assert "RTM" in assert_envelope(await post(http, "login", b"{}"), 404, "not_found")
    resp = await http.get("/v3.0/agent/action/send_event")
    assert_envelope(resp, 405, "validation")
    assert resp.headers["allow"] == "POST"
    assert_envelope(await http.get("/nowhere"), 404, "not_found")
    assert_envelope(await http.get("/v3.0/agent/rtm/ws"), 404, "not_found")
    assert_envelope(await http.get("/files/missing.png"), 404, "not_found")


@pytest.mark.parametrize("token", [None, "tok1", "Basic dG9rMQ==", "Bearer", "Bearer wrong"])
async def test_missing_or_bad_token_is_401(http, token):
    assert_envelope(await post(http, "get_chats_summary", b"{}", token=token), 401, "authentication")


@pytest.mark.parametrize("body, ctype", [(b"{not json", "application/json"), (b"{}", "text/plain")])
async def test_bad_token_wins_over_a_bad_body(http, body, ctype):
    assert_envelope(
        await post(http, "get_chats_summary", body, token="Bearer wrong", ctype=ctype), 401, "authentication"
    )
    assert_envelope(await post(http, "get_chats_summary", body, ctype=ctype), 400, "validation")


async def test_a_json_action_is_one_engine_call(fake, http):
    hub = fake.call(lambda: fake.app.state.hub)
    seen = []
    original = hub.call

    async def counting(fn, *args):
        seen.append(fn)
        return await original(fn, *args)

    hub.call = counting
    try:
        resp = await post(
            http, "send_event", json.dumps({"chat_id": "C1", "event": {"type": "message", "text": "one hop"}}).encode()
        )
    finally:
        del hub.call
    assert resp.status_code == 200, resp.text
    assert len(seen) == 1  # authentication and the action run in one thread hop


async def test_unexpected_engine_exception_is_an_internal_envelope(fake, http):
    fake.call(lambda: fake.app.state.engine.tokens.__setitem__("tok1", "a1@example.com"))
    # "boom" is not a Web action, so reach the engine through the customer side instead
    async with loopback.async_client(base_url=fake.info.base_url) as c:
        from lcconsole.emulator import http_routes

        original = http_routes.CUSTOMER_ACTIONS
        http_routes.CUSTOMER_ACTIONS = (*original, "boom")
        try:
            token = (await c.post("/customer/token", json={})).json()["access_token"]
            resp = await c.post("/v3.0/customer/action/boom", json={}, headers={"Authorization": f"Bearer {token}"})
        finally:
            http_routes.CUSTOMER_ACTIONS = original
    assert_envelope(resp, 500, "internal")
    assert "Traceback" not in resp.text


async def test_multipart_upload_is_served_back_byte_identical(http):
    data = bytes(range(256)) * 300
    resp = await http.post(
        "/v3.0/agent/action/send_file",
        headers={"Authorization": A1},
        data={"payload.chat_id": "C1", "payload.custom_id": "c-1", "payload.require_active_thread": "false"},
        files={"payload.file": ("blob.bin", data, "application/octet-stream")},
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["fields"] == {"chat_id": "C1", "custom_id": "c-1", "require_active_thread": False}
    back = await http.get(body["url"])
    assert back.status_code == 200 and back.content == data
    assert back.headers["content-type"] == "application/octet-stream"


async def test_multipart_action_with_json_and_json_action_with_multipart_are_refused(http):
    assert "multipart" in assert_envelope(await post(http, "send_file", b'{"chat_id":"C1"}'), 400, "validation")
    resp = await http.post(
        "/v3.0/agent/action/send_event",
        headers={"Authorization": A1},
        data={"chat_id": "C1"},
        files={"file": ("a", b"x")},
    )
    assert "json" in assert_envelope(resp, 400, "validation")


async def test_file_over_10_mb_is_413(http):
    resp = await http.post(
        "/v3.0/agent/action/upload_image",
        headers={"Authorization": A1},
        files={"payload.image": ("big.png", b"\0" * (MAX_UPLOAD_BYTES + 1), "image/png")},
    )
    assert_envelope(resp, 413, "entity_too_large")


async def raw_status(info, headers: bytes, chunks=(), timeout=5.0) -> bytes:
    """Send a request head (and body pieces) over a raw socket; the response head."""
    host, port = info.base_url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        b"POST /v3.0/agent/action/send_event HTTP/1.1\r\nHost: x\r\n"
        b"Authorization: Bearer tok1\r\nContent-Type: application/json\r\n" + headers + b"\r\n"
    )
    for chunk in chunks:
        writer.write(chunk)
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    finally:
        writer.close()


async def test_oversized_body_is_refused_while_streaming(fake):
    """12 MB of a chunked body that never ends, or a huge declared length with no body at all:
    the 413 comes without waiting for the rest."""
    piece = b" " * 100_000
    chunked = [b"%x\r\n%s\r\n" % (len(piece), piece)] * 120
    head = await raw_status(fake.info, b"Transfer-Encoding: chunked\r\n", chunked)
    assert head.startswith(b"HTTP/1.1 413")
    head = await raw_status(fake.info, b"Content-Length: %d\r\n" % (50 * 1024 * 1024))
    assert head.startswith(b"HTTP/1.1 413")


async def test_rate_limit_answers_429_with_retry_after():
    with EmbeddedEmulator(seed="empty", simulate=False, engine_factory=FakeEngine, rate_limit=2) as info:
        async with loopback.async_client(base_url=info.base_url) as c:
            statuses = []
            for _ in range(12):
                resp = await post(c, "get_chats_summary", b"{}")
                statuses.append(resp.status_code)
                if resp.status_code == 429:
                    assert_envelope(resp, 429, "too_many_requests")
                    assert int(resp.headers["retry-after"]) >= 1
            assert statuses[:2] == [200] * 2 and 429 in statuses
            other = await post(c, "get_chats_summary", b"{}", token=A2)  # per caller
            assert other.status_code == 200


async def test_customer_token_and_customer_action(http):
    creds = (await http.post("/customer/token", json={"name": "Zed", "email": "z@example.com"})).json()
    assert set(creds) == {"customer_id", "access_token"}
    assert_envelope(await http.post("/customer/token", json={"name": 5}), 400, "validation")
    ok = await http.post(
        "/v3.0/customer/action/get_chat_threads",
        json={"chat_id": "C1"},
        headers={"Authorization": f"Bearer {creds['access_token']}"},
    )
    assert ok.status_code == 200
    agent_token = await http.post(
        "/v3.0/customer/action/get_chat_threads", json={"chat_id": "C1"}, headers={"Authorization": A1}
    )
    assert_envelope(agent_token, 401, "authentication")
    assert_envelope(
        await http.post(
            "/v3.0/customer/action/get_customers", json={}, headers={"Authorization": f"Bearer {creds['access_token']}"}
        ),
        404,
        "not_found",
    )


# --- RTM -------------------------------------------------------------------------------------


until = functools.partial(frames.until, limit=50)


async def login(ws, token, request_id="login-1") -> dict:
    await ws.send(json.dumps({"request_id": request_id, "action": "login", "payload": {"token": token}}))
    frame, _ = await until(ws, response_to(request_id))
    return frame


async def test_rtm_login_ping_and_bad_login(fake):
    async with connect(fake.info.rtm_url) as ws:
        bad = await login(ws, "Bearer nope")
        assert bad == {
            "request_id": "login-1",
            "action": "login",
            "type": "response",
            "success": False,
            "payload": {"error": {"type": "authentication", "message": "Invalid access token"}},
        }
        await ws.send(json.dumps({"request_id": "x", "action": "get_chats_summary", "payload": {}}))
        assert (await until(ws, response_to("x")))[0]["payload"]["error"]["type"] == "authentication"
        ok = await login(ws, A1, "login-2")
        assert ok["success"] is True and ok["payload"]["my_profile"]["id"] == "a1@example.com"
        await ws.send(json.dumps({"request_id": "p", "action": "ping", "payload": {}}))
        assert (await until(ws, response_to("p")))[0] == {
            "request_id": "p",
            "action": "ping",
            "type": "response",
            "success": True,
            "payload": {},
        }
        await ws.send(json.dumps({"request_id": "f", "action": "send_file", "payload": {"chat_id": "C1"}}))
        assert (await until(ws, response_to("f")))[0]["payload"]["error"]["type"] == "validation"


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        "[1,2]",
        '"str"',
        '{"payload": {}}',
        '{"action": 7}',
        '{"action": "ping", "payload": [1]}',
        "[" * 100_000 + "]" * 100_000,
    ],
)
async def test_rtm_malformed_frame_gets_error_and_socket_stays_usable(fake, frame):
    async with connect(fake.info.rtm_url) as ws:
        await ws.send(frame)
        error = await recv(ws)
        assert error["type"] == "response" and error["success"] is False
        assert error["payload"]["error"]["type"] == "validation"
        assert (await login(ws, A1))["success"] is True


async def test_rtm_pushes_reach_the_right_sockets_with_request_id_only_on_the_requesters_copy(fake):
    async with connect(fake.info.rtm_url) as a1, connect(fake.info.rtm_url) as a1b, connect(fake.info.rtm_url) as a2:
        for ws, token in ((a2, A2), (a1, A1), (a1b, A1)):
            assert (await login(ws, token))["success"]
        event = {"chat_id": "C1", "event": {"type": "message", "text": "hello"}}
        await a1.send(json.dumps({"request_id": "r7", "action": "send_event", "payload": event}))
        response, _ = await until(a1, response_to("r7"))
        assert response["success"] and response["payload"]["event_id"]
        own, _ = await until(a1, lambda f: f.get("action") == "incoming_event")
        other, _ = await until(a1b, lambda f: f.get("action") == "incoming_event")
        assert own["request_id"] == "r7" and own["type"] == "push"
        assert "request_id" not in other and other["payload"] == own["payload"]
        assert other["payload"]["event"]["text"] == "hello"
        await a2.send(json.dumps({"request_id": "sentinel", "action": "ping"}))
        _, before = await until(a2, response_to("sentinel"))
        assert all(f.get("action") != "incoming_event" for f in before)
        # HTTP requests fan out too, without any request_id
        resp = await post(loopback.async_client(base_url=fake.info.base_url), "send_event", json.dumps(event).encode())
        assert resp.status_code == 200
        via_http, _ = await until(a1, lambda f: f.get("action") == "incoming_event")
        assert "request_id" not in via_http and via_http["payload"]["event"]["id"] == resp.json()["event_id"]


async def test_rtm_presence_on_first_login_and_last_close(fake):
    engine = engine_of(fake)
    mark = len(engine.presence)
    first = await connect(fake.info.rtm_url)
    second = await connect(fake.info.rtm_url)
    await login(first, A2)
    await login(second, A2)
    await first.close()
    await asyncio.sleep(0.1)
    assert fake.call(lambda: list(engine.presence[mark:])) == [("a2@example.com", True)]
    await second.close()
    for _ in range(50):
        if len(fake.call(lambda: list(engine.presence))) > mark + 1:
            break
        await asyncio.sleep(0.02)
    assert fake.call(lambda: list(engine.presence[mark:])) == [("a2@example.com", True), ("a2@example.com", False)]


async def test_rtm_more_than_10_pending_requests_are_refused(fake):
    async with connect(fake.info.rtm_url) as ws:
        await login(ws, A1)
        await ws.send(json.dumps({"request_id": "warm", "action": "ping"}))
        await until(ws, response_to("warm"))
        burst = 40
        for i in range(burst):  # queued in the protocol, then written in one piece
            ws.protocol.send_text(json.dumps({"request_id": f"b{i}", "action": "ping", "payload": {}}).encode())
        ws.transport.write(b"".join(ws.protocol.data_to_send()))
        answers = {}
        while len(answers) < burst:
            frame = await recv(ws)
            answers[frame["request_id"]] = frame
        refused = [f for f in answers.values() if not f["success"]]
        assert refused and all(f["payload"]["error"]["type"] == "pending_requests_limit_reached" for f in refused)
        assert sum(f["success"] for f in answers.values()) >= 10
        await ws.send(json.dumps({"request_id": "after", "action": "ping"}))
        assert (await until(ws, response_to("after")))[0]["success"] is True


async def test_rtm_no_login_in_time_gets_connection_timeout_and_close(fake):
    async with connect(fake.info.rtm_url) as ws:
        frame = await recv(ws, timeout=3)
        assert frame == {"action": "agent_disconnected", "type": "push", "payload": {"reason": "connection_timeout"}}
        await asyncio.wait_for(ws.wait_closed(), 3)
