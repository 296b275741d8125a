"""The console's core actions in both API versions, against the embedded emulator.

Each action is done with keys through the console speaking `version`, and its result is read
back through the Web API *in that version* (v3.6: `get_chat`, `visibility`, …).
"""

from __future__ import annotations

import pytest
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
    type_text,
    wait_for,
)

from lcconsole.ui.controllers.screen_view import current_tags
from lcconsole.ui.widgets.chat_list import ChatList
from lcconsole.ui.widgets.composer import Composer

pytestmark = pytest.mark.parametrize("version", ["3.0", "3.6"])


def chat_now(server, version: str, chat_id: str) -> dict:
    """The chat with its latest thread as `thread`, read in `version`."""
    if version == "3.6":
        return agent_call(server, "get_chat", {"chat_id": chat_id}, version=version)
    chat = agent_call(server, "get_chat_threads", {"chat_id": chat_id}, version=version)["chat"]
    return {**chat, "thread": chat["threads"][-1]}


def visibility(event: dict, version: str) -> str | None:
    return event.get("visibility" if version == "3.6" else "recipients")


def mine(server, version, customer) -> Customer:
    """A chat of the customer with me as its agent."""
    agent_call(server, "add_user_to_chat", {"chat_id": customer.chat_id, "user_id": ADMIN, "user_type": "agent"})
    return customer


async def test_session_speaks_the_version(server, tmp_path, version):
    customer = new_customer(server)
    async with console(server, tmp_path, api_version=version) as (app, pilot, screen):
        await wait_for(pilot, lambda: customer.chat_id in screen.store.chats, what="listed")
        assert screen.session.gateway.version == version
        assert screen.session.client.dialect.version == version


async def test_take_a_queued_chat(server, tmp_path, version):
    customer = new_customer(server, "anyone there?")  # nobody logged in: queued
    async with console(server, tmp_path, api_version=version) as (app, pilot, screen):
        chat_list = screen.query_one(ChatList)
        await wait_for(pilot, lambda: customer.chat_id in chat_list.items, what="listed")
        assert chat_list.items[customer.chat_id].section == "queued"
        chat_list.focus()
        chat_list.selected_chat_id = customer.chat_id
        await pilot.press("a")
        await idle(pilot, screen)
        await wait_for(pilot, lambda: chat_list.items[customer.chat_id].section == "mine", what="My chats")
    assert ADMIN in chat_now(server, version, customer.chat_id)["thread"]["user_ids"]


async def test_reply_and_note(server, tmp_path, version):
    customer = mine(server, version, new_customer(server))
    async with console(server, tmp_path, api_version=version) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        composer = screen.query_one(Composer)
        await pilot.press("r")
        await type_text(pilot, "Hello!")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: composer.text == "", what="composer cleared")
        await pilot.press("escape", "n")
        await type_text(pilot, "psst")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: composer.text == "", what="composer cleared after note")
        await idle(pilot, screen)
        await wait_for(pilot, lambda: not screen.outbox.entries, what="outbox empty")

        def texts() -> list[str | None]:
            return [getattr(e, "text", None) for t in screen.store.loaded_threads(customer.chat_id) for e in t.events]

        await wait_for(pilot, lambda: {"Hello!", "psst"} <= set(texts()), what="both in the store")
    events = chat_now(server, version, customer.chat_id)["thread"]["events"]
    sent = [e for e in events if e.get("author_id") == ADMIN and e["type"] == "message"]
    assert [(e["text"], visibility(e, version)) for e in sent] == [("Hello!", "all"), ("psst", "agents")]
    assert all(e.get("custom_id", "").startswith("lcc-") for e in sent)


async def test_tag_and_untag(server, tmp_path, version):
    customer = mine(server, version, new_customer(server))
    async with console(server, tmp_path, api_version=version) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await pilot.press("l")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TagModal")
        await type_text(pilot, "vip")
        await pilot.press("ctrl+s")
        await idle(pilot, screen)  # (the modal's answer may start the worker after this returns)
        await wait_for(
            pilot, lambda: chat_now(server, version, customer.chat_id)["thread"].get("tags") == ["vip"], what="tagged"
        )
        await wait_for(
            pilot, lambda: current_tags(screen.store, screen.current_chat_id) == ["vip"], what="tag in the store"
        )
        await pilot.press("L")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TagModal")
        await pilot.press("ctrl+s")
        await idle(pilot, screen)
        await wait_for(
            pilot, lambda: current_tags(screen.store, screen.current_chat_id) == [], what="untagged in the store"
        )
    assert chat_now(server, version, customer.chat_id)["thread"].get("tags", []) == []


async def test_follow_and_unfollow(server, tmp_path, version):
    customer = new_customer(server)  # queued: not mine
    async with console(server, tmp_path, api_version=version) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await pilot.press("f")
        await idle(pilot, screen)
        assert chat_now(server, version, customer.chat_id)["is_followed"] is True
        await pilot.press("F")
        await idle(pilot, screen)
    assert chat_now(server, version, customer.chat_id)["is_followed"] is False


async def test_transfer_to_another_agent(server, tmp_path, version):
    other = new_customer(server)  # a chat of agent2's, so the console knows agent2
    agent_call(server, "add_user_to_chat", {"chat_id": other.chat_id, "user_id": AGENT2, "user_type": "agent"})
    customer = new_customer(server)
    async with console(server, tmp_path, api_version=version) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await pilot.press("t")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TransferModal")
        app.screen.query_one("#force").focus()
        await pilot.press("space", "ctrl+s")  # agent2 is offline: only a forced transfer works
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen", what="the modal closed")
        await idle(pilot, screen)

        def transferred() -> bool:
            chat = chat_now(server, version, customer.chat_id)
            return AGENT2 in {u["id"] for u in chat["users"]} and AGENT2 in chat["thread"]["user_ids"]

        await wait_for(pilot, transferred, what="transferred on the server")


async def test_close_asks_first(server, tmp_path, version):
    customer = mine(server, version, new_customer(server))
    async with console(server, tmp_path, api_version=version) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await pilot.press("x")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmModal", what="confirmation")
        await pilot.press("y")
        await idle(pilot, screen)
        await wait_for(
            pilot,
            lambda: screen.store.chats[customer.chat_id].last_thread_summary.active is False,
            what="closed in the store",
        )
    assert chat_now(server, version, customer.chat_id)["thread"]["active"] is False


async def test_attach_a_file(server, tmp_path, version, monkeypatch):
    customer = mine(server, version, new_customer(server))
    path = tmp_path / "notes.txt"
    path.write_text("attached content")
    monkeypatch.chdir(tmp_path)  # the modal resolves relative paths against the cwd
    async with console(server, tmp_path, api_version=version) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AttachModal")
        await type_text(pilot, path.name)
        await pilot.press("ctrl+s")
        await idle(pilot, screen)
        await wait_for(pilot, lambda: not screen.outbox.entries, what="outbox empty")

        def files() -> list:
            return [e for t in screen.store.loaded_threads(customer.chat_id) for e in t.events if e.type == "file"]

        await wait_for(pilot, files, what="file event in the store")
    sent = [e for e in chat_now(server, version, customer.chat_id)["thread"]["events"] if e["type"] == "file"]
    assert [f["name"] for f in sent] == ["notes.txt"] and sent[0]["url"].startswith("http://127.0.0.1")


async def test_demo_world_in_the_version(tmp_path, version):
    from lcconsole.config import Settings
    from lcconsole.ui.app import ConsoleApp
    from lcconsole.ui.session import Session

    settings = Settings(api_version=version)  # no token: demo
    app = ConsoleApp(settings, data_dir=tmp_path, session=Session(settings, simulate=False))
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await wait_for(
            pilot,
            lambda: (
                app.main_screen
                if app.main_screen and app.main_screen.session_ready and app.main_screen.store.chats
                else None
            ),
            timeout=15,
            what="demo world",
        )
        await wait_for(pilot, lambda: screen.synced, timeout=15, what="resync")
        assert screen.session.gateway.version == version and "DEMO" in str(screen.query_one("#status").render())
        chat_id = next(cid for cid, s in screen.store.chats.items() if s.last_event_per_type)
        screen.open_chat(chat_id)
        await wait_for(pilot, lambda: screen.store.loaded_threads(chat_id), what="a demo chat's thread")
        events = [e for t in screen.store.loaded_threads(chat_id) for e in t.events]
        assert events and all(e.order and e.timestamp for e in events if e.id)
