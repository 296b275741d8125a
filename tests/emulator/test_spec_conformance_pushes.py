"""Spec conformance, part 3: the chat pushes of docs/api-notes.md §4.4 over plain websockets against a
real emulator process — who gets each push (members, followers, agents with access), the
documented payload keys, and nothing for an agent without access. Login, customer/agent pushes,
multicast and request_id: test_spec_conformance_rtm.py.
"""

from __future__ import annotations

import pytest
from _spec_client import ACCESS, ADMIN, AGENT2, LIMITED, PNG, check_chat, check_event, check_props, check_thread
from _spec_pushes import new_chat, none_of, one_push, room_of


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    yield from room_of(tmp_path_factory.mktemp("spec-pushes"))


def test_start_chat_sample_pushes_incoming_chat_thread_to_those_with_access(room):
    spec = room.spec
    customer = spec.customer()["id"]
    room.collect()
    sample = {
        "chat": {
            "properties": {"source": {"type": "facebook"}},
            "users": [{"id": customer, "type": "customer"}],
            "thread": {
                "events": [
                    {"type": "message", "custom_id": "31-0C-1C-07-DB-16", "text": "hello there", "recipients": "all"}
                ],
                "tags": ["bug_report"],
            },
            "access": {"group_ids": [1]},
            "is_followed": True,
        },
        "continuous": True,
    }
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
        assert pushed["is_followed"] is (who != AGENT2)  # the sample's is_followed: the requester follows
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
        (
            "send_event",
            {
                "chat_id": chat_id,
                "event": {"type": "message", "text": "hello world", "recipients": "agents", "custom_id": "x-1"},
            },
            "incoming_event",
        ),
        ("update_chat_properties", {"chat_id": chat_id, "properties": rating}, "chat_properties_updated"),
        (
            "update_chat_thread_properties",
            {"chat_id": chat_id, "thread_id": thread_id, "properties": rating},
            "chat_thread_properties_updated",
        ),
        (
            "update_event_properties",
            {"chat_id": chat_id, "thread_id": thread_id, "event_id": event_id, "properties": rating},
            "event_properties_updated",
        ),
        ("delete_chat_properties", {"chat_id": chat_id, "properties": names}, "chat_properties_deleted"),
        (
            "delete_chat_thread_properties",
            {"chat_id": chat_id, "thread_id": thread_id, "properties": names},
            "chat_thread_properties_deleted",
        ),
        (
            "delete_event_properties",
            {"chat_id": chat_id, "thread_id": thread_id, "event_id": event_id, "properties": names},
            "event_properties_deleted",
        ),
        ("tag_chat_thread", {"chat_id": chat_id, "thread_id": thread_id, "tag": "bug_report"}, "chat_thread_tagged"),
        (
            "untag_chat_thread",
            {"chat_id": chat_id, "thread_id": thread_id, "tag": "bug_report"},
            "chat_thread_untagged",
        ),
        ("update_last_seen_timestamp", {"chat_id": chat_id, "timestamp": 123456789}, "last_seen_timestamp_updated"),
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
            assert body["properties"] == {
                "rating": {"score": {"value": 2}, "comment": {"value": "Very good, veeeery good"}}
            }
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
    url = spec.ok(
        "send_file",
        files={"payload.file": ("test.png", PNG, "image/png")},
        data={"payload.chat_id": chat_id, "payload.custom_id": "12345-bhdsa"},
    )["url"]
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
    rich = spec.ok(
        "send_event",
        {
            "chat_id": chat_id,
            "event": {
                "type": "rich_message",
                "template_id": "cards",
                "elements": [{"buttons": [{"text": "Yes", "postback_id": "Method URL_yes"}]}],
            },
        },
    )
    room.collect()
    spec.ok(
        "send_rich_message_postback",
        {
            "chat_id": chat_id,
            "thread_id": rich["thread_id"],
            "event_id": rich["event"]["id"],
            "postback": {"id": "Method URL_yes", "toggled": True},
        },
    )
    got = room.collect()
    for who in ("admin", AGENT2):
        postback = one_push(got, who, "incoming_rich_message_postback")
        assert postback == {
            "user_id": ADMIN,
            "chat_id": chat_id,
            "thread_id": rich["thread_id"],
            "event_id": rich["event"]["id"],
            "postback": {"id": "Method URL_yes", "toggled": True},
        }
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
        assert one_push(got, who, "access_revoked") == {"resource": "chat", "id": chat_id, "access": {"group_ids": [0]}}
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
    assert removed == {"chat_id": chat_id, "thread_id": chat["thread"]["id"], "user_id": LIMITED, "user_type": "agent"}
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
            chat_id,
            chat["thread"]["id"],
            AGENT2,
        )
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
    url = spec.ok(
        "send_file", files={"payload.file": ("a.txt", b"abc", "text/plain")}, data={"payload.chat_id": chat["id"]}
    )["url"]
    got = room.collect()
    none_of(got, AGENT2, "incoming_event")
    events = one_push(got, AGENT2, "incoming_chat_thread")["chat"]["thread"]["events"]
    assert url in [e.get("url") for e in events]


def test_agent_and_customer_access_pushes(room):
    spec = room.spec
    chat = new_chat(room, access=[1])
    chat_id = chat["id"]
    spec.ok("grant_access", {"resource": "chat", "id": chat_id, "access": {"type": "agent", "id": ACCESS}})
    got = room.collect()
    for who in ("admin", AGENT2, ACCESS):  # the access agent is named: it can see the chat now
        assert one_push(got, who, "access_granted") == {
            "resource": "chat",
            "id": chat_id,
            "access": {"group_ids": [1], "agent_ids": [ACCESS]},
        }
    none_of(got, LIMITED)
    spec.ok("close_thread", {"chat_id": chat_id})
    assert one_push(room.collect(), ACCESS, "thread_closed")["chat_id"] == chat_id
    spec.ok("revoke_access", {"resource": "chat", "id": chat_id, "access": {"type": "agent", "id": ACCESS}})
    got = room.collect()
    assert one_push(got, ACCESS, "access_revoked")["access"] == {"group_ids": [1], "agent_ids": []}
    customer = spec.customer()["id"]
    room.collect()
    spec.ok("set_access", {"resource": "customer", "id": customer, "access": {"type": "group", "id": 2}})
    got = room.collect()
    for who in ("admin", AGENT2, ACCESS):  # customers:ro holders who could list it before
        assert one_push(got, who, "access_set") == {
            "resource": "customer",
            "id": customer,
            "access": {"group_ids": [2]},
        }
    none_of(got, LIMITED)
    spec.ok("grant_access", {"resource": "customer", "id": customer, "access": {"type": "group", "id": 1}})
    got = room.collect()
    none_of(got, ACCESS)  # cannot list the restricted customer before nor after
    assert one_push(got, AGENT2, "access_granted")["access"] == {"group_ids": [1, 2]}
