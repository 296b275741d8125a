"""CustomersBrowser: every customer-list filter, paged results, enter returns the customer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Input

from lcconsole.ui.modals._base import get
from lcconsole.ui.modals._browser import BrowserScreen, cell, filter_row, op_select
from lcconsole.ui.modals.cycle import Cycle
from lcconsole.ui.modals.validation import FormError, date_filter_value, parse_int, split_tags

GetCustomers = Callable[..., Awaitable[Any]]

STRING_FILTERS = (("name", "Name"), ("email", "E-mail"), ("country", "Country"), ("customer_id", "Id"))
RANGE_FILTERS = (("chats_count", "Chats"), ("threads_count", "Threads"), ("visits_count", "Visits"))
DATE_FILTERS = (
    ("created_at", "Created"),
    ("agent_last_event_created_at", "Agent evt"),
    ("customer_last_event_created_at", "Cust. evt"),
)
RANGE_OPS = ("gte", "gt", "eq", "lte", "lt")


class CustomersBrowser(BrowserScreen[Any]):
    """`CustomersBrowser(fetch_customers, *, page_size=20)` — a Screen; push it and await the customer.

    `fetch_customers(**kwargs)` is awaited with the v3.0 request shape: `limit`, `order`,
    `filters` (only the filters that were filled: `name/email/country/customer_id` →
    `{"values"|"exclude_values": [...]}` (comma separated), `chats/threads/visits_count` →
    `{op: int}` and `created_at/agent_last_event_created_at/customer_last_event_created_at` →
    `{op: ISO string}` with up to two ops each; a bare date is sent as its first or, for
    lte/gt, last microsecond in UTC) and `page_id` for next/previous pages (the filters
    of the search are sent again with it). Enter on a row dismisses with that customer; escape
    with None. Errors of the callable (`.type`/`.message`) are shown in the status line.
    """

    AUTO_FOCUS = "#name-value"
    TITLE_TEXT = "Customers — enter picks · ctrl+s search · ] [ pages · ctrl+f filters · esc"

    def __init__(self, fetch_customers: GetCustomers, *, page_size: int = 20) -> None:
        super().__init__()
        self._fetch_customers = fetch_customers
        self._page_size = page_size
        self._base: dict[str, Any] = {}
        self._next: str | None = None
        self._previous: str | None = None
        self._page = 1
        self._pending_page = 1

    def compose_filters(self) -> ComposeResult:
        for key, label in STRING_FILTERS:
            yield filter_row(
                label,
                Input(placeholder="comma separated (exact)", id=f"{key}-value", compact=True),
                op_select(("values", "exclude_values"), f"{key}-mode"),
            )
        for key, label in RANGE_FILTERS:
            yield filter_row(
                label,
                op_select(RANGE_OPS, f"{key}-op1", "gte"),
                Input(placeholder="n", id=f"{key}-v1", compact=True, classes="lc-narrow", type="integer"),
                op_select(RANGE_OPS, f"{key}-op2", "lte"),
                Input(placeholder="n", id=f"{key}-v2", compact=True, classes="lc-narrow", type="integer"),
            )
        for key, label in DATE_FILTERS:
            yield filter_row(
                label,
                op_select(RANGE_OPS, f"{key}-op1", "gte"),
                Input(placeholder="YYYY-MM-DD[THH:MM:SS…]", id=f"{key}-v1", compact=True),
                op_select(RANGE_OPS, f"{key}-op2", "lte"),
                Input(placeholder="ISO 8601", id=f"{key}-v2", compact=True),
            )
        yield filter_row(
            "Order",
            op_select(("desc", "asc"), "order"),
            Input(
                str(self._page_size),
                id="limit",
                compact=True,
                classes="lc-narrow",
                type="integer",
                tooltip="page size (1-100)",
            ),
        )

    def columns(self) -> tuple[str, ...]:
        return ("Name", "E-mail", "Country", "Chats", "Visits", "Created", "Id")

    # --- request -----------------------------------------------------------------------------

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def _op(self, widget_id: str) -> str:
        return str(self.query_one(f"#{widget_id}", Cycle).value)

    def filters(self) -> dict[str, Any]:
        """The `filters` object from the form (validated; empty dict when nothing is set)."""
        out: dict[str, Any] = {}
        for key, _label in STRING_FILTERS:
            values = split_tags(self._value(f"{key}-value"))
            if values:
                out[key] = {self._op(f"{key}-mode"): values}
        for key, label in RANGE_FILTERS + DATE_FILTERS:
            ops: dict[str, Any] = {}
            for n in (1, 2):
                text = self._value(f"{key}-v{n}")
                if not text.strip():
                    continue
                op = self._op(f"{key}-op{n}")
                if op in ops:
                    raise FormError(f"{label}: the operator {op} is used twice", f"{key}-v{n}")
                if (key, label) in RANGE_FILTERS:
                    ops[op] = parse_int(text, label, minimum=0, field=f"{key}-v{n}")
                else:
                    ops[op] = date_filter_value(text, op, label, field=f"{key}-v{n}")
            if ops:
                out[key] = ops
        return out

    def build_request(self, page: str) -> dict[str, Any]:
        if page == "first":
            limit = parse_int(self._value("limit"), "Page size", minimum=1, maximum=100, field="limit")
            base: dict[str, Any] = {"limit": limit, "order": self._op("order")}
            filters = self.filters()
            if filters:
                base["filters"] = filters
            self._base = base
            self._pending_page = 1
            return dict(base)
        page_id = self._next if page == "next" else self._previous
        if not page_id:
            raise FormError("This is the last page" if page == "next" else "This is the first page")
        self._pending_page = self._page + (1 if page == "next" else -1)
        return {**self._base, "page_id": page_id}

    async def fetch(self, request: dict[str, Any]) -> Any:
        return await self._fetch_customers(**request)

    def show_response(self, response: Any) -> tuple[list[Any], list[tuple[Text, ...]], str]:
        customers = list(get(response, "customers") or [])
        self._next = get(response, "next_page_id")
        self._previous = get(response, "previous_page_id")
        self._page = self._pending_page
        cells = []
        for c in customers:
            stats = get(c, "statistics")
            country = get(get(get(c, "last_visit"), "geolocation"), "country")
            cells.append(
                (
                    cell(get(c, "name"), 20),
                    cell(get(c, "email"), 26),
                    cell(country, 12),
                    cell(get(stats, "chats_count")),
                    cell(get(stats, "visits_count")),
                    cell((get(c, "created_at") or "")[:10]),
                    cell(get(c, "id"), 36),
                )
            )
        total = get(response, "total_customers")
        status = f"page {self._page} · {len(customers)} shown"
        if total is not None:
            status += f" of {total} customers"
        status += " · ] next" if self._next else ""
        status += " · [ previous" if self._previous else ""
        return customers, cells, status

    @on(DataTable.RowSelected, "#results")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        customer = self.selected_row()
        if customer is not None:
            self.dismiss(customer)
