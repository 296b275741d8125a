"""v3.6 -> the canonical model: the one place that knows both shapes (docs/v3.6-notes.md §5-§6).

Everything the console keeps is canonical (`wire.objects`, `wire.events`, `wire.pushes`,
`wire.canonical`). This module turns v3.6 answers and pushes into it:

* times: `created_at` (RFC 3339, µs) becomes the canonical `order` (µs since the epoch, unique and
  increasing, as the emulator's v3.0 `order`) and `timestamp` (Unix seconds);
  `events_seen_up_to` becomes `last_seen_timestamp`;
* `visibility` becomes `recipients`; plain property values become stored ones (`{"value": v}`);
* a chat's one `thread` becomes `threads: [thread]`; a customer's `visit` becomes `last_visit`,
  `session_fields` (array) `fields` (map);
* pushes map to their canonical class in `canonical_pushes` (imported with the first push, not
  before the login: the push models are not on the way to the chat list).

Input is a v3.6 model or its JSON (dict); output is canonical models. The converters never hide
a malformed value (no default for a wrong type, nothing filtered out): a shape they cannot convert
raises, a wrong value they pass on fails the canonical model. So `read_login` can read the server's
raw login answer with the canonical model (and `login_check` for what only v3.6 has).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from lcconsole.wire import objects as o
from lcconsole.wire.dialects import build_list_items_first
from lcconsole.wire.v36 import login_check

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


# --- objects (v3.6 -> canonical models) --------------------------------------------------------------


def chat(value: Any) -> o.Chat:
    """A v3.6 chat (one `thread` or `threads`) as the canonical Chat with `threads`."""
    return o.Chat.model_validate(chat_data(as_json(value)))


def summaries(values: Any) -> list[o.ChatSummary]:
    """v3.6 chat summaries as canonical ones."""
    return [o.ChatSummary.model_validate(summary_data(as_json(s))) for s in values or []]


def customer(value: Any) -> o.Customer:
    """A v3.6 customer as the canonical Customer."""
    return o.Customer.model_validate(user_data(as_json(value)) | {"type": "customer"})


def login(value: Any) -> o.LoginResponse:
    """The v3.6 RTM login response (its model or the server's raw JSON) as the canonical one."""
    data = as_json(value)
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
    build_list_items_first(o.LoginResponse)  # (its summaries' model reused by the store, as in v3.0)
    return o.LoginResponse.model_validate(out)


def read_login(payload: Any) -> o.LoginResponse:
    """The server's raw v3.6 login answer read straight into the canonical model when the canonical
    model and `login_check` (v3.6's own fields) both accept it: the v3.6 model is then neither
    imported nor built. Otherwise it is read the slow way, through the v3.6 model, which raises its
    `ValidationError` (the server's field names) when the answer is malformed."""
    try:
        read = login(payload)
        if login_check.fits(payload):
            return read
    except (AttributeError, KeyError, TypeError, ValueError):  # (ValidationError is a ValueError)
        pass
    from lcconsole.wire.v36.responses import LoginResponse

    return login(LoginResponse.model_validate(payload))


def archives(value: Any, page: int, total_pages: int | None = None) -> o.GetArchivesResponse:
    """`list_archives` as the canonical archives page (`pagination.page`, `.total` = found chats)."""
    data = as_json(value)
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
