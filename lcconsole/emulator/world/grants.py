"""grant_access / revoke_access / set_access: chats and customers, by group or by agent.

Request (v3.0): ``{"resource": "chat"|"customer", "id", "access": {"type": "group"|"agent", "id"}}``.
``access.id`` is a non-negative int group id for type ``group`` and an agent id (e-mail string —
the spec types it as a number, agents are e-mails here) for type ``agent``; anything else is a
``validation`` error naming ``access.id``. Unknown chats, customers and agents are ``not_found``.

Semantics:

* chat, group — the chat's access groups (``chat.access.group_ids``): grant adds the group,
  revoke removes it, set replaces the list with this one group (agent grants untouched).
* chat, agent — an agent-level grant: the agent sees the chat at the ``access`` level as if it
  were in one of its groups (docs/api-notes.md §2.7; see ``access.visible``) and gets its key-change
  pushes. grant adds the agent, revoke removes it, set makes it the only granted agent (groups
  untouched). Chat objects list them as ``access.agent_ids`` (left out when there are none).
* customer (needs a ``customers:rw`` scope) — the customer's access groups / agent grants,
  stored; a customer with either is *restricted* and get_customers lists it only to agents who
  match (rules in ``customers.py``). Revoking the last one lifts the restriction.

Pushes ``access_granted`` / ``access_revoked`` / ``access_set`` carry
``{"resource", "id", "access": {"group_ids": [...], "agent_ids"?: [...]}}`` (the full access
after the change; ``agent_ids`` when the change was by agent or agents are granted). Chat pushes go
to everyone who could see the chat before or after the change (members, followers, agents with
access) plus the agent named; customer pushes go to the ``customers:ro`` holders who could list
the customer before or after, plus the agent named when it holds ``customers:ro``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from lcconsole.emulator.contract import ErrorReply, Outcome
from lcconsole.emulator.world.access import audience, granted_agents, load_chat
from lcconsole.emulator.world.ctx import Ctx, dumps, not_found
from lcconsole.emulator.world.customers import customer_row, customer_visible, customers_audience
from lcconsole.emulator.world.following import note_chat
from lcconsole.emulator.world.objects import chat_access
from lcconsole.wire import requests as rq
from lcconsole.wire.scopes import satisfies

T = TypeVar("T", int, str)

PUSHES = {"grant": "access_granted", "revoke": "access_revoked", "set": "access_set"}


def _target(ctx: Ctx, access: rq.AccessChange) -> int | str:
    """The validated group id (int) or agent id (str) of `access`."""
    value = access.id
    if access.type == "group":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ErrorReply("validation", "access.id: must be a non-negative integer group id")
        return value
    if not isinstance(value, str) or not value:
        raise ErrorReply("validation", "access.id: must be an agent id (e-mail string) for access.type agent")
    if ctx.agent(value) is None:
        raise not_found("Agent", value)
    return value


def _apply(before: set[T], value: T, mode: str) -> set[T]:
    if mode == "grant":
        return before | {value}
    if mode == "revoke":
        return before - {value}
    return {value}


def _store_agents(ctx: Ctx, resource: str, resource_id: str, agents: set[str]) -> None:
    ctx.x("DELETE FROM agent_grants WHERE resource=? AND resource_id=?", (resource, resource_id))
    ctx.conn.executemany(
        "INSERT INTO agent_grants(resource, resource_id, agent_id) VALUES (?, ?, ?)",
        [(resource, resource_id, a) for a in sorted(agents)],
    )


def _access(groups: set[int], agents: set[str], by_agent: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"group_ids": sorted(groups)}
    if by_agent or agents:
        out["agent_ids"] = sorted(agents)
    return out


def _chat_change(ctx: Ctx, req: rq.AccessRequest, mode: str) -> Outcome:
    value = _target(ctx, req.access)
    chat = load_chat(ctx, req.id)
    chat_id = chat["id"]
    groups = set(chat_access(ctx, chat_id))
    agents = set(granted_agents(ctx, "chat", chat_id))
    concerned = audience(ctx, chat_id, broad=True)
    if isinstance(value, int):  # a group id (`_target`)
        groups = _apply(groups, value, mode)
        note_chat(ctx, chat_id)
        ctx.x("DELETE FROM chat_access WHERE chat_id=?", (chat_id,))
        ctx.conn.executemany(
            "INSERT INTO chat_access(chat_id, group_id) VALUES (?, ?)", [(chat_id, g) for g in sorted(groups)]
        )
        ctx.x("UPDATE threads SET access=? WHERE chat_id=?", (dumps(sorted(groups)), chat_id))
    else:
        agents = _apply(agents, value, mode)
        _store_agents(ctx, "chat", chat_id, agents)
        named = ctx.agent(value)
        if named is not None and named.read_level is not None:
            concerned.add(value)
    concerned |= audience(ctx, chat_id, broad=True)
    payload = {"resource": "chat", "id": chat_id, "access": _access(groups, agents, req.access.type == "agent")}
    ctx.push(PUSHES[mode], payload, concerned, meta={"group_ids": sorted(groups)})
    return Outcome({})


def _customer_change(ctx: Ctx, req: rq.AccessRequest, mode: str) -> Outcome:
    if not any(satisfies(s, "customers:rw") for s in ctx.principal.scopes):
        raise ErrorReply("authorization", "Changing a customer's access requires customers:rw")
    value = _target(ctx, req.access)
    customer_id = customer_row(ctx, req.id)["id"]
    readers = customers_audience(ctx)
    concerned = {a for a in readers if customer_visible(ctx, customer_id, a)}
    groups = {r[0] for r in ctx.q("SELECT group_id FROM customer_access WHERE customer_id=?", (customer_id,))}
    agents = set(granted_agents(ctx, "customer", customer_id))
    if isinstance(value, int):  # a group id (`_target`)
        groups = _apply(groups, value, mode)
        ctx.x("DELETE FROM customer_access WHERE customer_id=?", (customer_id,))
        ctx.conn.executemany(
            "INSERT INTO customer_access(customer_id, group_id) VALUES (?, ?)",
            [(customer_id, g) for g in sorted(groups)],
        )
    else:
        agents = _apply(agents, value, mode)
        _store_agents(ctx, "customer", customer_id, agents)
        if value in readers:
            concerned.add(value)
    concerned |= {a for a in readers if customer_visible(ctx, customer_id, a)}
    concerned.add(ctx.me)
    payload = {"resource": "customer", "id": customer_id, "access": _access(groups, agents, req.access.type == "agent")}
    ctx.push(PUSHES[mode], payload, concerned)
    return Outcome({})


def _change(ctx: Ctx, req: rq.AccessRequest, mode: str) -> Outcome:
    if req.resource == "customer":
        return _customer_change(ctx, req, mode)
    return _chat_change(ctx, req, mode)


def grant_access(ctx: Ctx, req: rq.AccessRequest) -> Outcome:
    """Add a group or an agent to a chat's or customer's access."""
    return _change(ctx, req, "grant")


def revoke_access(ctx: Ctx, req: rq.AccessRequest) -> Outcome:
    """Remove a group or an agent from a chat's or customer's access."""
    return _change(ctx, req, "revoke")


def set_access(ctx: Ctx, req: rq.AccessRequest) -> Outcome:
    """Make one group (or one granted agent) the whole access of its kind."""
    return _change(ctx, req, "set")
