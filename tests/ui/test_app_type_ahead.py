"""Keys typed in one burst while a modal's data is on its way from the server (held back by
the race harness, so no timing decides): every key waits for the modal."""

from __future__ import annotations

import uuid

import pytest
from app_harness import AGENT2, Customer, agent_call, new_customer, wait_for
from race_harness import Holds, held_emulator

HOLDS = Holds()


@pytest.fixture(scope="module")
def server():
    yield from held_emulator(HOLDS)


async def test_keys_typed_while_a_modal_loads_land_in_it(server, tmp_path, monkeypatch):
    """`t` and the whole transfer form typed in one burst while the server is slow to say who
    can take the chat: the keys wait for the modal (however long), none runs on the main screen."""
    from app_harness import chat_of, console, idle, open_chat
    from textual import events

    import lcconsole.ui.keygate as keygate

    monkeypatch.setattr(keygate, "SCREEN_WAIT_TIMEOUT", 0.0)  # only the announcement may hold them
    other = Customer(server.info.base_url, "Known2")  # a chat of agent2's: the console knows agent2
    agent_call(server, "add_user_to_chat", {"chat_id": other.start_chat("hi"), "user_id": AGENT2, "user_type": "agent"})
    customer = Customer(server.info.base_url, "Transferred")
    customer.start_chat("please pass me on")
    async with console(server, tmp_path, api_version="3.6") as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        hold = HOLDS.arm("list_agents_for_transfer")
        # the targets list, the force box (agent2 is offline: only a forced transfer works), submit
        for key, char in [("t", "t"), ("tab", "\t"), ("tab", "\t"), ("space", " "), ("ctrl+s", None)]:
            app.post_message(events.Key(key, char))
        await wait_for(pilot, hold.held.is_set, what="candidates asked")
        await wait_for(pilot, lambda: app.keygate.holding == 4, what="the form's keys held")
        await pilot.pause()
        assert app.keygate.holding == 4 and type(app.screen).__name__ == "MainScreen"
        hold.release()
        done = lambda: not app.keygate.holding and type(app.screen).__name__ == "MainScreen"  # noqa: E731
        await wait_for(pilot, done, timeout=15, what="the form submitted")
        await idle(pilot, screen, timeout=15)
    assert AGENT2 in {u["id"] for u in chat_of(server, customer.chat_id)["users"]}


async def test_keys_typed_after_a_form_wait_for_the_chat_it_starts(server, tmp_path):
    """The start-chat form's submit, then `r`, a reply and its send, in one burst, while the
    server is slow to start the chat: the reply waits for the new chat to be shown and goes
    to it — not into the chat that was open when the form closed."""
    from app_harness import console, events_of, idle, open_chat, type_text
    from textual import events

    old = new_customer(server, "still here")
    new = Customer(server.info.base_url, "Fresh" + uuid.uuid4().hex[:4])
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, old.name, old.chat_id)
        await pilot.press("escape", "f4", "S")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StartChatModal", what="the form")
        modal = app.screen
        await type_text(pilot, new.name)
        await wait_for(pilot, lambda: [c.name for c in modal.customers] == [new.name], what="customer found")
        modal.query_one("#message").focus()
        await pilot.pause()
        hold = HOLDS.arm("start_chat")
        keys = [*"Hi", "ctrl+s", "r", *"second", "ctrl+s"]
        for key in keys:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await wait_for(pilot, hold.held.is_set, what="start_chat asked")
        await wait_for(pilot, lambda: app.keygate.holding == 8, what="the reply's keys held")
        for _ in range(5):  # (frames go by: still held, however long the server takes)
            await pilot.pause(0.05)
            assert app.keygate.holding == 8 and screen.current_chat_id == old.chat_id
        hold.release()
        done = lambda: not app.keygate.holding and app.keygate._pending is None  # noqa: E731
        await wait_for(pilot, done, timeout=15, what="the reply sent")
        await idle(pilot, screen, timeout=15)
        new_chat = screen.current_chat_id
    texts = lambda chat_id: [e.get("text") for e in events_of(server, chat_id) if e["type"] == "message"]  # noqa: E731
    assert new_chat != old.chat_id
    assert texts(new_chat) == ["Hi", "second"]
    assert texts(old.chat_id) == ["still here"]


async def test_a_note_then_a_reply_typed_before_the_note_is_answered_stay_apart(server, tmp_path):
    """A note, its send, the switch to the customer, a reply and its send, in one burst, while
    the server is slow to take the note: the composer empties at the send, so the reply is only
    the reply (not the note's text with the reply after it, sent to the customer)."""
    from app_harness import console, events_of, idle, open_chat
    from textual import events

    customer = new_customer(server, "hello?")
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await pilot.press("escape", "n")
        hold = HOLDS.arm("send_event")
        keys = [*"internal only", "ctrl+s", "ctrl+n", *"Thanks!", "ctrl+s"]
        for key in keys:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await wait_for(pilot, hold.held.is_set, what="the note's send held")
        composer = screen.query_one("Composer")
        await wait_for(pilot, lambda: composer.text == "" and composer.mode == "customer", what="the reply sent too")
        hold.release()
        await idle(pilot, screen, timeout=15)

        def said() -> list[tuple[str, str]]:
            return [(e["text"], e["recipients"]) for e in events_of(server, customer.chat_id) if e["type"] == "message"]

        await wait_for(pilot, lambda: len(said()) == 3, what="both on the server")
    assert said() == [("hello?", "all"), ("internal only", "agents"), ("Thanks!", "all")]


async def test_keys_typed_before_an_unasked_question_do_not_answer_it(server, tmp_path):
    """`x`, its send and "yes sure" in one burst, when the send asks first ("send it to this
    chat?": the text counts as begun in another chat, as when the chat changed under the agent):
    the `y` of "yes sure" was typed before the question showed, so it does not answer it; the
    agent's Enter does, and "yes sure" then lands in the composer, the next message."""
    from app_harness import console, events_of, open_chat
    from textual import events

    from lcconsole.ui.widgets.composer import Composer

    before = new_customer(server, "first")
    here = new_customer(server, "second")
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, here.name, here.chat_id)
        await pilot.press("r")
        screen.conversation.typing_chat = before.chat_id  # (as when the chat changed under the agent)
        for key in ["x", "ctrl+s", *"yes sure"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmModal", what="the question")
        for _ in range(5):  # (frames go by: the keys typed before it do not answer it)
            await pilot.pause(0.05)
            assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.press("enter")
        composer = screen.query_one(Composer)
        await wait_for(pilot, lambda: composer.text == "yes sure", what="the rest typed into the composer")
        await wait_for(pilot, lambda: not screen.outbox.entries, what="x sent")
    assert [e["text"] for e in events_of(server, here.chat_id) if e["type"] == "message"] == ["second", "x"]


async def test_text_typed_after_switching_chats_from_the_composer_is_sent_without_asking(server, tmp_path):
    """The quick switcher from the composer, then a reply: the agent chose the chat, so the reply
    is not "begun in another chat" (no question to answer, nothing for type-ahead to answer)."""
    from app_harness import console, events_of, idle, open_chat

    first = new_customer(server, "one")
    second = new_customer(server, "two")
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, first.name, first.chat_id)
        await pilot.press("r", *"half a thought", "ctrl+g")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SwitcherModal", what="the switcher")
        await pilot.press(*second.name, "enter")
        await wait_for(pilot, lambda: screen.current_chat_id == second.chat_id, what="switched")
        await pilot.press(*"for you", "ctrl+s")
        await wait_for(pilot, lambda: not screen.outbox.entries and screen.in_composer(), what="sent")
        await idle(pilot, screen)
        assert type(app.screen).__name__ == "MainScreen"
    assert [e["text"] for e in events_of(server, second.chat_id) if e["type"] == "message"] == ["two", "for you"]
    assert [e["text"] for e in events_of(server, first.chat_id) if e["type"] == "message"] == ["one"]
