"""Deleted events against a real emulator process: the v3.6 customer's `delete_event`, the
`event_deleted` push (v3.6 sockets only), the original event with `deleted: true` for an
administrator and the documented Deleted Event stub for a `normal` agent (responses and pushes),
and nothing at all for the customer."""

from __future__ import annotations

from _v36_client import (
    ADMIN,
    AGENT2,
    api,  # noqa: F401  (a fixture, used by parameter name)
    check_error,
    one,
    pushes_named,
)
from test_v36_customer import Customer36

STUB_KEYS = {"id", "created_at", "type", "visibility", "deleted", "author_id", "custom_id"}


def _events_of(chat: dict) -> dict[str, dict]:
    return {e["id"]: e for e in chat["thread"]["events"]}


def test_a_customer_deletes_an_event(api):
    me = Customer36(api, "Deleter")
    started = me.ok(
        "start_chat",
        {
            "chat": {
                "thread": {
                    "events": [
                        {"type": "message", "text": "my card is 4111 1111", "custom_id": "oops"},
                        {"type": "message", "text": "keep this"},
                    ]
                }
            }
        },
    )
    chat_id, thread_id = started["chat_id"], started["thread_id"]
    gone, kept = started["event_ids"]
    for agent in (ADMIN, AGENT2):
        api.join(chat_id, agent)
    admin36, normal36, admin30 = api.rtm(ADMIN), api.rtm(AGENT2), api.rtm(ADMIN, "3.0")
    try:
        for sock in (admin36, normal36, admin30):
            sock.drain()
        assert me.ok("delete_event", {"chat_id": chat_id, "thread_id": thread_id, "event_id": gone}) == {}
        expected = {"chat_id": chat_id, "thread_id": thread_id, "event_id": gone}
        assert one(admin36.drain(), "event_deleted") == expected
        assert one(normal36.drain(), "event_deleted") == expected
        assert pushes_named(admin30.drain(), "event_deleted") == []

        # a push carrying the deleted event: a normal agent gets the stub there too
        api.ok("remove_user_from_chat", {"chat_id": chat_id, "user_id": AGENT2, "user_type": "agent"})
        normal36.drain()
        assert normal36.request("follow_chat", {"id": chat_id})["success"]
        pushed = one(normal36.drain() + normal36.pushes, "incoming_chat")["chat"]
        assert set(_events_of(pushed)[gone]) <= STUB_KEYS
    finally:
        for sock in (admin36, normal36, admin30):
            sock.close()

    full = _events_of(api.ok("get_chat", {"chat_id": chat_id}))
    assert full[gone]["deleted"] is True and full[gone]["text"] == "my card is 4111 1111"
    assert "deleted" not in full[kept]

    stub = _events_of(api.ok("get_chat", {"chat_id": chat_id}, as_=AGENT2))[gone]
    assert set(stub) == {"id", "created_at", "type", "visibility", "deleted", "author_id", "custom_id"}
    assert stub == {
        "id": gone,
        "created_at": full[gone]["created_at"],
        "type": "message",
        "visibility": "all",
        "deleted": True,
        "author_id": me.id,
        "custom_id": "oops",
    }
    listed = api.ok("list_threads", {"chat_id": chat_id}, as_=AGENT2)["threads"][0]["events"]
    assert [e for e in listed if e["id"] == gone] == [stub]
    assert "deleted" not in _events_of(api.ok("get_chat", {"chat_id": chat_id}, as_=AGENT2))[kept]

    # the archive search does not find a deleted event's text for a normal agent
    def found(as_: str) -> list[str]:
        return [c["id"] for c in api.ok("list_archives", {"filters": {"query": "4111 1111"}}, as_=as_)["chats"]]

    assert chat_id in found(ADMIN) and chat_id not in found(AGENT2)

    mine = me.ok("get_chat", {"chat_id": chat_id})["thread"]["events"]
    assert [e["id"] for e in mine if e["type"] == "message"] == [kept]
    listed = me.ok("list_threads", {"chat_id": chat_id})["threads"][0]["events"]
    assert gone not in [e["id"] for e in listed]


def test_delete_event_errors(api):
    me = Customer36(api, "Picky")
    started = me.ok("start_chat", {"chat": {"thread": {"events": [{"type": "message", "text": "one"}]}}})
    chat_id, thread_id = started["chat_id"], started["thread_id"]
    api.join(chat_id, ADMIN)
    agent_event = api.ok("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "from the agent"}})[
        "event_id"
    ]
    body = {"chat_id": chat_id, "thread_id": thread_id}
    message = check_error(me.post("delete_event", dict(body, event_id=agent_event)), 403, "missing_access")
    assert "event_id" in message
    check_error(me.post("delete_event", dict(body, event_id=f"{thread_id}_99")), 404, "not_found")
    message = check_error(me.post("delete_event", {"chat_id": chat_id, "event_id": "x"}), 400, "validation")
    assert "thread_id" in message
    me.ok("delete_event", dict(body, event_id=started["event_ids"][0]))
    message = check_error(me.post("delete_event", dict(body, event_id=started["event_ids"][0])), 400, "validation")
    assert "already deleted" in message
    other = Customer36(api, "Other")
    check_error(other.post("delete_event", dict(body, event_id=agent_event)), 404, "not_found")
