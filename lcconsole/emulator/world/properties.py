"""Chat, thread and event properties (plain values in, `{"value": v}` out) and thread tags."""

from __future__ import annotations

from typing import Any, Protocol

from lcconsole.emulator.contract import Outcome
from lcconsole.emulator.world.access import audience, load_chat, load_thread
from lcconsole.emulator.world.ctx import Ctx, dumps, loads, not_found
from lcconsole.emulator.world.objects import props_out
from lcconsole.emulator.world.threads import check_properties, merge_props
from lcconsole.wire import requests as rq

Updates = rq.UpdateChatProperties | rq.UpdateChatThreadProperties | rq.UpdateEventProperties
Deletes = rq.DeleteChatProperties | rq.DeleteChatThreadProperties | rq.DeleteEventProperties


class ThreadTag(Protocol):
    """A v3.0 or v3.6 tag/untag request."""

    chat_id: str
    thread_id: str
    tag: str


def _target(ctx: Ctx, req: Updates | Deletes) -> tuple[str, str, str, dict[str, Any]]:
    """(table, row id, push prefix, ids for the push payload) of the property owner."""
    chat = load_chat(ctx, req.chat_id)
    ids: dict[str, Any] = {"chat_id": chat["id"]}
    if isinstance(req, rq.UpdateChatProperties | rq.DeleteChatProperties):
        return "chats", chat["id"], "chat_properties", ids
    thread = load_thread(ctx, chat["id"], req.thread_id)
    ids["thread_id"] = thread["id"]
    if isinstance(req, rq.UpdateChatThreadProperties | rq.DeleteChatThreadProperties):
        return "threads", thread["id"], "chat_thread_properties", ids
    row = ctx.one("SELECT id FROM events WHERE id=? AND thread_id=?", (req.event_id, thread["id"]))
    if row is None:
        raise not_found("Event", req.event_id)
    ids["event_id"] = row["id"]
    return "events", row["id"], "event_properties", ids


def _update(ctx: Ctx, req: Updates) -> Outcome:
    table, row_id, prefix, ids = _target(ctx, req)
    changes = check_properties(req.properties)
    if changes:
        stored = loads(ctx.row(f"SELECT properties FROM {table} WHERE id=?", (row_id,))[0], {})
        ctx.x(f"UPDATE {table} SET properties=? WHERE id=?", (dumps(merge_props(stored, changes)), row_id))
        ctx.push(f"{prefix}_updated", {**ids, "properties": props_out(changes)}, audience(ctx, ids["chat_id"]))
    return Outcome({})


def _delete(ctx: Ctx, req: Deletes) -> Outcome:
    table, row_id, prefix, ids = _target(ctx, req)
    stored = loads(ctx.row(f"SELECT properties FROM {table} WHERE id=?", (row_id,))[0], {})
    deleted: dict[str, list[str]] = {}
    for ns, names in req.properties.items():
        for name in names:
            if name in stored.get(ns, {}):
                del stored[ns][name]
                deleted.setdefault(ns, []).append(name)
        if ns in stored and not stored[ns]:
            del stored[ns]
    if deleted:
        ctx.x(f"UPDATE {table} SET properties=? WHERE id=?", (dumps(stored), row_id))
        ctx.push(f"{prefix}_deleted", {**ids, "properties": deleted}, audience(ctx, ids["chat_id"]))
    return Outcome({})


def update_chat_properties(ctx: Ctx, req: rq.UpdateChatProperties) -> Outcome:
    return _update(ctx, req)


def update_chat_thread_properties(ctx: Ctx, req: rq.UpdateChatThreadProperties) -> Outcome:
    return _update(ctx, req)


def update_event_properties(ctx: Ctx, req: rq.UpdateEventProperties) -> Outcome:
    return _update(ctx, req)


def delete_chat_properties(ctx: Ctx, req: rq.DeleteChatProperties) -> Outcome:
    return _delete(ctx, req)


def delete_chat_thread_properties(ctx: Ctx, req: rq.DeleteChatThreadProperties) -> Outcome:
    return _delete(ctx, req)


def delete_event_properties(ctx: Ctx, req: rq.DeleteEventProperties) -> Outcome:
    return _delete(ctx, req)


def _tag(ctx: Ctx, req: ThreadTag, add: bool) -> Outcome:
    chat = load_chat(ctx, req.chat_id)
    thread = load_thread(ctx, chat["id"], req.thread_id)
    tags = loads(thread["tags"], [])
    if (req.tag in tags) == add:
        return Outcome({})
    tags = sorted(set(tags) | {req.tag}) if add else [t for t in tags if t != req.tag]
    ctx.x("UPDATE threads SET tags=? WHERE id=?", (dumps(tags), thread["id"]))
    ctx.push(
        "chat_thread_tagged" if add else "chat_thread_untagged",
        {"chat_id": chat["id"], "thread_id": thread["id"], "tag": req.tag},
        audience(ctx, chat["id"]),
    )
    return Outcome({})


def tag_chat_thread(ctx: Ctx, req: ThreadTag) -> Outcome:
    return _tag(ctx, req, True)


def untag_chat_thread(ctx: Ctx, req: ThreadTag) -> Outcome:
    return _tag(ctx, req, False)
