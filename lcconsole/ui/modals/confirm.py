"""ConfirmModal: yes/no for destructive actions (close thread, remove user, revoke, ban, ...)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Button, Static

from lcconsole.ui.modals._base import FormModal, literal


class ConfirmModal(FormModal[bool]):
    """`ConfirmModal(title: str, body: str, *, confirm_label="Confirm")`.

    Dismisses with True when confirmed (enter on the focused confirm button, ctrl+s or y), None
    when cancelled (escape, n or the Cancel button). `body` is shown literally, so it may quote
    customer text.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "submit", "Yes", id="confirm.yes", tooltip="Confirm the action."),
        Binding("n", "cancel", "No", id="confirm.no", tooltip="Do not do it."),
    ]
    HINT = "y/enter confirm · n/esc cancel"

    def __init__(self, title: str, body: str, *, confirm_label: str = "Confirm") -> None:
        super().__init__(classes="lc-confirm")
        self._title = title
        self._body = body
        self._confirm_label = confirm_label

    def dialog_title(self) -> str:
        return self._title

    def compose_body(self) -> ComposeResult:
        yield Static(literal(self._body), id="confirm-body")

    def after_mount(self) -> None:
        button = self.query_one("#submit", Button)
        button.label = self._confirm_label
        button.variant = "error"

    def focus_first(self) -> None:
        self.query_one("#submit", Button).focus()

    def build_result(self) -> bool:
        return True
