"""Every Web action through httpx.MockTransport with the spec's sample requests and responses."""

from __future__ import annotations

import inspect
import json

import pytest

from lcconsole.api import AgentClient
from lcconsole.wire.actions import ACTIONS
from lcconsole.wire.dialects import V30
from lcconsole.wire.objects import RESPONSE_MODELS
from lcconsole.wire.requests import REQUEST_MODELS

from .helpers import BASE, TOKEN, Recorder, make_client, ok
from .samples import REQUESTS, RESPONSES

JSON_ACTIONS = sorted(a for a in ACTIONS if a not in V30.upload_parts)


def test_client_has_exactly_the_actions_of_the_table():
    methods = {
        name for name, _ in inspect.getmembers(AgentClient, inspect.iscoroutinefunction) if not name.startswith("_")
    }
    assert methods - {"call", "aclose", "__aenter__", "__aexit__"} == set(ACTIONS)
    assert len(ACTIONS) == 35
    for name, spec in ACTIONS.items():
        method = getattr(AgentClient, name)
        assert method.__module__ == f"lcconsole.api.areas.{spec.area}", name
        assert method.__doc__, name


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_signature_is_keyword_only_and_mirrors_the_request_model(action):
    params = inspect.signature(getattr(AgentClient, action)).parameters
    own = {n: p for n, p in params.items() if n != "self"}
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in own.values()), action
    required = {n for n, p in own.items() if p.default is inspect.Parameter.empty}
    model_required = {n for n, f in REQUEST_MODELS[action].model_fields.items() if f.is_required()}
    if action in V30.upload_parts:
        model_required.add(V30.upload_parts[action])
    assert required == model_required, action


def test_samples_cover_every_action():
    assert set(REQUESTS) == set(ACTIONS) == set(RESPONSES)


@pytest.mark.parametrize("action", JSON_ACTIONS)
async def test_typed_method_sends_the_sample_and_parses_the_sample_response(action):
    rec = Recorder(ok(RESPONSES[action]))
    async with make_client(rec) as client:
        result = await getattr(client, action)(**REQUESTS[action])
    assert rec.calls == 1
    request = rec.requests[0]
    assert request.method == "POST"
    assert str(request.url) == f"{BASE}/v3.0/agent/action/{action}"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert "X-Region" not in request.headers
    assert json.loads(rec.bodies[0]) == REQUESTS[action]
    model = RESPONSE_MODELS[action]
    if RESPONSES[action] is None:
        assert model is None and result is None
    else:
        assert isinstance(result, model)
        assert result.model_dump(exclude_unset=True, by_alias=True) == _expected_dump(action)


def _expected_dump(action: str) -> dict:
    sample = json.loads(json.dumps(RESPONSES[action]))
    if action == "get_archives":  # v3.0 items are unwrapped from {"chat": {...}}
        sample["chats"] = [item["chat"] for item in sample["chats"]]
    return sample


@pytest.mark.parametrize("action", JSON_ACTIONS)
async def test_raw_call_returns_the_raw_body(action):
    body = RESPONSES[action] if RESPONSES[action] is not None else {}
    rec = Recorder(ok(body))
    async with make_client(rec) as client:
        assert await client.call(action, REQUESTS[action]) == body
    assert json.loads(rec.bodies[0]) == REQUESTS[action]


async def test_the_last_body_is_kept_only_when_asked():
    rec = Recorder(ok({"chat_id": "C1"}), ok({"chat_id": "C2"}))
    async with make_client(rec) as client:
        await client.call("start_chat", {})
        assert client.last_body is None  # the console does not hold a long thread's bytes
        client.keep_last_body = True
        await client.call("start_chat", {})
        assert json.loads(client.last_body or b"") == {"chat_id": "C2"}


async def test_region_header_and_wrapped_payload_option():
    rec = Recorder(ok())
    async with make_client(rec, region="fra", wrap_payload=True) as client:
        await client.close_thread(chat_id="PJ0MRSHTDG")
    assert rec.requests[0].headers["X-Region"] == "fra"
    assert rec.json() == {"payload": {"chat_id": "PJ0MRSHTDG"}}


async def test_bearer_prefix_in_token_is_not_doubled():
    rec = Recorder(ok())
    client = AgentClient(token=f"Bearer {TOKEN}", base_url=BASE + "/", transport=rec.transport)
    async with client:
        await client.follow_chat(chat_id="C")
    assert rec.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert str(rec.requests[0].url) == f"{BASE}/v3.0/agent/action/follow_chat"


async def test_one_http_client_for_the_lifetime():
    rec = Recorder(ok())
    client = make_client(rec)
    first = client._http()
    for _ in range(3):
        await client.follow_chat(chat_id="C")
    assert client._http() is first
    await client.aclose()
    assert first.is_closed


async def test_models_passed_instead_of_dicts():
    from lcconsole.wire.requests import MessageIn

    rec = Recorder(ok({"thread_id": "T", "event": {"id": "E", "type": "message", "text": "hi", "order": 3}}))
    async with make_client(rec) as client:
        res = await client.send_event(chat_id="C", event=MessageIn(type="message", text="hi"))
    assert rec.json() == {"chat_id": "C", "event": {"type": "message", "text": "hi"}}
    assert res.event.text == "hi" and res.event.order == 3 and res.thread_id == "T"


async def test_raw_call_unwraps_a_v30_wrapped_payload():
    rec = Recorder(ok())
    async with make_client(rec) as client:
        await client.call("close_thread", {"payload": {"chat_id": "C"}})
    assert rec.json() == {"chat_id": "C"}


async def test_clients_share_one_ssl_context():
    from lcconsole.api import shared_ssl_context

    clients = [AgentClient(token=TOKEN) for _ in range(3)]
    https = [c._http() for c in clients]
    try:  # building an SSL context costs ~16 ms; the shared one makes a client ~free
        pools = {id(h._transport._pool._ssl_context) for h in https}
        assert pools == {id(shared_ssl_context())}
    finally:
        for c in clients:
            await c.aclose()
