"""CustomersBrowser and ArchivesBrowser against fake async callables that record their kwargs."""

from __future__ import annotations

from typing import Any

from modal_pilot import fill, opened, settle  # isort: skip  (puts snapshot_apps on sys.path)
from modal_host import AGENTS, CUSTOMERS, GROUPS, archive_item
from textual.widgets import DataTable

from lcconsole.errors import LiveChatError
from lcconsole.ui.modals import ArchivesBrowser, CustomersBrowser, ThreadPreviewModal
from lcconsole.ui.modals.cycle import Cycle
from lcconsole.wire.objects import GetArchivesResponse, GetCustomersResponse
from lcconsole.wire.requests import GetArchives, GetCustomers


class Recorder:
    """An async callable recording its kwargs and returning canned responses (or raising)."""

    def __init__(self, *responses: Any) -> None:
        self.calls: list[dict[str, Any]] = []
        self.responses = list(responses)

    async def __call__(self, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        response = self.responses[min(len(self.calls), len(self.responses)) - 1]
        if isinstance(response, Exception):
            raise response
        return response


def customers_page(next_id: str | None = None, prev_id: str | None = None) -> GetCustomersResponse:
    body: dict[str, Any] = {"customers": CUSTOMERS, "total_customers": 7}
    if next_id:
        body["next_page_id"] = next_id
    if prev_id:
        body["previous_page_id"] = prev_id
    return GetCustomersResponse.model_validate(body)


def table_text(screen: Any) -> str:
    table = screen.query_one("#results", DataTable)
    return "\n".join(" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count))


async def test_customers_browser_passes_every_filter() -> None:
    fake = Recorder(customers_page("P2"), customers_page("P2"), customers_page("P3", "P1"), customers_page("P2"))
    async with opened(lambda: CustomersBrowser(fake)) as (app, pilot, screen):
        await settle(app, pilot)
        assert fake.calls == [{"limit": 20, "order": "desc"}]
        assert app.screen.focused.id == "name-value"
        # the hostile names are shown literally
        assert "Jane [red]Doe[/red]" in table_text(screen)
        assert "\x1b" not in table_text(screen) and "John␛[31mRed" in table_text(screen)

        await fill(pilot, screen, "name-value", "Jane Doe, Bob")
        await fill(pilot, screen, "email-value", "spam@example.com")
        screen.query_one("#email-mode", Cycle).value = "exclude_values"
        await fill(pilot, screen, "country-value", "Poland")
        await fill(pilot, screen, "customer_id-value", CUSTOMERS[0]["id"])
        await fill(pilot, screen, "chats_count-v1", "1")
        await fill(pilot, screen, "chats_count-v2", "10")
        screen.query_one("#threads_count-op1", Cycle).focus()
        await pilot.press("space", "right")  # gte -> gt -> eq
        await fill(pilot, screen, "threads_count-v1", "2")
        screen.query_one("#visits_count-op1", Cycle).value = "gt"
        screen.query_one("#visits_count-op2", Cycle).focus()
        await pilot.press("left", "right", "right")  # lte -> eq -> lte -> lt
        await fill(pilot, screen, "visits_count-v1", "3")
        await fill(pilot, screen, "visits_count-v2", "30")
        await fill(pilot, screen, "created_at-v1", "2024-01-01")
        screen.query_one("#agent_last_event_created_at-op1", Cycle).value = "lt"
        await fill(pilot, screen, "agent_last_event_created_at-v1", "2024-05-01T10:00:00.000000Z")
        screen.query_one("#customer_last_event_created_at-op2", Cycle).value = "eq"
        await fill(pilot, screen, "customer_last_event_created_at-v2", "2024-06-01T00:00:00.000000+02:00")
        screen.query_one("#order", Cycle).value = "asc"
        await fill(pilot, screen, "limit", "50")
        await pilot.press("enter")
        await settle(app, pilot)
        expected = {
            "limit": 50,
            "order": "asc",
            "filters": {
                "name": {"values": ["Jane Doe", "Bob"]},
                "email": {"exclude_values": ["spam@example.com"]},
                "country": {"values": ["Poland"]},
                "customer_id": {"values": [CUSTOMERS[0]["id"]]},
                "chats_count": {"gte": 1, "lte": 10},
                "threads_count": {"eq": 2},
                "visits_count": {"gt": 3, "lt": 30},
                "created_at": {"gte": "2024-01-01T00:00:00.000000Z"},
                "agent_last_event_created_at": {"lt": "2024-05-01T10:00:00.000000Z"},
                "customer_last_event_created_at": {"eq": "2024-06-01T00:00:00.000000+02:00"},
            },
        }
        assert fake.calls[1] == expected
        GetCustomers.model_validate(fake.calls[1])  # the request shape of the spec
        assert app.screen.focused.id == "results"  # results take the focus after a search

        await pilot.press("]")
        await settle(app, pilot)
        assert fake.calls[2] == {**expected, "page_id": "P2"}
        assert "page 2" in str(screen.query_one("#status").render())
        await pilot.press("[")
        await settle(app, pilot)
        assert fake.calls[3] == {**expected, "page_id": "P1"}
        await pilot.press("[")  # first page now has no previous id: nothing is called
        await settle(app, pilot)
        assert len(fake.calls) == 4 and "first page" in screen.last_error

        await pilot.press("down", "enter")
        await pilot.pause()
    assert len(app.results) == 1 and app.results[0].id == CUSTOMERS[1]["id"]


async def test_customers_browser_errors_stay_on_screen() -> None:
    fake = Recorder(LiveChatError("validation", "filters.created_at.gte: bad date"), customers_page())
    async with opened(lambda: CustomersBrowser(fake)) as (app, pilot, screen):
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.last_error == "Error — validation: filters.created_at.gte: bad date"
        assert screen.query_one("#status").has_class("-error")
        await fill(pilot, screen, "created_at-v1", "last week")
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(fake.calls) == 1 and "not an ISO 8601" in screen.last_error
        assert app.screen.focused.id == "created_at-v1"
        await fill(pilot, screen, "created_at-v1", "2024-01-01")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert len(fake.calls) == 2 and screen.last_error == ""
        assert screen.query_one("#results", DataTable).row_count == 2
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_archives_browser_passes_every_filter_and_opens_chats() -> None:
    page = GetArchivesResponse.model_validate(
        {"chats": [archive_item("CHAT1"), archive_item("CHAT2", "second")], "pagination": {"page": 2, "total": 30}}
    )
    fake = Recorder(page)

    def factory():
        return ArchivesBrowser(fake, agents=AGENTS, groups=GROUPS, limit=10)

    async with opened(factory) as (app, pilot, screen):
        await settle(app, pilot)
        assert fake.calls == [{"pagination": {"page": 1, "limit": 10}}]
        assert app.screen.focused.id == "query"
        await fill(pilot, screen, "query", "refund")
        await fill(pilot, screen, "date-from", "2024-01-01")
        await fill(pilot, screen, "date-to", "2024-13-01")
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(fake.calls) == 1 and "not a date (YYYY-MM-DD)" in screen.last_error
        await fill(pilot, screen, "date-to", "2024-02-01")
        await fill(pilot, screen, "agent-ids", "agent1@example.com, agent2@example.com")
        await fill(pilot, screen, "group-ids", "1, 2")
        await fill(pilot, screen, "prop-name", "routing.pinned")
        screen.query_one("#prop-mode", Cycle).value = "values"
        await fill(pilot, screen, "prop-values", 'true, 3, "7", plain text')
        await fill(pilot, screen, "page", "2")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        filters = {
            "query": "refund",
            "date_from": "2024-01-01",
            "date_to": "2024-02-01",
            "agent_ids": ["agent1@example.com", "agent2@example.com"],
            "group_ids": [1, 2],
            "properties": {"routing": {"pinned": {"values": [True, 3, "7", "plain text"]}}},
        }
        assert fake.calls[1] == {"filters": filters, "pagination": {"page": 2, "limit": 10}}
        GetArchives.model_validate(fake.calls[1])
        assert "CHAT1" in table_text(screen) and "hi [red]there[/red]" not in table_text(screen)
        assert "Hello!" in table_text(screen)

        screen.query_one("#prop-mode", Cycle).value = "exists"
        await fill(pilot, screen, "prop-values", "false")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert fake.calls[2]["filters"]["properties"] == {"routing": {"pinned": {"exists": False}}}
        await pilot.press("]")
        await settle(app, pilot)
        assert fake.calls[3]["pagination"] == {"page": 3, "limit": 10}
        assert fake.calls[3]["filters"] == fake.calls[2]["filters"]

        await pilot.press("down", "v")  # preview the second thread, read-only
        await pilot.pause()
        preview = app.screen
        assert isinstance(preview, ThreadPreviewModal)
        shown = str(preview.query_one("#preview-events").render())
        assert "Jane [red]Doe[/red]: second" in shown and "system: Ann Admin joined" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("enter")  # open from the preview
        await pilot.pause()
    assert app.results == ["CHAT2"]


async def test_archives_browser_enter_returns_chat_id_and_shows_errors() -> None:
    fake = Recorder(RuntimeError("connection refused"), {"chats": [archive_item("ABC")]})
    async with opened(lambda: ArchivesBrowser(fake)) as (app, pilot, screen):
        await settle(app, pilot)
        assert screen.last_error == "Error — connection refused"
        await fill(pilot, screen, "prop-name", "nodot")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "namespace.name" in screen.last_error and len(fake.calls) == 1
        await fill(pilot, screen, "prop-name", "")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert fake.calls[1] == {"pagination": {"page": 1, "limit": 25}}
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == ["ABC"]
