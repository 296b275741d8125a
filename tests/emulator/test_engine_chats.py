"""Engine: chat lifecycle, events, threads, follow, transfer, chat users."""

from __future__ import annotations

import re

import pytest
from _engine_util import World, pushes, receivers

from lcconsole.emulator.contract import ErrorReply


@pytest.fixture
def w() -> World:
    return World()


def test_start_chat_creates_thread_events_and_pushes(w):
    cust = w.run(w.admin, "create_customer", {"name": "Ann"}).payload["id"]
    out = w.run(
        w.admin,
        "start_chat",
        {
            "chat": {
                "users": [{"id": cust, "type": "customer"}],
                "properties": {"source": {"type": "facebook"}},
                "thread": {
                    "events": [
                        {"type": "message", "custom_id": "31-0C", "text": "hello there", "recipients": "all"},
                        {"type": "system_message", "custom_id": "31-0C", "text": "note", "recipients": "agents"},
                    ],
                    "properties": {"source": {"type": "facebook"}},
                    "tags": ["bug_report"],
                },
                "access": {"group_ids": [1]},
            },
            "continuous": True,
        },
    )
    chat = out.payload["chat"]
    assert re.fullmatch(r"[A-Z0-9]{10}", chat["id"])
    thread = chat["thread"]
    assert thread["active"] is True and thread["tags"] == ["bug_report"]
    assert [e["id"] for e in thread["events"]] == [f"{thread['id']}_1", f"{thread['id']}_2"]
    assert thread["events"][0]["order"] < thread["events"][1]["order"]
    assert chat["properties"]["source"]["type"] == {"value": "facebook"}
    assert chat["properties"]["routing"]["continuous"] == {"value": True}
    assert chat["access"] == {"group_ids": [1]}
    assert {u["id"] for u in chat["users"]} == {cust, "agent1@example.com"}
    push, view = pushes(out, "incoming_chat_thread")
    assert "agent1@example.com" in push.agent_ids and "acc@example.com" in push.agent_ids
    assert "acc2@example.com" not in push.agent_ids  # group 1 only; acc2 is in group 0 only
    assert "my@example.com" not in push.agent_ids
    assert len(push.payload["chat"]["thread"]["events"]) == 2 and not push.customer_ids
    # the customer's copy leaves out the agents-only system message
    assert view.customer_ids == {cust} and not view.agent_ids
    assert [e["type"] for e in view.payload["chat"]["thread"]["events"]] == ["message"]


def test_start_chat_rejects_agent_user_and_unknown_customer(w):
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "start_chat", {"chat": {"users": [{"id": "x@y", "type": "agent"}]}})
    assert err.value.type == "validation" and "chat.users" in err.value.message
    with pytest.raises(ErrorReply) as err:
        w.run(
            w.admin,
            "start_chat",
            {"chat": {"users": [{"id": "b7eff798-f8df-4364-8059-649c35c9ed0c", "type": "customer"}]}},
        )
    assert err.value.type == "not_found"


def test_send_event_to_active_thread_keeps_custom_id(w):
    chat = w.start()
    ev = {"type": "message", "text": "again", "custom_id": "abc"}
    one = w.run(w.admin, "send_event", {"chat_id": chat["id"], "event": ev})
    two = w.run(w.admin, "send_event", {"chat_id": chat["id"], "event": ev})
    assert one.payload["thread_id"] == two.payload["thread_id"] == chat["thread"]["id"]
    assert one.payload["event"]["custom_id"] == "abc"
    assert two.payload["event"]["order"] > one.payload["event"]["order"]
    assert pushes(one, "incoming_event") and pushes(two, "incoming_event")
    threads = w.run(w.admin, "get_chat_threads", {"chat_id": chat["id"]}).payload["chat"]
    assert [e.get("custom_id") for e in threads["threads"][0]["events"]] == [None, "abc", "abc"]


def test_send_event_after_close_opens_new_thread_or_attaches_or_fails(w):
    chat = w.start()
    w.run(w.admin, "close_thread", {"chat_id": chat["id"]})
    with pytest.raises(ErrorReply) as err:
        w.run(
            w.admin,
            "send_event",
            {"chat_id": chat["id"], "require_active_thread": True, "event": {"type": "message", "text": "x"}},
        )
    assert err.value.type == "chat_inactive"
    attached = w.run(
        w.admin,
        "send_event",
        {"chat_id": chat["id"], "attach_to_last_thread": True, "event": {"type": "message", "text": "late"}},
    )
    assert attached.payload["thread_id"] == chat["thread"]["id"]
    assert pushes(attached, "incoming_event") and not pushes(attached, "incoming_chat_thread")
    fresh = w.run(w.admin, "send_event", {"chat_id": chat["id"], "event": {"type": "message", "text": "new"}})
    assert fresh.payload["thread_id"] != chat["thread"]["id"]
    (push,) = pushes(fresh, "incoming_chat_thread")
    assert push.payload["chat"]["thread"]["active"] is True
    assert not pushes(fresh, "incoming_event")


def test_message_text_limit_and_event_validation(w):
    chat = w.start()
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "send_event", {"chat_id": chat["id"], "event": {"type": "message", "text": "é" * 9000}})
    assert err.value.type == "validation" and "event.text" in err.value.message
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "send_event", {"chat_id": chat["id"], "event": {"type": "message"}})
    assert err.value.message.startswith("event.text:")
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "send_event", {"chat_id": 5, "event": {"type": "message", "text": "x"}})
    assert err.value.message.startswith("chat_id:")
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "send_event", {"chat_id": "NOPE", "event": {"type": "message", "text": "x"}})
    assert (err.value.type, err.value.message) == ("not_found", "Chat NOPE not found")


def test_close_thread_system_message_and_push(w):
    chat = w.start()
    out = w.run(w.admin, "close_thread", {"chat_id": chat["id"]})
    (closed,) = pushes(out, "thread_closed")
    assert closed.payload == {"chat_id": chat["id"], "thread_id": chat["thread"]["id"], "user_id": "agent1@example.com"}
    (ev,) = pushes(out, "incoming_event")
    event = ev.payload["event"]
    assert event["system_message_type"] == "manual_archived_agent"
    assert event["text"] == "%agent% archived the chat" and event["text_vars"]["agent"]
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "close_thread", {"chat_id": chat["id"]})
    assert err.value.type == "chat_inactive"


def test_activate_chat_only_when_inactive(w):
    chat = w.start()
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "activate_chat", {"chat": {"id": chat["id"]}})
    assert err.value.type == "validation"
    w.run(w.admin, "close_thread", {"chat_id": chat["id"]})
    out = w.run(
        w.admin,
        "activate_chat",
        {
            "chat": {
                "id": chat["id"],
                "access": {"group_ids": [1]},
                "thread": {"events": [{"type": "message", "text": "back"}], "tags": ["again"]},
            }
        },
    )
    got = out.payload["chat"]
    assert got["thread"]["active"] and got["thread"]["tags"] == ["again"]
    assert got["access"] == {"group_ids": [1]} and got["threads"][0]["id"] == got["thread"]["id"]
    assert pushes(out, "incoming_chat_thread")


def test_follow_and_unfollow(w):
    chat = w.start()
    out = w.run(w.acc2, "follow_chat", {"chat_id": chat["id"]})
    (push,) = pushes(out, "incoming_chat_thread")
    assert push.agent_ids == {"acc2@example.com"} and push.payload["chat"]["is_followed"]
    assert not w.run(w.acc2, "follow_chat", {"chat_id": chat["id"]}).pushes
    ev = w.run(w.admin, "send_event", {"chat_id": chat["id"], "event": {"type": "message", "text": "hi"}})
    assert "acc2@example.com" in receivers(ev, "incoming_event")
    w.run(w.acc2, "unfollow_chat", {"chat_id": chat["id"]})
    ev = w.run(w.admin, "send_event", {"chat_id": chat["id"], "event": {"type": "message", "text": "hi"}})
    assert "acc2@example.com" not in receivers(ev, "incoming_event")
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "unfollow_chat", {"chat_id": chat["id"]})  # a member
    assert err.value.type == "validation"
    # a member's follow sends nothing
    assert not w.run(w.admin, "follow_chat", {"chat_id": chat["id"]}).pushes
    # following lasts until the chat is reactivated
    w.run(w.acc2, "follow_chat", {"chat_id": chat["id"]})
    w.run(w.admin, "close_thread", {"chat_id": chat["id"]})
    summary = w.run(w.acc2, "get_chats_summary", {}).payload["chats_summary"]
    assert [s["is_followed"] for s in summary] == [True]
    w.run(w.admin, "activate_chat", {"chat": {"id": chat["id"]}})
    summary = w.run(w.acc2, "get_chats_summary", {}).payload["chats_summary"]
    assert [s["is_followed"] for s in summary] == [False]


def test_transfer_to_agent_and_group(w):
    chat = w.start()
    with pytest.raises(ErrorReply) as err:  # acc is not logged in (not present)
        w.run(
            w.admin, "transfer_chat", {"chat_id": chat["id"], "target": {"type": "agent", "ids": ["acc@example.com"]}}
        )
    assert err.value.type == "agent_offline"
    w.engine.set_presence("acc@example.com", True)
    out = w.run(
        w.admin, "transfer_chat", {"chat_id": chat["id"], "target": {"type": "agent", "ids": ["acc@example.com"]}}
    )
    (tr,) = pushes(out, "chat_transferred")
    assert tr.payload == {
        "chat_id": chat["id"],
        "requester_id": "agent1@example.com",
        "type": "agent",
        "ids": ["acc@example.com"],
    }
    assert {"acc@example.com", "agent1@example.com"} <= tr.agent_ids
    summary = w.run(w.admin, "get_chat_threads", {"chat_id": chat["id"]}).payload["chat"]
    agents = [u["id"] for u in summary["users"] if u["type"] == "agent"]
    assert agents == ["acc@example.com"]
    last = summary["threads"][-1]["events"][-1]
    assert last["system_message_type"] == "chat_transferred"
    # group 2 has nobody available: fails without force, works with force (chat queued)
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "transfer_chat", {"chat_id": chat["id"], "target": {"type": "group", "ids": [2]}})
    assert err.value.type == "groups_offline"
    w.run(w.admin, "transfer_chat", {"chat_id": chat["id"], "force": True, "target": {"type": "group", "ids": [2]}})
    got = w.run(w.admin, "get_chat_threads", {"chat_id": chat["id"]}).payload["chat"]
    assert got["access"] == {"group_ids": [2]}
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "transfer_chat", {"chat_id": chat["id"], "force": True, "target": {"type": "agent", "ids": []}})
    assert err.value.message.startswith("target.ids")
    assert [u for u in got["users"] if u["type"] == "agent"] == []


def test_add_and_remove_users(w):
    chat = w.start()
    c1 = w.run(w.admin, "create_customer", {"name": "A"}).payload["id"]
    c2 = w.run(w.admin, "create_customer", {"name": "B"}).payload["id"]
    out = w.run(w.admin, "add_user_to_chat", {"chat_id": chat["id"], "user_id": c1, "user_type": "customer"})
    (added,) = pushes(out, "chat_user_added")
    assert added.payload["user"]["id"] == c1 and added.customer_ids == {c1}
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "add_user_to_chat", {"chat_id": chat["id"], "user_id": c2, "user_type": "customer"})
    assert err.value.type == "validation"
    with pytest.raises(ErrorReply):
        w.run(w.admin, "remove_user_from_chat", {"chat_id": chat["id"], "user_id": c1, "user_type": "customer"})
    w.run(w.admin, "add_user_to_chat", {"chat_id": chat["id"], "user_id": "my@example.com", "user_type": "agent"})
    # the my-level agent now sees the chat, and may remove itself
    w.run(w.my, "get_chat_threads_summary", {"chat_id": chat["id"]})
    out = w.run(
        w.my, "remove_user_from_chat", {"chat_id": chat["id"], "user_id": "my@example.com", "user_type": "agent"}
    )
    assert pushes(out, "chat_user_removed")[0].payload["user_id"] == "my@example.com"
    with pytest.raises(ErrorReply) as err:
        w.run(w.my, "get_chat_threads_summary", {"chat_id": chat["id"]})
    assert err.value.type == "authorization"
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "add_user_to_chat", {"chat_id": chat["id"], "user_id": "ghost@x", "user_type": "agent"})
    assert err.value.type == "not_found"


def test_get_chat_threads_and_summary_paging(w):
    chat = w.start()
    for _ in range(4):
        w.run(w.admin, "close_thread", {"chat_id": chat["id"]})
        w.run(w.admin, "send_event", {"chat_id": chat["id"], "event": {"type": "message", "text": "again"}})
    first = w.run(w.admin, "get_chat_threads_summary", {"chat_id": chat["id"], "limit": 2})
    body = first.payload
    assert body["found_threads"] == 5 and len(body["threads_summary"]) == 2
    assert "previous_page_id" not in body
    seen = [t["id"] for t in body["threads_summary"]]
    while "next_page_id" in body:
        body = w.run(
            w.admin, "get_chat_threads_summary", {"chat_id": chat["id"], "page_id": body["next_page_id"]}
        ).payload
        seen += [t["id"] for t in body["threads_summary"]]
    assert len(seen) == len(set(seen)) == 5
    orders = [t["order"] for t in first.payload["threads_summary"]]
    assert orders == sorted(orders, reverse=True)
    one = w.run(w.admin, "get_chat_threads", {"chat_id": chat["id"], "thread_ids": [seen[-1]]})
    assert [t["id"] for t in one.payload["chat"]["threads"]] == [seen[-1]]
    assert len(one.payload["chat"]["threads_summary"]) == 5
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "get_chat_threads", {"chat_id": chat["id"], "thread_ids": ["NOPE"]})
    assert err.value.type == "not_found"
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "get_chat_threads_summary", {"chat_id": chat["id"], "page_id": "!!"})
    assert err.value.type == "validation" and "page_id" in err.value.message


def test_rich_message_postback_toggles_user_ids(w):
    chat = w.start()
    ev = w.run(
        w.admin,
        "send_event",
        {
            "chat_id": chat["id"],
            "event": {
                "type": "rich_message",
                "template_id": "cards",
                "elements": [
                    {
                        "title": "Q",
                        "buttons": [
                            {"text": "Yes", "postback_id": "yes"},
                            {"text": "Yes too", "postback_id": "yes"},
                            {"text": "No", "postback_id": "no"},
                        ],
                    }
                ],
            },
        },
    ).payload
    args = {"chat_id": chat["id"], "thread_id": ev["thread_id"], "event_id": ev["event"]["id"]}
    out = w.run(w.admin, "send_rich_message_postback", {**args, "postback": {"id": "yes", "toggled": True}})
    (pb,) = pushes(out, "incoming_rich_message_postback")
    assert pb.payload["postback"] == {"id": "yes", "toggled": True}
    buttons = pushes(out, "event_updated")[0].payload["event"]["elements"][0]["buttons"]
    assert [b["user_ids"] for b in buttons] == [["agent1@example.com"]] * 2 + [[]]
    out = w.run(w.admin, "send_rich_message_postback", {**args, "postback": {"id": "yes", "toggled": False}})
    buttons = pushes(out, "event_updated")[0].payload["event"]["elements"][0]["buttons"]
    assert all(b["user_ids"] == [] for b in buttons)
    with pytest.raises(ErrorReply):
        w.run(w.admin, "send_rich_message_postback", {**args, "postback": {"id": "missing", "toggled": True}})
    w.run(w.admin, "close_thread", {"chat_id": chat["id"]})
    out = w.run(w.admin, "send_rich_message_postback", {**args, "postback": {"id": "no", "toggled": True}})
    assert not pushes(out, "incoming_rich_message_postback")  # inactive thread


def test_typing_last_seen_and_multicast(w):
    cust = w.customer()
    chat = w.start(customer=cust.id)
    out = w.run(w.admin, "send_typing_indicator", {"chat_id": chat["id"], "is_typing": True})
    (push,) = pushes(out)
    assert push.customer_ids == {cust.id} and "agent1@example.com" not in push.agent_ids
    assert push.payload["typing_indicator"]["author_id"] == "agent1@example.com"
    out = w.run(w.admin, "send_typing_indicator", {"chat_id": chat["id"], "is_typing": True, "recipients": "agents"})
    assert all(not p.customer_ids for p in out.pushes)
    out = w.run(w.admin, "update_last_seen_timestamp", {"chat_id": chat["id"], "timestamp": 123})
    assert out.payload == {"timestamp": 123}
    assert pushes(out, "last_seen_timestamp_updated")[0].payload["user_id"] == "agent1@example.com"
    out = w.run(
        w.admin,
        "multicast",
        {"scopes": {"agents": {"groups": [1]}, "customers": {"ids": [cust.id]}}, "content": {"a": 1}, "type": "t"},
    )
    (mc,) = pushes(out, "incoming_multicast")
    assert mc.agent_ids == {"acc@example.com"} and mc.customer_ids == {cust.id}
    with pytest.raises(ErrorReply):
        w.run(w.admin, "multicast", {"scopes": {}, "content": 1})


def test_update_agent_and_rtm_only_actions(w):
    out = w.run(w.acc, "update_agent", {"routing_status": "not_accepting_chats"})
    (push,) = pushes(out, "agent_updated")
    assert push.payload == {"agent_id": "acc@example.com", "routing_status": "not_accepting_chats"}
    with pytest.raises(ErrorReply) as err:
        w.run(w.acc, "update_agent", {"agent_id": "agent1@example.com", "routing_status": "not_accepting_chats"})
    assert err.value.type == "authorization"
    w.run(w.admin, "update_agent", {"agent_id": "acc@example.com", "routing_status": "accepting_chats"})
    login = w.run(w.admin, "login", {"token": "ignored"}).payload
    assert login["my_profile"]["permission"] == "administrator"
    assert set(login["license"]) >= {"id", "plan", "expiration_timestamp", "in_trial"}
    assert w.run(w.admin, "ping").payload == {}
    assert w.run(w.admin, "set_away_status", {"away": True}).payload == {}
    with pytest.raises(ErrorReply):
        w.run(w.admin, "change_push_notifications", {"platform": "web"})
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "no_such_action", {})
    assert err.value.type == "validation" and "no_such_action" in err.value.message


def test_system_messages_have_no_author_and_annotations_never_open_threads(w):
    chat = w.start()
    sys_ev = w.run(
        w.admin,
        "send_event",
        {"chat_id": chat["id"], "event": {"type": "system_message", "text": "x", "system_message_type": "custom"}},
    ).payload["event"]
    assert "author_id" not in sys_ev and sys_ev["recipients"] == "agents"
    w.run(w.admin, "close_thread", {"chat_id": chat["id"]})
    out = w.run(
        w.admin,
        "send_event",
        {"chat_id": chat["id"], "event": {"type": "annotation", "text": "rated", "annotation_type": "rating"}},
    )
    assert out.payload["thread_id"] == chat["thread"]["id"]
    assert not pushes(out, "incoming_chat_thread")


def test_chat_user_added_carries_the_members_last_seen_in_that_chat(w):
    """Not the agent's login time: a new member has seen nothing of the chat yet (0)."""
    chat = w.start()
    w.engine.conn.execute("UPDATE agents SET last_seen=1700000000 WHERE id='my@example.com'")
    out = w.run(w.admin, "add_user_to_chat", {"chat_id": chat["id"], "user_id": "my@example.com", "user_type": "agent"})
    (added,) = pushes(out, "chat_user_added")
    assert added.payload["user"]["last_seen_timestamp"] == 0


def test_an_agent_writing_joins_once_and_again_after_it_left(w):
    """A member already is not added again; one transferred away (still a user of the thread)
    or removed is."""
    chat = w.start()
    event = {"chat_id": chat["id"], "event": {"type": "message", "text": "hi"}}

    def joined() -> list[str]:
        return [p.payload["user"]["id"] for p in pushes(w.run(w.acc, "send_event", event), "chat_user_added")]

    assert joined() == ["acc@example.com"]
    assert joined() == []
    target = {"type": "agent", "ids": ["my@example.com"]}
    w.run(w.admin, "transfer_chat", {"chat_id": chat["id"], "force": True, "target": target})
    assert joined() == ["acc@example.com"]
    w.run(w.admin, "remove_user_from_chat", {"chat_id": chat["id"], "user_id": "acc@example.com", "user_type": "agent"})
    assert joined() == ["acc@example.com"]
    got = w.run(w.admin, "get_chat_threads", {"chat_id": chat["id"]}).payload["chat"]
    assert "acc@example.com" in [u["id"] for u in got["users"]]
    assert got["threads"][0]["user_ids"].count("acc@example.com") == 1
