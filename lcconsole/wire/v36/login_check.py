"""What the canonical model cannot check in a raw v3.6 login: the fields only v3.6 has (a customer's
`phone_number`, a thread's `queue`, an event's `deleted`, …) that the conversion does not turn into
canonical ones, with their types as `wire.v36.responses` declares them.

`canonical.read_login` reads the server's answer with the canonical model and `fits`, so the v3.6
model (~40 ms to import and build before the chat list) is needed only when either refuses it. A
plain walk, not a model: building one costs more than checking 100 chats. Stricter than pydantic
is harmless (that answer is then read the slow way); tests/wire/test_v36_login.py keeps these
types equal to `responses`.
"""

from __future__ import annotations

from types import UnionType
from typing import Any, get_args, get_origin

# A type is what pydantic would check; a dict is a nested object (or null) with its own fields.
ECOMMERCE: dict[str, Any] = {"product_id": str | None, "option_id": str | None, "quantity": int | None}
POSTBACK: dict[str, Any] = {"ecommerce": ECOMMERCE}
EVENT: dict[str, Any] = {
    "deleted": bool | None,
    "alternative_text": str | None,
    "form_type": str | None,
    "postback": POSTBACK,
}
QUEUE: dict[str, Any] = {"position": int | None, "wait_time": int | None, "queued_at": str | None}
THREAD_SUMMARY: dict[str, Any] = {"queue": QUEUE}
USER: dict[str, Any] = {  # an agent's and a customer's (either may come)
    "visibility": str | None,
    "email_verified": bool | None,
    "phone_number": str | None,
    "followed": bool | None,
    "online": bool | None,
    "group_ids": list[int],
    "state": str | None,
    "chat_ids": list[str] | None,
    "tickets": list[dict[str, Any]] | None,
    "carts": list[dict[str, Any]] | None,
    "omnichannel": dict[str, Any] | None,
    "address": dict[str, Any] | None,
}


def fits(login: dict[str, Any]) -> bool:
    """Whether the v3.6-only fields of a login answer (whose shape the canonical model accepted)
    have their v3.6 types."""
    for summary in login.get("chats_summary", ()):
        if not all(_fits(user, USER) for user in summary.get("users", ())):
            return False
        if not all(_fits(last.get("event"), EVENT) for last in summary.get("last_event_per_type", {}).values()):
            return False
        if not _fits(summary.get("last_thread_summary"), THREAD_SUMMARY):
            return False
    return True


def _fits(value: Any, kind: Any) -> bool:
    if isinstance(kind, dict):
        return value is None or (
            type(value) is dict and all(_fits(value[name], k) for name, k in kind.items() if name in value)
        )
    if isinstance(kind, UnionType):
        return any(_fits(value, k) for k in get_args(kind))
    if get_origin(kind) is list:
        return type(value) is list and all(_fits(item, get_args(kind)[0]) for item in value)
    if get_origin(kind) is dict:
        return type(value) is dict  # (JSON keys are strings; the values are Any)
    return type(value) is kind
