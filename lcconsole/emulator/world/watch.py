"""Who may follow a customer: the facts a customer push carries for v3.6 sockets.

v3.6 agents choose how many customers they follow (`customer_monitoring_level` at login:
`my` < `chatting` < `invited` < `online`) and may subscribe to the online customers of groups
(`subscribe_customers`). The engine does not know the sockets, so each customer push carries
`meta["watch"]`: for every agent of its audience the lowest level at which that agent follows
the customer, plus the customer's groups and whether it is on the website; the transport
(`emulator/hub.py`) compares them with each socket's level and subscriptions. v3.0 sockets
ignore it and get every customer push, as before. When an action changes whom an agent may
follow, `following.py` tells the agents concerned.

Levels, as the emulator has them: `my` — the agent is a user of one of the customer's active
chats; `chatting` — the customer has an active chat in one of the agent's groups; `invited` —
the same (the emulator has no chat invitations); `online` — also every customer with an open
website visit whose groups the agent shares (a customer without groups is in every group). An
agent who reads every chat (`chats--all`) counts as a member of every group.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lcconsole.emulator.world.ctx import Ctx

LEVELS = {"my": 0, "chatting": 1, "invited": 2, "online": 3}
"""Monitoring level -> rank (a higher level follows every customer a lower one does)."""
HIGHEST = "online"
"""What `highest_available` means in the emulator."""


def level_rank(level: str | None) -> int:
    return LEVELS.get(level or "my", 0)


def customer_groups(ctx: Ctx, customer_id: str) -> list[int]:
    """The customer's groups (empty: every group)."""
    return [
        r[0]
        for r in ctx.q("SELECT group_id FROM customer_access WHERE customer_id=? ORDER BY group_id", (customer_id,))
    ]


def is_online(ctx: Ctx, customer_id: str) -> bool:
    """Has the customer an open website visit?"""
    return ctx.one("SELECT 1 FROM visits WHERE customer_id=? AND ended_at IS NULL LIMIT 1", (customer_id,)) is not None


def watch(ctx: Ctx, customer_id: str, agent_ids: Iterable[str], online: bool | None = None) -> dict[str, Any]:
    """`meta["watch"]` of a push about `customer_id` to `agent_ids` (`online`: override, e.g.
    for the push that ends the visit)."""
    chats = [r[0] for r in ctx.q("SELECT id FROM chats WHERE customer_id=? AND active=1", (customer_id,))]
    members: set[str] = set()
    chat_groups: set[int] = set()
    for chat_id in chats:
        members.update(
            r[0] for r in ctx.q("SELECT user_id FROM chat_users WHERE chat_id=? AND user_type='agent'", (chat_id,))
        )
        chat_groups.update(r[0] for r in ctx.q("SELECT group_id FROM chat_access WHERE chat_id=?", (chat_id,)))
    groups = customer_groups(ctx, customer_id)
    if online is None:
        online = is_online(ctx, customer_id)
    infos = ctx.agents()
    levels: dict[str, int] = {}
    for agent_id in agent_ids:
        info = infos.get(agent_id)
        everywhere = info is not None and info.read_level == "all"
        mine = (set(info.groups) if info is not None else set()) | {0}
        if agent_id in members:
            levels[agent_id] = LEVELS["my"]
        elif chats and (everywhere or chat_groups & mine):
            levels[agent_id] = LEVELS["chatting"]
        elif online and (everywhere or not groups or set(groups) & mine):
            levels[agent_id] = LEVELS["online"]
    return {"customer_id": customer_id, "levels": levels, "groups": groups, "online": online}


def push_about(
    ctx: Ctx,
    customer_id: str,
    action: str,
    payload: dict[str, Any],
    agent_ids: Iterable[str],
    meta: dict[str, Any] | None = None,
    online: bool | None = None,
    dialect: str | None = None,
) -> None:
    """Queue a customer push with its `watch` facts."""
    agents = set(agent_ids)
    if agents:
        ctx.push(
            action,
            payload,
            agents,
            meta=dict(meta or {}, watch=watch(ctx, customer_id, agents, online)),
            dialect=dialect,
        )


def follows(
    watch_meta: dict[str, Any], agent_id: str, level: str | None, subscriptions: Iterable[list[int] | None] = ()
) -> bool:
    """Does a v3.6 socket of `agent_id` at `level` (with these subscriptions' group filters,
    None: every group) get a push with these `watch` facts?"""
    needed = watch_meta["levels"].get(agent_id)
    if needed is not None and needed <= level_rank(level):
        return True
    if not watch_meta["online"]:
        return False
    groups = set(watch_meta["groups"])
    return any(subscribed_to(groups, wanted) for wanted in subscriptions)


def subscribed_to(customer_groups_: set[int], wanted: list[int] | None) -> bool:
    """Does a subscription to the groups `wanted` (None: all) cover a customer of these groups?"""
    return not wanted or 0 in wanted or not customer_groups_ or bool(customer_groups_ & set(wanted))
