"""Agent-level actions: update_agent, multicast, last seen, and the RTM-only actions."""

from __future__ import annotations

from typing import Any, Literal, Protocol

from pydantic import Field

from lcconsole.emulator.contract import ErrorReply, Outcome
from lcconsole.emulator.world.access import audience, is_member, load_chat
from lcconsole.emulator.world.ctx import Ctx, dumps, not_found
from lcconsole.emulator.world.customers import customer_visible
from lcconsole.emulator.world.objects import agent_obj
from lcconsole.emulator.world.summaries import login_summary
from lcconsole.wire import requests as rq
from lcconsole.wire.requests import Req
from lcconsole.wire.scopes import satisfies


class PushNotificationsIn(Req):
    firebase_token: str | None = None
    platform: Literal["ios", "android"]


class Login(Req):
    """RTM login payload (the token itself is checked by the transport via authenticate)."""

    token: str | None = None
    timezone: str | None = None
    reconnect: bool | None = None
    push_notifications: PushNotificationsIn | None = None
    application: dict[str, Any] | None = None


class SetAwayStatus(Req):
    away: bool


class AwayIn(Protocol):
    """A v3.0 or v3.6 set_away_status request."""

    @property
    def away(self) -> bool: ...


class ChangePushNotifications(Req):
    firebase_token: str
    platform: Literal["ios", "android"]
    enabled: bool


class Empty(Req):
    """No payload."""


class SneakPeek(Req):
    """Customer send_sneak_peek payload."""

    chat_id: str
    sneak_peek_text: str = Field(max_length=16 * 1024)


def update_agent(ctx: Ctx, req: rq.UpdateAgent) -> Outcome:
    """Routing status of self (agents--my:rw) or of another agent (agents--all:rw)."""
    target = req.agent_id or ctx.me
    if target != ctx.me and not any(satisfies(s, "agents--all:rw") for s in ctx.principal.scopes):
        raise ErrorReply("authorization", "update_agent for another agent requires agents--all:rw")
    row = ctx.one("SELECT * FROM agents WHERE id=?", (target,))
    if row is None:
        raise not_found("Agent", target)
    if req.routing_status is not None:  # pushed even when unchanged (the spec sample's case)
        ctx.x("UPDATE agents SET routing_status=? WHERE id=?", (req.routing_status, target))
        ctx.push("agent_updated", {"agent_id": target, "routing_status": req.routing_status}, ctx.agents())
    return Outcome({})


def multicast(ctx: Ctx, req: rq.Multicast) -> Outcome:
    """incoming_multicast to the agents (all / ids / groups) and customers (ids) named."""
    agents_in = req.scopes.agents
    customers_in = req.scopes.customers
    if not (
        (agents_in and (agents_in.all or agents_in.ids or agents_in.groups)) or (customers_in and customers_in.ids)
    ):
        raise ErrorReply(
            "validation", "scopes: at least one of agents.all, agents.ids, agents.groups, customers.ids is required"
        )
    known = ctx.agents()
    agents: set[str] = set()
    if agents_in:
        if agents_in.all:
            agents.update(known)
        agents.update(a for a in agents_in.ids or [] if a in known)  # unknown ids: ignored
        for i, group in enumerate(agents_in.groups or []):
            try:
                gid = int(group)
            except ValueError:
                raise ErrorReply("validation", f"scopes.agents.groups.{i}: not a group id") from None
            agents.update(a.id for a in known.values() if gid == 0 or gid in a.groups)
    customers: set[str] = set()
    for customer_id in (customers_in.ids if customers_in else None) or []:
        if ctx.one("SELECT 1 FROM customers WHERE id=?", (customer_id,)) is not None and customer_visible(
            ctx, customer_id, ctx.me
        ):
            customers.add(customer_id)  # unknown (or hidden) ids are ignored, like unknown agents
    dumps(req.content)  # NaN / Infinity / absurd nesting cannot be delivered as JSON
    payload: dict[str, Any] = {"author_id": ctx.me, "content": req.content}
    if req.type is not None:
        payload["type"] = req.type
    ctx.push("incoming_multicast", payload, agents, customers)
    return Outcome({})


def update_last_seen_timestamp(ctx: Ctx, req: rq.UpdateLastSeenTimestamp) -> Outcome:
    """Store the requester's last-seen time in the chat; push last_seen_timestamp_updated."""
    chat = load_chat(ctx, req.chat_id)
    ts = req.timestamp if req.timestamp is not None else ctx.ts
    if ts < 0 or ts > 2**42:
        raise ErrorReply("validation", "timestamp: out of range")
    if is_member(ctx, chat["id"], ctx.me):
        ctx.x("UPDATE chat_users SET last_seen=? WHERE chat_id=? AND user_id=?", (ts, chat["id"], ctx.me))
    ctx.push(
        "last_seen_timestamp_updated",
        {"user_id": ctx.me, "chat_id": chat["id"], "timestamp": ts},
        audience(ctx, chat["id"]),
    )
    return Outcome({"timestamp": ts})


LICENSE_ID = "100000001"


def login(ctx: Ctx, req: Login) -> Outcome:
    """RTM login: license, my_profile (agent + permission) and the agent's chats_summary.

    Marks the agent present (the transport calls Engine.set_presence(agent, False) when its last
    socket closes). `reconnect: true` keeps the stored routing status; otherwise a fresh login
    resets it to accepting_chats and clears away.
    """
    if not req.reconnect:
        ctx.x("UPDATE agents SET routing_status='accepting_chats', away=0 WHERE id=?", (ctx.me,))
    ctx.x("UPDATE agents SET present=1, last_seen=? WHERE id=?", (ctx.ts, ctx.me))
    row = ctx.row("SELECT * FROM agents WHERE id=?", (ctx.me,))
    profile = agent_obj(row)
    profile["permission"] = row["permission"]
    created = int(ctx.row("SELECT value FROM meta WHERE key='created'")[0])
    license_ = {
        "id": LICENSE_ID,
        "plan": "enterprise",
        "expiration_timestamp": created + 10 * 365 * 86400,
        "creation_timestamp": created,
        "in_trial": False,
    }
    return Outcome({"license": license_, "my_profile": profile, "chats_summary": login_summary(ctx)})


def logout(ctx: Ctx, req: Empty) -> Outcome:
    """RTM logout: no payload; the transport closes the socket afterwards."""
    return Outcome({})


def set_away_status(ctx: Ctx, req: AwayIn) -> Outcome:
    """Away agents get no chats from routing."""
    ctx.x("UPDATE agents SET away=? WHERE id=?", (int(req.away), ctx.me))
    return Outcome({})


def change_push_notifications(ctx: Ctx, req: ChangePushNotifications) -> Outcome:
    return Outcome({})


def ping(ctx: Ctx, req: Empty) -> Outcome:
    return Outcome({})
