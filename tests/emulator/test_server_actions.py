"""Every one of the 35 Web actions over real loopback HTTP against the real engine: one happy
path and one error each, spec-shaped payloads."""

from __future__ import annotations

import uuid

import httpx
import pytest

from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.wire.actions import ACTIONS, ALL_SCOPES
from tests import loopback

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
MISSING_CHAT = "ZZZZZZZZZZ"
NOBODY = "nobody-at-all@example.com"


@pytest.fixture(scope="module")
def world():
    agents = [("agent2@example.com", ALL_SCOPES), ("reader@example.com", ("chats--my:ro",))]
    with EmbeddedEmulator(seed="empty", simulate=False, agents=agents) as info:
        with loopback.client(base_url=info.base_url, timeout=10) as client:
            yield World(info, client)


class World:
    """Calls and small set-ups (a customer, a chat with one message)."""

    def __init__(self, info, client: httpx.Client) -> None:
        self.info = info
        self.client = client
        self.admin = info.token
        self.agent2 = info.token_of("agent2@example.com")
        self.reader = info.token_of("reader@example.com")
        self.happy: set[str] = set()
        self.errors: set[str] = set()

    def call(self, action: str, payload: dict | None = None, token: str | None = None, **kw) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token or self.admin}"}
        if "files" in kw or "data" in kw:
            return self.client.post(f"/v3.0/agent/action/{action}", headers=headers, **kw)
        return self.client.post(f"/v3.0/agent/action/{action}", json=payload or {}, headers=headers)

    def ok(self, action: str, payload: dict | None = None, token: str | None = None, **kw) -> dict:
        resp = self.call(action, payload, token, **kw)
        assert resp.status_code == 200, f"{action}: {resp.status_code} {resp.text}"
        body = resp.json()
        if not ACTIONS[action].returns_payload:
            assert body == {}, f"{action} should answer {{}}: {body}"
        self.happy.add(action)
        return body

    def fails(
        self, status: int, type_: str, action: str, payload: dict | None = None, token: str | None = None, **kw
    ) -> str:
        resp = self.call(action, payload, token, **kw)
        assert resp.status_code == status, f"{action}: {resp.status_code} {resp.text}"
        error = resp.json()["error"]
        assert error["type"] == type_, error
        self.errors.add(action)
        return error["message"]

    def customer(self, name: str = "Casey") -> dict:
        resp = self.client.post("/customer/token", json={"name": name, "email": f"{uuid.uuid4().hex[:8]}@c.example"})
        assert resp.status_code == 200, resp.text
        return resp.json()

    def chat(self, text: str = "hello there") -> tuple[str, str, str, str]:
        """A new active chat with a customer: (chat_id, thread_id, event_id, customer_id)."""
        customer = self.customer()
        body = self.ok(
            "start_chat",
            {
                "chat": {
                    "users": [{"id": customer["customer_id"], "type": "customer"}],
                    "thread": {"events": [{"type": "message", "text": text, "custom_id": "c1", "recipients": "all"}]},
                }
            },
        )
        chat = body["chat"]
        thread = chat["thread"]
        return chat["id"], thread["id"], thread["events"][0]["id"], customer["customer_id"]


def test_start_chat(world):
    chat_id, thread_id, event_id, customer_id = world.chat("hi")
    threads = world.ok("get_chat_threads", {"chat_id": chat_id})["chat"]
    assert threads["id"] == chat_id and threads["threads"][0]["id"] == thread_id
    assert any(u["id"] == customer_id for u in threads["users"])
    world.fails(400, "validation", "start_chat", {"chat": {"thread": {"events": [{"type": "bogus"}]}}})


def test_activate_chat(world):
    chat_id, *_ = world.chat()
    world.ok("close_thread", {"chat_id": chat_id})
    body = world.ok(
        "activate_chat", {"chat": {"id": chat_id, "thread": {"events": [{"type": "message", "text": "back again"}]}}}
    )
    assert body["chat"]["id"] == chat_id
    world.fails(404, "not_found", "activate_chat", {"chat": {"id": MISSING_CHAT}})


def test_follow_and_unfollow_chat(world):
    chat_id, *_ = world.chat()
    world.ok("follow_chat", {"chat_id": chat_id}, token=world.agent2)
    world.ok("unfollow_chat", {"chat_id": chat_id}, token=world.agent2)
    world.fails(404, "not_found", "follow_chat", {"chat_id": MISSING_CHAT})
    world.fails(404, "not_found", "unfollow_chat", {"chat_id": MISSING_CHAT})


def test_get_chats_summary(world):
    chat_id, *_ = world.chat()
    body = world.ok("get_chats_summary", {"limit": 100, "order": "desc"})
    assert chat_id in [c["id"] for c in body["chats_summary"]]
    assert "found_chats" in body
    world.fails(400, "validation", "get_chats_summary", {"limit": "ten"})


def test_transfer_chat(world):
    chat_id, *_ = world.chat()
    world.ok(
        "transfer_chat", {"chat_id": chat_id, "target": {"type": "agent", "ids": ["agent2@example.com"]}, "force": True}
    )
    users = world.ok("get_chat_threads", {"chat_id": chat_id})["chat"]["users"]
    assert "agent2@example.com" in [u["id"] for u in users]
    world.fails(
        404,
        "not_found",
        "transfer_chat",
        {"chat_id": MISSING_CHAT, "target": {"type": "agent", "ids": ["agent2@example.com"]}},
    )


@pytest.mark.parametrize("action", ["grant_access", "revoke_access", "set_access"])
def test_access_actions(world, action):
    chat_id, *_ = world.chat()
    world.ok(action, {"resource": "chat", "id": chat_id, "access": {"type": "group", "id": 0}})
    world.fails(400, "validation", action, {"resource": "planet", "id": chat_id, "access": {"type": "group", "id": 0}})


def test_add_and_remove_user(world):
    chat_id, *_ = world.chat()
    world.ok("add_user_to_chat", {"chat_id": chat_id, "user_id": "agent2@example.com", "user_type": "agent"})
    world.ok("remove_user_from_chat", {"chat_id": chat_id, "user_id": "agent2@example.com", "user_type": "agent"})
    world.fails(404, "not_found", "add_user_to_chat", {"chat_id": chat_id, "user_id": NOBODY, "user_type": "agent"})
    world.fails(400, "validation", "remove_user_from_chat", {"chat_id": chat_id, "user_id": "x", "user_type": "bot"})


def test_update_agent(world):
    world.ok("update_agent", {"agent_id": "agent2@example.com", "routing_status": "not_accepting_chats"})
    world.fails(400, "validation", "update_agent", {"routing_status": "sleeping"})


def test_customers(world):
    created = world.ok("create_customer", {"name": "Jo", "email": "jo@example.com", "fields": {"tier": "gold"}})
    customer_id = created.get("customer_id") or created.get("id") or created["customer"]["id"]
    uuid.UUID(customer_id)
    world.ok("update_customer", {"customer_id": customer_id, "name": "Jo Doe", "fields": {"score": "low"}})
    found = world.ok("get_customers", {"filters": {"email": {"values": ["jo@example.com"]}}})
    assert [c["name"] for c in found["customers"]] == ["Jo Doe"]
    world.ok("ban_customer", {"customer_id": customer_id, "ban": {"days": 5}})
    world.fails(400, "validation", "create_customer", {"fields": {"n": 1}})
    world.fails(404, "not_found", "update_customer", {"customer_id": str(uuid.uuid4()), "name": "x"})
    world.fails(400, "validation", "get_customers", {"limit": 1000})
    world.fails(400, "validation", "ban_customer", {"customer_id": customer_id, "ban": {"days": "five"}})


def test_send_event(world):
    chat_id, thread_id, *_ = world.chat()
    body = world.ok(
        "send_event",
        {
            "chat_id": chat_id,
            "event": {"type": "message", "text": "hello world", "recipients": "agents", "custom_id": "x-1"},
        },
    )
    assert body["thread_id"] == thread_id
    world.fails(404, "not_found", "send_event", {"chat_id": MISSING_CHAT, "event": {"type": "message", "text": "x"}})


@pytest.mark.parametrize("level", ["chat", "thread", "event"])
def test_properties(world, level):
    chat_id, thread_id, event_id, _ = world.chat()
    ids = {"chat_id": chat_id}
    if level in ("thread", "event"):
        ids["thread_id"] = thread_id
    if level == "event":
        ids["event_id"] = event_id
    name = {"chat": "chat", "thread": "chat_thread", "event": "event"}[level]
    world.ok(f"update_{name}_properties", {**ids, "properties": {"rating": {"score": 1, "comment": "good"}}})
    world.ok(f"delete_{name}_properties", {**ids, "properties": {"rating": ["score", "comment"]}})
    world.fails(400, "validation", f"update_{name}_properties", {**ids, "properties": ["rating"]})
    world.fails(
        404,
        "not_found",
        f"delete_{name}_properties",
        {**ids, "chat_id": MISSING_CHAT, "properties": {"rating": ["score"]}},
    )


def test_tags(world):
    chat_id, thread_id, *_ = world.chat()
    world.ok("tag_chat_thread", {"chat_id": chat_id, "thread_id": thread_id, "tag": "bug_report"})
    world.ok("untag_chat_thread", {"chat_id": chat_id, "thread_id": thread_id, "tag": "bug_report"})
    world.fails(400, "validation", "tag_chat_thread", {"chat_id": chat_id, "thread_id": thread_id, "tag": ""})
    world.fails(404, "not_found", "untag_chat_thread", {"chat_id": chat_id, "thread_id": "NOTHREAD00", "tag": "x"})


def test_get_archives(world):
    chat_id, *_ = world.chat()
    world.ok("close_thread", {"chat_id": chat_id})
    body = world.ok("get_archives", {})
    assert "chats" in body
    world.fails(400, "validation", "get_archives", {"filters": {"query": 5}})


def test_get_chat_threads_and_summary(world):
    chat_id, thread_id, *_ = world.chat()
    summary = world.ok("get_chat_threads_summary", {"chat_id": chat_id, "order": "asc", "limit": 10})
    assert [t["id"] for t in summary["threads_summary"]] == [thread_id]
    world.fails(404, "not_found", "get_chat_threads", {"chat_id": MISSING_CHAT})
    world.fails(400, "validation", "get_chat_threads_summary", {"chat_id": chat_id, "order": "sideways"})


def test_send_file_and_upload_image_are_served_back(world):
    chat_id, *_ = world.chat()
    data = bytes(range(256)) * 40
    body = world.ok(
        "send_file",
        data={"payload.chat_id": chat_id, "payload.custom_id": "f-1", "payload.require_active_thread": "true"},
        files={"payload.file": ("notes.bin", data, "application/octet-stream")},
    )
    back = world.client.get(body["url"])
    assert back.status_code == 200 and back.content == data
    image = world.ok("upload_image", files={"payload.image": ("dot.png", PNG, "image/png")})
    back = world.client.get(image["url"])
    assert back.content == PNG and back.headers["content-type"] == "image/png"
    world.fails(
        404,
        "not_found",
        "send_file",
        data={"payload.chat_id": MISSING_CHAT},
        files={"payload.file": ("a.txt", b"a", "text/plain")},
    )
    world.fails(400, "validation", "upload_image", data={"x": "y"})


def test_close_thread(world):
    chat_id, *_ = world.chat()
    world.ok("close_thread", {"chat_id": chat_id})
    world.fails(
        400,
        "chat_inactive",
        "send_event",
        {"chat_id": chat_id, "require_active_thread": True, "event": {"type": "message", "text": "x"}},
    )
    world.fails(404, "not_found", "close_thread", {"chat_id": MISSING_CHAT})


def test_multicast(world):
    world.ok(
        "multicast", {"scopes": {"agents": {"all": True}}, "content": {"example": {"nested": "json"}}, "type": "type1"}
    )
    world.fails(400, "validation", "multicast", {"content": "no scopes"})


def test_update_last_seen_timestamp(world):
    chat_id, *_ = world.chat()
    body = world.ok("update_last_seen_timestamp", {"chat_id": chat_id, "timestamp": 123456789})
    assert isinstance(body["timestamp"], int)
    world.fails(400, "validation", "update_last_seen_timestamp", {"chat_id": chat_id, "timestamp": "yesterday"})


def test_send_typing_indicator(world):
    chat_id, *_ = world.chat()
    world.ok("send_typing_indicator", {"chat_id": chat_id, "recipients": "all", "is_typing": True})
    world.fails(400, "validation", "send_typing_indicator", {"chat_id": chat_id, "is_typing": "yes"})


def test_send_rich_message_postback(world):
    chat_id, thread_id, *_ = world.chat()
    rich = {
        "type": "rich_message",
        "template_id": "cards",
        "elements": [
            {"title": "Rate us", "buttons": [{"text": "Yes", "postback_id": "Method URL_yes", "user_ids": []}]}
        ],
    }
    event_id = world.ok("send_event", {"chat_id": chat_id, "event": rich})["event"]["id"]
    world.ok(
        "send_rich_message_postback",
        {
            "chat_id": chat_id,
            "thread_id": thread_id,
            "event_id": event_id,
            "postback": {"id": "Method URL_yes", "toggled": True},
        },
    )
    world.fails(
        400,
        "validation",
        "send_rich_message_postback",
        {"chat_id": chat_id, "thread_id": thread_id, "event_id": event_id, "postback": {"id": 1}},
    )


def test_scopes_are_enforced(world):
    chat_id, *_ = world.chat()
    world.fails(
        403,
        "authorization",
        "send_event",
        {"chat_id": chat_id, "event": {"type": "message", "text": "x"}},
        token=world.reader,
    )
    world.fails(403, "authorization", "get_customers", {}, token=world.reader)


def test_every_action_had_a_happy_path_and_an_error(world):
    """Runs last: the calls above covered all 35 actions both ways."""
    assert sorted(set(ACTIONS) - world.happy) == []
    assert sorted(set(ACTIONS) - world.errors) == []
