"""SwitcherModal: jump to any loaded chat by typing part of a name, e-mail, chat id, tag or the
last message (fuzzy: the typed letters in order); Enter opens the highlighted match."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from lcconsole.ui.modals._base import FormModal, one_line
from lcconsole.ui.modals.validation import FormError

MAX_SHOWN = 50


@dataclass(frozen=True)
class SwitcherRow:
    """One chat the switcher can find."""

    chat_id: str
    name: str
    email: str = ""
    tags: tuple[str, ...] = ()
    preview: str = ""
    section: str = ""

    def fields(self) -> tuple[str, ...]:
        return (self.name, self.email, self.chat_id, " ".join(self.tags), self.preview)


def fuzzy_score(query: str, text: str) -> float:
    """0 when `query`'s characters do not all occur in `text` in order; higher for tighter
    matches (a substring beats scattered letters, a match at a word start beats one inside)."""
    q, t = query.casefold(), text.casefold()
    if not q:
        return 1.0
    at = t.find(q)
    if at >= 0:
        return 100.0 - min(at, 50) * 0.5 + (20.0 if at == 0 or not t[at - 1].isalnum() else 0.0)
    pos, gaps = -1, 0
    for ch in q:
        nxt = t.find(ch, pos + 1)
        if nxt < 0:
            return 0.0
        gaps += nxt - pos - 1 if pos >= 0 else 0
        pos = nxt
    return max(1.0, 50.0 - gaps)


def rank(rows: Iterable[SwitcherRow], query: str) -> list[SwitcherRow]:
    """Rows matching `query` (any field), best first; every row for an empty query."""
    scored = []
    for index, row in enumerate(rows):
        score = max(
            fuzzy_score(query.strip(), field) * weight
            for field, weight in zip(row.fields(), (1.0, 0.9, 0.9, 0.8, 0.6), strict=False)
        )
        if score > 0:
            scored.append((-score, index, row))
    scored.sort(key=lambda s: (s[0], s[1]))
    return [row for _, _, row in scored]


class SwitcherModal(FormModal[str]):
    """`SwitcherModal(rows)`: returns the picked chat id."""

    TITLE_TEXT = "Switch to chat"
    SUBMIT_LABEL = "Open"
    HINT = "type to match · ↑↓ pick · enter open · esc cancel"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Next", show=False, id="switcher.down", tooltip="Next match."),
        Binding("up", "move(-1)", "Previous", show=False, id="switcher.up", tooltip="Previous match."),
    ]

    def __init__(self, rows: Iterable[SwitcherRow]) -> None:
        super().__init__(classes="lc-switcher")
        self.rows = list(rows)
        self.shown: list[SwitcherRow] = []

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="name, e-mail, chat id, tag or message", id="query", compact=True)
        yield OptionList(id="matches", compact=True)

    def after_mount(self) -> None:
        self.query_one("#matches", OptionList).can_focus = False
        self._refill("")

    def on_input_changed(self, event: Input.Changed) -> None:
        super().on_input_changed(event)
        self._refill(event.value)

    def _refill(self, query: str) -> None:
        self.shown = rank(self.rows, query)[:MAX_SHOWN]
        options = self.query_one("#matches", OptionList)
        options.clear_options()
        options.add_options(Option(self._label(row), id=row.chat_id) for row in self.shown)
        if self.shown:
            options.highlighted = 0

    @staticmethod
    def _label(row: SwitcherRow) -> Text:
        extra = " · ".join(p for p in (row.email, ", ".join(row.tags), row.preview) if p)
        return Text.assemble((one_line(row.name)[:40], "bold"), "  ", one_line(extra)[:80], ("  " + row.chat_id, "dim"))

    def action_move(self, step: int) -> None:
        options = self.query_one("#matches", OptionList)
        if self.shown:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self.shown) - 1, current + step))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def build_result(self) -> str:
        index = self.query_one("#matches", OptionList).highlighted
        if not self.shown or index is None:
            raise FormError("No chat matches", "query")
        return self.shown[index].chat_id
