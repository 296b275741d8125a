"""The client-side store: API results and pushes applied idempotently, changes reported."""

from __future__ import annotations

from lcconsole.ui.store import Store
from lcconsole.ui.store_pushes import apply_push
from lcconsole.wire.objects import ChatSummary, GetChatThreadsResponse, MyProfile
from lcconsole.wire.pushes import parse_push

ME = "agent1@example.com"
CUSTOMER = {"id": "c-1", "type": "customer", "name": "Ann"}


def msg(eid: str, order: int, text: str, author: str = "c-1", **extra) -> dict:
    return {
        "id": eid,
        "order": order,
        "type": "message",
        "text": text,
        "author_id": author,
        "timestamp": 1_700_000_000 + order,
        "recipients": "all",
        **extra,
    }


def make_store():
    store = Store()
    store.set_profile(MyProfile(id=ME, name="Me", routing_status="accepting_chats"))
    summary = ChatSummary.model_validate(
        {
            "id": "CH1",
            "users": [CUSTOMER, {"id": ME, "type": "agent", "name": "Me", "last_seen_timestamp": 1}],
            "last_event_per_type": {"message": {"thread_id": "T1", "thread_order": 1, "event": msg("e2", 2, "b")}},
            "last_thread_summary": {"id": "T1", "order": 1, "active": True, "tags": []},
        }
    )
    store.set_summaries([summary], complete=True)
    chat = GetChatThreadsResponse.model_validate(
        {
            "chat": {
                "id": "CH1",
                "users": summary.model_dump()["users"],
                "threads": [{"id": "T1", "order": 1, "active": True, "events": [msg("e1", 1, "a"), msg("e2", 2, "b")]}],
            }
        }
    ).chat
    store.merge_chat(chat)
    return store


def test_fetch_then_push_of_known_event_changes_nothing():
    store = make_store()
    seen = []
    store.subscribe(seen.append)
    push = parse_push("incoming_event", {"chat_id": "CH1", "thread_id": "T1", "event": msg("e2", 2, "b")})
    assert not apply_push(store, push)
    assert seen == []
    new = parse_push("incoming_event", {"chat_id": "CH1", "thread_id": "T1", "event": msg("e3", 3, "c")})
    changes = apply_push(store, new)
    assert changes.transcripts == {"CH1"} and changes.chats == {"CH1"} and changes.new_events == 1
    assert [e.id for e in store.current_thread("CH1").events] == ["e1", "e2", "e3"]
    assert not apply_push(store, new)  # same push twice
    assert len(seen) == 1
    assert store.chats["CH1"].last_event_per_type["message"].event.text == "c"


def test_events_sorted_by_order_not_arrival():
    store = make_store()
    apply_push(
        store, parse_push("incoming_event", {"chat_id": "CH1", "thread_id": "T1", "event": msg("e5", 5, "late")})
    )
    apply_push(
        store, parse_push("incoming_event", {"chat_id": "CH1", "thread_id": "T1", "event": msg("e4", 4, "early")})
    )
    assert [e.id for e in store.current_thread("CH1").events] == ["e1", "e2", "e4", "e5"]


def test_tags_properties_close_idempotent():
    store = make_store()
    tag = parse_push("chat_thread_tagged", {"chat_id": "CH1", "thread_id": "T1", "tag": "vip"})
    assert apply_push(store, tag).chats == {"CH1"}
    assert not apply_push(store, tag)
    assert store.current_thread("CH1").tags == ["vip"] and store.chats["CH1"].last_thread_summary.tags == ["vip"]
    props = parse_push("chat_properties_updated", {"chat_id": "CH1", "properties": {"ns": {"k": {"value": 1}}}})
    assert apply_push(store, props)
    assert not apply_push(store, props)
    assert store.chats["CH1"].properties.get("ns", "k") == 1
    gone = parse_push("chat_properties_deleted", {"chat_id": "CH1", "properties": {"ns": ["k"]}})
    assert apply_push(store, gone) and not apply_push(store, gone)
    closed = parse_push("thread_closed", {"chat_id": "CH1", "thread_id": "T1", "user_id": ME})
    assert apply_push(store, closed) and not apply_push(store, closed)
    assert store.chats["CH1"].last_thread_summary.active is False


def test_users_last_seen_customer_agent():
    store = make_store()
    add = parse_push(
        "chat_user_added",
        {
            "chat_id": "CH1",
            "thread_id": "T1",
            "user_type": "agent",
            "user": {"id": "b@x", "type": "agent", "name": "B"},
        },
    )
    assert apply_push(store, add) and not apply_push(store, add)
    rm = parse_push("chat_user_removed", {"chat_id": "CH1", "thread_id": "T1", "user_id": "b@x", "user_type": "agent"})
    assert apply_push(store, rm) and not apply_push(store, rm)
    seen = parse_push("last_seen_timestamp_updated", {"chat_id": "CH1", "user_id": ME, "timestamp": 99})
    assert apply_push(store, seen) and not apply_push(store, seen)
    assert store.my_last_seen("CH1") == 99
    upd = parse_push("customer_updated", {"id": "c-1", "name": "Ann B", "email": "a@b"})
    assert apply_push(store, upd).customers == {"c-1"}
    assert not apply_push(store, upd)
    assert store.customer_of("CH1").name == "Ann B"
    agent = parse_push("agent_updated", {"agent_id": ME, "routing_status": "not_accepting_chats"})
    assert apply_push(store, agent).profile and not apply_push(store, agent)


def test_postback_toggle_and_typing():
    store = make_store()
    rich = {
        "id": "r1",
        "order": 9,
        "type": "rich_message",
        "template_id": "cards",
        "author_id": ME,
        "elements": [{"title": "t", "buttons": [{"text": "Yes", "postback_id": "yes", "user_ids": []}]}],
    }
    apply_push(store, parse_push("incoming_event", {"chat_id": "CH1", "thread_id": "T1", "event": rich}))
    pb = parse_push(
        "incoming_rich_message_postback",
        {
            "user_id": "c-1",
            "chat_id": "CH1",
            "thread_id": "T1",
            "event_id": "r1",
            "postback": {"id": "yes", "toggled": True},
        },
    )
    assert apply_push(store, pb) and not apply_push(store, pb)
    assert store.current_thread("CH1").events[-1].elements[0].buttons[0].user_ids == ["c-1"]
    peek = parse_push(
        "incoming_sneak_peek",
        {"chat_id": "CH1", "thread_id": "T1", "sneak_peek": {"author_id": "c-1", "text": "hel", "timestamp": 1}},
    )
    assert apply_push(store, peek).typing == {"CH1"}
    assert not apply_push(store, peek)
    assert store.typing.current("CH1").text == "hel"
    # the customer's message ends the typing state
    apply_push(
        store, parse_push("incoming_event", {"chat_id": "CH1", "thread_id": "T1", "event": msg("e9", 10, "hello")})
    )
    assert store.typing.current("CH1") is None


def test_resync_counts_new_events_and_drops_missing_chats():
    store = make_store()
    fresh = ChatSummary.model_validate(
        {
            "id": "CH1",
            "users": [CUSTOMER],
            "last_event_per_type": {"message": {"thread_id": "T1", "event": msg("e7", 7, "new")}},
            "last_thread_summary": {"id": "T1", "order": 1, "active": True},
        }
    )
    other = ChatSummary.model_validate(
        {
            "id": "CH2",
            "users": [CUSTOMER],
            "last_event_per_type": {"message": {"thread_id": "T9", "event": msg("x1", 1, "hi")}},
        }
    )
    changes = store.set_summaries([fresh, other], complete=True)
    assert changes.new_events == 2 and changes.new_event_chats == {"CH1", "CH2"}
    assert not store.set_summaries([fresh, other], complete=True)
    changes = store.set_summaries([other], complete=True)
    assert changes.removed == {"CH1"} and "CH1" not in store.chats
