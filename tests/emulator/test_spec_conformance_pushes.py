"""Spec conformance, part 3: RTM login and the pushes of api-notes §4.4 over plain websockets
against a real emulator process — who gets each push (members, followers, agents with access),
the documented payload keys, `request_id` only on the requesting socket's copy, and nothing for
an agent without access.
"""

from __future__ import annotations

import pytest

from _spec_client import (ACCESS, ADMIN, AGENT2, LIMITED, PNG, SPEC_CUSTOMER, Rtm, Spec, check_chat,
                          check_customer, check_event, check_props, check_thread, is_int,
                          start_process)

EXACT_KEYS = {
    "incoming_event": {"chat_id", "thread_id", "event"},
    "event_updated": {"chat_id", "thread_id", "event"},
    "incoming_rich_message_postback": {"user_id", "chat_id", "thread_id", "event_id", "postback"},
    "access_granted": {"resource", "id", "access"},
    "access_revoked": {"resource", "id", "access"},
    "access_set": {"resource", "id", "access"},
    "chat_transferred": {"chat_id", "requester_id", "type", "ids"},
    "chat_user_added": {"chat_id", "thread_id", "user", "user_type"},
    "chat_user_removed": {"chat_id", "thread_id", "user_id", "user_type"},
    "chat_properties_updated": {"chat_id", "properties"},
    "chat_properties_deleted": {"chat_id", "properties"},
    "chat_thread_properties_updated": {"chat_id", "thread_id", "properties"},
    "chat_thread_properties_deleted": {"chat_id", "thread_id", "properties"},
    "event_properties_updated": {"chat_id", "thread_id", "event_id", "properties"},
    "event_properties_deleted": {"chat_id", "thread_id", "event_id", "properties"},
    "chat_thread_tagged": {"chat_id", "thread_id", "tag"},
    "chat_thread_untagged": {"chat_id", "thread_id", "tag"},
    "last_seen_timestamp_updated": {"user_id", "chat_id", "timestamp"},
    "customer_created": {"customer"},
    "customer_banned": {"customer_id", "ban"},
    "agent_updated": {"agent_id", "routing_status"},
}
"""Push payload keys exactly as api-notes §4.4 lists them."""


class Room:
    """Logged-in sockets: two of the administrator, agent2 (all), limited (my:ro), access agent."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.sockets = {"admin": spec.rtm(ADMIN), "admin2": spec.rtm(ADMIN), AGENT2: spec.rtm(AGENT2),
                        LIMITED: spec.rtm(LIMITED), ACCESS: spec.rtm(ACCESS)}
        self.collect()

    def collect(self) -> dict[str, list[dict]]:
        """Pushes that reached each socket since the last collect."""
        return {name: sock.drain() for name, sock in self.sockets.items()}

    def close(self) -> None:
        for sock in self.sockets.values():
            sock.close()


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    proc = start_process(tmp_path_factory.mktemp("spec-pushes"))
    spec = Spec(proc)
    room = Room(spec)
    yield room
    room.close()
    spec.close()
    proc.kill()


def named(frames: list[dict], action: str) -> list[dict]:
    return [f for f in frames if f.get("action") == action]


def one_push(got: dict, who: str, action: str, request_id: str | None = None) -> dict:
    """The single `action` push `who` received (frame checked); its payload."""
    frames = named(got[who], action)
    assert len(frames) == 1, f"{who} expected one {action}: {got[who]}"
    frame = frames[0]
    if request_id is None:
        assert set(frame) == {"action", "type", "payload"}, frame
    else:
        assert set(frame) == {"request_id", "action", "type", "payload"}, frame
        assert frame["request_id"] == request_id
    assert frame["type"] == "push"
    payload = frame["payload"]
    if action in EXACT_KEYS:
        assert set(payload) == EXACT_KEYS[action], f"{action}: {sorted(payload)}"
    return payload


def none_of(got: dict, who: str, action: str | None = None) -> None:
    frames = got[who] if action is None else named(got[who], action)
    assert frames == [], f"{who} must not get {action or 'any push'}: {frames}"


def new_chat(room: Room, access: list[int] | None = None, as_: str = ADMIN) -> dict:
    """A started chat with a customer and a message (its pushes discarded)."""
    customer = room.spec.customer()["id"]
    chat = {"users": [{"id": customer, "type": "customer"}],
            "thread": {"events": [{"type": "message", "text": "hello there"}]}}
    if access is not None:
        chat["access"] = {"group_ids": access}
    started = room.spec.ok("start_chat", {"chat": chat}, as_=as_)["chat"]
    room.collect()
    return started


def test_login_response_payload(room):
    login = room.sockets["admin"].login
    assert {"license", "my_profile", "chats_summary"} <= set(login)
    assert {"id", "plan", "expiration_timestamp", "creation_timestamp", "in_trial"} <= set(login["license"])
    profile = login["my_profile"]
    assert profile["id"] == ADMIN and profile["type"] == "agent" and profile["permission"] == "administrator"
    assert isinstance(login["chats_summary"], list)
    assert room.sockets[LIMITED].login["my_profile"]["id"] == LIMITED


def test_start_chat_sample_pushes_incoming_chat_thread_to_those_with_access(room):
    spec = room.spec
    customer = spec.customer()["id"]
    room.collect()
    sample = {"chat": {"properties": {"source": {"type": "facebook"}},
                       "users": [{"id": customer, "type": "customer"}],
                       "thread": {"events": [{"type": "message", "custom_id": "31-0C-1C-07-DB-16",
                                              "text": "hello there", "recipients": "all"}],
                                  "tags": ["bug_report"]},
                       "access": {"group_ids": [1]}, "is_followed": True}, "continuous": True}
    chat = spec.ok("start_chat", sample)["chat"]
    got = room.collect()
    for who in ("admin", "admin2", AGENT2):
        payload = one_push(got, who, "incoming_chat_thread")
        assert set(payload) == {"chat"}
        pushed = payload["chat"]
        assert {"id", "users", "properties", "thread", "is_followed"} <= set(pushed)
        check_chat(pushed, thread=True)
        assert pushed["id"] == chat["id"] and pushed["thread"]["id"] == chat["thread"]["id"]
        assert [e["id"] for e in pushed["thread"]["events"]] == [e["id"] for e in chat["thread"]["events"]]
    none_of(got, LIMITED)
    none_of(got, ACCESS)  # group 1 access; the access agent is in group 0 only
    open_chat = spec.ok("start_chat", {"chat": {"access": {"group_ids": [0]}}})["chat"]
    got = room.collect()
    assert one_push(got, ACCESS, "incoming_chat_thread")["chat"]["id"] == open_chat["id"]
    none_of(got, LIMITED)


def test_chat_pushes_reach_members_and_followers_only(room):
    spec = room.spec
    chat = new_chat(room, access=[1])
    chat_id, thread_id = chat["id"], chat["thread"]["id"]
    event_id = chat["thread"]["events"][0]["id"]
    spec.ok("follow_chat", {"chat_id": chat_id}, as_=AGENT2)
    got = room.collect()
    assert one_push(got, AGENT2, "incoming_chat_thread")["chat"]["is_followed"] is True
    none_of(got, "admin"), none_of(got, LIMITED)
    spec.ok("follow_chat", {"chat_id": chat_id}, as_=AGENT2)  # already following: no push
    none_of(room.collect(), AGENT2)
    rating = {"rating": {"score": 2, "comment": "Very good, veeeery good"}}
    names = {"rating": ["score", "comment"]}
    steps = [
        ("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "hello world",
                                                      "recipients": "agents", "custom_id": "x-1"}},
         "incoming_event"),
        ("update_chat_properties", {"chat_id": chat_id, "properties": rating}, "chat_properties_updated"),
        ("update_chat_thread_properties", {"chat_id": chat_id, "thread_id": thread_id, "properties": rating},
         "chat_thread_properties_updated"),
        ("update_event_properties", {"chat_id": chat_id, "thread_id": thread_id, "event_id": event_id,
                                     "properties": rating}, "event_properties_updated"),
        ("delete_chat_properties", {"chat_id": chat_id, "properties": names}, "chat_properties_deleted"),
        ("delete_chat_thread_properties", {"chat_id": chat_id, "thread_id": thread_id, "properties": names},
         "chat_thread_properties_deleted"),
        ("delete_event_properties", {"chat_id": chat_id, "thread_id": thread_id, "event_id": event_id,
                                     "properties": names}, "event_properties_deleted"),
        ("tag_chat_thread", {"chat_id": chat_id, "thread_id": thread_id, "tag": "bug_report"},
         "chat_thread_tagged"),
        ("untag_chat_thread", {"chat_id": chat_id, "thread_id": thread_id, "tag": "bug_report"},
         "chat_thread_untagged"),
        ("update_last_seen_timestamp", {"chat_id": chat_id, "timestamp": 123456789},
         "last_seen_timestamp_updated"),
    ]
    for action, payload, push in steps:
        spec.ok(action, payload)
        got = room.collect()
        copies = [one_push(got, who, push) for who in ("admin", "admin2", AGENT2)]
        assert copies[0] == copies[1] == copies[2], push
        body = copies[0]
        assert body["chat_id"] == chat_id
        if "thread_id" in body:
            assert body["thread_id"] == thread_id
        if push == "incoming_event":
            check_event(body["event"])
            assert (body["event"]["text"], body["event"]["custom_id"]) == ("hello world", "x-1")
        elif push.endswith("_updated") and "properties" in body:
            check_props(body["properties"])
            assert body["properties"] == {"rating": {"score": {"value": 2},
                                                     "comment": {"value": "Very good, veeeery good"}}}
        elif push.endswith("_deleted"):
            assert body["properties"] == names
        elif push.startswith("chat_thread_"):
            assert body["tag"] == "bug_report"
        elif push == "last_seen_timestamp_updated":
            assert (body["user_id"], body["timestamp"]) == (ADMIN, 123456789)
        if "event_id" in body:
            assert body["event_id"] == event_id
        none_of(got, LIMITED)
        none_of(got, ACCESS)


def test_file_typing_and_postback_pushes(room):
    spec = room.spec
    chat = new_chat(room)
    chat_id = chat["id"]
    spec.ok("follow_chat", {"chat_id": chat_id}, as_=AGENT2)
    room.collect()
    url = spec.ok("send_file", files={"payload.file": ("test.png", PNG, "image/png")},
                  data={"payload.chat_id": chat_id, "payload.custom_id": "12345-bhdsa"})["url"]
    got = room.collect()
    for who in ("admin", AGENT2):
        event = one_push(got, who, "incoming_event")["event"]
        assert (event["type"], event["url"], event["custom_id"]) == ("file", url, "12345-bhdsa")
    none_of(got, LIMITED)
    spec.ok("send_typing_indicator", {"chat_id": chat_id, "recipients": "all", "is_typing": True})
    got = room.collect()
    typing = one_push(got, AGENT2, "incoming_typing_indicator")
    assert {"chat_id", "thread_id", "typing_indicator"} <= set(typing)
    assert {"author_id", "recipients", "timestamp"} <= set(typing["typing_indicator"])
    assert typing["typing_indicator"]["author_id"] == ADMIN
    none_of(got, "admin", "incoming_typing_indicator"), none_of(got, LIMITED)
    rich = spec.ok("send_event", {"chat_id": chat_id, "event": {
        "type": "rich_message", "template_id": "cards", "elements": [{"buttons": [
            {"text": "Yes", "postback_id": "Method URL_yes"}]}]}})
    room.collect()
    spec.ok("send_rich_message_postback", {"chat_id": chat_id, "thread_id": rich["thread_id"],
                                           "event_id": rich["event"]["id"],
                                           "postback": {"id": "Method URL_yes", "toggled": True}})
    got = room.collect()
    for who in ("admin", AGENT2):
        postback = one_push(got, who, "incoming_rich_message_postback")
        assert postback == {"user_id": ADMIN, "chat_id": chat_id, "thread_id": rich["thread_id"],
                            "event_id": rich["event"]["id"], "postback": {"id": "Method URL_yes", "toggled": True}}
    none_of(got, LIMITED)


def test_key_changes_reach_everyone_with_access(room):
    spec = room.spec
    chat = new_chat(room, access=[1])
    chat_id = chat["id"]
    spec.ok("grant_access", {"resource": "chat", "id": chat_id, "access": {"type": "group", "id": 0}})
    got = room.collect()
    for who in ("admin", AGENT2, ACCESS):  # the access agent can see it now
        granted = one_push(got, who, "access_granted")
        assert granted == {"resource": "chat", "id": chat_id, "access": {"group_ids": [0, 1]}}
    none_of(got, LIMITED)
    spec.ok("set_access", {"resource": "chat", "id": chat_id, "access": {"type": "group", "id": 0}})
    got = room.collect()
    assert one_push(got, ACCESS, "access_set")["access"] == {"group_ids": [0]}
    spec.ok("grant_access", {"resource": "chat", "id": chat_id, "access": {"type": "group", "id": 1}})
    room.collect()
    spec.ok("revoke_access", {"resource": "chat", "id": chat_id, "access": {"type": "group", "id": 1}})
    got = room.collect()
    for who in ("admin", AGENT2, ACCESS):
        assert one_push(got, who, "access_revoked") == {"resource": "chat", "id": chat_id,
                                                        "access": {"group_ids": [0]}}
    none_of(got, LIMITED)
    spec.ok("add_user_to_chat", {"chat_id": chat_id, "user_id": LIMITED, "user_type": "agent"})
    got = room.collect()
    added = one_push(got, AGENT2, "chat_user_added")
    assert added["user"]["id"] == LIMITED and added["user_type"] == "agent" and added["chat_id"] == chat_id
    assert added["thread_id"] == chat["thread"]["id"]
    spec.ok("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "member now"}})
    assert one_push(room.collect(), LIMITED, "incoming_event")["event"]["text"] == "member now"
    spec.ok("remove_user_from_chat", {"chat_id": chat_id, "user_id": LIMITED, "user_type": "agent"})
    got = room.collect()
    removed = one_push(got, "admin", "chat_user_removed")
    assert removed == {"chat_id": chat_id, "thread_id": chat["thread"]["id"], "user_id": LIMITED,
                       "user_type": "agent"}
    spec.ok("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "gone"}})
    none_of(room.collect(), LIMITED)
    spec.ok("transfer_chat", {"chat_id": chat_id, "target": {"type": "agent", "ids": [AGENT2]}, "force": True})
    got = room.collect()
    for who in ("admin", AGENT2, ACCESS):
        moved = one_push(got, who, "chat_transferred")
        assert moved == {"chat_id": chat_id, "requester_id": ADMIN, "type": "agent", "ids": [AGENT2]}
    none_of(got, LIMITED)
    spec.ok("close_thread", {"chat_id": chat_id}, as_=AGENT2)
    got = room.collect()
    for who in ("admin", AGENT2, ACCESS):
        closed = one_push(got, who, "thread_closed")
        assert {"chat_id", "thread_id"} <= set(closed) <= {"chat_id", "thread_id", "user_id"}
        assert (closed["chat_id"], closed["thread_id"], closed.get("user_id")) == (
            chat_id, chat["thread"]["id"], AGENT2)
    none_of(got, LIMITED)
    activated = spec.ok("activate_chat", {"chat": {"id": chat_id}}, as_=AGENT2)["chat"]
    got = room.collect()
    pushed = one_push(got, AGENT2, "incoming_chat_thread")["chat"]
    check_thread(pushed["thread"])
    assert pushed["thread"]["active"] is True and pushed["thread"]["id"] != chat["thread"]["id"]
    assert pushed["id"] == activated["id"] == chat_id
    none_of(got, LIMITED)


def test_event_on_an_inactive_chat_pushes_incoming_chat_thread_instead(room):
    spec = room.spec
    chat = new_chat(room)
    spec.ok("follow_chat", {"chat_id": chat["id"]}, as_=AGENT2)
    spec.ok("close_thread", {"chat_id": chat["id"]})
    room.collect()
    sent = spec.ok("send_event", {"chat_id": chat["id"], "event": {"type": "message", "text": "new thread"}})
    assert sent["thread_id"] != chat["thread"]["id"]
    got = room.collect()
    for who in ("admin", AGENT2):
        none_of(got, who, "incoming_event")
        pushed = one_push(got, who, "incoming_chat_thread")["chat"]
        assert pushed["thread"]["id"] == sent["thread_id"] and pushed["thread"]["active"] is True
        assert sent["event"]["id"] in [e["id"] for e in pushed["thread"]["events"]]
    none_of(got, LIMITED)
    spec.ok("close_thread", {"chat_id": chat["id"]})
    room.collect()
    url = spec.ok("send_file", files={"payload.file": ("a.txt", b"abc", "text/plain")},
                  data={"payload.chat_id": chat["id"]})["url"]
    got = room.collect()
    none_of(got, AGENT2, "incoming_event")
    events = one_push(got, AGENT2, "incoming_chat_thread")["chat"]["thread"]["events"]
    assert url in [e.get("url") for e in events]


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
    created = spec.ok("create_customer", {"email": "customer1@example.com",
                                          "avatar": "https://domain.com/avatars/1.jpg",
                                          "fields": {"some_key": "some_value"}})
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
    sample = {"scopes": {"agents": {"all": True, "ids": [ADMIN, AGENT2], "groups": [1, 2]},
                         "customers": {"ids": [customer]}},
              "content": {"example": {"nested": "json"}}, "type": "type1"}
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
    calls = [("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "over rtm"}},
              "incoming_event"),
             ("tag_chat_thread", {"chat_id": chat_id, "thread_id": thread_id, "tag": "rtm"}, "chat_thread_tagged"),
             ("update_chat_properties", {"chat_id": chat_id, "properties": {"rating": {"score": 1}}},
              "chat_properties_updated"),
             ("close_thread", {"chat_id": chat_id}, "thread_closed")]
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
