"""A v3.6 agent starting or stopping to follow a customer because the customer's chats changed.

The level at which an agent follows a customer (`watch.py`) depends on the customer's active
chats: their members (`my`) and groups (`chatting`, `invited`). An action that changes them
(a chat starts or ends, a user joins or leaves, a transfer or an access change) first notes the
chat (`note_chat`, `note_customer`: the customer's `watch` facts before the change); when the
action is done, `announce` compares them with the facts after it and queues, for the agents
with a v3.6 session:

- `customer_followed` (v3.6 `incoming_customer`, the Customer object) for the agents who may
  now follow the customer at a lower level than before: "an already followed customer, who was
  temporarily unavailable to the agent, becomes available again (for example, the customer was
  transferred between groups)" (rtm-pushes § incoming_customer);
- `customer_unfollowed` (v3.6 `customer_transferred`, `{id, transferred_to: {group_ids},
  followed: false}`) for those who no longer may while the customer still chats elsewhere:
  "a customer is no longer available to the agent" (§ customer_transferred). A customer whose
  chat ended stays where it is: the docs name no push for it (`customer_left` is for leaving
  the website, sent when the visit ends).

Each push carries `meta["change"]` (the facts before and after); the transport
(`emulator/hub.py`) sends it only to the sockets whose level and subscriptions make the change
real for them. v3.0 has no customer following: these pushes exist in v3.6 only.
"""

from __future__ import annotations

from typing import Any

from lcconsole.emulator.world.ctx import Ctx
from lcconsole.emulator.world.customers import customer_row, customers_audience
from lcconsole.emulator.world.objects import customer_obj
from lcconsole.emulator.world.watch import watch


def _watchers(ctx: Ctx) -> set[str]:
    """Agents with a v3.6 session (they have a monitoring level)."""
    return set(ctx.engine.monitoring)


def note_customer(ctx: Ctx, customer_id: str | None) -> None:
    """Keep the customer's `watch` facts as they are before this action changes its chats."""
    if not customer_id or customer_id in ctx.followed_before:
        return
    watchers = _watchers(ctx)
    if watchers:
        ctx.followed_before[customer_id] = watch(ctx, customer_id, watchers)


def note_chat(ctx: Ctx, chat_id: str) -> None:
    """`note_customer` for the chat's customer."""
    if not ctx.engine.monitoring:
        return
    row = ctx.one("SELECT customer_id FROM chats WHERE id=?", (chat_id,))
    if row is not None:
        note_customer(ctx, row[0])


def _rank(facts: dict[str, Any], agent_id: str) -> int | None:
    rank: int | None = facts["levels"].get(agent_id)
    return rank


def announce(ctx: Ctx) -> None:
    """Queue the following changes of the customers noted during this action."""
    for customer_id, before in ctx.followed_before.items():
        watchers = _watchers(ctx) & customers_audience(ctx, customer_id)
        after = watch(ctx, customer_id, watchers)
        gained, lost = set(), set()
        for agent_id in watchers:
            was, now = _rank(before, agent_id), _rank(after, agent_id)
            if now is not None and (was is None or now < was):
                gained.add(agent_id)
            elif was is not None and (now is None or now > was):
                lost.add(agent_id)
        if gained:
            obj = customer_obj(customer_row(ctx, customer_id), ctx.now)
            ctx.push(
                "customer_followed",
                {"customer": obj},
                gained,
                dialect="3.6",
                meta={"change": {"before": before, "after": after, "gained": True}},
            )
        groups = _chat_groups(ctx, customer_id)
        if lost and groups:
            ctx.push(
                "customer_unfollowed",
                {"customer_id": customer_id, "group_ids": groups},
                lost,
                dialect="3.6",
                meta={"change": {"before": before, "after": after, "gained": False}},
            )
    ctx.followed_before.clear()


def _chat_groups(ctx: Ctx, customer_id: str) -> list[int]:
    """The groups of the customer's active chats (empty: it chats nowhere now)."""
    return [
        r[0]
        for r in ctx.q(
            "SELECT DISTINCT a.group_id FROM chats c JOIN chat_access a ON a.chat_id=c.id"
            " WHERE c.customer_id=? AND c.active=1 ORDER BY a.group_id",
            (customer_id,),
        )
    ]
