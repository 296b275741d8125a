"""Who is typing (or thinking) in each chat, as the typing pushes last said."""

from __future__ import annotations

import time
from dataclasses import dataclass

TYPING_TTL = 6.0
"""Seconds an indicator stays without a new push (a push may not come when typing stops)."""


@dataclass
class Typing:
    """Someone typing in a chat; `text` is the customer's sneak peek, if any. `kind` "thinking":
    a thinking indicator (a bot preparing an answer), `text` its title and description."""

    author_id: str
    text: str | None
    until: float
    kind: str = "typing"


class TypingIndicators(dict[str, Typing]):
    """chat id -> its typing indicator (monotonic `until` times)."""

    @staticmethod
    def ttl_from_now() -> float:
        """When an indicator arriving now expires (monotonic seconds)."""
        return time.monotonic() + TYPING_TTL

    def start(self, chat_id: str, author_id: str, text: str | None, kind: str = "typing") -> None:
        """Record someone typing (the caller reports the change)."""
        self[chat_id] = Typing(author_id, text, self.ttl_from_now(), kind)

    def current(self, chat_id: str, now: float | None = None) -> Typing | None:
        """Who is typing in a chat right now."""
        state = self.get(chat_id)
        if state and state.until >= (time.monotonic() if now is None else now):
            return state
        return None

    def expire(self) -> set[str]:
        """Forget the indicators that went quiet; the chats they were in."""
        now = time.monotonic()
        gone = {c for c, t in self.items() if t.until < now}
        for chat_id in gone:
            del self[chat_id]
        return gone
