"""HelpScreen: the live keymap (after config overrides), grouped by area."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from lcconsole.ui.keymap import KEY_ACTIONS, effective_keys, key_label, offered

AREA_TITLES = {
    "global": "Everywhere (also in the composer)",
    "chat": "Chat list and transcript (Esc leaves the composer)",
}


def _table(title: str) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold underline",
        expand=True,
        box=None,
        pad_edge=False,
        show_edge=False,
    )
    table.add_column("Keys", no_wrap=True, style="bold", min_width=12)
    table.add_column("Action", no_wrap=True, min_width=14)
    table.add_column("Id", no_wrap=True, style="dim", min_width=20)
    table.add_column("What it does", ratio=1)
    return table


def keymap_table(
    overrides: dict[str, str],
    panes: Sequence[tuple[str, Sequence[BindingType]]] = (),
    capabilities: Collection[str] | None = None,
) -> Group:
    """One table per area: keys, label, binding id, what it does (the actions the connection
    offers); then each pane's own keys."""
    keys = effective_keys(overrides)
    tables: list[Table | Text] = []
    for area, title in AREA_TITLES.items():
        table = _table(title)
        for spec in KEY_ACTIONS:
            if spec.area == area and offered(spec.id, capabilities):
                table.add_row(*(Text(cell) for cell in (key_label(keys[spec.id]), spec.label, spec.id, spec.help)))
        tables += [table, Text("")]
    for title, bindings in panes:
        table = _table(title)
        for binding in bindings:
            if isinstance(binding, Binding) and binding.id:
                shown = key_label(overrides.get(binding.id, binding.key))
                table.add_row(
                    *(
                        Text(cell)
                        for cell in (shown, binding.description or binding.action, binding.id, binding.tooltip or "")
                    )
                )
        tables += [table, Text("")]
    return Group(*tables)


def main_screen_panes() -> list[tuple[str, Sequence[BindingType]]]:
    """The main screen's panes and their own keys, in the order the help lists them."""
    from lcconsole.ui.widgets.chat_list import ChatList
    from lcconsole.ui.widgets.composer import Composer
    from lcconsole.ui.widgets.customer_panel import CustomerPanel
    from lcconsole.ui.widgets.properties_panel import PropertiesPanel
    from lcconsole.ui.widgets.transcript import Transcript

    return [
        ("Chat list", ChatList.BINDINGS),
        ("Transcript", Transcript.BINDINGS),
        ("Composer", Composer.BINDINGS),
        ("Customer pane", CustomerPanel.BINDINGS),
        ("Properties pane", PropertiesPanel.BINDINGS),
    ]


class HelpScreen(ModalScreen[None]):
    """`?` / F1: every key binding as configured right now."""

    BINDINGS = [
        Binding("escape,q,f1,question_mark", "dismiss", "Close", id="help.close", tooltip="Close the help screen."),
    ]

    def __init__(
        self,
        overrides: dict[str, str],
        panes: Sequence[tuple[str, Sequence[BindingType]]] = (),
        capabilities: Collection[str] | None = None,
    ) -> None:
        super().__init__(classes="help-screen")
        self.overrides = dict(overrides)
        self.panes = list(panes)
        self.capabilities = capabilities

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(
                Text("lcconsole · keys (rebind by id in [keymap] of config.toml)", style="bold"), id="help-title"
            )
            yield Static(keymap_table(self.overrides, self.panes, self.capabilities), id="help-table")
            yield Static(
                "Composer: ctrl+s sends · Esc leaves · chat list: ↑/↓ j/k move, Enter opens, "
                "/ filters · ctrl+p searches every action",
                id="help-footer",
            )

    def action_dismiss(self) -> None:  # type: ignore[override]  # a key action: no result to pass
        self.dismiss(None)
