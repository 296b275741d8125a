"""A tiny in-memory stand-in for the engine, for transport tests that must not depend on it."""

from __future__ import annotations

import contextlib
import itertools

from lcconsole.emulator.contract import AddressedPush, ErrorReply, Outcome, Principal
from lcconsole.wire.actions import ACTIONS


class FakeEngine:
    """Two agents (a1 sees chat C1, a2 sees nothing); send_event pushes incoming_event to a1."""

    def __init__(self, db: str = ":memory:") -> None:
        self.base_url = ""
        self.tokens = {"tok1": "a1@example.com", "tok2": "a2@example.com"}
        self.customers: dict[str, str] = {}
        self.presence: list[tuple[str, bool]] = []
        self.calls: list[tuple[str, str, dict]] = []
        self.files: dict[str, tuple[bytes, str]] = {}
        self._ids = itertools.count(1)
        self.closed = False

    def time_limited(self, seconds):
        return contextlib.nullcontext()

    def seed(self, world="empty", agents=()):
        pass

    def agent_credentials(self):
        return [{"id": a, "token": t, "scopes": ["chats--all:rw"]} for t, a in self.tokens.items()]

    def authenticate(self, token, kind="agent"):
        token = token.removeprefix("Bearer ").strip()
        table = self.tokens if kind == "agent" else self.customers
        if token not in table:
            raise ErrorReply("authentication", "Invalid access token")
        return Principal(kind, table[token], frozenset({"chats--all:rw"}))

    def create_customer_token(self, name=None, email=None):
        n = next(self._ids)
        self.customers[f"ctok{n}"] = f"cust-{n}"
        return Outcome({"customer_id": f"cust-{n}", "access_token": f"ctok{n}"})

    def execute(self, principal, action, payload, files=None):
        self.calls.append((principal.id, action, payload))
        if action == "boom":
            raise RuntimeError("unexpected")
        if action in ("login",):
            return Outcome({"my_profile": {"id": principal.id}})
        if action == "send_event":
            if not isinstance(payload.get("chat_id"), str):
                raise ErrorReply("validation", "chat_id: required string")
            event = {"id": f"E{next(self._ids)}", **payload.get("event", {})}
            push = AddressedPush(
                "incoming_event",
                {"chat_id": payload["chat_id"], "event": event},
                agent_ids=frozenset({"a1@example.com"}),
                customer_ids=frozenset({"cust-1"}),
            )
            return Outcome({"event_id": event["id"]}, [push])
        if action in ("send_file", "upload_image"):
            (part,) = files.values()
            path = f"f{next(self._ids)}/{part.filename}"
            self.files[path] = (part.data, part.content_type)
            return Outcome({"url": f"{self.base_url}/files/{path}", "fields": payload})
        if action == "ping":
            return Outcome()
        spec = ACTIONS.get(action)
        if spec is not None and not spec.returns_payload:
            return Outcome()
        return Outcome({"echo": payload})

    def set_presence(self, agent_id, present):
        self.presence.append((agent_id, present))
        return [
            AddressedPush(
                "agent_updated", {"agent_id": agent_id, "present": present}, agent_ids=frozenset(self.tokens.values())
            )
        ]

    def read_file(self, path):
        return self.files.get(path)

    def close(self):
        self.closed = True
