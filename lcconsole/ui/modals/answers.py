"""What the modals answer (`dismiss(answer)`); `None` always means cancelled.

Each answer says what the agent asked for; the gateway (`lcconsole.gateway`) turns them into the API
version's requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

PropertyLevel = Literal["chat", "thread", "event"]


@dataclass(frozen=True)
class StartChatRequest:
    """A chat to start: customer, first message, access group, thread tags."""

    customer_id: str
    message: str
    group_id: int | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class TransferRequest:
    """A transfer target: `target_type` "agent" (string ids) or "group" (int ids)."""

    target_type: Literal["agent", "group"]
    ids: tuple[str | int, ...]
    force: bool = False


@dataclass(frozen=True)
class UserChange:
    """An agent (or customer) to add to or remove from a chat."""

    action: Literal["add", "remove"]
    user_id: str
    user_type: Literal["agent", "customer"] = "agent"


@dataclass(frozen=True)
class GroupAccessChange:
    """Grant, revoke or set one group's access to a chat."""

    action: Literal["grant", "revoke", "set"]
    group_id: int


@dataclass(frozen=True)
class PropertyChange:
    """A property update (`value` set) or deletion (`delete=True`, `names` to delete).

    For an update `namespace`/`name`/`value` describe one property; for a deletion `names`
    holds every `(namespace, name)` picked.
    """

    level: PropertyLevel
    namespace: str = ""
    name: str = ""
    value: int | bool | str | None = None
    delete: bool = False
    names: tuple[tuple[str, str], ...] = ()

    def properties(self) -> dict[str, Any]:
        """The `properties` argument: `{ns: {name: value}}` or, for deletes, `{ns: [names]}`."""
        if not self.delete:
            return {self.namespace: {self.name: self.value}}
        out: dict[str, list[str]] = {}
        for ns, name in self.names:
            out.setdefault(ns, []).append(name)
        return out


@dataclass(frozen=True)
class CustomerData:
    """A new customer (customer_id None) or a customer's new details; None fields are not sent."""

    customer_id: str | None = None
    name: str | None = None
    email: str | None = None
    avatar: str | None = None
    fields: dict[str, str] | None = field(default=None, hash=False)


@dataclass(frozen=True)
class MulticastRequest:
    """A multicast: at least one recipient, an optional type and any JSON content."""

    content: Any = field(hash=False)
    all_agents: bool = False
    agent_ids: tuple[str, ...] = ()
    group_ids: tuple[int, ...] = ()
    customer_ids: tuple[str, ...] = ()
    type: str | None = None


@dataclass(frozen=True)
class AttachRequest:
    """An existing file to send as a file (`as_image` False) or an inline image (`as_image` True)."""

    path: Path
    as_image: bool = False
