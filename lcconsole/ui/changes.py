"""`Changes`: what one store update touched, so the screen repaints only that."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Changes:
    """What one store update touched (all sets of chat ids unless said otherwise).

    A chat in `transcripts` changed in its loaded threads; `thread_changes` and `event_changes`
    say where (the transcript's delta). A chat in `transcripts` that neither names changed in a
    way no delta describes: its transcript is built again.
    """

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
    # chat -> loaded threads (re)loaded or whose own state (open, tags, summary) changed
    thread_changes: dict[str, set[str]] = field(default_factory=dict)
    # chat -> thread id -> ids of the thread's events added or changed
    event_changes: dict[str, dict[str, set[str]]] = field(default_factory=dict)

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

    def thread_changed(self, chat_id: str, thread_id: str) -> Changes:
        """A loaded thread was (re)loaded or its own state changed (returns self)."""
        self.transcripts.add(chat_id)
        self.thread_changes.setdefault(chat_id, set()).add(thread_id)
        return self

    def event_changed(self, chat_id: str, thread_id: str, event_id: str) -> Changes:
        """An event of a loaded thread was added or changed (returns self)."""
        self.transcripts.add(chat_id)
        self.event_changes.setdefault(chat_id, {}).setdefault(thread_id, set()).add(event_id)
        return self

    def transcript_delta(self, chat_id: str) -> tuple[set[str], dict[str, set[str]]] | None:
        """(changed thread ids, thread id -> changed event ids) of a chat whose transcript
        changed; None when the change has no delta (build the transcript again)."""
        threads = self.thread_changes.get(chat_id, set())
        events = self.event_changes.get(chat_id, {})
        return (threads, events) if threads or events else None

    def update(self, other: Changes) -> Changes:
        """Merge `other` into self (returns self)."""
        for name in ("chats", "transcripts", "removed", "typing", "customers", "refetch", "new_event_chats"):
            getattr(self, name).update(getattr(other, name))
        self.profile |= other.profile
        self.notices.extend(other.notices)
        self.new_events += other.new_events
        for chat_id, threads in other.thread_changes.items():
            self.thread_changes.setdefault(chat_id, set()).update(threads)
        for chat_id, by_thread in other.event_changes.items():
            mine = self.event_changes.setdefault(chat_id, {})
            for thread_id, ids in by_thread.items():
                mine.setdefault(thread_id, set()).update(ids)
        return self
