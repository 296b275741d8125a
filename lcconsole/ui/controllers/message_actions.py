"""Reading and copying: the message viewer, and copying a message or a value (chat id, e-mail,
URL) with OSC 52 and the local clipboard. `MessageActions` knows the screen only as a
`MessagesView`."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from lcconsole.ui import terminal
from lcconsole.ui.controllers.screen_view import current_thread_id

if TYPE_CHECKING:
    from lcconsole.ui.store import Store
    from lcconsole.ui.viewmodels import TranscriptEntry

URL_RE = re.compile(r"https?://[^\s<>\"']+")


def entry_text(entry: Any) -> str:
    """Everything a transcript entry says: its text and its detail lines (file URL, form…)."""
    return "\n".join(part for part in (entry.text, *entry.lines) if part)


class MessagesView(Protocol):
    """What the message actions need from the screen."""

    current_chat_id: str | None

    def highlighted_message(self) -> TranscriptEntry | None:
        """The transcript's highlighted entry, else its newest message."""

    def show_modal(self, modal: Any, callback: Callable[[Any], object] | None = None) -> None:
        """Show a modal without waiting (`callback` gets its result)."""

    def terminal_write(self, sequence: str) -> None:
        """An escape sequence to the terminal."""

    def notify(
        self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None
    ) -> None:
        """Tell the agent."""


class MessageActions:
    """The viewer and the copy keys."""

    def __init__(self, store: Store, view: MessagesView) -> None:
        self.store = store
        self.view = view

    def view_message(self) -> None:
        """Show the highlighted message whole in the viewer."""
        from lcconsole.ui.clock import format_time
        from lcconsole.ui.modals.message_viewer import MessageViewerModal

        entry = self.view.highlighted_message()
        if entry is None:
            self.view.notify("no message to show", timeout=2)
            return
        when = format_time(entry.timestamp)
        title = " · ".join(p for p in (entry.author or entry.kind, entry.kind, when) if p)
        self.view.show_modal(MessageViewerModal(title, entry_text(entry), lambda text: self.copy_text(text, "")))

    def copy_message(self) -> None:
        """Copy the highlighted message."""
        entry = self.view.highlighted_message()
        if entry is None:
            self.view.notify("no message to copy", timeout=2)
            return
        self.copy_text(entry_text(entry), "the message")

    def copy_values(self) -> list[tuple[str, str]]:
        """What `Y` offers: ids, the customer's e-mail, URLs of the message and the visit."""
        chat_id = self.view.current_chat_id
        if not chat_id:
            return []
        values = [("chat id", chat_id)]
        thread_id = current_thread_id(self.store, chat_id)
        if thread_id:
            values.append(("thread id", thread_id))
        customer = self.store.customer_of(chat_id)
        if customer is not None:
            if customer.email:
                values.append(("customer e-mail", customer.email))
            if customer.id:
                values.append(("customer id", customer.id))
            visit = getattr(customer, "last_visit", None)
            for page in (getattr(visit, "last_pages", None) or [])[-3:]:
                if getattr(page, "url", None):
                    values.append(("visited page", page.url))
        entry = self.view.highlighted_message()
        if entry is not None:
            for url in dict.fromkeys(URL_RE.findall(entry_text(entry))):
                values.append(("message URL", url.rstrip(".,;:!?)")))
        return values

    def pick_value(self) -> None:
        """Pick a value (chat id, e-mail, URL…) and copy it."""
        from lcconsole.ui.modals.copy_picker import CopyPickerModal

        values = self.copy_values()
        if not values:
            self.view.notify("open a chat first", severity="warning", timeout=3)
            return
        self.view.show_modal(
            CopyPickerModal(values), lambda value: self.copy_text(value, "the value") if value else None
        )

    def copy_text(self, text: str, what: str) -> None:
        """Copy `text` and, when `what` names it, say how."""
        used = terminal.copy(self.view.terminal_write, text)
        if what:
            self.view.notify(f"copied {what} ({' + '.join(used)})", timeout=2)
