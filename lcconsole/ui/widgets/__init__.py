"""The console's panes (H7): data goes down as view models, intent goes up as nested Messages."""

from lcconsole.ui.widgets.chat_list import ChatList
from lcconsole.ui.widgets.transcript import Transcript

__all__ = ["ChatList", "Transcript"]
