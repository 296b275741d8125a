"""The emulator's routing rule for chats started or re-opened by customers (and transfers).

Rule: among agents who are *available* — present (logged in over RTM, or played by the demo
simulator: `Engine.simulate_agents`), not away, and with
``routing_status == "accepting_chats"`` — and who belong to one of the chat's access groups
(every agent belongs to group 0), pick the one with the fewest active chats; ties go to the
agent created first. If nobody is available the chat stays *queued*: it is active, has no agent
among its users, and every agent who can see it gets its pushes.
"""

from __future__ import annotations

from collections.abc import Iterable

from lcconsole.emulator.world.ctx import Ctx


def available(ctx: Ctx, agent_id: str) -> bool:
    """Present, not away, accepting chats."""
    row = ctx.one("SELECT present, away, routing_status FROM agents WHERE id=?", (agent_id,))
    return bool(row and row["present"] and not row["away"] and row["routing_status"] == "accepting_chats")


def pick_agent(ctx: Ctx, group_ids: Iterable[int], exclude: Iterable[str] = ()) -> str | None:
    """The agent the rule above assigns for a chat with these access groups, or None."""
    groups = set(group_ids)
    excluded = set(exclude)
    rows = ctx.q(
        """SELECT a.id,
                  (SELECT COUNT(*) FROM chat_users u JOIN chats c ON c.id = u.chat_id
                    WHERE u.user_id = a.id AND c.active = 1) AS load
             FROM agents a
            WHERE a.present = 1 AND a.away = 0 AND a.routing_status = 'accepting_chats'
            ORDER BY load, a.seq"""
    )
    for row in rows:
        if row["id"] in excluded:
            continue
        info = ctx.agent(row["id"])
        agent_groups = set(info.groups if info else ()) | {0}
        if 0 in groups or agent_groups & groups:
            agent_id: str = row["id"]
            return agent_id
    return None
