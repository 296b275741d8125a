"""The v3.6 dialect of the emulator: actions over the one engine, v3.6 objects and pushes.

`execute(engine, principal, action, payload, files)` validates a v3.6 body with the models of
`lcconsole.wire.v36`, checks the v3.6 scopes and runs the action in one engine transaction.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from lcconsole.emulator.contract import ErrorReply, Outcome, Principal, UploadedFile
from lcconsole.emulator.engine import Engine, validation_message
from lcconsole.emulator.v36.actions import HANDLERS
from lcconsole.emulator.v36.deleted import for_requester
from lcconsole.wire.v36.actions import ACTIONS
from lcconsole.wire.v36.requests import REQUEST_MODELS


def execute(
    engine: Engine, principal: Principal, action: str, payload: Any, files: dict[str, UploadedFile] | None = None
) -> Outcome:
    """Run one v3.6 agent action (the RTM-only ones too) for an agent principal."""
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise ErrorReply("validation", "payload: must be a JSON object")
    if isinstance(payload.get("payload"), dict) and len(payload) == 1:
        payload = payload["payload"]  # the v3.0 wrapper is still accepted (optional since 3.1)
    spec = ACTIONS.get(action)
    handler = HANDLERS.get(action)
    if spec is None or handler is None:
        raise ErrorReply("not_found", f"Unknown action: {action[:64]}")
    if principal.kind != "agent":
        raise ErrorReply("authorization", "Agent actions need an agent token")
    try:
        req = REQUEST_MODELS[action].model_validate(payload)
    except ValidationError as err:
        raise ErrorReply("validation", validation_message(err)) from None
    except (RecursionError, ValueError, TypeError):
        raise ErrorReply("validation", "payload: cannot be validated") from None
    if spec.multipart:
        return engine.run_action(principal, action, spec.scopes, lambda ctx: handler(ctx, req, files or {}))
    return engine.run_action(principal, action, spec.scopes, lambda ctx: for_requester(ctx, handler(ctx, req)))
