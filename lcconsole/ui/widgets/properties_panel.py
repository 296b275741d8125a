"""PropertiesPanel: chat / thread / event properties by namespace, tags, access and users."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from lcconsole.ui.widgets._messages import PaneMessage
from lcconsole.ui.widgets.customer_panel import InfoText, show_if_changed, value_text
from lcconsole.wire.objects import Chat, ChatSummary, EventBase, Properties, Thread

EditKind = Literal["chat_properties", "thread_properties", "event_properties", "tags", "access", "users"]
"""What PropertiesPanel.EditRequested.kind can be."""
MAX_PROPERTIES = 200


def _properties(info: InfoText, props: Properties | None) -> None:
    if not props:
        info.line("(none)", "dim")
        return
    shown = 0
    for namespace in sorted(props.root):
        info.line(value_text(namespace, 80), "bold")
        for name, prop in sorted(props.root[namespace].items()):
            if shown >= MAX_PROPERTIES:
                info.line("… more properties not shown", "dim")
                return
            info.row("  " + value_text(name, 80), repr_value(prop.value))
            shown += 1


def repr_value(value: Any) -> str:
    """A property value as the agent would type it (`true`, `42`, `text`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class PropertiesPanel(VerticalScroll):
    """Properties, tags, access groups and users of the open chat."""

    # Same keys and meanings as the console's keymap, so a key does the same thing everywhere.
    BINDINGS = [
        Binding(
            "p",
            "edit('chat_properties')",
            "Chat props",
            id="properties_panel.chat",
            tooltip="Add, edit or delete chat properties",
        ),
        Binding(
            "h",
            "edit('thread_properties')",
            "Thread props",
            id="properties_panel.thread",
            tooltip="Add, edit or delete thread properties",
        ),
        Binding(
            "e",
            "edit('event_properties')",
            "Event props",
            id="properties_panel.event",
            tooltip="Add, edit or delete properties of the last event",
            show=False,
        ),
        Binding("l", "edit('tags')", "Tags", id="properties_panel.tags", tooltip="Tag or untag the thread"),
        Binding(
            "g", "edit('access')", "Access", id="properties_panel.access", tooltip="Grant, revoke or set chat access"
        ),
        Binding("u", "edit('users')", "Users", id="properties_panel.users", tooltip="Add or remove users in the chat"),
    ]

    class EditRequested(PaneMessage):
        """The agent wants to change `kind` (chat_properties, thread_properties, tags, ...)."""

        def __init__(self, panel: PropertiesPanel, kind: EditKind) -> None:
            self.kind = kind
            super().__init__(panel)

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.chat: Chat | ChatSummary | None = None
        self.thread: Thread | None = None
        self.event: EventBase | None = None
        self.group_label: Callable[[int], str] = str
        self._shown: Text | None = None  # what the body shows now (None: not drawn yet)

    def compose(self) -> ComposeResult:
        yield Static(Text("No chat", style="italic"), id="properties-info", classes="panel--body")

    def show(
        self,
        chat: Chat | ChatSummary | None,
        thread: Thread | None = None,
        event: EventBase | None = None,
        *,
        group_label: Callable[[int], str] | None = None,
    ) -> None:
        """Show the chat (None clears), its current thread and optionally one event;
        `group_label` names a group id (default: its number).

        Does nothing when the text would not change (most pushes to the open chat touch neither
        properties, tags, access nor users): updating the body re-lays out the screen.
        """
        self.chat, self.thread, self.event = chat, thread, event
        if group_label is not None:
            self.group_label = group_label
        if self.is_mounted:
            show_if_changed(self, self.query_one("#properties-info", Static), self.render_info())

    def on_mount(self) -> None:
        self.show(self.chat, self.thread, self.event)

    def render_info(self) -> Text:
        """The panel's text for the current chat."""
        chat, thread = self.chat, self.thread
        if chat is None:
            return Text("No chat", style="italic", end="")
        info = InfoText()
        info.row("Chat", chat.id, "bold")
        info.row("Followed", "yes" if chat.is_followed else "no")
        info.heading("Chat properties")
        _properties(info, chat.properties)
        info.heading("Access")
        groups = chat.access.group_ids if chat.access else []
        info.line("groups: " + (", ".join(self._group(g) for g in groups) or "(none)"))
        if thread is not None:
            info.heading("Thread")
            info.row("ID", thread.id)
            info.row("State", "active" if thread.active else "closed")
            info.row("Tags", ", ".join(value_text(t, 60) for t in thread.tags) or "(none)")
            if thread.access and thread.access.group_ids:
                info.row("Access", ", ".join(self._group(g) for g in thread.access.group_ids))
            info.heading("Thread properties")
            _properties(info, thread.properties)
        if self.event is not None:
            info.heading(f"Event {value_text(self.event.id, 40)} properties")
            _properties(info, self.event.properties)
        info.heading("Users")
        present = set(thread.user_ids) if thread is not None else None
        for user in chat.users[:100]:
            kind = getattr(user, "type", None) or "user"
            label = value_text(getattr(user, "name", None) or getattr(user, "email", None) or user.id, 80)
            where = "" if present is None or user.id in present else " (not in thread)"
            online = " · online" if getattr(user, "present", None) else ""
            info.line(f"{label} · {kind}{online}{where}")
        info.text.rstrip()
        return info.text

    def _group(self, group_id: int) -> str:
        return value_text(self.group_label(group_id), 60)

    def action_edit(self, kind: str) -> None:
        """Ask the screen to edit `kind`."""
        if self.chat is not None:
            self.post_message(self.EditRequested(self, kind))
