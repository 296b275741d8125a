"""Connection state, backoff policy and the `agent_disconnected` rules (docs/api-notes.md §3.5)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Literal

Status = Literal["connecting", "connected", "reconnecting", "offline"]


@dataclass(frozen=True)
class ConnectionState:
    """What the status bar shows: status, a human reason, the reconnect attempt and the delay
    before the next attempt (None while an attempt is running). `code` is the machine reason
    (an `agent_disconnected` reason or an error type) when there is one."""

    status: Status
    reason: str | None = None
    attempt: int = 0
    retry_in: float | None = None
    code: str | None = None

    @property
    def waiting(self) -> bool:
        """Reconnecting, and waiting `retry_in` seconds before the next attempt."""
        return self.status == "reconnecting" and self.retry_in is not None


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: attempt n waits `initial * multiplier**(n-1)`, capped at
    `maximum`, then scaled by a random factor in `[1 - jitter, 1 + jitter]`.

    The cap is short, as LiveChat's own chat SDK's (1-4 s, docs/api-notes.md): an agent's
    console back a few seconds after the network is, not half a minute."""

    initial: float = 0.5
    maximum: float = 4.0
    jitter: float = 0.2
    multiplier: float = 2.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait before reconnect attempt `attempt` (1-based)."""
        base = min(self.maximum, self.initial * self.multiplier ** max(0, attempt - 1))
        if self.jitter:
            base *= random.uniform(1.0 - self.jitter, 1.0 + self.jitter)
        return max(0.0, base)


RECONNECT_REASONS = frozenset(
    {
        "connection_timeout",
        "internal_error",
        "too_many_connections",
        "too_many_unauthorized_connections",
    }
)
"""`agent_disconnected` reasons after which we reconnect (with backoff)."""

STOP_REASONS = frozenset(
    {
        "access_token_revoked",
        "license_expired",
        "agent_deleted",
        "agent_logged_out_remotely",
        "agent_disconnected_by_server",
        "unsupported_version",
        "misdirected_connection",
        "product_version_changed",
        "license_not_found",
    }
)
"""`agent_disconnected` reasons after which we stay offline."""

_HUMAN = {
    "access_token_revoked": "the access token was revoked; sign in again",
    "access_token_expired": "the access token expired; sign in again",
    "license_expired": "the LiveChat license has expired",
    "agent_deleted": "this agent account was deleted",
    "agent_logged_out_remotely": "logged out remotely (another device or an administrator)",
    "agent_disconnected_by_server": "disconnected by the server",
    "unsupported_version": "the server no longer supports this API version (v3.0)",
    "connection_timeout": "the server timed out the connection (no login or ping in time)",
    "internal_error": "the server had an internal error",
    "too_many_connections": "too many connections for this agent",
    "too_many_unauthorized_connections": "too many unauthorized connections",
    "misdirected_connection": "this licence lives in another region",
    "product_version_changed": "the licence's product version changed",
    "license_not_found": "the LiveChat license was not found",
}


def should_reconnect(reason: str, can_refresh_token: bool = False, stop_reasons: frozenset[str] = STOP_REASONS) -> bool:
    """Whether to reconnect after `agent_disconnected` with `reason` (`stop_reasons`: the API
    version's final reasons, v3.0's by default).

    `access_token_expired` reconnects only when a new token can be obtained; unknown reasons
    reconnect (with backoff), since only the listed ones are documented as final."""
    if reason == "access_token_expired":
        return can_refresh_token
    return reason not in stop_reasons


def describe_disconnect(reason: str, data: dict[str, Any] | None = None, texts: dict[str, str] | None = None) -> str:
    """A human sentence for an `agent_disconnected` reason (`texts`: the version's own sentences)."""
    text = (texts or {}).get(reason) or _HUMAN.get(reason, f"disconnected by the server ({reason})")
    region = (data or {}).get("region") if isinstance(data, dict) else None
    if reason == "misdirected_connection" and region:
        text += f" (use region {region!s})"
    return text
