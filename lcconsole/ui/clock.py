"""Times as the agent reads them: always in the local time zone, so the transcript, the customer
panel, the archives and the visitors list agree."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from lcconsole.safetext import sanitize


def local_moment(value: Any) -> datetime | None:
    """Unix seconds or an RFC 3339 string as an aware local datetime (None: neither)."""
    if value in (None, "", 0) or isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float)):
            return datetime.fromtimestamp(float(value), tz=UTC).astimezone()
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone()
    except (ValueError, OverflowError, OSError):
        return None


def format_when(value: Any) -> str:
    """`YYYY-MM-DD HH:MM` (local time); a value that is no time shows as short text."""
    moment = local_moment(value)
    if moment is not None:
        return moment.strftime("%Y-%m-%d %H:%M")
    return "" if value in (None, "", 0) else sanitize(str(value)[:40], newlines=False)


def format_since(value: Any, now: datetime | None = None) -> str:
    """`HH:MM` today, `DD Mon HH:MM` before (local time, as the transcript); "" for no time."""
    moment = local_moment(value)
    if moment is None:
        return ""
    today = (now or datetime.now(UTC)).astimezone().date()
    return moment.strftime("%H:%M" if moment.date() == today else "%d %b %H:%M")
