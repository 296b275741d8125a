"""An independent spec client for the conformance tests: a real `lcconsole emulator` process,
plain-httpx calls, plain-websocket RTM sockets and strict shape checks taken from the method
reference and docs/api-notes.md §1–4. It deliberately uses nothing from `lcconsole.api`/`lcconsole.rtm`.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
from emulator_process import EmulatorProcess
from websockets.sync.client import connect

from lcconsole.wire.actions import ALL_SCOPES
from tests import loopback

ADMIN = "agent1@example.com"
AGENT2 = "agent2@example.com"
LIMITED = "limited@example.com"
ACCESS = "access@example.com"
ACCESS_SCOPES = "chats--access:rw,chats.conversation--access:rw,customers:ro"
WRITER = "writer@example.com"
WRITER_SCOPES = "chats.conversation--all:rw,chats--all:ro"
SPEC_CUSTOMER = "b7eff798-f8df-4364-8059-649c35c9ed0c"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
NO_PAYLOAD = {
    "follow_chat",
    "unfollow_chat",
    "transfer_chat",
    "grant_access",
    "revoke_access",
    "set_access",
    "add_user_to_chat",
    "remove_user_from_chat",
    "update_agent",
    "ban_customer",
    "delete_chat_properties",
    "delete_chat_thread_properties",
    "delete_event_properties",
    "update_chat_thread_properties",
    "update_chat_properties",
    "update_event_properties",
    "tag_chat_thread",
    "untag_chat_thread",
    "close_thread",
    "multicast",
    "send_typing_indicator",
    "send_rich_message_postback",
}
"""Actions whose reference says "No response payload" (answer exactly `{}`)."""


def start_process(workdir: Path, db: Path | str = ":memory:") -> EmulatorProcess:
    """`lcconsole emulator --seed empty --no-simulate` with agent2 (every scope), a my:ro agent
    an agent with `access`-level chat scopes (member of group 0 only) and a conversation writer
    without `chats--*:rw`."""
    extra = (
        "--agent",
        f"{AGENT2}={','.join(ALL_SCOPES)}",
        "--agent",
        f"{LIMITED}=chats--my:ro",
        "--agent",
        f"{ACCESS}={ACCESS_SCOPES}",
        "--agent",
        f"{WRITER}={WRITER_SCOPES}",
    )
    proc = EmulatorProcess(workdir, db, "empty", extra)
    proc.start()
    return proc


class Spec:
    """Plain HTTP calls against one emulator process, with envelope/shape assertions."""

    def __init__(self, proc: EmulatorProcess) -> None:
        self.proc = proc
        self.info = proc.info
        self.tokens = {a["id"]: a["token"] for a in proc.info["agents"]}
        self.http = loopback.client(base_url=proc.base_url, timeout=10)

    def close(self) -> None:
        self.http.close()

    def post(
        self,
        action: str,
        payload: Any = None,
        *,
        as_: str = ADMIN,
        wrapped: bool = True,
        headers: dict | None = None,
        **kw,
    ) -> httpx.Response:
        """POST one action; JSON bodies are `{"payload": ...}` unless wrapped=False."""
        hdrs = {"Authorization": f"Bearer {self.tokens[as_]}"} if as_ else {}
        hdrs.update(headers or {})
        if "files" in kw or "data" in kw or "content" in kw:
            return self.http.post(f"/v3.0/agent/action/{action}", headers=hdrs, **kw)
        body = {"payload": payload} if wrapped else payload
        return self.http.post(f"/v3.0/agent/action/{action}", json=body, headers=hdrs)

    def ok(self, action: str, payload: Any = None, **kw) -> dict:
        """A 200 JSON object answer; `{}` exactly for no-payload actions."""
        resp = self.post(action, payload, **kw)
        assert resp.status_code == 200, f"{action}: {resp.status_code} {resp.text[:500]}"
        assert resp.headers["content-type"].startswith("application/json")
        body = resp.json()
        assert isinstance(body, dict), body
        if action in NO_PAYLOAD:
            assert body == {}, f"{action} must answer {{}}: {body}"
        return body

    def fails(self, status: int, type_: str, action: str, payload: Any = None, **kw) -> str:
        """An error answer with exactly the envelope `{"error": {"type", "message"}}`."""
        resp = self.post(action, payload, **kw)
        return check_error(resp, status, type_)

    def customer(self, **fields) -> dict:
        body = self.ok("create_customer", {"name": "Spec Customer", **fields})
        check_customer(body)
        return body

    def chat(self, as_: str = ADMIN, text: str = "hello there", customer: str | None = None) -> dict:
        """start_chat with one message (and a customer): the response's chat."""
        customer = customer or self.customer()["id"]
        chat = self.ok(
            "start_chat",
            {
                "chat": {
                    "users": [{"id": customer, "type": "customer"}],
                    "thread": {"events": [{"type": "message", "text": text, "custom_id": "c-1", "recipients": "all"}]},
                }
            },
            as_=as_,
        )["chat"]
        return chat

    def rtm(self, agent: str) -> Rtm:
        return Rtm(self.info["rtm_url"], self.tokens[agent])


def check_error(resp: httpx.Response, status: int, type_: str) -> str:
    assert resp.status_code == status, f"expected {status} {type_}: {resp.status_code} {resp.text[:300]}"
    body = resp.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) in ({"type", "message"}, {"type", "message", "data"}), body
    assert body["error"]["type"] == type_, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"], body
    return body["error"]["message"]


# --- shapes (method reference + docs/api-notes.md §2) ----------------------------------------------------


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_props(props: Any) -> None:
    """Stored/response property format `{ns: {name: {"value": v}}}`."""
    assert isinstance(props, dict), props
    for names in props.values():
        assert isinstance(names, dict), props
        for value in names.values():
            assert isinstance(value, dict) and set(value) == {"value"}, props


def check_access(access: Any) -> None:
    assert isinstance(access, dict) and isinstance(access.get("group_ids"), list), access
    assert all(is_int(g) for g in access["group_ids"]), access


def check_event(event: dict) -> None:
    assert isinstance(event["id"], str) and event["id"], event
    assert is_int(event["order"]) and is_int(event["timestamp"]), event
    assert isinstance(event["type"], str), event
    assert event["recipients"] in ("all", "agents"), event
    if event["type"] != "system_message":
        assert isinstance(event["author_id"], str), event
    if event["type"] in ("message", "system_message"):
        assert isinstance(event["text"], str), event
    if "properties" in event:
        check_props(event["properties"])


def check_thread(thread: dict, events: bool = True) -> None:
    assert isinstance(thread["id"], str) and thread["id"], thread
    assert is_int(thread["timestamp"]) and is_int(thread["order"]), thread
    assert isinstance(thread["active"], bool), thread
    assert isinstance(thread["user_ids"], list), thread
    assert all(isinstance(u, str) for u in thread["user_ids"]), thread
    if "properties" in thread:
        check_props(thread["properties"])
    if "access" in thread:
        check_access(thread["access"])
    if "tags" in thread:
        assert all(isinstance(t, str) for t in thread["tags"]), thread
    if events:
        assert isinstance(thread["events"], list), thread
        orders = [e["order"] for e in thread["events"]]
        assert orders == sorted(orders) and len(set(orders)) == len(orders), orders
        for event in thread["events"]:
            check_event(event)


def check_user(user: dict) -> None:
    assert user["type"] in ("agent", "customer"), user
    assert isinstance(user["id"], str), user
    if user["type"] == "customer":
        check_customer(user)
    else:
        assert isinstance(user["name"], str) and isinstance(user["email"], str), user
        assert isinstance(user["present"], bool), user


def check_customer(customer: dict) -> None:
    assert customer["type"] == "customer", customer
    assert str(uuid.UUID(customer["id"])) == customer["id"], customer
    for key in ("name", "email", "avatar"):
        assert key not in customer or isinstance(customer[key], str), customer
    if "fields" in customer:
        assert all(isinstance(v, str) for v in customer["fields"].values()), customer
    if "statistics" in customer:
        assert all(is_int(customer["statistics"][k]) for k in ("chats_count", "threads_count", "visits_count")), (
            customer
        )


def check_chat(chat: dict, *, thread: bool = False, threads: bool = False) -> None:
    assert isinstance(chat["id"], str) and chat["id"], chat
    assert isinstance(chat["users"], list), chat
    for user in chat["users"]:
        check_user(user)
    if thread:
        check_thread(chat["thread"])
    if threads:
        assert isinstance(chat["threads"], list), chat
        for t in chat["threads"]:
            check_thread(t)
    if "properties" in chat:
        check_props(chat["properties"])
    if "access" in chat:
        check_access(chat["access"])
    if "is_followed" in chat:
        assert isinstance(chat["is_followed"], bool), chat


def fetch(url: str) -> httpx.Response:
    return loopback.get(url, timeout=10)


# --- RTM ------------------------------------------------------------------------------------------


class Rtm:
    """One logged-in agent RTM socket (plain websockets, sync)."""

    def __init__(self, url: str, token: str, login: dict | None = None) -> None:
        """`login`: extra login fields (`pushes`, `away`…) besides the token."""
        # an unbounded queue: pushes may pile up unread between requests without the client
        # stopping to read (which would starve its keepalive pings)
        self.ws = connect(url, open_timeout=5, max_size=None, max_queue=None).__enter__()
        self.pushes: list[dict] = []
        self._n = 0
        frame = self.request("login", {"token": f"Bearer {token}", **(login or {})})
        assert frame["success"] is True, frame
        self.login = frame["payload"]

    def send(self, action: str, payload: dict | None = None) -> str:
        self._n += 1
        request_id = f"r{self._n}"
        self.ws.send(json.dumps({"request_id": request_id, "action": action, "payload": payload or {}}))
        return request_id

    def request(self, action: str, payload: dict | None = None) -> dict:
        """Send and return the response frame; pushes seen meanwhile are kept in `pushes`."""
        request_id = self.send(action, payload)
        for _ in range(1000):
            frame = json.loads(self.ws.recv(timeout=5))
            if frame.get("type") == "response" and frame.get("request_id") == request_id:
                assert frame["action"] == action, frame
                return frame
            self.pushes.append(frame)
        raise AssertionError("no response")

    def drain(self) -> list[dict]:
        """Every push queued before now (a ping is the barrier); clears the list."""
        self.request("ping")
        out, self.pushes = self.pushes, []
        return out

    def close(self) -> None:
        self.ws.close()
