"""Following customers in v3.6: the login's `customer_monitoring_level` and `incoming_customers`
push, and `subscribe_customers` / `unsubscribe_customers` (rtm-reference § Login, § Subscribe
Customers). Which customer pushes each socket then gets is decided in `emulator/hub.py`
from the facts `world/watch.py` attaches to them.

The level belongs to the agent: a login that names none keeps the level of the agent's other
sessions, or `my` when it opens the first one (`highest_available` is `online` here). Pushes
that only the requesting socket gets carry `meta["origin_only"]`.
"""

from __future__ import annotations

import secrets
from typing import Any

from lcconsole.emulator.contract import ErrorReply, Outcome
from lcconsole.emulator.v36 import render
from lcconsole.emulator.world.ctx import Ctx
from lcconsole.emulator.world.customers import customer_visibility_sql
from lcconsole.emulator.world.objects import customer_obj
from lcconsole.emulator.world.watch import HIGHEST, LEVELS, customer_groups, subscribed_to, watch
from lcconsole.wire.scopes import satisfies
from lcconsole.wire.v36 import requests as rq36

MAX_LISTED = 1000
"""Customers listed at most by incoming_customers / subscribe_customers."""
DEFAULT_SUBSCRIPTION_LIMIT = 100


def reads_customers(ctx: Ctx) -> bool:
    info = ctx.agent(ctx.me)
    return info is not None and any(satisfies(s, "customers:ro") for s in info.scopes)


def choose_level(ctx: Ctx, asked: str | None) -> str:
    """The agent's level after this login (see the module doc)."""
    level = HIGHEST if asked == "highest_available" else asked
    if level is None:
        level = ctx.engine.monitoring.get(ctx.me, "my")
    ctx.engine.monitoring[ctx.me] = level
    return level


def _candidates(ctx: Ctx, online_only: bool, member_only: bool = False) -> list[Any]:
    """Customers on the website (or, unless `online_only`, in an active chat) that the
    requester may see (restricted customers stay hidden); `member_only`: only those in an
    active chat of which the requester is a member (the `my` level's customers)."""
    where, args = customer_visibility_sql(ctx)
    busy = "" if online_only else (" OR EXISTS (SELECT 1 FROM chats h WHERE h.customer_id=customers.id AND h.active=1)")
    where.append(f"EXISTS (SELECT 1 FROM visits v WHERE v.customer_id=customers.id AND v.ended_at IS NULL){busy}")
    if member_only:
        where.append(
            "EXISTS (SELECT 1 FROM chats h JOIN chat_users u ON u.chat_id=h.id WHERE h.customer_id=customers.id"
            " AND h.active=1 AND u.user_type='agent' AND u.user_id=?)"
        )
        args = [*args, ctx.me]
    return ctx.q(
        "SELECT * FROM customers WHERE " + " AND ".join(f"({w})" for w in where) + " ORDER BY seq LIMIT ?",
        (*args, MAX_LISTED),
    )


def followed(ctx: Ctx, level: str) -> list[dict[str, Any]]:
    """The v3.6 customers the requester follows at `level`."""
    rank = LEVELS[level]
    out = []
    # (at `my`, only a member's customers can qualify: the others are not looked at, one
    # `watch` of several queries each saved per customer at every v3.6 login)
    for row in _candidates(ctx, online_only=False, member_only=rank == LEVELS["my"]):
        needed = watch(ctx, row["id"], [ctx.me])["levels"].get(ctx.me)
        if needed is not None and needed <= rank:
            out.append(render.customer(customer_obj(row, ctx.now)))
    return out


def announce_level(ctx: Ctx, asked: str | None) -> None:
    """Login: settle the level and queue `incoming_customers` for the logging-in socket."""
    level = choose_level(ctx, asked)
    if reads_customers(ctx):
        ctx.push(
            "incoming_customers",
            {"customer_monitoring_level": level, "customers": followed(ctx, level)},
            [ctx.me],
            meta={"origin_only": True},
            dialect="3.6",
        )


def subscribe_customers(ctx: Ctx, req: rq36.SubscribeCustomers) -> Outcome:
    """A subscription id and the online customers of the groups (`limit` of them; when more
    match, `subscribed_customers_totals_updated` tells how many)."""
    wanted = list(req.group_ids) if req.group_ids is not None else None
    limit = req.limit or DEFAULT_SUBSCRIPTION_LIMIT
    rows = [r for r in _candidates(ctx, online_only=True) if subscribed_to(set(customer_groups(ctx, r["id"])), wanted)]
    subscription_id = secrets.token_hex(16)
    ctx.engine.subscriptions[subscription_id] = {"agent_id": ctx.me, "group_ids": wanted}
    if len(rows) > limit:
        ctx.push(
            "subscribed_customers_totals_updated",
            {subscription_id: len(rows)},
            [ctx.me],
            meta={"origin_only": True},
            dialect="3.6",
        )
    return Outcome(
        {
            "subscription_id": subscription_id,
            "customers": [render.customer(customer_obj(r, ctx.now)) for r in rows[:limit]],
        }
    )


def unsubscribe_customers(ctx: Ctx, req: rq36.UnsubscribeCustomers) -> Outcome:
    found = ctx.engine.subscriptions.get(req.subscription_id)
    if found is None or found["agent_id"] != ctx.me:
        raise ErrorReply("not_found", f"Subscription {req.subscription_id} not found")
    del ctx.engine.subscriptions[req.subscription_id]
    return Outcome({})
