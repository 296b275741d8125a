"""CustomerPanel: details of the chat's customer (all text shown literally)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from lcconsole.ui.clock import format_when
from lcconsole.ui.text import sanitize
from lcconsole.ui.widgets._messages import PaneMessage
from lcconsole.wire.objects import Customer

VALUE_LIMIT = 300  # characters shown of one value
MAX_PAGES = 10
MAX_FIELDS = 50
MAX_EARLIER = 5  # earlier chats listed (I lists them all)


def value_text(value: Any, limit: int = VALUE_LIMIT) -> str:
    """A value as one safe line of at most `limit` characters."""
    text = "" if value is None else str(value)
    cut = len(text) > limit
    return sanitize(text[:limit], newlines=False) + ("…" if cut else "")


def visit_summary(visit: Any) -> str:
    """One line for a visit: `visit · 3 pages · city, country · from referrer`."""
    geo = visit.geolocation
    place = ", ".join(str(p) for p in (geo.city, geo.country) if p) if geo is not None else ""
    pages = len(visit.last_pages or [])
    parts = ["visit", f"{pages} page{'s' * (pages != 1)}", place, f"from {visit.referrer}" if visit.referrer else ""]
    return " · ".join(p for p in parts if p)


def visit_text(visit: Any) -> str:
    """A visit whole for the viewer: when, where, browser, then every page with its full URL."""
    geo = visit.geolocation
    place = ", ".join(str(p) for p in (geo.city, geo.region, geo.country) if p) if geo else ""
    rows = [
        ("Started", format_when(visit.started_at)),
        ("Ended", format_when(visit.ended_at)),
        ("Location", place + (f" ({geo.timezone})" if geo and geo.timezone else "")),
        ("Referrer", visit.referrer),
        ("IP", visit.ip),
        ("Browser", visit.user_agent),
    ]
    lines = [f"{label}: {value}" for label, value in rows if value]
    pages = visit.last_pages or []
    lines.append("")
    lines.append(f"Pages ({len(pages)})" if pages else "Pages: none")
    for page in pages:
        lines.append(f"{format_when(page.opened_at)} {page.title or ''}".rstrip())
        lines.append(f"  {page.url or ''}")
    return "\n".join(lines)


class InfoText:
    """Builds a Text of headings and `label: value` rows (values never parsed as markup)."""

    def __init__(self) -> None:
        self.text = Text(end="")

    def heading(self, title: str) -> None:
        """A section title (after a blank line unless first)."""
        if self.text:
            self.text.append("\n")
        self.text.append(title + "\n", style="bold underline")

    def row(self, label: str, value: Any, style: str = "") -> None:
        """`label: value` (skipped when the value is empty); the value is sanitized."""
        shown = value_text(value)
        if shown:
            self.text.append(f"{label}: ", style="dim")
            self.text.append(shown + "\n", style=style)

    def line(self, value: Any, style: str = "") -> None:
        """One sanitized line."""
        self.text.append(value_text(value) + "\n", style=style)


def show_if_changed(panel: Any, body: Static, text: Text) -> bool:
    """Update `body` with `text` unless `panel._shown` already equals it (same characters and
    styles); True when it was updated."""
    if panel._shown is not None and text == panel._shown:
        return False
    panel._shown = text
    body.update(text)
    return True


class CustomerPanel(VerticalScroll):
    """Name, e-mail, avatar, location, last visit and pages, fields, statistics and ban state."""

    BINDINGS = [
        Binding(
            "c",
            "edit",
            "Edit customer",
            id="customer_panel.edit",
            tooltip="Edit this customer's name, e-mail, avatar and fields",
        ),
    ]

    class EditRequested(PaneMessage):
        """The agent wants to edit the customer."""

        def __init__(self, panel: CustomerPanel, customer_id: str) -> None:
            self.customer_id = customer_id
            super().__init__(panel)

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.customer: Customer | None = None
        self.banned_until: Any = None
        self.earlier: Sequence[tuple[str, str, str]] | None = None
        self._shown: Text | None = None  # what the body shows now (None: not drawn yet)

    def compose(self) -> ComposeResult:
        yield Static(Text("No customer", style="italic"), id="customer-info", classes="panel--body")

    def show(
        self,
        customer: Customer | None,
        banned_until: Any = None,
        *,
        earlier: Sequence[tuple[str, str, str]] | None = None,
    ) -> None:
        """Show `customer` (None clears); `banned_until` (unix s / ISO / text) marks a ban;
        `earlier`: the customer's archived threads as (when, thread id, first message), None
        while not fetched.

        Does nothing when the text would not change (a push to the open chat re-shows the same
        customer): updating the body re-lays out the screen.
        """
        self.customer, self.banned_until, self.earlier = customer, banned_until, earlier
        self.set_class(bool(banned_until) or bool(customer and customer.banned), "-banned")
        if self.is_mounted:
            show_if_changed(self, self.query_one("#customer-info", Static), self.render_info())

    def on_mount(self) -> None:
        self.show(self.customer, self.banned_until, earlier=self.earlier)

    def render_info(self) -> Text:
        """The panel's text for the current customer."""
        customer = self.customer
        if customer is None:
            return Text("No customer", style="italic", end="")
        info = InfoText()
        info.line(customer.name or "(no name)", "bold")
        info.row("E-mail", customer.email)
        info.row("ID", customer.id, "dim")
        info.row("Avatar", customer.avatar)
        if self.banned_until:
            info.row("Ban", f"banned until {format_when(self.banned_until)}", "bold")
        elif customer.banned:
            info.row("Ban", "banned", "bold")
        else:
            info.row("Ban", "not banned")
        if customer.present is not None:
            info.row("Presence", "online" if customer.present else "offline")
        info.row("Last seen", format_when(customer.last_seen_timestamp))
        if self.earlier:
            info.heading(f"Earlier chats ({len(self.earlier)})")
            for when, _, first in self.earlier[:MAX_EARLIER]:
                info.line(f"{when} {first}")
            info.line("I opens one, or the last visit", "dim")
        elif self.earlier is not None:
            info.row("Earlier chats", "none")
        visit = customer.last_visit
        if visit is not None:
            info.heading("Last visit" if self.earlier else "Last visit (I)")  # I opens it whole
            info.row("Started", format_when(visit.started_at))
            info.row("Ended", format_when(visit.ended_at))
            geo = visit.geolocation
            if geo is not None:
                place = ", ".join(str(p) for p in (geo.city, geo.region, geo.country) if p)
                info.row("Location", place + (f" ({geo.timezone})" if geo.timezone else ""))
            info.row("Referrer", visit.referrer)
            info.row("IP", visit.ip)
            info.row("Browser", visit.user_agent)
            if visit.last_pages:
                info.heading("Pages")
                for page in visit.last_pages[:MAX_PAGES]:
                    when = format_when(page.opened_at)
                    info.line(f"{when} {page.title or ''}".strip())
                    info.line(f"  {page.url or ''}", "dim")
                if len(visit.last_pages) > MAX_PAGES:
                    info.line(f"… {len(visit.last_pages) - MAX_PAGES} more pages", "dim")
        if customer.fields:
            info.heading("Fields")
            for key, value in list(customer.fields.items())[:MAX_FIELDS]:
                info.row(value_text(key, 60), value)
        stats = customer.statistics
        if stats is not None:
            info.heading("Statistics")
            for label, value in (
                ("Chats", stats.chats_count),
                ("Threads", stats.threads_count),
                ("Visits", stats.visits_count),
                ("Page views", stats.page_views_count),
            ):
                if value is not None:
                    info.row(label, value)
        info.row("Created", format_when(customer.created_at))
        info.text.rstrip()
        return info.text

    def action_edit(self) -> None:
        """Ask the screen to edit this customer."""
        if self.customer is not None and self.customer.id:
            self.post_message(self.EditRequested(self, self.customer.id))
