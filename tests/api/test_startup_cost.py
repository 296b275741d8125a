"""Start-up cost: wire models build their validators on first use; plain-http clients skip the
~16 ms CA-loading SSL context."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
from pathlib import Path

import pytest

from lcconsole.api import AgentClient, shared_ssl_context

TOKEN = "secret-token-startup"
LOGIN_SAMPLE_V36 = json.loads(Path(__file__).with_name("samples_v36.json").read_text())["rtm"]["login"]["response"][
    "payload"
]


def test_wire_models_are_built_on_first_use_and_still_validate():
    code = """
import pydantic
from lcconsole.wire import objects as o, requests as r, pushes as p, model_base as mb
models = [o.Thread, o.ChatSummary, mb.Properties, r.REQUEST_MODELS["send_event"],
          p.IncomingEventPush]
assert not any(m.__pydantic_complete__ for m in models), [m for m in models if m.__pydantic_complete__]
t = o.Thread.model_validate({"id": "T", "events": [{"id": "E", "type": "message", "text": "hi",
                                                     "__priv_x": 1}]})
assert t.events[0].text == "hi" and o.Thread.__pydantic_complete__
try:
    r.REQUEST_MODELS["send_event"].model_validate({"chat_id": 5, "event": {"type": "message", "text": "x"}})
except pydantic.ValidationError as exc:
    assert exc.errors()[0]["loc"][0] == "chat_id"
else:
    raise AssertionError("strict request model accepted a number for chat_id")
push = p.parse_push("incoming_event", {"chat_id": "C", "thread_id": "T",
                                       "event": {"id": "E", "type": "message", "text": "yo"}})
assert push.event.text == "yo", push
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("url", ["http://127.0.0.1:1", "HTTP://localhost:8080/"])
async def test_plain_http_client_does_not_build_the_ca_context(url):
    client = AgentClient(token=TOKEN, base_url=url)
    try:
        ctx = client._http()._transport._pool._ssl_context
        assert ctx is not shared_ssl_context()
        assert ctx.cert_store_stats()["x509_ca"] == 0  # no CA bundle loaded (the costly part)
        assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname  # never trusts https
    finally:
        await client.aclose()


async def test_https_client_uses_the_shared_verifying_context():
    client = AgentClient(token=TOKEN, base_url="https://api.livechatinc.com")
    try:
        ctx = client._http()._transport._pool._ssl_context
        assert ctx is shared_ssl_context() and ctx.cert_store_stats()["x509_ca"] > 0
    finally:
        await client.aclose()


def test_push_models_load_after_the_list_is_painted_not_before_the_login():
    code = """
import asyncio, sys
import lcconsole.ui.screens.main
from lcconsole.config import Settings
from lcconsole.secret import Secret
from lcconsole.ui.session import Session
session = Session(Settings(base_url="http://127.0.0.1:9", token=Secret("token")))
asyncio.run(session.open())  # builds the gateway and the RTM connection (no socket yet)
assert "lcconsole.wire.pushes" not in sys.modules and "lcconsole.ui.store_pushes" not in sys.modules
asyncio.run(session.client_ready())  # what the first resync awaits once the login is painted
assert {"lcconsole.wire.pushes", "lcconsole.ui.store_pushes", "lcconsole.api"} <= set(sys.modules)
conn = session.rtm
conn._handle('{"action": "incoming_event", "type": "push", "payload": {"chat_id": "C", "thread_id": "T", '
             '"event": {"id": "E", "type": "message", "text": "yo"}}}')
push = conn.typed(conn._queue.get_nowait())
assert type(push).__name__ == "IncomingEventPush" and push.event.text == "yo", push
conn._handle('{"action": "agent_disconnected", "type": "push", "payload": {"reason": "license_expired"}}')
assert conn._disconnect is not None and conn._disconnect.reason == "license_expired"
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_v36_login_is_read_and_a_push_read_before_the_list_is_parsed_when_taken():
    """Over v3.6 the login is read into the canonical model without the v3.6 model (its import
    and build cost ~40 ms before the list), its ChatSummary built first as over v3.0; a push
    that came with it waits unparsed."""
    code = """
import asyncio, json, sys
import lcconsole.ui.screens.main
from lcconsole.config import Settings
from lcconsole.secret import Secret
from lcconsole.ui.session import Session
from lcconsole.wire.objects import ChatSummary, LoginResponse
session = Session(Settings(base_url="http://127.0.0.1:9", token=Secret("token"), api_version="3.6"))
asyncio.run(session.open())
conn = session.rtm
login = conn._read_login(json.loads(LOGIN_JSON))
assert type(login) is LoginResponse and login.chats_summary[0].id == "PJ0MRSHTDG", login
assert session.gateway.canonical_login(login) is login
assert "lcconsole.wire.v36.responses" not in sys.modules
assert ChatSummary.__pydantic_complete__  # built first, reused by the store (as over v3.0)
conn._handle('{"action": "incoming_customers", "type": "push", "payload": {"customers": []}}')
assert not {"lcconsole.wire.pushes", "lcconsole.wire.v36.push_models"} & set(sys.modules)
push = conn.typed(conn._queue.get_nowait())
assert push.action == "incoming_customers" and "lcconsole.wire.v36.push_models" in sys.modules, push
""".replace("LOGIN_JSON", repr(json.dumps(LOGIN_SAMPLE_V36)))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_a_push_the_parser_fails_on_comes_out_unknown():
    from lcconsole.rtm.channel import PushFrame, RtmChannel
    from lcconsole.wire.pushes import UnknownPush

    channel = RtmChannel(request_timeout=1, push_queue_size=10)

    def broken(action, payload, request_id):
        raise TypeError("a parser bug")

    channel._parse_push = broken
    push = channel.typed(PushFrame("incoming_event", {"chat_id": "C"}, "r1"))
    assert isinstance(push, UnknownPush) and push.action == "incoming_event"
