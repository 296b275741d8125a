"""A plain v3.6 client for the v3.6 emulator tests: httpx calls to `/v3.6/agent/action/<action>`,
plain-websocket RTM sockets of either version, and shape checks of the v3.6 objects as the
official v3.6 data-structure reference describes them. Uses nothing from `lcconsole.api`/`rtm`.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from _spec_client import ADMIN, AGENT2, EmulatorProcess, Rtm, check_error, start_process  # noqa: F401  (fixtures, used by parameter name)

from tests import loopback

RFC3339_US = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
V30_ONLY_KEYS = {
    "order",
    "timestamp",
    "recipients",
    "last_seen_timestamp",
    "threads_summary",
    "thread_order",
    "fields",
    "last_visit",
}


class Client36:
    """v3.6 Web calls of one emulator process."""

    def __init__(self, proc: EmulatorProcess) -> None:
        self.proc = proc
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
        version: str = "3.6",
        headers: dict | None = None,
        **kw,
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[as_]}", **(headers or {})}
        if kw:
            return self.http.post(f"/v{version}/agent/action/{action}", headers=headers, **kw)
        return self.http.post(f"/v{version}/agent/action/{action}", json=payload or {}, headers=headers)

    def ok(self, action: str, payload: Any = None, **kw) -> Any:
        resp = self.post(action, payload, **kw)
        assert resp.status_code == 200, f"{action}: {resp.status_code} {resp.text[:500]}"
        assert resp.headers["content-type"].startswith("application/json")
        return resp.json()

    def fails(self, status: int, type_: str, action: str, payload: Any = None, **kw) -> str:
        return check_error(self.post(action, payload, **kw), status, type_)

    def ok30(self, action: str, payload: Any = None, as_: str = ADMIN) -> Any:
        """A v3.0 call on the same world (the read-back side)."""
        return self.ok(action, payload, as_=as_, version="3.0")

    def join(self, chat_id: str, agent: str = ADMIN) -> None:
        """Make `agent` a user of the chat (routing may have made it one already)."""
        if agent not in [u["id"] for u in self.ok("get_chat", {"chat_id": chat_id})["users"]]:
            self.ok(
                "add_user_to_chat",
                {
                    "chat_id": chat_id,
                    "user_id": agent,
                    "user_type": "agent",
                    "visibility": "all",
                    "ignore_requester_presence": True,
                },
            )

    def customer(self, name: str = "V36 Customer") -> str:
        return self.ok30("create_customer", {"name": name})["id"]

    def rtm(self, agent: str, version: str = "3.6", **login: Any) -> Socket:
        url = self.proc.base_url.replace("http", "ws", 1) + f"/v{version}/agent/rtm/ws"
        return Socket(url, self.tokens[agent], login)


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """One emulator process per test module, and its v3.6 client."""
    proc = start_process(tmp_path_factory.mktemp("v36"))
    client = Client36(proc)
    yield client
    client.close()
    proc.kill()


Socket = Rtm
"""One logged-in agent RTM socket of either version (the spec checker's client)."""


def pushes_named(frames: list[dict], action: str) -> list[dict]:
    return [f["payload"] for f in frames if f.get("action") == action]


def one(frames: list[dict], action: str) -> dict:
    found = pushes_named(frames, action)
    assert len(found) == 1, f"expected one {action}: {[f.get('action') for f in frames]}"
    return found[0]


# --- v3.6 shapes ------------------------------------------------------------------------------


def no_v30_keys(obj: dict) -> None:
    assert not (V30_ONLY_KEYS & set(obj)), f"v3.0 keys in a v3.6 object: {sorted(obj)}"


def check_time(value: Any) -> None:
    assert isinstance(value, str) and RFC3339_US.match(value), value


def check_plain_props(props: Any) -> None:
    """v3.6 properties: `{ns: {name: plain value}}` (no `{"value": …}` wrapper)."""
    assert isinstance(props, dict), props
    for names in props.values():
        assert isinstance(names, dict), props
        for value in names.values():
            assert not (isinstance(value, dict) and set(value) == {"value"}), props


def check_event(event: dict) -> None:
    no_v30_keys(event)
    assert isinstance(event["id"], str) and event["id"], event
    check_time(event["created_at"])
    assert event["visibility"] in ("all", "agents"), event
    assert isinstance(event["type"], str), event
    if event["type"] not in ("system_message", "system"):
        assert isinstance(event["author_id"], str), event
    if "properties" in event:
        check_plain_props(event["properties"])


def check_thread(thread: dict, events: bool = True) -> None:
    no_v30_keys(thread)
    assert isinstance(thread["id"], str) and thread["id"], thread
    check_time(thread["created_at"])
    assert isinstance(thread["active"], bool), thread
    assert all(isinstance(u, str) for u in thread["user_ids"]), thread
    check_plain_props(thread.get("properties", {}))
    for key in ("previous_thread_id", "next_thread_id"):
        assert key not in thread or isinstance(thread[key], str), thread
    if events:
        times = [e["created_at"] for e in thread["events"]]
        assert times == sorted(times) and len(set(times)) == len(times), times
        for event in thread["events"]:
            check_event(event)


def check_user(user: dict) -> None:
    no_v30_keys(user)
    assert user["type"] in ("agent", "customer"), user
    if user["type"] == "agent":
        assert {"id", "name", "email", "present", "events_seen_up_to", "visibility"} <= set(user)
        check_time(user["events_seen_up_to"])
        assert "routing_status" not in user, user
    else:
        assert isinstance(user.get("session_fields", []), list), user
        if "events_seen_up_to" in user:
            check_time(user["events_seen_up_to"])


def check_chat(chat: dict) -> None:
    """A get_chat answer / incoming_chat chat: the chat with one `thread`."""
    no_v30_keys(chat)
    assert "chat" not in chat and "threads" not in chat, sorted(chat)
    for user in chat["users"]:
        check_user(user)
    check_thread(chat["thread"])
    check_plain_props(chat["properties"])
    assert isinstance(chat["access"]["group_ids"], list), chat


def check_summary(summary: dict) -> None:
    no_v30_keys(summary)
    for user in summary["users"]:
        check_user(user)
    for item in summary["last_event_per_type"].values():
        assert set(item) == {"thread_id", "thread_created_at", "event"}, item
        check_time(item["thread_created_at"])
        check_event(item["event"])
    if "last_thread_summary" in summary:
        check_thread(summary["last_thread_summary"], events=False)
