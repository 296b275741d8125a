"""Shared pieces of the modals: literal text, item normalisation and the `FormModal` base.

`FormModal` gives every modal the same frame (title, body, inline error line, buttons) and the
same keys: escape cancels (`dismiss(None)`), ctrl+s submits from anywhere, enter in a text input
submits, and a `FormError` raised by `build_result()` is shown inline without dismissing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from lcconsole.ui.modals.validation import FormError
from lcconsole.ui.text import literal, sanitize

__all__ = ["FormModal", "FormError", "literal", "sanitize", "get", "item_id", "item_label", "choices", "one_line"]

R = TypeVar("R")


def get(obj: Any, key: str, default: Any = None) -> Any:
    """Read `key` from a pydantic model/object attribute or a mapping."""
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def one_line(s: Any) -> str:
    """Sanitised single-line text (newlines shown as spaces) for lists and tables."""
    return sanitize(" ".join(str(s if s is not None else "").split()))


def item_id(item: Any) -> Any:
    """The id of an agent/group/customer given as a model, mapping, (id, label) pair or scalar."""
    if isinstance(item, tuple):
        return item[0]
    if isinstance(item, (str, int)):
        return item
    return get(item, "id")


def item_label(item: Any) -> str:
    """A readable one-line label: "name <id>" / "name (id)" or just the id."""
    if isinstance(item, tuple):
        ident, name = item[0], item[1] if len(item) > 1 else None
    elif isinstance(item, (str, int)):
        ident, name = item, None
    else:
        ident, name = get(item, "id"), get(item, "name")
    if name and str(name) != str(ident):
        return one_line(f"{name} ({ident})")
    return one_line(str(ident))


def choices(items: Iterable[Any]) -> list[tuple[Text, Any]]:
    """(literal label, id) pairs for Select/OptionList/SelectionList, ids deduplicated."""
    seen: set[Any] = set()
    out: list[tuple[Text, Any]] = []
    for item in items:
        ident = item_id(item)
        if ident is None or ident in seen:
            continue
        seen.add(ident)
        out.append((Text(item_label(item)), ident))
    return out


def accept_suggestion_or_focus_next(screen: Any) -> None:
    """If the focused Input shows a completion, take it; otherwise move the focus on."""
    widget = screen.focused
    # Input keeps the shown completion in `_suggestion` (what its → key accepts)
    suggestion = getattr(widget, "_suggestion", "") if isinstance(widget, Input) else ""
    if suggestion and widget.cursor_at_end and len(suggestion) > len(widget.value):
        widget.value = suggestion
        widget.cursor_position = len(suggestion)
        return
    screen.focus_next()


class FormModal(ModalScreen[R], Generic[R]):
    """Base of the modals: subclasses implement `compose_body()` and `build_result()`."""

    DEFAULT_CLASSES = "lc-modal"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel", tooltip="Close this dialog without doing anything."),
        Binding(
            "ctrl+s", "submit", "Submit", id="modal.submit", priority=True, tooltip="Check the form and confirm it."
        ),
        Binding(
            "tab",
            "complete_or_next",
            "Complete / next field",
            id="modal.complete",
            show=False,
            tooltip="Accept the completion shown in a text field, else move on.",
        ),
    ]
    TITLE_TEXT: ClassVar[str] = ""
    SUBMIT_LABEL: ClassVar[str] = "OK"
    HINT: ClassVar[str] = "enter/ctrl+s submit · esc cancel"

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=f"lc-modal {classes or ''}".strip())
        self._error = ""

    def dialog_title(self) -> str:
        """The title line (override for dynamic titles)."""
        return self.TITLE_TEXT

    def compose(self) -> ComposeResult:
        dialog = Vertical(classes="lc-dialog")
        dialog.border_title = literal(self.dialog_title())
        dialog.border_subtitle = self.HINT
        with dialog:
            with VerticalScroll(classes="lc-dialog-body"):
                yield from self.compose_body()
            yield Static("", id="form-error", classes="lc-dialog-error")
            with Horizontal(classes="lc-dialog-buttons"):
                yield Label("", classes="lc-dialog-hint")
                yield Button(self.SUBMIT_LABEL, variant="primary", id="submit", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def compose_body(self) -> ComposeResult:
        """The form fields (first focusable one gets the focus)."""
        yield from ()

    def build_result(self) -> R:
        """Validate the form and return the result; raise `FormError` to keep the modal open."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.after_mount()
        self.focus_first()

    def after_mount(self) -> None:
        """Fill widgets once composed (override instead of on_mount: Textual calls every class's
        on_mount, so the base decides the order: this hook first, then `focus_first()`)."""

    def focus_first(self) -> None:
        """Focus the first focusable field of the body."""
        body = self.query_one(".lc-dialog-body")
        for widget in body.query("*"):
            if widget.focusable:
                widget.focus()
                return

    # --- errors -----------------------------------------------------------------------------

    @property
    def error_text(self) -> str:
        """The inline error currently shown ("" when none)."""
        return self._error

    def show_error(self, message: str, field: str | None = None) -> None:
        """Show `message` inline and focus the offending field when known."""
        self._error = message
        error = self.query_one("#form-error", Static)
        error.update(literal(message))
        error.set_class(bool(message), "-shown")
        if field:
            try:
                widget = self.query_one(f"#{field}", Widget)
            except Exception:
                return
            if isinstance(widget, Input):
                widget.add_class("-invalid")
            widget.focus()

    def clear_error(self) -> None:
        """Remove the inline error."""
        self._error = ""
        error = self.query_one("#form-error", Static)
        error.update("")
        error.remove_class("-shown")
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")

    # --- actions ----------------------------------------------------------------------------

    def action_cancel(self) -> None:
        """Close without a result."""
        self.dismiss(None)

    def action_complete_or_next(self) -> None:
        """Tab: accept the focused input's completion (cursor at the end), else focus the next field."""
        accept_suggestion_or_focus_next(self)

    def action_submit(self) -> None:
        """Validate; dismiss with the result or show the problem inline."""
        if not self.is_mounted:  # ctrl+s is a priority key: it can arrive before on_mount ran
            self.call_later(self.action_submit)
            return
        self.clear_error()
        try:
            result = self.build_result()
        except FormError as exc:
            self.show_error(exc.message, exc.field)
            return
        self.dismiss(result)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Editing a field marked invalid takes the mark away (the message stays until submit)."""
        event.input.remove_class("-invalid")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.input_submitted(event.input)

    def input_submitted(self, widget: Input) -> None:
        """Enter in a text input: submit the form (override to move focus instead)."""
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "submit":
            event.stop()
            self.action_submit()
        elif event.button.id == "cancel":
            event.stop()
            self.action_cancel()


def field_row(label: str, widget: Widget, *, hint: str | None = None) -> Horizontal:
    """A one-line "Label  [widget]" row used by every form."""
    children: list[Widget] = [Label(label, classes="lc-field-label"), widget]
    row = Horizontal(*children, classes="lc-field")
    if hint:
        row.tooltip = hint
    return row
