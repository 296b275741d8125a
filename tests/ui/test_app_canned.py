"""Pilot tests: canned responses from the config, `#` completion and the picker, slots filled from
a real chat (customer, agent, property), unfilled slots kept visible and never sent silently."""

from __future__ import annotations

import uuid

from app_harness import (  # noqa: F401  (server is a fixture)
    Customer,
    agent_call,
    console,
    events_of,
    idle,
    open_chat,
    server,
    wait_for,
)

from lcconsole.ui.canned import fill
from lcconsole.ui.widgets.composer import Composer

CANNED = {
    "greeting": "Hi {customer.name}, I'm {agent.name}. How can I help?",
    "order": "Your order {property.shop.order} ({chat.id}) is on its way.",
    "gone": "Reach us at {customer.phone}.",
}


def test_fill_reports_what_it_could_not_fill():
    assert fill("{a} and {b} and {a}", {"a": "x"}) == ("x and {b} and x", ["{b}"])
    assert fill("no slots {}", {}) == ("no slots {}", [])


def my_messages(server, chat_id):
    return [
        e["text"]
        for e in events_of(server, chat_id)
        if e["type"] == "message" and e.get("author_id") == "agent1@example.com"
    ]


async def test_hash_completion_picker_and_unfilled_slots(server, tmp_path):
    customer = Customer(server.info.base_url, "K" + uuid.uuid4().hex[:5])
    customer.start_chat("hello")
    agent_call(
        server, "update_chat_properties", {"chat_id": customer.chat_id, "properties": {"shop": {"order": "A-17"}}}
    )
    async with console(server, tmp_path, size=(120, 36)) as (app, pilot, screen):
        app.settings.canned.update(CANNED)
        composer = screen.query_one(Composer)
        composer.canned = dict(CANNED)
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        me = screen.store.me.name
        await pilot.press("r", *"#gre")
        assert "#greeting" in str(composer.query_one("#composer-mode").render())
        await pilot.press("tab")
        assert composer.text == f"Hi {customer.name}, I'm {me}. How can I help?"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: composer.text == "", what="sent")
        # the picker, filtered by typing; a chat property fills its slot
        await wait_for(
            pilot, lambda: screen.store.chats[customer.chat_id].properties is not None, what="chat properties"
        )
        await pilot.press(*"Note: ", "ctrl+t")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CannedPickerModal", what="picker")
        await pilot.press(*"ord", "enter")
        await wait_for(pilot, lambda: app.screen is screen, what="picker closed")
        assert composer.text == f"Note: Your order A-17 ({customer.chat_id}) is on its way."
        composer.text = ""
        # an unfilled slot stays visible and the first send is refused with a warning
        await pilot.press(*"#gone", "tab")
        assert composer.text == "Reach us at {customer.phone}."
        await pilot.press("ctrl+s")
        await idle(pilot, screen)
        assert composer.text == "Reach us at {customer.phone}."
        assert any("unfilled {customer.phone}" in n.message for n in app._notifications)
        await pilot.press("ctrl+s")  # sent as it is, knowingly
        await wait_for(pilot, lambda: composer.text == "", what="sent the second time")
        await idle(pilot, screen)
    assert my_messages(server, customer.chat_id) == [
        f"Hi {customer.name}, I'm {me}. How can I help?",
        "Reach us at {customer.phone}.",
    ]
