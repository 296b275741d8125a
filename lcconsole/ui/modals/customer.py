"""CustomerModal (create/update a customer) and BanModal (ban for N days)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Label, TextArea

from lcconsole.ui.modals._base import FormModal, field_row, get, one_line, sanitize
from lcconsole.ui.modals.answers import CustomerData
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
    Returns `CustomerData`: for a create, empty inputs become None; for an update (customer_id
    set) only the fields the agent changed are set, the rest are None (not sent), so values
    shown sanitised (control characters made visible) are never written back.
    """

    SUBMIT_LABEL = "Save"

    def __init__(self, customer: Any = None) -> None:
        super().__init__(classes="lc-customer")
        self.customer = customer
        self.customer_id = get(customer, "id")
        fields = get(customer, "fields") or {}
        self._shown = {
            "name": sanitize(str(get(customer, "name") or "")),
            "email": sanitize(str(get(customer, "email") or "")),
            "avatar": sanitize(str(get(customer, "avatar") or "")),
            "fields": format_fields({sanitize(str(k)): sanitize(str(v)) for k, v in fields.items()}),
        }

    def dialog_title(self) -> str:
        if self.customer is None:
            return "New customer"
        return one_line(f"Edit customer {get(self.customer, 'name') or self.customer_id}")

    def compose_body(self) -> ComposeResult:
        shown = self._shown
        yield field_row("Name", Input(shown["name"], id="name", compact=True))
        yield field_row("E-mail", Input(shown["email"], placeholder="name@example.com", id="email", compact=True))
        yield field_row("Avatar URL", Input(shown["avatar"], placeholder="https://…", id="avatar", compact=True))
        yield field_row("Fields", TextArea(shown["fields"], id="fields", compact=True, soft_wrap=False))
        yield Label("one key=value per line", classes="lc-dialog-note")

    def _changed(self, key: str, value: str) -> bool:
        return self.customer_id is None or value != self._shown[key]

    def build_result(self) -> CustomerData:
        name = self.query_one("#name", Input).value
        email = self.query_one("#email", Input).value
        avatar = self.query_one("#avatar", Input).value
        fields_text = self.query_one("#fields", TextArea).text
        updating = self.customer_id is not None
        result: dict[str, Any] = {}
        if self._changed("name", name):
            result["name"] = name.strip() or ("" if updating else None)
        if self._changed("email", email):
            result["email"] = parse_email(email, field="email") or ("" if updating else None)
        if self._changed("avatar", avatar):
            result["avatar"] = parse_url(avatar, field="avatar") or ("" if updating else None)
        if self._changed("fields", fields_text):
            fields = parse_fields(fields_text, field="fields")
            result["fields"] = fields if (fields or updating) else None
        return CustomerData(customer_id=None if not updating else str(self.customer_id), **result)


class BanModal(FormModal[int]):
    """`BanModal(customer, *, days=None)`: how many days to ban the customer; returns the days
    (int ≥ 1). The field starts empty unless `days` is given: a bare Enter bans nobody."""

    SUBMIT_LABEL = "Ban"

    def __init__(self, customer: Any, *, days: int | None = None) -> None:
        super().__init__(classes="lc-ban lc-confirm")
        self.customer = customer
        self._days = days

    def dialog_title(self) -> str:
        who = get(self.customer, "name") or get(self.customer, "email") or get(self.customer, "id")
        return one_line(f"Ban customer {who or ''}".strip())

    def compose_body(self) -> ComposeResult:
        yield field_row(
            "Days",
            Input("" if self._days is None else str(self._days), id="days", placeholder="how many days", compact=True),
        )
        yield Label(
            "Ends every session of the customer and refuses new ones until it expires.", classes="lc-dialog-note"
        )

    def build_result(self) -> int:
        return parse_int(self.query_one("#days", Input).value, "Days", minimum=1, maximum=INT32_MAX, field="days")
