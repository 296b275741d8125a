"""ChatList: sections, sort, filter, cursor and messages, upsert, 10k items drawn lazily."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from textual.app import App, ComposeResult
from textual.geometry import Region

from lcconsole.ui.chat_items import ChatListItem
from lcconsole.ui.widgets._chat_order import full_order, waiting_key, waiting_rank
from lcconsole.ui.widgets.chat_list import ChatList, format_age

STYLES = Path(__file__).resolve().parents[2] / "styles" / "panes.tcss"
NOW = 1_700_000_000.0


def item(chat_id: str, section: str = "mine", **kw) -> ChatListItem:
    base = dict(
        customer_name=f"Customer {chat_id}",
        preview=f"hello from {chat_id}",
        waiting_since=None,
        unread=0,
        tags=(),
        followed=False,
        last_activity=NOW - 100,
    )
    base.update(kw)
    return ChatListItem(chat_id=chat_id, section=section, **base)


class ListHost(App):
    CSS_PATH = str(STYLES)

    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def compose(self) -> ComposeResult:
        yield ChatList(clock=lambda: NOW, id="list")

    def on_chat_list_chat_highlighted(self, message: ChatList.ChatHighlighted) -> None:
        self.messages.append(("highlighted", message.chat_id))

    def on_chat_list_chat_selected(self, message: ChatList.ChatSelected) -> None:
        self.messages.append(("selected", message.chat_id))


def screen_lines(widget: ChatList) -> list[str]:
    region = widget.scrollable_content_region
    strips = widget.render_lines(Region(0, 0, region.width, region.height))
    return ["".join(segment.text for segment in strip) for strip in strips]


def sample() -> list[ChatListItem]:
    return [
        item("a", "mine", waiting_since=NOW - 190, unread=2, tags=("vip",), last_activity=NOW - 190),
        item("b", "mine", waiting_since=NOW - 4000, last_activity=NOW - 10),
        item("c", "mine", last_activity=NOW - 5),
        item("q", "queued", waiting_since=NOW - 30, customer_name="Quinn Queue"),
        item("f", "followed", followed=True, preview="billing question", tags=("billing",)),
        item("z", "closed", customer_name="Zed Closed"),
    ]


def test_format_age() -> None:
    assert [format_age(s) for s in (5, 190, 7300, 200_000)] == ["<1m", "3m", "2h", "2d"]


async def test_sections_rows_and_sort_modes() -> None:
    app = ListHost()
    async with app.run_test(size=(60, 24)) as pilot:
        chat_list = app.query_one(ChatList)
        chat_list.set_items(sample())
        await pilot.pause()
        lines = screen_lines(chat_list)
        headers = [line.strip() for line in lines if line.startswith(" ") and "(" in line and not line.startswith("  ")]
        assert headers == ["My chats (3)", "Queued (1)", "Followed (1)", "Closed (1)"]
        # waiting sort: longest waiting first, then the rest by latest activity
        assert chat_list.visible_ids == ["b", "a", "c", "q", "f", "z"]
        row_a = next(i for i, line in enumerate(lines) if "Customer a" in line)
        assert "3m" in lines[row_a] and " 2 " in lines[row_a]
        assert "hello from a" in lines[row_a + 1] and "#vip" in lines[row_a + 1]
        assert "★" in next(line for line in lines if "Customer f" in line)
        chat_list.sort_mode = "activity"
        await pilot.pause()
        assert chat_list.visible_ids == ["c", "b", "a", "q", "f", "z"]


async def test_filter_is_case_insensitive_over_name_preview_and_tags() -> None:
    app = ListHost()
    async with app.run_test(size=(60, 24)) as pilot:
        chat_list = app.query_one(ChatList)
        chat_list.set_items(sample())
        chat_list.filter_text = "BILLING"
        await pilot.pause()
        assert chat_list.visible_ids == ["f"]
        assert any("Followed (1/1)" in line or "Followed (1)" in line for line in screen_lines(chat_list))
        assert any("My chats (0/3)" in line for line in screen_lines(chat_list))
        chat_list.filter_text = "quinn"
        await pilot.pause()
        assert chat_list.visible_ids == ["q"]
        chat_list.filter_text = "vip"
        assert chat_list.visible_ids == ["a"]
        chat_list.upsert(item("n", "queued", tags=("VIP",)))  # a new match appears
        assert chat_list.visible_ids == ["a", "n"]
        chat_list.filter_text = ""
        assert len(chat_list.visible_ids) == 7


async def test_cursor_keys_post_highlight_and_enter_selects() -> None:
    app = ListHost()
    async with app.run_test(size=(60, 24)) as pilot:
        chat_list = app.query_one(ChatList)
        chat_list.set_items(sample())
        chat_list.focus()
        await pilot.pause()
        assert chat_list.selected_chat_id == "b"
        await pilot.press("down", "down", "down")
        assert chat_list.selected_chat_id == "q"  # crossed the section header
        await pilot.press("enter")
        await pilot.press("end")
        await pilot.press("up")
        await pilot.press("home")
        await pilot.pause()
        assert app.messages == [
            ("highlighted", "a"),
            ("highlighted", "c"),
            ("highlighted", "q"),
            ("selected", "q"),
            ("highlighted", "z"),
            ("highlighted", "f"),
            ("highlighted", "b"),
        ]
        chat_list.selected_chat_id = "f"  # programmatic: no message
        await pilot.pause()
        assert chat_list.selected_chat_id == "f" and app.messages[-1] == ("highlighted", "b")
        await pilot.press("pagedown")
        assert chat_list.selected_chat_id == "z"


async def test_click_selects_row() -> None:
    app = ListHost()
    async with app.run_test(size=(60, 24)) as pilot:
        chat_list = app.query_one(ChatList)
        chat_list.set_items(sample())
        await pilot.pause()
        row = next(i for i, line in enumerate(screen_lines(chat_list)) if "Quinn" in line)
        await pilot.click(ChatList, offset=(5, row))
        await pilot.pause()
        assert ("selected", "q") in app.messages and chat_list.selected_chat_id == "q"


def drawn_rows(chat_list: ChatList) -> dict[str, object]:
    """chat id -> the cached strips of its current item (the row cache's stale keys left out)."""
    cache = chat_list._row_cache
    values = [cache.get(key) for key in list(cache.keys())]
    return {item.chat_id: strips for item, strips in filter(None, values) if chat_list.items[item.chat_id] is item}


def test_the_full_order_holds_the_rows_themselves_and_finds_them_by_key() -> None:
    """No sort-key tuple per row is kept (~90 B a row: 9 MiB at 100k chats): sections hold the
    rows, found by bisecting their ranks (an array of floats), ties told apart by key."""
    rows = {r.chat_id: r for r in sample()}
    rows["t"] = item("t", "mine", waiting_since=NOW - 190, last_activity=NOW - 190)  # ties with "a"
    order = full_order(rows, waiting_key, "", waiting_rank)
    assert all(type(row) is ChatListItem for section in order.sections.values() for row in section)
    assert [r.chat_id for r in order.sections["mine"]] == ["b", "a", "t", "c"]
    assert list(order.ranks["mine"]) == [waiting_rank(r) for r in order.sections["mine"]]
    moved = dataclasses.replace(rows["c"], waiting_since=NOW - 9000)
    assert order.find(rows["t"]) == 2 and order.find(rows["c"]) == 3 and order.find(moved) is None
    order.delete("mine", 3)
    order.insert(moved)
    order.delete("mine", order.find(rows["a"]))
    order.insert(rows["a"])  # among rows of its rank, by key
    assert [r.chat_id for r in order.sections["mine"]] == ["c", "b", "a", "t"] and order.sections["mine"][0] is moved
    assert list(order.ranks["mine"]) == [waiting_rank(r) for r in order.sections["mine"]]


async def test_upsert_redraws_only_that_row_and_moves_when_sort_key_changes() -> None:
    app = ListHost()
    async with app.run_test(size=(60, 24)) as pilot:
        chat_list = app.query_one(ChatList)
        chat_list.set_items(sample())
        await pilot.pause()
        before = drawn_rows(chat_list)
        chat_list.upsert(dataclasses.replace(sample()[2], preview="brand new words"))
        await pilot.pause()
        assert any("brand new words" in line for line in screen_lines(chat_list))
        after = drawn_rows(chat_list)
        assert after["b"] is before["b"] and after["q"] is before["q"]  # untouched rows reused
        assert after["c"] is not before["c"]
        # c starts waiting the longest -> it moves to the top of its section
        chat_list.upsert(dataclasses.replace(sample()[2], waiting_since=NOW - 9000))
        assert chat_list.visible_ids[:3] == ["c", "b", "a"]
        # moving to another section updates both counts
        chat_list.upsert(dataclasses.replace(sample()[3], section="mine"))
        await pilot.pause()
        lines = screen_lines(chat_list)
        assert any("My chats (4)" in line for line in lines)
        assert any("Queued (0)" in line for line in lines)
        chat_list.remove("c")
        chat_list.remove("missing")
        assert "c" not in chat_list.visible_ids and len(chat_list.items) == 5


async def test_upsert_many_places_rows_like_set_items_with_one_relayout() -> None:
    """A resync page: few rows are placed one by one, many rows sorted once; either way the
    list ends up exactly as set_items of the merged rows would leave it, re-laid out once."""
    from lcconsole.ui.widgets.chat_list import BULK_ROWS

    sections = ("mine", "queued", "followed", "closed")
    rows = [
        item(f"c{i:04d}", sections[i % 4], waiting_since=NOW - i if i % 3 else None, last_activity=NOW - i)
        for i in range(1000)
    ]
    app = ListHost()
    async with app.run_test(size=(60, 24)) as pilot:
        chat_list = app.query_one(ChatList)
        for changed in (3, BULK_ROWS + 50):
            chat_list.set_items(rows)
            await pilot.pause()
            new = [
                dataclasses.replace(r, section="mine", waiting_since=NOW - 99_000 - k, preview=f"moved {k}")
                for k, r in enumerate(rows[1 : 1 + changed])
            ]
            new.append(item("brand-new", "queued", waiting_since=NOW - 500_000))
            layouts = []
            original = chat_list._structure_changed
            chat_list._structure_changed = lambda layouts=layouts, original=original: (layouts.append(1), original())
            chat_list.upsert_many(new)
            chat_list._structure_changed = original
            expected = ChatList(clock=lambda: NOW)
            expected.set_items([*rows, *new])
            assert chat_list.visible_ids == expected.visible_ids
            assert chat_list._totals == expected._totals and len(layouts) == 1
            assert chat_list.visible_ids[0] == new[changed - 1].chat_id  # waiting the longest
            await pilot.pause()
            assert any(f"moved {changed - 1}" in line for line in screen_lines(chat_list))
        layouts = []
        chat_list._structure_changed = lambda: layouts.append(1)
        chat_list.upsert_many([dataclasses.replace(chat_list.items["c0001"], preview="same place")])
        top = chat_list.visible_ids[:20]
        chat_list.upsert_many(
            [dataclasses.replace(chat_list.items[cid], preview=f"page row {k}") for k, cid in enumerate(top)]
        )
        assert layouts == [] and chat_list.visible_ids[:20] == top  # no row moved: no re-layout
        await pilot.pause()
        lines = "\n".join(screen_lines(chat_list))
        assert "page row 0" in lines and "page row 3" in lines  # ...but the rows are repainted
        # a page whose rows are all off screen repaints nothing; one row on screen repaints
        below = chat_list.visible_ids[500:520]
        chat_list.lines_rendered = 0
        chat_list.upsert_many([dataclasses.replace(chat_list.items[cid], preview="off screen") for cid in below])
        await pilot.pause()
        assert chat_list.lines_rendered == 0
        page = [dataclasses.replace(chat_list.items[cid], preview="seen now") for cid in [*below, top[1]]]
        chat_list.upsert_many(page)
        await pilot.pause()
        assert chat_list.lines_rendered > 0 and "seen now" in "\n".join(screen_lines(chat_list))


async def test_ten_thousand_items_render_only_visible_rows() -> None:
    app = ListHost()
    sections = ("mine", "queued", "followed", "closed")
    items = [
        item(
            f"c{i}",
            sections[i % 4],
            waiting_since=NOW - i if i % 3 else None,
            unread=i % 4,
            tags=("t",) if i % 2 else (),
            last_activity=NOW - i,
        )
        for i in range(10_000)
    ]
    async with app.run_test(size=(60, 24)) as pilot:
        chat_list = app.query_one(ChatList)
        await pilot.pause()
        chat_list.lines_rendered = 0
        chat_list.set_items(items)
        await pilot.pause()
        height = chat_list.scrollable_content_region.height
        assert chat_list.virtual_size.height == 4 + 2 * 10_000
        assert 0 < chat_list.lines_rendered <= 3 * height  # one or two frames, not 20k lines
        assert len(chat_list._row_cache) <= height
        chat_list.focus()
        await pilot.press("end")
        await pilot.pause()
        assert chat_list.selected_chat_id == chat_list.visible_ids[-1]
        assert chat_list.scroll_y > 19_000
        end = round(chat_list.scroll_y)
        for y in (0, 8, 4_990, end):  # the top, a row cut in half, a section boundary, the end
            chat_list.scroll_to(y=y, animate=False, immediate=True)
            rows = [chat_list._at_line(line)[1] for line in range(y, y + height)]
            on_lines = [row.chat_id if row else None for row in rows]
            expected = [cid for k, cid in enumerate(on_lines) if cid is not None and cid not in on_lines[:k]]
            assert chat_list.ids_in_view() == expected and len(expected) >= height // 2 - 1
        chat_list.scroll_to(y=end, animate=False, immediate=True)
        assert len(chat_list._row_cache) <= 256
        chat_list.lines_rendered = 0
        chat_list.upsert(dataclasses.replace(items[4], preview="pushed"))
        await pilot.pause()
        assert chat_list.lines_rendered <= 2 * height


async def test_ids_in_view_follow_every_change_of_the_rows_places() -> None:
    """The ids in view are remembered between resync pages; each way rows move, come, go or
    hide shows in the next answer (compared with the lines drawn)."""
    app = ListHost()
    async with app.run_test(size=(60, 12)) as pilot:
        chat_list = app.query_one(ChatList)
        chat_list.set_items(sample())
        await pilot.pause()

        def on_screen() -> list[str]:
            y, height = round(chat_list.scroll_y), chat_list.container_size.height
            rows = [chat_list._at_line(line)[1] for line in range(y, y + height)]
            return list(dict.fromkeys(row.chat_id for row in rows if row))

        first = chat_list.ids_in_view()
        assert first == on_screen() and "z" not in first
        chat_list.upsert(item("n", "mine", waiting_since=NOW - 9000))  # a new row on top
        assert chat_list.ids_in_view() == on_screen() and chat_list.ids_in_view()[0] == "n"
        chat_list.upsert(item("n", "closed", customer_name="Nell Closed"))  # moved away
        assert chat_list.ids_in_view() == on_screen() == first
        chat_list.upsert_many([dataclasses.replace(i, preview="changed") for i in sample()])  # in place
        assert chat_list.ids_in_view() == on_screen() == first
        chat_list.remove("a")
        assert chat_list.ids_in_view() == on_screen() and "a" not in chat_list.ids_in_view()
        chat_list.filter_text = "quinn"
        assert chat_list.ids_in_view() == on_screen() == ["q"]
        chat_list.filter_text = ""
        chat_list.scroll_to(y=chat_list.max_scroll_y, animate=False, immediate=True)
        assert chat_list.ids_in_view() == on_screen() and "z" in chat_list.ids_in_view()


async def test_other_chats_section_sits_between_followed_and_closed_and_hides_when_empty() -> None:
    app = ListHost()
    async with app.run_test(size=(60, 30)) as pilot:
        chat_list = app.query_one(ChatList)
        chat_list.set_items(sample())
        await pilot.pause()

        def headers() -> list[str]:
            return [
                line.strip()
                for line in screen_lines(chat_list)
                if line.startswith(" ") and "(" in line and not line.startswith("  ")
            ]

        assert headers() == ["My chats (3)", "Queued (1)", "Followed (1)", "Closed (1)"]
        chat_list.upsert(item("o", "others", customer_name="Olga Other"))
        await pilot.pause()
        assert headers() == ["My chats (3)", "Queued (1)", "Followed (1)", "Other chats (1)", "Closed (1)"]
        assert chat_list.visible_ids == ["b", "a", "c", "q", "f", "o", "z"]
        lines = screen_lines(chat_list)
        row_o = next(i for i, line in enumerate(lines) if "Olga Other" in line)
        assert "Other chats (1)" in lines[row_o - 1] and "Followed" not in lines[row_o - 1]
        chat_list.selected_chat_id = "f"
        chat_list.focus()
        await pilot.press("down")
        assert chat_list.selected_chat_id == "o"
        await pilot.press("down")
        assert chat_list.selected_chat_id == "z"
        chat_list.remove("o")
        await pilot.pause()
        assert headers() == ["My chats (3)", "Queued (1)", "Followed (1)", "Closed (1)"]
        row_z = next(i for i, line in enumerate(screen_lines(chat_list)) if "Zed Closed" in line)
        assert "Closed (1)" in screen_lines(chat_list)[row_z - 1]


def test_waiting_time_column_is_aligned_with_or_without_a_badge_and_markers_show() -> None:
    from rich.style import Style

    from lcconsole.ui.widgets._chat_rows import build_row

    def text(it, age):
        first, second = build_row(it, 40, False, age, 60.0, Style(), lambda name: Style())
        return first.text, second.text

    with_badge, _ = text(item("a", "mine", unread=12), "3m")
    without, _ = text(item("b", "mine"), "3m")
    long_age, _ = text(item("c", "mine", unread=1), "12h")
    assert with_badge.rstrip().endswith(" 12   3m") and without.rstrip().endswith("   3m")
    assert len(with_badge.rstrip()) == len(without.rstrip()) == len(long_age.rstrip())
    assert with_badge.rindex("3m") == without.rindex("3m") == long_age.rindex("2h")
    assert text(item("d", "mine", typing=True), "")[1].startswith("✎ ")
    assert text(item("e", "mine", draft=True), "")[1].startswith("✐ ")
