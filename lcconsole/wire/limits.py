"""Size limits on request fields, shared by the client and the emulator (`validation` errors).

LiveChat documents only the message text (16 KB of raw UTF-8) and uploads (10 MB). The other
bounds are the emulator's own: generous for any real use, small enough that one request can
neither bloat the store nor keep the server busy for long. `check_payload` applies the generic
ones (every string, key, object, list, and the request's whole text) to any payload of any
version, agent or customer side; the filter bounds live in the request models.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, Field

T = TypeVar("T")

SEARCH_QUERY_CHARS = 256
"""`get_archives` `filters.query`: searched as a substring of every message of every thread."""

FILTER_VALUES = 100
"""Ids or values in one filter list (`agent_ids`, `group_ids`, `values`, `exclude_values`)."""

PROPERTY_FILTERS = 50
"""`namespace.property` conditions in one `filters.properties`."""

SearchQuery = Annotated[str, Field(max_length=SEARCH_QUERY_CHARS)]
FilterList = Annotated[list[T], Field(max_length=FILTER_VALUES)]


def _few_properties(filters: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    count = sum(len(props) for props in filters.values())
    if count > PROPERTY_FILTERS:
        raise ValueError(f"at most {PROPERTY_FILTERS} property conditions, got {count}")
    return filters


PropertyCount = AfterValidator(_few_properties)
"""Bounds the `namespace.property` pairs of a property filter mapping."""


TEXT_BYTES = 16 * 1024
"""Any one string in a request: the documented message text limit, the largest field there is."""

SHORT_FIELDS = {
    "name": 256,
    "custom_id": 256,
    "email": 254,
    "job_title": 256,
    "title": 1024,
    "avatar": 2048,
    "url": 2048,
    "referrer": 2048,
}
"""Characters allowed in a field of this name, wherever it appears (customer and agent names,
custom ids, e-mails, page titles and addresses)."""

KEY_CHARS = 256
"""Characters in one object key (a property name, a session field's name, ...)."""

OBJECT_KEYS = 100
"""Keys in one object (`fields`, one namespace of `properties`, a custom event's content, ...)."""

LIST_ITEMS = 1000
"""Items in one list (the largest documented list filter, v3.6 `chat_ids`, holds 1,000)."""

DEPTH = 32
"""Nesting of objects and lists."""

PAYLOAD_BYTES = 256 * 1024
"""All the text of one request together (UTF-8 bytes of keys and strings): over it the request
is `entity_too_large`."""


class LimitExceeded(ValueError):
    """A request over one of the limits above: `field` names where (dotted path), `too_large`
    marks the whole-request budget (`entity_too_large`) rather than one field (`validation`)."""

    def __init__(self, field: str, problem: str, *, too_large: bool = False) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.too_large = too_large


def _utf8_bytes(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def _check(value: Any, path: str, depth: int, total: list[int]) -> None:
    """Check `value` against the per-field limits, adding the bytes of each string and key to
    `total[0]` as it goes (over PAYLOAD_BYTES: `too_large`)."""
    if depth > DEPTH:
        raise LimitExceeded(path or "payload", f"nested deeper than {DEPTH} levels")
    if isinstance(value, str):
        _check_text(value, path, "", path.rpartition(".")[2], total)
    elif isinstance(value, dict):
        if len(value) > OBJECT_KEYS:
            raise LimitExceeded(path or "payload", f"at most {OBJECT_KEYS} keys")
        for key, item in value.items():
            key = str(key)
            if len(key) > KEY_CHARS:
                raise LimitExceeded(path or "payload", f"key longer than {KEY_CHARS} characters")
            _count(total, _utf8_bytes(key))
            # a string within the depth limit is checked here, its dotted path spelt only in an
            # error; other scalars within it have nothing to check
            if depth < DEPTH and isinstance(item, str):
                _check_text(item, path, key, key.rpartition(".")[2], total)
            elif depth >= DEPTH or isinstance(item, _CONTAINERS):
                _check(item, f"{path}.{key}" if path else key, depth + 1, total)
    elif isinstance(value, list):
        if len(value) > LIST_ITEMS:
            raise LimitExceeded(path or "payload", f"at most {LIST_ITEMS} items")
        for i, item in enumerate(value):
            if depth < DEPTH and isinstance(item, str):
                _check_text(item, path, i, "", total)
            elif depth >= DEPTH or isinstance(item, _CONTAINERS):
                _check(item, f"{path}.{i}" if path else str(i), depth + 1, total)


_CONTAINERS = (dict, list)


def _check_text(text: str, parent: str, key: str | int, name: str, total: list[int]) -> None:
    """The limits of the string at `parent.key` (`key` "": at `parent`) whose field is called
    `name` (the last part of that path)."""
    size = _utf8_bytes(text)
    if size > TEXT_BYTES:
        raise LimitExceeded(_join(parent, key) or "payload", f"longer than {TEXT_BYTES} bytes")
    cap = SHORT_FIELDS.get(name)
    if cap is not None and len(text) > cap:
        raise LimitExceeded(_join(parent, key), f"at most {cap} characters")
    _count(total, size)


def _join(parent: str, key: str | int) -> str:
    if key == "":
        return parent
    return f"{parent}.{key}" if parent else str(key)


def _count(total: list[int], size: int) -> None:
    total[0] += size
    if total[0] > PAYLOAD_BYTES:
        raise LimitExceeded("payload", f"more than {PAYLOAD_BYTES} bytes of text", too_large=True)


def check_payload(payload: Any) -> None:
    """Raise LimitExceeded when a request payload breaks a limit of this module (keys, strings,
    list and object sizes, nesting, the total text); the first problem found wins."""
    _check(payload, "", 0, [0])
