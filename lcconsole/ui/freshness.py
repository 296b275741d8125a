"""Rows no push keeps current: how new they are, and when to read them again.

The agent gets no event pushes for another agent's chat it neither joined nor follows (the
"Other chats" section): its preview, unread count and tags are only as new as the last answer
that carried the chat's latest events (`Store.read_at`). While such rows are on screen and the
terminal has focus, one summary page (the most recently active chats) is read at most every
`REFRESH_EVERY` seconds; a row that no answer confirmed for `STALE_AFTER` seconds says since when
its content is known ("as of 14:02"), so a stale preview never passes for a current one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from lcconsole.ui.store import Store

REFRESH_EVERY = 60.0
STALE_AFTER = 60.0
REFRESH_PAGE = 100
QUIET_SECTION = "others"


class Freshness:
    """Decides which rows are marked "as of" and when a refresh page is due."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock
        self.last_refresh = clock()

    def as_of(self, chat_id: str, section: str) -> float | None:
        """When the row's content was read, if the row is quiet and that is too long ago."""
        if section != QUIET_SECTION:
            return None
        at = self.store.read_at.get(chat_id)
        return at if at is not None and self.clock() - at > STALE_AFTER else None

    def due(self, quiet_in_view: bool, focused: bool) -> bool:
        """Whether to read a refresh page now (and if so, the clock restarts)."""
        if not (quiet_in_view and focused) or self.clock() - self.last_refresh < REFRESH_EVERY:
            return False
        self.last_refresh = self.clock()
        return True

    def flipped(self, rows: Iterable[tuple[str, str, float | None]]) -> set[str]:
        """Chats among `rows` ((chat id, section, as_of shown)) whose mark must change."""
        return {
            chat_id for chat_id, section, shown in rows if (self.as_of(chat_id, section) is None) != (shown is None)
        }
