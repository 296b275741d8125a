"""A bare Textual app (Header + Static + Footer): the in-run baseline of the console's first
frame (run as a script on the same pty harness) and of its memory (`bench_rss` harness).

It imports nothing of lcconsole, so it measures what any Textual app pays on this machine.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

TEXT = "A bare Textual app: Header, Static and Footer. The baseline of lcconsole bench."


class BareApp(App):
    """Header + Static + Footer, nothing else."""

    TITLE = "bare"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(TEXT)
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
