"""Spec conformance, part 1: the method reference's own sample request for every one of the 35
actions, replayed over plain HTTP against a real `lcconsole emulator --seed empty --no-simulate`
process, with the documented response shapes checked. Only ids that must exist are substituted
(the samples' `...` and missing commas are written as the JSON they obviously mean).
Listings: test_spec_conformance_lists.py; errors and scopes: test_spec_conformance_errors.py;
pushes: test_spec_conformance_pushes.py.
"""

from __future__ import annotations

import copy
import json

import pytest
from _spec_client import (
    ACCESS,
    ADMIN,
    AGENT2,
    NO_PAYLOAD,
    PNG,
    SPEC_CUSTOMER,
    Spec,
    check_chat,
    check_customer,
    check_event,
    check_props,
    fetch,
    is_int,
    start_process,
)
from api.samples import REQUESTS

from lcconsole.wire.actions import ACTIONS

COVERED: set[str] = set()
LISTS = {"get_chat_threads_summary", "get_customers", "get_chats_summary", "get_archives"}
"""Replayed in test_spec_conformance_lists.py."""

START_CHAT_SAMPLE = REQUESTS["start_chat"]
"""The docs' first `start_chat` sample (the one tests/api sends); `sample()` copies it."""


def sample(obj, **ids):
    """A deep copy of a sample with the spec's example ids replaced by real ones."""
    text = json.dumps(obj)
    for spec_id, real in (
        ("PJ0MRSHTDG", ids.get("chat")),
        ("K600PKZON8", ids.get("thread")),
        ("2_EW2WQSA8", ids.get("event")),
        ("a0c22fdd-fb71-40b5-bfc6-a8a0bc3117f7", ids.get("event")),
        (SPEC_CUSTOMER, ids.get("customer")),
        ("d4efab70-984f-40ee-aa09-c9cc3c4b0882", ids.get("customer")),
    ):
        if real is not None:
            text = text.replace(spec_id, real)
    return json.loads(text)


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    proc = start_process(tmp_path_factory.mktemp("spec"))
    client = Spec(proc)
    yield client
    client.close()
    proc.kill()


@pytest.fixture(scope="module")
def started(spec):
    """The first start_chat sample (customer created first), as answered."""
    customer = spec.customer()["id"]
    chat = spec.ok("start_chat", sample(START_CHAT_SAMPLE, customer=customer))["chat"]
    return {"chat": chat, "customer": customer}


def ok(spec, action, payload=None, **kw):
    COVERED.add(action)
    return spec.ok(action, payload, **kw)


def test_start_chat_sample_response_shape(spec):
    customer = spec.customer()["id"]
    body = ok(spec, "start_chat", sample(START_CHAT_SAMPLE, customer=customer))
    assert set(body) == {"chat"}
    chat = body["chat"]
    check_chat(chat, thread=True)
    assert {"id", "users", "thread"} <= set(chat)
    assert customer in [u["id"] for u in chat["users"] if u["type"] == "customer"]
    thread = chat["thread"]
    assert thread["active"] is True
    assert [
        (e["type"], e["custom_id"], e["text"], e["recipients"])
        for e in thread["events"]
        if e["type"] in ("message", "system_message") and e.get("custom_id")
    ] == [
        ("message", "31-0C-1C-07-DB-16", "hello there", "all"),
        ("system_message", "31-0C-1C-07-DB-16", "hello there", "agents"),
    ]
    assert len({e["id"] for e in thread["events"]}) == len(thread["events"])
    assert thread["tags"] == ["bug_report"]
    assert thread["properties"]["source"]["type"] == {"value": "facebook"}
    assert chat["properties"]["source"]["type"] == {"value": "facebook"}
    assert chat["access"] == {"group_ids": [1]}
    assert ADMIN in thread["user_ids"] and customer in thread["user_ids"]


def test_start_chat_second_sample_plain_body(spec):
    customer = spec.customer()["id"]
    second = copy.deepcopy(START_CHAT_SAMPLE)
    del second["continuous"], second["chat"]["is_followed"], second["chat"]["thread"]["tags"]
    body = ok(spec, "start_chat", sample(second, customer=customer), wrapped=False)
    check_chat(body["chat"], thread=True)


def test_get_chat_threads_sample(spec, started):
    chat, thread = started["chat"], started["chat"]["thread"]
    body = ok(spec, "get_chat_threads", {"chat_id": chat["id"], "thread_ids": [thread["id"]]})
    assert set(body) == {"chat"}
    got = body["chat"]
    check_chat(got, threads=True)
    assert got["id"] == chat["id"]
    assert [t["id"] for t in got["threads"]] == [thread["id"]]
    assert got["threads"][0]["events"] == thread["events"]
    assert all(set(s) == {"thread_id", "order"} and is_int(s["order"]) for s in got["threads_summary"])
    assert thread["id"] in [s["thread_id"] for s in got["threads_summary"]]
    assert {"properties", "access"} <= set(got)
    plain = spec.ok("get_chat_threads", {"chat_id": chat["id"], "thread_ids": [thread["id"]]}, wrapped=False)
    assert plain == body


def test_send_event_sample(spec, started):
    payload = {
        "chat_id": started["chat"]["id"],
        "attach_to_last_thread": False,
        "event": {"type": "message", "text": "hello world", "recipients": "agents", "custom_id": "31-0C-1C-07-DB-16"},
    }
    body = ok(spec, "send_event", payload)
    assert set(body) == {"thread_id", "event"}
    check_event(body["event"])
    assert body["thread_id"] == started["chat"]["thread"]["id"]  # the thread is still active
    event = body["event"]
    assert (event["type"], event["text"], event["recipients"], event["custom_id"], event["author_id"]) == (
        "message",
        "hello world",
        "agents",
        "31-0C-1C-07-DB-16",
        ADMIN,
    )
    assert event["order"] > max(e["order"] for e in started["chat"]["thread"]["events"])
    again = ok(spec, "send_event", payload, wrapped=False)
    assert again["event"]["id"] != event["id"] and again["event"]["order"] > event["order"]


def test_activate_chat_sample(spec):
    chat = spec.chat()
    ok(spec, "close_thread", {"chat_id": chat["id"]})
    payload = {
        "chat": {
            "id": chat["id"],
            "access": {"group_ids": [1]},
            "properties": {"source": {"type": "facebook"}},
            "thread": {
                "events": [
                    {"type": "message", "custom_id": "31-0C-1C-07-DB-16", "text": "hello there"},
                    {"type": "system_message", "custom_id": "31-0C-1C-07-DB-16", "text": "hello there"},
                ],
                "properties": {"source": {"type": "facebook"}},
                "tags": ["bug_report"],
            },
        }
    }
    body = ok(spec, "activate_chat", payload)
    assert set(body) == {"chat"}
    got = body["chat"]
    assert got["id"] == chat["id"]
    assert {"id", "users", "properties", "access", "is_followed"} <= set(got)
    assert "thread" in got or "threads" in got
    check_chat(got, thread="thread" in got, threads="threads" in got)
    newest = got["thread"] if "thread" in got else got["threads"][-1]
    assert newest["active"] is True and newest["id"] != chat["thread"]["id"]
    assert [e["text"] for e in newest["events"] if e.get("custom_id") == "31-0C-1C-07-DB-16"] == [
        "hello there",
        "hello there",
    ]
    assert newest["tags"] == ["bug_report"]
    assert got["access"] == {"group_ids": [1]}


def test_add_and_remove_user_samples(spec):
    chat = spec.chat(as_=AGENT2)  # agent1 (the sample's user) is not a member yet
    payload = {"chat_id": chat["id"], "user_id": "agent1@example.com", "user_type": "agent"}
    ok(spec, "add_user_to_chat", payload)
    users = spec.ok("get_chat_threads", {"chat_id": chat["id"]})["chat"]["users"]
    assert ADMIN in [u["id"] for u in users]
    ok(spec, "remove_user_from_chat", payload, wrapped=False)
    users = spec.ok("get_chat_threads", {"chat_id": chat["id"]})["chat"]["users"]
    assert ADMIN not in [u["id"] for u in users]


def test_send_file_sample_and_served_back(spec, started):
    body = ok(
        spec,
        "send_file",
        files={"payload.file": ("test.png", PNG, "image/png")},
        data={"payload.chat_id": started["chat"]["id"], "payload.custom_id": "12345-bhdsa"},
    )
    assert set(body) == {"url"} and body["url"].startswith("http")
    served = fetch(body["url"])
    assert served.status_code == 200 and served.content == PNG
    events = spec.ok("get_chat_threads", {"chat_id": started["chat"]["id"]})["chat"]["threads"][-1]["events"]
    [file_event] = [e for e in events if e.get("custom_id") == "12345-bhdsa"]
    assert file_event["type"] == "file" and file_event["url"] == body["url"]
    assert file_event["name"] == "test.png" and file_event["size"] == len(PNG)
    assert file_event["content_type"] == "image/png"


def test_upload_image_sample_and_served_back(spec):
    body = ok(spec, "upload_image", files={"payload.image": ("test.png", PNG, "image/png")})
    assert set(body) == {"url", "path"}
    assert body["url"].endswith(body["path"]) and not body["path"].startswith("/")
    served = fetch(body["url"])
    assert served.status_code == 200 and served.content == PNG
    assert served.headers["content-type"].startswith("image/png")
    raw = (
        b'--b0\r\nContent-Disposition: form-data; name="payload.image"; filename="test.png"\r\n\r\n'
        + PNG
        + b"\r\n--b0--\r\n"
    )  # a part without a Content-Type, as some clients send it
    body = spec.ok("upload_image", content=raw, headers={"Content-Type": "multipart/form-data; boundary=b0"})
    assert fetch(body["url"]).content == PNG


def test_send_rich_message_postback_sample(spec, started):
    chat_id = started["chat"]["id"]
    rich = spec.ok(
        "send_event",
        {
            "chat_id": chat_id,
            "attach_to_last_thread": True,
            "event": {
                "type": "rich_message",
                "template_id": "quick_replies",
                "elements": [
                    {
                        "title": "Did it help?",
                        "buttons": [
                            {"text": "Yes", "postback_id": "Method URL_yes"},
                            {"text": "No", "postback_id": "Method URL_no"},
                        ],
                    }
                ],
            },
        },
    )
    payload = {
        "chat_id": chat_id,
        "thread_id": rich["thread_id"],
        "event_id": rich["event"]["id"],
        "postback": {"id": "Method URL_yes", "toggled": True},
    }
    ok(spec, "send_rich_message_postback", payload)
    threads = spec.ok("get_chat_threads", {"chat_id": chat_id, "thread_ids": [rich["thread_id"]]})
    [event] = [e for e in threads["chat"]["threads"][0]["events"] if e["id"] == rich["event"]["id"]]
    buttons = event["elements"][0]["buttons"]
    assert buttons[0]["user_ids"] == [ADMIN] and buttons[1]["user_ids"] == []


def test_multicast_sample(spec):
    customer = spec.customer()["id"]
    ok(
        spec,
        "multicast",
        {
            "scopes": {
                "agents": {"all": True, "ids": ["agent1@example.com", "agent2@example.com"], "groups": [1, 2]},
                "customers": {"ids": [customer]},
            },
            "content": {"example": {"nested": "json"}},
            "type": "type1",
        },
    )


def test_send_typing_indicator_sample(spec, started):
    ok(spec, "send_typing_indicator", {"chat_id": started["chat"]["id"], "recipients": "all", "is_typing": True})


def test_ban_customer_sample(spec):
    customer = spec.customer()["id"]
    ok(spec, "ban_customer", {"customer_id": customer, "ban": {"days": 5}})


def test_close_thread_sample(spec):
    chat = spec.chat()
    ok(spec, "close_thread", {"chat_id": chat["id"]})
    threads = spec.ok("get_chat_threads", {"chat_id": chat["id"]})["chat"]["threads"]
    assert threads[-1]["active"] is False


def test_transfer_chat_sample(spec):
    chat = spec.chat()
    ok(spec, "transfer_chat", {"chat_id": chat["id"], "target": {"type": "group", "ids": [1]}, "force": True})
    got = spec.ok("get_chat_threads", {"chat_id": chat["id"]})["chat"]
    assert 1 in got["access"]["group_ids"]


@pytest.mark.parametrize("action", ["grant_access", "revoke_access", "set_access"])
def test_access_samples(spec, action):
    chat = spec.chat()
    ok(spec, action, {"resource": "chat", "id": chat["id"], "access": {"type": "group", "id": 1}})
    groups = spec.ok("get_chat_threads", {"chat_id": chat["id"]})["chat"]["access"]["group_ids"]
    assert (1 in groups) == (action != "revoke_access")
    if action == "set_access":
        assert groups == [1]


def test_access_by_agent_and_on_customers(spec):
    """The spec's other shapes: `access.type: agent` (an e-mail id) and `resource: customer`."""
    chat = spec.chat()
    base = {"resource": "chat", "id": chat["id"]}
    spec.ok("set_access", {**base, "access": {"type": "group", "id": 1}})
    spec.fails(403, "authorization", "get_chat_threads", {"chat_id": chat["id"]}, as_=ACCESS)
    ok(spec, "grant_access", {**base, "access": {"type": "agent", "id": ACCESS}})
    got = spec.ok("get_chat_threads", {"chat_id": chat["id"]}, as_=ACCESS)["chat"]
    assert got["access"] == {"group_ids": [1], "agent_ids": [ACCESS]}
    ok(spec, "revoke_access", {**base, "access": {"type": "agent", "id": ACCESS}})
    spec.fails(403, "authorization", "get_chat_threads", {"chat_id": chat["id"]}, as_=ACCESS)
    spec.fails(400, "validation", "grant_access", {**base, "access": {"type": "agent", "id": 7}})
    spec.fails(400, "validation", "grant_access", {**base, "access": {"type": "group", "id": ACCESS}})
    customer = spec.customer()["id"]

    def listed() -> set[str]:
        return {c["id"] for c in spec.ok("get_customers", {"limit": 100}, as_=ACCESS)["customers"]}

    assert customer in listed()
    for action in ("grant_access", "revoke_access", "set_access"):
        ok(spec, action, {"resource": "customer", "id": customer, "access": {"type": "group", "id": 1}})
    assert customer not in listed()  # restricted to group 1; the access agent is in group 0
    ok(spec, "grant_access", {"resource": "customer", "id": customer, "access": {"type": "agent", "id": ACCESS}})
    assert customer in listed()


def test_update_agent_sample(spec):
    ok(spec, "update_agent", {"routing_status": "accepting_chats"})


def test_properties_samples(spec, started):
    chat_id, thread_id = started["chat"]["id"], started["chat"]["thread"]["id"]
    event_id = started["chat"]["thread"]["events"][0]["id"]
    rating = {"rating": {"score": 2, "comment": "Very good, veeeery good"}}
    ok(spec, "update_chat_properties", {"chat_id": chat_id, "properties": rating})
    ok(spec, "update_chat_thread_properties", {"chat_id": chat_id, "thread_id": thread_id, "properties": rating})
    ok(
        spec,
        "update_event_properties",
        {
            "chat_id": chat_id,
            "thread_id": thread_id,
            "event_id": event_id,
            "properties": {"rating": {"score": 1, "comment": "Very good, veeeery good"}},
        },
    )
    got = spec.ok("get_chat_threads", {"chat_id": chat_id, "thread_ids": [thread_id]})["chat"]
    thread = got["threads"][0]
    [event] = [e for e in thread["events"] if e["id"] == event_id]
    for props in (got["properties"], thread["properties"], event["properties"]):
        check_props(props)
    assert got["properties"]["rating"] == {"score": {"value": 2}, "comment": {"value": "Very good, veeeery good"}}
    assert thread["properties"]["rating"]["score"] == {"value": 2}
    assert event["properties"]["rating"]["score"] == {"value": 1}
    names = {"rating": ["score", "comment"]}
    ok(spec, "delete_chat_properties", {"chat_id": chat_id, "properties": names})
    ok(spec, "delete_chat_thread_properties", {"chat_id": chat_id, "thread_id": thread_id, "properties": names})
    ok(
        spec,
        "delete_event_properties",
        {"chat_id": chat_id, "thread_id": thread_id, "event_id": event_id, "properties": names},
        wrapped=False,
    )
    got = spec.ok("get_chat_threads", {"chat_id": chat_id, "thread_ids": [thread_id]})["chat"]
    thread = got["threads"][0]
    [event] = [e for e in thread["events"] if e["id"] == event_id]
    assert not got["properties"].get("rating") and not thread["properties"].get("rating")
    assert not event.get("properties", {}).get("rating")


def test_tag_samples(spec, started):
    chat_id, thread_id = started["chat"]["id"], started["chat"]["thread"]["id"]
    ok(spec, "untag_chat_thread", {"chat_id": chat_id, "thread_id": thread_id, "tag": "bug_report"})
    tags = spec.ok("get_chat_threads", {"chat_id": chat_id, "thread_ids": [thread_id]})["chat"]["threads"][0]["tags"]
    assert tags == []
    ok(spec, "tag_chat_thread", {"chat_id": chat_id, "thread_id": thread_id, "tag": "bug_report"})
    tags = spec.ok("get_chat_threads", {"chat_id": chat_id, "thread_ids": [thread_id]})["chat"]["threads"][0]["tags"]
    assert tags == ["bug_report"]


def test_follow_and_unfollow_samples(spec):
    chat = spec.chat(as_=AGENT2)
    ok(spec, "follow_chat", {"chat_id": chat["id"]})
    assert spec.ok("get_chat_threads", {"chat_id": chat["id"]})["chat"]["is_followed"] is True
    ok(spec, "unfollow_chat", {"chat_id": chat["id"]})
    assert spec.ok("get_chat_threads", {"chat_id": chat["id"]})["chat"]["is_followed"] is False


def test_update_last_seen_timestamp_sample(spec, started):
    body = ok(spec, "update_last_seen_timestamp", {"chat_id": started["chat"]["id"], "timestamp": 123456789})
    assert set(body) == {"timestamp"} and is_int(body["timestamp"])
    fresh = spec.chat()
    body = spec.ok("update_last_seen_timestamp", {"chat_id": fresh["id"], "timestamp": 123456789})
    assert body == {"timestamp": 123456789}
    now = spec.ok("update_last_seen_timestamp", {"chat_id": fresh["id"]})
    assert is_int(now["timestamp"]) and now["timestamp"] > 1_600_000_000


def test_create_and_update_customer_samples(spec):
    created = ok(
        spec,
        "create_customer",
        {
            "email": "customer1@example.com",
            "avatar": "https://domain.com/avatars/1.jpg",
            "fields": {"some_key": "some_value"},
        },
    )
    check_customer(created)
    assert (created["email"], created["avatar"], created["fields"]) == (
        "customer1@example.com",
        "https://domain.com/avatars/1.jpg",
        {"some_key": "some_value"},
    )
    updated = ok(
        spec,
        "update_customer",
        {
            "customer_id": created["id"],
            "name": "John Doe",
            "avatar": "https://domain.com/avatars/1.jpg",
            "fields": {"score": "low"},
        },
    )
    check_customer(updated)
    assert updated["id"] == created["id"] and updated["name"] == "John Doe"
    assert updated["email"] == "customer1@example.com" and updated["fields"]["score"] == "low"


def test_every_action_was_replayed():
    missing = set(ACTIONS) - COVERED - LISTS
    assert not missing, sorted(missing)
    assert NO_PAYLOAD == {name for name, a in ACTIONS.items() if not a.returns_payload}
