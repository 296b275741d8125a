"""Per-request context of the engine: the connection, the principal, the clock, ids and pushes."""

from __future__ import annotations

import json
import random
import secrets
import sqlite3
import string
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from lcconsole.emulator.contract import AddressedPush, ErrorReply, Payload, Principal

ID_ALPHABET = string.ascii_uppercase + string.digits
_SYS_RANDOM = random.SystemRandom()


_STORED_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def dumps(value: Any) -> str:
    """Compact JSON for storage; NaN/Infinity or absurd nesting is a validation error."""
    if type(value) is dict and not value:
        return "{}"
    try:
        return _STORED_JSON.encode(value)
    except (ValueError, RecursionError, TypeError):
        raise ErrorReply(
            "validation", "payload: value cannot be stored as JSON (NaN, Infinity or too deeply nested)"
        ) from None


def loads(text: str | None, default: Any = None) -> Any:
    """JSON from storage (default when NULL); `{}` and `[]` skip the parser."""
    if text is None:
        return default
    if text == "{}":
        return {}
    if text == "[]":
        return []
    return json.loads(text)


def iso(ts: float) -> str:
    """Unix seconds -> ISO-8601 UTC with microseconds (`2017-10-12T15:19:21.010200Z`)."""
    # isoformat is a third cheaper than strftime; [:-6] drops its "+00:00"
    return datetime.fromtimestamp(ts, tz=UTC).isoformat(timespec="microseconds")[:-6] + "Z"


def parse_iso(value: str, field_name: str) -> str:
    """Normalise an ISO-8601 date-time (any offset) to the stored UTC µs form, or raise validation."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except (ValueError, TypeError, AttributeError):
        raise ErrorReply("validation", f"{field_name}: not an ISO-8601 date-time: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_token() -> str:
    """A random bearer token in the LiveChat data-center style (`dal:...`)."""
    return "dal:" + secrets.token_urlsafe(22)


@dataclass(frozen=True)
class AgentInfo:
    """Cached facts about an agent used for access checks and push targeting."""

    id: str
    scopes: frozenset[str]
    groups: frozenset[int]
    read_level: str | None  # best level of chats--*:ro (None = sees no chats)


class Clock:
    """Monotonic `order` source: µs since the epoch, strictly increasing across the process."""

    def __init__(self, start: int = 0) -> None:
        self.last = start

    def next(self, at: float | None = None) -> int:
        """The next order value (at: a Unix time to base it on; still strictly increasing)."""
        value = int((time.time() if at is None else at) * 1_000_000)
        if value <= self.last:
            value = self.last + 1
        self.last = value
        return value


class EngineServices(Protocol):
    """What an action may use of the engine that runs it (`emulator/engine.py`)."""

    clock: Clock
    base_url: str
    monitoring: dict[str, str]
    subscriptions: dict[str, dict[str, Any]]

    def agent_info(self, conn: sqlite3.Connection | None = None) -> dict[str, AgentInfo]: ...

    def invalidate_agents(self) -> None: ...

    def authenticate(self, token: str, kind: Literal["agent", "customer"] = "agent") -> Principal: ...


@dataclass
class Ctx:
    """Everything one action needs: connection, principal, time, engine services, pushes."""

    conn: sqlite3.Connection
    principal: Principal
    engine: EngineServices
    now: float = field(default_factory=time.time)
    level: str = "all"
    rng: random.Random = field(default_factory=lambda: _SYS_RANDOM)
    pushes: list[AddressedPush] = field(default_factory=list)
    followed_before: dict[str, dict[str, Any]] = field(default_factory=dict)
    """customer id -> its `watch` facts before this action changed its chats (`following.py`)."""

    # --- SQL helpers -----------------------------------------------------------------------
    def q(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, tuple(args)).fetchall()

    def one(self, sql: str, args: Iterable[Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, tuple(args)).fetchone()
        return row

    def row(self, sql: str, args: Iterable[Any] = ()) -> sqlite3.Row:
        """The row of a query that always has one (an aggregate, a row this action already
        read or wrote)."""
        row = self.one(sql, args)
        if row is None:
            raise LookupError(f"no row for {sql.split(' WHERE ')[0]!r}")
        return row

    def x(self, sql: str, args: Iterable[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, tuple(args))

    # --- time, ids -------------------------------------------------------------------------
    @property
    def ts(self) -> int:
        return int(self.now)

    def order(self) -> int:
        return self.engine.clock.next(self.now)

    def new_id(self, table: str = "chats") -> str:
        """A fresh 10-character upper-case alphanumeric id (chats and threads)."""
        while True:
            candidate = "".join(self.rng.choice(ID_ALPHABET) for _ in range(10))
            if self.one(f"SELECT 1 FROM {table} WHERE id=?", (candidate,)) is None:
                return candidate

    # --- principal ---------------------------------------------------------------------------
    @property
    def is_agent(self) -> bool:
        return self.principal.kind == "agent"

    @property
    def me(self) -> str:
        return self.principal.id

    def agent(self, agent_id: str) -> AgentInfo | None:
        return self.engine.agent_info(self.conn).get(agent_id)

    def agents(self) -> dict[str, AgentInfo]:
        return self.engine.agent_info(self.conn)

    def agents_changed(self) -> None:
        self.engine.invalidate_agents()

    # --- pushes ------------------------------------------------------------------------------
    def push(
        self,
        action: str,
        payload: Payload,
        agents: Iterable[str] = (),
        customers: Iterable[str | None] = (),
        meta: dict[str, Any] | None = None,
        dialect: str | None = None,
    ) -> None:
        """Queue a push for the given agents/customers (skipped when nobody would receive it).

        `meta`: facts for other dialects' renderings (see `AddressedPush`); `dialect`: the only version
        the push exists in (None: a canonical push every dialect renders)."""
        agent_ids = frozenset(a for a in agents if a)
        customer_ids = frozenset(c for c in customers if c)
        if agent_ids or customer_ids:
            self.pushes.append(AddressedPush(action, payload, agent_ids, customer_ids, meta or {}, dialect))


def not_found(kind: str, ident: Any) -> ErrorReply:
    """The uniform missing-entity error: `not_found`, "Chat PJ0... not found"."""
    return ErrorReply("not_found", f"{kind} {ident} not found")
