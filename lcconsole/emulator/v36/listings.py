"""v3.6 listings and look-ups: list_archives, get_customer, list_routing_statuses,
list_agents_for_transfer (list_threads: `threads.py`)."""

from __future__ import annotations

import sqlite3
from typing import Any

from lcconsole.emulator.contract import ErrorReply, Outcome
from lcconsole.emulator.v36 import pages, render
from lcconsole.emulator.v36.deleted import masks_for
from lcconsole.emulator.v36.extras import with_summary
from lcconsole.emulator.world.access import load_chat, visible
from lcconsole.emulator.world.ctx import Ctx, parse_iso
from lcconsole.emulator.world.customers import visible_customer_row
from lcconsole.emulator.world.objects import chat_obj, customer_obj
from lcconsole.emulator.world.summaries import QUERY_SQL, props_sql, visibility_sql
from lcconsole.wire.v36 import requests as rq36


def order_of(value: str, field: str) -> int:
    """An RFC 3339 time as an `order` value (µs since the epoch)."""
    from datetime import datetime

    normal = parse_iso(value, field)
    return int(datetime.fromisoformat(normal.replace("Z", "+00:00")).timestamp() * 1_000_000)


def _values_sql(expr: str, flt: dict[str, Any], field: str) -> tuple[list[str], list[Any]]:
    """exists / values / exclude_values / require_every_value over a JSON array expression."""
    where: list[str] = []
    args: list[Any] = []
    has = f"EXISTS (SELECT 1 FROM json_each({expr}) j WHERE j.value IN ({{marks}}))"
    given = [k for k in ("exists", "values", "exclude_values") if flt.get(k) is not None]
    if len(given) > 1:
        raise ErrorReply("validation", f"{field}: only one of exists, values, exclude_values")
    if flt.get("exists") is not None:
        where.append(f"{'' if flt['exists'] else 'NOT '}EXISTS (SELECT 1 FROM json_each({expr}))")
    for key, negate in (("values", False), ("exclude_values", True)):
        values = flt.get(key)
        if values is None:
            continue
        if flt.get("require_every_value"):
            parts = [has.replace("{marks}", "?") for _ in values]
            sql = "(" + " AND ".join(parts or ["1"]) + ")"
        else:
            sql = has.replace("{marks}", ",".join("?" * len(values)) or "NULL")
        where.append(f"NOT {sql}" if negate else sql)
        args.extend(values)
    return where, args


def _query_sql(ctx: Ctx) -> str:
    """The archive search; deleted events' text is not searched for agents who may not read it."""
    row = ctx.one("SELECT permission FROM agents WHERE id=?", (ctx.me,))
    if row is not None and not masks_for(row["permission"]):
        return QUERY_SQL
    return QUERY_SQL.replace("e.thread_id=t.id", "e.thread_id=t.id AND e.deleted=0")


def _archive_filters(ctx: Ctx, f: dict[str, Any]) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if f.get("query"):  # the bounded substring search of v3.0's get_archives
        where.append(_query_sql(ctx))
        args.extend([f["query"]] * 3)
    if f.get("from"):
        where.append("t.ord >= ?")
        args.append(order_of(f["from"], "filters.from"))
    if f.get("to"):
        where.append("t.ord <= ?")
        args.append(order_of(f["to"], "filters.to"))
    for key, column in (("chat_ids", "t.chat_id"), ("thread_ids", "t.id")):
        if f.get(key) is not None:
            where.append(f"{column} IN ({','.join('?' * len(f[key])) or 'NULL'})")
            args.extend(f[key])
    if f.get("group_ids"):
        where.append(
            f"EXISTS (SELECT 1 FROM json_each(t.access) j WHERE j.value IN ({','.join('?' * len(f['group_ids']))}))"
        )
        args.extend(f["group_ids"])
    agents_of_thread = (
        "(SELECT json_group_array(j.value) FROM json_each(t.user_ids) j WHERE j.value IN (SELECT id FROM agents))"
    )
    for key, expr in (("agents", agents_of_thread), ("tags", "t.tags")):
        if f.get(key):
            more, more_args = _values_sql(expr, f[key], f"filters.{key}")
            where += more
            args += more_args
    if f.get("event_types"):
        types = "(SELECT json_group_array(e.type) FROM events e WHERE e.thread_id=t.id)"
        more, more_args = _values_sql(types, f["event_types"], "filters.event_types")
        where += more
        args += more_args
    if f.get("customer_id"):
        where.append("c.customer_id = ?")
        args.append(f["customer_id"])
    if f.get("customer_email"):
        where.append("EXISTS (SELECT 1 FROM customers cu WHERE cu.id=c.customer_id AND cu.email = ?)")
        args.append(f["customer_email"])
    return where, args


def list_archives(ctx: Ctx, req: rq36.ListArchives) -> Outcome:
    """One item per thread (the chat with that thread), newest first by default, 10 a page."""
    filters = req.filters.model_dump(exclude_none=True, by_alias=True) if req.filters else {}
    if "thread_ids" in filters and (len(filters) > 1 or req.page_id is not None):
        raise ErrorReply("validation", "filters.thread_ids: cannot be used with other filters or pagination")
    fresh = {"sort_order": req.sort_order or "desc", "limit": req.limit or 10, "filters": filters}
    query, offset = pages.resolve("archives", req, fresh, ("filters", "limit", "sort_order"))
    where, args = visibility_sql(ctx, ctx.level, thread="t")
    more, more_args = _archive_filters(ctx, query["filters"])
    where += more
    args += more_args
    props = query["filters"].get("properties")
    if props:
        from lcconsole.wire.requests import PropertyFilter

        parsed = {ns: {n: PropertyFilter.model_validate(c) for n, c in names.items()} for ns, names in props.items()}
        sql, prop_args = props_sql("json_patch(c.properties, t.properties)", parsed)
        where.append(sql)
        args += prop_args
    base = "FROM threads t JOIN chats c ON c.id = t.chat_id"
    if where:
        base += " WHERE " + " AND ".join(f"({w})" for w in where)
    total = ctx.row("SELECT COUNT(*) " + base, args)[0]
    direction = "DESC" if query["sort_order"] == "desc" else "ASC"
    limit = query["limit"]
    rows = ctx.q(
        f"SELECT t.id AS tid, c.* {base} ORDER BY t.ord {direction}, t.id {direction} LIMIT ? OFFSET ?",
        args + [limit, offset],
    )
    chats = []
    for row in rows:
        thread = ctx.one("SELECT * FROM threads WHERE id=?", (row["tid"],))
        ids = [r[0] for r in ctx.q("SELECT id FROM threads WHERE chat_id=? ORDER BY ord", (row["id"],))]
        obj = render.chat(chat_obj(ctx, row, thread=thread), ids)
        with_summary(ctx, obj["thread"])
        chats.append({k: obj[k] for k in ("id", "users", "thread", "properties", "access", "is_followed") if k in obj})
    out = {"chats": chats, "found_chats": total}
    out.update(pages.links("archives", query, offset, limit, total))
    return Outcome(out)


def get_customer(ctx: Ctx, req: rq36.Id) -> Outcome:
    """The customer with `chat_ids` (the chats it is in)."""
    row = visible_customer_row(ctx, req.id)
    obj = render.customer(customer_obj(row, ctx.now))
    obj["chat_ids"] = [
        r[0]
        for r in ctx.q(
            "SELECT chat_id FROM chat_users WHERE user_id=? AND user_type='customer' ORDER BY chat_id", (row["id"],)
        )
    ]
    return Outcome(obj)


def _status(row: sqlite3.Row) -> str:
    return row["routing_status"] if row["present"] else "offline"


def list_routing_statuses(ctx: Ctx, req: rq36.ListRoutingStatuses) -> Outcome:
    """`[{agent_id, status}]`: offline for agents without a logged-in socket."""
    groups = req.filters.group_ids if req.filters and req.filters.group_ids is not None else None
    out = []
    for row in ctx.q("SELECT * FROM agents ORDER BY seq"):
        info = ctx.agent(row["id"])
        if groups is not None and info is not None and not (0 in groups or set(groups) & set(info.groups)):
            continue
        out.append({"agent_id": row["id"], "status": _status(row)})
    return Outcome(out)  # type: ignore[arg-type]  # a top-level array, as documented


def list_agents_for_transfer(ctx: Ctx, req: rq36.ChatId) -> Outcome:
    """Online agents (accepting or not) who could take the chat, fewest active chats first."""
    chat = load_chat(ctx, req.chat_id)
    members = {r[0] for r in ctx.q("SELECT user_id FROM chat_users WHERE chat_id=?", (chat["id"],))}
    out = []
    for row in ctx.q("SELECT * FROM agents WHERE present=1 ORDER BY seq"):
        info = ctx.agent(row["id"])
        if row["id"] in members or info is None or not visible(ctx, row["id"], chat["id"], info.read_level):
            continue
        active = ctx.row(
            "SELECT COUNT(*) FROM chat_users u JOIN chats c ON c.id=u.chat_id WHERE u.user_id=? AND c.active=1",
            (row["id"],),
        )[0]
        out.append({"agent_id": row["id"], "total_active_chats": active})
    out.sort(key=lambda a: a["total_active_chats"])
    return Outcome(out)  # type: ignore[arg-type]  # a top-level array, as documented
