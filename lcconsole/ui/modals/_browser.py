"""Shared frame of the full-screen browsers: filters on top, a DataTable, a status line."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Input, Label, Static

from lcconsole.ui.modals._base import accept_suggestion_or_focus_next, literal, one_line
from lcconsole.ui.modals.cycle import Cycle
from lcconsole.ui.modals.start_chat import error_text
from lcconsole.ui.modals.validation import FormError

R = TypeVar("R")


def cell(value: Any, width: int = 40) -> Text:
    """A literal, single-line, clipped table cell."""
    text = Text(one_line("" if value is None else value), no_wrap=True)
    text.truncate(width, overflow="ellipsis")  # by terminal cells (wide characters count twice)
    return text


def filter_row(label: str, *widgets: Widget) -> Horizontal:
    """One compact filter line: "Label [w] [w] ..."."""
    return Horizontal(Label(label), *widgets, classes="lc-filter-row")


def op_select(ops: tuple[str, ...], id: str, value: str | None = None) -> Cycle:
    """A compact operator picker (space/→ next, ← previous)."""
    wide = max(len(op) for op in ops) > 5
    return Cycle(ops, value, id=id, classes="lc-op-wide" if wide else "lc-op")


class BrowserScreen(Screen[R], Generic[R]):
    """Base of CustomersBrowser/ArchivesBrowser: subclasses implement the filters and `fetch()`."""

    DEFAULT_CLASSES = "lc-browser"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="browser.close", tooltip="Close the browser without choosing anything."),
        Binding(
            "ctrl+s",
            "search",
            "Search",
            id="browser.search",
            priority=True,
            tooltip="Run the search with the current filters (first page).",
        ),
        Binding("ctrl+f", "toggle_filters", "Filters", id="browser.filters", tooltip="Show or hide the filter panel."),
        Binding("ctrl+n,]", "next_page", "Next page", id="browser.next_page", tooltip="Load the next page of results."),
        Binding(
            "ctrl+b,[",
            "previous_page",
            "Prev page",
            id="browser.previous_page",
            tooltip="Load the previous page of results.",
        ),
        Binding(
            "tab",
            "complete_or_next",
            "Complete / next field",
            id="browser.complete",
            show=False,
            tooltip="Accept the completion shown in a text field, else move on.",
        ),
    ]
    TITLE_TEXT: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []
        self.last_error: str = ""

    def compose(self) -> ComposeResult:
        yield Label(self.TITLE_TEXT, classes="lc-browser-title")
        with VerticalScroll(classes="lc-filters", id="filters"):
            yield from self.compose_filters()
        table: DataTable[Any] = DataTable(id="results", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="status", classes="lc-browser-status")
        yield Footer()

    def compose_filters(self) -> ComposeResult:
        """The filter rows."""
        yield from ()

    def columns(self) -> tuple[str, ...]:
        """Column titles of the result table."""
        return ()

    def on_mount(self) -> None:
        self.query_one("#results", DataTable).add_columns(*self.columns())
        self.load("first", focus_results=False)

    # --- status ------------------------------------------------------------------------------

    def set_status(self, message: str, *, error: bool = False) -> None:
        """Show a status line (errors are kept in `last_error`)."""
        self.last_error = message if error else ""
        status = self.query_one("#status", Static)
        status.update(literal(message))
        status.set_class(error, "-error")

    # --- loading -----------------------------------------------------------------------------

    def build_request(self, page: str) -> dict[str, Any]:
        """Keyword arguments for the callable; `page` is "first", "next" or "previous"."""
        raise NotImplementedError

    async def fetch(self, request: dict[str, Any]) -> Any:
        """Call the API with `request`."""
        raise NotImplementedError

    def show_response(self, response: Any) -> tuple[list[Any], list[tuple[Text, ...]], str]:
        """(row objects, table cells, status text) from a response."""
        raise NotImplementedError

    def load(self, page: str = "first", *, focus_results: bool = True) -> None:
        """Validate the filters and load a page in a worker."""
        if not self.is_mounted:  # a priority key (ctrl+s) may come before on_mount ran
            self.call_later(self.load, page, focus_results=focus_results)
            return
        try:
            request = self.build_request(page)
        except FormError as exc:
            self.set_status(exc.message, error=True)
            if exc.field:
                try:
                    widget = self.query_one(f"#{exc.field}")
                except Exception:
                    widget = None
                if widget is not None:
                    if isinstance(widget, Input):
                        widget.add_class("-invalid")
                    widget.focus()
            return
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        self._run(request, focus_results)

    @work(exclusive=True, group="browser-load")
    async def _run(self, request: dict[str, Any], focus_results: bool) -> None:
        self.set_status("loading…")
        try:
            response = await self.fetch(request)
        except Exception as exc:  # LiveChatError (type, message) or anything from the transport
            self.set_status(f"Error — {error_text(exc)}", error=True)
            return
        rows, cells, status = self.show_response(response)
        self.rows = rows
        table = self.query_one("#results", DataTable)
        table.clear()
        for index, row in enumerate(cells):
            table.add_row(*row, key=str(index))
        self.set_status(status)
        if focus_results and cells:
            table.focus()

    # --- actions -----------------------------------------------------------------------------

    def action_complete_or_next(self) -> None:
        """Tab: accept a shown completion, else focus the next widget."""
        accept_suggestion_or_focus_next(self)

    def action_close(self) -> None:
        """Close without a result."""
        self.dismiss(None)

    def action_search(self) -> None:
        """Search from the first page."""
        self.load("first")

    def action_next_page(self) -> None:
        """Next page."""
        self.load("next")

    def action_previous_page(self) -> None:
        """Previous page."""
        self.load("previous")

    def action_toggle_filters(self) -> None:
        """Show/hide the filters (more room for results on small terminals)."""
        filters = self.query_one("#filters")
        filters.display = not filters.display
        if filters.display:
            for widget in filters.query("*"):
                if widget.focusable:
                    widget.focus()
                    break
        else:
            self.query_one("#results", DataTable).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_search()

    def selected_row(self) -> Any | None:
        """The row object under the table cursor."""
        table = self.query_one("#results", DataTable)
        if not self.rows or table.cursor_row is None:
            return None
        index = table.cursor_row
        return self.rows[index] if 0 <= index < len(self.rows) else None
