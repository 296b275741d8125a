"""Listings: get_chats_summary, get_archives, get_chat_threads_summary, the login summary.

Built for 10,000+ chats: one keyset-paged query over the `chats(last_order, id)` index, then a
fixed number of IN (...) queries for the page (users, last events per type, last threads,
followers, access) — never one query per chat. `last_event_per_type` comes from the
`chat_last_event` table maintained on every insert.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from lcconsole.emulator.contract import ErrorReply, Outcome
from lcconsole.emulator.world.access import load_chat
from lcconsole.emulator.world.ctx import Ctx, dumps, loads
from lcconsole.emulator.world.objects import (
    chat_access,
    event_obj,
    props_out,
    thread_events,
    thread_obj,
    thread_summary,
    users_of,
)
from lcconsole.emulator.world.pages import keyset_page
from lcconsole.wire import requests as rq


def props_match(props_json: str | None, filter_json: str) -> int:
    """SQL function lc_props_match(stored properties, filters): exists/values/exclude_values."""
    try:
        props = json.loads(props_json or "{}")
        flt = json.loads(filter_json)
    except ValueError:
        return 0
    for ns, names in flt.items():
        space = props.get(ns) or {}
        for name, cond in names.items():
            present = name in space
            value = space.get(name)
            same = [v for v in (cond.get("values") or []) if _eq(value, v)]
            if cond.get("exists") is not None and bool(cond["exists"]) != present:
                return 0
            if cond.get("values") is not None and not (present and same):
                return 0
            if (
                cond.get("exclude_values") is not None
                and present
                and any(_eq(value, v) for v in cond["exclude_values"])
            ):
                return 0
    return 1


def _eq(a: Any, b: Any) -> bool:
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def _filters_json(filters: dict[str, dict[str, rq.PropertyFilter]]) -> str:
    return dumps(
        {ns: {name: f.model_dump(exclude_none=True) for name, f in names.items()} for ns, names in filters.items()}
    )


def _any_eq(column: str, path: str, values: list[Any]) -> tuple[str, list[Any]]:
    """SQL: the JSON value at path equals one of `values` with the same JSON type (one
    extraction per type, however many values)."""
    parts: list[str] = []
    args: list[Any] = []
    for flag in {v for v in values if isinstance(v, bool)}:
        parts.append(f"json_type({column}, ?) = '{'true' if flag else 'false'}'")
        args.append(path)
    for kind, same in (
        ("integer", [v for v in values if isinstance(v, int) and not isinstance(v, bool)]),
        ("text", [v for v in values if isinstance(v, str)]),
    ):
        if same:
            parts.append(
                f"(json_type({column}, ?) = '{kind}' AND json_extract({column}, ?) IN ({','.join('?' * len(same))}))"
            )
            args.extend([path, path, *same])
    return ("(" + " OR ".join(parts) + ")" if parts else "0"), args


def props_sql(column: str, filters: dict[str, dict[str, rq.PropertyFilter]]) -> tuple[str, list[Any]]:
    """SQL for property filters (exists / values / exclude_values) on a stored JSON column.

    Names that cannot be quoted in a JSON path fall back to lc_props_match (Python).
    """
    names = [n for ns, props in filters.items() for n in (ns, *props)]
    if any(not n or '"' in n or "\\" in n or "\x00" in n for n in names):
        return f"lc_props_match({column}, ?)", [_filters_json(filters)]
    parts: list[str] = []
    args: list[Any] = []
    for ns, props in filters.items():
        for name, cond in props.items():
            path = f'$."{ns}"."{name}"'
            if cond.exists is not None:
                parts.append(f"json_type({column}, ?) IS {'NOT ' if cond.exists else ''}NULL")
                args.append(path)
            for key, negate in (("values", False), ("exclude_values", True)):
                values = getattr(cond, key)
                if values is None:
                    continue
                any_sql, more = _any_eq(column, path, values)
                args.extend(more)
                parts.append(f"NOT COALESCE({any_sql}, 0)" if negate else f"COALESCE({any_sql}, 0)")
    return "(" + " AND ".join(parts or ["1"]) + ")", args


def visibility_sql(
    ctx: Ctx, level: str, chat: str = "c", thread: str | None = None, counting: bool = False
) -> tuple[list[str], list[Any]]:
    """WHERE parts restricting chats to those the requester sees at `level`.

    counting: an `IN (... UNION ...)` form, much faster than per-row EXISTS for a full COUNT;
    the EXISTS form is faster for a LIMITed page walked in index order.
    """
    if level == "all":
        return [], []
    if counting and thread is None:
        sql = "SELECT chat_id FROM chat_users WHERE user_id=?"
        args: list[Any] = [ctx.me]
        if level == "access":
            info = ctx.agent(ctx.me)
            groups = sorted(set(info.groups if info else ()) | {0})
            sql += (
                " UNION SELECT chat_id FROM chat_access WHERE group_id IN"
                f" ({','.join('?' * len(groups))})"
                " UNION SELECT resource_id FROM agent_grants WHERE agent_id=?"
                " AND resource='chat'"
            )
            args.extend([*groups, ctx.me])
        return [f"{chat}.id IN ({sql})"], args
    member = f"EXISTS (SELECT 1 FROM chat_users u WHERE u.chat_id={chat}.id AND u.user_id=?)"
    parts, args = [member], [ctx.me]
    if thread:
        parts.append(f"EXISTS (SELECT 1 FROM json_each({thread}.user_ids) j WHERE j.value=?)")
        args.append(ctx.me)
    if level == "access":
        info = ctx.agent(ctx.me)
        groups = sorted(set(info.groups if info else ()) | {0})
        parts.append(
            f"EXISTS (SELECT 1 FROM chat_access ca WHERE ca.chat_id={chat}.id"
            f" AND ca.group_id IN ({','.join('?' * len(groups))}))"
        )
        parts.append(
            "EXISTS (SELECT 1 FROM agent_grants g WHERE g.resource='chat'"
            f" AND g.resource_id={chat}.id AND g.agent_id=?)"
        )
        args.extend([*groups, ctx.me])
    return ["(" + " OR ".join(parts) + ")"], args


def build_summaries(ctx: Ctx, rows: list[Any]) -> list[dict[str, Any]]:
    """Chat summary objects for a page of chat rows, in a fixed number of queries."""
    ids = [r["id"] for r in rows]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    users = users_of(ctx, ids)
    base = ctx.engine.base_url
    last: dict[str, dict[str, Any]] = {cid: {} for cid in ids}
    for e in ctx.q(
        "SELECT e.*, t.ord AS thread_ord FROM chat_last_event l JOIN events e ON e.id=l.event_id"
        f" JOIN threads t ON t.id=e.thread_id WHERE l.chat_id IN ({marks})",
        ids,
    ):
        last[e["chat_id"]][e["type"]] = {
            "thread_id": e["thread_id"],
            "thread_order": e["thread_ord"],
            "event": event_obj(e, base),
        }
    thread_ids = [r["last_thread_id"] for r in rows if r["last_thread_id"]]
    threads = {
        t["id"]: t for t in ctx.q(f"SELECT * FROM threads WHERE id IN ({','.join('?' * len(thread_ids))})", thread_ids)
    }
    followed = {
        r[0] for r in ctx.q(f"SELECT chat_id FROM followers WHERE agent_id=? AND chat_id IN ({marks})", [ctx.me] + ids)
    }
    access: dict[str, list[int]] = {cid: [] for cid in ids}
    for r in ctx.q(f"SELECT chat_id, group_id FROM chat_access WHERE chat_id IN ({marks}) ORDER BY group_id", ids):
        access[r[0]].append(r[1])
    out = []
    for r in rows:
        summary = {
            "id": r["id"],
            "users": users[r["id"]],
            "last_event_per_type": last[r["id"]],
            "properties": props_out(loads(r["properties"], {})),
            "access": {"group_ids": access[r["id"]]},
            "is_followed": r["id"] in followed,
            "order": r["last_order"],
        }
        if r["last_thread_id"] in threads:
            summary["last_thread_summary"] = thread_summary(threads[r["last_thread_id"]])
        out.append(summary)
    return out


def _summary_filters(filters: rq.ChatsSummaryFilters | None) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if filters is not None:
        if filters.include_active is False:
            where.append("c.active = 0")
        if filters.group_ids:
            where.append(
                "EXISTS (SELECT 1 FROM chat_access ca WHERE ca.chat_id=c.id AND"
                f" ca.group_id IN ({','.join('?' * len(filters.group_ids))}))"
            )
            args.extend(filters.group_ids)
        if filters.properties:
            sql, more = props_sql("c.properties", filters.properties)
            where.append(sql)
            args.extend(more)
    return where, args


def get_chats_summary(ctx: Ctx, req: rq.GetChatsSummary, only_active: bool = False) -> Outcome:
    """Chat summaries by last activity (desc default), keyset page ids, filters.

    only_active: active chats only (v3.6 `filters.active: true`, which v3.0 cannot ask for).
    """
    where, args = visibility_sql(ctx, ctx.level)
    count_where, count_args = visibility_sql(ctx, ctx.level, counting=True)
    extra, extra_args = _summary_filters(req.filters)
    if only_active:
        extra.append("c.active = 1")
    where += extra
    args += extra_args
    count_where += extra
    count_args += extra_args
    limit = req.limit
    if limit is None and isinstance(req.pagination, dict):
        candidate = req.pagination.get("limit")
        if isinstance(candidate, int) and not isinstance(candidate, bool):
            limit = min(max(candidate, 1), 100)
    rows, next_id, prev_id, _, _ = keyset_page(
        ctx, "SELECT c.* FROM chats c", where, args, ("c.last_order", "c.id"), req.order, limit, req.page_id
    )
    count_sql = "SELECT COUNT(*) FROM chats c"
    if count_where:
        count_sql += " WHERE " + " AND ".join(f"({w})" for w in count_where)
    out: dict[str, Any] = {
        "chats_summary": build_summaries(ctx, rows),
        "found_chats": ctx.row(count_sql, count_args)[0],
    }
    if next_id:
        out["next_page_id"] = next_id
    if prev_id:
        out["previous_page_id"] = prev_id
    return Outcome(out)


def login_summary(ctx: Ctx, limit: int = 100) -> list[dict[str, Any]]:
    """Login's chats_summary: the agent's active chats, followed chats and queued chats it sees."""
    where, args = visibility_sql(ctx, ctx.level)
    where.append("c.active = 1")
    where.append(
        "(EXISTS (SELECT 1 FROM chat_users u WHERE u.chat_id=c.id AND u.user_id=?)"
        " OR EXISTS (SELECT 1 FROM followers f WHERE f.chat_id=c.id AND f.agent_id=?)"
        " OR NOT EXISTS (SELECT 1 FROM chat_users u WHERE u.chat_id=c.id"
        " AND u.user_type='agent'))"
    )
    args.extend([ctx.me, ctx.me])
    rows = ctx.q(
        "SELECT c.* FROM chats c WHERE "
        + " AND ".join(f"({w})" for w in where)
        + " ORDER BY c.last_order DESC, c.id DESC LIMIT ?",
        args + [limit],
    )
    return build_summaries(ctx, rows)


def _day(value: str, field: str, end: bool = False) -> int:
    try:
        d = date.fromisoformat(value)
        if len(value) != 10:
            raise ValueError
    except ValueError:
        raise ErrorReply("validation", f"{field}: expected a date as YYYY-MM-DD") from None
    start = datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()
    return int(start + (86400 if end else 0))


QUERY_SQL = (
    "(EXISTS (SELECT 1 FROM events e WHERE e.thread_id=t.id"
    " AND instr(lower(e.text), lower(?)) > 0)"
    " OR EXISTS (SELECT 1 FROM customers cu WHERE cu.id=c.customer_id"
    " AND (instr(lower(cu.name), lower(?)) > 0 OR instr(lower(cu.email), lower(?)) > 0)))"
)
"""An archive search (`filters.query`, three times: text, name, e-mail) over threads `t` of
chats `c`: an ASCII-case-insensitive substring, as LIKE, but linear-ish (memcmp); the query's
length is capped by the request models (`limits.SEARCH_QUERY_CHARS`)."""


def get_archives(ctx: Ctx, req: rq.GetArchives) -> Outcome:
    """Closed threads (one item per thread, newest first) with filters and page/limit."""
    where, args = visibility_sql(ctx, ctx.level, thread="t")
    where.append("t.active = 0")
    f = req.filters
    if f is not None:
        if f.query:
            where.append(QUERY_SQL)
            args.extend([f.query] * 3)
        if f.date_from:
            where.append("t.ts >= ?")
            args.append(_day(f.date_from, "filters.date_from"))
        if f.date_to:
            where.append("t.ts < ?")
            args.append(_day(f.date_to, "filters.date_to", end=True))
        if f.agent_ids:
            where.append(
                f"EXISTS (SELECT 1 FROM json_each(t.user_ids) j WHERE j.value IN ({','.join('?' * len(f.agent_ids))}))"
            )
            args.extend(f.agent_ids)
        if f.group_ids:
            where.append(
                f"EXISTS (SELECT 1 FROM json_each(t.access) j WHERE j.value IN ({','.join('?' * len(f.group_ids))}))"
            )
            args.extend(f.group_ids)
        if f.properties:
            sql, more = props_sql("json_patch(c.properties, t.properties)", f.properties)
            where.append(sql)
            args.extend(more)
    page = (req.pagination.page if req.pagination else None) or 1
    limit = req.pagination.limit if req.pagination and req.pagination.limit is not None else 25
    cond = " WHERE " + " AND ".join(f"({w})" for w in where)
    base = "FROM threads t JOIN chats c ON c.id = t.chat_id" + cond
    total = ctx.row("SELECT COUNT(*) " + base, args)[0]
    rows = ctx.q(
        "SELECT t.*, c.properties AS chat_properties " + base + " ORDER BY t.ord DESC, t.id DESC LIMIT ? OFFSET ?",
        args + [limit, (page - 1) * limit],
    )
    users = users_of(ctx, {r["chat_id"] for r in rows})
    followed = {r[0] for r in ctx.q("SELECT chat_id FROM followers WHERE agent_id=?", (ctx.me,))}
    items = []
    for r in rows:
        items.append(
            {
                "chat": {
                    "id": r["chat_id"],
                    "users": users[r["chat_id"]],
                    "thread": thread_obj(r, thread_events(ctx, r["id"])),
                    "properties": props_out(loads(r["chat_properties"], {})),
                    "access": {"group_ids": chat_access(ctx, r["chat_id"])},
                    "is_followed": r["chat_id"] in followed,
                }
            }
        )
    return Outcome({"chats": items, "pagination": {"page": page, "total": total}})


def get_chat_threads_summary(ctx: Ctx, req: rq.GetChatThreadsSummary) -> Outcome:
    """Threads of a chat: id, order, events_count; keyset page ids; found_threads."""
    chat = load_chat(ctx, req.chat_id)
    rows, next_id, prev_id, _, _ = keyset_page(
        ctx,
        "SELECT id, ord, events_count FROM threads",
        ["chat_id = ?"],
        [chat["id"]],
        ("ord", "id"),
        req.order,
        req.limit,
        req.page_id,
    )
    found = ctx.row("SELECT COUNT(*) FROM threads WHERE chat_id=?", (chat["id"],))[0]
    out: dict[str, Any] = {
        "threads_summary": [{"id": r["id"], "order": r["ord"], "events_count": r["events_count"]} for r in rows],
        "found_threads": found,
    }
    if next_id:
        out["next_page_id"] = next_id
    if prev_id:
        out["previous_page_id"] = prev_id
    return Outcome(out)
