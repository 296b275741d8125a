"""Which kind of event a value is: its wire JSON, a model or a compact record (no pydantic here).

The event union of `wire.events` chooses its model with `tag_of`, and the chat list's rows read
the same tags from models, records or the login's raw JSON (`ui.chat_items`), so a row built
before pydantic is imported says what the store's row says.
"""

from __future__ import annotations

from typing import Any

EVENT_TYPES = frozenset(
    ("message", "system_message", "file", "rich_message", "filled_form", "custom", "annotation", "system", "form")
)
"""The event `type`s with a model of their own."""
CONTENT_KEYS = ("text", "url", "elements", "fields", "content", "details")
"""An event marked `deleted` with none of these is a deleted event; with one, it keeps its kind."""
CLASS_TAGS: dict[type, str] = {}
"""Classes whose every instance has one tag (the event models register themselves)."""


def tag_of(value: Any) -> str:
    """The event's kind: one of `EVENT_TYPES`, "deleted", "restricted" or "unknown"."""
    if isinstance(value, dict):
        kind, restricted = value.get("type"), value.get("restricted_access")
        deleted = value.get("deleted") is True and not any(k in value for k in CONTENT_KEYS)
    else:
        tag = CLASS_TAGS.get(type(value))
        if tag is not None:  # a model: its class is its tag, no attribute misses
            return tag
        kind, restricted = getattr(value, "type", None), getattr(value, "restricted_access", None)
        deleted = getattr(value, "deleted", None) is True and all(getattr(value, k, None) is None for k in CONTENT_KEYS)
    if restricted:
        return "restricted"
    if deleted:
        return "deleted"
    return kind if isinstance(kind, str) and kind in EVENT_TYPES else "unknown"  # ([1] is no key)
