"""RtmConnection(version="3.6"): the v3.6 socket path, Basic/Bearer login, the docs' login sample,
update_session, subscribe_customers, every v3.6 push sample typed, the v3.6 disconnect reasons, the
console's login read straight into the canonical model (and a malformed one refused as before)."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import pytest
from rtm_fake import GOOD_TOKEN

from lcconsole.errors import RequestValidationError, ResponseValidationError
from lcconsole.gateway.v36 import Gateway36
from lcconsole.rtm import RtmConnection, UnknownPush
from lcconsole.secret import Credentials
from lcconsole.wire import objects as o
from lcconsole.wire.pushes import AgentDisconnectedPush
from lcconsole.wire.v36 import push_models as pm
from lcconsole.wire.v36 import responses as r
from lcconsole.wire.v36.pushes import PUSHES

SAMPLES = json.loads((Path(__file__).parents[1] / "api" / "samples_v36.json").read_text())
RTM, PUSH_SAMPLES = SAMPLES["rtm"], SAMPLES["pushes"]
ACCOUNT = "e5a2f2c1-7f0f-4d7e-9f3b-0c4a8b1d2e3f"
PAT = "PAT-s3cr3t-value-xyz"
BASIC = "Basic " + base64.b64encode(f"{ACCOUNT}:{PAT}".encode()).decode()


def serve_v36(server, token: str) -> None:
    """Answer login like the docs' v3.6 sample when the token matches, and the RTM-only actions."""

    async def login(frame, conn):
        ok = frame["payload"].get("token") == token
        if ok:
            server.login_count += 1
        await server.reply(
            conn,
            frame,
            RTM["login"]["response"]["payload"]
            if ok
            else {"error": {"type": "authentication", "message": "Invalid access token"}},
            ok,
        )
        if ok:
            server.logged_in.set()

    async def sample(frame, conn):
        await server.reply(conn, frame, RTM[frame["action"]]["response"]["payload"])

    server.handlers["login"] = login
    for action in ("update_session", "subscribe_customers", "unsubscribe_customers"):
        server.handlers[action] = sample


@pytest.fixture
def v36(fast):
    return {**fast, "version": "3.6"}


async def wait_for(predicate, timeout=3.0):
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


async def test_pat_login_on_the_v36_path_parses_the_docs_login_sample(server, v36):
    serve_v36(server, BASIC)
    conn = RtmConnection(server.base_url, Credentials.basic(ACCOUNT, PAT), **v36)
    try:
        login = await conn.start()
        assert server.paths == ["/v3.6/agent/rtm/ws"]
        assert server.actions("login")[0]["payload"]["token"] == BASIC
        assert isinstance(login, r.LoginResponse)
        assert login.license.organization_id == "390e44e6-f1e6-0368c-z6ddb-74g14508c2ex"
        assert login.chats_summary[0].properties == {"routing": {"idle": False, "unassigned": False}}
        assert login.chats_summary[0].last_thread_summary.created_at.startswith("2020-05-07")
        assert PAT not in repr(conn)
    finally:
        await conn.close()


async def test_the_consoles_login_is_read_into_the_canonical_model_without_the_v36_one(server, v36, monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError("the v3.6 login model was used")

    serve_v36(server, BASIC)
    monkeypatch.setattr(r.LoginResponse, "model_validate", refused)
    conn = RtmConnection(server.base_url, Credentials.basic(ACCOUNT, PAT), read_login=Gateway36.read_login, **v36)
    try:
        login = await conn.start()
        assert type(login) is o.LoginResponse and conn.login_response is login
        assert login.license.organization_id == "390e44e6-f1e6-0368c-z6ddb-74g14508c2ex"
        assert login.chats_summary[0].last_event_per_type["message"].thread_order == 1588835488288340
        assert Gateway36(None, conn).canonical_login(login) is login
    finally:
        await conn.close()


BAD_LOGINS = {  # the answer -> the field the error names
    "a wrong type": (
        {"chats_summary": [{"id": "C", "users": [{"type": "customer", "session_fields": {"plan": "pro"}}]}]},
        "chats_summary.0.users.0.customer.session_fields",
    ),
    "a v3.6-only field": (
        {"chats_summary": [{"id": "C", "last_thread_summary": {"queue": {"position": "first"}}}]},
        "chats_summary.0.last_thread_summary.queue.position",
    ),
    "not a list": ({"license": {"id": "1"}, "chats_summary": "all"}, "chats_summary"),
}


@pytest.mark.parametrize("bad", BAD_LOGINS, ids=str)
async def test_a_malformed_login_fails_at_the_connection_as_the_v36_model_says(server, v36, bad):
    payload, field = BAD_LOGINS[bad]

    async def login(frame, conn):
        await server.reply(conn, frame, payload)

    server.handlers["login"] = login
    errors = []
    for read_login in (None, Gateway36.read_login):  # the typed v3.6 client's, the console's
        conn = RtmConnection(server.base_url, Credentials.basic(ACCOUNT, PAT), read_login=read_login, **v36)
        with pytest.raises(ResponseValidationError) as info:
            await conn.start()
        assert conn.state.status == "offline" and conn.state.code == "response_validation"
        errors.append((info.value.action, info.value.field, str(info.value)))
        await conn.close()
    assert errors[0] == errors[1] and errors[0][:2] == ("login", field), errors


async def test_bearer_login_in_v36(server, v36):
    serve_v36(server, f"Bearer {GOOD_TOKEN}")
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **v36)
    try:
        await conn.start()
        assert server.actions("login")[0]["payload"]["token"] == f"Bearer {GOOD_TOKEN}"
    finally:
        await conn.close()


async def test_update_session_swaps_the_token_for_later_logins(server, v36):
    serve_v36(server, f"Bearer {GOOD_TOKEN}")
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **v36)
    try:
        await conn.start()
        await conn.update_session(Credentials.basic(ACCOUNT, PAT))
        assert server.actions("update_session")[0]["payload"] == {"token": BASIC}
        serve_v36(server, BASIC)  # the server now knows the new token only
        await server.drop()
        await server.wait_logins(2)
        assert server.actions("login")[-1]["payload"]["token"] == BASIC
    finally:
        await conn.close()


async def test_subscribe_and_unsubscribe_customers(server, v36):
    serve_v36(server, f"Bearer {GOOD_TOKEN}")
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **v36)
    try:
        await conn.start()
        subscription = await conn.subscribe_customers(group_ids=[0], limit=100)
        assert subscription.subscription_id == RTM["subscribe_customers"]["response"]["payload"]["subscription_id"]
        assert all(isinstance(c, r.Customer) for c in subscription.customers)
        await conn.unsubscribe_customers(subscription_id=subscription.subscription_id)
        assert server.actions("subscribe_customers")[0]["payload"] == {"group_ids": [0], "limit": 100}
        assert server.actions("unsubscribe_customers")[0]["payload"] == {
            "subscription_id": subscription.subscription_id
        }
        with pytest.raises(RequestValidationError):
            await conn.subscribe_customers(limit=0)
    finally:
        await conn.close()


async def test_v30_connection_has_no_v36_only_actions(server, fast):
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    try:
        await conn.start()
        with pytest.raises(RequestValidationError, match="not an action of API v3.0"):
            await conn.subscribe_customers()
    finally:
        await conn.close()


def test_every_docs_push_sample_parses_into_its_typed_model():
    assert set(PUSHES) - {"incoming_event_preview"} <= set(PUSH_SAMPLES)
    for name, payload in PUSH_SAMPLES.items():
        push = pm.parse_push(name, payload, "r1")
        assert not isinstance(push, UnknownPush), (name, push.error)
        assert push.action == name and push.request_id == "r1" and push.raw == payload
    assert type(pm.parse_push("agent_disconnected", PUSH_SAMPLES["agent_disconnected"])) is AgentDisconnectedPush


def test_typed_push_fields_read_like_the_docs():
    chat = pm.parse_push("incoming_chat", PUSH_SAMPLES["incoming_chat"])
    assert chat.requester_id == "smith@example.com" and chat.chat.id == "PJ0MRSHTDG"
    moved = pm.parse_push("chat_transferred", PUSH_SAMPLES["chat_transferred"])
    assert moved.transferred_to.group_ids == [19] and moved.reason == "manual"
    queue = pm.parse_push("queue_positions_updated", PUSH_SAMPLES["queue_positions_updated"])
    assert queue.positions[0].queue.position == 42 and queue.to_payload() == PUSH_SAMPLES["queue_positions_updated"]
    totals = pm.parse_push("subscribed_customers_totals_updated", PUSH_SAMPLES["subscribed_customers_totals_updated"])
    assert totals.totals["b7eff798f8df43648059649c35c9ed0c"] == 123
    summary = pm.parse_push("thread_summary_set", PUSH_SAMPLES["thread_summary_set"])
    assert summary.summary.status == "ok" and summary.summary.text.startswith("•")
    error = pm.parse_push("incoming_error", PUSH_SAMPLES["incoming_error"])
    assert error.action == "incoming_error" and error.action_name == "set_thread_summary"
    customer = pm.parse_push("incoming_customer", PUSH_SAMPLES["incoming_customer"])
    assert isinstance(customer, r.Customer)
    assert isinstance(pm.parse_push("routing_status_set", PUSH_SAMPLES["routing_status_set"]), pm.RoutingStatusSetPush)
    config = pm.parse_push("agent_updated", PUSH_SAMPLES["agent_updated"])  # a configuration push in 3.6
    assert config.id == "smith@example.com" and not isinstance(config, pm.RoutingStatusSetPush)


def test_deleted_and_system_events_are_typed():
    structures = SAMPLES["structures"]
    assert isinstance(r.parse_event(structures["events/deletedEvent"]), r.DeletedEvent)
    system = r.parse_event(structures["events/system"])
    assert isinstance(system, r.SystemEvent) and json.loads(system.details)["order"]["order_number"] == "#1001"
    assert isinstance(r.parse_event(structures["events/form"]), r.Form)
    assert isinstance(r.parse_event({"type": "message", "deleted": True, "text": "kept for admins"}), r.Message)
    assert isinstance(r.parse_event({"type": "future_kind"}), r.UnknownEvent)
    for key, sample in structures.items():  # every data-structure sample validates
        if key.startswith("events/"):
            r.parse_event(sample)
        elif key.startswith("users/"):
            r.parse_user(sample)


def test_invalid_known_v36_push_falls_back():
    push = pm.parse_push("incoming_event", {"chat_id": "C"})
    assert isinstance(push, UnknownPush) and "thread_id" in push.error


async def test_v36_pushes_arrive_typed_over_the_socket(server, v36):
    serve_v36(server, f"Bearer {GOOD_TOKEN}")
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **v36)
    try:
        await conn.start()
        for name in ("incoming_event", "thread_tagged", "chat_deactivated", "queue_positions_updated"):
            await server.push(name, PUSH_SAMPLES[name])
        got = []
        async with asyncio.timeout(3):
            async for push in conn.pushes():
                got.append(push)
                if len(got) == 4:
                    break
        assert [type(p) for p in got] == [
            pm.IncomingEventPush,
            pm.ThreadTaggedPush,
            pm.ChatDeactivatedPush,
            pm.QueuePositionsUpdatedPush,
        ]
        assert isinstance(got[0].event, r.Message)
    finally:
        await conn.close()


@pytest.mark.parametrize(
    "reason, status",
    [("connection_evicted", "offline"), ("too_many_connections", "offline"), ("role_permissions_changed", "connected")],
)
async def test_v36_disconnect_reasons_follow_the_v36_table(server, v36, reason, status):
    serve_v36(server, f"Bearer {GOOD_TOKEN}")
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **v36)
    try:
        await conn.start()
        await server.disconnect(reason)
        if status == "connected":
            await server.wait_logins(2)
        await wait_for(lambda: conn.state.status == status and conn.state.code in (reason, None))
        if status == "offline":
            assert conn.state.code == reason and len(server.connections) == 1
    finally:
        await conn.close()
