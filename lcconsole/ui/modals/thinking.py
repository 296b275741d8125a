"""ThinkingModal: what the customer sees while an answer is being prepared (title, description)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from lcconsole.ui.modals._base import FormModal, field_row
from lcconsole.ui.modals.validation import FormError

TITLE_LIMIT = 256


class ThinkingModal(FormModal[tuple[str, str | None]]):
    """`ThinkingModal(title="Looking into it…")`: returns `(title, description or None)`."""

    TITLE_TEXT = "Thinking indicator"
    SUBMIT_LABEL = "Show"

    def __init__(self, title: str = "Looking into it…") -> None:
        super().__init__(classes="lc-thinking")
        self._title = title

    def compose_body(self) -> ComposeResult:
        yield field_row("Title", Input(self._title, id="title", compact=True))
        yield field_row(
            "Details", Input(placeholder="optional, e.g. checking your order", id="description", compact=True)
        )

    def build_result(self) -> tuple[str, str | None]:
        title = self.query_one("#title", Input).value.strip()
        if not title:
            raise FormError("Type what the customer should see", "title")
        if len(title) > TITLE_LIMIT:
            raise FormError(f"Title: at most {TITLE_LIMIT} characters", "title")
        description = self.query_one("#description", Input).value.strip()
        return title, description or None
