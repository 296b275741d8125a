"""CustomerModal (create/update a customer) and BanModal (ban for N days)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Label, TextArea

from lcconsole.ui.modals._base import FormModal, field_row, get, one_line
from lcconsole.ui.modals.results import CustomerData
from lcconsole.ui.modals.validation import (
    INT32_MAX,
    format_fields,
    parse_email,
    parse_fields,
    parse_int,
    parse_url,
)


class CustomerModal(FormModal[CustomerData]):
    """`CustomerModal(customer=None)`: None creates, a Customer (model or dict) updates.

    Fields: name, e-mail (validated), avatar URL (http/https), fields as `key=value` lines.
    Returns `CustomerData` (customer_id set when updating; empty inputs become None).
    """

    SUBMIT_LABEL = "Save"

    def __init__(self, customer: Any = None) -> None:
        super().__init__(classes="lc-customer")
        self.customer = customer
        self.customer_id = get(customer, "id")

    def dialog_title(self) -> str:
        if self.customer is None:
            return "New customer"
        return one_line(f"Edit customer {get(self.customer, 'name') or self.customer_id}")

    def compose_body(self) -> ComposeResult:
        c = self.customer
        yield field_row("Name", Input(str(get(c, "name") or ""), id="name", compact=True))
        yield field_row("E-mail", Input(str(get(c, "email") or ""), placeholder="name@example.com",
                                        id="email", compact=True))
        yield field_row("Avatar URL", Input(str(get(c, "avatar") or ""), placeholder="https://…",
                                            id="avatar", compact=True))
        fields = get(c, "fields") or {}
        yield field_row("Fields", TextArea(format_fields({str(k): str(v) for k, v in fields.items()}),
                                           id="fields", compact=True, soft_wrap=False))
        yield Label("one key=value per line", classes="lc-dialog-note")

    def build_result(self) -> CustomerData:
        name = self.query_one("#name", Input).value.strip() or None
        email = parse_email(self.query_one("#email", Input).value, field="email")
        avatar = parse_url(self.query_one("#avatar", Input).value, field="avatar")
        fields = parse_fields(self.query_one("#fields", TextArea).text, field="fields")
        return CustomerData(customer_id=None if self.customer_id is None else str(self.customer_id),
                            name=name, email=email, avatar=avatar, fields=fields or None)


class BanModal(FormModal[int]):
    """`BanModal(customer, *, days=1)`: how many days to ban the customer; returns the days (int ≥ 1)."""

    SUBMIT_LABEL = "Ban"

    def __init__(self, customer: Any, *, days: int = 1) -> None:
        super().__init__(classes="lc-ban lc-confirm")
        self.customer = customer
        self._days = days

    def dialog_title(self) -> str:
        who = get(self.customer, "name") or get(self.customer, "email") or get(self.customer, "id")
        return one_line(f"Ban customer {who or ''}".strip())

    def compose_body(self) -> ComposeResult:
        yield field_row("Days", Input(str(self._days), id="days", compact=True))
        yield Label("Ends every session of the customer and refuses new ones until it expires.",
                    classes="lc-dialog-note")

    def build_result(self) -> int:
        return parse_int(self.query_one("#days", Input).value, "Days", minimum=1,
                         maximum=INT32_MAX, field="days")
