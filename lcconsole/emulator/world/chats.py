"""Chat actions: start/activate/close, transfer, chat users, get_chat_threads."""

from __future__ import annotations

import sqlite3
from typing import Any, Protocol

from lcconsole.emulator.contract import ErrorReply, Outcome
from lcconsole.emulator.world.access import audience, is_member, last_thread, load_chat, member_agents
from lcconsole.emulator.world.ctx import Ctx, dumps, loads, not_found
from lcconsole.emulator.world.customers import check_not_banned, visible_customer_row
from lcconsole.emulator.world.following import note_chat
from lcconsole.emulator.world.objects import agent_obj, announce_thread, chat_access, chat_obj, customer_obj
from lcconsole.emulator.world.queue import queue_of
from lcconsole.emulator.world.routing import available, pick_agent
from lcconsole.emulator.world.threads import (
    add_chat_user,
    author_of,
    check_properties,
    insert_event,
    member_last_seen,
    merge_props,
    open_thread,
    prepare_event,
    remove_chat_user,
    route_chat,
    system_event,
)
from lcconsole.wire import requests as rq
from lcconsole.wire.actions import CHATS_RW
from lcconsole.wire.scopes import best_level


def _agent_name(ctx: Ctx, agent_id: str) -> str:
    row = ctx.one("SELECT name FROM agents WHERE id=?", (agent_id,))
    return row["name"] if row else agent_id


def _requester_name(ctx: Ctx) -> str:
    if ctx.is_agent:
        return _agent_name(ctx, ctx.me)
    row = ctx.one("SELECT name FROM customers WHERE id=?", (ctx.me,))
    return (row["name"] if row else None) or "Customer"


def _thread(ctx: Ctx, thread_id: str) -> sqlite3.Row:
    return ctx.row("SELECT * FROM threads WHERE id=?", (thread_id,))


class MemberChange(Protocol):
    """A v3.0 or v3.6 add/remove user request."""

    @property
    def chat_id(self) -> str: ...

    @property
    def user_id(self) -> str: ...

    @property
    def user_type(self) -> str: ...


def _chat(ctx: Ctx, chat_id: str) -> sqlite3.Row:
    return ctx.row("SELECT * FROM chats WHERE id=?", (chat_id,))


def _users_and_events(ctx: Ctx, chat_in: rq.StartChatIn | None) -> tuple[str | None, list[dict[str, Any]]]:
    """Resolve chat.users (one customer at most) and prepare the initial events."""
    customer = None
    if ctx.is_agent and chat_in is not None and chat_in.users:
        if best_level(ctx.principal.scopes, CHATS_RW) is None:
            raise ErrorReply("authorization", "chat.users requires one of " + ", ".join(CHATS_RW))
        user = chat_in.users[0]
        if user.type != "customer":
            raise ErrorReply("validation", "chat.users.0.type: only a customer may be given")
        customer = visible_customer_row(ctx, user.id)["id"]
    if not ctx.is_agent:
        customer = ctx.me
        check_not_banned(ctx, ctx.me)
    events = []
    thread_in = chat_in.thread if chat_in is not None else None
    for i, ev in enumerate((thread_in.events if thread_in else None) or []):
        if not ctx.is_agent and ev.type == "system_message":
            raise ErrorReply("validation", f"chat.thread.events.{i}.type: not allowed for customers")
        prepared = prepare_event(ev, f"chat.thread.events.{i}")
        if not ctx.is_agent:
            prepared["recipients"] = "all"
        events.append(prepared)
    return customer, events


def _begin_thread(ctx: Ctx, chat_id: str, chat_in: rq.StartChatIn | None, events: list[dict[str, Any]]) -> sqlite3.Row:
    thread_in = chat_in.thread if chat_in is not None else None
    props = check_properties(thread_in.properties if thread_in else None, "chat.thread.properties")
    thread_id = open_thread(ctx, chat_id, props, thread_in.tags if thread_in else None)
    if ctx.is_agent:
        add_chat_user(ctx, chat_id, ctx.me, "agent")
    else:
        route_chat(ctx, chat_id)
    for ev in events:
        insert_event(ctx, chat_id, thread_id, author_of(ctx, ev), ev)
    return _thread(ctx, thread_id)


def _announce(ctx: Ctx, chat_id: str, thread: sqlite3.Row) -> dict[str, Any]:
    chat = _chat(ctx, chat_id)
    announce_thread(ctx, chat, thread, audience(ctx, chat_id, broad=True))
    return chat_obj(ctx, chat, thread=thread)


def start_chat(ctx: Ctx, req: rq.StartChat) -> Outcome:
    """Create a chat with its first thread (creator agent becomes a member; customers routed)."""
    chat_in = req.chat
    customer, events = _users_and_events(ctx, chat_in)
    props = check_properties(chat_in.properties if chat_in else None, "chat.properties")
    if req.continuous:
        props = merge_props(props, {"routing": {"continuous": True}})
    groups = sorted(set(chat_in.access.group_ids)) if chat_in and chat_in.access else [0]
    if any(g < 0 for g in groups):
        raise ErrorReply("validation", "chat.access.group_ids: group ids are non-negative")
    chat_id = ctx.new_id("chats")
    seq = ctx.row("SELECT COALESCE(MAX(seq), 0) + 1 FROM chats")[0]
    ctx.x(
        "INSERT INTO chats(id, seq, customer_id, properties, active, last_order, created) VALUES (?, ?, ?, ?, 0, ?, ?)",
        (chat_id, seq, customer, dumps(props), ctx.order(), ctx.ts),
    )
    ctx.conn.executemany("INSERT INTO chat_access(chat_id, group_id) VALUES (?, ?)", [(chat_id, g) for g in groups])
    if customer:
        add_chat_user(ctx, chat_id, customer, "customer")
        ctx.x("UPDATE customers SET chats_count = chats_count + 1 WHERE id=?", (customer,))
    thread = _begin_thread(ctx, chat_id, chat_in, events)
    if ctx.is_agent and chat_in is not None and chat_in.is_followed:
        ctx.x("INSERT OR IGNORE INTO followers(chat_id, agent_id) VALUES (?, ?)", (chat_id, ctx.me))
    return Outcome({"chat": _announce(ctx, chat_id, thread)})


def activate_chat(ctx: Ctx, req: rq.ActivateChat) -> Outcome:
    """Open a new thread in an inactive chat (an active chat is a validation error)."""
    chat_in = req.chat
    chat = load_chat(ctx, chat_in.id)
    if chat["active"]:
        raise ErrorReply("validation", f"chat.id: chat {chat['id']} is already active")
    customer, events = _users_and_events(ctx, chat_in)
    if customer and chat["customer_id"] not in (None, customer):
        raise ErrorReply("validation", "chat.users: the chat already has another customer")
    if customer and chat["customer_id"] is None:
        add_chat_user(ctx, chat["id"], customer, "customer")
        ctx.x("UPDATE chats SET customer_id=? WHERE id=?", (customer, chat["id"]))
        ctx.x("UPDATE customers SET chats_count = chats_count + 1 WHERE id=?", (customer,))
    props = check_properties(chat_in.properties, "chat.properties")
    if req.continuous:
        props = merge_props(props, {"routing": {"continuous": True}})
    if props:
        merged = merge_props(loads(chat["properties"], {}), props)
        ctx.x("UPDATE chats SET properties=? WHERE id=?", (dumps(merged), chat["id"]))
    if chat_in.access is not None:
        if any(g < 0 for g in chat_in.access.group_ids):
            raise ErrorReply("validation", "chat.access.group_ids: group ids are non-negative")
        note_chat(ctx, chat["id"])
        ctx.x("DELETE FROM chat_access WHERE chat_id=?", (chat["id"],))
        ctx.conn.executemany(
            "INSERT INTO chat_access(chat_id, group_id) VALUES (?, ?)",
            [(chat["id"], g) for g in sorted(set(chat_in.access.group_ids))],
        )
    thread = _begin_thread(ctx, chat["id"], chat_in, events)
    obj = _announce(ctx, chat["id"], thread)
    obj["threads"] = [obj["thread"]]
    return Outcome({"chat": obj})


def close_thread(ctx: Ctx, req: rq.ChatId) -> Outcome:
    """Close the active thread with a manual_archived_* system message; push thread_closed."""
    chat = load_chat(ctx, req.chat_id)
    thread = last_thread(ctx, chat)
    if not chat["active"] or thread is None or not thread["active"]:
        raise ErrorReply("chat_inactive", f"Chat {chat['id']} is inactive")
    who = "agent" if ctx.is_agent else "customer"
    ev = system_event(f"manual_archived_{who}", f"%{who}% archived the chat", {who: _requester_name(ctx)})
    event = insert_event(ctx, chat["id"], thread["id"], None, ev)
    note_chat(ctx, chat["id"])
    ctx.x("UPDATE threads SET active=0 WHERE id=?", (thread["id"],))
    ctx.x("UPDATE chats SET active=0 WHERE id=?", (chat["id"],))
    agents = audience(ctx, chat["id"], broad=True)
    customers = [chat["customer_id"]]
    ctx.push("incoming_event", {"chat_id": chat["id"], "thread_id": thread["id"], "event": event}, agents, customers)
    ctx.push("thread_closed", {"chat_id": chat["id"], "thread_id": thread["id"], "user_id": ctx.me}, agents, customers)
    return Outcome({})


def _group_ids(ids: list[int | str] | list[int]) -> list[int]:
    """Transfer target group ids, each a non-negative int."""
    out: list[int] = []
    for i, g in enumerate(ids):
        if not isinstance(g, int) or isinstance(g, bool) or g < 0:
            raise ErrorReply("validation", f"target.ids.{i}: group ids are non-negative ints")
        out.append(g)
    return out


def _agent_ids(ctx: Ctx, ids: list[int | str]) -> list[str]:
    """Transfer target agent ids, each a known agent."""
    out: list[str] = []
    for i, a in enumerate(ids):
        if not isinstance(a, str):
            raise ErrorReply("validation", f"target.ids.{i}: agent ids are strings")
        if ctx.agent(a) is None:
            raise not_found("Agent", a)
        out.append(a)
    return out


def transfer_chat(ctx: Ctx, req: rq.TransferChat) -> Outcome:
    """Transfer to agents or groups; previous agents leave; `force` assigns even when busy."""
    chat = load_chat(ctx, req.chat_id)
    thread = last_thread(ctx, chat)
    if not chat["active"] or thread is None:
        raise ErrorReply("chat_inactive", f"Chat {chat['id']} is inactive")
    old = member_agents(ctx, chat["id"])
    target = req.target
    if target is not None and not target.ids:
        raise ErrorReply("validation", "target.ids: at least one id is required")
    ids: list[int | str]
    if target is None or target.type == "group":
        groups = _group_ids(list(target.ids) if target else chat_access(ctx, chat["id"]))
        ids = list(groups)
        exclude = old if target is None else []
        chosen = pick_agent(ctx, groups, exclude=exclude)
        if chosen is None and not req.force:
            raise ErrorReply("groups_offline", "No agent available in the target groups")
        new = [chosen] if chosen else []
        if target is not None:
            note_chat(ctx, chat["id"])
            ctx.x("DELETE FROM chat_access WHERE chat_id=?", (chat["id"],))
            ctx.conn.executemany(
                "INSERT INTO chat_access(chat_id, group_id) VALUES (?, ?)",
                [(chat["id"], g) for g in sorted(set(groups))],
            )
            ctx.x("UPDATE threads SET access=? WHERE chat_id=?", (dumps(sorted(set(groups))), chat["id"]))
        kind, targets = "group", ", ".join(f"group {g}" for g in ids)
    else:
        agent_ids = _agent_ids(ctx, list(target.ids))
        ids = list(agent_ids)
        new = [a for a in agent_ids if req.force or available(ctx, a)]
        if not new:
            raise ErrorReply("agent_offline", "None of the target agents is accepting chats")
        kind, targets = "agent", ", ".join(_agent_name(ctx, a) for a in new)
    removed = [a for a in old if a not in new]
    for agent_id in removed:
        remove_chat_user(ctx, chat["id"], agent_id)
    added = [a for a in new if add_chat_user(ctx, chat["id"], a, "agent")]
    ev = system_event(
        "chat_transferred",
        "%initiator% transferred the chat to %targets%",
        {"initiator": _requester_name(ctx), "targets": targets},
    )
    event = insert_event(ctx, chat["id"], thread["id"], None, ev)
    agents = audience(ctx, chat["id"], broad=True, also=removed)
    customers = [chat["customer_id"]]
    member_meta = {"requester_id": ctx.me, "reason": "manual"}
    for agent_id in removed:
        ctx.push(
            "chat_user_removed",
            {"chat_id": chat["id"], "thread_id": thread["id"], "user_id": agent_id, "user_type": "agent"},
            agents,
            customers,
            meta=member_meta,
        )
    for agent_id in added:
        ctx.push(
            "chat_user_added",
            {
                "chat_id": chat["id"],
                "thread_id": thread["id"],
                "user_type": "agent",
                "user": agent_obj(
                    ctx.row("SELECT * FROM agents WHERE id=?", (agent_id,)), member_last_seen(ctx, chat["id"], agent_id)
                ),
            },
            agents,
            customers,
            meta=member_meta,
        )
    ctx.push("incoming_event", {"chat_id": chat["id"], "thread_id": thread["id"], "event": event}, agents, customers)
    ctx.push(
        "chat_transferred",
        {"chat_id": chat["id"], "requester_id": ctx.me, "type": kind, "ids": ids},
        agents,
        meta={
            "thread_id": thread["id"],
            "group_ids": ids if kind == "group" else [],
            "agent_ids": new if kind == "agent" else [],
            "reason": "manual",
            "queue": None if new else queue_of(ctx, chat["id"]),
        },
    )
    return Outcome({})


def add_user_to_chat(ctx: Ctx, req: MemberChange) -> Outcome:
    """Add an agent or the (single) customer to a chat; push chat_user_added."""
    chat = load_chat(ctx, req.chat_id)
    if req.user_type == "agent":
        row = ctx.one("SELECT * FROM agents WHERE id=?", (req.user_id,))
        if row is None:
            raise not_found("Agent", req.user_id)
        user = agent_obj(row)
    else:
        row = visible_customer_row(ctx, req.user_id)
        if chat["customer_id"] not in (None, row["id"]):
            raise ErrorReply("validation", "user_id: a chat can have only one customer")
        user = customer_obj(row, ctx.now, in_chat=True)
    if not add_chat_user(ctx, chat["id"], req.user_id, req.user_type):
        return Outcome({})
    if req.user_type == "customer":
        ctx.x("UPDATE chats SET customer_id=? WHERE id=?", (row["id"], chat["id"]))
        ctx.x("UPDATE customers SET chats_count = chats_count + 1 WHERE id=?", (row["id"],))
    thread = last_thread(ctx, chat)
    user["last_seen_timestamp"] = member_last_seen(ctx, chat["id"], req.user_id)
    ctx.push(
        "chat_user_added",
        {
            "chat_id": chat["id"],
            "thread_id": thread["id"] if thread else None,
            "user": user,
            "user_type": req.user_type,
        },
        audience(ctx, chat["id"], broad=True),
        [chat["customer_id"] or (row["id"] if req.user_type == "customer" else None)],
        meta={"requester_id": ctx.me, "reason": "manual", "visibility": getattr(req, "visibility", None) or "all"},
    )
    return Outcome({})


def remove_user_from_chat(ctx: Ctx, req: MemberChange) -> Outcome:
    """Remove an agent (the requester may always remove itself); the customer cannot be removed."""
    if req.user_id == ctx.me:
        chat = ctx.one("SELECT * FROM chats WHERE id=?", (req.chat_id,))
        if chat is None:
            raise not_found("Chat", req.chat_id)
    else:
        chat = load_chat(ctx, req.chat_id)
    if req.user_type == "customer":
        raise ErrorReply("validation", "user_type: removing the customer from a chat is forbidden")
    if not is_member(ctx, chat["id"], req.user_id):
        raise not_found("User", f"{req.user_id} in chat {chat['id']}")
    remove_chat_user(ctx, chat["id"], req.user_id)
    thread = last_thread(ctx, chat)
    if thread is not None and thread["active"]:
        ids = [u for u in loads(thread["user_ids"], []) if u != req.user_id]
        ctx.x("UPDATE threads SET user_ids=? WHERE id=?", (dumps(ids), thread["id"]))
    ctx.push(
        "chat_user_removed",
        {
            "chat_id": chat["id"],
            "thread_id": thread["id"] if thread else None,
            "user_id": req.user_id,
            "user_type": "agent",
        },
        audience(ctx, chat["id"], broad=True, also=[req.user_id]),
        [chat["customer_id"]],
        meta={"requester_id": ctx.me, "reason": "manual"},
    )
    return Outcome({})


def get_chat_threads(ctx: Ctx, req: rq.GetChatThreads) -> Outcome:
    """The chat with the requested threads (all when thread_ids is omitted) and events."""
    chat = load_chat(ctx, req.chat_id)
    rows = ctx.q("SELECT * FROM threads WHERE chat_id=? ORDER BY ord", (chat["id"],))
    if req.thread_ids is not None:
        by_id = {r["id"]: r for r in rows}
        for tid in req.thread_ids:
            if tid not in by_id:
                raise not_found("Thread", tid)
        wanted = set(req.thread_ids)
        selected = [r for r in rows if r["id"] in wanted]
    else:
        selected = rows
    obj = chat_obj(ctx, chat, threads=selected, for_customer=not ctx.is_agent)
    obj["threads_summary"] = [{"thread_id": r["id"], "order": r["ord"]} for r in rows]
    return Outcome({"chat": obj})
