"""Spec conformance, part 4: RTM over plain websockets against a real emulator process — the
login response, customer/agent/multicast pushes and their audiences, `request_id` only on the
requesting socket's copy, and error response frames.
"""

from __future__ import annotations

import pytest
from _spec_client import ACCESS, ADMIN, AGENT2, LIMITED, SPEC_CUSTOMER, Rtm, check_customer, is_int
from _spec_pushes import new_chat, none_of, one_push, room_of


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    yield from room_of(tmp_path_factory.mktemp("spec-rtm"))


def test_login_response_payload(room):
    login = room.sockets["admin"].login
    assert {"license", "my_profile", "chats_summary"} <= set(login)
    assert {"id", "plan", "expiration_timestamp", "creation_timestamp", "in_trial"} <= set(login["license"])
    profile = login["my_profile"]
    assert profile["id"] == ADMIN and profile["type"] == "agent" and profile["permission"] == "administrator"
    assert isinstance(login["chats_summary"], list)
    assert room.sockets[LIMITED].login["my_profile"]["id"] == LIMITED


def test_login_chats_summary_and_bad_login(room):
    spec = room.spec
    mine = new_chat(room)
    spec.ok("add_user_to_chat", {"chat_id": mine["id"], "user_id": LIMITED, "user_type": "agent"})
    room.collect()
    fresh = spec.rtm(LIMITED)
    try:
        assert [c["id"] for c in fresh.login["chats_summary"]] == [mine["id"]]
    finally:
        fresh.close()
    admin_view = spec.rtm(ADMIN)
    try:
        assert mine["id"] in [c["id"] for c in admin_view.login["chats_summary"]]
    finally:
        admin_view.close()
    spec.ok("remove_user_from_chat", {"chat_id": mine["id"], "user_id": LIMITED, "user_type": "agent"})
    room.collect()
    with pytest.raises(AssertionError, match="authentication"):
        Rtm(spec.info["rtm_url"], "dal:not-a-token")


def test_customer_and_agent_pushes(room):
    spec = room.spec
    created = spec.ok(
        "create_customer",
        {
            "email": "customer1@example.com",
            "avatar": "https://domain.com/avatars/1.jpg",
            "fields": {"some_key": "some_value"},
        },
    )
    got = room.collect()
    for who in ("admin", AGENT2, ACCESS):
        customer = one_push(got, who, "customer_created")["customer"]
        check_customer(customer)
        assert customer["id"] == created["id"]
    none_of(got, LIMITED)
    spec.ok("update_customer", {"customer_id": created["id"], "name": "John Doe", "fields": {"score": "low"}})
    got = room.collect()
    updated = one_push(got, AGENT2, "customer_updated")
    check_customer(updated)
    assert updated["id"] == created["id"] and updated["name"] == "John Doe"
    assert isinstance(updated["banned"], bool)
    none_of(got, LIMITED)
    spec.ok("ban_customer", {"customer_id": created["id"], "ban": {"days": 5}})
    got = room.collect()
    assert one_push(got, AGENT2, "customer_banned") == {"customer_id": created["id"], "ban": {"days": 5}}
    none_of(got, LIMITED)
    spec.ok("update_agent", {"routing_status": "accepting_chats"})
    got = room.collect()
    for who in ("admin", "admin2", AGENT2, LIMITED, ACCESS):
        assert one_push(got, who, "agent_updated") == {"agent_id": ADMIN, "routing_status": "accepting_chats"}


def test_multicast_sample_and_targeted_multicast(room):
    spec = room.spec
    customer = spec.customer()["id"]
    room.collect()
    sample = {
        "scopes": {"agents": {"all": True, "ids": [ADMIN, AGENT2], "groups": [1, 2]}, "customers": {"ids": [customer]}},
        "content": {"example": {"nested": "json"}},
        "type": "type1",
    }
    spec.ok("multicast", sample)
    got = room.collect()
    for who in ("admin", AGENT2, LIMITED, ACCESS):
        payload = one_push(got, who, "incoming_multicast")
        assert {"content"} <= set(payload) <= {"author_id", "content", "type"}
        assert payload["content"] == {"example": {"nested": "json"}} and payload["type"] == "type1"
        assert payload.get("author_id", ADMIN) == ADMIN
    spec.ok("multicast", {"scopes": {"agents": {"ids": [AGENT2]}}, "content": "just you"})
    got = room.collect()
    assert one_push(got, AGENT2, "incoming_multicast")["content"] == "just you"
    for who in ("admin", LIMITED, ACCESS):
        none_of(got, who)


def test_rtm_request_id_only_on_the_requesting_sockets_copy(room):
    spec = room.spec
    chat = new_chat(room)
    chat_id, thread_id = chat["id"], chat["thread"]["id"]
    spec.ok("follow_chat", {"chat_id": chat_id}, as_=AGENT2)
    room.collect()
    admin = room.sockets["admin"]
    calls = [
        ("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "over rtm"}}, "incoming_event"),
        ("tag_chat_thread", {"chat_id": chat_id, "thread_id": thread_id, "tag": "rtm"}, "chat_thread_tagged"),
        (
            "update_chat_properties",
            {"chat_id": chat_id, "properties": {"rating": {"score": 1}}},
            "chat_properties_updated",
        ),
        ("close_thread", {"chat_id": chat_id}, "thread_closed"),
    ]
    for action, payload, push in calls:
        response = admin.request(action, payload)
        assert response["type"] == "response" and response["success"] is True, response
        assert set(response) == {"request_id", "action", "type", "success", "payload"}
        request_id = response["request_id"]
        if action == "send_event":
            assert set(response["payload"]) == {"thread_id", "event"}
        else:
            assert response["payload"] == {}
        got = room.collect()
        mine = one_push(got, "admin", push, request_id=request_id)
        assert one_push(got, "admin2", push) == mine
        assert one_push(got, AGENT2, push) == mine
        none_of(got, LIMITED)
    reply = admin.request("get_chat_threads_summary", {"chat_id": chat_id})
    assert reply["success"] is True and reply["payload"]["found_threads"] == 1
    assert set(reply["payload"]["threads_summary"][0]) == {"id", "order", "events_count"}
    assert is_int(reply["payload"]["threads_summary"][0]["events_count"])


def test_rtm_errors_are_response_frames_with_the_envelope(room):
    admin = room.sockets["admin"]
    reply = admin.request("get_chat_threads", {"chat_id": "ZZZZZZZZZZ"})
    assert reply["success"] is False and set(reply["payload"]) == {"error"}
    assert reply["payload"]["error"]["type"] == "not_found"
    reply = admin.request("send_event", {"chat_id": "ZZZZZZZZZZ"})
    assert reply["success"] is False and reply["payload"]["error"]["type"] == "validation"
    assert "event" in reply["payload"]["error"]["message"]
    limited = room.sockets[LIMITED]
    reply = limited.request("start_chat", {"chat": {}})
    assert reply["success"] is False and reply["payload"]["error"]["type"] == "authorization"
    reply = admin.request("send_file", {"chat_id": "ZZZZZZZZZZ"})
    assert reply["success"] is False and reply["payload"]["error"]["type"] in ("validation", "not_found")
    assert room.collect() == {name: [] for name in room.sockets}
    assert SPEC_CUSTOMER not in str(reply)
