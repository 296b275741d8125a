"""Pilot tests of what only a v3.6 connection has, worked with keys against the embedded emulator
in v3.6 and read back through the v3.6 API: the AI thread summary, thinking indicators both ways,
the transfer picker fed by the server's candidates, the visitors view (start a chat with one),
and the actions v3.6 removed hidden (footer, palette, help, keys)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from pathlib import Path

from app_harness import (  # noqa: F401  (server is a fixture)
    ADMIN,
    AGENT2,
    Customer,
    agent_call,
    console,
    idle,
    new_customer,
    open_chat,
    server,
    token_of,
    type_text,
    wait_for,
)

from lcconsole.ui.keymap import BY_ID
from lcconsole.ui.widgets.transcript import Transcript


def call36(server, action: str, payload: dict, agent_id: str = ADMIN):
    """A v3.6 Web API call as `agent_id` (the results the console's actions are checked against)."""
    return agent_call(server, action, payload, token=token_of(server, agent_id), version="3.6")


@contextlib.asynccontextmanager
async def console36(server, data_dir: Path, size: tuple[int, int] = (160, 48), agent_id: str = ADMIN):
    """The console connected to `server` in API v3.6 as `agent_id`, main screen ready and resynced."""
    async with console(server, data_dir, size, token=token_of(server, agent_id), api_version="3.6") as (
        app,
        pilot,
        screen,
    ):
        assert screen.session.gateway.version == "3.6"
        yield app, pilot, screen


@contextlib.asynccontextmanager
async def agent2_socket(server):
    """Agent 2 logged in over RTM v3.6 (present, so a transfer candidate), collecting pushes."""
    from lcconsole.rtm import RtmConnection

    rtm = RtmConnection(server.info.base_url, token_of(server, AGENT2), version="3.6")
    await rtm.start()
    pushes: list = []

    async def collect() -> None:
        async for push in rtm.pushes():
            pushes.append(push)

    task = asyncio.create_task(collect())
    try:
        yield pushes
    finally:
        task.cancel()
        await rtm.close()


def summary_entries(screen) -> list:
    return [e for e in screen.query_one(Transcript).entries if e.kind == "summary"]


async def test_summary_and_thinking_both_ways(server, tmp_path):
    customer = new_customer(server, "I want a refund for order 42")
    customer.say("It arrived broken")
    for agent in (ADMIN, AGENT2):  # v3.6: only chat members may show a thinking indicator
        call36(
            server,
            "add_user_to_chat",
            {
                "chat_id": customer.chat_id,
                "user_id": agent,
                "user_type": "agent",
                "visibility": "all",
                "ignore_requester_presence": True,
            },
        )
    async with agent2_socket(server) as agent2_pushes, console36(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await pilot.press("z")  # AI summary of the current thread
        entries = await wait_for(pilot, lambda: summary_entries(screen), what="summary in the thread")
        thread = call36(server, "get_chat", {"chat_id": customer.chat_id})["thread"]
        assert thread["summary"]["status"] == "ok"
        assert entries[-1].text == thread["summary"]["text"] and "refund for order 42" in entries[-1].text
        assert len(summary_entries(screen)) == 1  # the system event and the summary push: shown once
        system = [e for e in thread["events"] if e["type"] == "system"]
        assert system and system[-1]["subtype"] == "summary"

        await pilot.press("T")  # a thinking indicator to the chat
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ThinkingModal", what="thinking modal")
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "Checking stock")
        await pilot.press("enter")
        await idle(pilot, screen)
        pushed = await wait_for(
            pilot,
            lambda: [p for p in agent2_pushes if getattr(p, "action", "") == "incoming_thinking_indicator"],
            what="agent 2 got the thinking indicator",
        )
        assert (pushed[-1].author_id, pushed[-1].title, pushed[-1].chat_id) == (
            ADMIN,
            "Checking stock",
            customer.chat_id,
        )

        call36(
            server,
            "send_thinking_indicator",
            {"chat_id": customer.chat_id, "title": "Looking up [b]orders[/b]"},
            agent_id=AGENT2,
        )  # shown like typing, literally
        transcript = screen.query_one(Transcript)
        await wait_for(
            pilot,
            lambda: transcript._typing and "is thinking… Looking up [b]orders[/b]" in transcript._typing,
            what="thinking line",
        )


async def test_transfer_picker_shows_candidates_with_their_active_chats(server, tmp_path):
    customer = new_customer(server, "please transfer me")
    async with agent2_socket(server), console36(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        candidates = call36(server, "list_agents_for_transfer", {"chat_id": customer.chat_id})
        assert AGENT2 in [c["agent_id"] for c in candidates]
        await pilot.press("t")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TransferModal", what="transfer picker")
        modal = app.screen
        labels = [str(o.prompt) for o in modal.query_one("#targets").options]
        expected = [c for c in candidates if c["agent_id"] != ADMIN]
        assert len(labels) == len(expected)
        for label, candidate in zip(labels, expected, strict=True):
            count = candidate["total_active_chats"]
            assert candidate["agent_id"] in label and f"{count} active chat{'' if count == 1 else 's'}" in label
        modal.query_one("#targets").focus()
        await pilot.press(*["down"] * modal._values.index(AGENT2), "ctrl+s")
        await idle(pilot, screen)
    chat = call36(server, "get_chat", {"chat_id": customer.chat_id})
    assert AGENT2 in {u["id"] for u in chat["users"] if u["type"] == "agent"}


async def test_visitors_view_is_live_and_starts_a_chat(server, tmp_path):
    visitor = Customer(server.info.base_url, "Walker" + uuid.uuid4().hex[:4])  # on the site, no chat
    visitor.call("update_customer_page", {"url": "https://shop.example.com/shoes", "title": "Shoes [sale]"})
    async with console36(server, tmp_path) as (app, pilot, screen):
        await pilot.press("escape", "f4", "V")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "VisitorsModal", what="visitors")
        modal = app.screen

        def row_of(name: str) -> str:
            return next((str(o.prompt) for o in modal.query_one("#targets").options if name in str(o.prompt)), "")

        await wait_for(
            pilot,
            lambda: "Shoes [sale] — https://shop.example.com/shoes" in row_of(visitor.name),
            what="the visitor and their page",
        )
        visitor.call("update_customer_page", {"url": "https://shop.example.com/checkout", "title": "Checkout"})
        await wait_for(
            pilot,
            lambda: "Checkout — https://shop.example.com/checkout" in row_of(visitor.name),
            what="the list follows the visitor",
        )
        modal.query_one("#targets").focus()
        names = [v.customer.name for v in modal.visitors]
        await pilot.press(*["down"] * names.index(visitor.name), "enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StartChatModal", what="start chat")
        assert app.screen.selected_customer().id == visitor.id
        await type_text(pilot, "Hi! Can I help with your order?")
        await pilot.press("enter")
        await idle(pilot, screen)
        chat_id = await wait_for(
            pilot,
            lambda: (
                screen.current_chat_id
                if screen.current_chat_id
                and screen.store.customer_of(screen.current_chat_id)
                and screen.store.customer_of(screen.current_chat_id).id == visitor.id
                else None
            ),
            what="the new chat opened",
        )
    events = call36(server, "get_chat", {"chat_id": chat_id})["thread"]["events"]
    assert [e["text"] for e in events if e["type"] == "message"] == ["Hi! Can I help with your order?"]


async def test_a_deleted_event_stays_shown_as_deleted(server, tmp_path):
    customer = new_customer(server, "my card is 4111 1111")
    customer.say("sorry, ignore that")
    call36(
        server,
        "add_user_to_chat",
        {
            "chat_id": customer.chat_id,
            "user_id": AGENT2,
            "user_type": "agent",
            "visibility": "all",
            "ignore_requester_presence": True,
        },
    )
    thread = call36(server, "get_chat", {"chat_id": customer.chat_id}, agent_id=AGENT2)["thread"]
    secret = next(e for e in thread["events"] if e.get("text") == "my card is 4111 1111")
    async with console36(server, tmp_path, agent_id=AGENT2) as (app, pilot, screen):  # a normal agent
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        transcript = screen.query_one(Transcript)
        assert any(e.text == "my card is 4111 1111" for e in transcript.entries)
        resp = customer.http.post(
            "/v3.6/customer/action/delete_event",
            json={"chat_id": customer.chat_id, "thread_id": thread["id"], "event_id": secret["id"]},
            headers={"Authorization": f"Bearer {customer.token}"},
        )
        assert resp.status_code == 200, resp.text
        entry = await wait_for(
            pilot,
            lambda: next((e for e in transcript.entries if e.key == secret["id"] and e.kind == "deleted"), None),
            what="shown as deleted",
        )
        assert entry.text == "(deleted message)" and entry.author == customer.name
        assert not any("4111" in e.text for e in transcript.entries)
        assert [e.text for e in transcript.entries][-1] == "sorry, ignore that"  # in its place
    stub = next(
        e
        for e in call36(server, "get_chat", {"chat_id": customer.chat_id}, agent_id=AGENT2)["thread"]["events"]
        if e["id"] == secret["id"]
    )
    assert stub["deleted"] is True and "text" not in stub


async def test_removed_actions_are_hidden_and_new_ones_offered(server, tmp_path):
    from lcconsole.ui.screens.help import HelpScreen, keymap_table

    customer = new_customer(server)
    async with console36(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        for binding_id in (
            "chat.access_grant",
            "chat.access_revoke",
            "chat.access_set",
            "app.customers",
            "customer.create",
        ):
            assert screen.check_action(BY_ID[binding_id].action.split("(")[0], ()) is False
        for binding_id in ("chat.summary", "chat.thinking", "app.visitors"):
            assert screen.check_action(BY_ID[binding_id].action.split("(")[0], ()) is True
        await pilot.press("alt+g", "K", "C")  # keys of removed actions do nothing
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("f1")
        help_screen = await wait_for(pilot, lambda: app.screen if isinstance(app.screen, HelpScreen) else None)
        shown = _text(keymap_table(help_screen.overrides, help_screen.panes, help_screen.capabilities))
        assert "chat.summary" in shown and "app.visitors" in shown
        assert "chat.access_grant" not in shown and "customer.create" not in shown
        await pilot.press("escape")
        titles = [title for spec, title in _palette_entries(app)]
        assert any(t.startswith("AI summary") for t in titles) and any(t.startswith("Visitors") for t in titles)
        assert not any(t.startswith(("Grant access", "New customer", "Customers ")) for t in titles)


def _text(renderable) -> str:
    import io

    from rich.console import Console

    console = Console(width=250, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def _palette_entries(app):
    from lcconsole.ui.commands import ConsoleCommands

    provider = ConsoleCommands(app.screen)
    return list(provider._entries())


async def test_v30_connection_hides_the_v36_only_actions(server, tmp_path):
    customer = new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        for binding_id in ("chat.summary", "chat.thinking", "app.visitors"):
            assert screen.check_action(BY_ID[binding_id].action.split("(")[0], ()) is False
        assert screen.check_action("access", ("grant",)) is True
        await pilot.press("z", "T", "V")
        await pilot.pause()
        assert app.screen is screen and not summary_entries(screen)
        titles = [title for spec, title in _palette_entries(app)]
        assert not any(t.startswith(("AI summary", "Visitors", "Thinking")) for t in titles)
