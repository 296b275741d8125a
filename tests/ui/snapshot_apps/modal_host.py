"""Tiny host app for the modal tests and snapshots: pushes one modal and records its result.

`ModalHost(factory)` pushes `factory()` on mount; `host.results` collects what the modal
dismissed with (`host.done` is set once it did). The sample data below is shared by the pilot
tests and the snapshot tests so both show the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from lcconsole.ui.modals import (
    AccessModal,
    ArchivesBrowser,
    AttachModal,
    BanModal,
    ConfirmModal,
    CustomerModal,
    CustomersBrowser,
    MulticastModal,
    PropertyModal,
    StartChatModal,
    TagModal,
    TransferModal,
    UserModal,
)

STYLES = Path(__file__).resolve().parents[3] / "styles" / "modals.tcss"

AGENTS = [
    {"id": "agent1@example.com", "name": "Ann Admin", "routing_status": "accepting_chats"},
    {"id": "agent2@example.com", "name": "Bob [bold]Builder[/bold]", "routing_status": "not_accepting_chats"},
    {"id": "agent3@example.com", "name": "Cid", "present": False},
]
GROUPS = [(0, "General"), (1, "Sales"), (2, "Support")]
CUSTOMERS = [
    {
        "id": "c0ffee00-0000-4000-8000-000000000001",
        "name": "Jane [red]Doe[/red]",
        "email": "jane@example.com",
        "statistics": {"chats_count": 3, "threads_count": 4, "visits_count": 9},
        "created_at": "2024-01-02T10:00:00.000000Z",
    },
    {
        "id": "c0ffee00-0000-4000-8000-000000000002",
        "name": "John\x1b[31mRed",
        "email": "john@example.com",
        "statistics": {"chats_count": 1, "threads_count": 1, "visits_count": 1},
        "created_at": "2024-02-03T10:00:00.000000Z",
    },
]


def freeze_cursors(app: App) -> None:
    """Stop every text cursor blinking (shown steadily): a snapshot must not depend on when,
    within the 0.5 s blink cycle, the screen was captured."""
    for screen in app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            widget.cursor_blink = False


class Backdrop(Screen[None]):
    """A plain screen behind the modal."""

    def compose(self) -> ComposeResult:
        yield Static("lcconsole — modal host\n" + "background text " * 40, id="backdrop")


class ModalHost(App[None]):
    """Pushes `factory()` and records the dismissed result."""

    CSS_PATH = str(STYLES)

    def __init__(self, factory: Callable[[], Any], *, theme: str | None = None) -> None:
        super().__init__()
        if theme:
            self.theme = theme
        self.factory = factory
        self.results: list[Any] = []
        self.modal: Any = None

    def on_mount(self) -> None:
        self.push_screen(Backdrop())
        self.modal = self.factory()
        self.push_screen(self.modal, self.results.append)

    @property
    def done(self) -> bool:
        """True once the modal dismissed."""
        return bool(self.results)


def archive_item(chat_id: str = "PJ0MRSHTDG", text: str = "hi [red]there[/red]") -> dict:
    """One v3.0 get_archives item (`{"chat": {...}}`)."""
    return {
        "chat": {
            "id": chat_id,
            "users": [
                {"id": CUSTOMERS[0]["id"], "type": "customer", "name": CUSTOMERS[0]["name"]},
                {"id": "agent1@example.com", "type": "agent", "name": "Ann Admin"},
            ],
            "thread": {
                "id": "T" + chat_id,
                "timestamp": 1700000000,
                "active": False,
                "tags": ["vip"],
                "events": [
                    {
                        "id": "e1",
                        "type": "message",
                        "author_id": CUSTOMERS[0]["id"],
                        "text": text,
                        "timestamp": 1700000000,
                    },
                    {
                        "id": "e2",
                        "type": "system_message",
                        "text": "%agent% joined",
                        "text_vars": {"agent": "Ann Admin"},
                        "timestamp": 1700000010,
                    },
                    {
                        "id": "e3",
                        "type": "message",
                        "author_id": "agent1@example.com",
                        "text": "Hello!",
                        "timestamp": 1700000020,
                    },
                ],
            },
        }
    }


PROPS = {"my_app": {"score": {"value": 3}, "vip": {"value": True}}, "routing": {"pinned": {"value": False}}}


async def _search(query: str) -> list[dict]:
    return CUSTOMERS


async def _customers(**kwargs: Any) -> dict:
    return {"customers": CUSTOMERS, "total_customers": 2, "next_page_id": "P2"}


async def _archives(**kwargs: Any) -> dict:
    return {
        "chats": [archive_item("PJ0MRSHTDG"), archive_item("Q1W2E3R4T5", "[@click=app.quit]")],
        "pagination": {"page": 1, "total": 2},
    }


MODALS: dict[str, Callable[[], Any]] = {
    "confirm": lambda: ConfirmModal("Close thread", "Close the chat with Jane [b]Doe[/b]?"),
    "start_chat": lambda: StartChatModal(_search, GROUPS, ["vip", "billing"]),
    "transfer": lambda: TransferModal(AGENTS, GROUPS),
    "user_add": lambda: UserModal("add", AGENTS, [AGENTS[0]]),
    "access_grant": lambda: AccessModal("grant", GROUPS, [0]),
    "tag_add": lambda: TagModal("add", ["billing", "vip"], ["sales"]),
    "tag_remove": lambda: TagModal("remove", [], ["sales", "vip"]),
    "property_set": lambda: PropertyModal("chat", PROPS),
    "property_delete": lambda: PropertyModal("thread", PROPS, delete=True),
    "customer_edit": lambda: CustomerModal(dict(CUSTOMERS[0], fields={"plan": "gold"})),
    "ban": lambda: BanModal(CUSTOMERS[1], days=3),
    "multicast": lambda: MulticastModal(AGENTS, GROUPS, content='{"notice": "[b]deploy[/b]"}'),
    "attach": lambda: AttachModal(path="/nonexistent/report.pdf"),
    "customers_browser": lambda: CustomersBrowser(_customers),
    "archives_browser": lambda: ArchivesBrowser(_archives, agents=AGENTS, groups=GROUPS),
}


def _visit(started: str, *pages: tuple[str, str, str]) -> dict:
    return {
        "started_at": started,
        "ip": "203.0.113.9",
        "last_pages": [{"opened_at": at, "url": url, "title": title} for at, url, title in pages],
    }


VISITORS = [  # canonical customers with an open visit (v3.6 subscribe_customers, converted); a past day
    dict(
        CUSTOMERS[0],
        last_visit=_visit(
            "2025-12-29T08:00:00.000000Z",
            ("2025-12-29T08:00:05.000000Z", "https://shop.example.com/", "Shop"),
            ("2025-12-29T08:03:00.000000Z", "https://shop.example.com/cart?step=[b]2[/b]", "Cart [b]2[/b]"),
        ),
    ),
    dict(
        CUSTOMERS[1],
        last_visit=_visit(
            "2025-12-29T08:02:00.000000Z",
            ("2025-12-29T08:02:00.000000Z", "https://shop.example.com/pricing", "Pricing\x1b[2J"),
        ),
    ),
    {
        "id": "c0ffee00-0000-4000-8000-000000000003",
        "name": "Walt Wanderer",
        "last_visit": _visit("2025-12-29T08:04:00.000000Z"),
    },
    {
        "id": "c0ffee00-0000-4000-8000-000000000004",
        "name": "Gone Gina",
        "last_visit": dict(_visit("2025-12-29T07:00:00.000000Z"), ended_at="2025-12-29T07:30:00.000000Z"),
    },
]
ACTIVE_CHATS = {"agent3@example.com": 0, "agent2@example.com": 2, "agent9@example.com": 5}
"""list_agents_for_transfer, least busy first (agent9 is not in AGENTS: shown by id)."""
