"""The open chat without Textual: a real session to the embedded emulator, recording stand-ins
for the painter, the navigator and the composer."""

from __future__ import annotations

import uuid
from typing import Any

from app_harness import Customer, server  # noqa: F401  (fixtures, used by parameter name)
from controller_harness import ScriptedView, controller_for, texts, until

from lcconsole.ui.controllers.chat_actions import ChatActions
from lcconsole.ui.controllers.chat_commands import ChatCommands
from lcconsole.ui.controllers.notices import Notices
from lcconsole.ui.controllers.outbox_sender import OutboxSender
from lcconsole.ui.persist import Drafts, Outbox, UnreadMarks
from lcconsole.ui.screens.conversation import Conversation


class Recorder:
    """Records every call (the painter's and the navigator's methods)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        return lambda *args: self.calls.append((name, args))


class FakeComposer:
    def __init__(self) -> None:
        self.text, self.mode = "", "customer"

    def clear(self) -> None:
        self.text = ""


class View(ScriptedView):
    def __init__(self) -> None:
        super().__init__()
        self.focused_composer = False
        self.timers: list[Any] = []

    def in_composer(self) -> bool:
        return self.focused_composer

    def set_timer(self, delay: float, callback: Any) -> Any:
        self.timers.append(callback)
        return Recorder()


async def started(server, tmp_path):
    controller, _, session = controller_for(server)
    view = View()
    view.controller = controller
    controller.view = view
    assert await controller.start(session)
    await until(lambda: view.resyncs == [True], "the first resync")
    commands = ChatCommands(controller, view)
    actions = ChatActions(commands, OutboxSender(Outbox(None), controller, view), view)
    painter, composer = Recorder(), FakeComposer()
    notices = Notices(controller.store, view, {"bell": False, "desktop": False, "title": False})
    drafts = Drafts(tmp_path / "drafts.json")
    conversation = Conversation(actions, drafts, UnreadMarks(None), notices, painter, Recorder(), composer, view)
    return controller, view, conversation, painter, composer


async def test_opening_shows_then_loads_and_only_reading_marks_seen(server, tmp_path):
    customer = Customer(server.info.base_url, "Conv" + uuid.uuid4().hex[:5])
    chat_id = customer.start_chat("hello there")
    controller, view, conversation, painter, _ = await started(server, tmp_path)
    store = controller.store
    try:
        store.threads.pop(chat_id, None)  # only the summary is known: opening reads the thread
        conversation.open(chat_id)
        assert view.current_chat_id == chat_id
        assert [name for name, _ in painter.calls] == ["show_details", "show_transcript", "show_typing"]
        await until(lambda: ("show_new_marker", (chat_id,)) in painter.calls, "the thread loaded")
        assert "hello there" in texts(store, chat_id)
        assert "seen" not in view.tasks and conversation.reading is None  # shown, not read
        conversation.read(chat_id)
        assert "seen" in view.tasks and conversation.reading == chat_id
        await view.tasks["seen"]
    finally:
        await controller.stop()
        await view.close()


async def test_each_chat_keeps_its_draft(server, tmp_path):
    first = Customer(server.info.base_url, "Conv" + uuid.uuid4().hex[:5])
    second = Customer(server.info.base_url, "Conv" + uuid.uuid4().hex[:5])
    first_id, second_id = first.start_chat("one"), second.start_chat("two")
    controller, view, conversation, painter, composer = await started(server, tmp_path)
    try:
        conversation.open(first_id)
        view.focused_composer = True
        composer.text = "half a reply"
        conversation.text_changed()
        assert conversation.typing_chat == first_id
        assert ("repaint_row", (first_id,)) in painter.calls  # the row's draft marker
        conversation.open(second_id)
        assert composer.text == ""
        assert conversation.drafts.get(first_id) == "half a reply"
        conversation.open(first_id)
        assert composer.text == "half a reply"
    finally:
        await controller.stop()
        await view.close()
