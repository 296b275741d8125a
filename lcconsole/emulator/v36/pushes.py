"""v3.6 pushes rendered from the engine's canonical (v3.0-shaped) pushes (docs/v3.6-notes.md §5).

`render(push)` returns `(name, payload)` in v3.6 terms, or None when v3.6 has no such push
(e.g. a customer's access change). Facts the v3.0 payload does not carry (the thread of a
transfer, the requester of a membership change) come from `AddressedPush.meta`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lcconsole.emulator.contract import AddressedPush, Payload
from lcconsole.emulator.v36 import render as r
from lcconsole.wire.v36.pushes import RENAMED_FROM_V30

Renderer = Callable[[AddressedPush], "dict[str, Any] | None"]


def _chat_event(push: AddressedPush) -> dict[str, Any]:
    p = push.fields
    return {"chat_id": p["chat_id"], "thread_id": p["thread_id"], "event": r.event(p["event"])}


def _incoming_chat(push: AddressedPush) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if push.meta.get("requester_id"):
        out["requester_id"] = push.meta["requester_id"]
    out["chat"] = r.chat(push.fields["chat"], push.meta.get("thread_ids"))
    return out


def _deactivated(push: AddressedPush) -> dict[str, Any]:
    p = push.fields
    return {"chat_id": p["chat_id"], "thread_id": p["thread_id"], "user_id": p["user_id"]}


def _transferred(push: AddressedPush) -> dict[str, Any]:
    p = push.fields
    out: dict[str, Any] = {"chat_id": p["chat_id"]}
    if push.meta.get("thread_id"):
        out["thread_id"] = push.meta["thread_id"]
    out["requester_id"] = p["requester_id"]
    out["reason"] = push.meta.get("reason", "manual")
    groups = push.meta.get("group_ids", [])
    agents = push.meta.get("agent_ids", [])
    out["transferred_to"] = {"group_ids": groups, "agent_ids": agents}
    if push.meta.get("queue"):
        out["queue"] = push.meta["queue"]
    return out


def _member_change(push: AddressedPush) -> dict[str, Any]:
    p = push.fields
    out: dict[str, Any] = {"chat_id": p["chat_id"]}
    if p.get("thread_id"):
        out["thread_id"] = p["thread_id"]
    if "user" in p:
        out["user"] = r.user(dict(p["user"], visibility=push.meta.get("visibility", "all")))
    else:
        out["user_id"] = p["user_id"]
    out["reason"] = push.meta.get("reason", "manual")
    if push.meta.get("requester_id"):
        out["requester_id"] = push.meta["requester_id"]
    return out


def _props_updated(push: AddressedPush) -> dict[str, Any]:
    return dict(push.fields, properties=r.props(push.fields["properties"]))


def _seen(push: AddressedPush) -> dict[str, Any]:
    p = push.fields
    return {"user_id": p["user_id"], "chat_id": p["chat_id"], "seen_up_to": r.seen_at(p["timestamp"])}


def _routing(push: AddressedPush) -> dict[str, Any]:
    return {"agent_id": push.fields["agent_id"], "status": push.fields["routing_status"]}


def _access(push: AddressedPush) -> dict[str, Any] | None:
    if push.fields.get("resource") != "chat" or "group_ids" not in push.meta:
        return None
    return {"id": push.fields["id"], "access": {"group_ids": push.meta["group_ids"]}}


def _typing(push: AddressedPush) -> dict[str, Any]:
    p = push.fields
    ind = dict(p["typing_indicator"])
    ind["visibility"] = ind.pop("recipients", "all")
    return {"chat_id": p["chat_id"], "thread_id": p["thread_id"], "typing_indicator": ind}


def _sneak_peek(push: AddressedPush) -> dict[str, Any]:
    p = push.fields
    peek = {k: v for k, v in p["sneak_peek"].items() if k != "recipients"}
    return {"chat_id": p["chat_id"], "thread_id": p["thread_id"], "sneak_peek": peek}


def _customer_created(push: AddressedPush) -> dict[str, Any]:
    return r.customer(push.fields["customer"])


def _visit_started(push: AddressedPush) -> dict[str, Any] | None:
    customer = push.meta.get("customer")
    return r.customer(customer) if customer else None


def _customer_left(push: AddressedPush) -> dict[str, Any]:
    return {"id": push.fields["customer_id"], "left_at": push.fields["ended_at"]}


def _customer_updated(push: AddressedPush) -> dict[str, Any]:
    c = r.customer(push.fields)
    return {
        k: c[k]
        for k in ("id", "type", "name", "email", "avatar", "session_fields", "phone_number", "omnichannel", "address")
        if k in c
    }


def _same(push: AddressedPush) -> dict[str, Any]:
    return push.fields


def _followed(push: AddressedPush) -> dict[str, Any]:
    return r.customer(push.fields["customer"])


def _unfollowed(push: AddressedPush) -> dict[str, Any]:
    return {
        "id": push.fields["customer_id"],
        "transferred_to": {"group_ids": push.fields["group_ids"]},
        "followed": False,
    }


FOLLOWING: dict[str, tuple[str, Callable[[AddressedPush], dict[str, Any]]]] = {
    "customer_followed": ("incoming_customer", _followed),
    "customer_unfollowed": ("customer_transferred", _unfollowed),
}
"""The v3.6-only following changes (`world/following.py`) -> v3.6 name and renderer."""


RENDERERS: dict[str, Renderer] = {
    "incoming_chat_thread": _incoming_chat,
    "incoming_event": _chat_event,
    "event_updated": _chat_event,
    "thread_closed": _deactivated,
    "chat_transferred": _transferred,
    "chat_user_added": _member_change,
    "chat_user_removed": _member_change,
    "chat_properties_updated": _props_updated,
    "chat_properties_deleted": _same,
    "chat_thread_properties_updated": _props_updated,
    "chat_thread_properties_deleted": _same,
    "event_properties_updated": _props_updated,
    "event_properties_deleted": _same,
    "chat_thread_tagged": _same,
    "chat_thread_untagged": _same,
    "last_seen_timestamp_updated": _seen,
    "agent_updated": _routing,
    "access_granted": _access,
    "access_revoked": _access,
    "access_set": _access,
    "incoming_typing_indicator": _typing,
    "incoming_sneak_peek": _sneak_peek,
    "incoming_rich_message_postback": _same,
    "incoming_multicast": _same,
    "customer_created": _customer_created,
    "customer_visit_started": _visit_started,
    "customer_visit_ended": _customer_left,
    "customer_updated": _customer_updated,
    "customer_page_updated": _same,
    "customer_banned": _same,
    "agent_disconnected": _same,
}
"""Canonical push name -> its v3.6 payload renderer."""


def render(push: AddressedPush) -> tuple[str, Payload] | None:
    """`(v3.6 name, v3.6 payload)` of a canonical push, or None when v3.6 has no such push."""
    if push.action in FOLLOWING:
        name, following = FOLLOWING[push.action]
        return name, following(push)
    if push.dialect == "3.6":  # already a v3.6 push (raised by a v3.6-only action)
        return push.action, push.payload
    fn = RENDERERS.get(push.action)
    if fn is None:
        return None
    payload = fn(push)
    if payload is None:
        return None
    return RENAMED_FROM_V30.get(push.action, push.action), payload
