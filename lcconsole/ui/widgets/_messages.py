"""The base of the panes' intent messages: `control` is the widget that posted it, so a screen can
handle one pane's messages with `@on(ChatList.ChatSelected, "#chats")`."""

from __future__ import annotations

from textual.message import Message
from textual.widget import Widget


class PaneMessage(Message):
    """A message about the widget that posts it (`control`)."""

    def __init__(self, widget: Widget) -> None:
        self.widget = widget
        super().__init__()

    @property
    def control(self) -> Widget:
        """The widget that posted the message."""
        return self.widget
