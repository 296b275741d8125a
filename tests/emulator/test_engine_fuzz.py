"""Engine fuzzing: random payloads for every action answer only ErrorReply (never internal), and
the database stays consistent afterwards."""

from __future__ import annotations

import copy

import pytest
from _fuzz import answer_or_livechat_error, consistent, mutate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lcconsole.emulator.contract import ErrorReply, UploadedFile
from lcconsole.emulator.engine import AGENT_HANDLERS, CUSTOMER_HANDLERS, Engine

ENGINE = Engine()

# hundreds of examples each: ~10 s on an idle machine, several times that on a loaded one
pytestmark = pytest.mark.timeout(600)
ENGINE.seed("demo", [("my@example.com", ["chats--my:ro", "chats--my:rw", "chats.conversation--my:rw"])])
_CREDS = ENGINE.agent_credentials()
AGENTS = [ENGINE.authenticate(c["token"]) for c in _CREDS]
CUSTOMERS = [ENGINE.authenticate(ENGINE.create_customer_token("Fuzz", "f@z.org").payload["access_token"], "customer")]
_ROW = ENGINE.conn.execute
CHAT_IDS = [r[0] for r in _ROW("SELECT id FROM chats")]
THREAD_IDS = [r[0] for r in _ROW("SELECT id FROM threads")]
EVENT_IDS = [r[0] for r in _ROW("SELECT id FROM events")]
CUSTOMER_IDS = [r[0] for r in _ROW("SELECT id FROM customers")]
AGENT_IDS = [c["id"] for c in _CREDS]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(
        CHAT_IDS
        + THREAD_IDS
        + EVENT_IDS
        + CUSTOMER_IDS
        + AGENT_IDS
        + ["all", "agents", "asc", "desc", "group", "agent", "chat", "customer", "message", "accepting_chats"]
    ),
    st.sampled_from(["\ud800", "x" * 20000, "MTUx", "eyJkIjoibiJ9"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
KEYS = [
    "chat_id",
    "thread_id",
    "event_id",
    "customer_id",
    "user_id",
    "user_type",
    "chat",
    "event",
    "properties",
    "filters",
    "page_id",
    "limit",
    "order",
    "target",
    "force",
    "resource",
    "id",
    "access",
    "tag",
    "thread_ids",
    "postback",
    "scopes",
    "content",
    "is_typing",
    "recipients",
    "timestamp",
    "ban",
    "routing_status",
    "agent_id",
    "attach_to_last_thread",
    "require_active_thread",
    "pagination",
    "name",
    "email",
    "fields",
    "sneak_peek_text",
    "away",
    "type",
    "continuous",
    "custom_id",
]
EVENTS = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            ["message", "system_message", "file", "rich_message", "filled_form", "custom", "annotation", "bogus"]
        )
    },
    optional={
        "text": json_values,
        "recipients": json_values,
        "custom_id": json_values,
        "properties": json_values,
        "elements": json_values,
        "template_id": json_values,
        "url": json_values,
        "form_id": json_values,
        "fields": json_values,
        "content": json_values,
        "postback": json_values,
    },
)
payloads = st.one_of(
    st.dictionaries(st.sampled_from(KEYS), st.one_of(json_values, EVENTS), max_size=6),
    st.fixed_dictionaries(
        {"chat_id": st.sampled_from(CHAT_IDS)},
        optional={k: st.one_of(json_values, EVENTS) for k in KEYS if k != "chat_id"},
    ),
    json_values,
)
files = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(["file", "image", "payload.file", "x"]),
        st.builds(UploadedFile, st.text(max_size=20), st.text(max_size=20), st.binary(max_size=64)),
        max_size=2,
    ),
)


VALID_EVENTS = [
    {"type": "message", "text": "hi", "custom_id": "c1"},
    {"type": "message", "text": "note", "recipients": "agents", "properties": {"a": {"b": 1}}},
    {"type": "system_message", "text": "s", "system_message_type": "x", "text_vars": {"a": "b"}},
    {"type": "file", "url": "https://x/y.png", "name": "y.png"},
    {
        "type": "rich_message",
        "template_id": "cards",
        "elements": [{"title": "t", "buttons": [{"text": "b", "postback_id": "p1"}]}],
    },
    {"type": "filled_form", "form_id": "f", "fields": [{"type": "name", "id": "1", "label": "N", "answer": "x"}]},
    {"type": "custom", "content": {"x": [1, 2]}},
    {"type": "annotation", "text": "a", "annotation_type": "rating"},
]


def _samples(draw) -> dict:
    chat = draw(st.sampled_from(CHAT_IDS))
    thread = draw(st.sampled_from(THREAD_IDS))
    event = draw(st.sampled_from(EVENT_IDS))
    customer = draw(st.sampled_from(CUSTOMER_IDS))
    agent = draw(st.sampled_from(AGENT_IDS))
    ev = copy.deepcopy(draw(st.sampled_from(VALID_EVENTS)))
    access = draw(
        st.sampled_from(
            [
                {"resource": "chat", "id": chat, "access": {"type": "group", "id": draw(st.integers(0, 3))}},
                {"resource": "chat", "id": chat, "access": {"type": "agent", "id": agent}},
                {"resource": "customer", "id": customer, "access": {"type": "group", "id": 1}},
                {"resource": "customer", "id": customer, "access": {"type": "agent", "id": agent}},
            ]
        )
    )
    props = {"ns": {"k": draw(st.one_of(st.integers(0, 5), st.booleans(), st.text(max_size=3)))}}
    pfilter = {"ns": {"k": draw(st.sampled_from([{"exists": True}, {"values": [1, "a"]}, {"exclude_values": [True]}]))}}
    return {
        "start_chat": {
            "chat": {
                "users": [{"id": customer, "type": "customer"}],
                "properties": props,
                "access": {"group_ids": [0, 1]},
                "thread": {"events": [ev], "tags": ["t"], "properties": props},
            },
            "continuous": True,
        },
        "activate_chat": {"chat": {"id": chat, "thread": {"events": [ev]}}},
        "send_event": {
            "chat_id": chat,
            "event": ev,
            "attach_to_last_thread": draw(st.booleans()),
            "require_active_thread": draw(st.booleans()),
        },
        "close_thread": {"chat_id": chat},
        "follow_chat": {"chat_id": chat},
        "unfollow_chat": {"chat_id": chat},
        "transfer_chat": {
            "chat_id": chat,
            "force": draw(st.booleans()),
            "target": draw(
                st.sampled_from([{"type": "group", "ids": [1, 2]}, {"type": "agent", "ids": [agent]}, None])
            ),
        },
        "grant_access": access,
        "revoke_access": access,
        "set_access": access,
        "add_user_to_chat": {
            "chat_id": chat,
            "user_id": draw(st.sampled_from([agent, customer])),
            "user_type": draw(st.sampled_from(["agent", "customer"])),
        },
        "remove_user_from_chat": {"chat_id": chat, "user_id": agent, "user_type": "agent"},
        "update_chat_properties": {"chat_id": chat, "properties": props},
        "delete_chat_properties": {"chat_id": chat, "properties": {"ns": ["k"]}},
        "delete_chat_thread_properties": {"chat_id": chat, "thread_id": thread, "properties": {"ns": ["k"]}},
        "update_chat_thread_properties": {"chat_id": chat, "thread_id": thread, "properties": props},
        "delete_event_properties": {
            "chat_id": chat,
            "thread_id": thread,
            "event_id": event,
            "properties": {"ns": ["k"]},
        },
        "update_event_properties": {"chat_id": chat, "thread_id": thread, "event_id": event, "properties": props},
        "tag_chat_thread": {"chat_id": chat, "thread_id": thread, "tag": "x"},
        "untag_chat_thread": {"chat_id": chat, "thread_id": thread, "tag": "x"},
        "get_chats_summary": {
            "limit": 5,
            "order": "asc",
            "filters": {"include_active": draw(st.booleans()), "properties": pfilter, "group_ids": [1]},
        },
        "get_archives": {
            "filters": {
                "query": draw(st.text(max_size=4)),
                "agent_ids": [agent],
                "group_ids": [0],
                "date_from": "2020-01-01",
                "properties": pfilter,
            },
            "pagination": {"page": 1, "limit": 5},
        },
        "get_customers": {
            "limit": 5,
            "filters": {
                "country": {"values": ["Poland"]},
                "visits_count": {"gte": 2},
                "created_at": {"lt": "2100-01-01T00:00:00Z"},
            },
        },
        "create_customer": {"name": "n", "email": "e@x", "fields": {"a": "b"}},
        "update_customer": {"customer_id": customer, "name": "x", "fields": {"c": "d"}},
        "ban_customer": {"customer_id": customer, "ban": {"days": draw(st.integers(0, 2))}},
        "get_chat_threads": {"chat_id": chat, "thread_ids": [thread]},
        "get_chat_threads_summary": {"chat_id": chat, "limit": 2},
        "send_rich_message_postback": {
            "chat_id": chat,
            "thread_id": thread,
            "event_id": event,
            "postback": {"id": "p1", "toggled": draw(st.booleans())},
        },
        "multicast": {
            "scopes": {"agents": {"groups": [1], "ids": [agent]}, "customers": {"ids": [customer]}},
            "content": {"x": 1},
        },
        "send_typing_indicator": {"chat_id": chat, "is_typing": True, "recipients": "all"},
        "send_sneak_peek": {"chat_id": chat, "sneak_peek_text": "x"},
        "update_last_seen_timestamp": {"chat_id": chat},
        "update_agent": {"agent_id": agent, "routing_status": "not_accepting_chats"},
        "send_file": {"chat_id": chat},
        "upload_image": {},
        "start_visit": {
            "ip": "192.0.2.1",
            "user_agent": "UA",
            "url": "https://x.example/",
            "geolocation": {"country": "Poland", "latitude": 50.06},
        },
        "update_customer_page": {"url": "https://x.example/a", "title": "A", "referrer": ""},
        "end_visit": {},
    }


SAMPLED_AGENT_ACTIONS = sorted(
    set(AGENT_HANDLERS) - {"login", "logout", "ping", "set_away_status", "change_push_notifications"}
)


@st.composite
def near_valid(draw, actions):
    """A valid sample payload for an action, with up to two random mutations."""
    action = draw(st.sampled_from(actions))
    payload = mutate(draw, _samples(draw)[action], json_values)
    return action, payload


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(AGENTS), st.sampled_from(sorted(AGENT_HANDLERS) + ["bogus"]), payloads, files)
def test_agent_actions_never_fail_internally(principal, action, payload, upload):
    answer_or_livechat_error(Engine.execute, ENGINE, principal, action, payload, upload)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(CUSTOMERS), st.sampled_from(sorted(CUSTOMER_HANDLERS) + ["login"]), payloads, files)
def test_customer_actions_never_fail_internally(principal, action, payload, upload):
    answer_or_livechat_error(Engine.execute, ENGINE, principal, action, payload, upload)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(AGENTS), near_valid(SAMPLED_AGENT_ACTIONS), files)
def test_agent_near_valid_payloads(principal, case, upload):
    action, payload = case
    answer_or_livechat_error(Engine.execute, ENGINE, principal, action, payload, upload)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(CUSTOMERS), near_valid(sorted(CUSTOMER_HANDLERS)), files)
def test_customer_near_valid_payloads(principal, case, upload):
    action, payload = case
    answer_or_livechat_error(Engine.execute, ENGINE, principal, action, payload, upload)


@pytest.mark.parametrize("token", ["", "Bearer", "Bearer  x", "\x00", "dal:" + "a" * 5000, "\ud800", "dal:\udcff", 5])
def test_bad_tokens_are_authentication_errors(token):
    with pytest.raises(ErrorReply) as err:
        ENGINE.authenticate(token)
    assert err.value.type == "authentication"


@pytest.mark.parametrize("path", ["\ud800", "../../etc/passwd", "", "img/\x00", 7])
def test_bad_file_paths_are_none(path):
    assert ENGINE.read_file(path) is None


def test_database_consistent_after_fuzzing():
    """Runs after the fuzzers in file order; also holds on its own."""
    consistent(ENGINE)


@pytest.mark.parametrize("content", [float("nan"), float("inf"), "deep"])
def test_unstorable_content_is_a_validation_error(content):
    if content == "deep":
        content = []
        for _ in range(5000):
            content = [content]
    chat = CHAT_IDS[0]
    with pytest.raises(ErrorReply) as err:
        ENGINE.execute(AGENTS[0], "send_event", {"chat_id": chat, "event": {"type": "custom", "content": content}})
    assert err.value.type == "validation"
    with pytest.raises(ErrorReply) as err:
        ENGINE.execute(AGENTS[0], "multicast", {"scopes": {"agents": {"all": True}}, "content": content})
    assert err.value.type == "validation"
