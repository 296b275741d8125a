"""MessageViewerModal: one message whole (however long), scrollable, searchable and copyable."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea
from textual.widgets.text_area import Selection

from lcconsole.ui.text import one_line, sanitize


class MessageViewerModal(ModalScreen[None]):
    """`MessageViewerModal(title, text, copy)`: `copy(text)` is called by `y` with the selection
    (or the whole message). The text is shown literally (control characters made visible)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="viewer.close", tooltip="Close the viewer."),
        Binding("slash", "search", "Search", id="viewer.search", tooltip="Search the message."),
        Binding("n", "find(1)", "Next match", id="viewer.next", tooltip="Go to the next match."),
        Binding("N", "find(-1)", "Previous match", id="viewer.previous", tooltip="Go to the previous match."),
        Binding(
            "y", "copy", "Copy", id="viewer.copy", tooltip="Copy the selection (or the whole message) with OSC 52."
        ),
        Binding("g", "edge(False)", "Top", show=False, id="viewer.top", tooltip="Go to the first line."),
        Binding("G", "edge(True)", "End", show=False, id="viewer.end", tooltip="Go to the last line."),
        Binding("j", "line(1)", "Down", show=False, id="viewer.down", tooltip="One line down."),
        Binding("k", "line(-1)", "Up", show=False, id="viewer.up", tooltip="One line up."),
    ]

    def __init__(self, title: str, text: str, copy: Callable[[str], object]) -> None:
        super().__init__(classes="lc-viewer")
        self._title = one_line(title, 200)
        self.text = sanitize(text)
        self._copy = copy
        self._query = ""
        lower = self.text.lower()
        self._folded = lower if len(lower) == len(self.text) else self.text  # indexes must match

    def compose(self) -> ComposeResult:
        with Vertical(id="viewer-frame"):
            yield Static(self._title, id="viewer-title", markup=False)
            yield TextArea(
                self.text, id="viewer-text", read_only=True, soft_wrap=True, show_line_numbers=False, compact=True
            )
            yield Input(placeholder="search (enter: find, esc: back)", id="viewer-search", compact=True)
            yield Static("", id="viewer-status", markup=False)

    def on_mount(self) -> None:
        self.query_one("#viewer-search").display = False
        self.area.focus()
        self._show_status()

    @property
    def area(self) -> TextArea:
        """The read-only text area."""
        return self.query_one("#viewer-text", TextArea)

    def _show_status(self, note: str = "") -> None:
        row = self.area.cursor_location[0] + 1
        lines = self.area.document.line_count
        parts = [f"line {row}/{lines}", note, "/ search · n/N next/prev · y copy · esc close"]
        self.query_one("#viewer-status", Static).update(" · ".join(p for p in parts if p))

    def on_text_area_selection_changed(self) -> None:
        self._show_status()

    def action_close(self) -> None:
        """Close the viewer (from the search field: back to the text)."""
        search = self.query_one("#viewer-search", Input)
        if search.display and self.focused is search:
            search.display = False
            self.area.focus()
            return
        self.dismiss(None)

    def action_search(self) -> None:
        """Show the search field."""
        search = self.query_one("#viewer-search", Input)
        search.display = True
        search.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._query = event.value
        event.input.display = False
        self.area.focus()
        self.action_find(1, from_cursor=True)

    def action_find(self, direction: int, from_cursor: bool = False) -> None:
        """Select the next (1) or previous (-1) match of the search text, wrapping around."""
        query = self._query.lower()
        if not query:
            self.action_search()
            return
        area, folded = self.area, self._folded
        document = area.document
        start, end = sorted(area.selection)
        here = document.get_index_from_location(start if from_cursor or direction < 0 else end)
        if direction > 0:
            found = folded.find(query, here)
            found = folded.find(query) if found < 0 else found
        else:
            found = folded.rfind(query, 0, max(0, here))
            found = folded.rfind(query) if found < 0 else found
        if found < 0:
            self._show_status(f"not found: {one_line(self._query, 40)}")
            return
        first = document.get_location_from_index(found)
        last = document.get_location_from_index(found + len(query))
        area.selection = Selection(first, last)
        area.scroll_cursor_visible(center=True)
        count = folded.count(query)
        self._show_status(f"match {folded.count(query, 0, found) + 1}/{count}")

    def action_copy(self) -> None:
        """Copy the selection, or the whole message when nothing is selected."""
        text = self.area.selected_text or self.text
        self._copy(text)
        self._show_status("copied the selection" if self.area.selected_text else "copied the message")

    def action_edge(self, last: bool) -> None:
        """First or last line."""
        area = self.area
        area.move_cursor(area.document.end if last else (0, 0))
        area.scroll_cursor_visible()

    def action_line(self, delta: int) -> None:
        """Move one line down / up."""
        row, column = self.area.cursor_location
        self.area.move_cursor((max(0, row + delta), column))
