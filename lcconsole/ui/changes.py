"""`Changes`: what one store update touched, so the screen repaints only that."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Changes:
    """What one store update touched (all sets of chat ids unless said otherwise)."""

    chats: set[str] = field(default_factory=set)  # chat-list rows / side panes
    transcripts: set[str] = field(default_factory=set)  # events or threads of these chats
    removed: set[str] = field(default_factory=set)  # chats that went away
    typing: set[str] = field(default_factory=set)
    customers: set[str] = field(default_factory=set)  # customer ids
    refetch: set[str] = field(default_factory=set)  # chats whose details must be re-read
    profile: bool = False  # my profile / routing status
    notices: list[str] = field(default_factory=list)  # human messages (multicast, ...)
    new_events: int = 0
    new_event_chats: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return any(
            (
                self.chats,
                self.transcripts,
                self.removed,
                self.typing,
                self.customers,
                self.refetch,
                self.profile,
                self.notices,
            )
        )

    def update(self, other: Changes) -> Changes:
        """Merge `other` into self (returns self)."""
        for name in ("chats", "transcripts", "removed", "typing", "customers", "refetch", "new_event_chats"):
            getattr(self, name).update(getattr(other, name))
        self.profile |= other.profile
        self.notices.extend(other.notices)
        self.new_events += other.new_events
        return self
