"""Result dataclasses returned by the modals (`dismiss(result)`); `None` always means cancelled.

Each has a `payload()` giving the exact request fragment of the v3.0 action it feeds, so the
screen only adds `chat_id` / `customer_id` and calls the client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

PropertyLevel = Literal["chat", "thread", "event"]


@dataclass(frozen=True)
class StartChatRequest:
    """start_chat: customer, first message, access group, thread tags."""

    customer_id: str
    message: str
    group_id: int | None = None
    tags: tuple[str, ...] = ()

    def payload(self) -> dict[str, Any]:
        """The `start_chat` body."""
        thread: dict[str, Any] = {}
        if self.message:
            thread["events"] = [{"type": "message", "text": self.message, "recipients": "all"}]
        if self.tags:
            thread["tags"] = list(self.tags)
        chat: dict[str, Any] = {"users": [{"id": self.customer_id, "type": "customer"}]}
        if self.group_id is not None:
            chat["access"] = {"group_ids": [self.group_id]}
        if thread:
            chat["thread"] = thread
        return {"chat": chat}


@dataclass(frozen=True)
class TransferRequest:
    """transfer_chat target: `target_type` "agent" (string ids) or "group" (int ids)."""

    target_type: Literal["agent", "group"]
    ids: tuple[str | int, ...]
    force: bool = False

    def payload(self) -> dict[str, Any]:
        """The `transfer_chat` body without chat_id."""
        return {"target": {"type": self.target_type, "ids": list(self.ids)}, "force": self.force}


@dataclass(frozen=True)
class UserChange:
    """add_user_to_chat / remove_user_from_chat."""

    action: Literal["add", "remove"]
    user_id: str
    user_type: Literal["agent", "customer"] = "agent"

    def payload(self) -> dict[str, Any]:
        """The body without chat_id."""
        return {"user_id": self.user_id, "user_type": self.user_type}


@dataclass(frozen=True)
class GroupAccessChange:
    """grant_access / revoke_access / set_access of one group on a chat."""

    action: Literal["grant", "revoke", "set"]
    group_id: int

    def payload(self, chat_id: str) -> dict[str, Any]:
        """The full request body (v3.0 shape)."""
        return {"resource": "chat", "id": chat_id, "access": {"type": "group", "id": self.group_id}}


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
    """create_customer (customer_id None) or update_customer data; None fields are not sent."""

    customer_id: str | None = None
    name: str | None = None
    email: str | None = None
    avatar: str | None = None
    fields: dict[str, str] | None = field(default=None, hash=False)

    def payload(self) -> dict[str, Any]:
        """The request body (customer_id included only for updates)."""
        body = {"customer_id": self.customer_id, "name": self.name, "email": self.email,
                "avatar": self.avatar, "fields": self.fields}
        return {k: v for k, v in body.items() if v is not None}


@dataclass(frozen=True)
class MulticastRequest:
    """multicast: at least one scope, an optional type and any JSON content."""

    content: Any = field(hash=False)
    all_agents: bool = False
    agent_ids: tuple[str, ...] = ()
    group_ids: tuple[int, ...] = ()
    customer_ids: tuple[str, ...] = ()
    type: str | None = None

    def scopes(self) -> dict[str, Any]:
        """The `scopes` object (only the parts that were chosen)."""
        agents: dict[str, Any] = {}
        if self.all_agents:
            agents["all"] = True
        if self.agent_ids:
            agents["ids"] = list(self.agent_ids)
        if self.group_ids:
            agents["groups"] = list(self.group_ids)
        scopes: dict[str, Any] = {}
        if agents:
            scopes["agents"] = agents
        if self.customer_ids:
            scopes["customers"] = {"ids": list(self.customer_ids)}
        return scopes

    def payload(self) -> dict[str, Any]:
        """The `multicast` body."""
        body: dict[str, Any] = {"scopes": self.scopes(), "content": self.content}
        if self.type:
            body["type"] = self.type
        return body


@dataclass(frozen=True)
class AttachRequest:
    """send_file (`as_image` False) or upload_image (`as_image` True) of an existing file."""

    path: Path
    as_image: bool = False
