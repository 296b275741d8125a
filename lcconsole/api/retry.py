"""When the client may re-send a request, and how long it waits first.

The rule (enforced in `AgentClient._execute`):

* Failures worth retrying: HTTP 429 `too_many_requests` (waiting `Retry-After` seconds when the
  server gives it), HTTP 5xx, and transport failures (connect errors, timeouts, broken connections).
* Actions marked idempotent in `wire.actions.ACTIONS` are re-sent after any of them, with
  exponential backoff and jitter, up to `max_attempts` attempts in all.
* Actions that create or move something (`start_chat`, `send_event`, `send_file`, `transfer_chat`,
  …) are never re-sent blindly: the first failure is raised.
* The one safe exception is `send_event` whose event carries a `custom_id`. After a failure that
  surely did not reach the server (429, connect error) it is re-sent; after an ambiguous one (5xx,
  timeout, broken connection) the client first looks for an event with that `custom_id` in the
  chat's most recent threads and re-sends only if it is not there (if it is, that event is the
  result). If the check itself fails, the original error is raised.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from lcconsole.errors import LiveChatError, TooManyRequestsError, TransportError, is_transient

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff settings; `sleep` is injectable so tests need not wait.

    The n-th retry waits `min(max_delay, base_delay * 2**(n-1))`, reduced by up to `jitter`
    (a fraction, 0..1) at random. A `Retry-After` longer than `max_retry_after` is not waited for:
    the 429 is raised instead.
    """

    max_attempts: int = 3
    base_delay: float = 0.25
    max_delay: float = 8.0
    jitter: float = 0.5
    max_retry_after: float = 60.0
    sleep: Sleep = field(default=asyncio.sleep, repr=False, compare=False)
    rng: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    @classmethod
    def never(cls) -> RetryPolicy:
        """A policy that makes one attempt only."""
        return cls(max_attempts=1)

    def backoff(self, retry: int) -> float:
        """Delay before retry number `retry` (1-based)."""
        delay = min(self.max_delay, self.base_delay * (2 ** max(0, retry - 1)))
        if self.jitter > 0:
            delay *= 1 - self.jitter * self.rng.random()
        return max(0.0, float(delay))

    def delay_for(self, error: LiveChatError, retry: int) -> float | None:
        """How long to wait before retry `retry` after `error`; None = do not retry."""
        if isinstance(error, TooManyRequestsError) and error.retry_after is not None:
            if error.retry_after > self.max_retry_after:
                return None
            return max(0.0, error.retry_after)
        return self.backoff(retry)


def classify(error: LiveChatError) -> str | None:
    """`"unsent"` (surely not processed), `"ambiguous"` (may have been), or None (not retryable):
    of the transient failures (`is_transient`), the ones the client may re-send at once."""
    if not is_transient(error):
        return None
    if isinstance(error, TooManyRequestsError):
        return "unsent"
    if isinstance(error, TransportError):
        if not error.retryable:
            return None
        return "ambiguous" if error.request_sent else "unsent"
    if error.status is not None and error.status >= 500 and error.type != "response_validation":
        return "ambiguous"
    return None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds or an HTTP date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
