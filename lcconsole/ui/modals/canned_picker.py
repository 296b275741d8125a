"""CannedPickerModal: choose a canned response (type to filter, Enter inserts)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from lcconsole.ui.canned import fill
from lcconsole.ui.text import clip, one_line


class CannedPickerModal(ModalScreen[str]):
    """`CannedPickerModal(canned, values)`: dismisses with the chosen name (None: cancelled);
    each row previews the response filled with `values`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="canned.cancel", tooltip="Insert nothing."),
        Binding("down", "move(1)", "Next", show=False, id="canned.next", tooltip="Next response."),
        Binding("up", "move(-1)", "Previous", show=False, id="canned.previous", tooltip="Previous response."),
    ]

    def __init__(self, canned: Mapping[str, str], values: Mapping[str, str]) -> None:
        super().__init__(classes="lc-modal")
        self.canned = dict(canned)
        self.values = dict(values)
        self.shown: list[str] = sorted(self.canned)

    def compose(self) -> ComposeResult:
        with Vertical(classes="lc-dialog", id="canned-dialog") as dialog:
            dialog.border_title = "Canned responses"
            dialog.border_subtitle = "type to filter · enter insert · esc cancel"
            yield Input(placeholder="filter", id="canned-filter", compact=True)
            yield OptionList(id="canned-options")

    def on_mount(self) -> None:
        self._refill("")
        self.query_one(Input).focus()

    def _refill(self, query: str) -> None:
        low = query.lower()
        self.shown = [n for n in sorted(self.canned) if low in n.lower() or low in self.canned[n].lower()]
        options = self.query_one(OptionList)
        options.clear_options()
        for name in self.shown:
            text, missing = fill(self.canned[name], self.values)
            line = Text(f"#{clip(one_line(name, 40), 20):<20} ", style="bold")
            line.append(clip(one_line(text, 300), 48))
            if missing:
                line.append(f"  ({len(missing)} unfilled)", style="italic")
            options.add_option(Option(line))
        if self.shown:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._refill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        index = self.query_one(OptionList).highlighted
        if index is not None and 0 <= index < len(self.shown):
            self.dismiss(self.shown[index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.shown[event.option_index])

    def action_move(self, delta: int) -> None:
        """Move the highlight while typing in the filter."""
        options = self.query_one(OptionList)
        if self.shown:
            options.highlighted = max(0, min(len(self.shown) - 1, (options.highlighted or 0) + delta))

    def action_cancel(self) -> None:
        """Close without inserting."""
        self.dismiss(None)
