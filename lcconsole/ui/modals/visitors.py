"""VisitorsModal: the customers browsing the website now (who, which page), start a chat with one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Label, OptionList

from lcconsole.ui.clock import format_since
from lcconsole.ui.modals._base import get, one_line
from lcconsole.ui.modals.assign import _PickModal
from lcconsole.ui.modals.validation import FormError


@dataclass(frozen=True)
class Visitor:
    """One customer on the website: the page they look at now and when their visit started."""

    customer: Any
    page_title: str = ""
    page_url: str = ""
    since: str = ""  # RFC 3339 start of the visit

    @property
    def id(self) -> str:
        return str(get(self.customer, "id") or "")


def visitors_of(customers: Iterable[Any]) -> list[Visitor]:
    """The customers with an open visit (started, not ended), newest page first in each, the
    visitors ordered by when their visit started (earliest first)."""
    out = []
    for customer in customers:
        visit = get(customer, "last_visit")
        if visit is None or not get(visit, "started_at") or get(visit, "ended_at"):
            continue
        pages = list(get(visit, "last_pages") or [])
        page = max(pages, key=lambda p: str(get(p, "opened_at") or ""), default=None)
        out.append(
            Visitor(
                customer,
                str(get(page, "title") or "") if page else "",
                str(get(page, "url") or "") if page else "",
                str(get(visit, "started_at") or ""),
            )
        )
    return sorted(out, key=lambda v: (v.since, v.id))


def visitor_label(visitor: Visitor) -> Text:
    """Two literal lines: "Name <email>  since HH:MM" and "  Page title — URL"."""
    customer = visitor.customer
    text = Text(one_line(get(customer, "name") or "(no name)"))
    email = get(customer, "email")
    if email:
        text.append(f" <{one_line(email)}>")
    if visitor.since:
        text.append(f"  since {format_since(visitor.since)}", style="dim")
    page = " — ".join(one_line(p) for p in (visitor.page_title, visitor.page_url) if p)
    text.append("\n  " + (page or "(no page yet)"), style="dim")
    return text


class VisitorsModal(_PickModal):
    """`VisitorsModal(visitors)`: the visitors (see `visitors_of`), updated live with
    `set_visitors()`. Enter (or ctrl+s) returns the highlighted visitor's customer, to start a
    chat with; escape closes."""

    TITLE_TEXT = "Visitors on the website"
    SUBMIT_LABEL = "Start chat"
    HINT = "enter start a chat · esc close"

    def __init__(self, visitors: Iterable[Visitor]) -> None:
        super().__init__(classes="lc-visitors")
        self.visitors = list(visitors)

    def compose_body(self) -> ComposeResult:
        yield Label("", id="visitors-count", classes="lc-dialog-note")
        yield OptionList(id="targets", compact=True)
        yield Label("", id="targets-note", classes="lc-dialog-note")

    def after_mount(self) -> None:
        self.set_visitors(self.visitors)

    def set_visitors(self, visitors: Iterable[Visitor]) -> None:
        """Show `visitors`, keeping the highlight on the same customer when still there."""
        current = self.picked()
        self.visitors = list(visitors)
        self._fill([(visitor_label(v), v) for v in self.visitors], "Nobody is on the website now")
        count = len(self.visitors)
        self.query_one("#visitors-count", Label).update(
            f"{count} visitor{'' if count == 1 else 's'} now" if count else ""
        )
        if current is not None:
            ids = [v.id for v in self.visitors]
            if current.id in ids:
                self.query_one("#targets", OptionList).highlighted = ids.index(current.id)

    def build_result(self) -> Any:
        visitor = self.picked()
        if visitor is None:
            raise FormError("Nobody to start a chat with", "targets")
        return visitor.customer
