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

from typing import Any

from lcconsole.wire import objects as o
from lcconsole.wire.dialects import build_list_items_first
from lcconsole.wire.v36 import login_check
from lcconsole.wire.v36.canonical_json import as_json, chat_data, login_data, summary_data, thread_data, user_data

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
    build_list_items_first(o.LoginResponse)  # (its summaries' model reused by the store, as in v3.0)
    return o.LoginResponse.model_validate(login_data(as_json(value)))


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
