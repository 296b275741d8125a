"""v3.6 next to v3.0 over one world, against a real emulator process: the core chat actions with
v3.6 shapes and their effects read back over both versions, a v3.0 and a v3.6 socket seeing the
same conversation in their own dialects, and `unsupported_version` for any other version."""

from __future__ import annotations

import json

from _v36_client import (
    ADMIN,
    AGENT2,
    api,  # noqa: F401  (a fixture, used by parameter name)
    check_chat,
    check_error,
    check_event,
    check_summary,
    check_time,
    one,
    pushes_named,
)
from websockets.sync.client import connect

from tests import loopback


def test_start_send_get_chat_and_read_back_over_v30(api):
    customer = api.customer()
    started = api.ok(
        "start_chat",
        {
            "chat": {
                "users": [{"id": customer, "type": "customer"}],
                "properties": {"source": {"type": "facebook"}},
                "thread": {
                    "events": [{"type": "message", "text": "hello there", "custom_id": "c-1", "visibility": "all"}]
                },
            }
        },
    )
    assert set(started) == {"chat_id", "thread_id", "event_ids"}
    assert len(started["event_ids"]) == 1
    assert set(api.ok("start_chat", {})) == {"chat_id", "thread_id"}  # no events: no event_ids

    sent = api.ok(
        "send_event",
        {"chat_id": started["chat_id"], "event": {"type": "message", "text": "hello world", "visibility": "agents"}},
    )
    assert set(sent) == {"event_id"}

    chat = api.ok("get_chat", {"chat_id": started["chat_id"]})
    check_chat(chat)
    assert chat["id"] == started["chat_id"] and chat["thread"]["id"] == started["thread_id"]
    assert chat["properties"] == {"source": {"type": "facebook"}}
    events = chat["thread"]["events"]
    assert [e["id"] for e in events] == started["event_ids"] + [sent["event_id"]]
    assert events[0]["custom_id"] == "c-1" and events[0]["text"] == "hello there"
    assert [e["visibility"] for e in events] == ["all", "agents"]
    assert {u["id"] for u in chat["users"]} == {customer, ADMIN}

    v30 = api.ok30("get_chat_threads", {"chat_id": started["chat_id"]})["chat"]
    assert [e["id"] for e in v30["threads"][0]["events"]] == [e["id"] for e in events]
    assert [e["recipients"] for e in v30["threads"][0]["events"]] == ["all", "agents"]
    assert v30["properties"] == {"source": {"type": {"value": "facebook"}}}


def test_get_chat_picks_a_thread_and_links_its_neighbours(api):
    chat_id = api.ok("start_chat", {})["chat_id"]
    first = api.ok("get_chat", {"chat_id": chat_id})["thread"]["id"]
    api.ok("deactivate_chat", {"id": chat_id})
    second = api.ok("resume_chat", {"chat": {"id": chat_id}})["thread_id"]
    latest = api.ok("get_chat", {"chat_id": chat_id})
    assert latest["thread"]["id"] == second and latest["thread"]["active"] is True
    assert latest["thread"]["previous_thread_id"] == first
    assert "next_thread_id" not in latest["thread"]
    older = api.ok("get_chat", {"chat_id": chat_id, "thread_id": first})["thread"]
    assert older["active"] is False and older["next_thread_id"] == second
    assert older["events"][-1]["type"] == "system_message"  # the deactivation is recorded
    api.fails(404, "not_found", "get_chat", {"chat_id": chat_id, "thread_id": "NOSUCHTHRD"})


def test_list_chats_lists_chats_started_over_either_version(api):
    by36 = api.ok("start_chat", {})["chat_id"]
    by30 = api.ok30("start_chat", {})["chat"]["id"]
    listed = api.ok("list_chats", {"limit": 100})
    assert set(listed) >= {"chats_summary", "found_chats"}
    ids = [s["id"] for s in listed["chats_summary"]]
    assert {by36, by30} <= set(ids)
    for summary in listed["chats_summary"]:
        check_summary(summary)
    ids30 = [s["id"] for s in api.ok30("get_chats_summary", {"limit": 100})["chats_summary"]]
    assert ids30 == ids  # same world, same order

    api.ok("deactivate_chat", {"id": by30})
    active = [s["id"] for s in api.ok("list_chats", {"filters": {"active": True}, "limit": 100})["chats_summary"]]
    inactive = [s["id"] for s in api.ok("list_chats", {"filters": {"active": False}, "limit": 100})["chats_summary"]]
    assert by36 in active and by30 not in active
    assert by30 in inactive and by36 not in inactive

    page = api.ok("list_chats", {"limit": 1, "sort_order": "asc"})
    assert len(page["chats_summary"]) == 1 and "next_page_id" in page
    nxt = api.ok("list_chats", {"page_id": page["next_page_id"]})
    assert nxt["chats_summary"][0]["id"] != page["chats_summary"][0]["id"]


def test_tag_transfer_deactivate_are_read_back(api):
    started = api.ok("start_chat", {"chat": {"users": [{"id": api.customer(), "type": "customer"}]}})
    chat_id, thread_id = started["chat_id"], started["thread_id"]
    assert api.ok("tag_thread", {"chat_id": chat_id, "thread_id": thread_id, "tag": "support"}) == {}
    assert api.ok("get_chat", {"chat_id": chat_id})["thread"]["tags"] == ["support"]
    assert api.ok30("get_chat_threads", {"chat_id": chat_id})["chat"]["threads"][0]["tags"] == ["support"]

    assert (
        api.ok(
            "transfer_chat",
            {"id": chat_id, "target": {"type": "agent", "ids": [AGENT2]}, "ignore_agents_availability": True},
        )
        == {}
    )
    agents = [u["id"] for u in api.ok("get_chat", {"chat_id": chat_id})["users"] if u["type"] == "agent"]
    assert agents == [AGENT2]

    # the requester left the chat with the transfer: it must say it acts from outside
    api.fails(403, "missing_access", "deactivate_chat", {"id": chat_id})
    assert api.ok("deactivate_chat", {"id": chat_id, "ignore_requester_presence": True}) == {}
    assert api.ok("get_chat", {"chat_id": chat_id})["thread"]["active"] is False
    api.fails(400, "chat_inactive", "deactivate_chat", {"id": chat_id, "ignore_requester_presence": True})
    api.fails(400, "chat_inactive", "deactivate_chat", {"id": chat_id}, as_=AGENT2)
    api.fails(
        400,
        "chat_inactive",
        "transfer_chat",
        {"id": chat_id, "ignore_requester_presence": True, "target": {"type": "group", "ids": [0]}},
    )


def test_v36_errors_name_the_field_and_v30_names_are_unknown(api):
    message = api.fails(400, "validation", "deactivate_chat", {"chat_id": "X"})
    assert message.startswith("id:"), message
    message = api.fails(
        400,
        "validation",
        "send_event",
        {"chat_id": "X", "event": {"type": "message", "text": "x", "recipients": "all", "visibility": "everyone"}},
    )
    assert "event.visibility" in message, message
    api.fails(404, "not_found", "get_chats_summary", {})
    api.fails(404, "not_found", "close_thread", {"chat_id": "X"})
    api.fails(404, "not_found", "deactivate_chat", {"id": "NOSUCHCHAT"})
    api.fails(404, "not_found", "login", {})  # RTM only


def test_unsupported_versions_over_web_and_rtm(api):
    for version in ("3.5", "3.7", "2.0", "latest"):
        check_error(api.post("list_chats", {}, version=version), 400, "unsupported_version")
    url = api.proc.base_url.replace("http", "ws", 1) + "/v3.5/agent/rtm/ws"
    with connect(url, open_timeout=5) as ws:
        frame = json.loads(ws.recv(timeout=5))
    assert frame == {"action": "agent_disconnected", "type": "push", "payload": {"reason": "unsupported_version"}}


def test_v36_login_payload(api):
    sock = api.rtm(ADMIN)
    try:
        login = sock.login
        assert set(login) == {"license", "my_profile", "chats_summary"}
        assert isinstance(login["license"]["organization_id"], str)
        profile = login["my_profile"]
        assert profile["id"] == ADMIN and profile["routing_status"] == "accepting_chats"
        assert "last_seen_timestamp" not in profile
        check_time(profile["events_seen_up_to"])
        for summary in login["chats_summary"]:
            check_summary(summary)
        assert sock.request("get_chat", {"chat_id": "NOSUCHCHAT"})["payload"]["error"]["type"] == "not_found"
        reply = sock.request("upload_file", {})
        assert reply["success"] is False and reply["payload"]["error"]["type"] == "validation"
    finally:
        sock.close()


def test_a_v30_and_a_v36_socket_see_the_same_conversation(api):
    """Agent 1 on v3.0, agent 2 on v3.6: a customer's chat, message, tag, transfer and close
    reach both, each in its own dialect, with the same ids."""
    creds = loopback.post(f"{api.proc.base_url}/customer/token", json={"name": "Robin"}).json()
    customer = {"Authorization": f"Bearer {creds['access_token']}"}
    s30, s36 = api.rtm(ADMIN, "3.0"), api.rtm(AGENT2, "3.6")
    try:
        s30.drain(), s36.drain()
        started = api.ok(
            "start_chat",
            {
                "chat": {
                    "users": [{"id": creds["customer_id"], "type": "customer"}, {"id": AGENT2, "type": "agent"}],
                    "thread": {"events": [{"type": "message", "text": "Hi Robin", "visibility": "all"}]},
                }
            },
        )
        chat_id, thread_id = started["chat_id"], started["thread_id"]
        resp = loopback.post(
            f"{api.proc.base_url}/v3.0/customer/action/send_event",
            headers=customer,
            json={"chat_id": chat_id, "event": {"type": "message", "text": "Hello?"}},
        )
        assert resp.status_code == 200, resp.text
        api.ok("tag_thread", {"chat_id": chat_id, "thread_id": thread_id, "tag": "sales"})
        api.ok(
            "transfer_chat",
            {"id": chat_id, "target": {"type": "agent", "ids": [AGENT2]}, "ignore_agents_availability": True},
        )
        api.ok("deactivate_chat", {"id": chat_id}, as_=AGENT2)
        got30, got36 = s30.drain(), s36.drain()
    finally:
        s30.close(), s36.close()

    assert all("version" not in f for f in got30)
    assert all(f["version"] == "3.6" and f["type"] == "push" for f in got36)
    chat30 = one(got30, "incoming_chat_thread")["chat"]
    incoming = one(got36, "incoming_chat")
    check_chat(incoming["chat"])
    assert incoming["requester_id"] == ADMIN
    assert chat30["id"] == incoming["chat"]["id"] == chat_id
    assert chat30["thread"]["id"] == incoming["chat"]["thread"]["id"] == thread_id

    texts30 = [p["event"].get("text") for p in pushes_named(got30, "incoming_event")]
    events36 = [p["event"] for p in pushes_named(got36, "incoming_event")]
    for event in events36:
        check_event(event)
    assert [e.get("text") for e in events36] == texts30
    assert "Hello?" in texts30
    assert [p["event"]["id"] for p in pushes_named(got30, "incoming_event")] == [e["id"] for e in events36]

    assert (
        one(got30, "chat_thread_tagged")
        == one(got36, "thread_tagged")
        == {"chat_id": chat_id, "thread_id": thread_id, "tag": "sales"}
    )
    transfer = one(got36, "chat_transferred")
    assert transfer == {
        "chat_id": chat_id,
        "thread_id": thread_id,
        "requester_id": ADMIN,
        "reason": "manual",
        "transferred_to": {"group_ids": [], "agent_ids": [AGENT2]},
    }
    assert set(one(got30, "chat_transferred")) == {"chat_id", "requester_id", "type", "ids"}
    removed = one(got36, "user_removed_from_chat")
    assert removed["user_id"] == ADMIN and removed["requester_id"] == ADMIN
    assert (
        one(got30, "thread_closed")
        == one(got36, "chat_deactivated")
        == {"chat_id": chat_id, "thread_id": thread_id, "user_id": AGENT2}
    )
    assert not pushes_named(got36, "thread_closed") and not pushes_named(got30, "chat_deactivated")
