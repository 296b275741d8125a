"""`EarlyLogin`: the socket opened and the login sent ahead, adopted by `RtmConnection` (the fake
server on loopback)."""

from __future__ import annotations

import asyncio
import gc
import json

import pytest
from rtm_fake import GOOD_TOKEN, LOGIN_PAYLOAD, PUSH_SAMPLES

from lcconsole.errors import AuthenticationError, LiveChatConnectionError
from lcconsole.rtm import RtmConnection, rtm_url
from lcconsole.rtm.opening import EarlyLogin
from lcconsole.secret import Credentials
from lcconsole.wire.pushes import IncomingEventPush


def early_for(server, token: str = GOOD_TOKEN) -> EarlyLogin:
    early = EarlyLogin(rtm_url(server.base_url), Credentials.bearer(token), timeout=2.0)
    early.start()
    return early


async def test_adopted_login_keeps_the_frames_before_and_after_the_answer(server, fast):
    async def login(frame, conn):  # a push before the answer, and one right after it
        await conn.send(
            json.dumps({"action": "incoming_event", "type": "push", "payload": PUSH_SAMPLES["incoming_event"]})
        )
        await server.reply(conn, frame, LOGIN_PAYLOAD)
        event = {
            **PUSH_SAMPLES["incoming_event"],
            "event": {**PUSH_SAMPLES["incoming_event"]["event"], "text": "after"},
        }
        await conn.send(json.dumps({"action": "incoming_event", "type": "push", "payload": event}))

    server.handlers["login"] = login
    early = early_for(server)
    await early.handover()  # answered before the connection exists
    conn = RtmConnection(server.base_url, GOOD_TOKEN, opened=early, **fast)
    try:
        answer = await conn.start()
        assert answer.my_profile.id == "agent1@example.com" and conn.state.status == "connected"
        texts = []
        async with asyncio.timeout(2):
            async for push in conn.pushes():
                assert isinstance(push, IncomingEventPush)
                texts.append(push.event.text)
                if len(texts) == 2:
                    break
        assert texts == ["hello", "after"]
        assert (await conn.call("echo_me", {"x": 1})) == {"echo": {"x": 1}}
        assert len(server.connections) == 1 and [f["request_id"] for f in server.actions("login")] == ["login-0"]
        assert server.actions("login")[0]["payload"]["application"]["name"] == "lcconsole"
    finally:
        await conn.close()


async def test_another_token_is_not_adopted(server, fast):
    early = early_for(server, "other-token")
    await early.handover()
    conn = RtmConnection(server.base_url, GOOD_TOKEN, opened=early, **fast)
    try:
        await conn.start()  # the early socket (refused) is closed; the connection logs in itself
        assert conn.state.status == "connected" and server.login_count == 1
        assert len(server.connections) == 2 and len(server.live) == 1
    finally:
        await conn.close()


async def test_refused_early_login_fails_start_like_its_own(server, fast):
    bad = "dal:not-the-token"
    conn = RtmConnection(server.base_url, bad, opened=early_for(server, bad), **fast)
    with pytest.raises(AuthenticationError):
        await conn.start()
    assert conn.state.status == "offline" and not server.live and len(server.connections) == 1


async def test_closing_before_start_closes_the_early_socket(server, fast):
    early = early_for(server)
    await early.handover()
    conn = RtmConnection(server.base_url, GOOD_TOKEN, opened=early, **fast)
    await conn.close()
    async with asyncio.timeout(2):
        while server.live:
            await asyncio.sleep(0.01)


async def test_the_console_session_logs_in_on_the_socket_it_opened_ahead(server):
    from lcconsole.config import Settings
    from lcconsole.secret import Secret
    from lcconsole.ui.session import Session

    session = Session(Settings(base_url=server.base_url, token=Secret(GOOD_TOKEN)))
    session.connect_early()  # what the console does once its first frame is out
    await server.wait_logins(1)  # answered before the session (and its RTM connection) exists
    await session.open()
    try:
        login = await session.rtm.start()
        assert login.my_profile.id == "agent1@example.com" and session.rtm.state.status == "connected"
        assert len(server.connections) == 1 and [f["request_id"] for f in server.actions("login")] == ["login-0"]
    finally:
        await session.close()
    assert not server.live


async def test_a_session_closed_before_it_opened_closes_the_early_socket(server):
    from lcconsole.config import Settings
    from lcconsole.secret import Secret
    from lcconsole.ui.session import Session

    session = Session(Settings(base_url=server.base_url, token=Secret(GOOD_TOKEN)))
    session.connect_early()
    await server.wait_logins(1)
    await session.close()
    async with asyncio.timeout(2):
        while server.live:
            await asyncio.sleep(0.01)


async def test_a_failed_early_connect_is_reported_by_start_and_closes_quietly(fast, caplog):
    early = EarlyLogin("ws://127.0.0.1:9/v3.0/agent/rtm/ws", Credentials.bearer(GOOD_TOKEN), timeout=2.0)
    early.start()
    conn = RtmConnection("http://127.0.0.1:9", GOOD_TOKEN, opened=early, **fast)
    with pytest.raises(LiveChatConnectionError, match="cannot reach 127.0.0.1:9"):
        await conn.start()
    assert conn.state.status == "offline"
    refused = EarlyLogin("ws://127.0.0.1:9/v3.0/agent/rtm/ws", Credentials.bearer(GOOD_TOKEN), timeout=2.0)
    refused.start()
    await asyncio.sleep(0.05)
    await refused.close()  # never handed over: its error is read, never logged as unretrieved
    del refused
    gc.collect()
    assert "never retrieved" not in caplog.text
