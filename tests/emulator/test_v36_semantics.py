"""v3.6 rules beyond the docs' samples, against a real emulator process: login `pushes` and
`away`, pushes only v3.6 has, agents-only chat users, thread summaries, listings with page ids
and filters, the requester-presence rule, and expiring uploads (engine level)."""

from __future__ import annotations

import json
import time
from datetime import datetime

import pytest
from _spec_client import PNG
from _v36_client import (
    ADMIN,
    AGENT2,
    api,  # noqa: F401  (a fixture, used by parameter name)
    one,
    pushes_named,
)
from websockets.exceptions import ConnectionClosed

from lcconsole.emulator import v36
from lcconsole.emulator.contract import ErrorReply, UploadedFile
from lcconsole.emulator.engine import Engine


def test_login_pushes_selects_what_the_socket_receives(api):
    picky = api.rtm(AGENT2, pushes={"3.6": ["incoming_chat", "incoming_multicast"], "3.7": ["all"]})
    everything = api.rtm(AGENT2)
    try:
        chat_id = api.ok(
            "start_chat",
            {
                "chat": {
                    "users": [{"id": AGENT2, "type": "agent"}],
                    "thread": {"events": [{"type": "message", "text": "hi", "visibility": "all"}]},
                }
            },
        )["chat_id"]
        api.ok("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "again"}})
        api.ok("multicast", {"recipients": {"agents": {"ids": [AGENT2]}}, "content": "hello"})
        got, all_got = picky.drain(), everything.drain()
    finally:
        picky.close(), everything.close()
    assert {f["action"] for f in got} == {"incoming_chat", "incoming_multicast"}
    assert {"incoming_chat", "user_added_to_chat", "incoming_event", "incoming_multicast"} <= {
        f["action"] for f in all_got
    }


def test_away_login_logout_and_update_session(api):
    sock = api.rtm(AGENT2, away=True)
    try:
        assert sock.request("update_session", {"token": f"Bearer {api.tokens[AGENT2]}"})["success"]
        wrong = sock.request("update_session", {"token": f"Bearer {api.tokens[ADMIN]}"})
        assert wrong["payload"]["error"]["type"] == "authentication"
        # away: routing gives the agent no chats, and a transfer to it needs ignore_agents_availability
        started = api.ok("start_chat", {})
        api.fails(
            400,
            "agent_offline",
            "transfer_chat",
            {"id": started["chat_id"], "target": {"type": "agent", "ids": [AGENT2]}},
        )
        assert sock.request("set_away_status", {"away": False})["success"]
        api.ok("transfer_chat", {"id": started["chat_id"], "target": {"type": "agent", "ids": [AGENT2]}})
        assert sock.request("logout")["success"] is True
        with pytest.raises(ConnectionClosed):  # the server closes the socket after logout
            for _ in range(100):
                sock.ws.recv(timeout=5)
    finally:
        sock.close()
    for _ in range(50):  # the server forgets the socket right after answering logout
        statuses = {s["agent_id"]: s["status"] for s in api.ok("list_routing_statuses")}
        if statuses[AGENT2] == "offline":
            break
        time.sleep(0.1)
    assert statuses[AGENT2] == "offline"


def test_unfollow_pushes_chat_unfollowed_to_v36_only(api):
    chat_id = api.ok("start_chat", {})["chat_id"]
    s36, s30 = api.rtm(AGENT2), api.rtm(AGENT2, "3.0")
    try:
        s36.drain(), s30.drain()
        assert s36.request("follow_chat", {"id": chat_id})["success"]
        assert s36.request("unfollow_chat", {"id": chat_id})["success"]
        got36, got30 = s36.drain() + s36.pushes, s30.drain()
    finally:
        s36.close(), s30.close()
    assert one(got36, "chat_unfollowed") == {"chat_id": chat_id}
    assert pushes_named(got30, "chat_unfollowed") == []
    assert one(got36, "incoming_chat")["chat"]["is_followed"] is True


def test_agents_only_users(api):
    chat_id = api.ok("start_chat", {"chat": {"users": [{"id": api.customer(), "type": "customer"}]}})["chat_id"]
    s36 = api.rtm(ADMIN)
    try:
        s36.drain()
        api.ok(
            "add_user_to_chat", {"chat_id": chat_id, "user_id": AGENT2, "user_type": "agent", "visibility": "agents"}
        )
        added = one(s36.drain(), "user_added_to_chat")
    finally:
        s36.close()
    assert added["user"]["id"] == AGENT2 and added["user"]["visibility"] == "agents"
    assert added["requester_id"] == ADMIN and added["reason"] == "manual"
    message = api.fails(
        400,
        "validation",
        "send_event",
        {"chat_id": chat_id, "event": {"type": "message", "text": "to all", "visibility": "all"}},
        as_=AGENT2,
    )
    assert message.startswith("event.visibility"), message
    sent = api.ok("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "psst"}}, as_=AGENT2)
    events = api.ok("get_chat", {"chat_id": chat_id})["thread"]["events"]
    assert [e["visibility"] for e in events if e["id"] == sent["event_id"]] == ["agents"]
    api.fails(
        400,
        "validation",
        "add_user_to_chat",
        {"chat_id": chat_id, "user_id": AGENT2, "user_type": "agent", "visibility": "all"},
    )
    api.fails(
        400,
        "validation",
        "add_user_to_chat",
        {"chat_id": chat_id, "user_id": "x", "user_type": "customer", "visibility": "agents"},
    )


def test_requester_presence_rule(api):
    chat_id = api.ok("start_chat", {}, as_=AGENT2)["chat_id"]
    for action, body in (
        ("deactivate_chat", {"id": chat_id}),
        ("transfer_chat", {"id": chat_id, "target": {"type": "agent", "ids": [ADMIN]}}),
        ("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "x"}}),
        ("add_user_to_chat", {"chat_id": chat_id, "user_id": ADMIN, "user_type": "agent", "visibility": "all"}),
    ):
        api.fails(403, "missing_access", action, body)
    api.join(chat_id)
    api.ok("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "now I can"}})


def test_thread_summary_once_for_a_deactivated_thread(api):
    customer = api.customer()
    started = api.ok(
        "start_chat",
        {
            "chat": {
                "users": [{"id": customer, "type": "customer"}],
                "thread": {"events": [{"type": "message", "text": "Where is my parcel?"}]},
            }
        },
    )
    ids = {"chat_id": started["chat_id"], "thread_id": started["thread_id"]}
    sock = api.rtm(ADMIN)
    try:
        sock.drain()
        api.ok("request_thread_summary", ids)
        api.ok("request_thread_summary", ids)  # an active thread: as often as asked
        got = sock.drain()
    finally:
        sock.close()
    sets = pushes_named(got, "thread_summary_set")
    assert len(sets) == 2 and sets[0]["summary"]["status"] == "ok"
    assert "Where is my parcel?" in sets[0]["summary"]["text"]
    assert [p["event"]["type"] for p in pushes_named(got, "incoming_event")] == ["system", "system"]
    api.ok("deactivate_chat", {"id": ids["chat_id"]})
    api.ok("request_thread_summary", ids)
    api.fails(400, "validation", "request_thread_summary", ids)
    threads = api.ok("list_threads", {"chat_id": ids["chat_id"]})["threads"]
    assert threads[0]["summary"]["text"] == sets[0]["summary"]["text"]


def test_list_threads_pages_and_min_events(api):
    chat_id = api.ok("start_chat", {})["chat_id"]
    threads = [api.ok("get_chat", {"chat_id": chat_id})["thread"]["id"]]
    for _ in range(4):
        api.ok("deactivate_chat", {"id": chat_id})
        threads.append(api.ok("resume_chat", {"chat": {"id": chat_id}})["thread_id"])
    first = api.ok("list_threads", {"chat_id": chat_id, "limit": 2})
    assert first["found_threads"] == 5 and "previous_page_id" not in first
    assert [t["id"] for t in first["threads"]] == threads[::-1][:2]
    second = api.ok("list_threads", {"chat_id": chat_id, "page_id": first["next_page_id"]})
    assert [t["id"] for t in second["threads"]] == threads[::-1][2:4]
    back = api.ok("list_threads", {"chat_id": chat_id, "page_id": second["previous_page_id"]})
    assert back["threads"] == first["threads"]
    api.fails(400, "validation", "list_threads", {"chat_id": chat_id, "limit": 2, "page_id": first["next_page_id"]})
    api.fails(400, "validation", "list_threads", {"chat_id": chat_id, "page_id": "bm9wZQ=="})
    asc = api.ok("list_threads", {"chat_id": chat_id, "sort_order": "asc", "limit": 100})
    assert [t["id"] for t in asc["threads"]] == threads
    few = api.ok("list_threads", {"chat_id": chat_id, "min_events_count": 2})["threads"]
    assert sum(len(t["events"]) for t in few) >= 2 and few[0]["id"] == threads[-1]
    api.fails(400, "validation", "list_threads", {"chat_id": chat_id, "min_events_count": 1, "limit": 3})


def test_list_archives_filters(api):
    customer = api.customer("Archie")
    api.ok30("update_customer", {"customer_id": customer, "email": "archie@example.com"})
    started = api.ok(
        "start_chat",
        {
            "chat": {
                "users": [{"id": customer, "type": "customer"}],
                "thread": {"events": [{"type": "message", "text": "zebra crossing"}]},
            }
        },
    )
    api.ok("tag_thread", {"chat_id": started["chat_id"], "thread_id": started["thread_id"], "tag": "zoo"})

    def found(filters: dict) -> list[str]:
        return [c["id"] for c in api.ok("list_archives", {"filters": filters, "limit": 100})["chats"]]

    chat_id = started["chat_id"]
    assert found({"query": "zebra"}) == [chat_id]
    assert found({"tags": {"values": ["zoo"]}}) == [chat_id]
    assert chat_id not in found({"tags": {"exclude_values": ["zoo"]}})
    assert found({"customer_email": "archie@example.com"}) == [chat_id]
    assert found({"customer_id": customer}) == [chat_id]
    assert found({"thread_ids": [started["thread_id"]]}) == [chat_id]
    assert chat_id in found({"agents": {"values": [ADMIN]}})
    assert chat_id not in found({"agents": {"exists": False}})
    assert chat_id in found({"event_types": {"values": ["message"]}})
    assert chat_id not in found({"event_types": {"values": ["file"]}})
    assert chat_id not in found({"to": "2000-01-01T00:00:00.000000Z"})
    api.fails(400, "validation", "list_archives", {"filters": {"thread_ids": ["X"], "query": "z"}})
    page = api.ok("list_archives", {"limit": 1})
    assert len(page["chats"]) == 1 and "next_page_id" in page
    api.fails(400, "validation", "list_archives", {"page_id": page["next_page_id"], "filters": {"query": "x"}})
    nxt = api.ok("list_archives", {"page_id": page["next_page_id"]})
    assert nxt["chats"][0]["thread"]["id"] != page["chats"][0]["thread"]["id"]


def test_transfer_without_available_agent_queues_with_ignore_agents_availability(api):
    chat_id = api.ok("start_chat", {})["chat_id"]
    sock = api.rtm(ADMIN)
    try:
        sock.drain()
        api.fails(400, "groups_offline", "transfer_chat", {"id": chat_id, "target": {"type": "group", "ids": [7]}})
        api.ok(
            "transfer_chat",
            {"id": chat_id, "target": {"type": "group", "ids": [7]}, "ignore_agents_availability": True},
        )
        transfer = one(sock.drain(), "chat_transferred")
    finally:
        sock.close()
    assert transfer["transferred_to"] == {"group_ids": [7], "agent_ids": []}
    assert transfer["queue"]["position"] >= 1 and transfer["queue"]["wait_time"] == 0


def test_uploads_expire_unless_used_within_a_day():
    engine = Engine()
    engine.seed("empty")
    admin = engine.authenticate(engine.agent_credentials()[0]["token"])
    chat_id = v36.execute(engine, admin, "start_chat", {}).payload["chat_id"]
    png = {"file": UploadedFile("dot.png", "image/png", PNG)}
    old = v36.execute(engine, admin, "upload_file", {}, png).payload["url"]
    used = v36.execute(engine, admin, "upload_file", {}, png).payload["url"]
    v36.execute(engine, admin, "send_event", {"chat_id": chat_id, "event": {"type": "file", "url": used}})
    engine.conn.execute("UPDATE files SET expires=expires-25*3600 WHERE expires IS NOT NULL")
    with pytest.raises(ErrorReply) as err:
        v36.execute(engine, admin, "send_event", {"chat_id": chat_id, "event": {"type": "file", "url": old}})
    assert err.value.type == "validation" and "expired" in err.value.message
    v36.execute(engine, admin, "send_event", {"chat_id": chat_id, "event": {"type": "file", "url": used}})
    with pytest.raises(ErrorReply) as err:
        v36.execute(engine, admin, "upload_file", {}, {"file": UploadedFile("x.exe", "", b"MZ")})
    assert err.value.type == "validation"
    engine.close()


def test_frame_version_and_region(api):
    """An RTM frame may name a higher version for one request (never a lower one); a Web
    request for another region is misdirected."""
    chat_id = api.ok("start_chat", {})["chat_id"]
    s30 = api.rtm(ADMIN, "3.0")
    s36 = api.rtm(ADMIN)
    try:
        s30.ws.send(
            json.dumps({"request_id": "v", "version": "3.6", "action": "get_chat", "payload": {"chat_id": chat_id}})
        )
        s30.ws.send('{"request_id":"w","version":"3.7","action":"ping","payload":{}}')
        s36.ws.send('{"request_id":"x","version":"3.0","action":"get_chat_threads","payload":{}}')
        frames30 = [json.loads(s30.ws.recv(timeout=5)) for _ in range(2)]
        lower = json.loads(s36.ws.recv(timeout=5))
        while lower.get("type") == "push":  # incoming_customers follows the login
            lower = json.loads(s36.ws.recv(timeout=5))
    finally:
        s30.close(), s36.close()
    by_id = {f["request_id"]: f for f in frames30}
    assert by_id["v"]["success"] is True and by_id["v"]["payload"]["id"] == chat_id
    assert "thread" in by_id["v"]["payload"]  # the v3.6 shape on a v3.0 socket
    assert by_id["w"]["payload"]["error"]["type"] == "unsupported_version"
    assert lower["success"] is False and lower["payload"]["error"]["type"] == "validation"
    resp = api.post("list_chats", {}, headers={"X-Region": "fra"})
    assert resp.status_code == 421
    assert resp.json()["error"] == {"type": "misdirected_request", "message": "Wrong region", "data": {"region": "dal"}}
    assert api.post("list_chats", {}, headers={"X-Region": "dal"}).status_code == 200


def test_sending_marks_everything_seen(api):
    chat_id = api.ok("start_chat", {"chat": {"users": [{"id": AGENT2, "type": "agent"}]}})["chat_id"]
    api.ok("mark_events_as_seen", {"chat_id": chat_id, "seen_up_to": "2001-01-01T00:00:00Z"}, as_=AGENT2)
    before = time.time() - 1
    api.ok("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "x"}}, as_=AGENT2)
    users = {u["id"]: u for u in api.ok("get_chat", {"chat_id": chat_id})["users"]}
    seen = datetime.fromisoformat(users[AGENT2]["events_seen_up_to"].replace("Z", "+00:00"))
    assert seen.timestamp() >= int(before)
