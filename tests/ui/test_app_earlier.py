"""Pilot tests: the customer's earlier chats (archives by customer) and last visit in the details
pane, each opened with `I`, in both API versions."""

from __future__ import annotations

import uuid

import pytest
from app_harness import (  # noqa: F401  (server is a fixture)
    Customer,
    agent_call,
    console,
    open_chat,
    server,
    wait_for,
)
from test_app_read_copy import capture, copied

LONG_URL = "https://shop.example.com/orders/" + "a1b2c3d4" * 12 + "?ref=newsletter&utm=x"


@pytest.mark.parametrize("api_version", ["3.0", "3.6"])
async def test_earlier_chats_and_the_last_visit_open_with_I(server, tmp_path, monkeypatch, api_version):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    customer = Customer(server.info.base_url, "E" + uuid.uuid4().hex[:5])
    first = customer.start_chat("my old problem")
    agent_call(server, "close_thread", {"chat_id": first})
    other = Customer(server.info.base_url, "O" + uuid.uuid4().hex[:5])  # not this customer's
    agent_call(server, "close_thread", {"chat_id": other.start_chat(customer.name + " mentioned")})
    customer.call("update_customer_page", {"url": LONG_URL, "title": "Order [status]"})
    second = customer.start_chat("a new problem")
    assert second != first
    async with console(server, tmp_path, size=(120, 36), api_version=api_version) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, second)
        panel = screen.query_one("#customer-panel")  # listed in the details pane first
        await wait_for(
            pilot,
            lambda: "Earlier chats (1)" in panel.render_info().plain,
            what="earlier chats in the details pane (the live thread is not one)",
        )
        assert panel.render_info().plain.split("Earlier chats (1)\n")[1].split("\n")[0].endswith(" my old problem")
        out = capture(app)

        await pilot.press("I")  # the visit: read whole, its long URL copied unbroken
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CopyPickerModal", what="picker")
        values = [v for _, v in app.screen.values]
        assert [v.split(" · ")[0] for v in values] == [first, "visit"]
        assert values[0].endswith("my old problem") and values[1].startswith("visit · 1 page")
        await pilot.press("2")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MessageViewerModal", what="visit")
        viewer = app.screen
        assert "Order [status]" in viewer.area.text and f"  {LONG_URL}\n" in viewer.area.text + "\n"
        await pilot.press("slash", *"shop.example", "enter")
        row = viewer.area.cursor_location[0]
        viewer.area.select_line(row)
        await pilot.press("y")
        assert copied(out)[-1].strip() == LONG_URL
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="viewer closed")

        panel.focus()  # the details pane's own key: edit this customer
        await pilot.press("c")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CustomerModal", what="customer form")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="form closed")

        await pilot.press("I")  # an earlier chat: previewed, then opened
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CopyPickerModal", what="picker")
        await pilot.press("1")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ThreadPreviewModal", what="preview")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.current_chat_id == first, what="earlier chat opened")


async def test_no_earlier_chats_reads_none(server, tmp_path):
    customer = Customer(server.info.base_url, "N" + uuid.uuid4().hex[:5])
    customer.start_chat("first time here")
    async with console(server, tmp_path, size=(120, 36), api_version="3.6") as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        panel = screen.query_one("#customer-panel")
        await wait_for(
            pilot, lambda: "Earlier chats: none" in panel.render_info().plain, what="'none' in the details pane"
        )
        assert "Earlier chats (" not in panel.render_info().plain
