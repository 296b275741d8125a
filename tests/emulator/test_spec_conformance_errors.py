"""Spec conformance, part 2: errors and scopes over plain HTTP against a real emulator process —
authentication, validation naming the field, wrong types, missing entities, malformed bodies,
oversize uploads (each with exactly the `{"error": {"type", "message"}}` envelope), a
`chats--my:ro` agent refused every write and seeing only its own chats, and a SIGKILL mid-burst.
"""

from __future__ import annotations

import threading

import httpx
import pytest
from _spec_client import ACCESS, ADMIN, AGENT2, LIMITED, PNG, WRITER, Spec, check_error, start_process

from lcconsole.wire.actions import ACTIONS, MAX_UPLOAD_BYTES
from tests import loopback

MISSING_CHAT = "ZZZZZZZZZZ"


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    proc = start_process(tmp_path_factory.mktemp("spec-errors"))
    client = Spec(proc)
    yield client
    client.close()
    proc.kill()


@pytest.fixture(scope="module")
def world(spec):
    """A chat of the administrator with a customer and one message; agent ids for the payloads."""
    customer = spec.customer()["id"]
    chat = spec.chat(customer=customer)
    thread = chat["thread"]
    return {"chat": chat["id"], "thread": thread["id"], "event": thread["events"][0]["id"], "customer": customer}


def payloads(w: dict) -> dict[str, dict]:
    """A valid sample payload for every action (ids from `w`)."""
    chat, thread, event = w["chat"], w["thread"], w["event"]
    access = {"resource": "chat", "id": chat, "access": {"type": "group", "id": 0}}
    rating = {"rating": {"score": 2}}
    return {
        "activate_chat": {"chat": {"id": chat}},
        "follow_chat": {"chat_id": chat},
        "get_chats_summary": {},
        "start_chat": {"chat": {"thread": {"events": [{"type": "message", "text": "hi"}]}}},
        "transfer_chat": {"chat_id": chat, "target": {"type": "agent", "ids": [AGENT2]}, "force": True},
        "unfollow_chat": {"chat_id": chat},
        "grant_access": access,
        "revoke_access": access,
        "set_access": access,
        "add_user_to_chat": {"chat_id": chat, "user_id": AGENT2, "user_type": "agent"},
        "remove_user_from_chat": {"chat_id": chat, "user_id": AGENT2, "user_type": "agent"},
        "update_agent": {"routing_status": "accepting_chats"},
        "ban_customer": {"customer_id": w["customer"], "ban": {"days": 5}},
        "create_customer": {"email": "customer1@example.com"},
        "get_customers": {},
        "update_customer": {"customer_id": w["customer"], "name": "John Doe"},
        "send_event": {"chat_id": chat, "event": {"type": "message", "text": "hello world"}},
        "delete_chat_properties": {"chat_id": chat, "properties": {"rating": ["score"]}},
        "delete_chat_thread_properties": {"chat_id": chat, "thread_id": thread, "properties": {"rating": ["score"]}},
        "delete_event_properties": {
            "chat_id": chat,
            "thread_id": thread,
            "event_id": event,
            "properties": {"rating": ["score"]},
        },
        "update_chat_thread_properties": {"chat_id": chat, "thread_id": thread, "properties": rating},
        "update_chat_properties": {"chat_id": chat, "properties": rating},
        "update_event_properties": {"chat_id": chat, "thread_id": thread, "event_id": event, "properties": rating},
        "tag_chat_thread": {"chat_id": chat, "thread_id": thread, "tag": "bug_report"},
        "untag_chat_thread": {"chat_id": chat, "thread_id": thread, "tag": "bug_report"},
        "get_archives": {},
        "get_chat_threads": {"chat_id": chat},
        "get_chat_threads_summary": {"chat_id": chat},
        "close_thread": {"chat_id": chat},
        "multicast": {"scopes": {"agents": {"all": True}}, "content": {"x": 1}},
        "update_last_seen_timestamp": {"chat_id": chat},
        "send_typing_indicator": {"chat_id": chat, "is_typing": True},
        "send_rich_message_postback": {
            "chat_id": chat,
            "thread_id": thread,
            "event_id": event,
            "postback": {"id": "yes", "toggled": True},
        },
    }


def multipart(action: str, chat: str, data: bytes = PNG) -> dict:
    if action == "send_file":
        return {"files": {"payload.file": ("test.png", data, "image/png")}, "data": {"payload.chat_id": chat}}
    return {"files": {"payload.image": ("test.png", data, "image/png")}}


def call(spec: Spec, action: str, w: dict, *, as_: str | None = ADMIN, headers=None) -> httpx.Response:
    if ACTIONS[action].multipart:
        return spec.post(action, as_=as_, headers=headers, **multipart(action, w["chat"]))
    return spec.post(action, payloads(w)[action], as_=as_, headers=headers)


def test_payloads_cover_every_action(world):
    assert set(payloads(world)) | {"send_file", "upload_image"} == set(ACTIONS)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_missing_and_bad_token_are_401_authentication(spec, world, action):
    check_error(call(spec, action, world, as_=None), 401, "authentication")
    bad = {"Authorization": "Bearer dal:not-a-token"}
    check_error(call(spec, action, world, as_=None, headers=bad), 401, "authentication")


def test_other_authorization_schemes_are_refused(spec, world):
    token = spec.tokens[ADMIN]
    for header in (token, f"Basic {token}", "Bearer", f"Token {token}"):
        check_error(
            call(spec, "get_chats_summary", world, as_=None, headers={"Authorization": header}), 401, "authentication"
        )


REQUIRED = [
    ("get_chat_threads", "chat_id", "chat_id"),
    ("get_chat_threads_summary", "chat_id", "chat_id"),
    ("activate_chat", "chat.id", "chat.id"),
    ("add_user_to_chat", "user_type", "user_type"),
    ("remove_user_from_chat", "user_id", "user_id"),
    ("send_event", "event", "event"),
    ("send_event", "event.text", "text"),
    ("ban_customer", "ban.days", "days"),
    ("update_customer", "customer_id", "customer_id"),
    ("delete_chat_properties", "properties", "properties"),
    ("delete_event_properties", "event_id", "event_id"),
    ("update_chat_thread_properties", "thread_id", "thread_id"),
    ("tag_chat_thread", "tag", "tag"),
    ("send_rich_message_postback", "postback.toggled", "toggled"),
    ("multicast", "scopes", "scopes"),
    ("multicast", "content", "content"),
    ("grant_access", "access.id", "id"),
    ("transfer_chat", "target.ids", "ids"),
    ("send_typing_indicator", "is_typing", "is_typing"),
    ("close_thread", "chat_id", "chat_id"),
    ("follow_chat", "chat_id", "chat_id"),
    ("update_last_seen_timestamp", "chat_id", "chat_id"),
]


@pytest.mark.parametrize("action,path,name", REQUIRED, ids=[f"{a}-{p}" for a, p, _ in REQUIRED])
def test_missing_required_field_is_400_validation_naming_it(spec, world, action, path, name):
    payload = payloads(world)[action]
    node = payload
    *parents, last = path.split(".")
    for key in parents:
        node = node[key]
    del node[last]
    message = check_error(spec.post(action, payload), 400, "validation")
    assert name in message, message


WRONG_TYPES = [
    ("get_chat_threads", {"chat_id": 12345}, "chat_id"),
    ("get_chat_threads", {"chat_id": "X", "thread_ids": "K600PKZON8"}, "thread_ids"),
    ("get_chats_summary", {"limit": "ten"}, "limit"),
    ("get_customers", {"filters": {"visits_count": {"gte": "20"}}}, "gte"),
    ("send_typing_indicator", {"chat_id": "X", "is_typing": "yes"}, "is_typing"),
    ("ban_customer", {"customer_id": "X", "ban": {"days": "5"}}, "days"),
    ("send_event", {"chat_id": "X", "event": {"type": "message", "text": 5}}, "text"),
    (
        "send_event",
        {"chat_id": "X", "event": {"type": "message", "text": "x"}, "attach_to_last_thread": "false"},
        "attach_to_last_thread",
    ),
    ("start_chat", {"chat": {"access": {"group_ids": "1"}}}, "group_ids"),
    ("update_agent", {"routing_status": "sleeping"}, "routing_status"),
    ("create_customer", {"fields": ["some_key"]}, "fields"),
]


@pytest.mark.parametrize("action,payload,name", WRONG_TYPES, ids=[f"{a}-{n}" for a, _, n in WRONG_TYPES])
def test_wrong_type_is_400_validation_naming_the_field(spec, action, payload, name):
    message = check_error(spec.post(action, payload), 400, "validation")
    assert name in message, message


CHAT_ACTIONS = sorted(
    a
    for a in ACTIONS
    if not ACTIONS[a].multipart
    and a
    not in (
        "get_chats_summary",
        "start_chat",
        "update_agent",
        "ban_customer",
        "create_customer",
        "get_customers",
        "update_customer",
        "get_archives",
        "multicast",
    )
)


@pytest.mark.parametrize("action", CHAT_ACTIONS + ["send_file"])
def test_unknown_chat_is_404_not_found(spec, world, action):
    missing = dict(world, chat=MISSING_CHAT)
    message = check_error(call(spec, action, missing), 404, "not_found")
    assert MISSING_CHAT in message


@pytest.mark.parametrize(
    "action,key",
    [
        ("tag_chat_thread", "thread"),
        ("update_chat_thread_properties", "thread"),
        ("delete_event_properties", "event"),
        ("update_event_properties", "event"),
        ("send_rich_message_postback", "event"),
        ("update_customer", "customer"),
        ("ban_customer", "customer"),
    ],
)
def test_unknown_thread_event_customer_is_404_not_found(spec, world, action, key):
    missing = dict(world, **{key: "b7eff798-f8df-4364-8059-649c35c9ed0c" if key == "customer" else "Q0000000_9"})
    check_error(call(spec, action, missing), 404, "not_found")


@pytest.mark.parametrize(
    "body", [b'{"payload": {"chat_id": ', b"not json", b"\xff\xfe{}", b"[1, 2]", b'"text"', b'{"payload": [1]}']
)
def test_malformed_json_is_400_validation(spec, body):
    resp = spec.http.post(
        "/v3.0/agent/action/get_chat_threads",
        content=body,
        headers={"Authorization": f"Bearer {spec.tokens[ADMIN]}", "Content-Type": "application/json"},
    )
    check_error(resp, 400, "validation")


def test_unknown_action_and_wrong_method_are_envelopes(spec):
    resp = spec.post("get_chats", {})
    assert resp.status_code in (400, 404) and "get_chats" in resp.json()["error"]["message"]
    check_error(resp, resp.status_code, resp.json()["error"]["type"])
    resp = spec.http.get(
        "/v3.0/agent/action/get_chats_summary", headers={"Authorization": f"Bearer {spec.tokens[ADMIN]}"}
    )
    assert resp.status_code == 405 and set(resp.json()) == {"error"}


@pytest.mark.parametrize("action", ["send_file", "upload_image"])
def test_oversize_upload_is_413_entity_too_large(spec, world, action):
    big = b"\0" * (MAX_UPLOAD_BYTES + 1)
    check_error(spec.post(action, **multipart(action, world["chat"], big)), 413, "entity_too_large")
    exact = spec.post(action, **multipart(action, world["chat"], b"\1" * MAX_UPLOAD_BYTES))
    assert exact.status_code == 200, exact.text


@pytest.mark.parametrize("action", ["send_file", "upload_image"])
def test_upload_without_file_or_as_json_is_400_validation(spec, world, action):
    fields = {"payload.chat_id": (None, world["chat"]), "payload.custom_id": (None, "no-file")}
    message = check_error(spec.post(action, files=fields), 400, "validation")
    assert ("file" if action == "send_file" else "image") in message
    check_error(spec.post(action, {"chat_id": world["chat"]}), 400, "validation")


# --- scopes ---------------------------------------------------------------------------------------

READS_FOR_MY = {"get_chats_summary", "get_chat_threads_summary", "get_archives", "unfollow_chat", "upload_image"}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_my_ro_agent_gets_403_authorization_for_everything_else(spec, world, action):
    resp = call(spec, action, world, as_=LIMITED)
    if action in READS_FOR_MY:
        # allowed by scope; on someone else's chat the chat itself is out of reach
        assert resp.status_code in (200, 403), resp.text
        if resp.status_code == 403:
            check_error(resp, 403, "authorization")
        return
    check_error(resp, 403, "authorization")


def test_my_ro_agent_sees_only_its_own_chats(spec, world):
    before = spec.ok("get_chats_summary", {"limit": 100}, as_=LIMITED)
    assert before["chats_summary"] == [] and before["found_chats"] == 0
    mine = spec.chat(text="limited agent's chat")
    spec.ok("add_user_to_chat", {"chat_id": mine["id"], "user_id": LIMITED, "user_type": "agent"})
    after = spec.ok("get_chats_summary", {"limit": 100}, as_=LIMITED)
    assert [c["id"] for c in after["chats_summary"]] == [mine["id"]] and after["found_chats"] == 1
    admin_sees = spec.ok("get_chats_summary", {"limit": 100})
    assert len(admin_sees["chats_summary"]) > 1
    summary = spec.ok("get_chat_threads_summary", {"chat_id": mine["id"]}, as_=LIMITED)
    assert summary["found_threads"] == 1
    check_error(spec.post("get_chat_threads_summary", {"chat_id": world["chat"]}, as_=LIMITED), 403, "authorization")
    check_error(
        spec.post("send_event", {"chat_id": mine["id"], "event": {"type": "message", "text": "x"}}, as_=LIMITED),
        403,
        "authorization",
    )
    spec.ok("close_thread", {"chat_id": mine["id"]})
    spec.ok("close_thread", {"chat_id": world["chat"]})
    archives = spec.ok("get_archives", {}, as_=LIMITED)
    assert [item["chat"]["id"] for item in archives["chats"]] == [mine["id"]]
    assert archives["pagination"]["total"] == 1


def test_access_level_agent_reaches_only_chats_of_its_groups(spec):
    hidden = spec.ok("start_chat", {"chat": {"access": {"group_ids": [1]}}})["chat"]["id"]
    shared = spec.ok("start_chat", {"chat": {"access": {"group_ids": [0]}}})["chat"]["id"]
    assert spec.ok("get_chat_threads", {"chat_id": shared}, as_=ACCESS)["chat"]["id"] == shared
    spec.ok("send_event", {"chat_id": shared, "event": {"type": "message", "text": "x"}}, as_=ACCESS)
    for action, payload in (
        ("get_chat_threads", {"chat_id": hidden}),
        ("send_event", {"chat_id": hidden, "event": {"type": "message", "text": "x"}}),
    ):
        check_error(spec.post(action, payload, as_=ACCESS), 403, "authorization")
    seen = [c["id"] for c in spec.ok("get_chats_summary", {"limit": 100}, as_=ACCESS)["chats_summary"]]
    assert shared in seen and hidden not in seen


def test_start_chat_with_users_needs_a_chats_rw_scope(spec):
    """start_chat's footnote: with `chat.users`, one of chats--all/access/my:rw is required."""
    customer = spec.customer()["id"]
    check_error(
        spec.post("start_chat", {"chat": {"users": [{"id": customer, "type": "customer"}]}}, as_=WRITER),
        403,
        "authorization",
    )
    chat = spec.ok("start_chat", {"chat": {"thread": {"events": [{"type": "message", "text": "hi"}]}}}, as_=WRITER)[
        "chat"
    ]
    check_error(spec.post("close_thread", {"chat_id": chat["id"]}, as_=WRITER), 403, "authorization")


def test_documented_refusals_are_validation_errors(spec):
    chat = spec.chat()
    customer = next(u["id"] for u in chat["users"] if u["type"] == "customer")
    other = spec.customer()["id"]
    refusals = [
        ("remove_user_from_chat", {"chat_id": chat["id"], "user_id": customer, "user_type": "customer"}),
        ("add_user_to_chat", {"chat_id": chat["id"], "user_id": other, "user_type": "customer"}),
        ("multicast", {"scopes": {}, "content": {"x": 1}}),
        ("get_chat_threads_summary", {"chat_id": chat["id"], "limit": 101}),
        ("get_customers", {"limit": 101}),
        ("get_customers", {"filters": {"email": {"values": ["a"], "exclude_values": ["b"]}}}),
        ("get_archives", {"pagination": {"page": 1001}}),
        ("get_archives", {"pagination": {"limit": 101}}),
        ("update_customer", {"customer_id": "not-a-uuid"}),
        ("grant_access", {"resource": "planet", "id": chat["id"], "access": {"type": "group", "id": 0}}),
        ("send_typing_indicator", {"chat_id": chat["id"], "recipients": "everyone", "is_typing": True}),
    ]
    for action, payload in refusals:
        check_error(spec.post(action, payload), 400, "validation")


# --- SIGKILL mid-write ----------------------------------------------------------------------------
# H4's tests/emulator/test_server_cli.py::test_sigkill_mid_burst_keeps_every_acknowledged_event_exactly_once
# covers a concurrent burst; this one is the checker's sequential burst and also checks the tokens.


def test_sigkill_mid_sequential_burst_keeps_acknowledged_events_once_and_tokens(tmp_path):
    proc = start_process(tmp_path, db=tmp_path / "kill.db")
    try:
        before = proc.info["agents"]
        headers = {"Authorization": f"Bearer {proc.token}"}
        with loopback.client(base_url=proc.base_url, timeout=5, headers=headers) as http:
            chat_id = http.post("/v3.0/agent/action/start_chat", json={"payload": {"chat": {}}}).json()["chat"]["id"]
            image = http.post(
                "/v3.0/agent/action/upload_image", files={"payload.image": ("test.png", PNG, "image/png")}
            ).json()
            sent = http.post(
                "/v3.0/agent/action/send_file",
                data={"payload.chat_id": chat_id},
                files={"payload.file": ("test.png", PNG, "image/png")},
            )
            assert sent.status_code == 200, sent.text
            acked: list[str] = []
            halfway, killing = threading.Event(), threading.Event()

            def burst() -> None:
                for i in range(200):
                    if i == 100:  # the kill lands mid-burst however the two threads are scheduled
                        halfway.set()
                        killing.wait(15)
                    custom_id = f"seq-{i}"
                    body = {
                        "payload": {
                            "chat_id": chat_id,
                            "event": {"type": "message", "text": custom_id, "custom_id": custom_id},
                        }
                    }
                    try:
                        resp = http.post("/v3.0/agent/action/send_event", json=body)
                    except httpx.HTTPError:
                        return
                    if resp.status_code != 200:
                        return
                    acked.append(custom_id)

            writer = threading.Thread(target=burst)
            writer.start()
            assert halfway.wait(15)
            killing.set()  # the writer sends its next request as the server dies
            proc.kill()
            writer.join(15)
        assert 100 <= len(acked) < 200, len(acked)
        after = proc.start()
        assert after["agents"] == before
        with loopback.client(base_url=proc.base_url, timeout=5, headers=headers) as http:
            body = http.post("/v3.0/agent/action/get_chat_threads", json={"chat_id": chat_id})
            assert body.status_code == 200, body.text
            stored = [
                e.get("custom_id")
                for t in body.json()["chat"]["threads"]
                for e in t["events"]
                if e["type"] == "message"
            ]
            assert len(stored) == len(set(stored)), "duplicated events after restart"
            assert set(acked) <= set(stored)
            assert stored[: len(acked)] == acked
            again = http.post(
                "/v3.0/agent/action/send_event",
                json={"chat_id": chat_id, "event": {"type": "message", "text": "after restart"}},
            )
            assert again.status_code == 200, again.text
            assert http.get(f"/files/{image['path']}").content == PNG  # uploads survive, new port
            files = [e["url"] for t in body.json()["chat"]["threads"] for e in t["events"] if e["type"] == "file"]
            assert len(files) == 1 and files[0].startswith(proc.base_url)
            assert http.get(files[0]).content == PNG
    finally:
        proc.kill()
