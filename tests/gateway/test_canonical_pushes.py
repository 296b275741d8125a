"""Every v3.6 push from the docs' samples becomes its canonical class, and the store applies it
by that class."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lcconsole.ui.store import Store
from lcconsole.ui.store_pushes import HANDLERS, apply_push
from lcconsole.wire import canonical as c
from lcconsole.wire import pushes as p
from lcconsole.wire.v36 import canonical_pushes as cp
from lcconsole.wire.v36.push_models import parse_push

SAMPLES = json.loads((Path(__file__).parents[1] / "api" / "samples_v36.json").read_text())["pushes"]

CANONICAL = {
    "incoming_chat": p.IncomingChatThreadPush,
    "chat_deactivated": p.ThreadClosedPush,
    "chat_access_updated": p.AccessSetPush,
    "chat_transferred": p.ChatTransferredPush,
    "user_added_to_chat": p.ChatUserAddedPush,
    "user_removed_from_chat": p.ChatUserRemovedPush,
    "incoming_event": p.IncomingEventPush,
    "event_updated": p.EventUpdatedPush,
    "incoming_rich_message_postback": p.IncomingRichMessagePostbackPush,
    "chat_properties_updated": p.ChatPropertiesUpdatedPush,
    "chat_properties_deleted": p.ChatPropertiesDeletedPush,
    "thread_properties_updated": p.ChatThreadPropertiesUpdatedPush,
    "thread_properties_deleted": p.ChatThreadPropertiesDeletedPush,
    "event_properties_updated": p.EventPropertiesUpdatedPush,
    "event_properties_deleted": p.EventPropertiesDeletedPush,
    "thread_tagged": p.ChatThreadTaggedPush,
    "thread_untagged": p.ChatThreadUntaggedPush,
    "events_marked_as_seen": p.LastSeenTimestampUpdatedPush,
    "incoming_typing_indicator": p.IncomingTypingIndicatorPush,
    "incoming_sneak_peek": p.IncomingSneakPeekPush,
    "incoming_multicast": p.IncomingMulticastPush,
    "customer_updated": p.CustomerUpdatedPush,
    "customer_page_updated": p.CustomerPageUpdatedPush,
    "customer_banned": p.CustomerBannedPush,
    "routing_status_set": p.AgentUpdatedPush,
    "thread_summary_set": c.ThreadSummaryReady,
    "incoming_thinking_indicator": c.ThinkingIndicator,
    "event_deleted": c.EventDeleted,
    "chat_deleted": c.ChatDeleted,
    "thread_deleted": c.ThreadDeleted,
    "chat_unfollowed": c.ChatUnfollowed,
    "incoming_customers": c.VisitorsSeen,
    "incoming_customer": c.VisitorsSeen,
    "customer_left": c.VisitorLeft,
}


@pytest.mark.parametrize("name", sorted(CANONICAL))
def test_docs_sample_becomes_its_canonical_class(name):
    if name not in SAMPLES:
        pytest.skip(f"no docs sample of {name}")
    converted = cp.push(parse_push(name, SAMPLES[name], "r1"))
    assert [type(x) for x in converted] == [CANONICAL[name]]
    if isinstance(converted[0], p.PushBase):
        assert converted[0].request_id == "r1"


def test_the_converters_cover_the_table():
    assert set(cp.PUSH_CONVERTERS) - {"incoming_error"} == set(CANONICAL)


def test_unknown_and_unused_pushes_stay_unknown_and_are_logged_once(caplog):
    import logging

    caplog.set_level(logging.INFO, logger="lcconsole.ui.store_pushes")
    queue = cp.push(parse_push("queue_positions_updated", [{"chat_id": "C", "queue": {"position": 1}}]))
    assert [type(x) for x in queue] == [p.UnknownPush]
    store = Store()
    for _ in range(3):
        assert not apply_push(store, queue[0])
    assert caplog.text.count("queue_positions_updated") == 1


def test_store_applies_converted_pushes_by_class():
    store = Store()
    chat = {
        "id": "C1",
        "users": [{"id": "a@x", "type": "agent"}],
        "thread": {
            "id": "T1",
            "created_at": "2026-01-02T03:04:05.000001Z",
            "active": True,
            "user_ids": ["a@x"],
            "events": [
                {
                    "id": "E1",
                    "created_at": "2026-01-02T03:04:05.000002Z",
                    "type": "message",
                    "text": "hi",
                    "author_id": "a@x",
                    "visibility": "all",
                }
            ],
        },
        "properties": {},
        "access": {"group_ids": [0]},
    }
    for name, payload in [
        ("incoming_chat", {"chat": chat}),
        ("thread_tagged", {"chat_id": "C1", "thread_id": "T1", "tag": "vip"}),
        (
            "incoming_event",
            {
                "chat_id": "C1",
                "thread_id": "T1",
                "event": {
                    "id": "E2",
                    "created_at": "2026-01-02T03:04:06Z",
                    "type": "message",
                    "text": "more",
                    "author_id": "a@x",
                    "visibility": "agents",
                },
            },
        ),
        (
            "thread_summary_set",
            {
                "chat_id": "C1",
                "thread_id": "T1",
                "summary": {"status": "ok", "text": "short", "updated_at": "2026-01-02T03:05:00Z"},
            },
        ),
        ("chat_deactivated", {"chat_id": "C1", "thread_id": "T1"}),
    ]:
        for push in cp.push(parse_push(name, payload)):
            assert type(push) in HANDLERS
            apply_push(store, push)
    thread = store.threads["C1"]["T1"]
    assert thread.tags == ["vip"] and thread.active is False and thread.summary.text == "short"
    assert [(e.id, e.recipients) for e in thread.events] == [("E1", "all"), ("E2", "agents")]
    assert store.chats["C1"].last_thread_summary.active is False
