"""Thread and event primitives shared by the chat, event and file actions."""

from __future__ import annotations

from typing import Any

from lcconsole.emulator.contract import ErrorReply
from lcconsole.emulator.world.ctx import Ctx, dumps, iso, loads
from lcconsole.emulator.world.following import note_chat, note_customer
from lcconsole.emulator.world.objects import chat_access, event_obj
from lcconsole.emulator.world.routing import available, pick_agent
from lcconsole.wire.actions import MAX_MESSAGE_BYTES

COMMON = ("type", "custom_id", "recipients", "properties")


def check_properties(props: dict[str, Any] | None, path: str = "properties") -> dict[str, Any]:
    """Validate v3.0 request properties (plain values: string, int or bool) and return them."""
    if not props:
        return {}
    for ns, names in props.items():
        if not isinstance(names, dict):
            raise ErrorReply("validation", f"{path}.{ns}: must be an object of property values")
        for name, value in names.items():
            if isinstance(value, dict) and set(value) == {"value"}:
                value = names[name] = value["value"]  # tolerate the response format
            if isinstance(value, bool) or isinstance(value, str):
                continue
            if isinstance(value, int) and -(2**31) <= value < 2**31:
                continue
            raise ErrorReply("validation", f"{path}.{ns}.{name}: must be a string, an int32 or a bool")
    return props


def merge_props(stored: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    out = {ns: dict(names) for ns, names in stored.items()}
    for ns, names in update.items():
        out.setdefault(ns, {}).update(names)
    return out


def prepare_event(ev: Any, path: str = "event", default_recipients: str = "all") -> dict[str, Any]:
    """Turn a validated event model into the stored parts (raises validation on bad content)."""
    data = ev.model_dump(exclude_none=True)
    etype = data["type"]
    body = {k: v for k, v in data.items() if k not in COMMON}
    text = body.get("text")
    if isinstance(text, str) and len(text.encode("utf-8", "surrogatepass")) > MAX_MESSAGE_BYTES:
        raise ErrorReply("validation", f"{path}.text: longer than {MAX_MESSAGE_BYTES} bytes")
    if etype == "system_message":
        default_recipients = "agents" if default_recipients == "all" else default_recipients
        body.setdefault("system_message_type", "custom")
    if etype == "rich_message":
        for element in body.get("elements", []):
            for button in element.get("buttons", []) or []:
                button.setdefault("user_ids", [])
    search = text if isinstance(text, str) else None
    if etype == "file":
        search = body.get("name")
    elif etype == "rich_message":
        search = " ".join(str(e.get("title", "")) + " " + str(e.get("subtitle", "")) for e in body.get("elements", []))
    return {
        "type": etype,
        "custom_id": data.get("custom_id"),
        "recipients": data.get("recipients") or default_recipients,
        "properties": check_properties(data.get("properties"), f"{path}.properties"),
        "body": body,
        "text": search,
    }


def author_of(ctx: Ctx, ev: dict[str, Any]) -> str | None:
    """The requester, except for system messages (which have no author_id)."""
    return None if ev["type"] == "system_message" else ctx.me


def system_event(
    system_message_type: str, text: str, text_vars: dict[str, Any] | None = None, recipients: str = "all"
) -> dict[str, Any]:
    """A server-generated system_message (no author)."""
    body: dict[str, Any] = {"text": text, "system_message_type": system_message_type}
    if text_vars:
        body["text_vars"] = text_vars
    return {
        "type": "system_message",
        "custom_id": None,
        "recipients": recipients,
        "properties": {},
        "body": body,
        "text": text,
    }


def add_chat_user(ctx: Ctx, chat_id: str, user_id: str, user_type: str) -> bool:
    """Make a user a chat member (and a user of the active thread). True when newly added."""
    if user_type == "customer":
        note_customer(ctx, user_id)
    else:
        note_chat(ctx, chat_id)
    cur = ctx.x(
        "INSERT OR IGNORE INTO chat_users(chat_id, user_id, user_type, seq, last_seen)"
        " VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_users WHERE chat_id=?), 0)",
        (chat_id, user_id, user_type, chat_id),
    )
    ctx.x(
        ADD_THREAD_USER + " WHERE id=(SELECT last_thread_id FROM chats WHERE id=? AND active) AND " + NOT_A_USER,
        (user_id, chat_id, user_id),
    )
    return bool(cur.rowcount)


def member_last_seen(ctx: Ctx, chat_id: str, user_id: str) -> int:
    """A member's last-seen time in the chat (what `chat_user_added` carries; 0 = never)."""
    row = ctx.one("SELECT last_seen FROM chat_users WHERE chat_id=? AND user_id=?", (chat_id, user_id))
    return row["last_seen"] if row else 0


def remove_chat_user(ctx: Ctx, chat_id: str, user_id: str) -> None:
    note_chat(ctx, chat_id)
    ctx.x("DELETE FROM chat_users WHERE chat_id=? AND user_id=?", (chat_id, user_id))


ADD_THREAD_USER = "UPDATE threads SET user_ids=json_insert(user_ids, '$[#]', ?)"
NOT_A_USER = "NOT EXISTS (SELECT 1 FROM json_each(threads.user_ids) WHERE value=?)"
"""`ADD_THREAD_USER WHERE <thread> AND NOT_A_USER` appends a user to a thread's `user_ids` in one
statement (args: user, <thread args>, user)."""


def add_thread_user(ctx: Ctx, thread_id: str, user_id: str) -> None:
    ctx.x(ADD_THREAD_USER + " WHERE id=? AND " + NOT_A_USER, (user_id, thread_id, user_id))


def open_thread(ctx: Ctx, chat_id: str, properties: dict[str, Any] | None = None, tags: list[str] | None = None) -> str:
    """Open a new active thread in the chat (the chat becomes active).

    Following lasts "until the chat is reactivated" (follow_chat in the reference): a new thread
    clears the chat's followers.
    """
    note_chat(ctx, chat_id)
    thread_id = ctx.new_id("threads")
    order = ctx.order()
    users = [r[0] for r in ctx.q("SELECT user_id FROM chat_users WHERE chat_id=? ORDER BY seq", (chat_id,))]
    ctx.x("UPDATE threads SET active=0 WHERE chat_id=? AND active=1", (chat_id,))
    ctx.x("DELETE FROM followers WHERE chat_id=?", (chat_id,))
    ctx.x(
        "INSERT INTO threads(id, chat_id, ord, ts, active, user_ids, properties, tags, access)"
        " VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)",
        (
            thread_id,
            chat_id,
            order,
            ctx.ts,
            dumps(users),
            dumps(properties or {}),
            dumps(sorted(set(tags or []))),
            dumps(chat_access(ctx, chat_id)),
        ),
    )
    ctx.x("UPDATE chats SET active=1, last_thread_id=?, last_order=? WHERE id=?", (thread_id, order, chat_id))
    ctx.x(
        "UPDATE customers SET threads_count = threads_count + 1 WHERE id = (SELECT customer_id FROM chats WHERE id=?)",
        (chat_id,),
    )
    return thread_id


def route_chat(ctx: Ctx, chat_id: str) -> str | None:
    """Customer-initiated thread: keep an available agent member, else assign by the rule."""
    members = [r[0] for r in ctx.q("SELECT user_id FROM chat_users WHERE chat_id=? AND user_type='agent'", (chat_id,))]
    if any(available(ctx, a) for a in members):
        return None
    for agent_id in members:
        remove_chat_user(ctx, chat_id, agent_id)
    chosen = pick_agent(ctx, chat_access(ctx, chat_id))
    if chosen:
        add_chat_user(ctx, chat_id, chosen, "agent")
    else:
        row = ctx.one("SELECT last_thread_id FROM chats WHERE id=?", (chat_id,))
        if row and row["last_thread_id"]:
            thread = ctx.row("SELECT user_ids FROM threads WHERE id=?", (row["last_thread_id"],))
            ids = [u for u in loads(thread["user_ids"], []) if u not in members]
            ctx.x("UPDATE threads SET user_ids=? WHERE id=?", (dumps(ids), row["last_thread_id"]))
    return chosen


def insert_event(
    ctx: Ctx,
    chat_id: str,
    thread_id: str,
    author_id: str | None,
    ev: dict[str, Any],
    author_in_thread: bool = False,
    known: tuple[int, str | None] | None = None,
) -> dict[str, Any]:
    """Append an event to a thread: id `<thread>_<n>`, next order; updates the summaries.

    The author becomes a user of the thread, unless the caller just made it one (`author_in_thread`).
    `known`: the thread's `events_count` and the chat's customer, when the caller has read them in
    this action (no statement to read them again)."""
    if known is None:  # one SELECT after the UPDATE: UPDATE ... RETURNING costs SQLite more
        ctx.x("UPDATE threads SET events_count=events_count + 1 WHERE id=?", (thread_id,))
        n, customer = ctx.row(
            "SELECT t.events_count, c.customer_id FROM threads t, chats c WHERE t.id=? AND c.id=?", (thread_id, chat_id)
        )
    else:
        n, customer = known[0] + 1, known[1]
        ctx.x("UPDATE threads SET events_count=? WHERE id=?", (n, thread_id))
    event_id = f"{thread_id}_{n}"
    order = ctx.order()
    row = {
        "id": event_id,
        "chat_id": chat_id,
        "thread_id": thread_id,
        "ord": order,
        "custom_id": ev.get("custom_id"),
        "type": ev["type"],
        "author_id": author_id,
        "recipients": ev["recipients"],
        "ts": ctx.ts,
        "body": dumps(ev["body"]),
        "properties": dumps(ev.get("properties") or {}),
        "text": ev.get("text"),
    }
    ctx.x(
        "INSERT INTO events(id, chat_id, thread_id, ord, custom_id, type, author_id, recipients,"
        " ts, body, properties, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        row.values(),
    )
    ctx.x("UPDATE chats SET last_order=? WHERE id=?", (order, chat_id))
    ctx.x(
        "INSERT INTO chat_last_event(chat_id, type, event_id) VALUES (?, ?, ?)"
        " ON CONFLICT(chat_id, type) DO UPDATE SET event_id=excluded.event_id",  # in place: cheaper than REPLACE
        (chat_id, ev["type"], event_id),
    )
    if author_id:
        if not author_in_thread:
            add_thread_user(ctx, thread_id, author_id)
        if customer:
            column = "customer_last_event_created_at" if author_id == customer else "agent_last_event_created_at"
            ctx.x(f"UPDATE customers SET {column}=? WHERE id=?", (iso(ctx.now), customer))
    row["deleted"] = 0
    return event_obj(row, ctx.engine.base_url)
