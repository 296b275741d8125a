"""What the canonical model cannot check in a raw v3.6 login: the fields only v3.6 has (a customer's
`phone_number`, a thread's `queue`, an event's `deleted`, …) that the conversion does not turn into
canonical ones, as lean models of those fields alone (others ignored).

`canonical.read_login` checks the server's answer with `Login` and the canonical model, so the full
v3.6 model (`responses`: ~40 ms to import and build) is needed only when one of them refuses it.
Stricter than `responses` is harmless (that answer is then read the slow way); tests/wire/
test_v36_login.py keeps these fields in step with `responses`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Lean(BaseModel):
    model_config = ConfigDict(defer_build=True)  # (unknown fields ignored: the canonical model keeps them)


class Queue(_Lean):
    position: int | None = None
    wait_time: int | None = None
    queued_at: str | None = None


class Ecommerce(_Lean):
    product_id: str | None = None
    option_id: str | None = None
    quantity: int | None = None


class Postback(_Lean):
    ecommerce: Ecommerce | None = None


class Event(_Lean):
    deleted: bool | None = None
    alternative_text: str | None = None
    form_type: str | None = None
    postback: Postback | None = None


class LastEvent(_Lean):
    event: Event | None = None


class ThreadSummary(_Lean):
    queue: Queue | None = None


class User(_Lean):
    """An agent's and a customer's v3.6-only fields (either may come)."""

    visibility: str | None = None
    email_verified: bool | None = None
    phone_number: str | None = None
    followed: bool | None = None
    online: bool | None = None
    group_ids: list[int] = Field(default_factory=list)
    state: str | None = None
    chat_ids: list[str] | None = None
    tickets: list[dict[str, Any]] | None = None
    carts: list[dict[str, Any]] | None = None
    omnichannel: dict[str, Any] | None = None
    address: dict[str, Any] | None = None


class ChatSummary(_Lean):
    users: list[User] = Field(default_factory=list)
    last_event_per_type: dict[str, LastEvent] = Field(default_factory=dict)
    last_thread_summary: ThreadSummary | None = None


class Login(_Lean):
    chats_summary: list[ChatSummary] = Field(default_factory=list)
