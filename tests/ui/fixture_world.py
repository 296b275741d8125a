"""A deterministic world for snapshots and screenshots: fixed timestamps, frozen clock, no network.

app = fixture_app(theme="textual-dark")
await fill(app)      # once the main screen is up (run_before / screenshots script)
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from lcconsole.config import Settings

os.environ["TZ"] = "UTC"  # transcript times are local times
time.tzset()

NOW = 1_767_000_000  # a fixed "now" (unix seconds)
ME = {"id": "alex@example.com", "type": "agent", "name": "Alex Morgan", "routing_status": "accepting_chats"}
SAM = {"id": "sam@example.com", "type": "agent", "name": "Sam Lee"}

CUSTOMERS = [
    ("Diego Lindqvist", "I can't log in to my account", 780, ["vip"]),
    ("Ingrid O'Brien", "[bold]Order[/bold] #48213 never arrived", 420, []),
    ("Kwame Novak", "Great, that works now 🎉", 95, ["billing"]),
    ("Leila Haddad", "Could you check again?", 40, []),
    ("Nora Kowalski", "Is there a student discount?", 1500, ["sales"]),
    ("Marek Dubois", "Thanks, bye!", 3600, ["shipping"]),
]


def _customer(i: int, name: str) -> dict:
    return {
        "id": f"00000000-0000-4000-8000-00000000000{i}",
        "type": "customer",
        "name": name,
        "email": f"{name.split()[0].lower()}@mail.example",
        "last_visit": {
            "started_at": "2026-12-29T08:00:00.000000Z",
            "ip": "203.0.113.7",
            "geolocation": {"city": "Lisbon", "country": "Portugal", "timezone": "Europe/Lisbon"},
            "last_pages": [
                {
                    "opened_at": "2026-12-29T08:01:00.000000Z",
                    "url": "https://shop.example.com/account",
                    "title": "Your account",
                }
            ],
        },
        "fields": {"plan": "team"},
        "statistics": {"chats_count": 3, "threads_count": 4, "visits_count": 9},
    }


def _events(i: int, name: str, text: str, ago: int) -> list[dict]:
    cid = f"00000000-0000-4000-8000-00000000000{i}"
    t0 = NOW - ago - 300
    events = [
        {
            "id": f"E{i}1",
            "order": 1,
            "type": "message",
            "author_id": cid,
            "timestamp": t0,
            "text": "Hi, I need some help please",
            "recipients": "all",
        },
        {
            "id": f"E{i}2",
            "order": 2,
            "type": "system_message",
            "timestamp": t0 + 10,
            "system_message_type": "agent_joined",
            "text": "%agent% joined the chat",
            "text_vars": {"agent": ME["name"]},
            "recipients": "all",
        },
        {
            "id": f"E{i}3",
            "order": 3,
            "type": "message",
            "author_id": ME["id"],
            "timestamp": t0 + 30,
            "text": "Hello! How can I help you today?",
            "recipients": "all",
        },
        {
            "id": f"E{i}4",
            "order": 4,
            "type": "message",
            "author_id": ME["id"],
            "timestamp": t0 + 40,
            "text": "Customer is on the team plan; check invoices first.",
            "recipients": "agents",
        },
        {
            "id": f"E{i}5",
            "order": 5,
            "type": "file",
            "author_id": cid,
            "timestamp": t0 + 60,
            "name": "screenshot.png",
            "url": "https://files.example.com/att/screenshot.png",
            "content_type": "image/png",
            "size": 48213,
            "width": 640,
            "height": 480,
            "recipients": "all",
        },
        {
            "id": f"E{i}6",
            "order": 6,
            "type": "rich_message",
            "author_id": ME["id"],
            "timestamp": t0 + 90,
            "template_id": "quick_replies",
            "recipients": "all",
            "elements": [
                {
                    "title": "Was this helpful?",
                    "buttons": [
                        {"text": "Yes", "postback_id": "yes", "user_ids": []},
                        {"text": "No", "postback_id": "no", "user_ids": []},
                    ],
                }
            ],
        },
        {
            "id": f"E{i}7",
            "order": 7,
            "type": "message",
            "author_id": cid,
            "timestamp": NOW - ago,
            "text": text,
            "recipients": "all",
        },
    ]
    return events


def chats() -> list[dict]:
    """Full chats (with one thread each) of the fixture world."""
    out = []
    for i, (name, text, ago, tags) in enumerate(CUSTOMERS, start=1):
        customer = _customer(i, name)
        active = i <= 5
        agents = [ME] if i != 4 else [SAM]
        users = [customer, *[{**a, "present": True, "last_seen_timestamp": NOW - ago - 200} for a in agents]]
        if i == 5:
            users = [customer]  # queued
        thread = {
            "id": f"T{i:09d}",
            "order": i,
            "timestamp": NOW - ago - 300,
            "active": active,
            "user_ids": [u["id"] for u in users],
            "tags": tags,
            "events": _events(i, name, text, ago),
            "properties": {"routing": {"start_url": {"value": "https://shop.example.com/"}}},
        }
        out.append(
            {
                "id": f"CHAT{i:06d}",
                "users": users,
                "threads": [thread],
                "properties": {"source": {"type": {"value": "website"}}},
                "access": {"group_ids": [0]},
                "is_followed": i == 4,
            }
        )
    return out


def fixture_app(theme: str = "textual-dark", demo: bool = True) -> Any:
    """The console wired to nothing: no session, a frozen clock, a throwaway data dir."""
    from lcconsole.ui.app import ConsoleApp

    settings = Settings(theme=theme)
    if not demo:
        from lcconsole.config import Secret

        settings.token = Secret("fixture")
    data_dir = Path(tempfile.mkdtemp(prefix="lcc-fixture-"))
    return ConsoleApp(settings, data_dir=data_dir, clock=lambda: float(NOW), connect=False)


async def wait_main(app: Any, pilot: Any = None) -> Any:
    """Wait (bounded) for the main screen."""
    import asyncio

    for _ in range(500):
        if app.main_screen is not None and app.main_screen.is_mounted:
            return app.main_screen
        if pilot is not None:
            await pilot.pause(0.01)
        else:
            await asyncio.sleep(0.01)
    raise AssertionError("main screen did not appear")


async def fill(app: Any, pilot: Any = None, open_index: int = 0) -> Any:
    """Load the fixture world into the store, open one chat, show a connected status."""
    from lcconsole.wire.objects import Chat, MyProfile

    screen = await wait_main(app, pilot)
    store = screen.store
    store.set_profile(MyProfile.model_validate({**ME, "permission": "administrator"}))
    for chat in chats():
        store.merge_chat(Chat.model_validate(chat))
    status = screen.query_one("#status")
    status.state = "connected"
    screen.painter.show_profile()
    chat_id = chats()[open_index]["id"]
    from lcconsole.ui.widgets.chat_list import ChatList

    screen.query_one(ChatList).selected_chat_id = chat_id
    screen.open_chat(chat_id)
    if pilot is not None:
        await pilot.pause()
    return screen
