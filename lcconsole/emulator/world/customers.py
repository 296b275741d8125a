"""Customer actions: create/update/ban, get_customers with every filter, customer tokens.

Customer access (set by grant/revoke/set_access with ``resource: "customer"``, see grants.py): a
customer with no access groups and no agent grants is unrestricted. A restricted customer is
listed by get_customers only to agents who match — one of the agent's groups (every agent is in
group 0) is among the customer's groups, or the agent holds an agent grant on the customer —
unless the agent has broad rights (a ``chats--all`` read scope: it sees every chat, so every
customer). To any other agent a restricted customer does not exist: actions naming it
(update_customer, ban_customer, start_chat or add_user_to_chat with it, v3.6 get_customer) answer
``not_found`` as for a missing one, multicasts skip it, subscriptions do not list it, and its
customer_* pushes do not reach that agent. Chats stay governed by chat access: an agent who may
see a chat sees its customer there.
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from lcconsole.emulator.contract import ErrorReply, Outcome
from lcconsole.emulator.world.ctx import Ctx, dumps, iso, loads, new_token, not_found, parse_iso
from lcconsole.emulator.world.objects import customer_obj
from lcconsole.emulator.world.pages import keyset_page
from lcconsole.emulator.world.watch import push_about
from lcconsole.wire import requests as rq
from lcconsole.wire.scopes import satisfies

STRING_COLUMNS = {"country": "country", "email": "email", "name": "name", "customer_id": "id"}
RANGE_COLUMNS = ("chats_count", "threads_count", "visits_count")
DATE_COLUMNS = ("created_at", "agent_last_event_created_at", "customer_last_event_created_at")
OPS = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">=", "eq": "="}


def customer_row(ctx: Ctx, customer_id: str) -> sqlite3.Row:
    row = ctx.one("SELECT * FROM customers WHERE id=?", (customer_id,))
    if row is None:
        raise not_found("Customer", customer_id)
    return row


def is_banned(row: sqlite3.Row, now: float) -> bool:
    return row["ban_until"] is not None and row["ban_until"] > now


def check_not_banned(ctx: Ctx, customer_id: str) -> None:
    """Raise `customer_banned` while the customer's ban lasts."""
    row = customer_row(ctx, customer_id)
    if is_banned(row, ctx.now):
        raise ErrorReply("customer_banned", f"Customer {customer_id} is banned")


def customers_audience(ctx: Ctx, customer_id: str | None = None) -> set[str]:
    """Agents who may read customers (receive customer_* pushes); with `customer_id`, only
    those who may see that customer (module docstring)."""
    readers = {a.id for a in ctx.agents().values() if any(satisfies(s, "customers:ro") for s in a.scopes)}
    if customer_id is None:
        return readers
    return {a for a in readers if customer_visible(ctx, customer_id, a)}


def visible_customer_row(ctx: Ctx, customer_id: str) -> sqlite3.Row:
    """`customer_row`, except that a customer the requesting agent may not see is `not_found`
    too (module docstring)."""
    row = customer_row(ctx, customer_id)
    if ctx.is_agent and not customer_visible(ctx, row["id"], ctx.me):
        raise not_found("Customer", customer_id)
    return row


def insert_customer(
    ctx: Ctx,
    *,
    customer_id: str | None = None,
    name: str | None = None,
    email: str | None = None,
    avatar: str | None = None,
    fields: dict[str, Any] | None = None,
    token: str | None = None,
    created_at: str | None = None,
    last_visit: dict[str, Any] | None = None,
    visits_count: int = 0,
) -> str:
    """Insert a customer row and return its id (UUID v4)."""
    cid = customer_id or str(uuid.uuid4())
    seq = ctx.row("SELECT COALESCE(MAX(seq), 0) + 1 FROM customers")[0]
    country = None
    if last_visit:
        country = (last_visit.get("geolocation") or {}).get("country")
    ctx.x(
        "INSERT INTO customers(id, seq, token, name, email, avatar, fields, last_visit, country,"
        " visits_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            cid,
            seq,
            token,
            name,
            email,
            avatar,
            dumps(fields or {}),
            dumps(last_visit) if last_visit else None,
            country,
            visits_count,
            created_at or iso(ctx.now),
        ),
    )
    return cid


def create_customer(ctx: Ctx, req: rq.CustomerData) -> Outcome:
    cid = insert_customer(ctx, name=req.name, email=req.email, avatar=req.avatar, fields=req.fields)
    obj = customer_obj(customer_row(ctx, cid), ctx.now)
    push_about(ctx, cid, "customer_created", {"customer": obj}, customers_audience(ctx))
    return Outcome(obj)


def create_customer_token(ctx: Ctx, name: str | None, email: str | None) -> dict[str, Any]:
    """A new customer with a bearer token for the customer side."""
    token = new_token()
    cid = insert_customer(ctx, name=name, email=email, token=token)
    obj = customer_obj(customer_row(ctx, cid), ctx.now)
    push_about(ctx, cid, "customer_created", {"customer": obj}, customers_audience(ctx))
    return {"customer_id": cid, "access_token": token}


def check_uuid4(value: str, field: str = "customer_id") -> None:
    try:
        parsed = uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        raise ErrorReply("validation", f"{field}: must be a UUID v4") from None
    if parsed.version != 4:
        raise ErrorReply("validation", f"{field}: must be a UUID v4")


def update_customer(ctx: Ctx, req: rq.UpdateCustomer) -> Outcome:
    check_uuid4(req.customer_id)
    row = visible_customer_row(ctx, req.customer_id)
    fields = loads(row["fields"], {})
    if req.fields is not None:
        fields.update(req.fields)
    ctx.x(
        "UPDATE customers SET name=?, email=?, avatar=?, fields=? WHERE id=?",
        (
            req.name if req.name is not None else row["name"],
            req.email if req.email is not None else row["email"],
            req.avatar if req.avatar is not None else row["avatar"],
            dumps(fields),
            row["id"],
        ),
    )
    obj = customer_obj(customer_row(ctx, row["id"]), ctx.now)
    push_about(ctx, row["id"], "customer_updated", obj, customers_audience(ctx, row["id"]))
    return Outcome(obj)


def ban_customer(ctx: Ctx, req: rq.BanCustomer) -> Outcome:
    """Ban for `days` days (0 lifts a ban); a banned customer cannot start chats or write."""
    row = visible_customer_row(ctx, req.customer_id)
    days = req.ban.days
    until = ctx.now + days * 86400 if days > 0 else None
    ctx.x("UPDATE customers SET ban_days=?, ban_until=? WHERE id=?", (days if days > 0 else None, until, row["id"]))
    push_about(
        ctx,
        row["id"],
        "customer_banned",
        {"customer_id": row["id"], "ban": {"days": days}},
        customers_audience(ctx, row["id"]),
    )
    return Outcome({})


def _filter_sql(filters: Any) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if filters is None:
        return where, args
    for key, column in STRING_COLUMNS.items():
        f = getattr(filters, key)
        if f is None:
            continue
        if f.values is not None and f.exclude_values is not None:
            raise ErrorReply("validation", f"filters.{key}: only one of values / exclude_values is allowed")
        if f.values is not None:
            where.append(f"{column} IN ({','.join('?' * len(f.values))})" if f.values else "0")
            args.extend(f.values)
        elif f.exclude_values is not None and f.exclude_values:
            marks = ",".join("?" * len(f.exclude_values))
            where.append(f"({column} IS NULL OR {column} NOT IN ({marks}))")
            args.extend(f.exclude_values)
    for column in (*RANGE_COLUMNS, *DATE_COLUMNS):
        f = getattr(filters, column)
        if f is None:
            continue
        for op, sql_op in OPS.items():
            value = getattr(f, op)
            if value is not None:
                where.append(f"{column} {sql_op} ?")
                args.append(parse_iso(value, f"filters.{column}.{op}") if column in DATE_COLUMNS else value)
    return where, args


def customer_visibility_sql(ctx: Ctx) -> tuple[list[str], list[Any]]:
    """WHERE parts hiding restricted customers the requester does not match (module docstring)."""
    info = ctx.agent(ctx.me) if ctx.is_agent else None
    if info is None or info.read_level == "all":
        return [], []
    groups = sorted(set(info.groups) | {0})
    grant = "EXISTS (SELECT 1 FROM agent_grants g WHERE g.resource='customer' AND g.resource_id=customers.id{})"
    sql = (
        "(NOT EXISTS (SELECT 1 FROM customer_access x WHERE x.customer_id=customers.id)"
        f" AND NOT {grant.format('')})"
        " OR EXISTS (SELECT 1 FROM customer_access x WHERE x.customer_id=customers.id"
        f" AND x.group_id IN ({','.join('?' * len(groups))}))"
        f" OR {grant.format(' AND g.agent_id=?')}"
    )
    return [sql], [*groups, ctx.me]


def customer_visible(ctx: Ctx, customer_id: str, agent_id: str) -> bool:
    """Would get_customers list this customer to this agent (module docstring)?"""
    info = ctx.agent(agent_id)
    if info is None:
        return False
    if info.read_level == "all":
        return True
    groups = {r[0] for r in ctx.q("SELECT group_id FROM customer_access WHERE customer_id=?", (customer_id,))}
    agents = {
        r[0]
        for r in ctx.q("SELECT agent_id FROM agent_grants WHERE resource='customer' AND resource_id=?", (customer_id,))
    }
    return (not groups and not agents) or bool(groups & (set(info.groups) | {0})) or agent_id in agents


def get_customers(ctx: Ctx, req: rq.GetCustomers) -> Outcome:
    """Customers by created_at (desc default) with string/range/date filters and page ids.

    Restricted customers are left out for agents without broad rights (module docstring).
    """
    where, args = _filter_sql(req.filters)
    more, more_args = customer_visibility_sql(ctx)
    where, args = where + more, args + more_args
    rows, next_id, prev_id, _, _ = keyset_page(
        ctx, "SELECT * FROM customers", where, args, ("created_at", "seq"), req.order, req.limit, req.page_id
    )
    count_sql = "SELECT COUNT(*) FROM customers"
    if where:
        count_sql += " WHERE " + " AND ".join(f"({w})" for w in where)
    total = ctx.row(count_sql, args)[0]
    out: dict[str, Any] = {"customers": [customer_obj(r, ctx.now) for r in rows], "total_customers": total}
    if next_id:
        out["next_page_id"] = next_id
    if prev_id:
        out["previous_page_id"] = prev_id
    return Outcome(out)
