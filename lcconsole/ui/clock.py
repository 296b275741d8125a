"""Times as the agent reads them: always in the local time zone, so the transcript, the customer
panel, the archives and the visitors list agree."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import lru_cache
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


@lru_cache(maxsize=4096)
def format_time(timestamp: float, today: tuple[int, int, int] | None = None) -> str:
    """`HH:MM` for `today`, `DD Mon HH:MM` otherwise (local time, the transcript's), `` for 0."""
    if not timestamp:
        return ""
    local = time.localtime(timestamp)
    if today is not None and (local.tm_year, local.tm_mon, local.tm_mday) == today:
        return time.strftime("%H:%M", local)
    return time.strftime("%d %b %H:%M", local)


def today(now: float | None = None) -> tuple[int, int, int]:
    """(year, month, day) of `now` (default: now) in local time."""
    local = time.localtime(now)
    return local.tm_year, local.tm_mon, local.tm_mday


def format_since(value: Any, now: datetime | None = None) -> str:
    """`format_time` of unix seconds or an RFC 3339 string; "" for no time."""
    moment = local_moment(value)
    if moment is None:
        return ""
    return format_time(moment.timestamp(), today(now.timestamp() if now is not None else None))
