"""Chat commands without Textual: each call through a real session to the embedded emulator,
the result read back through the API; a recording view in place of the screen."""

from __future__ import annotations

import uuid

from app_harness import ADMIN, AGENT2, Customer, chat_of, server  # noqa: F401  (fixtures, used by parameter name)
from controller_harness import controller_for, until

from lcconsole.ui.controllers.chat_commands import ChatCommands
from lcconsole.ui.modals.answers import StartChatRequest, TransferRequest


async def started(server, version: str = "3.0"):
    controller, view, session = controller_for(server, version=version)
    assert await controller.start(session)
    await until(lambda: view.resyncs == [True], "the first resync")
    return controller, view, ChatCommands(controller, view)


def last_thread(server, chat_id: str) -> dict:
    return chat_of(server, chat_id)["threads"][-1]


async def test_tag_close_reopen_and_transfer_reach_the_server_and_the_store(server):
    customer = Customer(server.info.base_url, "Cmd" + uuid.uuid4().hex[:5])
    chat_id = customer.start_chat("hello")
    controller, view, commands = await started(server)
    store = controller.store
    try:
        await controller.fetch_latest(chat_id)
        thread_id = controller.latest_id(chat_id)
        assert await commands.tag(chat_id, thread_id, "vip")
        assert last_thread(server, chat_id)["tags"] == ["vip"]
        assert store.chats[chat_id].last_thread_summary.tags == ["vip"]  # re-read without a push
        assert await commands.tag(chat_id, thread_id, "vip", add=False)
        assert last_thread(server, chat_id)["tags"] == []

        assert await commands.close(chat_id)
        assert last_thread(server, chat_id)["active"] is False
        assert store.chats[chat_id].last_thread_summary.active is False
        assert await commands.reopen(chat_id)
        assert last_thread(server, chat_id)["active"] is True
        assert controller.latest_id(chat_id) != thread_id  # the new thread is in the store

        assert await commands.transfer(chat_id, TransferRequest("agent", (AGENT2,), force=True))
        assert AGENT2 in {u["id"] for u in chat_of(server, chat_id)["users"]}
        assert not view.notices
    finally:
        await controller.stop()
        await view.close()


async def test_a_refusal_is_a_notification_titled_with_what_was_tried(server):
    controller, view, commands = await started(server)
    try:
        assert not await commands.close("NO_SUCH_CHAT")
        assert not await commands.tag("NO_SUCH_CHAT", "NO_SUCH_THREAD", "vip")
        assert [title for title, _ in view.notices] == ["close chat", "add tag"]
        assert all(": " in message for _, message in view.notices)  # "type: message"
        assert "NO_SUCH_CHAT" not in controller.store.chats
    finally:
        await controller.stop()
        await view.close()


async def test_start_chat_and_routing_status(server):
    customer = Customer(server.info.base_url, "Start" + uuid.uuid4().hex[:5])
    controller, view, commands = await started(server)
    store = controller.store
    try:
        chat_id = await commands.start_chat(StartChatRequest(customer.id, "hello from the agent"))
        assert chat_id in store.chats
        assert [e.get("text") for e in last_thread(server, chat_id)["events"] if e["type"] == "message"] == [
            "hello from the agent"
        ]
        before = store.me.routing_status
        other = "not_accepting_chats" if before == "accepting_chats" else "accepting_chats"
        assert await commands.set_routing(other)
        assert store.me.routing_status == other
        engine = server.app.state.hub.engine
        query = "SELECT routing_status FROM agents WHERE id=?"
        assert server.call(lambda: engine.conn.execute(query, (ADMIN,)).fetchone()[0]) == other
        assert await commands.set_routing(before)
    finally:
        await controller.stop()
        await view.close()


async def test_customer_search_over_v36_finds_the_customers_of_the_chats_here(server):
    """v3.6 has no customer list: the start-chat search falls back to the customers the console
    knows, which are mostly the customers of its chats (never fetched one by one)."""
    customer = Customer(server.info.base_url, "Known" + uuid.uuid4().hex[:5])
    customer.start_chat("hello")
    controller, view, commands = await started(server, version="3.6")
    try:
        await until(lambda: customer.chat_id in controller.store.chats, "the customer's chat listed")
        assert customer.id not in controller.store.customers  # (only in the chat's summary)
        found = await commands.search_customers(customer.name[2:9].upper())
        assert [c.id for c in found] == [customer.id]
        assert customer.id in [c.id for c in await commands.search_customers("")]
    finally:
        await controller.stop()
        await view.close()


async def test_customer_search_and_typing(server):
    customer = Customer(server.info.base_url, "Searchable" + uuid.uuid4().hex[:5])
    customer.start_chat("hello")
    controller, view, commands = await started(server)
    try:
        found = await commands.search_customers(customer.name[:8].lower())  # a substring: the scan finds it
        assert customer.id in [c.id for c in found]
        await commands.typing(customer.chat_id, True)  # quiet either way
        await commands.typing("NO_SUCH_CHAT", True)
        assert not view.notices
    finally:
        await controller.stop()
        await view.close()
