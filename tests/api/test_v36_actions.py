"""`AgentClient(version="3.6")`: every v3.6 Web action through httpx.MockTransport, fed with the
docs' own sample request and answered with the docs' sample response."""

from __future__ import annotations

import base64
import inspect
import json
from pathlib import Path

import httpx
import pytest

from lcconsole.api import AgentClient, RetryPolicy
from lcconsole.api.v36.client import AgentClient36
from lcconsole.errors import LiveChatConnectionError, RequestValidationError
from lcconsole.wire.dialects import V36
from lcconsole.wire.v36 import responses as r

from .helpers import Recorder, Sleeps

SAMPLES = json.loads((Path(__file__).parent / "samples_v36.json").read_text())
WEB = SAMPLES["web"]
ACCOUNT = "e5a2f2c1-7f0f-4d7e-9f3b-0c4a8b1d2e3f"
PAT = "PAT-s3cr3t-value-xyz"
BASIC = "Basic " + base64.b64encode(f"{ACCOUNT}:{PAT}".encode()).decode()
BASE = "https://api.livechatinc.com"
JSON_ACTIONS = sorted(a for a in V36.actions if a != "upload_file")


def client(rec: Recorder, **kw) -> AgentClient36:
    retry = RetryPolicy(max_attempts=3, base_delay=0.0, jitter=0.0, sleep=Sleeps())
    return AgentClient(version="3.6", account_id=ACCOUNT, pat=PAT, transport=rec.transport, retry=retry, **kw)


def _public(obj) -> dict:
    """The sample as a model dumps it back: `__priv_*` fields are dropped on purpose."""
    if isinstance(obj, dict):
        return {k: _public(v) for k, v in obj.items() if not k.startswith("__priv_")}
    if isinstance(obj, list):
        return [_public(v) for v in obj]
    return obj


def test_one_method_per_web_action_and_the_docs_list_them_all():
    methods = {
        n
        for n, f in inspect.getmembers(AgentClient36, inspect.iscoroutinefunction)
        if not n.startswith("_") and n not in ("call", "aclose")
    }
    assert methods == set(V36.actions) == set(WEB)
    for name in methods:  # keyword-only parameters, like the v3.0 client
        params = list(inspect.signature(getattr(AgentClient36, name)).parameters.values())[1:]
        assert all(p.kind is p.KEYWORD_ONLY for p in params), name


@pytest.mark.parametrize("action", JSON_ACTIONS)
async def test_every_action_sends_the_docs_request_and_parses_the_docs_response(action):
    sample = WEB[action]
    answer = sample["response"] if sample["response"] is not None else {}
    rec = Recorder(httpx.Response(200, json=answer))
    async with client(rec) as c:
        result = await getattr(c, action)(**sample["request"])
        raw = await c.call(action, sample["request"])
    for request in rec.requests:
        assert str(request.url) == f"{BASE}/v3.6/agent/action/{action}"
        assert request.headers["Authorization"] == BASIC
        assert request.headers["Content-Type"] == "application/json"
    assert rec.json(0) == sample["request"] and rec.json(1) == sample["request"]  # unwrapped body
    assert raw == answer
    model = V36.response_models[action]
    if model is None:
        assert result is None and answer == {}
    else:
        assert isinstance(result, model)
        assert result.model_dump(mode="json", by_alias=True, exclude_unset=True) == _public(answer)


async def test_typed_results_read_like_the_docs():
    rec = Recorder(
        httpx.Response(200, json=WEB["list_chats"]["response"]),
        httpx.Response(200, json=WEB["get_chat"]["response"]),
        httpx.Response(200, json=WEB["list_agents_for_transfer"]["response"]),
        httpx.Response(200, json=WEB["list_threads"]["response"]),
    )
    async with client(rec) as c:
        chats = await c.list_chats()
        chat = await c.get_chat(chat_id="PJ0MRSHTDG")
        candidates = await c.list_agents_for_transfer(chat_id="PJ0MRSHTDG")
        threads = await c.list_threads(chat_id="PJ0MRSHTDG")
    summary = chats.chats_summary[0]
    assert summary.last_event_per_type["message"].event.text == "hello world"
    assert summary.last_thread_summary.active is True and chats.next_page_id
    assert isinstance(chat.thread.events[0], r.Message) and chat.thread.events[0].text == "Hello"
    assert chat.properties == {"0805e283233042b37f460ed8fbf22160": {"string_property": "string_value"}}
    assert isinstance(chat.customer, r.Customer) and chat.agents[0].name == "Agent Smith"
    assert [(a.agent_id, a.total_active_chats) for a in candidates] == [
        ("smith@example.com", 2),
        ("agent@example.com", 5),
    ]
    assert threads.threads[0].summary.status == "ok" and threads.found_threads == 42


async def test_upload_file_is_multipart_with_a_plain_file_part(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG fake")
    rec = Recorder(httpx.Response(200, json=WEB["upload_file"]["response"]))
    async with client(rec) as c:
        uploaded = await c.upload_file(file=path)
        await c.call("upload_file", {}, files={"file": path})
    assert uploaded.url == WEB["upload_file"]["response"]["url"]
    for request, body in zip(rec.requests, rec.bodies, strict=True):
        assert request.url.path == "/v3.6/agent/action/upload_file"
        assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
        assert b'name="file"; filename="image.png"' in body and b"\x89PNG fake" in body
        assert b"payload." not in body


async def test_v30_actions_and_rtm_only_actions_are_refused_before_sending():
    rec = Recorder(httpx.Response(200, json={}))
    async with client(rec) as c:
        for action in ("get_chats_summary", "close_thread", "login", "subscribe_customers"):
            with pytest.raises(RequestValidationError, match="unknown action"):
                await c.call(action, {})
        with pytest.raises(RequestValidationError, match="visibility"):
            await c.send_event(chat_id="C", event={"type": "message", "text": "x", "visibility": "everyone"})
    assert rec.calls == 0
    assert not hasattr(c, "get_chats_summary") and not hasattr(c, "close_thread")


async def test_idempotent_actions_retry_and_creating_ones_do_not():
    rec = Recorder(httpx.Response(503), httpx.Response(200, json={}))
    async with client(rec) as c:
        await c.tag_thread(chat_id="C", thread_id="T", tag="x")
    assert rec.calls == 2
    rec = Recorder(httpx.Response(503), httpx.Response(200, json={}))
    async with client(rec) as c:
        with pytest.raises(Exception) as info:
            await c.deactivate_chat(id="C")
    assert rec.calls == 1 and info.value.type == "service_unavailable"


async def test_send_event_with_custom_id_finds_the_landed_event_instead_of_resending():
    landed = {"threads": [{"id": "T1", "events": [{"id": "T1_7", "custom_id": "cid-1", "type": "message"}]}]}
    rec = Recorder(httpx.ReadTimeout("slow"), httpx.Response(200, json=landed))
    async with client(rec) as c:
        sent = await c.send_event(chat_id="C", event={"type": "message", "text": "hi", "custom_id": "cid-1"})
    assert sent.event_id == "T1_7"
    assert rec.actions() == ["send_event", "list_threads"]
    assert rec.json(1) == {"chat_id": "C", "sort_order": "desc", "limit": 3}
    rec = Recorder(httpx.ConnectError("down"))
    async with client(rec) as c:
        with pytest.raises(LiveChatConnectionError):
            await c.send_event(chat_id="C", event={"type": "message", "text": "hi"})
    assert rec.calls == 1  # no custom_id: never re-sent


def test_version_is_chosen_in_one_place():
    assert type(AgentClient(token="t")).__name__ == "AgentClient"
    assert AgentClient(token="t", version="3.6").version == "3.6"
    with pytest.raises(ValueError, match="unsupported API version"):
        AgentClient(token="t", version="3.2")
