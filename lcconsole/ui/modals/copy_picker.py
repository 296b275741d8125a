"""CopyPickerModal: pick one value (to copy: chat id, customer e-mail, a URL…; or any labelled
choice, e.g. an earlier chat) by number or Enter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from lcconsole.ui.text import clip, one_line


class CopyPickerModal(ModalScreen[str]):
    """`CopyPickerModal(values, title="Copy")` with `values` = [(label, value)]; dismisses with
    the value."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Cancel", id="copy.cancel", tooltip="Copy nothing."),
        *[
            Binding(str(n), f"pick({n - 1})", str(n), show=False, id=f"copy.pick{n}", tooltip=f"Copy value {n}.")
            for n in range(1, 10)
        ],
    ]

    def __init__(self, values: Sequence[tuple[str, str]], title: str = "Copy", label_width: int = 16) -> None:
        super().__init__(classes="lc-modal")
        self.values = list(values)
        self.title_text = title
        self.label_width = label_width

    def compose(self) -> ComposeResult:
        with Vertical(classes="lc-dialog", id="copy-dialog") as dialog:
            dialog.border_title = self.title_text
            dialog.border_subtitle = "1-9/enter pick · esc cancel"
            options = []
            for n, (label, value) in enumerate(self.values, 1):
                line = Text(
                    f"{n if n < 10 else ' '} {clip(label, self.label_width):<{self.label_width}} ", style="bold"
                )
                line.append(clip(one_line(value, 500), max(10, 66 - self.label_width)))
                options.append(Option(line))
            yield OptionList(*options, id="copy-options")
            if not self.values:
                yield Static("nothing to copy here", markup=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_pick(event.option_index)

    def action_pick(self, index: int) -> None:
        """Copy value `index`."""
        if 0 <= index < len(self.values):
            self.dismiss(self.values[index][1])

    def action_cancel(self) -> None:
        """Close without copying."""
        self.dismiss(None)
