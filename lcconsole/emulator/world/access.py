"""Chat visibility, push audiences, and the follow actions (access changes: ``grants.py``).

Visibility of a chat for an agent at a scope level (docs/api-notes.md §2.7):

* ``all``    — every chat;
* ``access`` — chats whose access groups intersect the agent's groups (every agent is in group 0,
  so a chat with access ``[0]`` is visible to all), chats the agent holds an agent-level grant on
  (grant_access with ``access.type: "agent"``, see ``grants.py``), plus chats the agent is a
  member of;
* ``my``     — chats where the agent is a user (member).

A chat that exists but is not visible answers ``authorization`` ("No access to chat X") for
agents; for customers every chat that is not their own answers ``not_found``. Missing chats,
threads, events and customers answer ``not_found`` ("Chat X not found").

Who receives which push (the engine addresses every AddressedPush; transports only deliver):

=================================  ===========================================================
push                               agents (customer)
=================================  ===========================================================
incoming_chat_thread               members + followers + agents who can see the chat
                                   (customer of the chat)
incoming_event, event_updated      members + followers; also agents who can see the chat while
                                   it is queued (no agent member) (customer if recipients=all)
incoming_rich_message_postback     members + followers (+ queued rule), active threads only
incoming_typing_indicator          members + followers except the author (customer if
                                   recipients=all and the author is an agent)
incoming_sneak_peek                members + followers + queued rule (never the customer)
thread_closed, chat_transferred,   members + followers + every agent who can see the chat
access_*, chat_user_added/removed  ("key changes"; previous members too) (customer of the chat)
*_properties_*, chat_thread_*      members + followers (+ queued rule)
last_seen_timestamp_updated        members + followers
customer_created/updated/banned,   agents holding a customers:ro-satisfying scope
customer_visit_*/page_updated      (access_* on a customer: see grants.py)
agent_updated                      every agent
incoming_multicast                 the agents/customers named by the multicast scopes
=================================  ===========================================================

Followers and agents who cannot see the chat (after an access change) are filtered out — except
for the access_* push itself, which also reaches those who could see the chat before it
(grants.py); the requester of an agent action always gets the pushes its action causes (for its
request_id).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from lcconsole.emulator.contract import ErrorReply, Outcome
from lcconsole.emulator.world.ctx import Ctx, not_found
from lcconsole.emulator.world.objects import chat_access, chat_obj
from lcconsole.wire import requests as rq

LEVELS = ("my", "access", "all")


def is_member(ctx: Ctx, chat_id: str, user_id: str) -> bool:
    return ctx.one("SELECT 1 FROM chat_users WHERE chat_id=? AND user_id=?", (chat_id, user_id)) is not None


def visible(ctx: Ctx, agent_id: str, chat_id: str, level: str | None) -> bool:
    """Can `agent_id` see `chat_id` at `level` (all / access / my)?"""
    if level is None:
        return False
    if level == "all":
        return True
    if is_member(ctx, chat_id, agent_id):
        return True
    if level == "access":
        info = ctx.agent(agent_id)
        groups = set(info.groups if info else ()) | {0}
        return bool(groups & set(chat_access(ctx, chat_id))) or agent_id in granted_agents(ctx, "chat", chat_id)
    return False


def granted_agents(ctx: Ctx, resource: str, resource_id: str) -> list[str]:
    """Agents holding an agent-level grant (access.type "agent") on a chat or customer."""
    return [
        r[0]
        for r in ctx.q(
            "SELECT agent_id FROM agent_grants WHERE resource=? AND resource_id=? ORDER BY agent_id",
            (resource, resource_id),
        )
    ]


def load_chat(ctx: Ctx, chat_id: str, level: str | None = None) -> sqlite3.Row:
    """The chat row, after checking it exists and the principal may touch it."""
    row = ctx.one("SELECT * FROM chats WHERE id=?", (chat_id,))
    if row is None:
        raise not_found("Chat", chat_id)
    if not ctx.is_agent:
        if row["customer_id"] != ctx.me:
            raise not_found("Chat", chat_id)
        return row
    if not visible(ctx, ctx.me, chat_id, level or ctx.level):
        raise ErrorReply("authorization", f"No access to chat {chat_id}")
    return row


def load_thread(ctx: Ctx, chat_id: str, thread_id: str) -> sqlite3.Row:
    row = ctx.one("SELECT * FROM threads WHERE id=? AND chat_id=?", (thread_id, chat_id))
    if row is None:
        raise not_found("Thread", thread_id)
    return row


def last_thread(ctx: Ctx, chat: sqlite3.Row) -> sqlite3.Row | None:
    if chat["last_thread_id"] is None:
        return None
    return ctx.one("SELECT * FROM threads WHERE id=?", (chat["last_thread_id"],))


def member_agents(ctx: Ctx, chat_id: str) -> list[str]:
    return [
        r[0]
        for r in ctx.q("SELECT user_id FROM chat_users WHERE chat_id=? AND user_type='agent' ORDER BY seq", (chat_id,))
    ]


def audience(
    ctx: Ctx, chat_id: str, broad: bool = False, exclude: Iterable[str] = (), also: Iterable[str] = ()
) -> set[str]:
    """Agents to push a chat change to (see the module table).

    broad: key change — every agent who can see the chat gets it. Otherwise members and
    followers, and everyone who can see the chat while it is queued (no agent member).
    """
    agents = ctx.agents()
    rows = ctx.q(
        "SELECT user_id, 0 FROM chat_users WHERE chat_id=? AND user_type='agent'"
        " UNION ALL SELECT agent_id, 1 FROM followers WHERE chat_id=?",
        (chat_id, chat_id),
    )
    members = [agent_id for agent_id, follows in rows if not follows]
    out = set(members)
    for agent_id, follows in rows:
        info = agents.get(agent_id) if follows else None
        if info and visible(ctx, agent_id, chat_id, info.read_level):
            out.add(agent_id)
    if broad or not members:
        groups = set(chat_access(ctx, chat_id))
        for info in agents.values():
            if info.read_level == "all" or (info.read_level == "access" and (set(info.groups) | {0}) & groups):
                out.add(info.id)
        for agent_id in granted_agents(ctx, "chat", chat_id):
            info = agents.get(agent_id)
            if info and info.read_level == "access":
                out.add(agent_id)
    out.update(a for a in also if a)
    if ctx.is_agent and ctx.me in agents:
        out.add(ctx.me)
    out.difference_update(exclude)
    return out


# --- actions -----------------------------------------------------------------------------------


def follow_chat(ctx: Ctx, req: rq.ChatId) -> Outcome:
    """Follow a chat; the requester gets incoming_chat_thread unless already following/member."""
    chat = load_chat(ctx, req.chat_id)
    if is_member(ctx, chat["id"], ctx.me):
        return Outcome({})
    cur = ctx.x("INSERT OR IGNORE INTO followers(chat_id, agent_id) VALUES (?, ?)", (chat["id"], ctx.me))
    if cur.rowcount:
        thread = last_thread(ctx, chat)
        obj = chat_obj(ctx, chat, thread=thread)
        obj["is_followed"] = True
        ctx.push("incoming_chat_thread", {"chat": obj}, [ctx.me])
    return Outcome({})


def unfollow_chat(ctx: Ctx, req: rq.ChatId) -> Outcome:
    """Stop following; chat members cannot unfollow (validation error).

    It needs no scope, so it must not tell whether a chat exists: below the `all` level, a
    missing chat and one the agent cannot see (and does not follow) get the same
    `authorization` answer.
    """
    row = ctx.one("SELECT * FROM chats WHERE id=?", (req.chat_id,))
    follows = ctx.one("SELECT 1 FROM followers WHERE chat_id=? AND agent_id=?", (req.chat_id, ctx.me)) is not None
    if not follows and ctx.level != "all" and (row is None or not visible(ctx, ctx.me, row["id"], ctx.level)):
        raise ErrorReply("authorization", f"No access to chat {req.chat_id}")
    if row is None:
        raise not_found("Chat", req.chat_id)
    if is_member(ctx, row["id"], ctx.me):
        raise ErrorReply("validation", f"chat_id: chat members cannot unfollow chat {row['id']}")
    ctx.x("DELETE FROM followers WHERE chat_id=? AND agent_id=?", (row["id"], ctx.me))
    return Outcome({})
