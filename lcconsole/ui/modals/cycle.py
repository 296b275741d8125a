"""Cycle: a light one-line option picker (space/→ next, ← previous, click) for filter operators.

The browsers need many operator pickers; a `Select` is a composite widget with its own overlay,
seventeen of them made the customers browser slow to open. `Cycle` is one Static.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static


class Cycle(Static, can_focus=True):
    """`Cycle(options, value=None, *, id=None, tooltip=None)`; `.value` is the chosen option."""

    DEFAULT_CLASSES = "lc-cycle"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space,right", "step(1)", "Next option", id="cycle.next", show=False, tooltip="Choose the next option."
        ),
        Binding(
            "left",
            "step(-1)",
            "Previous option",
            id="cycle.previous",
            show=False,
            tooltip="Choose the previous option.",
        ),
    ]

    value: reactive[str] = reactive("", init=False)

    class Changed(Message):
        """The value changed."""

        def __init__(self, cycle: Cycle, value: str) -> None:
            super().__init__()
            self.cycle = cycle
            self.value = value

        @property
        def control(self) -> Cycle:
            return self.cycle

    def __init__(
        self, options: Sequence[str], value: str | None = None, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        if not options:
            raise ValueError("Cycle needs at least one option")
        self.options = tuple(options)
        self.set_reactive(Cycle.value, value if value is not None else self.options[0])
        if self.value not in self.options:
            raise ValueError(f"{self.value!r} is not one of {self.options}")

    def validate_value(self, value: str) -> str:
        if value not in self.options:
            raise ValueError(f"{value!r} is not one of {self.options}")
        return value

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))

    def render(self) -> Text:
        return Text(f"‹{self.value}›")

    def action_step(self, delta: int) -> None:
        """Move to the next (1) or previous (-1) option, wrapping around."""
        index = self.options.index(self.value)
        self.value = self.options[(index + delta) % len(self.options)]

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_step(1)
