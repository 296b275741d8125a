"""Reading and copying: the message viewer, copying a message or a value (chat id, e-mail, URL)
with OSC 52, and the transcript's message cursor driven from the composer."""

from __future__ import annotations

import re
from typing import Any

from lcconsole.ui import terminal
from lcconsole.ui.widgets.transcript import Transcript

URL_RE = re.compile(r"https?://[^\s<>\"']+")


def entry_text(entry: Any) -> str:
    """Everything a transcript entry says: its text and its detail lines (file URL, form…)."""
    return "\n".join(part for part in (entry.text, *entry.lines) if part)


class MessagesMixin:
    """Viewer and copy actions of the main screen (uses its transcript, store and notify)."""

    def highlighted_message(self) -> Any:
        """The transcript's highlighted entry, else its newest message, else None."""
        transcript = self.query_one(Transcript)
        entry = transcript.cursor_entry
        if entry is None:
            entry = next((e for e in reversed(transcript.entries) if e.kind != "thread_start"), None)
        return entry

    def action_message_cursor(self, delta: int) -> None:
        """Move the transcript's message cursor (shift+up/down from the composer)."""
        self.query_one(Transcript).move_cursor(delta)

    def action_message_view(self) -> None:
        """Show the highlighted message whole in the viewer."""
        from lcconsole.ui.modals.message_viewer import MessageViewerModal
        from lcconsole.ui.widgets._transcript_layout import format_time

        entry = self.highlighted_message()
        if entry is None:
            self.notify("no message to show", timeout=2)
            return
        when = format_time(entry.timestamp)
        title = " · ".join(p for p in (entry.author or entry.kind, entry.kind, when) if p)
        self.app.push_screen(MessageViewerModal(title, entry_text(entry), lambda text: self.copy_text(text, "")))

    def action_message_copy(self) -> None:
        """Copy the highlighted message (OSC 52, and the local clipboard when there is one)."""
        entry = self.highlighted_message()
        if entry is None:
            self.notify("no message to copy", timeout=2)
            return
        self.copy_text(entry_text(entry), "the message")

    def copy_values(self) -> list[tuple[str, str]]:
        """What `Y` offers: ids, the customer's e-mail, URLs of the message and the visit."""
        chat_id = self.current_chat_id
        if not chat_id:
            return []
        values = [("chat id", chat_id)]
        thread_id = self.current_thread_id()
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
        entry = self.highlighted_message()
        if entry is not None:
            for url in dict.fromkeys(URL_RE.findall(entry_text(entry))):
                values.append(("message URL", url.rstrip(".,;:!?)")))
        return values

    def action_copy_value(self) -> None:
        """Pick a value (chat id, e-mail, URL…) and copy it."""
        from lcconsole.ui.modals.copy_picker import CopyPickerModal

        values = self.copy_values()
        if not values:
            self.notify("open a chat first", severity="warning", timeout=3)
            return
        self.app.push_screen(CopyPickerModal(values), lambda value: value and self.copy_text(value, "the value"))

    def copy_text(self, text: str, what: str) -> None:
        """Copy `text` and say how."""
        used = terminal.copy(self.app.terminal_write, text)
        if what:
            self.notify(f"copied {what} ({' + '.join(used)})", timeout=2)
