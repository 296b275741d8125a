"""Fuzzing the v3.6 bodies as the v3.0 ones are fuzzed: near-valid and random payloads for every
v3.6 agent (and customer) action answer only LiveChat errors (never `internal`) on the engine, never a 5xx over
HTTP, and the shared world stays consistent and readable over both versions afterwards."""

from __future__ import annotations

import copy

import pytest
from _fuzz import REFUSED, answer_or_livechat_error, consistent, mutate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine_fuzz import json_values
from test_server_fuzz import values as http_values

from lcconsole.emulator import v36
from lcconsole.emulator.contract import Principal, UploadedFile
from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.emulator.engine import Engine
from lcconsole.emulator.v36 import customer as v36_customer
from lcconsole.wire.errors import ERROR_TYPES
from lcconsole.wire.v36.actions import ACTIONS
from lcconsole.wire.v36.customer import CUSTOMER_REQUEST_MODELS
from lcconsole.wire.v36.requests import REQUEST_MODELS
from tests import loopback

ENGINE = Engine()
ENGINE.seed("demo", [("access@example.com", ["chats--access:rw", "customers:ro"])])
AGENTS = [ENGINE.authenticate(c["token"]) for c in ENGINE.agent_credentials()]
_ROW = ENGINE.conn.execute
CHAT_IDS = [r[0] for r in _ROW("SELECT id FROM chats")]
THREAD_IDS = [r[0] for r in _ROW("SELECT id FROM threads")]
EVENT_IDS = [r[0] for r in _ROW("SELECT id FROM events")]
CUSTOMER_IDS = [r[0] for r in _ROW("SELECT id FROM customers")]
AGENT_IDS = [a.id for a in AGENTS]
EVENTS = [
    {"type": "message", "text": "hi", "visibility": "all", "custom_id": "c1"},
    {"type": "message", "text": "note", "visibility": "agents", "properties": {"a": {"b": 1}}},
    {"type": "system_message", "text": "s", "system_message_type": "x"},
    {"type": "file", "url": "http://127.0.0.1/files/att/x/y.png", "alternative_text": "y"},
    {
        "type": "rich_message",
        "template_id": "cards",
        "elements": [{"title": "t", "buttons": [{"text": "b", "postback_id": "p1", "target": "new"}]}],
    },
    {"type": "filled_form", "form_id": "f", "fields": [{"type": "name", "id": "1", "answer": "x"}]},
    {"type": "custom", "content": {"x": [1, 2]}},
]


def _samples(draw) -> dict:
    chat, thread = draw(st.sampled_from(CHAT_IDS)), draw(st.sampled_from(THREAD_IDS))
    event, customer = draw(st.sampled_from(EVENT_IDS)), draw(st.sampled_from(CUSTOMER_IDS))
    agent = draw(st.sampled_from(AGENT_IDS))
    ev = copy.deepcopy(draw(st.sampled_from(EVENTS)))
    props = {"ns": {"k": draw(st.one_of(st.integers(0, 5), st.booleans(), st.text(max_size=3)))}}
    flt = draw(
        st.sampled_from(
            [{"exists": True}, {"values": ["x", agent]}, {"exclude_values": ["t"], "require_every_value": True}]
        )
    )
    ids = {"chat_id": chat, "thread_id": thread}
    return {
        "list_chats": {
            "limit": 5,
            "sort_order": "asc",
            "filters": {
                "active": draw(st.sampled_from([True, False, None])),
                "group_ids": [0, 1],
                "properties": {"ns": {"k": {"exists": True}}},
            },
        },
        "list_threads": {"chat_id": chat, "limit": 2, "filters": {"from": "2020-01-01T00:00:00Z"}},
        "get_chat": ids,
        "list_archives": {
            "limit": 3,
            "filters": {
                "query": draw(st.text(max_size=4)),
                "from": "2020-01-01T00:00:00.000000+02:00",
                "agents": flt,
                "tags": flt,
                "event_types": {"values": ["message"]},
                "customer_email": "x@y",
                "group_ids": [0],
                "chat_ids": [chat],
            },
            "highlights": {},
        },
        "start_chat": {
            "chat": {
                "users": [{"id": customer, "type": "customer"}, {"id": agent, "type": "agent"}],
                "properties": props,
                "access": {"group_ids": [0, 1]},
                "thread": {"events": [ev], "properties": props},
            },
            "active": draw(st.booleans()),
            "continuous": True,
        },
        "resume_chat": {"chat": {"id": chat, "thread": {"events": [ev]}}, "active": draw(st.booleans())},
        "deactivate_chat": {"id": chat, "ignore_requester_presence": draw(st.booleans())},
        "follow_chat": {"id": chat},
        "unfollow_chat": {"id": chat},
        "transfer_chat": {
            "id": chat,
            "ignore_agents_availability": draw(st.booleans()),
            "ignore_requester_presence": True,
            "target": draw(
                st.sampled_from([{"type": "group", "ids": [1, 2]}, {"type": "agent", "ids": [agent]}, None])
            ),
        },
        "add_user_to_chat": {
            "chat_id": chat,
            "user_id": draw(st.sampled_from([agent, customer])),
            "user_type": draw(st.sampled_from(["agent", "customer"])),
            "visibility": draw(st.sampled_from(["all", "agents"])),
            "ignore_requester_presence": draw(st.booleans()),
        },
        "remove_user_from_chat": {
            "chat_id": chat,
            "user_id": agent,
            "user_type": "agent",
            "ignore_requester_presence": True,
        },
        "send_event_preview": {"chat_id": chat, "event": {"type": "message", "text": "pre"}},
        "send_event": {"chat_id": chat, "event": ev, "attach_to_last_thread": draw(st.booleans())},
        "upload_file": {},
        "send_rich_message_postback": {
            **ids,
            "event_id": event,
            "postback": {
                "id": "p1",
                "toggled": draw(st.booleans()),
                "button_type": "url",
                "ecommerce": {"product_id": "1"},
            },
        },
        "update_chat_properties": {"id": chat, "properties": props},
        "delete_chat_properties": {"id": chat, "properties": {"ns": ["k"]}},
        "update_thread_properties": {**ids, "properties": props},
        "delete_thread_properties": {**ids, "properties": {"ns": ["k"]}},
        "update_event_properties": {**ids, "event_id": event, "properties": props},
        "delete_event_properties": {**ids, "event_id": event, "properties": {"ns": ["k"]}},
        "tag_thread": {**ids, "tag": "x"},
        "untag_thread": {**ids, "tag": "x"},
        "get_customer": {"id": customer},
        "update_customer": {"id": customer, "name": "x", "session_fields": [{"a": "b"}]},
        "ban_customer": {"id": customer, "ban": {"days": draw(st.integers(0, 2))}},
        "set_routing_status": {"status": "not_accepting_chats", "agent_id": agent},
        "list_routing_statuses": {"filters": {"group_ids": [0, 1]}},
        "mark_events_as_seen": {"chat_id": chat, "seen_up_to": "2024-01-01T00:00:00.000000Z"},
        "send_thinking_indicator": {"chat_id": chat, "title": "t", "custom_id": "c"},
        "send_typing_indicator": {"chat_id": chat, "is_typing": True, "visibility": "agents"},
        "multicast": {"recipients": {"agents": {"all": True, "groups": [1]}}, "content": {"x": 1}},
        "list_agents_for_transfer": {"chat_id": chat},
        "request_thread_summary": ids,
        "login": {"token": "x", "away": False, "pushes": {"3.6": ["all"]}},
        "logout": {},
        "ping": {},
        "set_away_status": {"away": draw(st.booleans())},
        "update_session": {"token": "Bearer x"},
        "subscribe_customers": {"group_ids": [0], "limit": 5},
        "unsubscribe_customers": {"subscription_id": "x"},
    }


@st.composite
def near_valid(draw):
    """A valid sample body of a v3.6 action with up to two random mutations."""
    action = draw(st.sampled_from(sorted(ACTIONS)))
    samples = _samples(draw)
    assert set(samples) == set(ACTIONS)  # every v3.6 action has a valid sample
    payload = mutate(draw, samples[action], json_values)
    return action, payload


files = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(["file", "x"]),
        st.builds(UploadedFile, st.sampled_from(["a.png", "b.exe", ""]), st.text(max_size=12), st.binary(max_size=32)),
        max_size=2,
    ),
)


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=near_valid(), who=st.sampled_from(AGENTS), upload=files)
def test_engine_answers_v36_bodies_with_livechat_errors_only(case, who, upload):
    answered = answer_or_livechat_error(v36.execute, ENGINE, who, *case, upload)
    assert answered is REFUSED or isinstance(answered, (dict, list))


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(action=st.sampled_from(sorted(ACTIONS)), payload=json_values)
def test_engine_answers_random_v36_bodies_with_livechat_errors_only(action, payload):
    answer_or_livechat_error(v36.execute, ENGINE, AGENTS[0], action, payload)


CUSTOMERS = [Principal("customer", c) for c in CUSTOMER_IDS[:5]]


@st.composite
def near_valid_customer(draw):
    """A valid-looking v3.6 customer body with up to two random mutations."""
    chat, thread = draw(st.sampled_from(CHAT_IDS)), draw(st.sampled_from(THREAD_IDS))
    event = draw(st.sampled_from(EVENT_IDS))
    ev = {"type": "message", "text": "hi", "custom_id": "c"}
    samples = {
        "start_chat": {"chat": {"thread": {"events": [ev]}}, "active": draw(st.booleans())},
        "resume_chat": {"chat": {"id": chat, "thread": {"events": [ev]}}},
        "deactivate_chat": {"id": chat},
        "list_threads": {"chat_id": chat, "limit": 2},
        "get_chat": {"chat_id": chat, "thread_id": thread},
        "send_event": {"chat_id": chat, "event": ev, "attach_to_last_thread": draw(st.booleans())},
        "upload_file": {},
        "send_sneak_peek": {"chat_id": chat, "sneak_peek_text": "x"},
        "send_rich_message_postback": {
            "chat_id": chat,
            "thread_id": thread,
            "event_id": event,
            "postback": {"id": "p1", "toggled": True},
        },
        "send_typing_indicator": {"chat_id": chat, "is_typing": True},
        "delete_event": {"chat_id": chat, "thread_id": thread, "event_id": event},
        "mark_events_as_seen": {"chat_id": chat, "seen_up_to": "2024-01-01T00:00:00Z"},
    }
    assert set(samples) == set(CUSTOMER_REQUEST_MODELS)  # every customer action has a sample
    action = draw(st.sampled_from(sorted(samples)))
    payload = mutate(draw, samples[action], json_values, delete=False)
    return action, payload


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=near_valid_customer(), who=st.sampled_from(CUSTOMERS), upload=files)
def test_engine_answers_v36_customer_bodies_with_livechat_errors_only(case, who, upload):
    answered = answer_or_livechat_error(v36_customer.execute, ENGINE, who, *case, upload)
    assert answered is REFUSED or isinstance(answered, dict)


def test_world_is_consistent_after_v36_fuzzing():
    """Runs after the fuzzers above: integrity holds and every chat reads back in both versions."""
    consistent(ENGINE)
    admin = AGENTS[0]
    for (chat_id,) in ENGINE.conn.execute("SELECT id FROM chats").fetchall():
        v36.execute(ENGINE, admin, "get_chat", {"chat_id": chat_id})
        ENGINE.execute(admin, "get_chat_threads", {"chat_id": chat_id})
    listed = v36.execute(ENGINE, admin, "list_chats", {"limit": 100}).payload
    assert listed["found_chats"] == ENGINE.conn.execute("SELECT COUNT(*) FROM chats").fetchone()[0]


@pytest.fixture(scope="module")
def server():
    with EmbeddedEmulator(seed="demo", simulate=False) as info:
        with loopback.client(
            base_url=info.base_url, timeout=10, headers={"Authorization": f"Bearer {info.token}"}
        ) as client:
            yield client


@pytest.mark.parametrize("action", sorted(a for a, spec in ACTIONS.items() if spec.web))
def test_http_v36_bodies_never_get_a_5xx(server, action):
    names = sorted(REQUEST_MODELS[action].model_fields) or ["chat_id"]

    @settings(
        max_examples=8,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(body=st.dictionaries(st.sampled_from(names), http_values, max_size=4))
    def run(body):
        resp = server.post(f"/v3.6/agent/action/{action}", json=body)
        assert resp.status_code < 500, resp.text
        if resp.status_code != 200:
            assert resp.json()["error"]["type"] in ERROR_TYPES

    run()
