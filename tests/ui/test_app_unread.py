"""Unread counts are exact: customer messages after my last-seen time, as the API says."""

from __future__ import annotations

import pytest
from app_harness import (
    AGENT2,
    Customer,
    agent_call,
    chat_of,
    console,
    idle,
    server,  # noqa: F401  (a fixture, used by parameter name)
    token_of,
    wait_for,
)

from lcconsole.ui.screens.main import MainScreen


def api_unread(server, chat_id: str) -> int:
    """Customer events after my last-seen time, counted from the API's own answer."""
    chat = chat_of(server, chat_id)
    me = server.info.agents[0]["id"]
    seen = next(u for u in chat["users"] if u["id"] == me)["last_seen_timestamp"]
    customers = {u["id"] for u in chat["users"] if u["type"] == "customer"}
    return sum(
        1
        for t in chat["threads"]
        for e in t["events"]
        if e.get("author_id") in customers and e["timestamp"] > seen and e["type"] != "system_message"
    )


def chat_with_unseen(server, n: int, name: str) -> Customer:
    """A chat of mine with `n` customer messages after my last-seen time, agent messages and
    internal notes of agent2 between them, after a closed earlier thread."""
    me = server.info.agents[0]["id"]
    agent2 = token_of(server, AGENT2)
    customer = Customer(server.info.base_url, name)
    chat_id = customer.chat_id = customer.call("start_chat", {})["chat"]["id"]
    agent_call(
        server,
        "send_event",
        {"chat_id": chat_id, "event": {"type": "message", "text": "an earlier answer", "recipients": "all"}},
        token=agent2,
    )
    agent_call(server, "close_thread", {"chat_id": chat_id})
    customer.say("unseen 1")  # a new thread
    for user in (me, AGENT2):
        agent_call(server, "add_user_to_chat", {"chat_id": chat_id, "user_id": user, "user_type": "agent"})
    first = [e for e in chat_of(server, chat_id)["threads"][-1]["events"] if e["text"] == "unseen 1"][0]
    agent_call(server, "update_last_seen_timestamp", {"chat_id": chat_id, "timestamp": first["timestamp"] - 1})
    for k in range(2, n + 1):
        if k % 3 == 0:
            agent_call(
                server,
                "send_event",
                {"chat_id": chat_id, "event": {"type": "message", "text": f"agent {k}", "recipients": "all"}},
                token=agent2,
            )
        if k % 5 == 0:
            agent_call(
                server,
                "send_event",
                {"chat_id": chat_id, "event": {"type": "message", "text": f"note {k}", "recipients": "agents"}},
                token=agent2,
            )
        customer.say(f"unseen {k}")
    return customer


@pytest.mark.parametrize("n", [1, 4, 200])
async def test_unread_counts_are_exact_from_login_and_live(server, tmp_path, monkeypatch, n):
    monkeypatch.setattr(MainScreen, "open_first_chat", lambda self: None)  # opening marks seen
    customer = chat_with_unseen(server, n, f"Unread{n}")
    chat_id = customer.chat_id
    assert api_unread(server, chat_id) == n
    async with console(server, tmp_path) as (app, pilot, screen):
        rows = screen.query_one("ChatList").items
        await wait_for(
            pilot,
            lambda: chat_id in rows and rows[chat_id].unread == n,
            timeout=10,
            what=f"{n} unread (row says {rows.get(chat_id) and rows[chat_id].unread})",
        )
        assert screen.store.unread_exact(chat_id)
        for k in range(3):
            customer.say(f"live {k}")
        agent_call(
            server,
            "send_event",
            {"chat_id": chat_id, "event": {"type": "message", "text": "a note", "recipients": "agents"}},
            token=token_of(server, AGENT2),
        )
        await wait_for(pilot, lambda: rows[chat_id].unread == n + 3, what="live messages counted")
        assert rows[chat_id].unread == api_unread(server, chat_id)
        await idle(pilot, screen)
