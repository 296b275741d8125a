"""v3.6 objects rendered from the engine's v3.0 objects (docs/v3.6-notes.md §6).

The engine builds one canonical (v3.0-shaped) object per entity; these functions turn it into
the v3.6 shape: `created_at` from the event/thread `order` (µs since the epoch, so unique and
ordered), `visibility` instead of `recipients`, plain property values, `events_seen_up_to`
instead of `last_seen_timestamp`, `session_fields` and `visit` for customers.
"""

from __future__ import annotations

from typing import Any

from lcconsole.emulator.world.ctx import iso

_EVENT_DROP = {"order", "timestamp", "recipients", "properties"}
_AGENT_KEYS = ("id", "type", "name", "email", "present", "avatar")


def created_at(order: int) -> str:
    """RFC 3339 µs time of an `order` value (µs since the epoch)."""
    return iso(order / 1_000_000)


def seen_at(timestamp: int | None) -> str:
    """`events_seen_up_to` of a v3.0 Unix `last_seen_timestamp`."""
    return iso(timestamp or 0)


def props(wrapped: dict[str, Any] | None) -> dict[str, Any]:
    """v3.0 `{ns: {name: {"value": v}}}` -> v3.6 `{ns: {name: v}}`."""
    out: dict[str, Any] = {}
    for ns, names in (wrapped or {}).items():
        out[ns] = {name: (v.get("value") if isinstance(v, dict) else v) for name, v in names.items()}
    return out


def event(ev: dict[str, Any]) -> dict[str, Any]:
    """Event: `created_at` and `visibility`; type-specific fields unchanged."""
    out: dict[str, Any] = {"id": ev["id"]}
    if "custom_id" in ev:
        out["custom_id"] = ev["custom_id"]
    out["created_at"] = created_at(ev["order"])
    out["visibility"] = ev.get("recipients", "all")
    out["type"] = ev["type"]
    out.update((k, v) for k, v in ev.items() if k not in _EVENT_DROP and k not in out)
    if ev.get("properties"):
        out["properties"] = props(ev["properties"])
    return out


def access(acc: dict[str, Any] | None) -> dict[str, Any]:
    """Access: group ids only (v3.6 has no per-agent grants)."""
    return {"group_ids": list((acc or {}).get("group_ids", []))}


def thread(th: dict[str, Any], previous_id: str | None = None, next_id: str | None = None) -> dict[str, Any]:
    """Thread with `created_at`, plain properties and the neighbouring thread ids."""
    out: dict[str, Any] = {
        "id": th["id"],
        "created_at": created_at(th["order"]),
        "active": th["active"],
        "user_ids": list(th.get("user_ids", [])),
    }
    if "events" in th:
        out["events"] = [event(e) for e in th["events"]]
    out["properties"] = props(th.get("properties"))
    out["access"] = access(th.get("access"))
    if th.get("tags"):
        out["tags"] = list(th["tags"])
    if previous_id:
        out["previous_thread_id"] = previous_id
    if next_id:
        out["next_thread_id"] = next_id
    return out


def thread_summary(th: dict[str, Any]) -> dict[str, Any]:
    """`last_thread_summary` of a chat summary."""
    out = thread(th)
    out.pop("events", None)
    return out


def agent(user: dict[str, Any], *, profile: bool = False) -> dict[str, Any]:
    """Agent as a chat user (or `my_profile` with routing status and permission)."""
    out = {k: user[k] for k in _AGENT_KEYS if k in user}
    out["events_seen_up_to"] = seen_at(user.get("last_seen_timestamp"))
    if profile:
        out["routing_status"] = user.get("routing_status")
        if "permission" in user:
            out["permission"] = user["permission"]
    else:
        out["visibility"] = user.get("visibility", "all")
    return out


def customer(user: dict[str, Any]) -> dict[str, Any]:
    """Customer: `session_fields` (array), `visit`, `events_seen_up_to` when in a chat."""
    out: dict[str, Any] = {"id": user["id"], "type": "customer"}
    for key in ("name", "email", "avatar"):
        if key in user:
            out[key] = user[key]
    if user.get("last_visit"):
        out["visit"] = dict(user["last_visit"])
    out["session_fields"] = [{k: v} for k, v in (user.get("fields") or {}).items()]
    for key in ("phone_number", "omnichannel", "address"):
        if key in user:
            out[key] = user[key]
    out["statistics"] = dict(user.get("statistics", {}))
    for key in ("agent_last_event_created_at", "customer_last_event_created_at", "created_at"):
        if key in user:
            out[key] = user[key]
    if "present" in user:
        out["present"] = user["present"]
        out["events_seen_up_to"] = seen_at(user.get("last_seen_timestamp"))
    if user.get("banned"):
        out["banned"] = True
    return out


def user(obj: dict[str, Any]) -> dict[str, Any]:
    """Either kind of chat user."""
    return agent(obj) if obj.get("type") == "agent" else customer(obj)


def chat(obj: dict[str, Any], thread_ids: list[str] | None = None) -> dict[str, Any]:
    """Chat with its `thread` (neighbours from `thread_ids`, the chat's threads in order) or
    `threads`."""
    out: dict[str, Any] = {"id": obj["id"], "users": [user(u) for u in obj.get("users", [])]}
    if "thread" in obj:
        out["thread"] = _with_neighbours(obj["thread"], thread_ids)
    if "threads" in obj:
        out["threads"] = [_with_neighbours(t, thread_ids) for t in obj["threads"]]
    out["properties"] = props(obj.get("properties"))
    out["access"] = access(obj.get("access"))
    if "is_followed" in obj:
        out["is_followed"] = obj["is_followed"]
    return out


def _with_neighbours(th: dict[str, Any], thread_ids: list[str] | None) -> dict[str, Any]:
    if not thread_ids or th["id"] not in thread_ids:
        return thread(th)
    i = thread_ids.index(th["id"])
    return thread(th, thread_ids[i - 1] if i > 0 else None, thread_ids[i + 1] if i + 1 < len(thread_ids) else None)


def chat_summary(s: dict[str, Any]) -> dict[str, Any]:
    """Chat summary: `thread_created_at` in `last_event_per_type`, no `order`."""
    out: dict[str, Any] = {"id": s["id"], "users": [user(u) for u in s.get("users", [])]}
    last: dict[str, Any] = {}
    for kind, item in (s.get("last_event_per_type") or {}).items():
        last[kind] = {
            "thread_id": item["thread_id"],
            "thread_created_at": created_at(item["thread_order"]),
            "event": event(item["event"]),
        }
    out["last_event_per_type"] = last
    if s.get("last_thread_summary"):
        out["last_thread_summary"] = thread_summary(s["last_thread_summary"])
    out["properties"] = props(s.get("properties"))
    out["access"] = access(s.get("access"))
    if "is_followed" in s:
        out["is_followed"] = s["is_followed"]
    return out
