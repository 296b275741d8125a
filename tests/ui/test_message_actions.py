"""The viewer and copy keys without Textual: a recording view, a store built in memory."""

from __future__ import annotations

import base64
from typing import Any

from test_app_store import make_store

from lcconsole.ui.controllers.message_actions import MessageActions
from lcconsole.ui.viewmodels import TranscriptEntry


class View:
    def __init__(self, entry: TranscriptEntry | None) -> None:
        self.current_chat_id: str | None = "CH1"
        self.entry = entry
        self.written: list[str] = []
        self.notices: list[str] = []
        self.modals: list[tuple[Any, Any]] = []

    def highlighted_message(self) -> TranscriptEntry | None:
        return self.entry

    def show_modal(self, modal: Any, callback: Any = None) -> None:
        self.modals.append((modal, callback))

    def terminal_write(self, sequence: str) -> None:
        self.written.append(sequence)

    def notify(
        self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None
    ) -> None:
        self.notices.append(message)


def entry(text: str, *lines: str) -> TranscriptEntry:
    return TranscriptEntry(key="e2", thread_id="T1", order=2, kind="message", author="Ann", text=text, lines=lines)


def test_copy_values_name_the_chat_its_thread_and_the_message_urls():
    view = View(entry("see https://example.com/a, and https://example.com/b.", "file: https://cdn.example/f.png"))
    values = MessageActions(make_store(), view).copy_values()
    assert values == [
        ("chat id", "CH1"),
        ("thread id", "T1"),
        ("customer id", "c-1"),
        ("message URL", "https://example.com/a"),
        ("message URL", "https://example.com/b"),
        ("message URL", "https://cdn.example/f.png"),
    ]
    view.current_chat_id = None
    assert MessageActions(make_store(), view).copy_values() == []


def test_copy_message_writes_osc52_with_the_text_and_its_lines():
    view = View(entry("hello", "file: https://cdn.example/f.png"))
    MessageActions(make_store(), view).copy_message()
    payload = base64.b64encode(b"hello\nfile: https://cdn.example/f.png").decode()
    assert any(payload in sequence for sequence in view.written)
    assert view.notices and view.notices[0].startswith("copied the message")


def test_without_a_message_nothing_is_copied_or_shown():
    view = View(None)
    actions = MessageActions(make_store(), view)
    actions.copy_message()
    actions.view_message()
    assert view.notices == ["no message to copy", "no message to show"]
    assert not view.written and not view.modals
