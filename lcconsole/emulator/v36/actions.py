"""The v3.6 agent actions over the engine's one world (docs/v3.6-notes.md §3–4).

Each handler gets the engine context and the validated v3.6 request, calls the same world
functions the v3.0 actions use (with the v3.0 request built from the v3.6 one), and renders the
v3.6 response. The whole action runs in one transaction (`Engine.run_action`); its pushes stay
canonical and are rendered per socket by `emulator/dialects.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from lcconsole.emulator.contract import ErrorReply, Outcome
from lcconsole.emulator.v36 import extras, listings, monitoring, pages, render, threads
from lcconsole.emulator.v36.extras import require_member
from lcconsole.emulator.world import access, agents, chats, customers, events, properties, summaries
from lcconsole.emulator.world.access import is_member, load_chat
from lcconsole.emulator.world.ctx import Ctx, dumps, loads, parse_iso
from lcconsole.emulator.world.objects import chat_access
from lcconsole.wire import requests as rq
from lcconsole.wire.v36 import requests as rq36

Handler = Callable[..., Outcome]
"""handler(ctx, the action's v3.6 request[, files])."""


R = TypeVar("R", bound=rq.Req)


def v30(model: type[R], data: dict[str, Any]) -> R:
    """The v3.0 request model of an already validated v3.6 request."""
    return model.model_validate({k: v for k, v in data.items() if v is not None})


def event_in(event: Any) -> dict[str, Any]:
    """A v3.6 event as the v3.0 event input (`visibility` -> `recipients`)."""
    data: dict[str, Any] = event.model_dump(exclude_none=True, by_alias=True)
    if "visibility" in data:
        data["recipients"] = data.pop("visibility")
    return data


def thread_ids(ctx: Ctx, chat_id: str) -> list[str]:
    """The chat's thread ids, oldest first."""
    return [r[0] for r in ctx.q("SELECT id FROM threads WHERE chat_id=? ORDER BY ord", (chat_id,))]


def _user_event_ids(thread: dict[str, Any]) -> list[str]:
    return [e["id"] for e in thread.get("events", []) if e.get("author_id") is not None]


# --- chats ------------------------------------------------------------------------------------


def list_chats(ctx: Ctx, req: rq36.ListChats) -> Outcome:
    """Chat summaries; a page id carries the first request's filters, limit and order."""
    fresh = {
        "filters": req.filters.model_dump(exclude_none=True, by_alias=True) if req.filters is not None else None,
        "limit": req.limit,
        "sort_order": req.sort_order,
    }
    query, cursor = pages.unwrap("chats", req, fresh, ("filters", "limit", "sort_order"))
    f = rq36.ListChatsFilters.model_validate(query["filters"]) if query["filters"] else None
    filters: dict[str, Any] | None = None
    if f is not None:
        filters = {"properties": f.properties, "group_ids": f.group_ids}
        if f.active is False:
            filters["include_active"] = False
    out = summaries.get_chats_summary(
        ctx,
        v30(
            rq.GetChatsSummary,
            {
                "page_id": cursor,
                "limit": query["limit"],
                "order": query["sort_order"],
                "filters": filters and {k: v for k, v in filters.items() if v is not None},
            },
        ),
        only_active=bool(f is not None and f.active),
    )
    p = out.payload
    body: dict[str, Any] = {
        "chats_summary": [render.chat_summary(s) for s in p["chats_summary"]],
        "found_chats": p["found_chats"],
    }
    for key in ("next_page_id", "previous_page_id"):
        if key in p:
            body[key] = pages.wrap("chats", query, p[key])
    return Outcome(body)


def get_chat(ctx: Ctx, req: rq36.GetChat) -> Outcome:
    ids = thread_ids(ctx, req.chat_id)
    wanted = [req.thread_id] if req.thread_id is not None else ids[-1:]
    chat = chats.get_chat_threads(ctx, v30(rq.GetChatThreads, {"chat_id": req.chat_id, "thread_ids": wanted})).payload[
        "chat"
    ]
    obj = render.chat(chat, ids)
    threads = obj.pop("threads", [])
    if threads:
        obj["thread"] = extras.with_summary(ctx, threads[0])
    return Outcome(_chat_first(obj))


def _chat_first(obj: dict[str, Any]) -> dict[str, Any]:
    order = ("id", "thread", "users", "properties", "access", "is_followed")
    return {k: obj[k] for k in order if k in obj}


def start_chat(ctx: Ctx, req: rq36.StartChat) -> Outcome:
    chat_in = req.chat
    users = list(chat_in.users or []) if chat_in else []
    customers_in = [u for u in users if u.type == "customer"]
    agents_in = [u.id for u in users if u.type == "agent" and u.id != ctx.me]
    if len(customers_in) > 1:
        raise ErrorReply("validation", "chat.users: at most one customer")
    if len(agents_in) > 4:
        raise ErrorReply("validation", "chat.users: at most 4 agents other than the requester")
    chat30 = _chat_body30(chat_in, customers_in) if chat_in is not None else {}
    started = chats.start_chat(ctx, v30(rq.StartChat, {"chat": chat30, "continuous": req.continuous})).payload["chat"]
    chat_id, thread = started["id"], started["thread"]
    _add_agents(ctx, chat_id, agents_in)
    seen_everything(ctx, chat_id)
    if req.active is False:
        chats.close_thread(ctx, v30(rq.ChatId, {"chat_id": chat_id}))
    body: dict[str, Any] = {"chat_id": chat_id, "thread_id": thread["id"]}
    if chat_in is not None and chat_in.thread is not None and chat_in.thread.events:
        body["event_ids"] = _user_event_ids(thread)
    return Outcome(body)


def _chat_body30(chat_in: rq36.ChatIn, customers_in: list[Any]) -> dict[str, Any]:
    """The v3.0 `chat` of a v3.6 start/resume body: only what was given, events to everyone."""
    thread = chat_in.thread
    thread30 = None
    if thread is not None:
        events = [dict(event_in(e), recipients="all") for e in thread.events] if thread.events else None
        thread30 = {k: v for k, v in {"events": events, "properties": thread.properties}.items() if v is not None}
    chat30 = {
        "properties": chat_in.properties,
        "access": chat_in.access and {"group_ids": chat_in.access.group_ids},
        "users": [{"id": u.id, "type": "customer"} for u in customers_in] or None,
        "thread": thread30,
    }
    return {k: v for k, v in chat30.items() if v is not None}


def _add_agents(ctx: Ctx, chat_id: str, agent_ids: list[str]) -> None:
    for agent_id in agent_ids:
        chats.add_user_to_chat(ctx, v30(rq.ChatUser, {"chat_id": chat_id, "user_id": agent_id, "user_type": "agent"}))


def resume_chat(ctx: Ctx, req: rq36.ResumeChat) -> Outcome:
    chat_in = req.chat
    users = list(chat_in.users or [])
    customers_in = [u for u in users if u.type == "customer"]
    agents_in = [u.id for u in users if u.type == "agent" and u.id != ctx.me]
    chat30 = {"id": chat_in.id, **_chat_body30(chat_in, customers_in)}
    resumed = chats.activate_chat(ctx, v30(rq.ActivateChat, {"chat": chat30, "continuous": req.continuous})).payload[
        "chat"
    ]
    thread = resumed["thread"]
    _add_agents(ctx, chat_in.id, agents_in)
    seen_everything(ctx, chat_in.id)
    if req.active is False:
        chats.close_thread(ctx, v30(rq.ChatId, {"chat_id": chat_in.id}))
    body: dict[str, Any] = {"thread_id": thread["id"]}
    if chat_in.thread is not None and chat_in.thread.events:
        body["event_ids"] = _user_event_ids(thread)
    return Outcome(body)


def deactivate_chat(ctx: Ctx, req: rq36.DeactivateChat) -> Outcome:
    load_chat(ctx, req.id)
    require_member(ctx, req.id, getattr(req, "ignore_requester_presence", None))
    chats.close_thread(ctx, v30(rq.ChatId, {"chat_id": req.id}))
    return Outcome({})


def follow_chat(ctx: Ctx, req: rq36.Id) -> Outcome:
    access.follow_chat(ctx, v30(rq.ChatId, {"chat_id": req.id}))
    return Outcome({})


def unfollow_chat(ctx: Ctx, req: rq36.Id) -> Outcome:
    followed = ctx.one("SELECT 1 FROM followers WHERE chat_id=? AND agent_id=?", (req.id, ctx.me)) is not None
    access.unfollow_chat(ctx, v30(rq.ChatId, {"chat_id": req.id}))
    if followed:
        ctx.push("chat_unfollowed", {"chat_id": req.id}, [ctx.me], dialect="3.6")
    return Outcome({})


def transfer_chat(ctx: Ctx, req: rq36.TransferChat) -> Outcome:
    """Transfer; a move to other groups also pushes `chat_access_updated` (the chat's whole
    access) to the agents who saw the chat before and those who see it now."""
    target = req.target and {"type": req.target.type, "ids": list(req.target.ids)}
    load_chat(ctx, req.id)
    require_member(ctx, req.id, req.ignore_requester_presence)
    before, saw = chat_access(ctx, req.id), access.audience(ctx, req.id, broad=True)
    chats.transfer_chat(
        ctx, v30(rq.TransferChat, {"chat_id": req.id, "target": target, "force": req.ignore_agents_availability})
    )
    after = chat_access(ctx, req.id)
    if after != before:
        ctx.push(
            "chat_access_updated",
            {"id": req.id, "access": {"group_ids": after}},
            saw | access.audience(ctx, req.id, broad=True),
            dialect="3.6",
        )
    return Outcome({})


def add_user_to_chat(ctx: Ctx, req: rq36.AddUserToChat) -> Outcome:
    if req.user_type == "customer" and req.visibility != "all":
        raise ErrorReply("validation", "visibility: a customer must be added with visibility all")
    load_chat(ctx, req.chat_id)
    require_member(ctx, req.chat_id, req.ignore_requester_presence)
    if req.user_type == "agent" and not ctx.agent(req.user_id):
        raise ErrorReply("not_found", f"Agent {req.user_id} not found")
    if is_member(ctx, req.chat_id, req.user_id):
        raise ErrorReply("validation", f"user_id: {req.user_id} is already a user of this chat")
    chat = load_chat(ctx, req.chat_id)
    if not chat["active"]:
        raise ErrorReply("chat_inactive", f"Chat {chat['id']} is inactive")
    chats.add_user_to_chat(ctx, req)
    ctx.x(
        "UPDATE chat_users SET visibility=? WHERE chat_id=? AND user_id=?", (req.visibility, req.chat_id, req.user_id)
    )
    return Outcome({})


def remove_user_from_chat(ctx: Ctx, req: rq36.RemoveUserFromChat) -> Outcome:
    if req.user_id != ctx.me:
        load_chat(ctx, req.chat_id)
        require_member(ctx, req.chat_id, req.ignore_requester_presence)
    chats.remove_user_from_chat(ctx, req)
    return Outcome({})


# --- events -----------------------------------------------------------------------------------


def send_event(ctx: Ctx, req: rq36.SendEvent) -> Outcome:
    """The requester must be a chat user; an agents-only user sends agents-only events; a file
    event names an upload_file URL. An inactive chat answers `chat_inactive` unless
    `attach_to_last_thread` adds the event to its last thread (v3.6 opens threads only with
    start_chat / resume_chat)."""
    chat = load_chat(ctx, req.chat_id)
    require_member(ctx, chat["id"])
    ev = event_in(req.event)
    member = ctx.row("SELECT visibility FROM chat_users WHERE chat_id=? AND user_id=?", (chat["id"], ctx.me))
    if member["visibility"] == "agents":
        if ev.get("recipients") == "all":
            raise ErrorReply(
                "validation",
                "event.visibility: users added with visibility agents cannot send events with visibility all",
            )
        ev["recipients"] = "agents"
    if req.event.type == "file":
        body = extras.file_event_body(ctx, req.event.url, req.event.alternative_text)
        ev.update(body)
    out = events.send_event(
        ctx,
        v30(
            rq.SendEvent,
            {
                "chat_id": req.chat_id,
                "event": ev,
                "attach_to_last_thread": req.attach_to_last_thread,
                "require_active_thread": not req.attach_to_last_thread,
            },
        ),
    )
    seen_everything(ctx, chat["id"])
    return Outcome({"event_id": out.payload["event"]["id"]})


def seen_everything(ctx: Ctx, chat_id: str) -> None:
    """v3.6: sending (and starting, resuming) moves the requester's `events_seen_up_to` to now."""
    ctx.x("UPDATE chat_users SET last_seen=? WHERE chat_id=? AND user_id=?", (ctx.ts, chat_id, ctx.me))


def send_rich_message_postback(ctx: Ctx, req: rq36.SendRichMessagePostback) -> Outcome:
    require_member(ctx, load_chat(ctx, req.chat_id)["id"])
    events.send_rich_message_postback(
        ctx,
        v30(
            rq.SendRichMessagePostback,
            {
                "chat_id": req.chat_id,
                "thread_id": req.thread_id,
                "event_id": req.event_id,
                "postback": {"id": req.postback.id, "toggled": req.postback.toggled},
            },
        ),
    )
    return Outcome({})


def send_typing_indicator(ctx: Ctx, req: rq36.SendTypingIndicator) -> Outcome:
    events.send_typing_indicator(
        ctx,
        v30(rq.SendTypingIndicator, {"chat_id": req.chat_id, "is_typing": req.is_typing, "recipients": req.visibility}),
    )
    return Outcome({})


def mark_events_as_seen(ctx: Ctx, req: rq36.MarkEventsAsSeen) -> Outcome:
    seen = parse_iso(req.seen_up_to, "seen_up_to")
    from datetime import datetime

    ts = int(datetime.fromisoformat(seen.replace("Z", "+00:00")).timestamp())
    agents.update_last_seen_timestamp(ctx, v30(rq.UpdateLastSeenTimestamp, {"chat_id": req.chat_id, "timestamp": ts}))
    return Outcome({})


# --- properties, tags ---------------------------------------------------------------------------


def _renamed(handler: Callable[[Ctx, Any], Outcome], model: type[rq.Req], **renames: str) -> Handler:
    """A handler calling the v3.0 `handler` with fields renamed (v3.6 name -> v3.0 name)."""

    def run(ctx: Ctx, req: rq36.Req) -> Outcome:
        data = req.model_dump(exclude_none=True, by_alias=True)
        for new, old in renames.items():
            if new in data:
                data[old] = data.pop(new)
        handler(ctx, v30(model, data))
        return Outcome({})

    run.__name__ = handler.__name__
    return run


def tag_thread(ctx: Ctx, req: rq36.TagThread) -> Outcome:
    properties.tag_chat_thread(ctx, req)
    return Outcome({})


def untag_thread(ctx: Ctx, req: rq36.TagThread) -> Outcome:
    properties.untag_chat_thread(ctx, req)
    return Outcome({})


# --- customers, status --------------------------------------------------------------------------


def update_customer(ctx: Ctx, req: rq36.UpdateCustomer) -> Outcome:
    """Name, email, avatar, `session_fields` (the v3.0 `fields`) and the v3.6-only
    `phone_number` (E.164), `omnichannel` and `address`; at least one of them."""
    if all(getattr(req, k) is None for k in ("name", "email", "avatar", "session_fields", *DETAILS)):
        raise ErrorReply("validation", "payload: at least one field to update is required")
    fields = None
    if req.session_fields is not None:
        fields = {}
        for i, item in enumerate(req.session_fields):
            if len(item) != 1:
                raise ErrorReply("validation", f"session_fields.{i}: exactly one key per object")
            fields.update(item)
    details = {k: getattr(req, k) for k in DETAILS if getattr(req, k) is not None}
    if details:
        _check_details(details)
        row = ctx.one("SELECT details FROM customers WHERE id=?", (req.id,))
        if row is not None:
            ctx.x(
                "UPDATE customers SET details=? WHERE id=?", (dumps({**loads(row["details"], {}), **details}), req.id)
            )
    customers.update_customer(
        ctx,
        v30(
            rq.UpdateCustomer,
            {"customer_id": req.id, "name": req.name, "email": req.email, "avatar": req.avatar, "fields": fields},
        ),
    )
    return Outcome({})


DETAILS = ("phone_number", "omnichannel", "address")
"""Customer fields only v3.6 has (stored together, shown in both versions' objects)."""
ADDRESS_KEYS = frozenset({"address", "city", "country", "state", "postal_code"})
E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")


def _check_details(details: dict[str, Any]) -> None:
    if "phone_number" in details and not E164.match(details["phone_number"]):
        raise ErrorReply("validation", "phone_number: must be in E.164 format, like +14155552671")
    for key in set(details.get("address") or {}) - ADDRESS_KEYS:
        raise ErrorReply("validation", f"address.{key}: unknown field (address, city, country, state, postal_code)")


def ban_customer(ctx: Ctx, req: rq36.BanCustomer) -> Outcome:
    customers.ban_customer(ctx, v30(rq.BanCustomer, {"customer_id": req.id, "ban": {"days": req.ban.days}}))
    return Outcome({})


def set_routing_status(ctx: Ctx, req: rq36.SetRoutingStatus) -> Outcome:
    if req.status == "offline":
        raise ErrorReply("validation", "status: offline is for bots only")
    agents.update_agent(ctx, v30(rq.UpdateAgent, {"agent_id": req.agent_id, "routing_status": req.status}))
    return Outcome({})


def multicast(ctx: Ctx, req: rq36.Multicast) -> Outcome:
    recipients = req.recipients.model_dump(exclude_none=True)
    agents.multicast(ctx, v30(rq.Multicast, {"scopes": recipients, "content": req.content, "type": req.type}))
    return Outcome({})


# --- RTM --------------------------------------------------------------------------------------


def login(ctx: Ctx, req: rq36.Login) -> Outcome:
    out = agents.login(
        ctx, agents.Login.model_validate({"reconnect": req.reconnect} if req.reconnect is not None else {})
    ).payload
    if req.away is not None:
        agents.set_away_status(ctx, agents.SetAwayStatus(away=req.away))
    monitoring.announce_level(ctx, req.customer_monitoring_level)
    profile = render.agent(out["my_profile"], profile=True)
    license_ = dict(out["license"], organization_id=ORGANIZATION_ID)
    return Outcome(
        {
            "license": license_,
            "my_profile": profile,
            "chats_summary": [render.chat_summary(s) for s in out["chats_summary"]],
        }
    )


ORGANIZATION_ID = "390e44e6-f1e6-4c6e-9ddb-74f14508c2e0"
"""The emulator's one organization (`license.organization_id`)."""


def set_away_status(ctx: Ctx, req: rq36.SetAwayStatus) -> Outcome:
    return agents.set_away_status(ctx, req)


def nothing(ctx: Ctx, req: rq36.Empty) -> Outcome:
    return Outcome({})


HANDLERS: dict[str, Handler] = {
    "list_chats": list_chats,
    "get_chat": get_chat,
    "start_chat": start_chat,
    "resume_chat": resume_chat,
    "deactivate_chat": deactivate_chat,
    "follow_chat": follow_chat,
    "unfollow_chat": unfollow_chat,
    "transfer_chat": transfer_chat,
    "add_user_to_chat": add_user_to_chat,
    "remove_user_from_chat": remove_user_from_chat,
    "send_event": send_event,
    "send_rich_message_postback": send_rich_message_postback,
    "send_typing_indicator": send_typing_indicator,
    "mark_events_as_seen": mark_events_as_seen,
    "update_chat_properties": _renamed(properties.update_chat_properties, rq.UpdateChatProperties, id="chat_id"),
    "delete_chat_properties": _renamed(properties.delete_chat_properties, rq.DeleteChatProperties, id="chat_id"),
    "update_thread_properties": _renamed(properties.update_chat_thread_properties, rq.UpdateChatThreadProperties),
    "delete_thread_properties": _renamed(properties.delete_chat_thread_properties, rq.DeleteChatThreadProperties),
    "update_event_properties": _renamed(properties.update_event_properties, rq.UpdateEventProperties),
    "delete_event_properties": _renamed(properties.delete_event_properties, rq.DeleteEventProperties),
    "tag_thread": tag_thread,
    "untag_thread": untag_thread,
    "update_customer": update_customer,
    "ban_customer": ban_customer,
    "set_routing_status": set_routing_status,
    "multicast": multicast,
    "login": login,
    "logout": nothing,
    "ping": nothing,
    "set_away_status": set_away_status,
    "list_threads": threads.list_threads,
    "list_archives": listings.list_archives,
    "get_customer": listings.get_customer,
    "list_routing_statuses": listings.list_routing_statuses,
    "list_agents_for_transfer": listings.list_agents_for_transfer,
    "upload_file": extras.upload_file,
    "send_event_preview": extras.send_event_preview,
    "send_thinking_indicator": extras.send_thinking_indicator,
    "request_thread_summary": extras.request_thread_summary,
    "update_session": extras.update_session,
    "subscribe_customers": monitoring.subscribe_customers,
    "unsubscribe_customers": monitoring.unsubscribe_customers,
}
"""v3.6 action -> handler(ctx, v3.6 request)."""
