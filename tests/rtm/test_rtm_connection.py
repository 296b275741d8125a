"""RtmConnection against a fake RTM server on loopback: login, requests, pushes, ping, secrets."""

from __future__ import annotations

import asyncio
import logging

import pytest
from rtm_fake import GOOD_TOKEN, PUSH_SAMPLES

from lcconsole.errors import (
    AuthenticationError,
    AuthorizationError,
    LiveChatConnectionError,
    LiveChatTimeoutError,
    MisdirectedRequestError,
)
from lcconsole.rtm import ConnectionState, RtmConnection, UnknownPush
from lcconsole.wire.objects import LoginResponse
from lcconsole.wire.pushes import PUSH_MODELS, IncomingEventPush


async def test_login_sends_bearer_token_and_parses_response(server, fast):
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    logins = []
    conn.add_login_listener(logins.append)
    try:
        login = await conn.start()
        assert isinstance(login, LoginResponse)
        assert login.license.id == 104130623
        assert login.my_profile.id == "agent1@example.com"
        assert login.my_profile.permission == "administrator"
        assert login.chats_summary[0].id == "PJ0MRSHTDG"
        assert logins == [login]
        assert conn.state == ConnectionState("connected")
        [frame] = server.actions("login")
        assert frame["payload"]["token"] == f"Bearer {GOOD_TOKEN}"
        assert frame["payload"]["application"]["name"] == "lcconsole"
        assert "reconnect" not in frame["payload"]
        assert isinstance(frame["request_id"], str) and frame["request_id"]
    finally:
        await conn.close()
    assert server.actions("logout"), "close() logs out"
    assert conn.state.status == "offline"


async def test_token_already_prefixed_is_not_doubled(server, fast):
    conn = RtmConnection(server.base_url, f"Bearer {GOOD_TOKEN}", **fast)
    await conn.start()
    await conn.close()
    assert server.actions("login")[0]["payload"]["token"] == f"Bearer {GOOD_TOKEN}"


async def test_region_header_on_handshake(server, fast):
    conn = RtmConnection(server.base_url, GOOD_TOKEN, region="fra", **fast)
    await conn.start()
    await conn.close()
    assert server.headers[0].get("X-Region") == "fra" or server.headers[0].get("x-region") == "fra"


async def test_concurrent_calls_answered_out_of_order(server, fast):
    order = []

    async def slow(frame, ws):
        await asyncio.sleep(frame["payload"]["delay"])
        order.append(frame["payload"]["n"])
        await server.reply(ws, frame, {"n": frame["payload"]["n"]})

    server.handlers["slow"] = slow
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    await conn.start()
    try:
        delays = [0.15, 0.0, 0.1, 0.05, 0.02]
        results = await asyncio.gather(*(conn.call("slow", {"n": n, "delay": d}) for n, d in enumerate(delays)))
        assert [r["n"] for r in results] == [0, 1, 2, 3, 4]
        assert order != [0, 1, 2, 3, 4], "the server really answered out of order"
        ids = [f["request_id"] for f in server.actions("slow")]
        assert len(set(ids)) == 5
    finally:
        await conn.close()


async def test_more_than_ten_calls_wait_for_a_slot(server, fast):
    in_flight = 0
    peak = 0

    async def hold(frame, ws):
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.02)
        in_flight -= 1
        await server.reply(ws, frame, {})

    server.handlers["hold"] = hold
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    await conn.start()
    try:
        await asyncio.gather(*(conn.call("hold") for _ in range(25)))
    finally:
        await conn.close()
    assert peak <= 10
    assert len(server.actions("hold")) == 25


async def test_call_timeout(server, fast):
    async def never(frame, ws):
        pass

    server.handlers["never"] = never
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    await conn.start()
    try:
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        with pytest.raises(LiveChatTimeoutError) as info:
            await conn.call("never", {"x": 1}, timeout=0.1)
        assert 0.09 <= loop.time() - t0 < 1.0
        assert "never" in str(info.value)
        assert conn.state.status == "connected"
        assert (await conn.call("get_chats_summary", {"limit": 1})) == {"echo": {"limit": 1}}
    finally:
        await conn.close()


async def test_error_response_becomes_typed_error(server, fast):
    async def refuse(frame, ws):
        kind = frame["payload"]["kind"]
        error = {"type": kind, "message": f"no: {kind}"}
        if kind == "misdirected_request":
            error["data"] = {"region": "fra"}
        await server.reply(ws, frame, {"error": error}, success=False)

    server.handlers["refuse"] = refuse
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    await conn.start()
    try:
        with pytest.raises(AuthorizationError) as info:
            await conn.call("refuse", {"kind": "authorization"})
        assert (info.value.type, info.value.message) == ("authorization", "no: authorization")
        with pytest.raises(MisdirectedRequestError) as info:
            await conn.call("refuse", {"kind": "misdirected_request"})
        assert info.value.region == "fra"
        assert conn.state.status == "connected"
    finally:
        await conn.close()


async def test_failed_login_goes_offline_without_retrying(server, fast):
    conn = RtmConnection(server.base_url, "wrong-token", **fast)
    states = []
    conn.add_state_listener(states.append)
    with pytest.raises(AuthenticationError) as info:
        await conn.start()
    assert info.value.message == "Invalid access token"
    assert conn.state.status == "offline" and "Invalid access token" in conn.state.reason
    await asyncio.sleep(0.15)  # several backoff periods: nothing may retry
    assert len(server.connections) == 1
    assert [s.status for s in states] == ["connecting", "offline"]
    assert "wrong-token" not in repr(info.value) + str(info.value) + repr(conn)


async def test_unreachable_server_raises_connection_error(fast):
    conn = RtmConnection("http://127.0.0.1:9", GOOD_TOKEN, **fast)
    with pytest.raises(LiveChatConnectionError):
        await conn.start()
    assert conn.state.status == "offline"
    assert conn.state.reason == "cannot reach 127.0.0.1:9 (connection refused)"
    with pytest.raises(LiveChatConnectionError):
        await conn.call("get_chats_summary")


async def test_every_push_arrives_typed_and_in_order(server, fast):
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    await conn.start()
    try:
        for action, payload in PUSH_SAMPLES.items():
            if action != "agent_disconnected":
                await server.push(action, payload)
        await server.push("incoming_chat", {"chat": {}})
        await server.push("incoming_event", PUSH_SAMPLES["incoming_event"], request_id="mine-1")
        got = []
        async with asyncio.timeout(3):
            async for push in conn.pushes():
                got.append(push)
                if len(got) == len(PUSH_SAMPLES) + 1:
                    break
    finally:
        await conn.close()
    expected = [a for a in PUSH_SAMPLES if a != "agent_disconnected"]
    assert [p.action for p in got[: len(expected)]] == expected
    for push in got[: len(expected)]:
        assert type(push) is PUSH_MODELS[push.action]
    assert isinstance(got[-2], UnknownPush) and got[-2].action == "incoming_chat"
    assert isinstance(got[-1], IncomingEventPush) and got[-1].request_id == "mine-1"


async def test_pushes_iterator_ends_after_close(server, fast):
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    await conn.start()
    await server.push("agent_updated", PUSH_SAMPLES["agent_updated"])
    await asyncio.sleep(0.05)
    await conn.close()
    got = [p async for p in conn.pushes()]
    assert [p.action for p in got] == ["agent_updated"]


async def test_ping_frames_at_ping_interval(server, fast):
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **{**fast, "ping_interval": 0.05})
    await conn.start()
    try:
        await asyncio.sleep(0.32)
    finally:
        await conn.close()
    pings = server.actions("ping")
    assert 2 <= len(pings) <= 8
    assert all(p["payload"] == {} for p in pings)
    assert server.frames[0]["action"] == "login"


async def test_unanswered_ping_drops_and_reconnects(server, fast):
    calls = {"n": 0}

    async def mute_first_ping(frame, ws):
        calls["n"] += 1
        if calls["n"] > 1:
            await server.reply(ws, frame, {})

    server.handlers["ping"] = mute_first_ping
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **{**fast, "ping_interval": 0.05, "request_timeout": 0.2})
    await conn.start()
    try:
        await server.wait_logins(2)
        assert len(server.connections) == 2
    finally:
        await conn.close()


async def test_pending_calls_fail_promptly_when_socket_drops(server, fast):
    async def drop(frame, ws):
        await asyncio.sleep(0.05)
        await ws.close()

    server.handlers["doomed"] = drop
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **{**fast, "request_timeout": 5.0})
    await conn.start()
    try:
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        with pytest.raises(LiveChatConnectionError):
            await conn.call("doomed")
        assert loop.time() - t0 < 1.0
    finally:
        await conn.close()


async def test_token_never_in_logs_or_repr(server, fast, caplog):
    caplog.set_level(logging.DEBUG)
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    await conn.start()
    await conn.call("anything", {"a": 1})
    await server.drop()
    await server.wait_logins(2)
    await conn.close()
    bad = RtmConnection(server.base_url, "other-secret-token", **fast)
    with pytest.raises(AuthenticationError) as info:
        await bad.start()
    text = caplog.text + repr(conn) + repr(bad) + str(info.value) + repr(info.value) + repr(vars(bad.state))
    assert GOOD_TOKEN not in text and "other-secret-token" not in text
    assert "Bearer" not in caplog.text


async def test_garbage_frames_do_not_break_the_connection(server, fast):
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    await conn.start()
    try:
        for junk in [
            "not json",
            "[1, 2]",
            '"text"',
            '{"type": "response", "request_id": "nobody"}',
            '{"type": "response", "request_id": ["x"], "success": true}',
            b"\xff\xfe",
        ]:
            await server.live[0].send(junk)
        await server.push("agent_updated", ["not", "an", "object"])
        await server.live[0].send('{"action": "thread_closed", "payload": {"chat_id": "C", "thread_id": "T"}}')
        assert await conn.call("still", {"ok": True}) == {"echo": {"ok": True}}
        got = []
        async with asyncio.timeout(2):
            async for push in conn.pushes():
                got.append(push)
                if len(got) == 2:
                    break
        assert isinstance(got[0], UnknownPush) and got[0].payload == ["not", "an", "object"]
        assert got[1].action == "thread_closed" and got[1].chat_id == "C"
        assert conn.state.status == "connected"
    finally:
        await conn.close()
