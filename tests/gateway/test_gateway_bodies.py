"""Each wish of the gateway becomes its version's action with a valid body (the client checks every
body against the version's request model before sending), and answers come back canonical."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from lcconsole.api import AgentClient, RetryPolicy
from lcconsole.gateway import Capability, Unsupported, open_gateway
from lcconsole.wire import objects as o

CHAT36 = {
    "id": "C1",
    "users": [
        {
            "id": "cust",
            "type": "customer",
            "session_fields": [{"k": "v"}],
            "visit": {"started_at": "2026-01-02T03:04:05.000000Z"},
        },
        {"id": "a@x", "type": "agent", "events_seen_up_to": "2026-01-02T03:04:06.500000Z"},
    ],
    "thread": {
        "id": "T2",
        "created_at": "2026-01-02T03:04:05.123456Z",
        "active": True,
        "user_ids": ["cust", "a@x"],
        "properties": {"ns": {"k": 1}},
        "summary": {"status": "ok", "text": "sum", "updated_at": "2026-01-02T03:05:00Z"},
        "events": [
            {
                "id": "E1",
                "created_at": "2026-01-02T03:04:05.223456Z",
                "type": "message",
                "text": "hi",
                "author_id": "cust",
                "visibility": "all",
            },
            {
                "id": "E2",
                "created_at": "2026-01-02T03:04:05.323456Z",
                "type": "message",
                "visibility": "agents",
                "deleted": True,
            },
            {
                "id": "E3",
                "created_at": "2026-01-02T03:04:05.423456Z",
                "type": "system",
                "visibility": "all",
                "source": "ai",
                "subtype": "s",
                "details": "{}",
            },
        ],
    },
    "properties": {"ns": {"k": "v"}},
    "access": {"group_ids": [0]},
    "is_followed": False,
}
CHAT30 = {"id": "C1", "users": [], "threads": [{"id": "T2", "order": 5, "events": []}]}

ANSWERS = {
    "3.6": {
        "get_chat": CHAT36,
        "start_chat": {"chat_id": "C1", "thread_id": "T2"},
        "resume_chat": {"thread_id": "T2"},
        "send_event": {"event_id": "E9"},
        "upload_file": {"url": "https://cdn.example/f.txt"},
        "get_customer": {"id": "cust", "type": "customer", "name": "N"},
        "list_threads": {"threads": [{"id": "T2", "created_at": "2026-01-02T03:04:05.123456Z"}]},
        "list_chats": {"chats_summary": [], "next_page_id": "P2"},
    },
    "3.0": {
        "get_chat_threads": {"chat": CHAT30},
        "start_chat": {"chat": CHAT30},
        "activate_chat": {"chat": CHAT30},
        "send_event": {"thread_id": "T2", "event": {"id": "E9", "type": "message"}},
        "send_file": {"url": "u"},
        "update_customer": {"id": "cust", "type": "customer"},
        "update_last_seen_timestamp": {"timestamp": 7},
        "get_chat_threads_summary": {"threads_summary": [{"id": "T2", "order": 5}]},
        "get_chats_summary": {"chats_summary": []},
    },
}


@dataclass
class Transfer:
    target_type: str = "agent"
    ids: tuple = ("b@x",)
    force: bool = True


@dataclass
class Start:
    customer_id: str = "cust"
    message: str = "hello"
    group_id: int | None = 1
    tags: tuple = ("vip",)


@dataclass
class CustomerData:
    customer_id: str = "cust"
    name: str | None = "New"
    email: str | None = None
    avatar: str | None = None
    fields: dict | None = None


@dataclass
class Multicast:
    content: object = "hi"
    all_agents: bool = True
    agent_ids: tuple = ()
    group_ids: tuple = (1,)
    customer_ids: tuple = ()
    type: str | None = None


def gateway_of(version: str):
    sent: list[tuple[str, object]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        action = request.url.path.rsplit("/", 1)[-1]
        body = (
            json.loads(request.read())
            if request.headers.get("content-type", "").startswith("application/json")
            else None
        )
        sent.append((action, body))
        return httpx.Response(200, json=ANSWERS[version].get(action, {}))

    retry = RetryPolicy(max_attempts=1, base_delay=0.01, max_delay=0.01, jitter=0.0)
    client = AgentClient(
        token="tok", base_url="http://lc.test", transport=httpx.MockTransport(answer), retry=retry, version=version
    )
    return open_gateway(client, rtm=None), sent


EXPECTED = {
    "3.0": [
        "add_user_to_chat",
        "close_thread",
        "activate_chat",
        "follow_chat",
        "transfer_chat",
        "tag_chat_thread",
        "untag_chat_thread",
        "update_chat_thread_properties",
        "delete_event_properties",
        "start_chat",
        "send_event",
        "send_file",
        "update_last_seen_timestamp",
        "update_customer",
        "ban_customer",
        "multicast",
        "update_agent",
    ],
    "3.6": [
        "add_user_to_chat",
        "deactivate_chat",
        "resume_chat",
        "get_chat",
        "follow_chat",
        "transfer_chat",
        "tag_thread",
        "untag_thread",
        "update_thread_properties",
        "delete_event_properties",
        "start_chat",
        "get_chat",
        "send_event",
        "upload_file",
        "send_event",
        "mark_events_as_seen",
        "update_customer",
        "get_customer",
        "ban_customer",
        "multicast",
        "set_routing_status",
    ],
}


@pytest.mark.parametrize("version", ["3.0", "3.6"])
async def test_every_wish_is_the_versions_action(version, tmp_path: Path):
    gateway, sent = gateway_of(version)
    path = tmp_path / "f.txt"
    path.write_text("x")
    await gateway.take("C1", "a@x")
    await gateway.close("C1")
    reopened = await gateway.reopen("C1")
    await gateway.follow("C1")
    await gateway.transfer("C1", Transfer())
    await gateway.tag("C1", "T2", "vip")
    await gateway.untag("C1", "T2", "vip")
    await gateway.set_properties("thread", {"ns": {"k": 1}}, chat_id="C1", thread_id="T2")
    await gateway.delete_properties("event", {"ns": ["k"]}, chat_id="C1", thread_id="T2", event_id="E1")
    started = await gateway.start_chat(Start())
    await gateway.send_text("C1", "hello", custom_id="lcc-1", note=True, recipients="agents")
    await gateway.attach("C1", path, custom_id="lcc-2")
    assert await gateway.mark_seen("C1")
    await gateway.update_customer(CustomerData())
    await gateway.ban("cust", 3)
    await gateway.multicast(Multicast())
    await gateway.set_routing("a@x", "not_accepting_chats")
    assert [action for action, _ in sent] == EXPECTED[version]
    assert isinstance(reopened, o.Chat) and isinstance(started, o.Chat) and started.threads[0].id == "T2"
    bodies = dict(sent)
    if version == "3.6":
        assert bodies["transfer_chat"]["ignore_agents_availability"] is True and bodies["transfer_chat"]["id"] == "C1"
        assert bodies["send_event"]["event"]["custom_id"] == "lcc-2"  # the file event (the last send)
        assert bodies["start_chat"]["chat"]["thread"]["events"][0]["visibility"] == "all"
        assert bodies["multicast"] == {"recipients": {"agents": {"all": True, "groups": [1]}}, "content": "hi"}
        assert bodies["update_customer"] == {"id": "cust", "name": "New"}
    else:
        assert bodies["transfer_chat"] == {"chat_id": "C1", "target": {"type": "agent", "ids": ["b@x"]}, "force": True}
        assert bodies["start_chat"]["chat"]["thread"]["events"][0]["recipients"] == "all"
        assert bodies["multicast"] == {"scopes": {"agents": {"all": True, "groups": [1]}}, "content": "hi"}


async def test_v36_answers_are_canonical():
    gateway, _ = gateway_of("3.6")
    chat = await gateway.chat("C1")
    thread = chat.threads[0]
    assert thread.order == 1767323045123456 and thread.timestamp == 1767323045
    message, deleted, system = thread.events
    assert isinstance(message, o.Message) and message.recipients == "all" and message.order == 1767323045223456
    assert isinstance(deleted, o.DeletedEvent) and deleted.recipients == "agents"
    assert isinstance(system, o.SystemEvent) and system.source == "ai"
    assert thread.summary.text == "sum" and thread.properties.get("ns", "k") == 1
    customer, agent = chat.users
    assert isinstance(customer, o.Customer) and customer.fields == {"k": "v"}
    assert customer.last_visit.started_at == "2026-01-02T03:04:05.000000Z"
    assert agent.last_seen_timestamp == 1767323046
    ids, complete = await gateway.thread_ids("C1")
    assert ids == [("T2", 1767323045123456)] and complete
    page = await gateway.chat_summaries(limit=100)
    assert page.next_page_id == "P2"


async def test_capabilities_say_what_each_version_cannot_do():
    v30, _ = gateway_of("3.0")
    v36, _ = gateway_of("3.6")
    assert v30.can(Capability.ACCESS) and not v36.can(Capability.ACCESS)
    assert v36.can(Capability.THREAD_SUMMARY) and not v30.can(Capability.THREAD_SUMMARY)
    with pytest.raises(Unsupported) as info:
        await v36.change_access("C1", "grant", 1)
    assert info.value.type == "unsupported" and "3.6" in info.value.message
    with pytest.raises(Unsupported):
        await v30.request_summary("C1", "T2")
    with pytest.raises(Unsupported):
        await v36.multicast(Multicast(customer_ids=("c",)))
