"""The panes' intent messages carry `control`: one screen can tell two panes of a kind apart."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import App, ComposeResult

from lcconsole.ui.chat_items import ChatListItem
from lcconsole.ui.widgets.chat_list import ChatList
from lcconsole.ui.widgets.composer import Composer

STYLES = Path(__file__).resolve().parents[2] / "styles" / "panes.tcss"


def item(chat_id: str) -> ChatListItem:
    return ChatListItem(
        chat_id=chat_id,
        section="mine",
        customer_name=chat_id,
        preview="hi",
        waiting_since=None,
        unread=0,
        tags=(),
        followed=False,
        last_activity=1.0,
    )


class TwoLists(App):
    CSS_PATH = str(STYLES)

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield ChatList([item("A1")], id="left")
        yield ChatList([item("B1")], id="right")
        yield Composer(id="composer")

    @on(ChatList.ChatSelected, "#right")
    def right_selected(self, message: ChatList.ChatSelected) -> None:
        self.seen.append(("right", message.chat_id))

    @on(ChatList.ChatSelected, "#left")
    def left_selected(self, message: ChatList.ChatSelected) -> None:
        self.seen.append(("left", message.chat_id))

    @on(Composer.Submitted, "#composer")
    def submitted(self, message: Composer.Submitted) -> None:
        self.seen.append(("composer", message.text))


async def test_selectors_route_each_pane_s_messages() -> None:
    app = TwoLists()
    async with app.run_test(size=(100, 30)) as pilot:
        right = app.query_one("#right", ChatList)
        right.focus()
        await pilot.press("enter")
        await pilot.pause()
        app.query_one("#left", ChatList).focus()
        await pilot.press("enter")
        await pilot.pause()
        composer = app.query_one(Composer)
        message = Composer.Submitted(composer, "hello", False)
        assert message.control is composer
        composer.post_message(message)
        await pilot.pause()
    assert app.seen == [("right", "B1"), ("left", "A1"), ("composer", "hello")]
