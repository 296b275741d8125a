"""The browsers and the start-chat picker against the emulator through the real API client."""

from __future__ import annotations

from modal_pilot import fill, opened, settle  # isort: skip  (puts snapshot_apps on sys.path)

from textual.widgets import DataTable

from lcconsole.api.client import AgentClient
from lcconsole.gateway import open_gateway
from lcconsole.ui.modals import ArchivesBrowser, CustomersBrowser, StartChatModal


async def test_browsers_against_the_demo_emulator(demo_emulator) -> None:
    async with AgentClient(token=demo_emulator.token, base_url=demo_emulator.base_url) as client:
        everyone = (await client.get_customers(limit=100)).customers
        target = next(c for c in everyone if c.email)

        async with opened(lambda: CustomersBrowser(client.get_customers)) as (app, pilot, screen):
            await settle(app, pilot)
            assert screen.last_error == "" and len(screen.rows) == min(20, len(everyone))
            await fill(pilot, screen, "customer_id-value", "not-a-customer")
            await pilot.press("enter")
            await settle(app, pilot)
            assert screen.rows == [] and screen.last_error == ""
            await fill(pilot, screen, "customer_id-value", "")
            await fill(pilot, screen, "limit", "5")
            await pilot.press("enter")
            await settle(app, pilot)
            first = [c.id for c in screen.rows]
            await pilot.press("]")  # real page ids from the emulator
            await settle(app, pilot)
            second = [c.id for c in screen.rows]
            assert len(first) == len(second) == 5 and not set(first) & set(second)
            await pilot.press("[")
            await settle(app, pilot)
            assert [c.id for c in screen.rows] == first
            await fill(pilot, screen, "email-value", target.email)
            await fill(pilot, screen, "created_at-v1", "2000-01-01")
            await pilot.press("enter")
            await settle(app, pilot)
            assert screen.last_error == ""
            assert [c.id for c in screen.rows] == [target.id]
            await pilot.press("enter")
            await pilot.pause()
        assert app.results[0].id == target.id

        archives = await client.get_archives(pagination={"page": 1, "limit": 100})
        some = archives.chats[0]
        async with opened(lambda: ArchivesBrowser(client.get_archives)) as (app, pilot, screen):
            await settle(app, pilot)
            assert screen.last_error == "" and screen.query_one("#results", DataTable).row_count > 0
            await fill(pilot, screen, "date-from", "2000-01-01")
            await fill(
                pilot,
                screen,
                "agent-ids",
                ",".join(u.id for u in some.users if u.type == "agent") or "agent1@example.com",
            )
            await pilot.press("enter")
            await settle(app, pilot)
            assert screen.last_error == "" and screen.rows
            chosen = screen.rows[0].id
            await pilot.press("enter")
            await pilot.pause()
        assert app.results == [chosen]

        search = open_gateway(client, None).search_customers  # the v3.0 search (no RTM needed)
        named = next(c for c in everyone if c.name and len(c.name) > 4)
        by_part = await search(named.name[1:4].upper())  # no exact filter matches: a substring does
        assert named.id in [c.id for c in by_part] and len(by_part) <= 20
        assert [c.id for c in await search(named.id)] == [named.id]  # an id is an exact filter
        async with opened(lambda: StartChatModal(search, debounce=0.01)) as (app, pilot, modal):
            await settle(app, pilot)
            await fill(pilot, modal, "customer-search", target.email)
            await pilot.pause(0.05)
            await settle(app, pilot)
            assert [c.id for c in modal.customers] == [target.id]
