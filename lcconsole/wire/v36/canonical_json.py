"""v3.6 JSON -> canonical JSON: the dict half of `wire.v36.canonical` (no pydantic here).

The converters take the server's JSON (or a v3.6 model, `as_json`) and give the canonical shape
(docs/v3.6-notes.md §5-§6); `wire.v36.canonical` validates the result into the canonical models,
and the first chat list is read from it before the models are imported (`ui.chat_items`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def as_json(value: Any) -> Any:
    """A v3.6 model as its JSON (a dict passes through)."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_none=True, by_alias=True)
    return value


def order_of(stamp: str | None) -> int | None:
    """µs since the epoch of an RFC 3339 time (None when absent or unreadable; a value that is not
    a string raises, as it is malformed)."""
    if stamp is None or stamp == "":
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


def _ordered(obj: dict[str, Any], dropped: tuple[str, ...]) -> dict[str, Any]:
    """`obj` without `created_at` and `dropped`, with the `order` and `timestamp` it gives."""
    out = {k: v for k, v in obj.items() if k != "created_at" and k not in dropped}
    order = order_of(obj.get("created_at"))
    if order is not None:
        out["order"], out["timestamp"] = order, order // 1_000_000
    return out


def event_data(ev: dict[str, Any]) -> dict[str, Any]:
    out = _ordered(ev, ("visibility",))
    if "visibility" in ev:
        out["recipients"] = ev["visibility"]
    return out


def thread_data(th: dict[str, Any]) -> dict[str, Any]:
    out = _ordered(th, ("events",))
    if "events" in th:
        out["events"] = _each(event_data, th["events"])
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
        for item in _checked(user["session_fields"], list):
            fields.update(_checked(item, dict))
        out["fields"] = fields
    return out


def _each(convert: Any, values: Any) -> Any:
    """`convert` applied to each item of a list; anything else passed on (for the model to refuse)."""
    return [convert(v) for v in values] if isinstance(values, list) else values


def _checked(value: Any, kind: type) -> Any:
    if not isinstance(value, kind):
        raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
    return value


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
    out["users"] = _each(user_data, s.get("users", []))
    last: dict[str, Any] = {}
    for kind, item in _checked(s.get("last_event_per_type", {}), dict).items():
        entry = {"thread_id": item.get("thread_id"), "thread_order": order_of(item.get("thread_created_at"))}
        if item.get("event") is not None:
            entry["event"] = event_data(item["event"])
        last[kind] = entry
    out["last_event_per_type"] = last
    if s.get("last_thread_summary") is not None:
        out["last_thread_summary"] = thread_data(s["last_thread_summary"])
    orders = [e["event"].get("order") or 0 for e in last.values() if e.get("event")]
    thread_order = (out.get("last_thread_summary") or {}).get("order")
    if orders or thread_order:
        out["order"] = max(orders + [thread_order or 0])
    return out


def login_data(data: dict[str, Any]) -> dict[str, Any]:
    """The v3.6 RTM login answer's payload as the canonical one's JSON."""
    out = {k: v for k, v in data.items() if k not in ("my_profile", "chats_summary")}
    profile = data.get("my_profile")
    if profile:
        out["my_profile"] = profile = user_data(profile)
        if profile.get("type") is None or isinstance(profile["type"], str):
            profile["type"] = "agent"
    elif profile is not None and profile != {}:  # (`{}`: the docs' sample elides the profile so)
        out["my_profile"] = profile  # malformed: for the model to refuse
    if "chats_summary" in data:
        out["chats_summary"] = _each(summary_data, data["chats_summary"])
    return out
