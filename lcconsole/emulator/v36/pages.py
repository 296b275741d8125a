"""v3.6 page ids: opaque tokens that carry the first request's query (docs/v3.6-notes.md §2.1).

One scheme for every v3.6 listing (list_chats, list_threads, list_archives): a `page_id`
encodes the listing's filters, sort order, limit and position, so a follow-up call sends only
`page_id`; sending `filters`, `limit` or `sort_order` along with it is a validation error, as is
a page id made by another listing. The position is an offset (`encode`) or the keyset cursor of
the shared v3.0 pagination (`wrap`), which the v3.0 listings hand out bare.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from lcconsole.emulator.contract import ErrorReply


def encode(kind: str, query: dict[str, Any], offset: int) -> str:
    """The page id of `query` starting at `offset`."""
    raw = json.dumps({"k": kind, "q": query, "o": offset}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode(kind: str, page_id: str) -> tuple[dict[str, Any], int]:
    """(query, offset) of a page id made by `encode(kind, ...)`."""
    try:
        data = json.loads(base64.urlsafe_b64decode(page_id.encode()))
        if data["k"] != kind or not isinstance(data["q"], dict) or not isinstance(data["o"], int):
            raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeError):
        raise ErrorReply("validation", "page_id: not a page id of this listing") from None
    return data["q"], max(data["o"], 0)


def wrap(kind: str, query: dict[str, Any], cursor: str | None) -> str | None:
    """The v3.6 page id of a keyset `cursor` (a v3.0 page id) for `query`."""
    if cursor is None:
        return None
    raw = json.dumps({"k": kind, "q": query, "c": cursor}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def unwrap(
    kind: str, req: Any, fresh: dict[str, Any], conflicting: tuple[str, ...]
) -> tuple[dict[str, Any], str | None]:
    """(query, keyset cursor) of a request: its own (`fresh`, no cursor) or its page id's."""
    if req.page_id is None:
        return fresh, None
    for name in conflicting:
        if getattr(req, name, None) is not None:
            raise ErrorReply("validation", f"{name}: cannot be sent together with page_id")
    try:
        data = json.loads(base64.urlsafe_b64decode(req.page_id.encode()))
        if data["k"] != kind or not isinstance(data["q"], dict) or not isinstance(data["c"], str):
            raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeError):
        raise ErrorReply("validation", "page_id: not a page id of this listing") from None
    return data["q"], data["c"]


def resolve(kind: str, req: Any, fresh: dict[str, Any], conflicting: tuple[str, ...]) -> tuple[dict[str, Any], int]:
    """The query and offset of a request: its own (`fresh`) or the one its page_id carries."""
    if req.page_id is None:
        return fresh, 0
    for name in conflicting:
        if getattr(req, name, None) is not None:
            raise ErrorReply("validation", f"{name}: cannot be sent together with page_id")
    return decode(kind, req.page_id)


def links(kind: str, query: dict[str, Any], offset: int, limit: int, total: int) -> dict[str, Any]:
    """`next_page_id`/`previous_page_id` for a page of `limit` items at `offset` of `total`."""
    out: dict[str, Any] = {}
    if offset + limit < total:
        out["next_page_id"] = encode(kind, query, offset + limit)
    if offset > 0:
        out["previous_page_id"] = encode(kind, query, max(offset - limit, 0))
    return out
