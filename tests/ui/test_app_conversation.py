"""Pilot tests: replying, notes, failures, live customer messages, hostile text, drafts."""

from __future__ import annotations

import json
import uuid

from app_harness import (  # noqa: F401  (server is a fixture)
    Customer,
    console,
    events_of,
    idle,
    new_customer,
    open_chat,
    server,
    server_wait,
    type_text,
    wait_for,
)

from lcconsole.ui.widgets.chat_list import ChatList
from lcconsole.ui.widgets.composer import Composer
from lcconsole.ui.widgets.transcript import Transcript


def transcript_text(screen) -> str:
    return "\n".join(e.text for e in screen.query_one(Transcript).entries)


async def test_reply_and_note_reach_the_server(server, tmp_path):
    customer = new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await pilot.press("r")
        await type_text(pilot, "Hello!")
        await pilot.press("ctrl+s")
        composer = screen.query_one(Composer)
        await wait_for(pilot, lambda: composer.text == "", what="composer cleared")
        await pilot.press("escape", "n")
        await type_text(pilot, "psst")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: composer.text == "", what="composer cleared after note")
        await idle(pilot, screen)
    events = events_of(server, customer.chat_id)
    mine = [e for e in events if e.get("author_id") == "agent1@example.com" and e["type"] == "message"]
    assert [(e["text"], e.get("recipients")) for e in mine] == [("Hello!", "all"), ("psst", "agents")]
    assert all(e.get("custom_id", "").startswith("lcc-") for e in mine)


async def test_failed_send_notifies_and_keeps_the_text(server, tmp_path):
    customer = new_customer(server)
    too_long = "x" * (17 * 1024)  # over the 16 KB message limit: refused
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        composer = screen.query_one(Composer)
        composer.text = too_long
        await pilot.press("r", "ctrl+s")
        await wait_for(
            pilot,
            lambda: app._notifications and any(n.severity == "error" for n in app._notifications),
            what="error notification",
        )
        await idle(pilot, screen)
        note = [n for n in app._notifications if n.severity == "error"][-1]
        assert ":" in note.message and note.message.split(":")[0] in ("validation", "entity_too_large")
        assert composer.text == too_long
        assert not screen.outbox.entries
    assert all(e.get("text") != too_long for e in events_of(server, customer.chat_id))


async def test_customer_messages_and_hostile_text_show_literally(server, tmp_path):
    customer = new_customer(server, "first")
    hostile = "[bold red]pwn[/] [@click=app.quit]x[/] \x1b]52;c;ZXZpbA==\x07\x1b[2J\u202eevil"
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        customer.say(hostile)
        transcript = screen.query_one(Transcript)
        await wait_for(
            pilot,
            lambda: any("[@click=app.quit]" in e.text for e in transcript.entries),
            what="customer message in the transcript",
        )
        await pilot.pause(0.05)
        row = screen.query_one(ChatList).items[customer.chat_id]
        assert "[bold red]pwn[/]" in row.preview
        # what is drawn: the markup is shown as typed, the escape sequences are neutralised
        painted = "\n".join(
            "".join(seg.text for seg in transcript.render_line(y)) for y in range(transcript.size.height)
        )
        assert "[bold red]pwn[/] [@click=app.quit]x[/]" in painted
        assert "\x1b" not in painted and "\u202e" not in painted
        assert app.is_running


async def test_draft_survives_switching_and_restart(server, tmp_path):
    one, two = new_customer(server), new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, one.name, one.chat_id)
        await pilot.press("r")
        await type_text(pilot, "half")
        # on disk shortly after typing, before any switch or quit (a kill loses nothing)
        await wait_for(
            pilot,
            lambda: (
                json.loads((tmp_path / "drafts.json").read_text()).get(one.chat_id) == "half"
                if (tmp_path / "drafts.json").exists()
                else False
            ),
            what="draft on disk",
        )
        await open_chat(pilot, screen, two.name, two.chat_id)
        assert screen.query_one(Composer).text == ""
        await open_chat(pilot, screen, one.name, one.chat_id)
        assert screen.query_one(Composer).text == "half"
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, one.name, one.chat_id)
        assert screen.query_one(Composer).text == "half"


async def test_the_draft_marker_goes_once_the_reply_or_note_is_sent(server, tmp_path):
    customer = new_customer(server)
    async with console(server, tmp_path, size=(120, 36)) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        chat_list = screen.query_one(ChatList)
        client = screen.session.client
        original = client.send_event

        async def push_first(**kw):  # the RTM push lands before the answer (as under load)
            answer = await original(**kw)
            await wait_for(
                pilot,
                lambda: any(e.id == answer.event.id for e in screen.store.current_thread(kw["chat_id"]).events),
                what="the push",
            )
            return answer

        client.send_event = push_first
        for key, text in (("r", "reply"), ("n", "psst")):
            await pilot.press("escape", key)
            await type_text(pilot, text)
            await wait_for(pilot, lambda: chat_list.items[customer.chat_id].draft, what="marker on")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: screen.query_one(Composer).text == "", what="sent")
            await idle(pilot, screen)
            assert not chat_list.items[customer.chat_id].draft, f"marker left after the {key} send"
    texts = [e.get("text") for e in events_of(server, customer.chat_id) if e["type"] == "message"]
    assert texts[-2:] == ["reply", "psst"]


async def test_sneak_peek_and_typing_indicators(server, tmp_path, monkeypatch):
    customer = new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        customer.call("send_sneak_peek", {"chat_id": customer.chat_id, "sneak_peek_text": "where is my"})
        transcript = screen.query_one(Transcript)
        await wait_for(pilot, lambda: screen.store.typing.current(customer.chat_id), what="sneak peek")
        painted = "\n".join("".join(s.text for s in transcript.render_line(y)) for y in range(transcript.size.height))
        assert "where is my" in painted
        calls = []
        client = screen.session.client
        original = client.send_typing_indicator

        async def spy(**kw):
            calls.append(kw)
            return await original(**kw)

        monkeypatch.setattr(client, "send_typing_indicator", spy)
        await pilot.press("r", "h", "i")
        await wait_for(pilot, lambda: calls, what="typing indicator sent")
        assert calls[0] == {"chat_id": customer.chat_id, "is_typing": True}


async def test_demo_mode_runs_the_embedded_emulator(tmp_path):
    from lcconsole.config import Settings
    from lcconsole.ui.app import ConsoleApp
    from lcconsole.ui.session import Session

    settings = Settings()  # no token: demo
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
        session = screen.session
        assert session.emulator is not None and session.client.base_url.startswith("http://127.0.0.1:")
        assert "DEMO" in str(screen.query_one("#status").render())
        assert screen.store.me is not None and screen.store.me.id
    assert session.emulator is None  # stopped on exit


async def test_hostile_customer_name_in_title_list_and_panel(server, tmp_path):
    tag = uuid.uuid4().hex[:4]
    name = f"[b]Evil{tag}[/b] [@click=app.quit]\x1b[31m"
    customer = Customer(server.info.base_url, name)
    customer.start_chat("hi")
    async with console(server, tmp_path) as (app, pilot, screen):
        await wait_for(pilot, lambda: customer.chat_id in screen.store.chats)
        await pilot.press("escape", "f4", "slash", *f"Evil{tag}", "enter")
        await wait_for(pilot, lambda: screen.current_chat_id == customer.chat_id, what="opened")
        await pilot.pause(0.1)
        title = str(screen.query_one("#chat-title").render())
        assert f"[b]Evil{tag}[/b] [@click=app.quit]" in title and "\x1b" not in title
        from lcconsole.ui.widgets.chat_list import ChatList

        chat_list = screen.query_one(ChatList)
        painted = "\n".join("".join(s.text for s in chat_list.render_line(y)) for y in range(chat_list.size.height))
        assert f"[b]Evil{tag}" in painted and "\x1b" not in painted
        await pilot.press("c")  # the edit modal shows the name literally too, and nothing ran
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CustomerModal")
        assert app.screen.query_one("#name").value.startswith(f"[b]Evil{tag}[/b]")
        await pilot.press("escape")
        assert app.is_running


async def test_a_new_chat_is_announced_and_listed(server, tmp_path):
    async with console(server, tmp_path) as (app, pilot, screen):
        customer = new_customer(server, "anyone there?")
        await wait_for(pilot, lambda: customer.chat_id in screen.query_one(ChatList).items, what="row")
        await wait_for(pilot, lambda: any(customer.name in n.message for n in app._notifications), what="announcement")
