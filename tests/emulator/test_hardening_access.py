"""Hardening of access (issue 16, findings 8 and 11), over real sockets, in v3.0 and v3.6.

A restricted customer (customer access groups the agent is not in) is hidden from an agent without
broad rights everywhere, not only in get_customers: actions naming it answer `not_found` exactly as
for a customer that does not exist, its customer_* pushes do not reach the agent, customer
subscriptions skip it. `unfollow_chat`, which needs no scope, does not tell whether a
chat exists.
"""

from __future__ import annotations

import json
import uuid

import pytest
from _rtm_frames import response_to, until
from websockets.asyncio.client import connect

from lcconsole.emulator.embedded import EmbeddedEmulator
from tests import loopback

PEER = "peer@example.com"
"""An agent who reads and writes the chats of its groups and every customer it may see."""
NOBODY = "nobody@example.com"
"""An agent without any scope."""
PEER_SCOPES = ["chats--access:rw", "chats.conversation--access:rw", "customers:rw", "customers.ban:rw", "multicast:rw"]
VERSIONS = ["3.0", "3.6"]


@pytest.fixture(scope="module")
def world():
    with EmbeddedEmulator(seed="empty", simulate=False, agents=[(PEER, PEER_SCOPES), (NOBODY, [])]) as info:
        with loopback.client(base_url=info.base_url, timeout=30) as http:
            hidden = http.post("/customer/token", json={"name": "Hidden"}).json()
            shown = http.post("/customer/token", json={"name": "Shown"}).json()
            restricted = http.post(
                f"{info.api_url}/set_access",
                headers=bearer(info.token),
                json={"resource": "customer", "id": hidden["customer_id"], "access": {"type": "group", "id": 2}},
            )
            assert restricted.status_code == 200, restricted.text
        yield info, hidden["customer_id"], shown["customer_id"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def post(info, version: str, action: str, payload: dict, agent: str | None = None):
    token = info.token_of(agent) if agent else info.token
    with loopback.client(timeout=30) as http:
        return http.post(f"{info.base_url}/v{version}/agent/action/{action}", headers=bearer(token), json=payload)


def naming(version: str, action: str, customer_id: str) -> dict:
    """The payload of `action` naming one customer, in `version`'s shape."""
    key = "customer_id" if version == "3.0" else "id"
    return {
        "update_customer": {key: customer_id, "name": "Renamed"},
        "ban_customer": {key: customer_id, "ban": {"days": 1}},
        "start_chat": {"chat": {"users": [{"id": customer_id, "type": "customer"}]}},
        "get_customer": {"id": customer_id},
    }[action]


ACTIONS = [
    ("3.0", "update_customer"),
    ("3.0", "ban_customer"),
    ("3.0", "start_chat"),
    ("3.6", "update_customer"),
    ("3.6", "ban_customer"),
    ("3.6", "start_chat"),
    ("3.6", "get_customer"),
]


@pytest.mark.parametrize("version, action", ACTIONS)
def test_a_restricted_customer_does_not_exist_for_an_agent_outside_its_groups(world, version, action):
    info, hidden, _ = world
    missing = str(uuid.uuid4())
    refused = post(info, version, action, naming(version, action, hidden), PEER)
    unknown = post(info, version, action, naming(version, action, missing), PEER)
    assert refused.status_code == unknown.status_code == 404, (refused.text, unknown.text)
    assert refused.json()["error"]["type"] == "not_found"
    assert refused.json()["error"]["message"] == unknown.json()["error"]["message"].replace(missing, hidden)
    if action != "ban_customer":  # the administrator (chats--all) still reaches it
        assert post(info, version, action, naming(version, action, hidden)).status_code == 200
    assert post(info, "3.6", "get_customer", {"id": hidden}).json()["name"] in ("Hidden", "Renamed")


async def login(url: str, token: str):
    ws = await connect(url).__aenter__()
    # v3.6 sockets hear about the customers of their own chats only unless they ask for more
    await ws.send(
        json.dumps(
            {
                "request_id": "login",
                "action": "login",
                "payload": {"token": token, "customer_monitoring_level": "online"},
            }
        )
    )
    frame, _ = await until(ws, response_to("login"))
    assert frame["success"] is True, frame
    return ws


@pytest.mark.parametrize("version", VERSIONS)
async def test_pushes_about_a_restricted_customer_skip_agents_who_cannot_see_it(world, version):
    info, hidden, shown = world
    url = info.rtm_url.replace("/v3.0/", f"/v{version}/")
    peer, admin = await login(url, info.token_of(PEER)), await login(url, info.token)
    try:
        for customer_id in (hidden, shown):
            answer = post(info, "3.0", "update_customer", {"customer_id": customer_id, "fields": {"seen": version}})
            assert answer.status_code == 200, answer.text

        def about(customer_id):
            return lambda f: f.get("type") == "push" and customer_id in json.dumps(f["payload"])

        await until(admin, about(hidden))  # the administrator hears about both
        _, before = await until(peer, about(shown))
        assert not any(about(hidden)(frame) for frame in before), before
    finally:
        await peer.close()
        await admin.close()


async def test_v36_customer_subscriptions_leave_restricted_customers_out(world):
    info, hidden, shown = world
    url = info.rtm_url.replace("/v3.0/", "/v3.6/")
    for token, expect_hidden in ((info.token_of(PEER), False), (info.token, True)):
        ws = await login(url, token)
        try:
            await ws.send(json.dumps({"request_id": "s", "action": "subscribe_customers", "payload": {}}))
            frame, _ = await until(ws, response_to("s"))
            listed = {c["id"] for c in frame["payload"]["customers"]}
            assert shown in listed and (hidden in listed) is expect_hidden, listed
        finally:
            await ws.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_unfollow_chat_does_not_tell_whether_a_chat_exists(world, version):
    info = world[0]
    chat = post(info, "3.0", "start_chat", {})
    assert chat.status_code == 200, chat.text
    key = "chat_id" if version == "3.0" else "id"
    existing = post(info, version, "unfollow_chat", {key: chat.json()["chat"]["id"]}, NOBODY)
    missing = post(info, version, "unfollow_chat", {key: "NOSUCHCHAT"}, NOBODY)
    for answer in (existing, missing):
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"]["type"] == "authorization"
    assert (
        existing.json()["error"]["message"].replace(chat.json()["chat"]["id"], "NOSUCHCHAT")
        == missing.json()["error"]["message"]
    )
    # an agent who sees every chat learns nothing new from a 404
    assert post(info, version, "unfollow_chat", {key: "NOSUCHCHAT"}).status_code == 404
