"""ArchivesBrowser: every archive filter, paged results, thread preview, enter opens a chat."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Label, Static

from lcconsole.ui.clock import format_when
from lcconsole.ui.modals._base import FormModal, get, item_id, literal, one_line
from lcconsole.ui.modals._browser import BrowserScreen, cell, filter_row, op_select
from lcconsole.ui.modals.cycle import Cycle
from lcconsole.ui.modals.suggesters import TagListSuggester
from lcconsole.ui.modals.validation import (
    FormError,
    parse_date,
    parse_int,
    parse_int_list,
    split_list,
    split_tags,
)

GetArchives = Callable[..., Awaitable[Any]]
PROPERTY_MODES = ("exists", "values", "exclude_values")


def chat_of(item: Any) -> Any:
    """The chat of an archives item (v3.0 wraps it as `{"chat": {...}}`)."""
    inner = get(item, "chat")
    return inner if inner is not None and get(item, "id") is None else item


def parse_filter_value(item: str) -> str | int | bool:
    """A property filter value: JSON int/bool/quoted string when it parses, else the text."""
    try:
        value = json.loads(item)
    except ValueError:
        return item
    return value if isinstance(value, (str, int, bool)) else item


def event_text(event: Any, names: dict[str, str]) -> Text:
    """One literal transcript line for the read-only preview."""
    kind = get(event, "type") or "event"
    author = get(event, "author_id")
    who = names.get(author, author) if author else "system"
    text = Text(f"{format_when(get(event, 'timestamp'))} ", style="dim")
    note = " (agents only)" if get(event, "recipients") == "agents" else ""
    if kind == "message":
        body = get(event, "text") or ""
    elif kind == "system_message":
        body = get(event, "text") or get(event, "system_message_type") or ""
        for key, value in (get(event, "text_vars") or {}).items():
            body = body.replace(f"%{key}%", str(value))
    elif kind == "file":
        body = f"[file] {get(event, 'name') or ''} ({get(event, 'size') or '?'} B) {get(event, 'url') or ''}"
    elif kind == "rich_message":
        titles = [get(e, "title") or "" for e in get(event, "elements") or []]
        body = "[rich] " + " | ".join(t for t in titles if t)
    elif kind == "filled_form":
        body = "[form] " + "; ".join(f"{get(f, 'label')}: {get(f, 'answer')}" for f in get(event, "fields") or [])
    else:
        body = f"[{kind}] {json.dumps(get(event, 'content'), default=str)[:200]}"
    text.append(f"{one_line(who)}{note}: ", style="bold")
    text.append_text(literal(str(body)))
    return text


class ThreadPreviewModal(FormModal[bool]):
    """`ThreadPreviewModal(chat)`: read-only view of an archived chat's thread.

    Enter/ctrl+s/o dismiss with True (open this chat), escape with None.
    """

    BINDINGS = [
        Binding("o,enter", "submit", "Open chat", id="archive_preview.open", tooltip="Open this chat in the console.")
    ]
    SUBMIT_LABEL = "Open chat"
    HINT = "enter open chat · esc back"

    def __init__(self, chat: Any) -> None:
        super().__init__(classes="lc-preview")
        self.chat = chat

    def dialog_title(self) -> str:
        thread = get(self.chat, "thread")
        return one_line(
            f"Chat {get(self.chat, 'id')} · thread {get(thread, 'id') or '?'} · {format_when(get(thread, 'timestamp'))}"
        )

    def compose_body(self) -> ComposeResult:
        thread = get(self.chat, "thread")
        names = {str(get(u, "id")): str(get(u, "name") or get(u, "id")) for u in get(self.chat, "users") or []}
        lines = Text()
        events = list(get(thread, "events") or [])
        for event in events:
            if lines:
                lines.append("\n")
            lines.append_text(event_text(event, names))
        if get(thread, "restricted_access"):
            lines = Text("This thread's events are not available (restricted access).")
        elif not events:
            lines = Text("This thread has no events.")
        tags = get(thread, "tags") or []
        if tags:
            yield Label(literal("Tags: " + ", ".join(tags)), classes="lc-dialog-note")
        yield Static(lines, id="preview-events")

    def focus_first(self) -> None:
        self.query_one(".lc-dialog-body").focus()

    def build_result(self) -> bool:
        return True


class ArchivesBrowser(BrowserScreen[str]):
    """`ArchivesBrowser(fetch_archives, *, agents=(), groups=(), limit=25)` — a Screen returning a chat id.

    `fetch_archives(**kwargs)` is awaited with `filters` (query, date_from/date_to `YYYY-MM-DD`,
    agent_ids, group_ids (ints), `properties: {ns: {name: {exists|values|exclude_values}}}`;
    only filled ones) and `pagination: {page, limit}`. Enter on a row dismisses with its chat id;
    space/v opens a read-only preview of the thread (enter there opens the chat too).
    """

    AUTO_FOCUS = "#query"
    TITLE_TEXT = "Archives — enter opens · v preview · ctrl+s search · ] [ pages · esc"
    BINDINGS = [
        Binding(
            "v,space", "preview", "Preview", id="archives.preview", tooltip="Show the highlighted thread read-only."
        )
    ]

    def __init__(
        self, fetch_archives: GetArchives, *, agents: Iterable[Any] = (), groups: Iterable[Any] = (), limit: int = 25
    ) -> None:
        super().__init__()
        self._fetch_archives = fetch_archives
        self._agent_ids = [str(item_id(a)) for a in agents if item_id(a) is not None]
        self._group_ids = [str(item_id(g)) for g in groups if item_id(g) is not None]
        self._limit = limit
        self._filters: dict[str, Any] = {}
        self._page = 1
        self._pending_page = 1
        self._page_limit = limit
        self._total: int | None = None

    def compose_filters(self) -> ComposeResult:
        yield filter_row("Query", Input(placeholder="full-text search", id="query", compact=True))
        yield filter_row(
            "From",
            Input(placeholder="YYYY-MM-DD", id="date-from", compact=True),
            Label("to", classes="lc-to"),
            Input(placeholder="YYYY-MM-DD", id="date-to", compact=True),
        )
        yield filter_row(
            "Agents",
            Input(
                placeholder="agent ids, comma separated (tab completes)",
                suggester=TagListSuggester(self._agent_ids),
                id="agent-ids",
                compact=True,
            ),
        )
        yield filter_row(
            "Groups",
            Input(
                placeholder="group ids, comma separated",
                suggester=TagListSuggester(self._group_ids),
                id="group-ids",
                compact=True,
            ),
        )
        yield filter_row(
            "Property",
            Input(placeholder="namespace.name", id="prop-name", compact=True),
            op_select(PROPERTY_MODES, "prop-mode"),
            Input(placeholder="true/false or values, comma sep.", id="prop-values", compact=True),
        )
        yield filter_row(
            "Page",
            Input("1", id="page", compact=True, classes="lc-narrow", type="integer"),
            Label("limit", classes="lc-to"),
            Input(str(self._limit), id="limit", compact=True, classes="lc-narrow", type="integer"),
        )

    def columns(self) -> tuple[str, ...]:
        return ("Started", "Customer", "Last message", "Tags", "Agents", "Chat")

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def filters(self) -> dict[str, Any]:
        """The `filters` object from the form (validated; only filled filters)."""
        out: dict[str, Any] = {}
        query = self._value("query").strip()
        if query:
            out["query"] = query
        date_from = parse_date(self._value("date-from"), "From", field="date-from")
        date_to = parse_date(self._value("date-to"), "To", field="date-to")
        if date_from and date_to and date_from > date_to:
            raise FormError("From must not be after To", "date-from")
        if date_from:
            out["date_from"] = date_from
        if date_to:
            out["date_to"] = date_to
        agents = split_list(self._value("agent-ids"))
        if agents:
            out["agent_ids"] = agents
        groups = parse_int_list(self._value("group-ids"), "Group id", field="group-ids")
        if groups:
            out["group_ids"] = groups
        prop = self._value("prop-name").strip()
        if prop:
            ns, dot, name = prop.partition(".")
            if not dot or not ns or not name:
                raise FormError("Property must be namespace.name", "prop-name")
            mode = str(self.query_one("#prop-mode", Cycle).value)
            raw = self._value("prop-values")
            if mode == "exists":
                low = raw.strip().lower() or "true"
                if low not in ("true", "false"):
                    raise FormError("exists takes true or false", "prop-values")
                condition: dict[str, Any] = {"exists": low == "true"}
            else:
                values = [parse_filter_value(v) for v in split_tags(raw)]
                if not values:
                    raise FormError(f"{mode}: type at least one value", "prop-values")
                condition = {mode: values}
            out["properties"] = {ns: {name: condition}}
        return out

    def build_request(self, page: str) -> dict[str, Any]:
        if page == "first":
            self._filters = self.filters()
            number = parse_int(self._value("page"), "Page", minimum=1, maximum=1000, field="page")
            self._page_limit = parse_int(self._value("limit"), "Limit", minimum=0, maximum=100, field="limit")
        elif page == "next":
            more = (
                len(self.rows) >= self._page_limit
                if self._total is None
                else self._page * self._page_limit < self._total
            )
            if not more or self._page >= 1000:
                raise FormError("This is the last page")
            number = self._page + 1
        else:
            if self._page <= 1:
                raise FormError("This is the first page")
            number = self._page - 1
        self._pending_page = number
        request: dict[str, Any] = {"pagination": {"page": number, "limit": self._page_limit}}
        if self._filters:
            request = {"filters": self._filters, **request}
        return request

    async def fetch(self, request: dict[str, Any]) -> Any:
        return await self._fetch_archives(**request)

    def show_response(self, response: Any) -> tuple[list[Any], list[tuple[Text, ...]], str]:
        chats = [chat_of(item) for item in get(response, "chats") or []]
        pagination = get(response, "pagination")
        self._total = get(pagination, "total", get(response, "found_chats"))
        self._page = get(pagination, "page") or self._pending_page
        self.query_one("#page", Input).value = str(self._page)
        cells = []
        for chat in chats:
            thread = get(chat, "thread")
            users = list(get(chat, "users") or [])
            customers = [
                get(u, "name") or get(u, "email") or get(u, "id") for u in users if get(u, "type") == "customer"
            ]
            agents = [get(u, "name") or get(u, "id") for u in users if get(u, "type") == "agent"]
            messages = [e for e in get(thread, "events") or [] if get(e, "type") == "message"]
            last = get(messages[-1], "text") if messages else ""
            cells.append(
                (
                    cell(format_when(get(thread, "timestamp"))[5:]),
                    cell(", ".join(map(str, customers)), 16),
                    cell(last, 28),
                    cell(", ".join(get(thread, "tags") or []), 12),
                    cell(", ".join(map(str, agents)), 16),
                    cell(get(chat, "id"), 12),
                )
            )
        status = f"page {self._page} · {len(chats)} shown"
        if self._total is not None:
            status += f" of {self._total} threads"
        return chats, cells, status

    def action_preview(self) -> None:
        """Open the read-only preview of the highlighted thread."""
        chat = self.selected_row()
        if chat is None:
            return

        def opened(open_it: bool | None) -> None:
            if open_it:
                self.dismiss(str(get(chat, "id")))

        self.app.push_screen(ThreadPreviewModal(chat), opened)

    @on(DataTable.RowSelected, "#results")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        chat = self.selected_row()
        if chat is not None:
            self.dismiss(str(get(chat, "id")))
