"""Noticing without looking: a new chat routed to me (or queued while I accept chats) and a new
customer message in one of my chats other than the open one ring the bell, send a desktop
notification and count in the terminal title and the status bar. Other agents' chats never do.

What rings is chosen from the chat-list rows before and after a store change, so a resync or a
chat re-read never rings for what was already there.
"""

from __future__ import annotations

from typing import Any

from lcconsole.ui import terminal
from lcconsole.ui.status import StatusBar
from lcconsole.ui.text import one_line

APP_TITLE = "lcconsole"
SAVE_TITLE, RESTORE_TITLE = "\x1b[22;0t", "\x1b[23;0t"  # xterm's title stack


class NoticesMixin:
    """Bell / desktop notification / title count for the main screen."""

    _attention: set[str]
    _pending_notices: list[tuple[str, str]]
    _title_shown: str | None = None

    def init_notices(self) -> None:
        self._attention = set()
        self._noticed: dict[str, str | None] = {}  # chat -> newest customer event seen
        self._pending_notices = []
        self._title_shown = None

    @property
    def attention(self) -> set[str]:
        """Chats that rang and were not opened since."""
        return self._attention

    def _accepting(self) -> bool:
        me = self.store.me
        return bool(me and me.routing_status == "accepting_chats")

    def _customer_event_last(self, chat_id: str) -> str | None:
        """The id of the chat's newest event when the customer wrote it, else None."""
        summary = self.store.chats.get(chat_id)
        customer = self.store.customer_of(chat_id)
        if summary is None or customer is None:
            return None
        events = [le.event for le in summary.last_event_per_type.values() if le.event is not None]
        last = max(
            events,
            key=lambda e: (getattr(e, "order", None) or 0, str(getattr(e, "created_at", None) or "")),
            default=None,
        )
        if (
            last is not None
            and last.author_id == customer.id
            and last.type in ("message", "file", "filled_form", "rich_message")
        ):
            return last.id
        return None

    def note_row(self, chat_id: str, previous: Any, item: Any, new_events: bool) -> None:
        """Compare a chat-list row before and after a change; queue a notice when it needs me."""
        if item.section not in ("mine", "queued"):
            self._attention.discard(chat_id)
            return
        name = one_line(item.customer_name, 60) or "customer"
        last_id = self._customer_event_last(chat_id)
        noticed = self._noticed.get(chat_id)
        self._noticed[chat_id] = last_id
        was = previous.section if previous is not None else None
        if chat_id == self.current_chat_id:
            return
        if item.section == "mine" and was != "mine" and was != "queued":
            self._queue_notice(chat_id, f"new chat: {name}", item.preview)
        elif item.section == "queued" and was != "queued" and self._accepting():
            self._queue_notice(chat_id, f"queued: {name}", item.preview)
        elif (
            item.section == "mine"
            and new_events
            and previous is not None
            and last_id is not None
            and last_id != noticed
        ):
            self._queue_notice(chat_id, name, item.preview)

    def _queue_notice(self, chat_id: str, title: str, body: str) -> None:
        self._attention.add(chat_id)
        self._pending_notices.append((title, one_line(body, 120)))

    def seen_by_agent(self, chat_id: str) -> None:
        """The agent opened the chat: it no longer counts."""
        if chat_id in self._attention:
            self._attention.discard(chat_id)
            self.flush_notices()

    def flush_notices(self) -> None:
        """One bell and one notification per store change; the title and status count."""
        wanted = self.app.settings.notify
        write = self.app.terminal_write
        if self._pending_notices:
            notices, self._pending_notices = self._pending_notices, []
            if wanted.get("bell", True):
                terminal.bell(write)
            if wanted.get("desktop", True):
                title, body = notices[-1]
                if len(notices) > 1:
                    body = f"{body} (+{len(notices) - 1} more)"
                terminal.desktop_notify(write, f"{APP_TITLE} · {title}", body)
        count = len(self._attention)
        self.query_one(StatusBar).attention = count
        title = f"{APP_TITLE} ({count})" if count else APP_TITLE
        if wanted.get("title", True) and title != self._title_shown:
            if self._title_shown is None:
                write(SAVE_TITLE)
            self._title_shown = title
            terminal.set_title(write, title)

    def restore_title(self) -> None:
        """Give the terminal its own title back."""
        if self._title_shown is not None:
            self._title_shown = None
            self.app.terminal_write(RESTORE_TITLE)
