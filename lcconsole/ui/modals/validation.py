"""Pure parsers used by the modals: each returns the parsed value or raises `FormError`.

Nothing here imports Textual, so the rules are easy to test and reuse (e.g. by a CLI).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lcconsole.wire.actions import MAX_UPLOAD_BYTES

INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
MAX_ATTACH_BYTES = MAX_UPLOAD_BYTES
"""Attachments above this size are refused."""

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PROPERTY_TYPES = ("string", "int", "bool")


class FormError(ValueError):
    """Invalid input; `field` is the id of the widget to focus, `message` is shown to the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def parse_int(
    text: str, what: str, *, minimum: int | None = None, maximum: int | None = None, field: str | None = None
) -> int:
    """Parse a base-10 integer with optional bounds."""
    raw = text.strip()
    try:
        value = int(raw, 10)
    except ValueError:
        raise FormError(f"{what}: {raw!r} is not a whole number", field) from None
    if minimum is not None and value < minimum:
        raise FormError(f"{what} must be at least {minimum}", field)
    if maximum is not None and value > maximum:
        raise FormError(f"{what} must be at most {maximum}", field)
    return value


def parse_property_value(text: str, kind: str, *, field: str | None = None) -> int | bool | str:
    """Parse a property value of type `kind` ("string", "int" (int32) or "bool" (true/false))."""
    if kind == "int":
        return parse_int(text, "Value", minimum=INT32_MIN, maximum=INT32_MAX, field=field)
    if kind == "bool":
        low = text.strip().lower()
        if low in ("true", "false"):
            return low == "true"
        raise FormError(f"Value: {text.strip()!r} is not a bool (type true or false)", field)
    if kind == "string":
        return text
    raise FormError(f"Unknown property type {kind!r} (use one of {', '.join(_PROPERTY_TYPES)})", field)


def property_type_of(value: Any) -> str:
    """The property type name ("bool", "int" or "string") that fits an existing value."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    return "string"


def parse_identifier(text: str, what: str, *, field: str | None = None) -> str:
    """A non-empty token without whitespace or dots (property namespaces and names)."""
    value = text.strip()
    if not value:
        raise FormError(f"{what} is required", field)
    if any(ch.isspace() for ch in value) or "." in value:
        raise FormError(f"{what} must not contain spaces or dots", field)
    return value


def parse_email(text: str, *, required: bool = False, field: str | None = None) -> str | None:
    """A plausible e-mail address (local@domain.tld); empty gives None unless required."""
    value = text.strip()
    if not value:
        if required:
            raise FormError("E-mail is required", field)
        return None
    if not _EMAIL.match(value):
        raise FormError(f"E-mail: {value!r} is not a valid address", field)
    return value


def parse_url(text: str, *, field: str | None = None) -> str | None:
    """An http(s) URL or None when empty."""
    value = text.strip()
    if not value:
        return None
    if not re.match(r"^https?://[^\s/]+", value):
        raise FormError(f"Avatar URL must start with http:// or https:// (got {value!r})", field)
    return value


def parse_fields(text: str, *, field: str | None = None) -> dict[str, str]:
    """Customer fields as `key=value` lines (blank lines ignored, value may contain '=')."""
    result: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key:
            raise FormError(f"Fields line {number}: expected key=value, got {line.strip()!r}", field)
        result[key] = value.strip()
    return result


def format_fields(fields: dict[str, str] | None) -> str:
    """Inverse of `parse_fields`."""
    return "\n".join(f"{k}={v}" for k, v in (fields or {}).items())


def parse_date(text: str, what: str, *, field: str | None = None) -> str | None:
    """A calendar date `YYYY-MM-DD` (as the archive filters want it) or None when empty."""
    value = text.strip()
    if not value:
        return None
    try:
        if not _DATE.match(value):
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise FormError(f"{what}: {value!r} is not a date (YYYY-MM-DD)", field) from None
    return value


def parse_timestamp(text: str, what: str, *, field: str | None = None) -> str | None:
    """An ISO 8601 date or date-time (customer-list date filters); a bare date is kept as typed."""
    value = text.strip()
    if not value:
        return None
    try:
        if _DATE.match(value):
            date.fromisoformat(value)
        else:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise FormError(f"{what}: {value!r} is not an ISO 8601 date/time", field) from None
    return value


def date_filter_value(text: str, op: str, what: str, *, field: str | None = None) -> str | None:
    """A customer-list date filter value in the spec's µs ISO form.

    A bare `YYYY-MM-DD` means the whole day: `lte`/`gt` use its last microsecond, the other
    operators its first (so `gte 2024-01-01` + `lte 2024-01-31` covers January). Date-times are
    sent as typed.
    """
    value = parse_timestamp(text, what, field=field)
    if value is None or not _DATE.match(value):
        return value
    return f"{value}T23:59:59.999999Z" if op in ("lte", "gt") else f"{value}T00:00:00.000000Z"


def parse_json(text: str, what: str = "Content", *, field: str | None = None) -> Any:
    """Any JSON document; the error names line and column."""
    if not text.strip():
        raise FormError(f"{what} is required (any JSON value)", field)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormError(f"{what}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", field) from None


def split_list(text: str) -> list[str]:
    """Comma/whitespace separated items, stripped, empty dropped, order kept, duplicates removed."""
    seen: dict[str, None] = {}
    for item in re.split(r"[,\s]+", text):
        if item:
            seen.setdefault(item, None)
    return list(seen)


def split_tags(text: str) -> list[str]:
    """Comma separated tags (a tag may contain spaces), stripped, duplicates removed."""
    seen: dict[str, None] = {}
    for item in text.split(","):
        item = item.strip()
        if item:
            seen.setdefault(item, None)
    return list(seen)


def parse_int_list(text: str, what: str, *, field: str | None = None) -> list[int]:
    """Comma/space separated integers (group ids)."""
    return [parse_int(item, what, minimum=0, field=field) for item in split_list(text)]


def check_attachment(text: str, *, field: str | None = None, max_bytes: int = MAX_ATTACH_BYTES) -> Path:
    """An existing regular file no larger than `max_bytes`; returns its absolute path."""
    raw = text.strip()
    if not raw:
        raise FormError("Path is required", field)
    path = Path(raw).expanduser()
    try:
        path = path.resolve()
    except OSError:
        pass
    if not path.exists():
        raise FormError(f"No such file: {raw}", field)
    if not path.is_file():
        raise FormError(f"Not a regular file: {raw}", field)
    size = path.stat().st_size
    if size > max_bytes:
        raise FormError(f"File is too large: {size / 1048576:.1f} MB (the limit is {max_bytes // 1048576} MB)", field)
    return path
