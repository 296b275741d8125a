"""TagModal: add a thread tag (with completion from known tags) or pick one to remove."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from lcconsole.ui.modals._base import FormModal, field_row, literal
from lcconsole.ui.modals.validation import FormError


class TagModal(FormModal[str]):
    """`TagModal(action: "add" | "remove", known_tags=(), current_tags=())`.

    add: a text input completing from `known_tags` (tab or → accepts); refuses empty and duplicate tags.
    remove: pick one of `current_tags`. Returns the tag (str) or None.
    """

    def __init__(
        self, action: Literal["add", "remove"], known_tags: Iterable[str] = (), current_tags: Iterable[str] = ()
    ) -> None:
        super().__init__(classes="lc-tag")
        if action not in ("add", "remove"):
            raise ValueError(f"action must be 'add' or 'remove', not {action!r}")
        self.action = action
        self._current = list(dict.fromkeys(current_tags))
        current = {t.casefold() for t in self._current}
        self._known = [t for t in dict.fromkeys(known_tags) if t.casefold() not in current]

    def dialog_title(self) -> str:
        return "Tag thread" if self.action == "add" else "Remove tag"

    def compose_body(self) -> ComposeResult:
        if self.action == "add":
            yield field_row(
                "Tag",
                Input(
                    placeholder="tag name (tab completes)",
                    suggester=SuggestFromList(self._known, case_sensitive=False),
                    id="tag",
                    compact=True,
                ),
            )
            if self._current:
                yield Label(literal("On this thread: " + ", ".join(self._current)), classes="lc-dialog-note")
        else:
            yield OptionList(*[Option(literal(t)) for t in self._current], id="tags", compact=True)
            if not self._current:
                yield Label("This thread has no tags", classes="lc-dialog-note")

    def after_mount(self) -> None:
        if self.action == "remove" and self._current:
            self.query_one("#tags", OptionList).highlighted = 0

    @on(OptionList.OptionSelected, "#tags")
    def _tag_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_submit()

    def build_result(self) -> str:
        if self.action == "remove":
            index = self.query_one("#tags", OptionList).highlighted
            if index is None or not self._current:
                raise FormError("Pick a tag to remove", "tags")
            return self._current[index]
        tag = self.query_one("#tag", Input).value.strip()
        if not tag:
            raise FormError("Type a tag", "tag")
        if tag.casefold() in {t.casefold() for t in self._current}:
            raise FormError(f"The thread is already tagged {tag!r}", "tag")
        return tag
