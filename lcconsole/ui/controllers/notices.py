"""Noticing without looking: a new chat routed to me (or queued while I accept chats) and a new
customer message in one of my chats other than the open one ring the bell, send a desktop
notification and count in the terminal title and the status bar. Other agents' chats never do.

What rings is chosen from the chat-list rows before and after a store change, so a resync or a
chat re-read never rings for what was already there. `Notices` knows the screen only as a
`NoticesView`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from lcconsole.ui import terminal
from lcconsole.ui.text import one_line

if TYPE_CHECKING:
    from lcconsole.ui.store import Store

APP_TITLE = "lcconsole"
SAVE_TITLE, RESTORE_TITLE = "\x1b[22;0t", "\x1b[23;0t"  # xterm's title stack


class NoticesView(Protocol):
    """What the notices need from the screen."""

    current_chat_id: str | None

    def terminal_write(self, sequence: str) -> None:
        """Send an escape sequence to the terminal (in order with the screen's output)."""

    def show_status(self, **values: Any) -> None:
        """Set status-bar fields (`attention`: how many chats rang and were not opened)."""


class Notices:
    """Bell / desktop notification / title count; `wanted` is the config's `[notify]` table
    (`bell`, `desktop`, `title`, each on unless false)."""

    def __init__(self, store: Store, view: NoticesView, wanted: Mapping[str, bool]) -> None:
        self.store = store
        self.view = view
        self.wanted = wanted
        self._attention: set[str] = set()
        self._noticed: dict[str, str | None] = {}  # chat -> newest customer event seen
        self._pending: list[tuple[str, str]] = []
        self._title_shown: str | None = None
        self._count_shown: int | None = None  # in the status bar

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
        if chat_id == self.view.current_chat_id:
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
        self._pending.append((title, one_line(body, 120)))

    def seen_by_agent(self, chat_id: str) -> None:
        """The agent opened the chat: it no longer counts."""
        if chat_id in self._attention:
            self._attention.discard(chat_id)
            self.flush()

    def flush(self) -> None:
        """One bell and one notification per store change; the title and status count."""
        wanted = self.wanted
        write = self.view.terminal_write
        if self._pending:
            notices, self._pending = self._pending, []
            if wanted.get("bell", True):
                terminal.bell(write)
            if wanted.get("desktop", True):
                title, body = notices[-1]
                if len(notices) > 1:
                    body = f"{body} (+{len(notices) - 1} more)"
                terminal.desktop_notify(write, f"{APP_TITLE} · {title}", body)
        count = len(self._attention)
        if count != self._count_shown:  # (asked after every store change: every resync page)
            self._count_shown = count
            self.view.show_status(attention=count)
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
            self.view.terminal_write(RESTORE_TITLE)
