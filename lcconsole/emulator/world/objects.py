"""Builders of the v3.0 wire objects (agents, customers, events, threads, chats) from rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from lcconsole.emulator.world.ctx import Ctx, loads


def props_out(stored: dict[str, Any]) -> dict[str, Any]:
    """Stored `{ns: {name: v}}` -> wire `{ns: {name: {"value": v}}}`."""
    return {ns: {name: {"value": v} for name, v in names.items()} for ns, names in stored.items()}


def agent_obj(row: sqlite3.Row, last_seen: int | None = None) -> dict[str, Any]:
    """User > Agent object."""
    obj = {
        "id": row["id"],
        "type": "agent",
        "name": row["name"],
        "email": row["id"],
        "present": bool(row["present"]),
        "last_seen_timestamp": row["last_seen"] if last_seen is None else last_seen,
        "avatar": row["avatar"] or "",
        "routing_status": row["routing_status"],
    }
    return obj


def customer_obj(row: sqlite3.Row, now: float, last_seen: int | None = None, in_chat: bool = False) -> dict[str, Any]:
    """User > Customer object (with `present`/`last_seen_timestamp` when embedded in a chat)."""
    obj: dict[str, Any] = {"id": row["id"], "type": "customer"}
    for key in ("name", "email", "avatar"):
        if row[key] is not None:
            obj[key] = row[key]
    if row["last_visit"]:
        obj["last_visit"] = loads(row["last_visit"])
    obj["fields"] = loads(row["fields"], {})
    obj.update(loads(row["details"], {}))  # v3.6 phone_number, omnichannel, address
    obj["statistics"] = {
        "chats_count": row["chats_count"],
        "threads_count": row["threads_count"],
        "visits_count": row["visits_count"],
    }
    obj["created_at"] = row["created_at"]
    if row["agent_last_event_created_at"]:
        obj["agent_last_event_created_at"] = row["agent_last_event_created_at"]
    if row["customer_last_event_created_at"]:
        obj["customer_last_event_created_at"] = row["customer_last_event_created_at"]
    banned = row["ban_until"] is not None and row["ban_until"] > now
    obj["banned"] = banned
    if banned:
        obj["ban"] = {"days": row["ban_days"]}
    if in_chat:
        obj["present"] = bool(row["present"])
        obj["last_seen_timestamp"] = row["last_seen"] if last_seen is None else last_seen
    return obj


def event_obj(row: sqlite3.Row | Mapping[str, Any], base_url: str = "") -> dict[str, Any]:
    """Event object: common fields + the type-specific body.

    Files stored by this server keep a relative url (`/files/<path>`) that is resolved against
    the current base_url here, so URLs stay valid when the server restarts on another port.
    """
    obj: dict[str, Any] = {"id": row["id"]}
    if row["custom_id"] is not None:
        obj["custom_id"] = row["custom_id"]
    obj["order"] = row["ord"]
    obj["type"] = row["type"]
    if row["author_id"] is not None:
        obj["author_id"] = row["author_id"]
    obj["timestamp"] = row["ts"]
    obj["recipients"] = row["recipients"]
    obj.update(loads(row["body"], {}))
    for key in ("url", "thumbnail_url", "thumbnail2x_url"):
        if isinstance(obj.get(key), str) and obj[key].startswith("/files/"):
            obj[key] = base_url + obj[key]
    props = loads(row["properties"], {})
    if props:
        obj["properties"] = props_out(props)
    if row["deleted"]:
        obj["deleted"] = True
    return obj


def thread_obj(row: sqlite3.Row, events: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Thread object (events included when given)."""
    obj = {
        "id": row["id"],
        "timestamp": row["ts"],
        "order": row["ord"],
        "active": bool(row["active"]),
        "user_ids": loads(row["user_ids"], []),
        "properties": props_out(loads(row["properties"], {})),
        "access": {"group_ids": loads(row["access"], [])},
        "tags": loads(row["tags"], []),
    }
    if events is not None:
        obj["events"] = events
    return obj


def thread_summary(row: sqlite3.Row) -> dict[str, Any]:
    """`last_thread_summary` of a chat summary."""
    return {
        "id": row["id"],
        "order": row["ord"],
        "timestamp": row["ts"],
        "active": bool(row["active"]),
        "user_ids": loads(row["user_ids"], []),
        "properties": props_out(loads(row["properties"], {})),
        "tags": loads(row["tags"], []),
        "access": {"group_ids": loads(row["access"], [])},
    }


def thread_events(ctx: Ctx, thread_id: str, for_customer: bool = False) -> list[dict[str, Any]]:
    """Events of one thread in order (customers do not see `recipients: agents` events)."""
    sql = "SELECT * FROM events WHERE thread_id=?"
    if for_customer:  # deleted events are hidden from customers (v3.6 delete_event)
        sql += " AND recipients='all' AND deleted=0"
    base = ctx.engine.base_url
    return [event_obj(r, base) for r in ctx.q(sql + " ORDER BY ord", (thread_id,))]


def users_of(ctx: Ctx, chat_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """User objects of several chats in a few queries: chat id -> [agent/customer objects]."""
    ids = list(chat_ids)
    out: dict[str, list[dict[str, Any]]] = {cid: [] for cid in ids}
    if not ids:
        return out
    marks = ",".join("?" * len(ids))
    rows = ctx.q(
        f"SELECT chat_id, user_id, user_type, last_seen FROM chat_users WHERE chat_id IN ({marks}) ORDER BY seq",
        ids,
    )
    agent_ids = {r["user_id"] for r in rows if r["user_type"] == "agent"}
    customer_ids = {r["user_id"] for r in rows if r["user_type"] == "customer"}
    agents = _rows_by_id(ctx, "agents", agent_ids)
    customers = _rows_by_id(ctx, "customers", customer_ids)
    for r in rows:
        if r["user_type"] == "agent" and r["user_id"] in agents:
            out[r["chat_id"]].append(agent_obj(agents[r["user_id"]], r["last_seen"]))
        elif r["user_type"] == "customer" and r["user_id"] in customers:
            out[r["chat_id"]].append(customer_obj(customers[r["user_id"]], ctx.now, r["last_seen"], in_chat=True))
    return out


def _rows_by_id(ctx: Ctx, table: str, ids: set[str]) -> dict[str, sqlite3.Row]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {r["id"]: r for r in ctx.q(f"SELECT * FROM {table} WHERE id IN ({marks})", list(ids))}


def chat_access(ctx: Ctx, chat_id: str) -> list[int]:
    """Group ids of a chat's access, sorted."""
    return [r[0] for r in ctx.q("SELECT group_id FROM chat_access WHERE chat_id=? ORDER BY group_id", (chat_id,))]


def access_obj(ctx: Ctx, chat_id: str) -> dict[str, Any]:
    """A chat's Access: `group_ids`, plus `agent_ids` when agents hold grants (world/grants.py)."""
    out: dict[str, Any] = {"group_ids": chat_access(ctx, chat_id)}
    agents = [
        r[0]
        for r in ctx.q(
            "SELECT agent_id FROM agent_grants WHERE resource='chat' AND resource_id=? ORDER BY agent_id", (chat_id,)
        )
    ]
    if agents:
        out["agent_ids"] = agents
    return out


def is_followed(ctx: Ctx, chat_id: str, agent_id: str) -> bool:
    return ctx.one("SELECT 1 FROM followers WHERE chat_id=? AND agent_id=?", (chat_id, agent_id)) is not None


def chat_obj(
    ctx: Ctx,
    chat: sqlite3.Row,
    thread: sqlite3.Row | None = None,
    threads: list[sqlite3.Row] | None = None,
    for_customer: bool | None = None,
) -> dict[str, Any]:
    """Full chat object with either one `thread` or a `threads` list (each with its events).

    for_customer (default: the principal is a customer) leaves out `recipients: agents` events.
    """
    if for_customer is None:
        for_customer = not ctx.is_agent
    obj: dict[str, Any] = {"id": chat["id"], "users": users_of(ctx, [chat["id"]])[chat["id"]]}
    if thread is not None:
        obj["thread"] = thread_obj(thread, thread_events(ctx, thread["id"], for_customer))
    if threads is not None:
        obj["threads"] = [thread_obj(t, thread_events(ctx, t["id"], for_customer)) for t in threads]
    obj["properties"] = props_out(loads(chat["properties"], {}))
    obj["access"] = access_obj(ctx, chat["id"])
    if ctx.is_agent:
        obj["is_followed"] = is_followed(ctx, chat["id"], ctx.me)
    return obj


def announce_thread(ctx: Ctx, chat: sqlite3.Row, thread: sqlite3.Row, agents: Iterable[str]) -> None:
    """Queue incoming_chat_thread: the full chat to `agents`, a customer view to the customer."""
    payload = chat_obj(ctx, chat, thread=thread, for_customer=False)
    agents = set(agents)
    followers = agents & {r[0] for r in ctx.q("SELECT agent_id FROM followers WHERE chat_id=?", (chat["id"],))}
    payload["is_followed"] = False  # each agent's copy tells whether that agent follows the chat
    meta = {
        "requester_id": ctx.me,
        "thread_ids": [r[0] for r in ctx.q("SELECT id FROM threads WHERE chat_id=? ORDER BY ord", (chat["id"],))],
    }
    if agents - followers:
        ctx.push("incoming_chat_thread", {"chat": payload}, agents - followers, meta=meta)
    if followers:
        ctx.push("incoming_chat_thread", {"chat": dict(payload, is_followed=True)}, followers, meta=meta)
    if chat["customer_id"]:
        view = chat_obj(ctx, chat, thread=thread, for_customer=True)
        view.pop("is_followed", None)
        ctx.push("incoming_chat_thread", {"chat": view}, (), [chat["customer_id"]])
