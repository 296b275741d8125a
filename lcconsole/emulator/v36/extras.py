"""v3.6-only actions: uploads and file events by URL, thinking indicators, event previews,
thread summaries and session token swaps."""

from __future__ import annotations

import json
from typing import Any

from lcconsole.emulator.contract import ErrorReply, Outcome, UploadedFile
from lcconsole.emulator.world.access import audience, is_member, last_thread, load_chat, load_thread
from lcconsole.emulator.world.ctx import Ctx, dumps, iso, loads
from lcconsole.emulator.world.files import _pick, store_file
from lcconsole.emulator.world.threads import insert_event
from lcconsole.wire.v36 import requests as rq36

UPLOAD_TTL = 24 * 3600
"""Seconds an upload_file URL stays valid unless a file event uses it."""
EXECUTABLE = (".exe", ".bat", ".cmd", ".com", ".msi", ".scr", ".sh", ".ps1", ".jar", ".app")
SUMMARY_DETAILS_VERSION = 1


def upload_file(ctx: Ctx, req: rq36.Req, files: dict[str, UploadedFile]) -> Outcome:
    """Store the `file` part (10 MB, no executables) for 24 hours: `{"url"}` for a file event
    (agents' and customers' uploads alike)."""
    upload = _pick(files, ("file",), "file")
    if (upload.filename or "").lower().endswith(EXECUTABLE):
        raise ErrorReply("validation", "file: executable files are not accepted")
    stored = store_file(ctx, upload, "att")
    ctx.x("UPDATE files SET expires=? WHERE path=?", (ctx.now + UPLOAD_TTL, stored["path"]))
    return Outcome({"url": ctx.engine.base_url + stored["body"]["url"]})


def file_event_body(ctx: Ctx, url: str, alternative_text: str | None) -> dict[str, Any]:
    """The stored body of a v3.6 `file` event: the upload behind `url`, which must come from
    upload_file and be used within 24 hours (it is kept for good afterwards)."""
    marker = "/files/"
    path = url.split(marker, 1)[1] if marker in url else None
    row = ctx.one("SELECT * FROM files WHERE path=?", (path,)) if path else None
    if row is None:
        raise ErrorReply("validation", "event.url: not a URL returned by upload_file")
    if row["expires"] is not None and ctx.now > row["expires"]:
        raise ErrorReply("validation", "event.url: the upload expired (unused for 24 hours)")
    ctx.x("UPDATE files SET expires=NULL WHERE path=?", (path,))
    body: dict[str, Any] = {
        "name": row["name"],
        "url": f"/files/{path}",
        "content_type": row["content_type"],
        "size": row["size"],
    }
    if row["width"] is not None:
        body.update(
            width=row["width"], height=row["height"], thumbnail_url=f"/files/{path}", thumbnail2x_url=f"/files/{path}"
        )
    if alternative_text is not None:
        body["alternative_text"] = alternative_text
    return body


def _active_thread(ctx: Ctx, chat_id: str) -> tuple[Any, Any]:
    chat = load_chat(ctx, chat_id)
    thread = last_thread(ctx, chat)
    if not chat["active"] or thread is None or not thread["active"]:
        raise ErrorReply("chat_inactive", f"Chat {chat['id']} is inactive")
    return chat, thread


def require_member(ctx: Ctx, chat_id: str, ignore: bool | None = None) -> None:
    """The v3.6 rule "the requester must be present on the list of chat users"."""
    if not ignore and not is_member(ctx, chat_id, ctx.me):
        raise ErrorReply(
            "missing_access", f"Requester {ctx.me} is not a user of chat {chat_id} (see ignore_requester_presence)"
        )


def send_thinking_indicator(ctx: Ctx, req: rq36.SendThinkingIndicator) -> Outcome:
    """Push incoming_thinking_indicator to the chat's agents and its customer."""
    chat, thread = _active_thread(ctx, req.chat_id)
    require_member(ctx, chat["id"])
    payload = {"chat_id": chat["id"], "thread_id": thread["id"], "author_id": ctx.me, "sent_at": iso(ctx.now)}
    for key in ("title", "description", "custom_id"):
        if getattr(req, key) is not None:
            payload[key] = getattr(req, key)
    ctx.push(
        "incoming_thinking_indicator",
        payload,
        audience(ctx, chat["id"], exclude=[ctx.me]),
        [chat["customer_id"]],
        dialect="3.6",
    )
    return Outcome({})


def send_event_preview(ctx: Ctx, req: rq36.SendEventPreview) -> Outcome:
    """An unsaved message preview: the customer gets incoming_event_preview (no agent push)."""
    chat, thread = _active_thread(ctx, req.chat_id)
    require_member(ctx, chat["id"])
    event = {
        "type": "message",
        "text": req.event.text,
        "author_id": ctx.me,
        "visibility": "all",
        "created_at": iso(ctx.now),
    }
    if req.event.custom_id is not None:
        event["custom_id"] = req.event.custom_id
    ctx.push(
        "incoming_event_preview",
        {"chat_id": chat["id"], "thread_id": thread["id"], "event": event},
        (),
        [chat["customer_id"]],
        dialect="3.6",
    )
    return Outcome({})


def summarize(texts: list[tuple[str, str]]) -> str:
    """A deterministic bullet summary of (speaker, text) messages: counts and the first and last
    words of each side."""
    if not texts:
        return "• No messages in this thread."
    lines = [f"• {len(texts)} message{'s' if len(texts) != 1 else ''} exchanged."]
    for speaker in ("Customer", "Agent"):
        said = [t for s, t in texts if s == speaker]
        if said:
            first = " ".join(said[0].split()[:12])
            lines.append(f"• {speaker} opens with: {first}")
    last_speaker, last = texts[-1]
    lines.append(f"• Last word ({last_speaker.lower()}): {' '.join(last.split()[:12])}")
    return "  \n".join(lines)


def request_thread_summary(ctx: Ctx, req: rq36.RequestThreadSummary) -> Outcome:
    """Write the summary (a `system` event + the thread's `summary`), push thread_summary_set.

    A deactivated thread can be summarized once; an active one any number of times.
    """
    chat = load_chat(ctx, req.chat_id)
    thread = load_thread(ctx, chat["id"], req.thread_id)
    if not thread["active"] and loads(thread["summary"], {}).get("final"):
        raise ErrorReply("validation", f"thread_id: thread {thread['id']} was already summarized")
    customer = chat["customer_id"]
    texts = [
        ("Customer" if r["author_id"] == customer else "Agent", r["text"])
        for r in ctx.q(
            "SELECT author_id, text FROM events WHERE thread_id=? AND"
            " type='message' AND author_id IS NOT NULL ORDER BY ord",
            (thread["id"],),
        )
        if r["text"]
    ]
    summary = {"status": "ok", "text": summarize(texts), "updated_at": iso(ctx.now)}
    final = not thread["active"]  # made after the deactivation: the last one
    ctx.x("UPDATE threads SET summary=? WHERE id=?", (dumps({**summary, "final": final}), thread["id"]))
    details = {"summary": {"text": summary["text"], "status": "ok"}, "requested_by": ctx.me}
    ev = {
        "type": "system",
        "custom_id": None,
        "recipients": "agents",
        "properties": {},
        "body": {
            "source": "chats",
            "subtype": "summary",
            "version": SUMMARY_DETAILS_VERSION,
            "details": json.dumps(details, separators=(",", ":")),
        },
        "text": None,
    }
    event = insert_event(ctx, chat["id"], thread["id"], None, ev)
    agents = audience(ctx, chat["id"])
    ctx.push("incoming_event", {"chat_id": chat["id"], "thread_id": thread["id"], "event": event}, agents)
    ctx.push(
        "thread_summary_set",
        {"chat_id": chat["id"], "thread_id": thread["id"], "summary": summary},
        agents,
        dialect="3.6",
    )
    return Outcome({})


def with_summary(ctx: Ctx, thread: dict[str, Any]) -> dict[str, Any]:
    """A rendered v3.6 thread with its `summary`, when one was requested."""
    row = ctx.one("SELECT summary FROM threads WHERE id=?", (thread["id"],))
    if row is not None and row["summary"]:
        stored = loads(row["summary"])
        thread["summary"] = {k: stored[k] for k in ("status", "text", "updated_at")}
    return thread


def update_session(ctx: Ctx, req: rq36.UpdateSession) -> Outcome:
    """Swap the socket's token: the new one must belong to the same agent."""
    principal = ctx.engine.authenticate(req.token, "agent")
    if principal.id != ctx.me:
        raise ErrorReply("authentication", "token: belongs to another agent")
    return Outcome({})
