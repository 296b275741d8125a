"""The queue: active chats no agent is in, oldest first; and the v3.6 `queue_positions_updated`
push after every action that moved a chat into or out of it."""

from __future__ import annotations

from typing import Any

from lcconsole.emulator.world.access import audience
from lcconsole.emulator.world.ctx import Ctx, iso

QUEUE_MOVES = frozenset(
    {"incoming_chat_thread", "thread_closed", "chat_transferred", "chat_user_added", "chat_user_removed"}
)
"""Canonical pushes of the changes that can move a chat into or out of the queue."""
PUSHED_POSITIONS = 200
"""Positions sent per push: the head of the queue (a longer queue's tail moves only by one)."""

_QUEUED_SQL = (
    "SELECT c.id, c.last_thread_id FROM chats c WHERE c.active=1 AND NOT EXISTS"
    " (SELECT 1 FROM chat_users u WHERE u.chat_id=c.id AND u.user_type='agent') ORDER BY c.seq"
)


def queue_of(ctx: Ctx, chat_id: str) -> dict[str, Any]:
    """A chat's v3.6 `queue` facts: its position among the queued chats (or where it would
    join), no wait estimate."""
    waiting = [row[0] for row in ctx.q(_QUEUED_SQL)]
    position = waiting.index(chat_id) + 1 if chat_id in waiting else len(waiting) + 1
    return {"position": position, "wait_time": 0, "queued_at": iso(ctx.now)}


def announce_positions(ctx: Ctx) -> None:
    """When the action's pushes moved the queue: `queue_positions_updated` (v3.6 only) to every
    agent who can see a queued chat, listing the positions of the queued chats it can see."""
    if not any(p.action in QUEUE_MOVES and p.dialect is None for p in ctx.pushes):
        return
    seen_by: dict[str, list[dict[str, Any]]] = {}
    for position, (chat_id, thread_id) in enumerate(ctx.q(_QUEUED_SQL + " LIMIT ?", (PUSHED_POSITIONS,)), 1):
        entry = {"chat_id": chat_id, "thread_id": thread_id, "queue": {"position": position, "wait_time": 0}}
        for agent_id in audience(ctx, chat_id, broad=True):
            seen_by.setdefault(agent_id, []).append(entry)
    same: dict[tuple[str, ...], list[str]] = {}
    for agent_id, entries in seen_by.items():
        same.setdefault(tuple(e["chat_id"] for e in entries), []).append(agent_id)
    for agent_ids in same.values():
        ctx.push("queue_positions_updated", seen_by[agent_ids[0]], agent_ids, dialect="3.6")
