"""Chat and console actions without Textual: the modals' answers scripted up front, each flow
through a real session to the embedded emulator, the result read back through the API."""

from __future__ import annotations

import uuid

from app_harness import Customer, chat_of, server  # noqa: F401  (fixtures, used by parameter name)
from controller_harness import ScriptedView, controller_for, until

from lcconsole.ui.controllers.chat_actions import ChatActions
from lcconsole.ui.controllers.chat_commands import ChatCommands
from lcconsole.ui.controllers.console_actions import ConsoleActions
from lcconsole.ui.controllers.outbox_sender import OutboxSender
from lcconsole.ui.modals.answers import GroupAccessChange
from lcconsole.ui.persist import Outbox


async def started(server, chat_id: str | None = None):
    controller, _, session = controller_for(server)
    view = ScriptedView()
    view.controller = controller
    controller.view = view
    assert await controller.start(session)
    await until(lambda: view.resyncs == [True], "the first resync")
    commands = ChatCommands(controller, view)
    sender = OutboxSender(Outbox(None), controller, view)
    if chat_id is not None:
        await controller.fetch_latest(chat_id)
        view.current_chat_id = chat_id
    return controller, view, ChatActions(commands, sender, view), ConsoleActions(commands, view)


def modal_names(view: ScriptedView) -> list[str]:
    return [type(modal).__name__ for modal in view.asked]


async def test_close_asks_first_and_a_cancel_changes_nothing(server):
    customer = Customer(server.info.base_url, "Act" + uuid.uuid4().hex[:5])
    chat_id = customer.start_chat("hello")
    controller, view, actions, _ = await started(server, chat_id)
    try:
        view.answers = [False]
        await actions.close()
        assert chat_of(server, chat_id)["threads"][-1]["active"] is True
        view.answers = [True]
        await actions.close()
        assert chat_of(server, chat_id)["threads"][-1]["active"] is False
        assert modal_names(view) == ["ConfirmModal", "ConfirmModal"]
        assert customer.name in view.asked[0]._body  # the confirmation names the customer
        assert ("", "chat closed") in view.notices
    finally:
        await controller.stop()
        await view.close()


async def test_tag_and_access_go_through_their_modals_to_the_server(server):
    customer = Customer(server.info.base_url, "Act" + uuid.uuid4().hex[:5])
    chat_id = customer.start_chat("hello")
    controller, view, actions, _ = await started(server, chat_id)
    try:
        view.answers = ["vip"]
        await actions.tag("add")
        assert chat_of(server, chat_id)["threads"][-1]["tags"] == ["vip"]
        view.answers = [GroupAccessChange("grant", 7), True]
        await actions.access("grant")
        assert modal_names(view) == ["TagModal", "AccessModal", "ConfirmModal"]
        assert 7 in chat_of(server, chat_id)["access"]["group_ids"]
        assert not view.notices
    finally:
        await controller.stop()
        await view.close()


async def test_without_an_open_chat_nothing_is_asked(server):
    controller, view, actions, console = await started(server)
    try:
        await actions.close()
        await console.edit_customer()
        await actions.take()  # no highlighted row
        assert not view.asked
        assert [message for _, message in view.notices] == [
            "open a chat first",
            "open a chat first",
            "highlight a queued chat to take it",
        ]
    finally:
        await controller.stop()
        await view.close()


async def test_routing_toggle_confirms_and_reaches_the_store(server):
    controller, view, _, console = await started(server)
    try:
        before = controller.store.me.routing_status
        view.answers = [False]
        await console.toggle_routing()
        assert controller.store.me.routing_status == before
        view.answers = [True]
        await console.toggle_routing()
        assert controller.store.me.routing_status != before
        view.answers = [True]
        await console.toggle_routing()
        assert controller.store.me.routing_status == before
    finally:
        await controller.stop()
        await view.close()


async def test_archives_open_a_chat_the_store_did_not_hold(server):
    customer = Customer(server.info.base_url, "Act" + uuid.uuid4().hex[:5])
    chat_id = customer.start_chat("hello")
    controller, view, _, console = await started(server)
    try:
        controller.store.drop(chat_id)
        assert chat_id not in controller.store.chats
        view.answers = [chat_id]
        await console.archives()
        assert modal_names(view) == ["ArchivesBrowser"]
        assert view.selected == [chat_id] and chat_id in controller.store.chats
    finally:
        await controller.stop()
        await view.close()


async def test_text_begun_in_another_chat_is_sent_only_when_confirmed(server):
    first = Customer(server.info.base_url, "Act" + uuid.uuid4().hex[:5])
    second = Customer(server.info.base_url, "Act" + uuid.uuid4().hex[:5])
    first_id, second_id = first.start_chat("hello"), second.start_chat("hi")
    controller, view, actions, _ = await started(server, second_id)
    try:
        await controller.fetch_latest(first_id)
        view.answers = [None]
        assert not await actions.send("for whom?", second_id, note=False, began=first_id)
        assert not actions.outbox.for_chat(second_id)
        assert first.name in view.asked[0]._body and second.name in view.asked[0]._body
        view.answers = [True]
        assert await actions.send("for you", second_id, note=False, began=first_id)
        await until(lambda: not actions.outbox.entries and not actions.sender.inflight, "the send settled")
        texts = [e.get("text") for e in chat_of(server, second_id)["threads"][-1]["events"]]
        assert "for you" in texts and "for whom?" not in texts
        assert not actions.outbox.pending()
    finally:
        await controller.stop()
        await view.close()
