"""Helpers for the engine tests: an in-memory engine with a few agents of different levels."""

from __future__ import annotations

from lcconsole.emulator.contract import Principal
from lcconsole.emulator.engine import Engine

ACCESS = ["chats--access:ro", "chats--access:rw", "chats.conversation--access:rw", "customers:ro", "agents--my:rw"]
MY = ["chats--my:ro", "chats--my:rw", "chats.conversation--my:rw"]


class World:
    """An engine seeded with admin (all), `acc` (access level, group 1) and `my` (my level)."""

    def __init__(self, path: str = ":memory:") -> None:
        self.engine = Engine(path)
        self.engine.seed("empty", [("acc@example.com", ACCESS), ("my@example.com", MY), ("acc2@example.com", ACCESS)])
        self.engine.conn.execute("INSERT OR IGNORE INTO agent_groups(agent_id, group_id) VALUES ('acc@example.com', 1)")
        self.engine.invalidate_agents()
        creds = {c["id"]: c["token"] for c in self.engine.agent_credentials()}
        self.admin = self.engine.authenticate(creds["agent1@example.com"])
        self.acc = self.engine.authenticate(creds["acc@example.com"])
        self.acc2 = self.engine.authenticate(creds["acc2@example.com"])
        self.my = self.engine.authenticate(creds["my@example.com"])

    def run(self, principal: Principal, action: str, payload: dict | None = None, files=None):
        return self.engine.execute(principal, action, payload or {}, files)

    def customer(self, name: str = "Jane Roe", email: str = "jane@example.org") -> Principal:
        creds = self.engine.create_customer_token(name, email).payload
        return self.engine.authenticate(creds["access_token"], "customer")

    def start(
        self, principal: Principal | None = None, text: str = "hello", groups=None, customer: str | None = None, **chat
    ) -> dict:
        body: dict = {"thread": {"events": [{"type": "message", "text": text}]}, **chat}
        if groups is not None:
            body["access"] = {"group_ids": groups}
        if customer:
            body["users"] = [{"id": customer, "type": "customer"}]
        return self.run(principal or self.admin, "start_chat", {"chat": body}).payload["chat"]


def pushes(outcome, action: str | None = None) -> list:
    """Pushes of an outcome (optionally only one action)."""
    return [p for p in outcome.pushes if action is None or p.action == action]


def receivers(outcome, action: str) -> set[str]:
    out: set[str] = set()
    for p in pushes(outcome, action):
        out |= set(p.agent_ids)
    return out
