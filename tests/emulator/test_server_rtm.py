"""RTM socket and customer side against the real engine: login payload, actions over the socket,
pushes reaching the right sockets (and only those), customer actions producing agent pushes."""

from __future__ import annotations

import asyncio
import json

import pytest
from _rtm_frames import response_to, until
from websockets.asyncio.client import connect

from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.wire.actions import ALL_SCOPES
from tests import loopback

OUTSIDER = "outsider@example.com"


@pytest.fixture(scope="module")
def emu():
    agents = [("agent2@example.com", ALL_SCOPES), (OUTSIDER, ("chats--my:ro", "chats--my:rw"))]
    with EmbeddedEmulator(seed="empty", simulate=False, agents=agents) as info:
        yield info


def push(name):
    return lambda f: f.get("type") == "push" and f.get("action") == name


async def request(ws, action, payload=None, request_id=None) -> dict:
    request_id = request_id or f"{action}-{id(payload)}"
    await ws.send(json.dumps({"request_id": request_id, "action": action, "payload": payload or {}}))
    return (await until(ws, response_to(request_id)))[0]


async def logged_in(url, token):
    ws = await connect(url)
    frame = await request(ws, "login", {"token": f"Bearer {token}"}, "login")
    assert frame["success"], frame
    return ws, frame


async def test_login_response_and_actions_over_the_socket(emu):
    ws, frame = await logged_in(emu.rtm_url, emu.token)
    async with ws:
        assert frame["action"] == "login" and frame["type"] == "response"
        assert {"license", "my_profile", "chats_summary"} <= set(frame["payload"])
        assert frame["payload"]["my_profile"]["id"] == "agent1@example.com"
        started = await request(
            ws, "start_chat", {"chat": {"thread": {"events": [{"type": "message", "text": "over rtm"}]}}}
        )
        assert started["success"], started
        chat_id = started["payload"]["chat"]["id"]
        threads = await request(ws, "get_chat_threads", {"chat_id": chat_id})
        assert threads["payload"]["chat"]["threads"][0]["events"][0]["text"] == "over rtm"
        bad = await request(ws, "send_event", {"chat_id": chat_id, "event": {"type": "message", "text": 5}})
        assert bad["success"] is False and bad["payload"]["error"]["type"] == "validation"
        away = await request(ws, "set_away_status", {"away": True})
        assert away["success"], away
        await request(ws, "set_away_status", {"away": False})
        unknown = await request(ws, "teleport", {})
        assert unknown["payload"]["error"]["type"] == "not_found"
        out = await request(ws, "logout", {})
        assert out["success"]
        await asyncio.wait_for(ws.wait_closed(), 5)


async def test_bad_login_token(emu):
    async with connect(emu.rtm_url) as ws:
        frame = await request(ws, "login", {"token": "Bearer dal:not-a-token"}, "l")
        assert frame == {
            "request_id": "l",
            "action": "login",
            "type": "response",
            "success": False,
            "payload": {"error": {"type": "authentication", "message": "Invalid access token"}},
        }


async def test_pushes_reach_members_only_with_request_id_on_the_requesters_copy(emu):
    admin, _ = await logged_in(emu.rtm_url, emu.token)
    admin_b, _ = await logged_in(emu.rtm_url, emu.token)
    outsider, _ = await logged_in(emu.rtm_url, emu.token_of(OUTSIDER))
    async with admin, admin_b, outsider:
        started = await request(admin, "start_chat", {"chat": {}}, "s1")
        chat_id = started["payload"]["chat"]["id"]
        await until(admin_b, push("incoming_chat_thread"))
        event = {"chat_id": chat_id, "event": {"type": "message", "text": "only members", "recipients": "all"}}
        sent = await request(admin, "send_event", event, "r42")
        own, _ = await until(admin, push("incoming_event"))
        copy, _ = await until(admin_b, push("incoming_event"))
        assert own["request_id"] == "r42" and "request_id" not in copy
        assert own["payload"] == copy["payload"]
        assert copy["payload"]["event"]["id"] == sent["payload"]["event"]["id"]
        assert copy["payload"]["event"]["text"] == "only members"
        # the sentinel is answered after everything queued for the outsider so far
        await outsider.send(json.dumps({"request_id": "sentinel", "action": "ping"}))
        _, before = await until(outsider, response_to("sentinel"))
        assert [f for f in before if chat_id in json.dumps(f)] == []


async def test_customer_side_produces_agent_pushes(emu):
    admin, _ = await logged_in(emu.rtm_url, emu.token)
    async with admin, loopback.async_client(base_url=emu.base_url, timeout=10) as http:
        creds = (await http.post("/customer/token", json={"name": "Robin", "email": "robin@example.com"})).json()
        headers = {"Authorization": f"Bearer {creds['access_token']}"}

        async def customer(action, payload=None, **kw):
            resp = (
                await http.post(f"/v3.0/customer/action/{action}", json=payload, headers=headers, **kw)
                if not kw
                else await http.post(f"/v3.0/customer/action/{action}", headers=headers, **kw)
            )
            assert resp.status_code == 200, resp.text
            return resp.json()

        started = await customer(
            "start_chat",
            {"chat": {"thread": {"events": [{"type": "message", "text": "I need help", "recipients": "all"}]}}},
        )
        chat_id = started["chat"]["id"]
        incoming, _ = await until(admin, push("incoming_chat_thread"))
        assert incoming["payload"]["chat"]["id"] == chat_id and "request_id" not in incoming
        assert incoming["payload"]["chat"]["thread"]["events"][0]["text"] == "I need help"

        await customer("send_typing_indicator", {"chat_id": chat_id, "is_typing": True})
        typing, _ = await until(admin, push("incoming_typing_indicator"))
        assert typing["payload"]["chat_id"] == chat_id
        assert typing["payload"]["typing_indicator"]["author_id"] == creds["customer_id"]
        await customer("send_sneak_peek", {"chat_id": chat_id, "sneak_peek_text": "Is th"})
        peek, _ = await until(admin, push("incoming_sneak_peek"))
        assert peek["payload"]["sneak_peek"]["text"] == "Is th"
        await customer("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "Is this on?"}})
        message, _ = await until(admin, push("incoming_event"))
        assert message["payload"]["event"]["text"] == "Is this on?"
        assert message["payload"]["event"]["author_id"] == creds["customer_id"]
        sent = await customer(
            "send_file",
            data={"payload.chat_id": chat_id},
            files={"payload.file": ("hello.txt", b"hello agent", "text/plain")},
        )
        file_push, _ = await until(admin, push("incoming_event"))
        assert file_push["payload"]["event"]["type"] == "file"
        assert (await http.get(sent["url"])).content == b"hello agent"
        threads = await customer("get_chat_threads", {"chat_id": chat_id})
        assert [e["type"] for e in threads["chat"]["threads"][0]["events"]][-2:] == ["message", "file"]
        await customer("close_thread", {"chat_id": chat_id})
        closed, _ = await until(admin, push("thread_closed"))
        assert closed["payload"]["chat_id"] == chat_id
        other = (await http.post("/customer/token", json={})).json()
        foreign = await http.post(
            "/v3.0/customer/action/get_chat_threads",
            json={"chat_id": chat_id},
            headers={"Authorization": f"Bearer {other['access_token']}"},
        )
        assert foreign.status_code == 404 and foreign.json()["error"]["type"] == "not_found"


async def test_server_side_disconnect():
    server = EmbeddedEmulator(seed="empty", simulate=False)
    info = server.start()
    try:
        ws, _ = await logged_in(info.rtm_url, info.token)
        assert await asyncio.to_thread(server.disconnect_rtm, "internal_error") == 1
        frame, _ = await until(ws, push("agent_disconnected"))
        assert frame["payload"] == {"reason": "internal_error"}
        await asyncio.wait_for(ws.wait_closed(), 5)
        again, _ = await logged_in(info.rtm_url, info.token)  # a reconnect is welcome
        await again.close()
    finally:
        server.stop()
