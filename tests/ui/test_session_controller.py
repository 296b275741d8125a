"""The session controller without Textual: a real embedded emulator, a real `Session`, and a
recording view in place of the screen."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import pytest

from lcconsole.config import Secret, Settings
from lcconsole.ui.controllers.session_controller import Lifecycle, SessionController
from lcconsole.ui.session import Session
from lcconsole.ui.store import Store
from tests.ui.app_harness import Customer, server  # noqa: F401


class RecordingView:
    """A `SessionView` that records what the controller asked of the screen."""

    def __init__(self) -> None:
        self.controller: SessionController | None = None
        self.current_chat_id: str | None = None
        self.status: dict[str, Any] = {}
        self.notices: list[tuple[str, str]] = []
        self.lifecycles: list[Lifecycle] = []  # the controller's state at each status change
        self.resyncs: list[bool] = []
        self.opened_first = 0
        self.tasks: dict[str, asyncio.Task[Any]] = {}

    def show_status(self, **values: Any) -> None:
        self.status.update(values)
        if self.controller is not None:
            self.lifecycles.append(self.controller.lifecycle)

    def notify(
        self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None
    ) -> None:
        self.notices.append((title, message))

    def spawn(self, work: Any, *, group: str, exclusive: bool = False) -> None:
        if exclusive and group in self.tasks:
            self.tasks[group].cancel()
        self.tasks[group] = asyncio.get_running_loop().create_task(work)

    async def first_paint(self) -> None:
        return None

    def open_first_chat(self) -> None:
        self.opened_first += 1

    async def resynced(self, first: bool) -> None:
        self.resyncs.append(first)

    async def close(self) -> None:
        for task in self.tasks.values():
            task.cancel()
        await asyncio.gather(*self.tasks.values(), return_exceptions=True)


async def until(condition: Any, what: str, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def texts(store: Store, chat_id: str) -> list[str]:
    return [getattr(e, "text", None) or "" for t in store.loaded_threads(chat_id) for e in t.events]


def controller_for(
    server, token: str | None = None, version: str = "3.0"
) -> tuple[SessionController, RecordingView, Session]:
    view = RecordingView()
    controller = SessionController(Store(), view)
    view.controller = controller
    settings = Settings(base_url=server.info.base_url, token=Secret(token or server.info.token), api_version=version)
    return controller, view, Session(settings)


@pytest.mark.parametrize("version", ["3.0", "3.6"])
async def test_start_resync_pushes_reconnect_and_stop(server, version):
    customer = Customer(server.info.base_url, f"Lifecycle{version.replace('.', '')}")
    chat_id = customer.start_chat("before the console started")
    controller, view, session = controller_for(server, version=version)
    assert controller.lifecycle is Lifecycle.STARTING and not controller.lifecycle.can_call
    try:
        assert await controller.start(session)
        assert controller.lifecycle.can_call
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

        await controller.list_threads(chat_id)
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
