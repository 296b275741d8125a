"""Contract in v3.6: `AgentClient(version="3.6")` and `RtmConnection(version="3.6")` signed in with
a PAT against the real emulator over loopback; results read back through the API."""

from __future__ import annotations

import asyncio
import io
import json

import pytest

from lcconsole.api import AgentClient, AuthenticationError, RetryPolicy
from lcconsole.cli.api_cmd import main
from lcconsole.rtm import RtmConnection
from lcconsole.secret import Credentials
from lcconsole.wire.v36 import push_models as pm
from lcconsole.wire.v36 import responses as r
from tests import loopback


def pat_of(emulator) -> Credentials:
    admin = emulator.agents[0]
    return Credentials.basic(admin["account_id"], admin["pat"])


async def next_push(conn: RtmConnection, kind: type, timeout: float = 10.0):
    async with asyncio.timeout(timeout):
        async for push in conn.pushes():
            if isinstance(push, kind):
                return push
    raise AssertionError(f"no {kind.__name__}")


async def test_pat_session_over_v36_web_and_rtm(emulator):
    customer = loopback.post(emulator.customer_token_url, json={"name": "Ann"}).json()["customer_id"]
    creds = pat_of(emulator)
    conn = RtmConnection(emulator.base_url, creds, version="3.6", ping_interval=30, request_timeout=5)
    login = await conn.start()
    try:
        assert isinstance(login, r.LoginResponse) and login.my_profile.id == emulator.agents[0]["id"]
        async with AgentClient(version="3.6", token=creds, base_url=emulator.base_url) as client:
            started = await client.start_chat(
                chat={
                    "users": [{"id": customer, "type": "customer"}],
                    "thread": {"events": [{"type": "message", "text": "first", "visibility": "all"}]},
                }
            )
            assert isinstance(started, r.StartChatResponse) and len(started.event_ids) == 1
            incoming = await next_push(conn, pm.IncomingChatPush)
            assert incoming.chat.id == started.chat_id

            sent = await client.send_event(
                chat_id=started.chat_id,
                event={"type": "message", "text": "hello from v3.6", "visibility": "all", "custom_id": "c-36"},
            )
            pushed = await next_push(conn, pm.IncomingEventPush)
            assert pushed.event.id == sent.event_id and pushed.event.text == "hello from v3.6"

            await client.tag_thread(chat_id=started.chat_id, thread_id=started.thread_id, tag="vip")
            tagged = await next_push(conn, pm.ThreadTaggedPush)
            assert (tagged.chat_id, tagged.tag) == (started.chat_id, "vip")

            chat = await client.get_chat(chat_id=started.chat_id)
            assert isinstance(chat, r.Chat) and chat.thread.id == started.thread_id
            assert [e.id for e in chat.thread.events] == [*started.event_ids, sent.event_id]
            assert chat.thread.events[-1].custom_id == "c-36" and chat.thread.tags == ["vip"]
            assert chat.customer.id == customer

            listed = await client.list_chats()
            assert started.chat_id in {s.id for s in listed.chats_summary}

            await client.deactivate_chat(id=started.chat_id)
            closed = await next_push(conn, pm.ChatDeactivatedPush)
            assert closed.thread_id == started.thread_id
            assert (await client.get_chat(chat_id=started.chat_id)).thread.active is False
    finally:
        await conn.close()


async def test_wrong_pat_is_refused_on_web_and_rtm(emulator):
    bad = Credentials.basic(emulator.agents[0]["account_id"], "not-the-pat")
    async with AgentClient(version="3.6", token=bad, base_url=emulator.base_url, retry=RetryPolicy.never()) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.list_chats()
    assert "not-the-pat" not in str(info.value)
    conn = RtmConnection(emulator.base_url, bad, version="3.6", request_timeout=5)
    with pytest.raises(AuthenticationError):
        await conn.start()
    await conn.close()


def test_api_cli_with_a_pat_against_the_emulator_in_v36(emulator):
    admin = emulator.agents[0]
    options = ["--base-url", emulator.base_url, "--api-version", "3.6"]
    options += ["--account-id", admin["account_id"], "--pat", admin["pat"]]
    out, err = io.StringIO(), io.StringIO()
    code = main(["start_chat", "--json", "{}", *options], stdout=out, stderr=err)
    assert (code, err.getvalue()) == (0, "")
    chat_id = json.loads(out.getvalue())["chat_id"]
    out = io.StringIO()
    code = main(["get_chat", "--json", json.dumps({"chat_id": chat_id}), *options], stdout=out, stderr=err)
    assert code == 0 and json.loads(out.getvalue())["id"] == chat_id
    assert admin["pat"] not in out.getvalue() + err.getvalue()
