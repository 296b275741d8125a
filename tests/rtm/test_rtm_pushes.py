"""Typed push models (docs/api-notes.md §4.4) and the UnknownPush fallback."""

from __future__ import annotations

import pytest
from rtm_fake import PUSH_SAMPLES

from lcconsole.wire import objects
from lcconsole.wire.actions import PUSHES
from lcconsole.wire.pushes import (
    PUSH_MODELS,
    AgentDisconnectedPush,
    ChatUserAddedPush,
    IncomingChatThreadPush,
    IncomingEventPush,
    UnknownPush,
    parse_push,
)


def test_one_model_per_v30_push():
    assert set(PUSH_MODELS) == set(PUSHES)
    assert set(PUSH_SAMPLES) == set(PUSHES)


@pytest.mark.parametrize("action", PUSHES)
def test_every_push_parses_to_its_model(action):
    payload = PUSH_SAMPLES[action]
    push = parse_push(action, payload, "req-7")
    assert type(push) is PUSH_MODELS[action]
    assert push.action == action
    assert push.request_id == "req-7"
    assert push.raw is payload
    dumped = push.to_payload()
    for key in payload:
        if not key.startswith("__priv_"):
            assert key in dumped


def test_nested_objects_are_typed():
    push = parse_push("incoming_chat_thread", PUSH_SAMPLES["incoming_chat_thread"])
    assert isinstance(push, IncomingChatThreadPush)
    assert isinstance(push.chat.thread.events[0], objects.Message)
    assert push.chat.thread.events[0].text == "hello"
    assert isinstance(push.chat.users[0], objects.Customer)
    assert isinstance(push.chat.users[1], objects.Agent)
    assert push.chat.properties.get("rating", "score") == 1

    event = parse_push("incoming_event", PUSH_SAMPLES["incoming_event"])
    assert isinstance(event, IncomingEventPush) and event.event.order == 1

    added = parse_push("chat_user_added", PUSH_SAMPLES["chat_user_added"])
    assert isinstance(added, ChatUserAddedPush) and isinstance(added.user, objects.Customer)
    assert "__priv_lc2_customer_id" not in added.to_payload()["user"]

    bye = parse_push("agent_disconnected", PUSH_SAMPLES["agent_disconnected"])
    assert isinstance(bye, AgentDisconnectedPush)
    assert (bye.reason, bye.data) == ("misdirected_connection", {"region": "fra"})


def test_unknown_fields_are_kept():
    push = parse_push("thread_closed", {"chat_id": "C", "thread_id": "T", "novel": [1]})
    assert push.novel == [1]
    assert push.user_id is None
    assert push.to_payload() == {"chat_id": "C", "thread_id": "T", "novel": [1]}


def test_unknown_push_falls_back():
    push = parse_push("incoming_chat", {"chat": {"id": "X"}}, "r1")
    assert isinstance(push, UnknownPush)
    assert (push.action, push.payload, push.request_id) == ("incoming_chat", {"chat": {"id": "X"}}, "r1")
    assert push == UnknownPush("incoming_chat", {"chat": {"id": "X"}})


@pytest.mark.parametrize(
    "action,payload",
    [
        ("incoming_event", {"chat_id": "C"}),  # missing fields
        ("chat_transferred", {"chat_id": "C", "type": "planet", "ids": []}),
        ("customer_banned", {"customer_id": "C", "ban": {"days": "many"}}),
        ("agent_updated", ["not", "an", "object"]),
    ],
)
def test_invalid_known_push_falls_back_without_raising(action, payload):
    push = parse_push(action, payload)
    assert isinstance(push, UnknownPush)
    assert push.action == action
    assert push.error
