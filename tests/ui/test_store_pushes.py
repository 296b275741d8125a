"""Every push handler of `ui/store_pushes.py`, directly: one case per canonical push class in
`HANDLERS` (a class without a case fails `test_every_handler_has_a_case`), each applied to the
same small store; what it changed is read back from the store and from the `Changes`, and
applying it a second time changes nothing (except a multicast: each one is a message)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from test_app_store import CUSTOMER, ME, make_store, msg

from lcconsole.ui.changes import Changes
from lcconsole.ui.store import Store
from lcconsole.ui.store_pushes import HANDLERS, apply_push
from lcconsole.wire import canonical as wc
from lcconsole.wire import pushes as wp
from lcconsole.wire.objects import AiSummary, Customer
from lcconsole.wire.pushes import parse_push

RICH = {
    "id": "r1",
    "order": 3,
    "type": "rich_message",
    "template_id": "cards",
    "author_id": ME,
    "elements": [{"title": "t", "buttons": [{"text": "Yes", "postback_id": "yes", "user_ids": []}]}],
}


def event(store: Store, event_id: str) -> Any:
    return next(e for e in store.current_thread("CH1").events if e.id == event_id)


def with_rich_message(store: Store) -> None:
    apply_push(store, parse_push("incoming_event", {"chat_id": "CH1", "thread_id": "T1", "event": RICH}))


def with_visitor(store: Store) -> None:
    store.put_customer(Customer(id="c-1", name="Ann", last_visit={"started_at": "2026-12-04T10:00:00Z"}))


def v30(action: str, payload: dict[str, Any]) -> Callable[[], Any]:
    return lambda: parse_push(action, payload)


def props(**extra: Any) -> dict[str, Any]:
    return {"chat_id": "CH1", "properties": {"ns": {"k": {"value": 1}}}, **extra}


def gone(**extra: Any) -> dict[str, Any]:
    return {"chat_id": "CH1", "properties": {"ns": ["k"]}, **extra}


Case = tuple[Callable[[], Any], Callable[[Store], None] | None, Callable[[Store, Changes], bool]]

CASES: dict[type, Case] = {
    wp.IncomingChatThreadPush: (
        v30(
            "incoming_chat_thread",
            {
                "chat": {
                    "id": "CH2",
                    "users": [CUSTOMER],
                    "thread": {"id": "T9", "order": 1, "active": True, "events": [msg("x1", 1, "hi")]},
                }
            },
        ),
        None,
        lambda s, c: "CH2" in c.chats and [e.id for e in s.current_thread("CH2").events] == ["x1"],
    ),
    wp.IncomingEventPush: (
        v30("incoming_event", {"chat_id": "CH1", "thread_id": "T1", "event": msg("e3", 3, "c")}),
        None,
        lambda s, c: c.new_events == 1 and event(s, "e3").text == "c",
    ),
    wp.EventUpdatedPush: (
        v30("event_updated", {"chat_id": "CH1", "thread_id": "T1", "event": msg("e2", 2, "edited")}),
        None,
        lambda s, c: "CH1" in c.transcripts and event(s, "e2").text == "edited",
    ),
    wp.IncomingRichMessagePostbackPush: (
        v30(
            "incoming_rich_message_postback",
            {
                "user_id": "c-1",
                "chat_id": "CH1",
                "thread_id": "T1",
                "event_id": "r1",
                "postback": {"id": "yes", "toggled": True},
            },
        ),
        with_rich_message,
        lambda s, c: event(s, "r1").elements[0].buttons[0].user_ids == ["c-1"],
    ),
    wp.IncomingMulticastPush: (
        v30("incoming_multicast", {"author_id": "b@x", "content": "all hands", "type": "message"}),
        None,
        lambda s, c: "all hands" in c.notices[0] and len(s.multicasts) >= 1,
    ),
    wp.IncomingTypingIndicatorPush: (
        v30(
            "incoming_typing_indicator",
            {"chat_id": "CH1", "thread_id": "T1", "typing_indicator": {"author_id": "c-1", "timestamp": 1}},
        ),
        None,
        lambda s, c: c.typing == {"CH1"} and s.typing.current("CH1").author_id == "c-1",
    ),
    wp.IncomingSneakPeekPush: (
        v30(
            "incoming_sneak_peek",
            {"chat_id": "CH1", "thread_id": "T1", "sneak_peek": {"author_id": "c-1", "text": "hel", "timestamp": 1}},
        ),
        None,
        lambda s, c: c.typing == {"CH1"} and s.typing.current("CH1").text == "hel",
    ),
    wp.ThreadClosedPush: (
        v30("thread_closed", {"chat_id": "CH1", "thread_id": "T1", "user_id": ME}),
        None,
        lambda s, c: s.chats["CH1"].last_thread_summary.active is False and s.current_thread("CH1").active is False,
    ),
    wp.AccessGrantedPush: (
        v30("access_granted", {"resource": "chat", "id": "CH1", "access": {"group_ids": [1]}}),
        None,
        lambda s, c: 1 in s.chats["CH1"].access.group_ids and c.refetch == {"CH1"},
    ),
    wp.AccessRevokedPush: (
        v30("access_revoked", {"resource": "chat", "id": "CH1", "access": {"group_ids": [1]}}),
        lambda s: apply_push(
            s, parse_push("access_set", {"resource": "chat", "id": "CH1", "access": {"group_ids": [0, 1]}})
        ),
        lambda s, c: s.chats["CH1"].access.group_ids == [0] and "CH1" in c.chats,
    ),
    wp.AccessSetPush: (
        v30("access_set", {"resource": "chat", "id": "CH1", "access": {"group_ids": [2, 0]}}),
        None,
        lambda s, c: s.chats["CH1"].access.group_ids == [0, 2],
    ),
    wp.ChatTransferredPush: (
        v30("chat_transferred", {"chat_id": "CH1", "requester_id": ME, "type": "agent", "ids": ["b@x"]}),
        None,
        lambda s, c: c.refetch == {"CH1"} and c.chats == {"CH1"},
    ),
    wp.ChatUserAddedPush: (
        v30(
            "chat_user_added",
            {
                "chat_id": "CH1",
                "thread_id": "T1",
                "user_type": "agent",
                "user": {"id": "b@x", "type": "agent", "name": "B"},
            },
        ),
        None,
        lambda s, c: any(u.id == "b@x" for u in s.chats["CH1"].users) and "b@x" in s.agents,
    ),
    wp.ChatUserRemovedPush: (
        v30("chat_user_removed", {"chat_id": "CH1", "thread_id": "T1", "user_id": ME, "user_type": "agent"}),
        None,
        lambda s, c: all(u.id != ME for u in s.chats["CH1"].users) and "CH1" in c.chats,
    ),
    wp.ChatPropertiesUpdatedPush: (
        v30("chat_properties_updated", props()),
        None,
        lambda s, c: s.chats["CH1"].properties.get("ns", "k") == 1,
    ),
    wp.ChatPropertiesDeletedPush: (
        v30("chat_properties_deleted", gone()),
        lambda s: apply_push(s, parse_push("chat_properties_updated", props())),
        lambda s, c: s.chats["CH1"].properties.get("ns", "k") is None and "CH1" in c.chats,
    ),
    wp.ChatThreadPropertiesUpdatedPush: (
        v30("chat_thread_properties_updated", props(thread_id="T1")),
        None,
        lambda s, c: s.current_thread("CH1").properties.get("ns", "k") == 1,
    ),
    wp.ChatThreadPropertiesDeletedPush: (
        v30("chat_thread_properties_deleted", gone(thread_id="T1")),
        lambda s: apply_push(s, parse_push("chat_thread_properties_updated", props(thread_id="T1"))),
        lambda s, c: s.current_thread("CH1").properties.get("ns", "k") is None and "CH1" in c.chats,
    ),
    wp.EventPropertiesUpdatedPush: (
        v30("event_properties_updated", props(thread_id="T1", event_id="e2")),
        None,
        lambda s, c: event(s, "e2").properties.get("ns", "k") == 1 and "CH1" in c.transcripts,
    ),
    wp.EventPropertiesDeletedPush: (
        v30("event_properties_deleted", gone(thread_id="T1", event_id="e2")),
        lambda s: apply_push(s, parse_push("event_properties_updated", props(thread_id="T1", event_id="e2"))),
        lambda s, c: event(s, "e2").properties.get("ns", "k") is None and "CH1" in c.transcripts,
    ),
    wp.ChatThreadTaggedPush: (
        v30("chat_thread_tagged", {"chat_id": "CH1", "thread_id": "T1", "tag": "vip"}),
        None,
        lambda s, c: s.current_thread("CH1").tags == ["vip"] and s.chats["CH1"].last_thread_summary.tags == ["vip"],
    ),
    wp.ChatThreadUntaggedPush: (
        v30("chat_thread_untagged", {"chat_id": "CH1", "thread_id": "T1", "tag": "vip"}),
        lambda s: apply_push(s, parse_push("chat_thread_tagged", {"chat_id": "CH1", "thread_id": "T1", "tag": "vip"})),
        lambda s, c: s.current_thread("CH1").tags == [] and s.chats["CH1"].last_thread_summary.tags == [],
    ),
    wp.LastSeenTimestampUpdatedPush: (
        v30("last_seen_timestamp_updated", {"chat_id": "CH1", "user_id": ME, "timestamp": 99}),
        None,
        lambda s, c: s.my_last_seen("CH1") == 99,
    ),
    wp.CustomerCreatedPush: (
        v30("customer_created", {"customer": {"id": "c-9", "type": "customer", "name": "Newcomer"}}),
        None,
        lambda s, c: c.customers == {"c-9"} and s.customers["c-9"].name == "Newcomer",
    ),
    wp.CustomerUpdatedPush: (
        v30("customer_updated", {"id": "c-1", "name": "Ann B", "email": "a@b"}),
        None,
        lambda s, c: c.customers == {"c-1"} and s.customer_of("CH1").name == "Ann B",
    ),
    wp.CustomerBannedPush: (
        v30("customer_banned", {"customer_id": "c-1", "ban": {"days": 3}}),
        None,
        lambda s, c: s.customers["c-1"].banned is True,
    ),
    wp.CustomerVisitStartedPush: (
        v30(
            "customer_visit_started",
            {"customer_id": "c-1", "visit_id": 2, "started_at": "2026-12-04T11:00:00Z", "ip": "192.0.2.1"},
        ),
        with_visitor,
        lambda s, c: (
            s.customers["c-1"].last_visit.started_at == "2026-12-04T11:00:00Z"
            and s.customers["c-1"].last_visit.ip == "192.0.2.1"
        ),
    ),
    wp.CustomerVisitEndedPush: (
        v30("customer_visit_ended", {"customer_id": "c-1", "visit_id": 1, "ended_at": "2026-12-04T10:30:00Z"}),
        with_visitor,
        lambda s, c: (
            s.customers["c-1"].last_visit.ended_at == "2026-12-04T10:30:00Z"
            and s.customers["c-1"].last_visit.started_at == "2026-12-04T10:00:00Z"
        ),
    ),
    wp.CustomerPageUpdatedPush: (
        v30(
            "customer_page_updated",
            {
                "customer_id": "c-1",
                "visit_id": 1,
                "opened_at": "2026-12-04T10:05:00Z",
                "url": "https://shop.example/a",
                "title": "A",
            },
        ),
        with_visitor,
        lambda s, c: [p.url for p in s.customers["c-1"].last_visit.last_pages] == ["https://shop.example/a"],
    ),
    wp.AgentUpdatedPush: (
        v30("agent_updated", {"agent_id": ME, "routing_status": "not_accepting_chats"}),
        None,
        lambda s, c: c.profile and s.me.routing_status == "not_accepting_chats",
    ),
    wc.ChatUnfollowed: (
        lambda: wc.ChatUnfollowed(chat_id="CH1"),
        None,
        lambda s, c: s.chats["CH1"].is_followed is False and c.refetch == {"CH1"},
    ),
    wc.ThreadSummaryReady: (
        lambda: wc.ThreadSummaryReady(
            chat_id="CH1", thread_id="T1", summary=AiSummary(status="ok", text="asked about a refund")
        ),
        None,
        lambda s, c: s.current_thread("CH1").summary.text == "asked about a refund" and "CH1" in c.transcripts,
    ),
    wc.ThreadSummaryFailed: (
        lambda: wc.ThreadSummaryFailed(chat_id="CH1", thread_id="T1"),
        None,
        lambda s, c: c.notices == ["the AI summary of a thread could not be made"],
    ),
    wc.ThinkingIndicator: (
        lambda: wc.ThinkingIndicator(chat_id="CH1", thread_id="T1", author_id="bot", title="Looking into it"),
        None,
        lambda s, c: c.typing == {"CH1"} and s.typing.current("CH1").kind == "thinking",
    ),
    wc.EventDeleted: (
        lambda: wc.EventDeleted(chat_id="CH1", thread_id="T1", event_id="e2"),
        None,
        lambda s, c: type(event(s, "e2")).__name__ == "DeletedEvent" and "CH1" in c.transcripts,
    ),
    wc.VisitorsSeen: (
        lambda: wc.VisitorsSeen(customers=[Customer(id="v-1", name="Browsing")]),
        None,
        lambda s, c: "v-1" in s.visitor_ids and s.customers["v-1"].name == "Browsing",
    ),
    wc.VisitorLeft: (
        lambda: wc.VisitorLeft(customer_id="v-1", left_at="2026-12-04T10:30:00Z"),
        lambda s: apply_push(s, wc.VisitorsSeen(customers=[Customer(id="v-1", last_visit={"started_at": "x"})])),
        lambda s, c: "v-1" not in s.visitor_ids and s.customers["v-1"].last_visit.ended_at == "2026-12-04T10:30:00Z",
    ),
}

REPEATS = {  # pushes that say something again each time they come
    wp.IncomingMulticastPush,  # a new message, even with the same text
    wp.ChatTransferredPush,  # asks for the chat to be read again
    wc.ThreadSummaryFailed,  # a notice
    wc.ThinkingIndicator,  # keeps the indicator up longer
    wc.VisitorsSeen,  # the visitors list is repainted
}


def test_every_handler_has_a_case():
    assert set(CASES) == set(HANDLERS)


@pytest.mark.parametrize("push_class", sorted(CASES, key=lambda c: c.__name__), ids=lambda c: c.__name__)
def test_push_handler(push_class):
    build, prepare, check = CASES[push_class]
    store = make_store()
    if prepare is not None:
        prepare(store)
    push = build()
    assert type(push) is push_class
    heard: list[Changes] = []
    store.subscribe(heard.append)
    changes = apply_push(store, push)
    assert changes and heard == [changes]  # the listeners hear exactly what changed
    assert check(store, changes)
    again = apply_push(store, build())
    assert bool(again) is (push_class in REPEATS)
