"""The contract between the emulator's engine (state + semantics) and its transports (HTTP, RTM).

The engine executes one action for one principal inside one SQLite transaction and returns an
`Outcome`: the response payload plus the pushes the change causes, each addressed to the agents
(and customers) who should receive it. Transports only serialise, route and fan out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from lcconsole.wire.errors import ERROR_TYPES


@dataclass(frozen=True)
class Principal:
    """Who is calling: an agent (id = e-mail, with scopes) or a customer (id = UUID)."""

    kind: Literal["agent", "customer"]
    id: str
    scopes: frozenset[str] = frozenset()


Payload = dict[str, Any] | list[Any]
"""A push payload: an object, or (one v3.6 push, queue positions) an array."""


@dataclass
class AddressedPush:
    """One push to deliver: `{"action": action, "type": "push", "payload": payload}`.

    `action`/`payload` are canonical (v3.0-shaped) unless `dialect` names the one version the
    push exists in. `meta` holds facts other dialects render that the v3.0 payload lacks
    (`emulator/dialects.py`); it is never sent as such.
    """

    action: str
    payload: Payload  # a list only for the v3.6 push that is an array (queue positions)
    agent_ids: frozenset[str] = frozenset()
    customer_ids: frozenset[str] = frozenset()
    meta: dict[str, Any] = field(default_factory=dict)
    dialect: str | None = None

    @property
    def fields(self) -> dict[str, Any]:
        """The payload of a push that is an object (all but the v3.6 queue positions)."""
        if not isinstance(self.payload, dict):
            raise TypeError(f"{self.action}: the payload is an array")
        return self.payload


@dataclass
class Outcome:
    """Result of one action: the response payload (`{}` when none) and the pushes it causes."""

    payload: dict[str, Any] = field(default_factory=dict)
    pushes: list[AddressedPush] = field(default_factory=list)


@dataclass
class UploadedFile:
    """A file part received by send_file / upload_image."""

    filename: str
    content_type: str
    data: bytes


class ErrorReply(Exception):
    """An error the emulator answers with the LiveChat envelope."""

    def __init__(self, type: str, message: str | None = None, data: dict[str, Any] | None = None):
        self.type = type
        self.message = message or ERROR_TYPES.get(type, ("Error", 500))[0]
        self.data = data
        super().__init__(f"{type}: {self.message}")


def attempt(call: Callable[[], Any]) -> tuple[bool, Any]:
    """`(True, call())`, or `(False, the exception)`: one call of a batch, its failure kept for
    its own caller (`Engine.run_batch`, `Hub`)."""
    try:
        return True, call()
    except Exception as exc:
        return False, exc
