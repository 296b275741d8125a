"""StartChatModal: pick a customer (debounced async search), first message, group and tags."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from lcconsole.ui.modals._base import FormModal, choices, field_row, get, one_line
from lcconsole.ui.modals.answers import StartChatRequest
from lcconsole.ui.modals.suggesters import TagListSuggester
from lcconsole.ui.modals.validation import FormError, split_tags

SearchCustomers = Callable[[str], Awaitable[Sequence[Any]]]


def customer_label(customer: Any) -> Text:
    """One literal line: "Name <email>  id"."""
    name = one_line(get(customer, "name") or "(no name)")
    email = get(customer, "email")
    text = Text(name)
    if email:
        text.append(f" <{one_line(email)}>")
    text.append(f"  {one_line(get(customer, 'id'))}", style="dim")
    return text


def error_text(exc: BaseException) -> str:
    """ "type: message" for LiveChatError-like exceptions, else the exception text."""
    kind = getattr(exc, "type", None)
    message = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
    return f"{kind}: {message}" if kind else message


class StartChatModal(FormModal[StartChatRequest]):
    """`StartChatModal(search_customers, groups=(), known_tags=(), *, debounce=0.25, customer=None)`.

    `search_customers`: `async (query: str) -> list[Customer]` (the gateway's `search_customers`), called
    once on open with "" and again `debounce` seconds after the search text stops changing.
    `groups`: group ids, `(id, name)` pairs or objects with `id`/`name`. `customer` preselects
    one (e.g. picked in the CustomersBrowser; the focus then starts in the message). Returns a
    `StartChatRequest` (customer and message required) or None.
    """

    TITLE_TEXT = "Start chat"
    SUBMIT_LABEL = "Start"

    def __init__(
        self,
        search_customers: SearchCustomers,
        groups: Iterable[Any] = (),
        known_tags: Iterable[str] = (),
        *,
        debounce: float = 0.25,
        customer: Any = None,
    ) -> None:
        super().__init__(classes="lc-start-chat")
        self._preset = customer
        self._search_customers = search_customers
        self._groups = choices(groups)
        self._known_tags = list(known_tags)
        self._debounce = debounce
        self._timer: Timer | None = None
        self.customers: list[Any] = []

    def compose_body(self) -> ComposeResult:
        yield field_row(
            "Customer", Input(placeholder="type a name, e-mail or id to search", id="customer-search", compact=True)
        )
        yield OptionList(id="customer-list", compact=True)
        yield Label("", id="customer-status", classes="lc-dialog-note")
        yield field_row("Message", Input(placeholder="first message to the customer", id="message", compact=True))
        yield field_row("Group", Select(self._groups, prompt="default group", id="group", compact=True))
        yield field_row(
            "Tags",
            Input(
                placeholder="comma separated, tab completes",
                suggester=TagListSuggester(self._known_tags),
                id="tags",
                compact=True,
            ),
        )

    def after_mount(self) -> None:
        if self._preset is None:
            self._start_search()
        else:
            self._show([self._preset])

    def focus_first(self) -> None:
        self.query_one("#message" if self._preset is not None else "#customer-search").focus()

    @on(Input.Changed, "#customer-search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self._debounce, self._start_search)

    def _start_search(self) -> None:
        self._timer = None
        query = self.query_one("#customer-search", Input).value
        self.run_worker(self._search(query), exclusive=True, group="customer-search")

    async def _search(self, query: str) -> None:
        status = self.query_one("#customer-status", Label)
        status.update("searching…")
        try:
            found = list(await self._search_customers(query))
        except Exception as exc:  # LiveChatError or a transport problem: show it, stay open
            status.update("")
            self.show_error(f"Customer search failed: {error_text(exc)}")
            return
        self._show(found)

    def _show(self, found: list[Any]) -> None:
        status = self.query_one("#customer-status", Label)
        self.customers = found
        option_list = self.query_one("#customer-list", OptionList)
        option_list.clear_options()
        option_list.add_options([Option(customer_label(c), id=str(i)) for i, c in enumerate(found)])
        if found:
            option_list.highlighted = 0
        status.update(f"{len(found)} customer(s)" if found else "no customer matches")

    def input_submitted(self, widget: Input) -> None:
        if widget.id == "customer-search":
            self.query_one("#message" if self.customers else "#customer-search").focus()
        else:
            self.action_submit()

    @on(OptionList.OptionSelected, "#customer-list")
    def _customer_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#message", Input).focus()

    def selected_customer(self) -> Any | None:
        """The highlighted customer of the result list, if any."""
        index = self.query_one("#customer-list", OptionList).highlighted
        if index is None or not (0 <= index < len(self.customers)):
            return None
        return self.customers[index]

    def build_result(self) -> StartChatRequest:
        customer = self.selected_customer()
        if customer is None:
            raise FormError("Pick a customer from the list (type to search)", "customer-search")
        message = self.query_one("#message", Input).value
        if not message.strip():
            raise FormError("Type the first message", "message")
        group = self.query_one("#group", Select).value
        return StartChatRequest(
            customer_id=str(get(customer, "id")),
            message=message,
            group_id=None if group is Select.NULL else int(group),
            tags=tuple(split_tags(self.query_one("#tags", Input).value)),
        )
