"""Contract: the client against the real emulator over loopback (the `emulator` fixture)."""

from __future__ import annotations

import io
import json

import httpx
import pytest

from lcconsole.api import AgentClient, AuthenticationError, NotFoundError, RetryPolicy
from lcconsole.cli.api_cmd import main
from lcconsole.wire import objects as o


class LoseFirstSendEventResponse(httpx.AsyncBaseTransport):
    """Delivers every request, but reports the first send_event as timed out (response lost)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.actions: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        action = request.url.path.rsplit("/", 1)[-1]
        self.actions.append(action)
        response = await self.inner.handle_async_request(request)
        if action == "send_event" and self.actions.count("send_event") == 1:
            await response.aread()
            await response.aclose()
            raise httpx.ReadTimeout("response lost", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_chat_lifecycle_against_the_emulator(emulator, tmp_path):
    async with AgentClient(token=emulator.token, base_url=emulator.base_url) as client:
        customer = await client.create_customer(name="Ann", email="ann@example.com")
        assert isinstance(customer, o.Customer) and customer.name == "Ann"
        started = await client.start_chat(
            chat={
                "users": [{"id": customer.id, "type": "customer"}],
                "thread": {"events": [{"type": "message", "text": "hello", "custom_id": "first"}]},
            }
        )
        chat_id, thread_id = started.chat.id, started.chat.thread.id
        assert started.chat.customer.id == customer.id
        sent = await client.send_event(chat_id=chat_id, event={"type": "message", "text": "hi", "custom_id": "c2"})
        assert sent.thread_id == thread_id and isinstance(sent.event, o.Message)
        await client.update_chat_properties(chat_id=chat_id, properties={"routing": {"pinned": True}})
        await client.tag_chat_thread(chat_id=chat_id, thread_id=thread_id, tag="vip")
        path = tmp_path / "note.txt"
        path.write_bytes(b"file body")
        uploaded = await client.send_file(chat_id=chat_id, file=path, custom_id="f1")
        assert uploaded.url.startswith(emulator.base_url)
        threads = await client.get_chat_threads(chat_id=chat_id, thread_ids=[thread_id])
        thread = threads.chat.threads[0]
        texts = [getattr(e, "text", None) for e in thread.events]
        assert "hello" in texts and "hi" in texts and any(isinstance(e, o.File) for e in thread.events)
        assert "vip" in thread.tags and threads.chat.properties.get("routing", "pinned") is True
        summary = await client.get_chats_summary()
        assert chat_id in [c.id for c in summary.chats_summary]
        with pytest.raises(NotFoundError):
            await client.get_chat_threads(chat_id="NOSUCHCHAT")
    async with AgentClient(token="wrong-token", base_url=emulator.base_url) as client:
        with pytest.raises(AuthenticationError):
            await client.get_chats_summary()


async def test_send_event_custom_id_check_prevents_a_duplicate(emulator):
    transport = LoseFirstSendEventResponse()
    retry = RetryPolicy(base_delay=0.0, jitter=0.0)
    async with AgentClient(
        token=emulator.token, base_url=emulator.base_url, transport=transport, retry=retry
    ) as client:
        started = await client.start_chat(chat={"thread": {"events": [{"type": "message", "text": "x"}]}})
        chat_id = started.chat.id
        res = await client.send_event(
            chat_id=chat_id, event={"type": "message", "text": "once", "custom_id": "only-once"}
        )
        assert res.event.custom_id == "only-once"
        threads = await client.get_chat_threads(chat_id=chat_id)
    landed = [e for t in threads.chat.threads for e in t.events if e.custom_id == "only-once"]
    assert len(landed) == 1
    assert transport.actions[1:4] == ["send_event", "get_chat_threads_summary", "get_chat_threads"]
    assert transport.actions.count("send_event") == 1


def test_cli_against_the_emulator(emulator, tmp_path):
    image = tmp_path / "pic.png"
    image.write_bytes(b"\x89PNG fake")
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["upload_image", "--file", str(image), "--base-url", emulator.base_url, "--token", emulator.token],
        stdout=out,
        stderr=err,
    )
    assert code == 0, err.getvalue()
    assert json.loads(out.getvalue())["url"].startswith(emulator.base_url)
    out, err = io.StringIO(), io.StringIO()
    code = main(
        [
            "close_thread",
            "--json",
            '{"chat_id": "NOSUCHCHAT"}',
            "--base-url",
            emulator.base_url,
            "--token",
            emulator.token,
        ],
        stdout=out,
        stderr=err,
    )
    assert code == 1 and err.getvalue().startswith("error: not_found: ")
