"""Hardening: every field has a size limit (issue 16, finding 3), over real sockets.

Names, custom ids, properties, session fields, filters — on the agent and the customer side, in
v3.0 and v3.6, over HTTP and RTM — are bounded by `lcconsole.wire.limits`: one field over its
limit is a `validation` error, a request whose text is over the budget `entity_too_large`, and
nothing of a refused request is stored or pushed.
"""

from __future__ import annotations

import json

import httpx
import pytest
from _rtm_frames import response_to, until
from websockets.asyncio.client import connect

from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.wire.limits import KEY_CHARS, OBJECT_KEYS, PAYLOAD_BYTES, SHORT_FIELDS, TEXT_BYTES
from tests import loopback

VERSIONS = ["3.0", "3.6"]
MB = 1024 * 1024


@pytest.fixture(scope="module")
def emulator():
    with EmbeddedEmulator(seed="empty", simulate=False) as info:
        yield info


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def customer(http: httpx.Client) -> dict:
    created = http.post("/customer/token", json={"name": "Ann"})
    assert created.status_code == 200, created.text
    return created.json()


def start_chat_body(version: str, *, properties=None, custom_id=None) -> dict:
    event = {"type": "message", "text": "hi"}
    if custom_id is not None:
        event["custom_id"] = custom_id
    chat: dict = {"thread": {"events": [event]}}
    if properties is not None:
        chat["properties"] = properties
    return {"chat": chat}


def error_of(answer: httpx.Response) -> tuple[int, str, str]:
    error = answer.json()["error"]
    return answer.status_code, error["type"], error["message"]


OVERSIZED = [  # (properties, custom_id, expected status, type, words in the message)
    ({"ns": {"p": "x" * (5 * MB)}}, None, 413, "entity_too_large", "bytes"),
    (None, "c" * (3 * MB), 413, "entity_too_large", "bytes"),
    ({"ns": {"p": "x" * (TEXT_BYTES + 1)}}, None, 400, "validation", "chat.properties.ns.p"),
    (None, "c" * (SHORT_FIELDS["custom_id"] + 1), 400, "validation", "custom_id"),
    ({"ns": {f"p{i}": i for i in range(OBJECT_KEYS + 1)}}, None, 400, "validation", "keys"),
    ({"ns": {"k" * (KEY_CHARS + 1): 1}}, None, 400, "validation", "key longer"),
    (
        {f"ns{i}": {f"p{j}": "x" * 4000 for j in range(OBJECT_KEYS)} for i in range(2)},
        None,
        413,
        "entity_too_large",
        str(PAYLOAD_BYTES),
    ),
]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "properties, custom_id, status, kind, words",
    OVERSIZED,
    ids=["property-5MB", "custom-id-3MB", "property-16KB", "custom-id-257", "101-properties", "long-key", "budget"],
)
def test_anonymous_customer_cannot_start_a_chat_with_oversized_fields(
    emulator, version, properties, custom_id, status, kind, words
):
    with loopback.client(base_url=emulator.base_url, timeout=30) as http:
        me = customer(http)
        answer = http.post(
            f"/v{version}/customer/action/start_chat",
            headers=bearer(me["access_token"]),
            json=start_chat_body(version, properties=properties, custom_id=custom_id),
        )
        got = error_of(answer)
        assert got[:2] == (status, kind) and words in got[2], got
        summary = http.post(
            f"{emulator.api_url}/get_chats_summary", json={"limit": 100}, headers=bearer(emulator.token)
        ).json()
    assert me["customer_id"] not in json.dumps(summary)  # nothing was stored


@pytest.mark.parametrize("version", VERSIONS)
def test_the_limits_leave_room_for_real_values(emulator, version):
    properties = {"ns": {f"p{i}": "x" * 100 for i in range(OBJECT_KEYS)}}
    with loopback.client(base_url=emulator.base_url, timeout=30) as http:
        me = customer(http)
        answer = http.post(
            f"/v{version}/customer/action/start_chat",
            headers=bearer(me["access_token"]),
            json=start_chat_body(version, properties=properties, custom_id="c" * SHORT_FIELDS["custom_id"]),
        )
        assert answer.status_code == 200, answer.text
        fields = {f"f{i}": "v" * 200 for i in range(OBJECT_KEYS)}
        updated = http.post(
            f"/v{version}/agent/action/update_customer",
            headers=bearer(emulator.token),
            json=update_customer_body(version, me["customer_id"], name="N" * SHORT_FIELDS["name"], fields=fields),
        )
        assert updated.status_code == 200, updated.text


def update_customer_body(version: str, customer_id: str, **changes) -> dict:
    if version == "3.0":
        return {"customer_id": customer_id, **changes}
    if "fields" in changes:
        changes["session_fields"] = [{k: v} for k, v in changes.pop("fields").items()]
    return {"id": customer_id, **changes}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "changes, status, kind, words",
    [
        ({"name": "N" * (5 * MB)}, 413, "entity_too_large", "bytes"),
        ({"name": "N" * (SHORT_FIELDS["name"] + 1)}, 400, "validation", "name"),
        ({"email": "e" * 300 + "@example.com"}, 400, "validation", "email"),
        ({"fields": {f"f{i}": "v" for i in range(100_000)}}, 413, "entity_too_large", "bytes"),
        ({"fields": {f"f{i}": "v" for i in range(OBJECT_KEYS + 1)}}, 400, "validation", ""),
    ],
    ids=["name-5MB", "name-257", "email-long", "fields-100k", "fields-101"],
)
def test_agents_cannot_store_oversized_customer_data(emulator, version, changes, status, kind, words):
    with loopback.client(base_url=emulator.base_url, timeout=30) as http:
        me = customer(http)
        answer = http.post(
            f"/v{version}/agent/action/update_customer",
            headers=bearer(emulator.token),
            json=update_customer_body(version, me["customer_id"], **changes),
        )
        got = error_of(answer)
        assert got[:2] == (status, kind) and words in got[2], got
        stored = http.post(
            "/v3.6/agent/action/get_customer", headers=bearer(emulator.token), json={"id": me["customer_id"]}
        ).json()
    assert stored["name"] == "Ann"


@pytest.mark.parametrize("version", VERSIONS)
async def test_rtm_requests_have_the_same_limits(emulator, version):
    url = emulator.rtm_url.replace("/v3.0/", f"/v{version}/")
    async with connect(url, max_size=None) as ws:
        await ws.send(json.dumps({"request_id": "login", "action": "login", "payload": {"token": emulator.token}}))
        login, _ = await until(ws, response_to("login"))
        assert login["success"] is True, login
        await ws.send(
            json.dumps(
                {"request_id": "big", "action": "start_chat", "payload": start_chat_body(version, custom_id="c" * 300)}
            )
        )
        frame, _ = await until(ws, response_to("big"))
        assert frame["success"] is False
        assert frame["payload"]["error"]["type"] == "validation"
        assert "custom_id" in frame["payload"]["error"]["message"]
        await ws.send(json.dumps({"request_id": "p", "action": "ping"}))
        pong, _ = await until(ws, response_to("p"))
        assert pong["success"] is True


def test_customer_token_name_is_bounded(emulator):
    with loopback.client(base_url=emulator.base_url, timeout=30) as http:
        answer = http.post("/customer/token", json={"name": "N" * (SHORT_FIELDS["name"] + 1)})
    assert error_of(answer)[:2] == (400, "validation")
