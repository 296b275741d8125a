"""The v3.6 customer side (`/v3.6/customer/action/<action>`) over the engine's one world.

What the simulator and tests need of the Customer Chat API v3.6: start_chat, resume_chat,
deactivate_chat, list_threads, get_chat, send_event, delete_event, mark_events_as_seen,
upload_file, send_rich_message_postback, send_sneak_peek and send_typing_indicator (an emulator
extension: v3.6 customers have sneak peeks only). The agent handlers of `v36.actions` do the work
(the store functions underneath know a customer principal: own chat only, routing, no
agent-only events); this module checks the customer's bodies and renders what a customer sees:
no `visibility` on events (a customer only ever sees events for everyone) and agents without
e-mail. Customer uploads expire like agents' (24 hours unless a file event uses them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from lcconsole.emulator.contract import ErrorReply, Outcome, Principal, UploadedFile
from lcconsole.emulator.engine import Engine, validation_message
from lcconsole.emulator.v36 import actions, deleted, extras, threads
from lcconsole.emulator.world import events
from lcconsole.emulator.world.ctx import Ctx
from lcconsole.emulator.world.customers import check_not_banned
from lcconsole.wire import requests as rq
from lcconsole.wire.v36 import customer as rq36c
from lcconsole.wire.v36 import requests as rq36
from lcconsole.wire.v36.actions import ACTIONS as AGENT_ACTIONS
from lcconsole.wire.v36.customer import CUSTOMER_REQUEST_MODELS

Handler = Callable[..., Outcome]

_AGENT_PRIVATE = ("email", "visibility", "events_seen_up_to")


def _event_view(event: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in event.items() if k != "visibility"}


def thread_view(thread: dict[str, Any]) -> dict[str, Any]:
    """A v3.6 thread as its customer sees it: events without `visibility`."""
    out = dict(thread)
    if "events" in out:
        out["events"] = [_event_view(e) for e in out["events"]]
    return out


def user_view(user: dict[str, Any]) -> dict[str, Any]:
    """A chat user as the customer sees it: agents without e-mail, visibility or seen time."""
    if user.get("type") != "agent":
        return user
    return {k: v for k, v in user.items() if k not in _AGENT_PRIVATE}


def chat_view(chat: dict[str, Any]) -> dict[str, Any]:
    """A v3.6 chat (`get_chat` shape) as its customer sees it."""
    out = {k: v for k, v in chat.items() if k != "is_followed"}
    out["users"] = [user_view(u) for u in chat.get("users", [])]
    if "thread" in out:
        out["thread"] = thread_view(out["thread"])
    return out


def _without_users(req: rq36c.StartChat | rq36c.ResumeChat) -> dict[str, Any]:
    """The body without `chat.users`: a customer's chat has the customer, routing adds agents."""
    data: dict[str, Any] = req.model_dump(exclude_none=True, by_alias=True)
    if isinstance(data.get("chat"), dict):
        data["chat"].pop("users", None)
    return data


def _start_chat(ctx: Ctx, req: rq36c.StartChat) -> Outcome:
    return actions.start_chat(ctx, rq36.StartChat.model_validate(_without_users(req)))


def _resume_chat(ctx: Ctx, req: rq36c.ResumeChat) -> Outcome:
    return actions.resume_chat(ctx, rq36.ResumeChat.model_validate(_without_users(req)))


def _get_chat(ctx: Ctx, req: rq36.GetChat) -> Outcome:
    return Outcome(chat_view(actions.get_chat(ctx, req).payload))


def _list_threads(ctx: Ctx, req: rq36.ListThreads) -> Outcome:
    out = threads.list_threads(ctx, req).payload
    return Outcome(dict(out, threads=[thread_view(t) for t in out["threads"]]))


def _upload_file(ctx: Ctx, req: rq36c.Empty, files: dict[str, UploadedFile]) -> Outcome:
    check_not_banned(ctx, ctx.me)
    return extras.upload_file(ctx, req, files)


def _sneak_peek(ctx: Ctx, req: rq36c.SendSneakPeek) -> Outcome:
    return events.send_sneak_peek(ctx, req)


def _typing(ctx: Ctx, req: rq36c.SendTypingIndicator) -> Outcome:
    events.send_typing_indicator(
        ctx, rq.SendTypingIndicator.model_validate({"chat_id": req.chat_id, "is_typing": req.is_typing})
    )
    return Outcome({})


HANDLERS: dict[str, Handler] = {
    "start_chat": _start_chat,
    "resume_chat": _resume_chat,
    "deactivate_chat": actions.deactivate_chat,
    "list_threads": _list_threads,
    "get_chat": _get_chat,
    "send_event": actions.send_event,
    "upload_file": _upload_file,
    "send_rich_message_postback": actions.send_rich_message_postback,
    "send_sneak_peek": _sneak_peek,
    "send_typing_indicator": _typing,
    "delete_event": deleted.delete_event,
    "mark_events_as_seen": actions.mark_events_as_seen,
}
"""v3.6 customer action -> handler(ctx, request[, files])."""

MULTIPART = frozenset(a for a in HANDLERS if a in AGENT_ACTIONS and AGENT_ACTIONS[a].multipart)
"""Customer actions that take a file (as the agent action of the same name does)."""
LEAVING = frozenset({"deactivate_chat"})
"""Actions after which the customer is no longer present."""


def execute(
    engine: Engine, principal: Principal, action: str, payload: Any, files: dict[str, UploadedFile] | None = None
) -> Outcome:
    """Run one v3.6 customer action for a customer principal."""
    handler = HANDLERS.get(action)
    if handler is None:
        raise ErrorReply("not_found", f"Unknown customer action: {action[:64]}")
    if principal.kind != "customer":
        raise ErrorReply("authorization", "Customer actions need a customer token")
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise ErrorReply("validation", "payload: must be a JSON object")
    if isinstance(payload.get("payload"), dict) and len(payload) == 1:
        payload = payload["payload"]  # the v3.0 wrapper, as on the agent side
    try:
        req = CUSTOMER_REQUEST_MODELS[action].model_validate(payload)
    except ValidationError as err:
        raise ErrorReply("validation", validation_message(err)) from None
    except (RecursionError, ValueError, TypeError):
        raise ErrorReply("validation", "payload: cannot be validated") from None
    if action in MULTIPART:
        return engine.run_customer_action(principal, action in LEAVING, lambda ctx: handler(ctx, req, files or {}))
    return engine.run_customer_action(principal, action in LEAVING, lambda ctx: handler(ctx, req))
