"""Issue 9: every message goes where the agent meant it — composer mode per chat, key bursts
applied in order, explicit reading, no irreversible single key, form type-ahead.

Bursts are fed the way a pty delivers them: every key event is queued before the app handles
the first (`burst`), or raw terminal bytes are parsed in one read (`feed`).
"""

from __future__ import annotations

import json
import uuid

from app_harness import (  # noqa: F401  (server is a fixture)
    ADMIN,
    agent_call,
    console,
    events_of,
    idle,
    new_customer,
    open_chat,
    server,
    wait_for,
)
from textual import events
from textual._xterm_parser import XTermParser  # the parser Textual's own Linux driver uses

from lcconsole.ui.terminal_input import KeyReader
from lcconsole.ui.widgets.chat_list import ChatList
from lcconsole.ui.widgets.composer import Composer
from lcconsole.ui.widgets.transcript import Transcript

CHARS = {"escape": "\x1b", "space": " ", "enter": "\r", "tab": "\t"}


async def settle(pilot, app) -> None:
    """Until the key gate holds nothing and the app had a few idle turns."""
    await wait_for(pilot, lambda: not app.keygate.holding and app.keygate._pending is None, what="held keys replayed")
    for _ in range(3):
        await pilot.pause()


async def burst(pilot, *keys: str) -> None:
    """Queue every key before the app handles the first (one read from a pty)."""
    app = pilot.app
    for key in keys:
        char = CHARS.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, char))
    await settle(pilot, app)


async def feed(pilot, data: str) -> None:
    """Raw terminal input, read in one read as the console's terminal driver does."""
    app = pilot.app
    reader = KeyReader(XTermParser())
    for event in [*reader.feed(data), *reader.parser.feed("")]:
        event.set_sender(app)  # as the driver does
        app.post_message(event)
    await settle(pilot, app)


def my_messages(server, chat_id):
    return [
        (e["text"], e.get("recipients"))
        for e in events_of(server, chat_id)
        if e.get("author_id") == ADMIN and e["type"] == "message"
    ]


async def test_note_in_one_chat_then_reply_in_another_reaches_the_customer(server, tmp_path):
    one, two = new_customer(server), new_customer(server, "where is my order?")
    async with console(server, tmp_path) as (app, pilot, screen):
        composer = screen.query_one(Composer)
        await open_chat(pilot, screen, one.name, one.chat_id)
        await burst(pilot, "n", *"internal: check", "ctrl+s")
        await wait_for(pilot, lambda: composer.text == "", what="note sent")
        await open_chat(pilot, screen, two.name, two.chat_id)
        assert composer.mode == "customer"  # the note mode stayed with chat one
        await burst(pilot, "r", *"Hi Nora", "ctrl+s")
        await wait_for(pilot, lambda: composer.text == "", what="reply sent")
        await idle(pilot, screen)
        assert str(composer.border_title) == f"To {two.name}"
        await open_chat(pilot, screen, one.name, one.chat_id)
        assert composer.mode == "note" and composer.has_class("-note")
        assert str(composer.border_title) == "Note — agents only"
        await burst(pilot, "r")  # r always means "to the customer"
        assert composer.mode == "customer" and not composer.has_class("-note")
    assert my_messages(server, one.chat_id) == [("internal: check", "agents")]
    assert my_messages(server, two.chat_id) == [("Hi Nora", "all")]


async def test_a_note_is_no_answer_in_the_list(server, tmp_path):
    customer = new_customer(server, "still waiting")
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)

        def row():
            return screen.query_one(ChatList).items[customer.chat_id]

        waiting = row().waiting_since
        assert waiting is not None
        await burst(pilot, "n", *"check with billing", "ctrl+s")
        await wait_for(pilot, lambda: "check with billing" in row().preview, what="note in preview")
        await idle(pilot, screen)
        assert row().preview == "Note (you): check with billing"
        assert row().waiting_since == waiting  # the customer still waits
        await burst(pilot, "escape", "r", *"On it", "ctrl+s")
        await wait_for(pilot, lambda: row().waiting_since is None, what="an answer ends the wait")
        assert row().preview == "You: On it"


async def test_escape_j_burst_in_the_composer_moves_the_list(server, tmp_path):
    _other, second = new_customer(server), new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, second.name, second.chat_id)
        chat_list, composer = screen.query_one(ChatList), screen.query_one(Composer)
        await pilot.press("escape", "slash", "ctrl+u", "escape")  # no filter: every chat listed
        ids = chat_list.visible_ids
        down = ids.index(second.chat_id) + 1 < len(ids)
        await burst(pilot, "r", *"Hi", "escape", "j" if down else "k")
        moved = screen.current_chat_id
        assert screen.drafts.get(second.chat_id) == "Hi"  # no stray j in the draft
        assert app.focused is chat_list and moved != second.chat_id
        assert composer.text == screen.drafts.get(moved)
        # Esc k from a real terminal arrives as ESC k in one read (alt+k): still Esc, then k
        await feed(pilot, "r!\x1b" + ("k" if down else "j"))
        assert screen.drafts.get(moved).endswith("!")
        assert app.focused is chat_list and screen.current_chat_id != moved


async def test_escape_f4_j_then_reply_goes_to_the_next_chat(server, tmp_path):
    a, _other = new_customer(server), new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await pilot.press("escape", "slash", *a.name[:1], "ctrl+u", "escape")
        await open_chat(pilot, screen, a.name, a.chat_id)
        await pilot.press("slash", "ctrl+u", "escape")  # clear the filter: both chats listed
        chat_list = screen.query_one(ChatList)
        ids = chat_list.visible_ids
        here = ids.index(a.chat_id)
        step = "j" if here + 1 < len(ids) else "k"
        target = ids[here + 1] if step == "j" else ids[here - 1]
        await burst(pilot, "r", "escape", "f4", step, "r", *"Hello", "ctrl+s")
        await wait_for(pilot, lambda: screen.query_one(Composer).text == "", what="sent")
        await idle(pilot, screen)
        # F4 from the composer, and the reply went to the chat the cursor moved to
        assert screen.current_chat_id == target
        await feed(pilot, "\x1b\x1bOS")  # Esc F4 from a terminal, one read
        assert app.focused is chat_list
    assert ("Hello", "all") in my_messages(server, target)
    assert ("Hello", "all") not in my_messages(server, a.chat_id)


async def test_escape_goes_back_where_the_agent_came_from(server, tmp_path):
    customer = new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        chat_list, transcript = screen.query_one(ChatList), screen.query_one(Transcript)
        await burst(pilot, "enter")  # opened from the list: the composer
        assert screen.in_composer()
        await burst(pilot, "escape")
        assert app.focused is chat_list
        transcript.focus()
        await burst(pilot, "r", "escape")
        assert app.focused is transcript
        await burst(pilot, "q")  # q: one level back from the transcript
        assert app.focused is chat_list
        await burst(pilot, "r", *"q", "f4")  # q is text in the composer; F4 works from it
        assert screen.query_one(Composer).text == "q" and app.focused is chat_list


async def test_cursor_moves_do_not_read_chats_enter_and_m_do_n_unreads(server, tmp_path):
    chats = [new_customer(server) for _ in range(3)]
    ids = {c.chat_id for c in chats}
    for chat_id in ids:  # my chats
        agent_call(server, "add_user_to_chat", {"chat_id": chat_id, "user_id": ADMIN, "user_type": "agent"})
    engine = server.app.state.hub.engine

    def last_seen(chat_id):
        row = server.call(
            lambda: engine.conn.execute(
                "SELECT last_seen FROM chat_users WHERE chat_id=? AND user_id=?", (chat_id, ADMIN)
            ).fetchone()
        )
        return (row[0] or 0) if row else 0

    async with console(server, tmp_path) as (app, pilot, screen):
        chat_list = screen.query_one(ChatList)
        await wait_for(pilot, lambda: ids <= set(chat_list.items), what="chats listed")
        before = {cid: last_seen(cid) for cid in ids}
        chat_list.focus()
        await burst(pilot, "g", "j", "j", "j", "k", "G", "g")
        await pilot.press("j", "j", "j")
        await idle(pilot, screen)
        for _ in range(10):  # a while for any (wrong) debounced mark
            await pilot.pause(0.05)
        assert {cid: last_seen(cid) for cid in ids} == before
        assert all(chat_list.items[cid].unread for cid in ids)
        target = chats[0].chat_id
        chat_list.selected_chat_id = target
        screen.open_chat(target)
        await burst(pilot, "enter")  # opening reads it
        await wait_for(pilot, lambda: last_seen(target) > before[target], what="seen on Enter")
        await wait_for(pilot, lambda: chat_list.items[target].unread == 0, what="badge cleared")
        await burst(pilot, "escape", "N")
        assert chat_list.items[target].unread >= 1
        assert target in json.loads((tmp_path / "unread.json").read_text())
        await burst(pilot, "m")
        await wait_for(pilot, lambda: chat_list.items[target].unread == 0, what="m marks seen")
        assert target not in json.loads((tmp_path / "unread.json").read_text())


async def test_irreversible_single_keys_are_gone(server, tmp_path):
    customer = new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        screen.query_one(ChatList).focus()
        for key in ("y", "R", "b", "h", "G"):
            await burst(pilot, key)
            assert type(app.screen).__name__ == "MainScreen", key
            await burst(pilot, "escape")
        await open_chat(pilot, screen, customer.name, customer.chat_id)  # `G` moved to another chat
        await burst(pilot, "alt+shift+b")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BanModal")
        assert customer.name in app.screen.dialog_title()
        assert app.screen.query_one("#days").value == ""
        await burst(pilot, "enter")
        assert type(app.screen).__name__ == "BanModal"  # a bare Enter bans nobody
        await burst(pilot, "escape")
    banned = agent_call(server, "get_customers", {"filters": {"customer_id": {"values": [customer.id]}}})
    assert not banned["customers"][0].get("banned")


async def test_form_type_ahead_lands_in_the_intended_fields(server, tmp_path):
    customer = new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        screen.query_one(ChatList).focus()
        # the key opening the form and the fields typed at once, Tab between them
        await burst(pilot, "p", *"crm", "tab", *"order_id", "tab", "tab", *"48213", "ctrl+s")
        await idle(pilot, screen)
    props = agent_call(server, "get_chat_threads", {"chat_id": customer.chat_id})["chat"]["properties"]
    assert props.get("crm", {}).get("order_id", {}).get("value") == "48213", props


async def test_send_asks_when_the_open_chat_changed_since_typing_began(server, tmp_path):
    a, b = new_customer(server), new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, a.name, a.chat_id)
        await burst(pilot, "r", *"for A")
        screen.select_chat(b.chat_id)  # the open chat changes under the agent's hands
        await pilot.pause()
        screen.query_one(Composer).text = "for A"
        await burst(pilot, "ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmModal", what="asked")
        body = str(app.screen._body)
        assert a.name in body and b.name in body
        await burst(pilot, "n")
        await idle(pilot, screen)
        assert screen.query_one(Composer).text == "for A"
        await burst(pilot, "ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmModal", what="asked again")
        await burst(pilot, "y")
        await wait_for(pilot, lambda: screen.query_one(Composer).text == "", what="sent")
        await idle(pilot, screen)
    assert my_messages(server, a.chat_id) == []
    assert my_messages(server, b.chat_id) == [("for A", "all")]


async def test_take_a_queued_chat(server, tmp_path):
    customer = new_customer(server, "anyone there?")  # nobody logged in: queued
    async with console(server, tmp_path) as (app, pilot, screen):
        chat_list = screen.query_one(ChatList)
        await wait_for(pilot, lambda: customer.chat_id in chat_list.items, what="listed")
        assert chat_list.items[customer.chat_id].section == "queued"
        chat_list.focus()
        chat_list.selected_chat_id = customer.chat_id
        screen.open_chat(customer.chat_id)
        await idle(pilot, screen)
        title = str(screen.query_one("#chat-title").render())
        assert "queued · " in title and " of " in title and "waiting" in title
        await burst(pilot, "a")
        await idle(pilot, screen)
        await wait_for(pilot, lambda: chat_list.items[customer.chat_id].section == "mine", what="moved to My chats")
    thread = agent_call(server, "get_chat_threads", {"chat_id": customer.chat_id})["chat"]["threads"][-1]
    assert ADMIN in thread["user_ids"]


async def test_jumps_and_the_quick_switcher(server, tmp_path):
    quiet = new_customer(server)
    waiting = new_customer(server, "hello?", name="Zed" + uuid.uuid4().hex[:4])
    async with console(server, tmp_path) as (app, pilot, screen):
        chat_list = screen.query_one(ChatList)
        await wait_for(pilot, lambda: {quiet.chat_id, waiting.chat_id} <= set(chat_list.items))
        chat_list.focus()
        await burst(pilot, "w")
        assert chat_list.items[screen.current_chat_id].waiting_since is not None
        await burst(pilot, "right_square_bracket")
        assert chat_list.items[screen.current_chat_id].unread >= 0
        await burst(pilot, "ctrl+g", *waiting.name[3:].lower(), "enter")
        await wait_for(pilot, lambda: screen.current_chat_id == waiting.chat_id, what="switched")
        assert screen.in_composer()
        await burst(pilot, "ctrl+g", *waiting.chat_id[-6:], "enter")
        assert screen.current_chat_id == waiting.chat_id


async def test_a_flows_second_modal_takes_the_keys_typed_after_the_first(server, tmp_path):
    """Revoking access asks twice (the group, then "are you sure?"): the key, the form's submit and
    the confirmation's `y` in one burst. The `y` typed after the first modal closed waits for
    the second one instead of landing on the main screen (where the question would stay open)."""
    customer = new_customer(server)
    before = set(agent_call(server, "get_chat_threads", {"chat_id": customer.chat_id})["chat"]["access"]["group_ids"])
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        screen.query_one(ChatList).focus()
        await burst(pilot, "alt+shift+g", "ctrl+s", "y")
        assert type(app.screen).__name__ == "MainScreen"
        await idle(pilot, screen)
    after = set(agent_call(server, "get_chat_threads", {"chat_id": customer.chat_id})["chat"]["access"]["group_ids"])
    assert before == {0} and not after, (before, after)


async def test_switcher_pick_then_typing_in_one_burst_keeps_every_character(server, tmp_path):
    """`ctrl+g`, a name, Enter and the reply typed at once: the switcher opens the chat and its
    composer, and the first letter typed after Enter lands there too (`C` is also a key of the
    main screen: the customers browser)."""
    one, two = new_customer(server), new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, one.name, one.chat_id)
        screen.query_one(ChatList).focus()
        await burst(pilot, "ctrl+g", *two.name, "enter", *"Checking now")
        assert type(app.screen).__name__ == "MainScreen"
        assert screen.current_chat_id == two.chat_id
        assert screen.query_one(Composer).text == "Checking now"


async def test_esc_n_a_note_and_its_send_in_one_read_stay_a_note(server, tmp_path):
    """From the reply: `Esc n`, the note, `ctrl+s`, `Esc r`, a reply and `ctrl+s`, as one read
    from the terminal. The note reaches the agents only, the reply the customer, each once."""
    customer = new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await burst(pilot, "r")
        await feed(pilot, "\x1bninternal: check billing\x13\x1brAnything else?\x13")
        await idle(pilot, screen)
        await wait_for(pilot, lambda: len(my_messages(server, customer.chat_id)) == 2, what="both sent")
    assert my_messages(server, customer.chat_id) == [
        ("internal: check billing", "agents"),
        ("Anything else?", "all"),
    ]
