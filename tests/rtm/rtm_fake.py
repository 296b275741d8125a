"""A small scripted fake LiveChat RTM server on 127.0.0.1 for the RTM client tests, and the
v3.0 push payload samples of docs/api-notes.md §4.4."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

GOOD_TOKEN = "dal:s3cr3t-T0KEN-value"

LOGIN_PAYLOAD = {
    "license": {
        "id": 104130623,
        "plan": "enterprise",
        "expiration_timestamp": 1483433500,
        "creation_timestamp": 1482154188,
        "in_trial": True,
    },
    "my_profile": {
        "id": "agent1@example.com",
        "type": "agent",
        "name": "Agent One",
        "email": "agent1@example.com",
        "present": True,
        "avatar": "a.png",
        "routing_status": "accepting_chats",
        "permission": "administrator",
    },
    "chats_summary": [{"id": "PJ0MRSHTDG", "users": [], "last_event_per_type": {}}],
}

Handler = Callable[[dict, ServerConnection], Awaitable[Any]]


class FakeRtmServer:
    """Answers login (GOOD_TOKEN only), ping, logout and scripted actions; records every frame."""

    def __init__(self) -> None:
        self.frames: list[dict] = []
        self.connections: list[ServerConnection] = []
        self.headers: list[dict] = []
        self.paths: list[str] = []
        self.handlers: dict[str, Handler] = {}
        self.login_count = 0
        self.port = 0
        self._server = None
        self.logged_in = asyncio.Event()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def actions(self, name: str) -> list[dict]:
        """Every received frame with this action."""
        return [f for f in self.frames if f.get("action") == name]

    async def start(self, port: int = 0) -> None:
        quiet = logging.getLogger("tests.rtm.fake_server")
        quiet.setLevel(logging.WARNING)  # the server side logs frames (and tokens) at DEBUG
        self._server = await serve(self._handle, "127.0.0.1", port, ping_interval=None, logger=quiet)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    @property
    def live(self) -> list[ServerConnection]:
        return [c for c in self.connections if c.state.name == "OPEN"]

    async def push(self, action: str, payload: Any, request_id: str | None = None) -> None:
        frame = {"action": action, "type": "push", "payload": payload}
        if request_id:
            frame["request_id"] = request_id
        for conn in self.live:
            await conn.send(json.dumps(frame))

    async def disconnect(self, reason: str, data: dict | None = None) -> None:
        """Send `agent_disconnected` and close, as the real server does."""
        payload = {"reason": reason, **({"data": data} if data else {})}
        for conn in self.live:
            await conn.send(json.dumps({"action": "agent_disconnected", "type": "push", "payload": payload}))
            await conn.close()

    async def drop(self) -> None:
        """Close every socket without a word."""
        for conn in self.live:
            await conn.close()

    async def wait_logins(self, count: int, timeout: float = 3.0) -> None:
        async with asyncio.timeout(timeout):
            while self.login_count < count:
                self.logged_in.clear()
                await self.logged_in.wait()

    async def _reply(self, conn: ServerConnection, frame: dict, payload: Any, success: bool = True) -> None:
        reply = {"action": frame.get("action"), "type": "response", "success": success, "payload": payload}
        if "request_id" in frame:
            reply["request_id"] = frame["request_id"]
        await conn.send(json.dumps(reply))

    async def _handle(self, conn: ServerConnection) -> None:
        self.connections.append(conn)
        self.headers.append(dict(conn.request.headers))
        self.paths.append(conn.request.path)
        try:
            async for raw in conn:
                frame = json.loads(raw)
                self.frames.append(frame)
                asyncio.ensure_future(self._dispatch(conn, frame))
        except ConnectionClosed:
            pass

    async def _dispatch(self, conn: ServerConnection, frame: dict) -> None:
        action = frame.get("action")
        try:
            if action in self.handlers:
                await self.handlers[action](frame, conn)
            elif action == "login":
                if frame.get("payload", {}).get("token") == f"Bearer {GOOD_TOKEN}":
                    self.login_count += 1
                    await self._reply(conn, frame, LOGIN_PAYLOAD)
                    self.logged_in.set()
                else:
                    await self._reply(
                        conn, frame, {"error": {"type": "authentication", "message": "Invalid access token"}}, False
                    )
            elif action in ("ping", "logout"):
                await self._reply(conn, frame, {})
            else:
                await self._reply(conn, frame, {"echo": frame.get("payload")})
        except ConnectionClosed:
            pass

    async def reply(self, conn: ServerConnection, frame: dict, payload: Any, success: bool = True) -> None:
        """Answer `frame` from a custom handler."""
        await self._reply(conn, frame, payload, success)


_EVENT = {
    "id": "Q298LUVPRH_1",
    "order": 1,
    "type": "message",
    "text": "hello",
    "author_id": "b7eff798-f8df-4364-8059-649c35c9ed0c",
    "timestamp": 1500646701,
    "recipients": "all",
    "properties": {},
}
_CUSTOMER = {
    "id": "b7eff798-f8df-4364-8059-649c35c9ed0c",
    "type": "customer",
    "name": "Thomas Anderson",
    "email": "t.anderson@example.com",
    "avatar": "https://example.com/a.png",
    "fields": {"custom field name": "custom field value"},
    "__priv_lc2_customer_id": "S1.x",
}
_PROPS = {"rating": {"score": {"value": 1}, "comment": {"value": "Very good, veeeery good"}}}

PUSH_SAMPLES: dict[str, dict] = {
    "incoming_chat_thread": {
        "chat": {
            "id": "PJ0MRSHTDG",
            "users": [_CUSTOMER, {"id": "agent1@example.com", "type": "agent", "name": "Agent One", "present": True}],
            "properties": _PROPS,
            "is_followed": True,
            "thread": {
                "id": "K600PKZON8",
                "timestamp": 1473433500,
                "order": 112057129,
                "active": True,
                "user_ids": ["agent1@example.com"],
                "events": [_EVENT],
                "properties": {},
                "access": {"group_ids": [0]},
                "tags": ["bug"],
            },
        }
    },
    "incoming_event": {"chat_id": "PJ0MRSHTDG", "thread_id": "K600PKZON8", "event": _EVENT},
    "event_updated": {"chat_id": "PJ0MRSHTDG", "thread_id": "K600PKZON8", "event": {**_EVENT, "text": "edited"}},
    "incoming_rich_message_postback": {
        "user_id": "b7eff798-f8df-4364-8059-649c35c9ed0c",
        "chat_id": "PJ0MRSHTDG",
        "thread_id": "K600PKZON8",
        "event_id": "a0c22fdd-fb71-40b5-bfc6-a8a0bc3117f7",
        "postback": {"id": "action_yes", "toggled": True},
    },
    "incoming_multicast": {
        "author_id": "agent1@example.com",
        "content": {"example": {"nested": "json"}},
        "type": "type1",
    },
    "incoming_typing_indicator": {
        "chat_id": "PJ0MRSHTDG",
        "thread_id": "K600PKZON8",
        "typing_indicator": {"author_id": "agent1@example.com", "recipients": "all", "timestamp": 1515580773},
    },
    "incoming_sneak_peek": {
        "chat_id": "PJ0MRSHTDG",
        "thread_id": "K600PKZON8",
        "sneak_peek": {
            "author_id": _CUSTOMER["id"],
            "recipients": "agents",
            "timestamp": 1515580773,
            "text": "hello th",
        },
    },
    "thread_closed": {"chat_id": "PJ0MRSHTDG", "thread_id": "K600PKZON8", "user_id": "agent1@example.com"},
    "access_granted": {"resource": "chat", "id": "PJ0MRSHTDG", "access": {"group_ids": [1, 2]}},
    "access_revoked": {"resource": "chat", "id": "PJ0MRSHTDG", "access": {"group_ids": [2]}},
    "access_set": {"resource": "chat", "id": "PJ0MRSHTDG", "access": {"group_ids": [0]}},
    "chat_transferred": {
        "chat_id": "PJ0MRSHTDG",
        "requester_id": "agent1@example.com",
        "type": "agent",
        "ids": ["agent2@example.com"],
    },
    "chat_user_added": {"chat_id": "PJ0MRSHTDG", "thread_id": "K600PKZON8", "user": _CUSTOMER, "user_type": "customer"},
    "chat_user_removed": {
        "chat_id": "PJ0MRSHTDG",
        "thread_id": "K600PKZON8",
        "user_id": "agent2@example.com",
        "user_type": "agent",
    },
    "chat_properties_updated": {"chat_id": "PJ0MRSHTDG", "properties": _PROPS},
    "chat_properties_deleted": {"chat_id": "PJ0MRSHTDG", "properties": {"rating": ["score", "comment"]}},
    "chat_thread_properties_updated": {"chat_id": "PJ0MRSHTDG", "thread_id": "K600PKZON8", "properties": _PROPS},
    "chat_thread_properties_deleted": {
        "chat_id": "PJ0MRSHTDG",
        "thread_id": "K600PKZON8",
        "properties": {"rating": ["score"]},
    },
    "event_properties_updated": {
        "chat_id": "PJ0MRSHTDG",
        "thread_id": "K600PKZON8",
        "event_id": "Q298LUVPRH_1",
        "properties": _PROPS,
    },
    "event_properties_deleted": {
        "chat_id": "PJ0MRSHTDG",
        "thread_id": "K600PKZON8",
        "event_id": "Q298LUVPRH_1",
        "properties": {"rating": ["comment"]},
    },
    "chat_thread_tagged": {"chat_id": "PJ0MRSHTDG", "thread_id": "K600PKZON8", "tag": "bug_report"},
    "chat_thread_untagged": {"chat_id": "PJ0MRSHTDG", "thread_id": "K600PKZON8", "tag": "bug_report"},
    "last_seen_timestamp_updated": {"user_id": "agent1@example.com", "chat_id": "PJ0MRSHTDG", "timestamp": 123456789},
    "customer_created": {"customer": _CUSTOMER},
    "customer_updated": {
        "id": _CUSTOMER["id"],
        "name": "Thomas",
        "email": "t@example.com",
        "avatar": "https://example.com/b.png",
        "type": "customer",
        "present": True,
        "banned": False,
        "fields": {"key": "value"},
    },
    "customer_visit_started": {
        "customer_id": _CUSTOMER["id"],
        "visit_id": 42,
        "started_at": "2017-10-12T15:19:21.010200Z",
        "ip": "194.181.146.130",
        "user_agent": "Mozilla/5.0",
        "geolocation": {
            "latitude": "-14.6973803",
            "longitude": "-75.1266898",
            "country": "Poland",
            "country_code": "PL",
            "region": "Dolnoslaskie",
            "city": "Wroclaw",
            "timezone": "Europe/Warsaw",
        },
    },
    "customer_visit_ended": {"customer_id": _CUSTOMER["id"], "visit_id": 42, "ended_at": "2017-10-12T15:29:21.010200Z"},
    "customer_page_updated": {
        "customer_id": _CUSTOMER["id"],
        "visit_id": 42,
        "opened_at": "2017-10-12T15:20:00.000000Z",
        "url": "https://www.livechat.com/",
        "title": "LiveChat - Homepage",
        "referrer": "http://www.google.com/",
    },
    "customer_banned": {"customer_id": _CUSTOMER["id"], "ban": {"days": 5}},
    "agent_updated": {"agent_id": "agent1@example.com", "routing_status": "accepting_chats"},
    "agent_disconnected": {"reason": "misdirected_connection", "data": {"region": "fra"}},
}
"""One payload per v3.0 push, shaped as docs/api-notes.md §4.4 documents them."""
