"""Hostile texts in every widget: shown literally, no control character reaches the terminal,
no crash, and huge texts stay cheap to draw."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Static

from lcconsole.ui.chat_items import ChatListItem
from lcconsole.ui.viewmodels import TranscriptEntry
from lcconsole.ui.widgets._transcript_layout import MAX_BODY_LINES
from lcconsole.ui.widgets.chat_list import ChatList
from lcconsole.ui.widgets.customer_panel import CustomerPanel
from lcconsole.ui.widgets.properties_panel import PropertiesPanel
from lcconsole.ui.widgets.transcript import Transcript
from lcconsole.wire.objects import Chat, Customer, Thread

sys.path.insert(0, str(Path(__file__).parent))
from hostile_corpus import HOSTILE, MARKUP, forbidden_in

STYLES = Path(__file__).resolve().parents[2] / "styles" / "panes.tcss"
NOW = 1_700_000_000.0


class Host(App):
    CSS_PATH = str(STYLES)

    def compose(self) -> ComposeResult:
        yield ChatList(clock=lambda: NOW)
        yield Transcript()
        yield CustomerPanel()
        yield PropertiesPanel()

    CSS = "ChatList, Transcript { height: 20; } CustomerPanel, PropertiesPanel { height: 40; }"


def check_strips(strips: list[Strip], width: int, where: str) -> str:
    """Assert no forbidden character and no over-wide line; return the text."""
    texts = []
    for strip in strips:
        text = "".join(segment.text for segment in strip)
        bad = forbidden_in(text) | ({"\n"} & set(text))
        assert not bad, f"{where}: {sorted(map(hex, map(ord, bad)))} in {text[:80]!r}"
        assert cell_len(text) <= width, f"{where}: line wider than {width}"
        texts.append(text)
    return "\n".join(texts)


def visible(widget) -> str:
    region = widget.scrollable_content_region
    strips = widget.render_lines(Region(0, 0, region.width, region.height))
    return check_strips(strips, region.width, type(widget).__name__)


async def test_hostile_texts_in_chat_list_rows() -> None:
    items = [
        ChatListItem(
            chat_id=f"c{i}",
            section="mine",
            customer_name=text,
            preview=text,
            tags=(text[:40], "ok"),
            unread=i,
            waiting_since=NOW - i * 60,
            last_activity=NOW - i,
        )
        for i, text in enumerate(HOSTILE)
    ]
    app = Host()
    async with app.run_test(size=(70, 70)) as pilot:
        chat_list = app.query_one(ChatList)
        chat_list.sort_mode = "activity"
        chat_list.set_items(items)
        await pilot.pause()
        width = chat_list.scrollable_content_region.width
        shown = []
        for chat_id in chat_list.visible_ids:  # every row, not only the visible ones
            shown.append(check_strips(list(chat_list._row_strips(chat_list.items[chat_id], width)), width, chat_id))
        joined = "\n".join(shown)
        for text in MARKUP[:8]:
            assert text[:20] in joined, text
        assert "[@click=app.quit]click me[/]" in visible(chat_list) or "[@click=app.quit]click me[/]" in joined
        assert "␛[31mred␛[0m plain" in joined
        chat_list.filter_text = "[bold]"
        await pilot.pause()
        assert chat_list.visible_ids and "bold?" in visible(chat_list)


async def test_hostile_texts_in_the_transcript() -> None:
    entries = []
    for i, text in enumerate(HOSTILE):
        kind = ("customer", "agent", "note", "system", "rich", "file")[i % 6]
        entries.append(
            TranscriptEntry(
                key=f"e{i}",
                thread_id=text[:30],
                order=i,
                kind=kind,
                author=text,
                timestamp=NOW + i,
                text=text,
                lines=(text,) if kind == "file" else (),
                buttons=(("pb", text, False),) if kind == "rich" else (),
            )
        )
    app = Host()
    async with app.run_test(size=(70, 70)) as pilot:
        transcript = app.query_one(Transcript)
        transcript.set_entries(entries)
        await pilot.pause()
        width = transcript.scrollable_content_region.width
        drawn = [check_strips(transcript._entry_strips(i, width), width, f"entry {i}") for i in range(len(entries))]
        for text in MARKUP[:8]:
            assert any(text[:20] in d for d in drawn), text
        huge = HOSTILE.index("\n".join(f"line {i}" for i in range(10_000)))
        assert len(transcript._entry_strips(huge, width)) <= MAX_BODY_LINES + 3
        assert "more lines" in drawn[huge]
        visible(transcript)
        transcript.set_typing(HOSTILE[13])  # an escape-laden typing preview
        transcript.focus()
        await pilot.press("home", "right", "enter", "end")
        await pilot.pause()
        assert "␛" in visible(transcript)


async def test_hostile_texts_in_the_side_panels() -> None:
    app = Host()
    async with app.run_test(size=(70, 90)) as pilot:
        customer_panel = app.query_one(CustomerPanel)
        properties_panel = app.query_one(PropertiesPanel)
        for text in HOSTILE:
            customer = Customer.model_validate(
                {
                    "id": text,
                    "name": text,
                    "email": text,
                    "avatar": text,
                    "fields": {text[:50]: text},
                    "last_visit": {"referrer": text, "user_agent": text, "last_pages": [{"url": text, "title": text}]},
                }
            )
            chat = Chat.model_validate(
                {
                    "id": text[:30],
                    "users": [{"id": "u", "type": "customer", "name": text}],
                    "properties": {text[:20] or "ns": {text[:20] or "n": {"value": text}}},
                }
            )
            thread = Thread.model_validate({"id": text[:20], "tags": [text], "active": True})
            customer_panel.show(customer)
            properties_panel.show(chat, thread)
            await pilot.pause()
            for panel in (customer_panel, properties_panel):
                static = panel.query_one(Static)
                width = static.size.width
                check_strips(static.render_lines(Region(0, 0, width, 30)), width, repr(text[:20]))
        customer_panel.show(Customer.model_validate({"id": "x", "name": "[bold]not bold[/]"}))
        await pilot.pause()
        static = customer_panel.query_one(Static)
        drawn = check_strips(static.render_lines(Region(0, 0, static.size.width, 3)), static.size.width, "markup")
        assert "[bold]not bold[/]" in drawn
