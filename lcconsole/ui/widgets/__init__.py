"""The console's panes: data goes down as view models, intent goes up as nested Messages."""

from lcconsole.ui.widgets.chat_list import ChatList
from lcconsole.ui.widgets.composer import Composer
from lcconsole.ui.widgets.customer_panel import CustomerPanel
from lcconsole.ui.widgets.properties_panel import PropertiesPanel
from lcconsole.ui.widgets.transcript import Transcript

__all__ = ["ChatList", "Composer", "CustomerPanel", "PropertiesPanel", "Transcript"]
