"""Bearer and Basic (PAT) authentication, the secret never shown, and the region retry."""

from __future__ import annotations

import base64
import logging

import httpx
import pytest

from lcconsole.api import AgentClient, AuthenticationError, RetryPolicy
from lcconsole.errors import MisdirectedRequestError
from lcconsole.secret import Credentials

from .helpers import BASE, TOKEN, Recorder

ACCOUNT = "e5a2f2c1-7f0f-4d7e-9f3b-0c4a8b1d2e3f"
PAT = "fra:PAT-s3cr3t-value-xyz"
BASIC = base64.b64encode(f"{ACCOUNT}:{PAT}".encode()).decode()


def ok(_request=None) -> httpx.Response:
    return httpx.Response(200, json={})


async def test_bearer_header_from_a_token():
    rec = Recorder(ok())
    async with AgentClient(token=TOKEN, base_url=BASE, transport=rec.transport) as client:
        await client.follow_chat(chat_id="C1")
    assert rec.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert client.auth_scheme == "Bearer"


async def test_basic_header_from_account_id_and_pat():
    rec = Recorder(ok())
    async with AgentClient(account_id=ACCOUNT, pat=PAT, base_url=BASE, transport=rec.transport) as client:
        await client.follow_chat(chat_id="C1")
    assert rec.requests[0].headers["Authorization"] == f"Basic {BASIC}"
    assert client.auth_scheme == "Basic"
    assert base64.b64decode(BASIC).decode() == f"{ACCOUNT}:{PAT}"


async def test_credentials_object_is_accepted_as_token():
    rec = Recorder(ok())
    async with AgentClient(token=Credentials.basic(ACCOUNT, PAT), base_url=BASE, transport=rec.transport) as client:
        await client.follow_chat(chat_id="C1")
    assert rec.requests[0].headers["Authorization"] == f"Basic {BASIC}"


def test_pat_needs_both_parts_and_not_a_token_too():
    with pytest.raises(ValueError, match="account_id"):
        AgentClient(pat=PAT)
    with pytest.raises(ValueError, match="not both"):
        AgentClient(token=TOKEN, account_id=ACCOUNT, pat=PAT)


async def test_pat_never_in_repr_errors_or_logs(caplog):
    caplog.set_level(logging.DEBUG)
    echo = f"bad credentials {PAT} / {BASIC}"
    rec = Recorder(httpx.Response(401, json={"error": {"type": "authentication", "message": echo}}))
    client = AgentClient(account_id=ACCOUNT, pat=PAT, base_url=BASE, transport=rec.transport, retry=RetryPolicy.never())
    creds = Credentials.basic(ACCOUNT, PAT)
    with pytest.raises(AuthenticationError) as info:
        await client.follow_chat(chat_id="C1")
    await client.aclose()
    shown = " ".join(
        [
            repr(client),
            str(client),
            repr(creds),
            str(creds),
            str(info.value),
            repr(info.value),
            info.value.message,
            caplog.text,
        ]
    )
    assert PAT not in shown and BASIC not in shown
    assert ACCOUNT in repr(creds)  # the account id is not a secret


async def test_misdirected_request_switches_region_and_retries_once():
    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers.get("X-Region") == "fra":
            return httpx.Response(200, json={})
        return httpx.Response(
            421, json={"error": {"type": "misdirected_request", "message": "Wrong region", "data": {"region": "fra"}}}
        )

    rec = Recorder(answer)
    # even a never-retry policy and a non-idempotent action: the refused request was not processed
    async with AgentClient(token=TOKEN, base_url=BASE, transport=rec.transport, retry=RetryPolicy.never()) as client:
        await client.close_thread(chat_id="C1")
        assert client.region == "fra"
        await client.follow_chat(chat_id="C1")
    assert [r.headers.get("X-Region") for r in rec.requests] == [None, "fra", "fra"]


async def test_misdirected_twice_raises_after_one_switch():
    def answer(request: httpx.Request) -> httpx.Response:
        other = "dal" if request.headers.get("X-Region") == "fra" else "fra"
        return httpx.Response(
            421, json={"error": {"type": "misdirected_request", "message": "Wrong region", "data": {"region": other}}}
        )

    rec = Recorder(answer)
    async with AgentClient(token=TOKEN, base_url=BASE, transport=rec.transport) as client:
        with pytest.raises(MisdirectedRequestError) as info:
            await client.follow_chat(chat_id="C1")
    assert info.value.region == "dal" and rec.calls == 2


async def test_region_retry_resends_the_whole_upload():
    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        if request.headers.get("X-Region") == "fra":
            return httpx.Response(200, json={"url": "https://cdn.example/f.bin"})
        return httpx.Response(
            421, json={"error": {"type": "misdirected_request", "message": "Wrong region", "data": {"region": "fra"}}}
        )

    rec = Recorder(answer)
    async with AgentClient(version="3.6", token=TOKEN, base_url=BASE, transport=rec.transport) as client:
        uploaded = await client.upload_file(file=b"0123456789" * 100, filename="f.bin")
    assert uploaded.url == "https://cdn.example/f.bin" and rec.calls == 2
    assert all(body.count(b"0123456789") == 100 for body in rec.bodies)
