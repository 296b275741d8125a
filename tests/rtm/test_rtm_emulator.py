"""RtmConnection against the real emulator over loopback (the contract both sides share)."""

from __future__ import annotations

import asyncio

import pytest

from lcconsole.errors import AuthenticationError, LiveChatError
from lcconsole.rtm import Backoff, RtmConnection
from lcconsole.wire.pushes import IncomingChatThreadPush, IncomingEventPush

FAST = {"ping_interval": 0.2, "request_timeout": 5.0, "backoff": Backoff(initial=0.05, maximum=0.2)}


async def next_push(conn, kind, timeout=5.0):
    async with asyncio.timeout(timeout):
        async for push in conn.pushes():
            if isinstance(push, kind):
                return push
    raise AssertionError(f"no {kind.__name__}")


async def test_login_call_and_pushes_against_emulator(emulator):
    conn = RtmConnection(emulator.base_url, emulator.token, **FAST)
    try:
        login = await conn.start()
        assert login.my_profile.id == "agent1@example.com"
        summary = await conn.call("get_chats_summary", {"limit": 10})
        assert "chats_summary" in summary
        started = await conn.call("start_chat", {})
        chat_id = started["chat"]["id"]
        pushed = await next_push(conn, IncomingChatThreadPush)
        assert pushed.chat.id == chat_id and pushed.request_id
        thread_id = started["chat"]["thread"]["id"]
        sent = await conn.call("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "hi över RTM"}})
        event_push = await next_push(conn, IncomingEventPush)
        assert event_push.chat_id == chat_id and event_push.thread_id == thread_id
        assert event_push.event.text == "hi över RTM" and event_push.event.id == sent["event"]["id"]
        with pytest.raises(LiveChatError) as info:
            await conn.call("send_event", {"chat_id": chat_id})
        assert info.value.type == "validation"
        await asyncio.sleep(0.5)  # a couple of pings: the emulator answers them
        assert conn.state.status == "connected"
        assert await conn.call("get_chats_summary", {"limit": 1})
    finally:
        await conn.close()


async def test_bad_token_against_emulator(emulator):
    conn = RtmConnection(emulator.base_url, "not-a-valid-token", **FAST)
    with pytest.raises(AuthenticationError):
        await conn.start()
    assert conn.state.status == "offline"
