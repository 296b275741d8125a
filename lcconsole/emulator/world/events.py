"""Event actions: send_event, typing indicators, sneak peeks, rich-message postbacks."""

from __future__ import annotations

import sqlite3
from typing import Any, Protocol

from lcconsole.emulator.contract import ErrorReply, Outcome
from lcconsole.emulator.world.access import audience, last_thread, load_chat, load_thread
from lcconsole.emulator.world.ctx import Ctx, dumps, loads, not_found
from lcconsole.emulator.world.customers import check_not_banned
from lcconsole.emulator.world.objects import agent_obj, announce_thread, event_obj
from lcconsole.emulator.world.threads import (
    add_chat_user,
    author_of,
    insert_event,
    member_last_seen,
    open_thread,
    prepare_event,
    route_chat,
)
from lcconsole.wire import requests as rq


class SneakPeekIn(Protocol):
    """A v3.0 or v3.6 customer send_sneak_peek request."""

    @property
    def chat_id(self) -> str: ...

    @property
    def sneak_peek_text(self) -> str: ...


def place_event(
    ctx: Ctx, chat: sqlite3.Row, ev: dict[str, Any], attach_to_last: bool = False, require_active: bool = False
) -> tuple[str, dict[str, Any]]:
    """Store an event where the v3.0 rules put it and queue its pushes; (thread_id, event).

    * active chat: the event joins the active thread (incoming_event);
    * inactive chat and require_active -> `chat_inactive`;
    * inactive chat and attach_to_last -> appended to the last (closed) thread;
    * otherwise a new thread is opened (incoming_chat_thread instead of incoming_event); a thread
      opened by a customer goes through routing (see routing.py).

    Like the real API, a repeated `custom_id` is stored again (clients check for it themselves
    before re-sending, e.g. with get_chat_threads).
    """
    chat_id = chat["id"]
    thread = _last_thread(ctx, chat)
    new_thread = False
    if thread is not None and thread["active"]:
        thread_id = thread["id"]
    elif require_active:
        raise ErrorReply("chat_inactive", f"Chat {chat_id} is inactive")
    elif attach_to_last and thread is not None:
        thread_id = thread["id"]
    else:
        thread_id = open_thread(ctx, chat_id)
        new_thread = True
        if ctx.is_agent:
            add_chat_user(ctx, chat_id, ctx.me, "agent")
        else:
            route_chat(ctx, chat_id)
    joined = in_thread = False
    if ctx.is_agent and not new_thread and ev["recipients"] == "all":
        in_thread = bool(thread is not None and thread["active"])  # the agent is (made) a user of it
        if thread is None or not in_thread or not _member_of(ctx, thread):
            joined = add_chat_user(ctx, chat_id, ctx.me, "agent")
    known = None if new_thread or thread is None else (thread["events_count"], chat["customer_id"])
    event = insert_event(ctx, chat_id, thread_id, author_of(ctx, ev), ev, author_in_thread=in_thread, known=known)
    customer = chat["customer_id"]
    if new_thread:
        fresh = ctx.row("SELECT * FROM chats WHERE id=?", (chat_id,))
        thread = ctx.row("SELECT * FROM threads WHERE id=?", (thread_id,))
        announce_thread(ctx, fresh, thread, audience(ctx, chat_id, broad=True))
        return thread_id, event
    if joined:
        row = ctx.row("SELECT * FROM agents WHERE id=?", (ctx.me,))
        ctx.push(
            "chat_user_added",
            {
                "chat_id": chat_id,
                "thread_id": thread_id,
                "user": agent_obj(row, member_last_seen(ctx, chat_id, ctx.me)),
                "user_type": "agent",
            },
            audience(ctx, chat_id, broad=True),
            [customer],
            meta={"requester_id": ctx.me, "reason": "manual"},
        )
    ctx.push(
        "incoming_event",
        {"chat_id": chat_id, "thread_id": thread_id, "event": event},
        audience(ctx, chat_id),
        [customer] if event["recipients"] == "all" else [],
    )
    return thread_id, event


_LAST_THREAD = (
    "SELECT id, active, user_ids, events_count,"
    " EXISTS (SELECT 1 FROM chat_users WHERE chat_id=threads.chat_id AND user_id=?) AS requester_is_member"
    " FROM threads WHERE id=?"
)


def _last_thread(ctx: Ctx, chat: sqlite3.Row) -> sqlite3.Row | None:
    """The chat's last thread (`id`, `active`, `user_ids`) and whether the requester is a member of
    the chat (`_member_of`): what `place_event` reads, in one statement."""
    if chat["last_thread_id"] is None:
        return None
    return ctx.one(_LAST_THREAD, (ctx.me, chat["last_thread_id"]))


def _member_of(ctx: Ctx, thread: sqlite3.Row) -> bool:
    """Is the acting agent a member of the chat and a user of its active `thread` (read by
    `_last_thread`) already? (No write then: `add_chat_user` would write twice, for the agent who
    keeps writing in a chat.)"""
    return bool(thread["requester_is_member"]) and ctx.me in loads(thread["user_ids"], [])


def send_event(ctx: Ctx, req: rq.SendEvent) -> Outcome:
    """send_event for agents and customers."""
    chat = load_chat(ctx, req.chat_id)
    if not ctx.is_agent:
        check_not_banned(ctx, ctx.me)
        if req.event.type == "system_message":
            raise ErrorReply("validation", "event.type: customers cannot send system messages")
    ev = prepare_event(req.event)
    if not ctx.is_agent:
        ev["recipients"] = "all"
    # annotations never open a thread: they go to the last one (docs/api-notes.md §2.3)
    attach = bool(req.attach_to_last_thread) or ev["type"] == "annotation"
    thread_id, event = place_event(ctx, chat, ev, attach, bool(req.require_active_thread))
    return Outcome({"thread_id": thread_id, "event": event})


def _typing_payload(ctx: Ctx, chat: sqlite3.Row, recipients: str, extra: dict[str, Any]) -> dict[str, Any]:
    thread = last_thread(ctx, chat)
    return {
        "chat_id": chat["id"],
        "thread_id": thread["id"] if thread else None,
        **{k: {"author_id": ctx.me, "recipients": recipients, "timestamp": ctx.ts, **v} for k, v in extra.items()},
    }


def send_typing_indicator(ctx: Ctx, req: rq.SendTypingIndicator) -> Outcome:
    """Push incoming_typing_indicator to the other side of the chat."""
    chat = load_chat(ctx, req.chat_id)
    recipients = getattr(req, "recipients", None) or "all"
    if not ctx.is_agent:
        check_not_banned(ctx, ctx.me)
        recipients = "all"
    payload = _typing_payload(ctx, chat, recipients, {"typing_indicator": {"is_typing": req.is_typing}})
    agents = audience(ctx, chat["id"], exclude=[ctx.me])
    customers = [chat["customer_id"]] if ctx.is_agent and recipients == "all" else []
    ctx.push("incoming_typing_indicator", payload, agents, customers)
    return Outcome({})


def send_sneak_peek(ctx: Ctx, req: SneakPeekIn) -> Outcome:
    """Customer only: push incoming_sneak_peek (the text being typed) to the chat's agents."""
    chat = load_chat(ctx, req.chat_id)
    check_not_banned(ctx, ctx.me)
    if len(req.sneak_peek_text.encode("utf-8", "surrogatepass")) > 16 * 1024:
        raise ErrorReply("validation", "sneak_peek_text: longer than 16384 bytes")
    payload = _typing_payload(ctx, chat, "agents", {"sneak_peek": {"text": req.sneak_peek_text}})
    ctx.push("incoming_sneak_peek", payload, audience(ctx, chat["id"]))
    return Outcome({})


def send_rich_message_postback(ctx: Ctx, req: rq.SendRichMessagePostback) -> Outcome:
    """Toggle the requester in `user_ids` of every button with the postback id."""
    chat = load_chat(ctx, req.chat_id)
    if not ctx.is_agent:
        check_not_banned(ctx, ctx.me)
    thread = load_thread(ctx, chat["id"], req.thread_id)
    row = ctx.one("SELECT * FROM events WHERE id=? AND thread_id=?", (req.event_id, thread["id"]))
    if row is None or (not ctx.is_agent and row["recipients"] != "all"):
        raise not_found("Event", req.event_id)
    if row["type"] != "rich_message":
        raise ErrorReply("validation", f"event_id: event {req.event_id} is not a rich_message")
    body = loads(row["body"], {})
    found = False
    for element in body.get("elements", []):
        for button in element.get("buttons", []) or []:
            if button.get("postback_id") != req.postback.id:
                continue
            found = True
            ids = [u for u in button.get("user_ids", []) if u != ctx.me]
            if req.postback.toggled:
                ids.append(ctx.me)
            button["user_ids"] = ids
    if not found:
        raise ErrorReply("validation", f"postback.id: no button with postback id {req.postback.id!r}")
    ctx.x("UPDATE events SET body=? WHERE id=?", (dumps(body), row["id"]))
    event = event_obj(ctx.row("SELECT * FROM events WHERE id=?", (row["id"],)), ctx.engine.base_url)
    agents = audience(ctx, chat["id"])
    customers = [chat["customer_id"]] if row["recipients"] == "all" else []
    if thread["active"]:
        ctx.push(
            "incoming_rich_message_postback",
            {
                "user_id": ctx.me,
                "chat_id": chat["id"],
                "thread_id": thread["id"],
                "event_id": row["id"],
                "postback": {"id": req.postback.id, "toggled": req.postback.toggled},
            },
            agents,
            customers,
        )
    ctx.push("event_updated", {"chat_id": chat["id"], "thread_id": thread["id"], "event": event}, agents, customers)
    return Outcome({})
