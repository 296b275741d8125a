"""The API versions the emulator speaks over its one world, and per-version push frames.

Actions arrive at `/v<version>/agent/...`; `execute` runs them in that version's dialect
(v3.0: the engine's own actions; v3.6: `emulator/v36`). Pushes are produced once, canonical
(v3.0-shaped), and `render_push` gives each socket its own version's name and shape.
"""

from __future__ import annotations

from typing import Any

from lcconsole.emulator import v36
from lcconsole.emulator.contract import AddressedPush, ErrorReply, Outcome, Payload, Principal, UploadedFile
from lcconsole.emulator.engine import Engine
from lcconsole.emulator.v36 import customer as v36_customer
from lcconsole.emulator.v36.pushes import render as render_v36
from lcconsole.wire.limits import LimitExceeded, check_payload

V30 = "3.0"
V36 = "3.6"
VERSIONS = (V30, V36)


def check_version(version: str) -> str:
    """`version` itself, or `unsupported_version` for anything the emulator does not serve."""
    if version not in VERSIONS:
        raise ErrorReply(
            "unsupported_version", f"Unsupported API version {version[:16]!r}; use one of " + ", ".join(VERSIONS)
        )
    return version


def older(version: str, than: str) -> bool:
    """Is `version` lower than `than` (both served versions)?"""
    return VERSIONS.index(version) < VERSIONS.index(than)


def execute(
    engine: Engine,
    version: str,
    principal: Principal,
    action: str,
    payload: Any,
    files: dict[str, UploadedFile] | None = None,
) -> Outcome:
    """Run one action (an agent's or a customer's) in `version`'s dialect, once its payload
    is within the size limits of `lcconsole.wire.limits`."""
    check_sizes(payload)
    if version == V36:
        if principal.kind == "customer":
            return v36_customer.execute(engine, principal, action, payload, files)
        return v36.execute(engine, principal, action, payload, files)
    return engine.execute(principal, action, payload, files)


def check_sizes(payload: Any) -> None:
    """`validation` for a field over its limit, `entity_too_large` for a request whose text
    together is over the budget (`lcconsole.wire.limits`)."""
    try:
        check_payload(payload)
    except LimitExceeded as exc:
        raise ErrorReply("entity_too_large" if exc.too_large else "validation", str(exc)) from None


def render_push(push: AddressedPush, version: str) -> tuple[str, Payload] | None:
    """`(name, payload)` of a push in `version`, or None when that version has no such push."""
    if version == V36:
        return render_v36(push)
    if push.dialect not in (None, V30):
        return None
    return push.action, push.payload
