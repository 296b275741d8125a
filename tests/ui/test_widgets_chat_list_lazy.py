"""ChatList past LAZY_ROWS: the first frame is drawn from each section's top, the full order is
built right after it, and every reader before that (keys, upsert, sort) acts on the full order."""

from __future__ import annotations

import dataclasses
import random
import re

import pytest

from lcconsole.ui.chat_items import SECTIONS, ChatListItem
from lcconsole.ui.widgets import chat_list as chat_list_module
from lcconsole.ui.widgets.chat_list import ChatList
from tests.ui.test_widgets_chat_list import NOW, ListHost, item, screen_lines


@pytest.fixture(autouse=True)
def small_lazy_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat_list_module, "LAZY_ROWS", 1_000)


def many_rows(n: int = 2_400) -> list[ChatListItem]:
    """Shuffled rows of four sections with ties in both sort modes (waiting since, activity)."""
    sections = ("mine", "queued", "followed", "closed")
    rows = []
    for i in range(n):
        if i % 7 == 0:
            waiting: float | None = NOW - 5_000  # many tied at the longest wait: the top of each section
        elif i % 3:
            waiting = NOW - (i * 37 % 3_000)
        else:
            waiting = None
        rows.append(item(f"c{i:04d}", sections[i % 4], waiting_since=waiting, last_activity=NOW - (i * 53 % 400)))
    random.Random(3).shuffle(rows)
    return rows


def expected_order(rows: list[ChatListItem], mode: str = "waiting") -> list[str]:
    def key(row: ChatListItem) -> tuple:
        if mode == "activity":
            return (SECTIONS.index(row.section), -row.last_activity, row.chat_id)
        if row.waiting_since is not None:
            return (SECTIONS.index(row.section), 0, row.waiting_since, row.chat_id)
        return (SECTIONS.index(row.section), 1, -row.last_activity, row.chat_id)

    return [row.chat_id for row in sorted(rows, key=key)]


def ids_on_screen(chat_list: ChatList) -> list[str]:
    return re.findall(r"Customer (c\d{4})", "\n".join(screen_lines(chat_list)))


async def test_first_frame_needs_only_the_top_and_the_full_order_follows_it() -> None:
    rows = many_rows()
    expected = expected_order(rows)
    app = ListHost()
    async with app.run_test(size=(60, 24)) as pilot:
        chat_list = app.query_one(ChatList)
        chat_list.focus()
        await pilot.pause()
        chat_list.set_items(rows)
        shown = ids_on_screen(chat_list)
        assert chat_list._pending is not None  # drawing the screen did not sort every section
        assert len(shown) >= 10 and shown == expected[: len(shown)]
        assert chat_list.selected_chat_id == expected[0] and chat_list.item_count == len(rows)
        await pilot.pause()
        assert chat_list._pending is None  # sorted right after the frame, with no reader asking
        assert chat_list.visible_ids == expected
        # keys pressed in one burst right after a replace act on the full order
        chat_list.set_items(list(reversed(rows)))
        await pilot.press("j", "j", "k", "enter", "G", "enter", "g")
        await pilot.pause()
        assert app.messages == [
            ("highlighted", expected[1]),  # the cursor stayed on expected[0] through the replace
            ("highlighted", expected[2]),
            ("highlighted", expected[1]),
            ("selected", expected[1]),
            ("highlighted", expected[-1]),
            ("selected", expected[-1]),
            ("highlighted", expected[0]),
        ]


async def test_readers_before_the_full_order_act_on_it() -> None:
    rows = many_rows()
    expected = expected_order(rows)
    app = ListHost()
    async with app.run_test(size=(60, 24)) as pilot:
        chat_list = app.query_one(ChatList)
        await pilot.pause()

        chat_list.set_items(rows)
        assert chat_list._pending is not None
        chat_list.action_cursor(3)
        assert chat_list.selected_chat_id == expected[3] and chat_list.cursor_index == 3
        chat_list.set_items(rows)
        assert chat_list._pending is not None and chat_list.selected_chat_id == expected[3]
        chat_list.action_cursor_to(-1)
        assert chat_list.selected_chat_id == expected[-1]

        # a pushed row lands where the full order puts it, and the counts hold
        chat_list.set_items(rows)
        mine = next(row for row in rows if row.section == "mine")
        pushed = dataclasses.replace(mine, waiting_since=NOW - 9_999)
        chat_list.upsert(pushed)
        assert chat_list.visible_ids[0] == pushed.chat_id and chat_list.item_count == len(rows)
        new_rows = [pushed if row.chat_id == pushed.chat_id else row for row in rows]
        assert chat_list.visible_ids == expected_order(new_rows)

        # a sort change and a row scrolled far down the screen
        chat_list.set_items(rows)
        chat_list.sort_mode = "activity"
        by_activity = expected_order(rows, "activity")
        assert chat_list.visible_ids == by_activity
        await pilot.pause()  # laid out: the scrollbar that lets it scroll is there
        chat_list.set_items(rows)
        chat_list.scroll_to(y=2 * 900, animate=False, immediate=True)
        shown = ids_on_screen(chat_list)
        start = by_activity.index(shown[0])
        assert start > 800 and shown == by_activity[start : start + len(shown)]

        # one chat twice in a replace: the full order keeps one row, and the counts follow
        chat_list.set_items([*rows, dataclasses.replace(rows[0], preview="again")])
        assert chat_list._pending is not None
        await pilot.pause()
        assert chat_list._pending is None and chat_list.item_count == len(rows)
        assert chat_list.visible_ids == by_activity and chat_list.virtual_size.height == 4 + 2 * len(rows)

        # a big filtered list is ordered at once (its counts need every row anyway)
        chat_list.filter_text = "c1"
        assert chat_list._pending is None
        assert chat_list.visible_ids == [cid for cid in by_activity if "c1" in f"Customer {cid}\nhello from {cid}"]
