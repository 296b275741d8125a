"""v3.6 pushes -> canonical pushes (`wire.pushes`, `wire.canonical`): `chat_deactivated` ->
`ThreadClosedPush`, …; pushes the console has no use for map to nothing. The objects inside them
are converted by `wire.v36.canonical`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lcconsole.wire import canonical as c
from lcconsole.wire import pushes as p
from lcconsole.wire.v36.canonical import chat, customer
from lcconsole.wire.v36.canonical_json import as_json, event_data, seconds_of, user_data

if TYPE_CHECKING:
    from pydantic import BaseModel


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
    out = convert(value.raw if hasattr(value, "raw") else as_json(value))
    for item in out:
        if isinstance(item, p.PushBase):
            item._request_id = value.request_id
    return out
