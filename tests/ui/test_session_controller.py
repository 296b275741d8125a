"""The session controller without Textual: a real embedded emulator, a real `Session`, and a
recording view in place of the screen."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from app_harness import Customer, agent_call, server  # noqa: F401  (fixtures, used by parameter name)
from controller_harness import controller_for, texts, until

from lcconsole.ui.controllers.session_controller import Lifecycle


@pytest.mark.parametrize("version", ["3.0", "3.6"])
async def test_start_resync_pushes_reconnect_and_stop(server, version):
    customer = Customer(server.info.base_url, f"Lifecycle{version.replace('.', '')}")
    chat_id = customer.start_chat("before the console started")
    controller, view, session = controller_for(server, version=version)
    assert controller.lifecycle is Lifecycle.STARTING and not controller.lifecycle.can_call
    try:
        assert controller.capabilities() is None and not controller.offers("visitors")
        assert await controller.start(session)
        assert controller.lifecycle.can_call
        assert controller.offers("visitors") is (version == "3.6")  # a v3.6-only view
        assert ("visitors" in controller.capabilities()) is (version == "3.6")
        await until(lambda: view.resyncs == [True], "the first resync")
        assert controller.lifecycle is Lifecycle.LIVE and controller.lifecycle.synced
        assert controller.logins == 1 and view.opened_first == 1
        assert chat_id in controller.store.chats
        view.current_chat_id = chat_id  # the screen opens it (and resyncs read its thread)
        await controller.fetch_latest(chat_id)
        assert texts(controller.store, chat_id) == ["before the console started"]

        view.spawn(controller.push_loop(), group="pushes")
        customer.say("a push while live")
        await until(lambda: "a push while live" in texts(controller.store, chat_id), "the pushed message")

        server.disconnect_rtm()
        await until(lambda: Lifecycle.RECONNECTING in view.lifecycles, "reconnecting")
        customer.say("said while the console was away")
        await until(lambda: view.resyncs == [True, False], "the resync after the second login")
        assert controller.logins == 2 and controller.lifecycle is Lifecycle.LIVE
        assert "said while the console was away" in texts(controller.store, chat_id)
        assert view.status["notice"].startswith("resynced · ")
        assert view.opened_first == 1  # only the first resync opens a chat
    finally:
        await controller.stop()
        await view.close()
    assert controller.lifecycle is Lifecycle.STOPPED and not controller.lifecycle.can_call
    await controller.stop()  # idempotent


def _last_message(controller, chat_id: str) -> str | None:
    summary = controller.store.chats.get(chat_id)
    last = summary.last_event_per_type.get("message") if summary is not None else None
    return last.event.text if last is not None and last.event is not None else None


@pytest.mark.parametrize("version", ["3.0", "3.6"])
async def test_pushes_wait_for_the_painted_list_and_none_is_lost(server, version):
    customer = Customer(server.info.base_url, f"Early{version.replace('.', '')}")
    chat_id = customer.start_chat("before the console started")
    controller, view, session = controller_for(server, version=version)
    painted = asyncio.Event()

    async def first_paint() -> None:  # the screen has not painted the login's chats yet
        await painted.wait()

    view.first_paint = first_paint
    try:
        view.spawn(controller.push_loop(), group="pushes")  # as the screen: before the login
        assert await controller.start(session)
        customer.say("while the list was being painted")
        await until(lambda: session.rtm._queue.qsize() >= 1, "the push at the connection")
        assert _last_message(controller, chat_id) == "before the console started"  # the login's
        assert not controller.listed.is_set()
        painted.set()
        await until(lambda: _last_message(controller, chat_id) == "while the list was being painted", "the push")
    finally:
        await controller.stop()
        await view.close()


async def test_a_refused_token_leaves_the_session_offline(server):
    secret = "not-a-real-token-" + uuid.uuid4().hex
    controller, view, session = controller_for(server, token=secret)
    try:
        assert not await controller.start(session)
        assert controller.lifecycle is Lifecycle.OFFLINE and not controller.lifecycle.can_call
        assert view.status["state"] == "offline"
    finally:
        await controller.stop()
        await view.close()
    assert not view.resyncs and controller.logins == 0
    titles = [title for title, _ in view.notices]
    assert "cannot connect" in titles
    assert all(secret not in message for _, message in view.notices)


async def test_reads_fill_the_store_and_refetch_drops_what_i_cannot_read(server):
    customer = Customer(server.info.base_url, "Reads")
    chat_id = customer.start_chat("first thread")
    controller, view, session = controller_for(server)
    try:
        assert await controller.start(session)
        await until(lambda: view.resyncs == [True], "the first resync")
        store = controller.store
        changes = await controller.fetch_latest(chat_id)
        assert chat_id in changes.transcripts or "first thread" in texts(store, chat_id)
        assert "first thread" in texts(store, chat_id)
        assert controller.latest_id(chat_id) == store.current_thread(chat_id).id

        await controller.read_thread_ids(chat_id)
        assert chat_id in store.threads_listed  # one thread: the list is complete

        missing = "NO_SUCH_CHAT"
        assert not await controller.fetch_latest(missing)  # quiet: nothing changed
        from lcconsole.errors import LiveChatError

        with pytest.raises(LiveChatError):
            await controller.fetch_latest(missing, strict=True)
        await controller.refetch([missing, chat_id])
        assert missing not in store.chats and chat_id in store.chats
        assert await controller.refresh_summaries(limit=10)
    finally:
        await controller.stop()
        await view.close()


async def test_read_older_brings_the_thread_before_the_oldest_loaded(server):
    customer = Customer(server.info.base_url, "Older" + uuid.uuid4().hex[:5])
    chat_id = customer.start_chat("in the first thread")
    agent_call(server, "close_thread", {"chat_id": chat_id})
    customer.say("in the second thread")
    controller, view, session = controller_for(server)
    try:
        assert await controller.start(session)
        await until(lambda: view.resyncs == [True], "the first resync")
        await controller.fetch_latest(chat_id)
        assert texts(controller.store, chat_id) == ["in the second thread"]
        assert await controller.read_older(chat_id)
        assert len(controller.store.loaded_threads(chat_id)) == 2
        said = texts(controller.store, chat_id)  # (the close left a system message in the first)
        assert said[0] == "in the first thread" and said[-1] == "in the second thread"
        assert not await controller.read_older(chat_id)  # no thread before the first
    finally:
        await controller.stop()
        await view.close()
