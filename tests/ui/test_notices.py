"""Notices without Textual: what rings, counts and shows in the terminal title, from chat-list rows
before and after a change (a recording view in place of the screen)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from lcconsole.ui.controllers.notices import APP_TITLE, RESTORE_TITLE, SAVE_TITLE, Notices
from lcconsole.ui.store import Store


class TerminalView:
    def __init__(self) -> None:
        self.current_chat_id: str | None = None
        self.written: list[str] = []
        self.status: dict[str, Any] = {}

    def terminal_write(self, sequence: str) -> None:
        self.written.append(sequence)

    def show_status(self, **values: Any) -> None:
        self.status.update(values)


def row(section: str, name: str = "Ann", preview: str = "hello") -> Any:
    return SimpleNamespace(section=section, customer_name=name, preview=preview)


def bells(view: TerminalView) -> int:
    return view.written.count("\x07")


def test_a_new_chat_of_mine_rings_once_counts_and_clears_when_opened():
    view = TerminalView()
    notices = Notices(Store(), view, {})
    notices.note_row("C1", None, row("mine"), new_events=True)
    notices.note_row("C2", None, row("queued"), new_events=True)  # not accepting chats: quiet
    notices.flush()
    assert notices.attention == {"C1"} and view.status["attention"] == 1
    assert bells(view) == 1 and any("new chat: Ann" in w for w in view.written)
    assert view.written[-2] == SAVE_TITLE and f"{APP_TITLE} (1)" in view.written[-1]

    notices.flush()  # nothing new: no second bell, the title stays
    assert bells(view) == 1

    notices.seen_by_agent("C1")
    assert notices.attention == set() and view.status["attention"] == 0
    assert view.written[-1].endswith(f"{APP_TITLE}\x07")
    notices.restore_title()
    assert view.written[-1] == RESTORE_TITLE


def test_the_open_chat_and_other_agents_chats_never_ring_and_config_silences():
    view = TerminalView()
    view.current_chat_id = "OPEN"
    notices = Notices(Store(), view, {"bell": False, "desktop": False, "title": False})
    notices.note_row("OPEN", None, row("mine"), new_events=True)
    notices.note_row("OTHER", None, row("other"), new_events=True)
    notices.flush()
    assert notices.attention == set() and view.written == []
    notices.note_row("C3", None, row("mine"), new_events=True)
    notices.flush()
    assert notices.attention == {"C3"} and view.status["attention"] == 1
    assert view.written == []  # no bell, no desktop notification, no title
