"""Driving the main screen's controllers without Textual: a recording view in place of the
screen, a real `Session` against an embedded emulator.

    controller, view, session = controller_for(server)
    assert await controller.start(session)
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from lcconsole.config import Secret, Settings
from lcconsole.ui.chat_items import ChatListItem
from lcconsole.ui.controllers.session_controller import Lifecycle, SessionController
from lcconsole.ui.session import Session
from lcconsole.ui.store import Store


class RecordingView:
    """A `SessionView` and `OutboxView` that records what the controllers asked of the screen."""

    def __init__(self) -> None:
        self.controller: SessionController | None = None
        self.current_chat_id: str | None = None
        self.status: dict[str, Any] = {}
        self.notices: list[tuple[str, str]] = []
        self.lifecycles: list[Lifecycle] = []  # the controller's state at each status change
        self.resyncs: list[bool] = []
        self.opened_first = 0
        self.tasks: dict[str, asyncio.Task[Any]] = {}
        self.background: list[asyncio.Task[Any]] = []
        self.refused: list[Any] = []  # composer_refused
        self.outbox_changes: list[str | None] = []
        self.sender: Any = None  # an OutboxSender: after each resync it delivers (as the screen does)

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
        task = asyncio.get_running_loop().create_task(work)
        self.tasks[group] = task
        self.background.append(task)

    async def first_paint(self) -> None:
        return None

    def open_first_chat(self) -> None:
        self.opened_first += 1

    async def resynced(self, first: bool) -> None:
        if self.sender is not None:
            await self.sender.deliver_pending()
        self.resyncs.append(first)

    def composer_refused(self, entry: Any) -> bool:
        self.refused.append(entry)
        return True  # (as if the composer took it back)

    def outbox_changed(self, chat_id: str | None) -> None:
        self.outbox_changes.append(chat_id)

    async def close(self) -> None:
        for task in self.background:
            task.cancel()
        await asyncio.gather(*self.background, return_exceptions=True)


class ScriptedView(RecordingView):
    """A recording `ActionsView` whose modals answer from a script (and record what was asked)."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[Any] = []
        self.asked: list[Any] = []
        self.selected: list[str | None] = []
        self.row: ChatListItem | None = None
        self.repaints = 0

    def opening(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()  # no keys to hold here

    async def ask(self, modal: Any, *, asked: bool = True) -> Any:
        self.asked.append(modal)
        return self.answers.pop(0)

    def show_modal(self, modal: Any, callback: Any = None) -> None:
        self.asked.append(modal)

    def highlighted_row(self) -> ChatListItem | None:
        return self.row

    def select_chat(self, chat_id: str | None) -> None:
        self.selected.append(chat_id)
        self.current_chat_id = chat_id or self.current_chat_id

    def open_chat(self, chat_id: str) -> None:
        self.current_chat_id = chat_id

    def read_chat(self, chat_id: str) -> None:
        pass

    def show_details(self) -> None:
        self.repaints += 1

    def show_transcript(self) -> None:
        self.repaints += 1

    def edit_in_composer(self, text: str, *, note: bool) -> bool:
        return True

    def copy_text(self, text: str, what: str) -> None:
        pass

    def copy_to_clipboard(self, text: str) -> None:
        pass


async def until(condition: Any, what: str, timeout: float = 10.0) -> Any:
    """Poll `condition()` until it is truthy (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def texts(store: Store, chat_id: str) -> list[str]:
    """The texts of the chat's loaded events, in order."""
    return [getattr(e, "text", None) or "" for t in store.loaded_threads(chat_id) for e in t.events]


def controller_for(
    server, token: str | None = None, version: str = "3.0"
) -> tuple[SessionController, RecordingView, Session]:
    """A controller over a fresh store, its recording view, and the session it is to start."""
    view = RecordingView()
    controller = SessionController(Store(), view)
    view.controller = controller
    settings = Settings(base_url=server.info.base_url, token=Secret(token or server.info.token), api_version=version)
    return controller, view, Session(settings)
