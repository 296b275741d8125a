"""StatusBar: connection state (with reason), agent, routing status, demo marker, last notice."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from lcconsole.ui.text import one_line

STATE_LABELS = {
    "connecting": "connecting…",
    "connected": "connected",
    "reconnecting": "reconnecting",
    "offline": "offline",
}


class StatusBar(Widget):
    """One line at the bottom: `● connected · agent · accepting chats · DEMO · notice`."""

    DEFAULT_CLASSES = "status-bar"

    state: reactive[str] = reactive("connecting")
    reason: reactive[str] = reactive("")
    agent: reactive[str] = reactive("")
    routing: reactive[str] = reactive("")
    demo: reactive[bool] = reactive(False)
    notice: reactive[str] = reactive("")
    pending: reactive[int] = reactive(0)
    away: reactive[bool] = reactive(False)
    attention: reactive[int] = reactive(0)
    """Chats that rang (new chat, customer message) and were not opened since."""

    def render(self) -> Text:
        """Plain, literal text (agent names and reasons are never markup)."""
        styles = {"connected": "status-ok", "offline": "status-bad"}
        text = Text()
        text.append(" ● ", style=self.get_component_rich_style(styles.get(self.state, "status-warn")))
        text.append(STATE_LABELS.get(self.state, self.state))
        if self.reason and self.state != "connected":
            text.append(f" ({one_line(self.reason, 80)})")
        if self.agent:
            text.append(f" · {one_line(self.agent, 40)}")
        if self.routing:
            text.append(" · " + self.routing.replace("_", " "))
        if self.away:
            text.append(" · ")
            text.append(" away ", style=self.get_component_rich_style("status-warn"))
        if self.attention:
            text.append(" · ")
            text.append(f" {self.attention} need you ", style=self.get_component_rich_style("status-warn"))
        if self.pending:
            text.append(f" · outbox {self.pending}")
        if self.demo:
            text.append(" · ")
            text.append(" DEMO ", style=self.get_component_rich_style("status-demo"))
        if self.notice:
            text.append(f" · {one_line(self.notice, 120)}")
        return text

    COMPONENT_CLASSES = {"status-ok", "status-bad", "status-warn", "status-demo"}
