"""The outbox sender without Textual: sends through a real session to an embedded emulator, read
back through the API; a recording view in place of the screen."""

from __future__ import annotations

import asyncio

from app_harness import ADMIN, Customer, agent_call, events_of, new_customer, server  # noqa: F401  (fixtures, used by parameter name)
from controller_harness import controller_for, until

from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.ui.controllers.outbox_sender import OutboxSender
from lcconsole.ui.persist import Outbox


def with_custom_id(server, chat_id: str, custom_id: str) -> list[dict]:
    return [e for e in events_of(server, chat_id) if e.get("custom_id") == custom_id]


async def started(server, tmp_path, version: str = "3.0"):
    controller, view, session = controller_for(server, version=version)
    outbox = Outbox(tmp_path / "outbox.json")
    sender = OutboxSender(outbox, controller, view)
    view.sender = sender
    assert await controller.start(session)
    await until(lambda: view.resyncs == [True], "the first resync")
    return controller, view, sender, outbox


async def test_a_message_and_a_note_are_sent_once_and_leave_the_outbox(server, tmp_path):
    customer = new_customer(server, "hello")
    chat_id = customer.chat_id
    controller, view, sender, outbox = await started(server, tmp_path)
    try:
        message = outbox.add(chat_id, "message", "an answer")
        note = outbox.add(chat_id, "note", "for agents only")
        on_disk: list[tuple[str, str]] = []  # each request's custom id, and the outbox file as it leaves
        gateway = controller.gateway
        send_text = gateway.send_text
        slow_answer = asyncio.Event()

        async def recording_send_text(*args, **kwargs):
            on_disk.append((kwargs["custom_id"], (tmp_path / "outbox.json").read_text()))
            if kwargs["custom_id"] == message.custom_id:
                await slow_answer.wait()
            return await send_text(*args, **kwargs)

        gateway.send_text = recording_send_text
        sender.send(message, from_composer=True)
        sender.send(note)
        await until(lambda: on_disk, "the first request")
        await asyncio.sleep(0.05)
        assert [cid for cid, _ in on_disk] == [message.custom_id]  # the note waits its turn: order kept
        slow_answer.set()
        await until(lambda: not outbox.entries and not sender.inflight, "both delivered")
        [sent] = with_custom_id(server, chat_id, message.custom_id)
        [noted] = with_custom_id(server, chat_id, note.custom_id)
        assert sent["text"] == "an answer" and sent["recipients"] == "all"
        assert noted["text"] == "for agents only" and noted["recipients"] == "agents"
        assert controller.store.known.find_custom_id(chat_id, message.custom_id) is not None
        assert view.outbox_changes.count(chat_id) == 2
        assert [cid for cid, _ in on_disk] == [message.custom_id, note.custom_id]
        assert all(cid in file for cid, file in on_disk)
        await until(lambda: (tmp_path / "outbox.json").read_text() == "[]", "the outbox file emptied")
    finally:
        await controller.stop()
        await view.close()


async def test_a_refused_send_fails_or_stays_in_the_composer(server, tmp_path):
    controller, view, sender, outbox = await started(server, tmp_path)
    try:
        typed = outbox.add("NO_SUCH_CHAT", "message", "typed in the composer")
        attached = outbox.add("NO_SUCH_CHAT", "message", "retried from the outbox")
        await sender.deliver(typed, from_composer=True)
        await sender.deliver(attached)
        assert typed.custom_id not in outbox.entries and view.refused == [typed]  # the text stays typed
        kept = outbox.entries[attached.custom_id]
        assert kept.state == "failed" and kept.error and kept.attempts == 1
        assert [title for title, _ in view.notices].count("not sent") == 2
    finally:
        await controller.stop()
        await view.close()


async def test_pending_entries_already_landed_are_not_sent_again(server, tmp_path):
    customer = new_customer(server, "hello")
    chat_id = customer.chat_id
    controller, view, sender, outbox = await started(server, tmp_path)
    try:
        landed = outbox.add(chat_id, "message", "sent before a crash")
        waiting = outbox.add(chat_id, "message", "never got out")
        agent_call(
            server,
            "send_event",
            {"chat_id": chat_id, "event": {"type": "message", "text": landed.text, "custom_id": landed.custom_id}},
        )
        await sender.deliver_pending()
        await until(lambda: not outbox.entries and not sender.inflight, "the waiting one delivered")
        assert len(with_custom_id(server, chat_id, landed.custom_id)) == 1
        assert len(with_custom_id(server, chat_id, waiting.custom_id)) == 1
        assert None in view.outbox_changes
    finally:
        await controller.stop()
        await view.close()


async def test_offline_keeps_the_message_pending_and_the_next_login_delivers_it(tmp_path):
    emulator = EmbeddedEmulator(seed="empty", simulate=False)
    emulator.start()
    controller = view = None
    try:
        customer = Customer(emulator.info.base_url, "Offline")
        chat_id = customer.start_chat("hello")
        controller, view, sender, outbox = await started(emulator, tmp_path)
        emulator.stop()  # the server goes away: the send fails for a transient reason
        entry = outbox.add(chat_id, "message", "written while the server was down")
        await sender.deliver(entry, from_composer=True)
        assert outbox.entries[entry.custom_id].state == "pending"
        assert not view.refused  # not refused: the outbox keeps it
        assert any("kept in the outbox" in message for _, message in view.notices)
        sender.retry()  # the RTM connection is down: the timer does not try
        assert not sender.inflight and "outbox" not in view.tasks
    finally:
        if controller is not None:
            await controller.stop()
            await view.close()
        emulator.stop()


async def test_before_login_a_composer_message_waits_in_the_outbox(tmp_path):
    from controller_harness import RecordingView

    from lcconsole.ui.controllers.session_controller import SessionController
    from lcconsole.ui.store import Store

    view = RecordingView()
    outbox = Outbox(tmp_path / "outbox.json")
    sender = OutboxSender(outbox, SessionController(Store(), view), view)
    entry = outbox.add("C1", "message", "typed before the login answered")
    await sender.deliver(entry, from_composer=True)
    sender.retry()
    assert outbox.entries[entry.custom_id].state == "pending" and not view.refused
    assert view.notices == [("", "offline: the message is in the outbox")]
    assert not view.tasks  # nothing was sent, nothing scheduled


async def test_a_send_into_a_chat_i_am_not_in_says_so_and_keeps_the_text(server, tmp_path):
    customer = new_customer(server, "is anyone there?")
    chat_id = customer.chat_id
    controller, view, sender, outbox = await started(server, tmp_path, "3.6")  # v3.6 checks presence
    try:
        await until(lambda: chat_id in controller.store.chats, "the chat listed")
        me = controller.store.my_id
        assert all(u.id != me for u in controller.store.chats[chat_id].users)  # queued: no agent yet
        typed = outbox.add(chat_id, "message", "typed before taking it")
        await sender.deliver(typed, from_composer=True)
        assert view.refused == [typed]
        assert not with_custom_id(server, chat_id, typed.custom_id)
        [(title, text)] = [n for n in view.notices if n[0] == "not sent"]
        assert text.startswith("you are not in this chat: take it") and "missing_access" in text
    finally:
        await controller.stop()
        await view.close()


async def test_a_send_into_a_closed_chat_says_to_reopen_it(server, tmp_path):
    customer = new_customer(server, "bye")
    chat_id = customer.chat_id
    added = {"chat_id": chat_id, "user_id": ADMIN, "user_type": "agent", "visibility": "all"}
    agent_call(server, "add_user_to_chat", {**added, "ignore_requester_presence": True}, version="3.6")
    agent_call(server, "deactivate_chat", {"id": chat_id}, version="3.6")
    controller, view, sender, outbox = await started(server, tmp_path, "3.6")
    try:
        assert any(u.id == ADMIN == controller.store.my_id for u in controller.store.chats[chat_id].users)
        typed = outbox.add(chat_id, "message", "one more thing")
        await sender.deliver(typed, from_composer=True)
        assert view.refused == [typed]
        [(_, text)] = [n for n in view.notices if n[0] == "not sent"]
        assert text.startswith("this chat is closed: reopen it") and "chat_inactive" in text
    finally:
        await controller.stop()
        await view.close()
