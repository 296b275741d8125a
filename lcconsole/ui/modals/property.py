"""PropertyModal: set one chat/thread/event property (typed, validated) or delete existing ones."""

from __future__ import annotations

from typing import Any, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, RadioButton, RadioSet, SelectionList
from textual.widgets.selection_list import Selection

from lcconsole.ui.modals._base import FormModal, field_row, get, one_line, sanitize
from lcconsole.ui.modals.answers import PropertyChange, PropertyLevel
from lcconsole.ui.modals.validation import (
    FormError,
    parse_identifier,
    parse_property_value,
    property_type_of,
)

_TYPES: tuple[Literal["string", "int", "bool"], ...] = ("string", "int", "bool")


def flatten_properties(existing: Any) -> dict[tuple[str, str], Any]:
    """`{(ns, name): plain value}` from stored (`{"value": v}`), plain or `Properties` input."""
    root = getattr(existing, "root", existing) or {}
    out: dict[tuple[str, str], Any] = {}
    for ns, names in dict(root).items():
        for name, stored in dict(names or {}).items():
            if isinstance(stored, dict) and "value" in stored:
                stored = stored["value"]
            elif hasattr(stored, "value") and not isinstance(stored, (str, int, bool)):
                stored = get(stored, "value")
            out[(str(ns), str(name))] = stored
    return out


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class PropertyModal(FormModal[PropertyChange]):
    """`PropertyModal(level: "chat"|"thread"|"event", existing=None, *, delete=False,
    namespace="", name="")`.

    Update mode: namespace, name, type (string / int (int32) / bool) and value, parsed before
    returning `PropertyChange(level, namespace, name, value)`; picking an existing name fills
    its type and value. Delete mode (`delete=True`): tick existing properties (space), or take the
    highlighted one; returns `PropertyChange(level, delete=True, names=((ns, name), ...))`.
    `existing` may be stored properties `{ns: {name: {"value": v}}}`, plain values or a
    `wire.objects.Properties`.
    """

    def __init__(
        self, level: PropertyLevel, existing: Any = None, *, delete: bool = False, namespace: str = "", name: str = ""
    ) -> None:
        super().__init__(classes="lc-property")
        if level not in ("chat", "thread", "event"):
            raise ValueError(f"level must be chat, thread or event, not {level!r}")
        self.level: PropertyLevel = level
        self.delete = delete
        self.existing = flatten_properties(existing)
        self._namespace = namespace
        self._name = name

    def dialog_title(self) -> str:
        verb = "Delete" if self.delete else "Set"
        return f"{verb} {self.level} property"

    def compose_body(self) -> ComposeResult:
        if self.delete:
            items = [
                Selection(Text(one_line(f"{ns}.{name} = {_shown(v)}")), (ns, name))
                for (ns, name), v in sorted(self.existing.items())
            ]
            yield SelectionList[tuple[str, str]](*items, id="names", compact=True)
            yield Label(
                "space ticks several; otherwise the highlighted one is deleted"
                if items
                else f"This {self.level} has no properties",
                classes="lc-dialog-note",
            )
            return
        namespaces = sorted({ns for ns, _ in self.existing})
        names = sorted({name for _, name in self.existing})
        yield field_row(
            "Namespace",
            Input(
                self._namespace,
                placeholder="e.g. my_app",
                suggester=SuggestFromList(namespaces),
                id="namespace",
                compact=True,
            ),
        )
        yield field_row(
            "Name",
            Input(self._name, placeholder="property name", suggester=SuggestFromList(names), id="name", compact=True),
        )
        yield field_row(
            "Type",
            RadioSet(*[RadioButton(t, value=(t == "string"), id=f"type-{t}") for t in _TYPES], id="type", compact=True),
        )
        yield field_row("Value", Input(placeholder="text, whole number or true/false", id="value", compact=True))

    def after_mount(self) -> None:
        if self.delete:
            names = self.query_one("#names", SelectionList)
            if names.option_count:
                names.highlighted = 0
        else:
            self._prefill()

    @property
    def value_type(self) -> Literal["string", "int", "bool"]:
        """The chosen value type."""
        for kind in _TYPES:
            if self.query_one(f"#type-{kind}", RadioButton).value:
                return kind
        return "string"

    @on(Input.Changed, "#namespace, #name")
    def _key_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._prefill()

    def _prefill(self) -> None:
        key = (self.query_one("#namespace", Input).value.strip(), self.query_one("#name", Input).value.strip())
        if key not in self.existing:
            return
        current = self.existing[key]
        self.query_one(f"#type-{property_type_of(current)}", RadioButton).value = True
        value = self.query_one("#value", Input)
        if not value.value:
            value.value = sanitize(_shown(current))  # never raw control characters on screen

    def build_result(self) -> PropertyChange:
        if self.delete:
            names = self.query_one("#names", SelectionList)
            picked = list(names.selected)
            if not picked and names.highlighted is not None and names.option_count:
                picked = [names.get_option_at_index(names.highlighted).value]
            if not picked:
                raise FormError("Nothing to delete", "names")
            return PropertyChange(level=self.level, delete=True, names=tuple(sorted(picked)))
        namespace = parse_identifier(self.query_one("#namespace", Input).value, "Namespace", field="namespace")
        name = parse_identifier(self.query_one("#name", Input).value, "Name", field="name")
        value = parse_property_value(self.query_one("#value", Input).value, self.value_type, field="value")
        return PropertyChange(level=self.level, namespace=namespace, name=name, value=value)
