"""Rows no push keeps current (another agent's chat I neither joined nor follow): read again at
most once a minute while on screen and focused, and marked "as of" when older than that."""

from __future__ import annotations

import time

from app_harness import AGENT2, Customer, agent_call, console, idle, server, token_of, wait_for  # noqa: F401  (fixtures, used by parameter name)

from lcconsole.ui.widgets.chat_list import ChatList


def row_text(chat_list: ChatList, chat_id: str) -> str:
    return "\n".join(strip.text for strip in chat_list._row_strips(chat_list.items[chat_id], 60))


async def test_quiet_rows_are_read_again_or_say_how_old_they_are(server, tmp_path):
    customer = Customer(server.info.base_url, "Quietus")
    chat_id = customer.start_chat("first words")
    agent_call(
        server,
        "add_user_to_chat",
        {"chat_id": chat_id, "user_id": AGENT2, "user_type": "agent"},
        token=token_of(server, AGENT2),
    )
    now = [time.time()]
    async with console(server, tmp_path, clock=lambda: now[0]) as (app, pilot, screen):
        chat_list = screen.query_one(ChatList)
        rows = chat_list.items
        await wait_for(pilot, lambda: chat_id in rows and rows[chat_id].section == "others", what="others row")
        await idle(pilot, screen)  # the chat opened at start-up was read
        read_at = now[0]
        calls: list[dict] = []
        client = screen.session.client
        fetch = client.get_chats_summary

        async def counted(**kwargs):
            calls.append(kwargs)
            return await fetch(**kwargs)

        client.get_chats_summary = counted
        customer.say("newer words")  # no push reaches an agent outside the chat
        await pilot.pause(0.3)
        assert (rows[chat_id].preview, rows[chat_id].as_of) == ("first words", None)

        # terminal without focus: nothing is read, but the row says since when it is known
        app.app_focus = False
        now[0] += 61
        await wait_for(pilot, lambda: rows[chat_id].as_of is not None, what="as-of mark")
        assert rows[chat_id].preview == "first words" and not calls
        assert abs(rows[chat_id].as_of - read_at) < 5
        assert "as of " + time.strftime("%H:%M", time.localtime(rows[chat_id].as_of)) in row_text(chat_list, chat_id)

        # focused again: one page is read, the row is current and the mark is gone
        app.app_focus = True
        await wait_for(
            pilot, lambda: rows[chat_id].preview == "newer words" and rows[chat_id].as_of is None, what="refreshed row"
        )
        assert len(calls) == 1
        assert "as of" not in row_text(chat_list, chat_id)

        # at most once a minute
        now[0] += 30
        await pilot.pause(1.5)
        assert len(calls) == 1
        now[0] += 31
        await wait_for(pilot, lambda: len(calls) == 2, what="second refresh")


async def test_rows_kept_current_by_pushes_are_never_marked(server, tmp_path):
    """My own chats get every push: however long ago they were read, no "as of"."""
    customer = Customer(server.info.base_url, "Pushy")
    chat_id = customer.start_chat("hello")
    now = [time.time()]
    async with console(server, tmp_path, clock=lambda: now[0]) as (app, pilot, screen):
        rows = screen.query_one(ChatList).items
        await wait_for(pilot, lambda: chat_id in rows, what="row")
        agent_call(
            server,
            "add_user_to_chat",
            {"chat_id": chat_id, "user_id": server.info.agents[0]["id"], "user_type": "agent"},
        )
        await wait_for(pilot, lambda: rows[chat_id].section == "mine", what="mine")
        now[0] += 600
        customer.say("still here")
        await wait_for(pilot, lambda: rows[chat_id].preview == "still here", what="pushed message")
        await pilot.pause(1.5)
        assert rows[chat_id].as_of is None
