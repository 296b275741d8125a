"""Pilot tests: bell, desktop notifications (OSC 9 / 777) and the title count, read from the
driver's output while customers write over the emulator's customer API; the typing marker."""

from __future__ import annotations

from app_harness import (  # noqa: F401  (server is a fixture)
    ADMIN,
    AGENT2,
    agent_call,
    console,
    new_customer,
    open_chat,
    server,
    wait_for,
)

from lcconsole.ui.status import StatusBar
from lcconsole.ui.widgets.chat_list import ChatList


def capture(app) -> list[str]:
    out: list[str] = []
    original = app._driver.write
    app._driver.write = lambda data: (out.append(data), original(data))
    return out


def bells(out: list[str]) -> int:
    """Bells outside OSC sequences (each OSC ends in BEL too)."""
    return sum(1 for chunk in out if chunk == "\a")


def titles(out: list[str]) -> list[str]:
    return [c[4:-1] for c in out if c.startswith("\x1b]2;")]


async def test_new_chats_and_messages_in_my_other_chats_ring_once_each(server, tmp_path):
    async with console(server, tmp_path, size=(120, 36)) as (app, pilot, screen):
        out = capture(app)
        status = screen.query_one(StatusBar)
        first = new_customer(server, "hello")
        await wait_for(pilot, lambda: bells(out) == 1, what="bell for the new chat")
        assert screen.store.chats and first.chat_id in screen.notices.attention
        assert any(c.startswith("\x1b]9;lcconsole · new chat: " + first.name) for c in out)
        assert any(c.startswith("\x1b]777;notify;lcconsole · new chat: " + first.name + ";hello") for c in out)
        assert titles(out)[-1] == "lcconsole (1)" and status.attention == 1
        await open_chat(pilot, screen, first.name, first.chat_id)
        assert titles(out)[-1] == "lcconsole" and status.attention == 0
        second = new_customer(server, "me too")
        await wait_for(pilot, lambda: bells(out) == 2, what="bell for the second chat")
        first.say("in the open chat: no bell")
        await wait_for(pilot, lambda: any("no bell" in e.text for e in screen.feed.entries), what="message shown")
        second.say("again")
        await wait_for(pilot, lambda: bells(out) == 3, what="bell for a message in my other chat")
        assert titles(out)[-1] == "lcconsole (1)"
        # another agent's chat: never rings
        agent_call(server, "add_user_to_chat", {"chat_id": second.chat_id, "user_id": AGENT2, "user_type": "agent"})
        agent_call(server, "remove_user_from_chat", {"chat_id": second.chat_id, "user_id": ADMIN, "user_type": "agent"})
        await wait_for(
            pilot,
            lambda: screen.query_one(ChatList).items[second.chat_id].section == "others",
            what="chat moved to another agent",
        )
        second.say("not for me")
        first.say("marker")  # pushes come in order: whatever "not for me" did is done by then
        await wait_for(pilot, lambda: any(e.text == "marker" for e in screen.feed.entries), what="marker")
        assert bells(out) == 3
        assert titles(out)[-1] == "lcconsole" and status.attention == 0
    assert out[-1] == "\x1b[23;0t" or "\x1b[23;0t" in out  # the terminal's title is given back


async def test_notify_table_turns_each_off(server, tmp_path):
    async with console(server, tmp_path, size=(120, 36)) as (app, pilot, screen):
        app.settings.notify.update(bell=False, desktop=False, title=False)
        out = capture(app)
        customer = new_customer(server, "quiet please")
        await wait_for(pilot, lambda: customer.chat_id in screen.notices.attention, what="noticed")
        assert not [c for c in out if c == "\a" or c.startswith(("\x1b]9;", "\x1b]777;", "\x1b]2;"))]
        assert screen.query_one(StatusBar).attention == 1  # the status bar still counts


async def test_customer_typing_marks_the_row_and_the_thread(server, tmp_path):
    async with console(server, tmp_path, size=(120, 36)) as (app, pilot, screen):
        customer = new_customer(server, "hi")
        other = new_customer(server, "me too")
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        chat_list = screen.query_one(ChatList)
        other.call("send_typing_indicator", {"chat_id": other.chat_id, "is_typing": True})
        await wait_for(pilot, lambda: chat_list.items[other.chat_id].typing, what="row marker")
        customer.call("send_sneak_peek", {"chat_id": customer.chat_id, "sneak_peek_text": "I want"})
        await wait_for(pilot, lambda: screen.query_one("#transcript")._typing, what="typing line")
        assert screen.query_one("#transcript")._typing.endswith("is typing… I want")
        assert chat_list.items[customer.chat_id].typing


async def test_away_status_toggles_over_rtm_and_shows_beside_routing(server, tmp_path):
    engine = server.app.state.hub.engine

    def away():
        return server.call(lambda: engine.conn.execute("SELECT away FROM agents WHERE id=?", (ADMIN,)).fetchone()[0])

    async with console(server, tmp_path, size=(120, 36)) as (app, pilot, screen):
        status = screen.query_one(StatusBar)
        assert away() == 0
        await pilot.press("alt+w")
        await wait_for(pilot, lambda: status.away, what="away shown")
        assert away() == 1
        assert "accepting chats ·  away " in str(status.render())
        await pilot.press("alt+w")
        await wait_for(pilot, lambda: not status.away, what="back")
        assert away() == 0
