"""Deleted events (v3.6): the customer's `delete_event`, the `event_deleted` push, and what each
agent role sees of a deleted event.

A deleted event stays stored with `deleted = 1`. Customers never see it again (their reads leave
it out, `world.objects.thread_events`). Agents with the `administrator`, `viceowner` or `owner`
role see the original event with `"deleted": true`; `normal` agents get the documented Deleted
Event instead (`id, created_at, type, visibility, deleted, author_id?, custom_id?`), in responses
and in pushes alike. v3.0 has no deleted events: its objects show the event with the extra
`deleted` flag, and it gets no `event_deleted` push.
"""

from __future__ import annotations

from typing import Any

from lcconsole.emulator.contract import ErrorReply, Outcome
from lcconsole.emulator.world.access import audience, load_chat, load_thread
from lcconsole.emulator.world.ctx import Ctx
from lcconsole.wire.v36.customer import DeleteEvent

STUB_KEYS = ("id", "created_at", "type", "visibility", "deleted", "author_id", "custom_id")
SEES_DELETED = frozenset({"administrator", "viceowner", "owner"})
"""Roles that see a deleted event's content (with `deleted: true`)."""


def masks_for(permission: str | None) -> bool:
    """Does an agent of this role get Deleted Event stubs instead of deleted events?"""
    return permission not in SEES_DELETED


def mask(value: Any) -> Any:
    """`value` (a v3.6 payload) with every deleted event replaced by its stub (new containers
    only where something changed)."""
    if isinstance(value, dict):
        if value.get("deleted") is True and "created_at" in value and "type" in value:
            return {k: value[k] for k in STUB_KEYS if k in value}
        out = None
        for key, item in value.items():
            new = mask(item)
            if new is not item:
                if out is None:
                    out = dict(value)
                out[key] = new
        return value if out is None else out
    if isinstance(value, list):
        items = [mask(item) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=False)) else items
    return value


def any_deleted(ctx: Ctx) -> bool:
    """Is there a deleted event at all (a partial-index lookup)?"""
    return ctx.one("SELECT 1 FROM events WHERE deleted=1 LIMIT 1") is not None


def for_requester(ctx: Ctx, outcome: Outcome) -> Outcome:
    """The response as the requesting agent may see it (stubs for `normal` agents)."""
    if not outcome.payload or not any_deleted(ctx):
        return outcome
    row = ctx.one("SELECT permission FROM agents WHERE id=?", (ctx.me,))
    if row is None or not masks_for(row["permission"]):
        return outcome
    return Outcome(mask(outcome.payload), outcome.pushes)


def delete_event(ctx: Ctx, req: DeleteEvent) -> Outcome:
    """Customer side: delete one of the customer's own events; agents get `event_deleted`."""
    chat = load_chat(ctx, req.chat_id)
    thread = load_thread(ctx, chat["id"], req.thread_id)
    row = ctx.one("SELECT author_id, deleted FROM events WHERE id=? AND thread_id=?", (req.event_id, thread["id"]))
    if row is None:
        raise ErrorReply("not_found", f"Event {req.event_id} not found")
    if row["author_id"] != ctx.me:
        raise ErrorReply("missing_access", f"event_id: event {req.event_id} was not sent by the requester")
    if row["deleted"]:
        raise ErrorReply("validation", f"event_id: event {req.event_id} is already deleted")
    ctx.x("UPDATE events SET deleted=1 WHERE id=?", (req.event_id,))
    ctx.push(
        "event_deleted",
        {"chat_id": chat["id"], "thread_id": thread["id"], "event_id": req.event_id},
        audience(ctx, chat["id"]),
        [chat["customer_id"]],
        dialect="3.6",
    )
    return Outcome({})
