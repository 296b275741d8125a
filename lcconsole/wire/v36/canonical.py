"""v3.6 -> the canonical model: the one place that knows both shapes (docs/v3.6-notes.md §5-§6).

Everything the console keeps is canonical (`wire.objects`, `wire.events`, `wire.pushes`,
`wire.canonical`). This module turns v3.6 answers and pushes into it:

* times: `created_at` (RFC 3339, µs) becomes the canonical `order` (µs since the epoch, unique and
  increasing, as the emulator's v3.0 `order`) and `timestamp` (Unix seconds);
  `events_seen_up_to` becomes `last_seen_timestamp`;
* `visibility` becomes `recipients`; plain property values become stored ones (`{"value": v}`);
* a chat's one `thread` becomes `threads: [thread]`; a customer's `visit` becomes `last_visit`,
  `session_fields` (array) `fields` (map);
* pushes map to their canonical class (`chat_deactivated` -> `ThreadClosedPush`, …); pushes the
  console has no use for map to nothing (`PUSHES_IGNORED`).

Input is a v3.6 model or its JSON (dict); output is canonical models.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from lcconsole.wire import canonical as c
from lcconsole.wire import objects as o
from lcconsole.wire import pushes as p

if TYPE_CHECKING:
    from pydantic import BaseModel

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def _json(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_none=True, by_alias=True)
    return value


def order_of(stamp: str | None) -> int | None:
    """µs since the epoch of an RFC 3339 time (None when absent or unreadable)."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - _EPOCH) // _US


def seconds_of(stamp: str | None) -> int | None:
    """Unix seconds of an RFC 3339 time."""
    us = order_of(stamp)
    return None if us is None else us // 1_000_000


def rfc3339(seconds: float) -> str:
    """RFC 3339 µs UTC time of Unix seconds (what v3.6 requests take)."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- objects (dict -> canonical dict) -------------------------------------------------------------


def event_data(ev: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in ev.items() if k not in ("created_at", "visibility")}
    order = order_of(ev.get("created_at"))
    if order is not None:
        out["order"], out["timestamp"] = order, order // 1_000_000
    if "visibility" in ev:
        out["recipients"] = ev["visibility"]
    return out


def thread_data(th: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in th.items() if k not in ("created_at", "events")}
    order = order_of(th.get("created_at"))
    if order is not None:
        out["order"], out["timestamp"] = order, order // 1_000_000
    if "events" in th:
        out["events"] = [event_data(e) for e in th["events"] or []]
    return out


def user_data(user: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in user.items() if k not in ("events_seen_up_to", "visit", "session_fields")}
    seen = seconds_of(user.get("events_seen_up_to"))
    if seen is not None:
        out["last_seen_timestamp"] = seen
    if user.get("visit") is not None:
        out["last_visit"] = user["visit"]
    if "session_fields" in user:
        fields: dict[str, Any] = {}
        for item in user.get("session_fields") or []:
            if isinstance(item, dict):
                fields.update(item)
        out["fields"] = fields
    return out


def chat_data(chat: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in chat.items() if k not in ("thread", "threads", "users")}
    out["users"] = [user_data(u) for u in chat.get("users") or []]
    threads = list(chat.get("threads") or [])
    if chat.get("thread"):
        threads.append(chat["thread"])
    out["threads"] = [thread_data(t) for t in threads]
    return out


def summary_data(s: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in s.items() if k not in ("users", "last_event_per_type", "last_thread_summary")}
    out["users"] = [user_data(u) for u in s.get("users") or []]
    last: dict[str, Any] = {}
    for kind, item in (s.get("last_event_per_type") or {}).items():
        entry = {"thread_id": item.get("thread_id"), "thread_order": order_of(item.get("thread_created_at"))}
        if item.get("event") is not None:
            entry["event"] = event_data(item["event"])
        last[kind] = entry
    out["last_event_per_type"] = last
    if s.get("last_thread_summary"):
        out["last_thread_summary"] = thread_data(s["last_thread_summary"])
    orders = [e["event"].get("order") or 0 for e in last.values() if e.get("event")]
    thread_order = (out.get("last_thread_summary") or {}).get("order")
    if orders or thread_order:
        out["order"] = max(orders + [thread_order or 0])
    return out


# --- objects (v3.6 -> canonical models) --------------------------------------------------------------


def chat(value: Any) -> o.Chat:
    """A v3.6 chat (one `thread` or `threads`) as the canonical Chat with `threads`."""
    return o.Chat.model_validate(chat_data(_json(value)))


def summaries(values: Any) -> list[o.ChatSummary]:
    """v3.6 chat summaries as canonical ones."""
    return [o.ChatSummary.model_validate(summary_data(_json(s))) for s in values or []]


def customer(value: Any) -> o.Customer:
    """A v3.6 customer as the canonical Customer."""
    return o.Customer.model_validate(user_data(_json(value)) | {"type": "customer"})


def login(value: Any) -> o.LoginResponse:
    """The v3.6 RTM login response as the canonical one."""
    data = _json(value)
    profile = data.get("my_profile")
    return o.LoginResponse.model_validate(
        {
            **{k: v for k, v in data.items() if k not in ("my_profile", "chats_summary")},
            "my_profile": user_data(profile) | {"type": "agent"} if profile else None,
            "chats_summary": [summary_data(s) for s in data.get("chats_summary") or []],
        }
    )


def archives(value: Any, page: int, total_pages: int | None = None) -> o.GetArchivesResponse:
    """`list_archives` as the canonical archives page (`pagination.page`, `.total` = found chats)."""
    data = _json(value)
    return o.GetArchivesResponse.model_validate(
        {
            "chats": [
                chat_data(ch) | {"thread": thread_data(ch["thread"])} if ch.get("thread") else chat_data(ch)
                for ch in data.get("chats") or []
            ],
            "pagination": {"page": page, "total": data.get("found_chats")},
            "found_chats": data.get("found_chats"),
        }
    )


# --- pushes ------------------------------------------------------------------------------------------


def _props(kind: type[BaseModel], d: dict[str, Any]) -> Any:
    return kind.model_validate(d)


def _event_push(kind: type[BaseModel]) -> Callable[[dict[str, Any]], list[Any]]:
    def convert(d: dict[str, Any]) -> list[Any]:
        return [kind.model_validate({**d, "event": event_data(d["event"])})]

    return convert


def _user_added(d: dict[str, Any]) -> list[Any]:
    user = user_data(d["user"])
    return [
        p.ChatUserAddedPush.model_validate(
            {
                "chat_id": d["chat_id"],
                "thread_id": d.get("thread_id"),
                "user": user,
                "user_type": "customer" if user.get("type") == "customer" else "agent",
            }
        )
    ]


def _transferred(d: dict[str, Any]) -> list[Any]:
    to = d.get("transferred_to") or {}
    kind, ids = ("agent", to.get("agent_ids")) if to.get("agent_ids") else ("group", to.get("group_ids") or [])
    return [p.ChatTransferredPush(chat_id=d["chat_id"], requester_id=d.get("requester_id"), type=kind, ids=ids)]


def _customer_updated(d: dict[str, Any]) -> list[Any]:
    return [p.CustomerUpdatedPush.model_validate(user_data(d))]


def _visitors(d: dict[str, Any]) -> list[Any]:
    return [c.VisitorsSeen(customers=[customer(x) for x in d.get("customers") or []])]


PUSH_CONVERTERS: dict[str, Callable[[Any], list[Any]]] = {
    "incoming_chat": lambda d: [p.IncomingChatThreadPush(chat=chat(d["chat"]))],
    "chat_deactivated": lambda d: [p.ThreadClosedPush.model_validate(d)],
    "chat_access_updated": lambda d: [p.AccessSetPush(resource="chat", id=d["id"], access=d["access"])],
    "chat_transferred": _transferred,
    "user_added_to_chat": _user_added,
    "user_removed_from_chat": lambda d: [p.ChatUserRemovedPush.model_validate(d)],
    "incoming_event": _event_push(p.IncomingEventPush),
    "event_updated": _event_push(p.EventUpdatedPush),
    "incoming_rich_message_postback": lambda d: [p.IncomingRichMessagePostbackPush.model_validate(d)],
    "chat_properties_updated": lambda d: [_props(p.ChatPropertiesUpdatedPush, d)],
    "chat_properties_deleted": lambda d: [_props(p.ChatPropertiesDeletedPush, d)],
    "thread_properties_updated": lambda d: [_props(p.ChatThreadPropertiesUpdatedPush, d)],
    "thread_properties_deleted": lambda d: [_props(p.ChatThreadPropertiesDeletedPush, d)],
    "event_properties_updated": lambda d: [_props(p.EventPropertiesUpdatedPush, d)],
    "event_properties_deleted": lambda d: [_props(p.EventPropertiesDeletedPush, d)],
    "thread_tagged": lambda d: [p.ChatThreadTaggedPush.model_validate(d)],
    "thread_untagged": lambda d: [p.ChatThreadUntaggedPush.model_validate(d)],
    "events_marked_as_seen": lambda d: [
        p.LastSeenTimestampUpdatedPush(
            user_id=d["user_id"], chat_id=d["chat_id"], timestamp=seconds_of(d["seen_up_to"]) or 0
        )
    ],
    "incoming_typing_indicator": lambda d: [
        p.IncomingTypingIndicatorPush.model_validate(
            {**d, "typing_indicator": {**d["typing_indicator"], "recipients": d["typing_indicator"].get("visibility")}}
        )
    ],
    "incoming_sneak_peek": lambda d: [p.IncomingSneakPeekPush.model_validate(d)],
    "incoming_multicast": lambda d: [p.IncomingMulticastPush.model_validate(d)],
    "customer_updated": _customer_updated,
    "customer_page_updated": lambda d: [
        p.CustomerPageUpdatedPush.model_validate({**d, "visit_id": d.get("visit_id") or 0})
    ],
    "customer_banned": lambda d: [p.CustomerBannedPush.model_validate(d)],
    "routing_status_set": lambda d: [p.AgentUpdatedPush(agent_id=d["agent_id"], routing_status=d["status"])],
    "thread_summary_set": lambda d: [c.ThreadSummaryReady.model_validate(d)],
    "incoming_thinking_indicator": lambda d: [c.ThinkingIndicator.model_validate(d)],
    "event_deleted": lambda d: [c.EventDeleted.model_validate(d)],
    "chat_deleted": lambda d: [c.ChatDeleted.model_validate(d)],
    "thread_deleted": lambda d: [c.ThreadDeleted.model_validate(d)],
    "chat_unfollowed": lambda d: [c.ChatUnfollowed.model_validate(d)],
    "incoming_customers": _visitors,
    "incoming_customer": lambda d: [c.VisitorsSeen(customers=[customer(d)])],
    "customer_left": lambda d: [c.VisitorLeft(customer_id=d["id"], left_at=d.get("left_at"))],
    "incoming_error": lambda d: (
        [c.ThreadSummaryFailed(chat_id=d.get("chat_id"), thread_id=d.get("thread_id"))]
        if d.get("action") == "set_thread_summary"
        else []
    ),
}
"""v3.6 push name -> converter of its payload (JSON) into canonical pushes."""


def push(value: Any) -> list[Any]:
    """The canonical pushes a v3.6 push means ([] when the console has no use for it; an unknown
    or malformed push comes back as it is, an `UnknownPush`)."""
    action = getattr(value, "action", "")
    if isinstance(value, p.UnknownPush) or action == "agent_disconnected":
        return [value]
    convert = PUSH_CONVERTERS.get(action)
    if convert is None:
        return [
            p.UnknownPush(
                action, getattr(value, "raw", None), getattr(value, "request_id", None), "no canonical meaning"
            )
        ]
    out = convert(value.raw if hasattr(value, "raw") else _json(value))
    for item in out:
        if isinstance(item, p.PushBase):
            item._request_id = value.request_id
    return out
