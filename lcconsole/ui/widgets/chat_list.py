"""ChatList: the virtualised chat list (Line API) with sections, sort, filter and a cursor."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable
from typing import Literal

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from lcconsole.ui.chat_items import SECTIONS, ChatListItem
from lcconsole.ui.text import clip
from lcconsole.ui.widgets._chat_order import (
    FullOrder,
    PendingOrder,
    Rank,
    SortKey,
    activity_key,
    activity_rank,
    full_order,
    matches,
    waiting_key,
    waiting_rank,
)
from lcconsole.ui.widgets._chat_rows import build_row, format_age
from lcconsole.ui.widgets._messages import PaneMessage
from lcconsole.ui.widgets._styles import component_style

SortMode = Literal["waiting", "activity"]
SECTION_TITLES = {
    "mine": "My chats",
    "queued": "Queued",
    "followed": "Followed",
    "others": "Other chats",
    "closed": "Closed",
}
OPTIONAL_SECTIONS = frozenset({"others"})
"""Sections whose header is hidden while they hold no chat (agents who see only their own)."""
ROW_HEIGHT = 2
BULK_ROWS = 200  # more changed rows than this at once: one sort instead of insertions
ROWS_REDRAWN_ALONE = 8  # more changed rows than this at once: one repaint, not one per row
LAZY_ROWS = 10_000
"""A list replaced by more rows than this (unfiltered) is drawn from the top of each section and
sorted in full right after that frame: up to here the whole sort costs less than a 60 Hz frame."""


class ChatList(ScrollView, can_focus=True):
    """Chats grouped in sections (My chats / Queued / Followed / Other chats / Closed); draws only
    visible rows."""

    COMPONENT_CLASSES = {
        "chat-list--header",
        "chat-list--name",
        "chat-list--preview",
        "chat-list--waiting",
        "chat-list--waiting-long",
        "chat-list--unread",
        "chat-list--tag",
        "chat-list--followed",
        "chat-list--cursor",
        "chat-list--closed",
        "chat-list--empty",
        "chat-list--typing",
        "chat-list--draft",
        "chat-list--as-of",
    }
    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="chat_list.up", tooltip="Previous chat"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="chat_list.down", tooltip="Next chat"),
        Binding("home,g", "cursor_to(0)", "First", show=False, id="chat_list.first", tooltip="First chat"),
        Binding("end,G", "cursor_to(-1)", "Last", show=False, id="chat_list.last", tooltip="Last chat"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="chat_list.page_up", tooltip="Move up one page"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="chat_list.page_down", tooltip="Move down one page"),
        Binding("enter", "select", "Open", id="chat_list.open", tooltip="Open the highlighted chat"),
    ]

    class ChatHighlighted(PaneMessage):
        """The cursor moved to a chat."""

        def __init__(self, chat_list: ChatList, chat_id: str) -> None:
            self.chat_id = chat_id
            super().__init__(chat_list)

    class ChatSelected(PaneMessage):
        """The user opened a chat (enter or click)."""

        def __init__(self, chat_list: ChatList, chat_id: str) -> None:
            self.chat_id = chat_id
            super().__init__(chat_list)

    filter_text: reactive[str] = reactive("", layout=False)
    """Case-insensitive filter over customer name, preview and tags."""
    sort_mode: reactive[SortMode] = reactive("waiting", layout=False)
    """`waiting` (longest-waiting first, then latest activity) or `activity` (latest first)."""

    def __init__(
        self,
        items: Iterable[ChatListItem] = (),
        *,
        clock: Callable[[], float] = time.time,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.clock = clock
        self._done: FullOrder = full_order({}, waiting_key, "", waiting_rank)
        self._pending: PendingOrder | None = None  # a replaced list not sorted in full yet
        self._totals: dict[str, int] = {s: 0 for s in SECTIONS}
        self._starts: dict[str, int] = {s: 0 for s in SECTIONS}
        self._cursor: str | None = None
        self._row_cache: LRUCache[tuple, tuple] = LRUCache(256)
        """Drawn rows keyed by (id(item), width, selected, age): a changed row is a new key,
        never an overwrite; the value holds the item, so its id is not reused while cached."""
        self._style_cache: dict[str, Style] = {}
        self._repaint_asked = False  # a whole repaint was asked for and no line drawn since
        self._places = 0  # counts the changes of the rows' places (`_structure_changed`)
        self._in_view_memo: tuple[tuple[int, int, int], tuple[str, ...], frozenset[str]] = ((0, 0, -1), (), frozenset())
        self.lines_rendered = 0  # how many lines render_line drew (for tests and benches)
        if items:
            self.set_items(items)

    # --- data ---------------------------------------------------------------------------------

    @property
    def _order(self) -> FullOrder:
        """The full order (a list replaced lazily is sorted now, at its first reader)."""
        if self._pending is not None:
            self._complete()
        return self._done

    @property
    def _items(self) -> dict[str, ChatListItem]:
        return self._order.items

    @property
    def _sections(self) -> dict[str, list[ChatListItem]]:
        return self._order.sections

    def _complete(self) -> None:
        """Sort a lazily replaced list in full: right after its first frame, or earlier at the
        first reader that needs more than the top of a section."""
        pending, self._pending = self._pending, None
        if pending is None:
            return
        self._done = pending.complete()
        self._places += 1
        if self._done.totals != self._totals:  # the rows held one chat twice
            self._totals = dict(self._done.totals)
            self._row_cache.clear()
            self._structure_changed()

    def _count(self, section: str) -> int:
        """Rows shown in `section` (known before the full order)."""
        if self._pending is not None:
            return len(self._pending.groups[section])
        return len(self._done.sections[section])

    def _row(self, section: str, index: int) -> ChatListItem:
        """Row `index` of `section`: from the top of a lazily replaced list while that suffices."""
        if self._pending is not None:
            row = self._pending.row(section, index)
            if row is not None:
                return row
        return self._sections[section][index]

    @property
    def items(self) -> dict[str, ChatListItem]:
        """All items by chat id (read only; use set_items / upsert / remove)."""
        return self._items

    @property
    def visible_ids(self) -> list[str]:
        """Chat ids in display order (after filter and sort)."""
        return [row.chat_id for s in SECTIONS for row in self._sections[s]]

    def ids_in_view(self) -> list[str]:
        """Chat ids with a row (partly) on screen now."""
        return list(self._in_view()[0])

    def _in_view(self) -> tuple[tuple[str, ...], frozenset[str]]:
        """`ids_in_view`, in order and as a set, kept until the rows' places, the scroll offset or the height
        change (a resync asks once per page; rows replaced in place keep their lines)."""
        sections = self._sections  # (a lazily replaced list is sorted in full first)
        top = round(self.scroll_y)
        # container_size is kept by the layout (scrollable_content_region looks the widget up in
        # the screen's map: once per resync page, that cost more than the page's rows); the list
        # never scrolls sideways, so no horizontal scrollbar takes a line of it
        bottom = top + self.container_size.height
        key = (top, bottom, self._places)
        if self._in_view_memo[0] == key:
            return self._in_view_memo[1:]
        found: list[str] = []
        for s in SECTIONS:  # row i of a section covers lines first + 2i and first + 2i + 1
            first, rows = self._starts[s] + self._header_lines(s), sections[s]
            lo, hi = max(0, (top - first) // ROW_HEIGHT), min(len(rows), -((first - bottom) // ROW_HEIGHT))
            if lo < hi:
                found.extend(row.chat_id for row in rows[lo:hi])
        self._in_view_memo = (key, tuple(found), frozenset(found))
        return self._in_view_memo[1:]

    def set_items(self, items: Iterable[ChatListItem]) -> None:
        """Replace every item, one per chat (O(n log n); past LAZY_ROWS rows the sort runs right
        after the next frame, which needs only each section's top)."""
        self._replace(items if isinstance(items, Collection) else list(items), None)

    def upsert(self, item: ChatListItem) -> None:
        """Add or update one chat; only its row is redrawn unless it moves."""
        if self._place(item):
            self._keep_cursor_shown()
            self._structure_changed()

    def upsert_many(self, items: Iterable[ChatListItem]) -> None:
        """Add or update several chats (a resync page) with at most one re-layout; past
        BULK_ROWS rows one sort of everything is cheaper than inserting them one by one."""
        items = list(items)
        if len(items) > BULK_ROWS:
            self._items.update((item.chat_id, item) for item in items)
            self._rebuild()
            return
        moved = False
        redraw_rows = len(items) <= ROWS_REDRAWN_ALONE
        key_of, order = self._shown_key_function(), self._order
        for item in items:
            moved = self._place(item, key_of, redraw_rows, order) or moved
        if moved:
            self._keep_cursor_shown()
            self._structure_changed()
        elif not redraw_rows:
            self._refresh_if_in_view(items)

    def _refresh_if_in_view(self, items: list[ChatListItem]) -> None:
        """One repaint when any of `items` (rows that did not move) is on screen: a resync page
        changes rows mostly off screen, where a repaint per page cost more than the rows. (Not
        asked again while one is pending: the pages of a resync come faster than frames.)"""
        if self._repaint_asked:
            return
        in_view = self._in_view()[1]
        if any(item.chat_id in in_view for item in items):
            self._repaint()

    def _repaint(self) -> None:
        """Repaint every line on screen (at the next frame)."""
        self._repaint_asked = True
        self.refresh()

    def _place(
        self,
        item: ChatListItem,
        key_of: Callable[[ChatListItem], tuple | None] | None = None,
        redraw: bool = True,
        order: FullOrder | None = None,
    ) -> bool:
        """Store `item` and put it in its section (`key_of`: from `_shown_key_function`, `order`:
        `_order`, both read once per batch); True when rows moved (the caller re-lays out), else
        (with `redraw`) only its row and its section's header are redrawn."""
        chat_id = item.chat_id
        key_of = key_of or self._shown_key_function()
        order = order or self._order
        items, totals = order.items, self._totals
        old = items.get(chat_id)
        items[chat_id] = item
        old_key = None
        if old is not None:
            totals[old.section] -= 1
            old_key = key_of(old)  # its key in its section list (none when the filter hid it)
        totals[item.section] += 1
        new_key = key_of(item)
        if old_key is not None and new_key == old_key and old is not None and old.section == item.section:
            i = order.find(old)
            if i is not None:
                order.sections[item.section][i] = item  # its place is the same, its row is new
            if redraw:
                y = self._line_of(chat_id)
                self._refresh_header(item.section)
                if y is not None:
                    self.refresh_lines(y, ROW_HEIGHT)
            return False
        if old_key is not None and old is not None:
            self._discard(old)
        if new_key is not None:
            order.insert(item)
        return True

    def remove(self, chat_id: str) -> None:
        """Remove a chat (no-op when unknown)."""
        old = self._items.get(chat_id)
        if old is None:
            return
        index = self.cursor_index
        key = self._key_of(old)
        del self._items[chat_id]
        self._totals[old.section] -= 1
        if key is not None:
            self._discard(old)
        if self._cursor == chat_id:
            self._cursor = self._id_at(min(index, self.item_count - 1))
        self._structure_changed()

    @property
    def item_count(self) -> int:
        """Number of chats shown (after filtering)."""
        return sum(self._count(s) for s in SECTIONS)

    def _key_function(self) -> SortKey:
        """The sort key of the current sort mode (read once per rebuild, not once per row:
        a reactive read costs more than the key itself at 100k rows)."""
        return activity_key if self.sort_mode == "activity" else waiting_key

    def _rank_function(self) -> Rank:
        """The sort key of the current sort mode as one float (see PendingOrder)."""
        return activity_rank if self.sort_mode == "activity" else waiting_rank

    def _shown_key_function(self) -> Callable[[ChatListItem], tuple | None]:
        """item -> its sort key, or None when the filter hides it (the sort mode and the filter
        read once per batch of rows, not once per row)."""
        sort_key = self._key_function()
        needle = self.filter_text.strip().casefold()
        if not needle:
            return sort_key
        return lambda item: sort_key(item) if matches(item, needle) else None

    def _key_of(self, item: ChatListItem | None) -> tuple | None:
        """The sort key `item` has in its section list, or None when it is not shown (the lists
        are searched by key; a key is derived from its stored item, never stored)."""
        return None if item is None else self._shown_key_function()(item)

    def _discard(self, item: ChatListItem) -> None:
        i = self._order.find(item)
        if i is not None:
            self._order.delete(item.section, i)

    def _rebuild(self) -> None:
        """Order every item again (the sort mode, the filter or many rows changed)."""
        items = self._items
        self._replace(items.values(), items)

    def _replace(self, rows: Collection[ChatListItem], items: dict[str, ChatListItem] | None) -> None:
        """Show `rows` (`items`: the same by id when known). Unfiltered and past LAZY_ROWS, only
        the rows on screen are ordered before the next frame (`_row`), the rest after it."""
        sort_key, needle = self._key_function(), self.filter_text.strip().casefold()
        if needle or len(rows) <= LAZY_ROWS or not self.is_mounted:
            self._pending = None
            self._done = full_order(
                items if items is not None else {row.chat_id: row for row in rows},
                sort_key,
                needle,
                self._rank_function(),
            )
            self._totals = dict(self._done.totals)
            if self._cursor is None or self._key_of(self._done.items.get(self._cursor)) is None:
                self._cursor = self._id_at(0)
        else:
            pending = self._pending = PendingOrder(rows, items, sort_key, self._rank_function())
            self._totals = {s: len(group) for s, group in pending.groups.items()}
            if self._cursor is None or not pending.has(self._cursor):
                self._cursor = self._id_at(0)
            self.call_after_refresh(self._complete)
        self._row_cache.clear()
        self._structure_changed()

    def _keep_cursor_shown(self) -> None:
        """Move the cursor to the first row when its chat is no longer shown."""
        if self._cursor is not None and self._key_of(self._items.get(self._cursor)) is None:
            self._cursor = self._id_at(0)

    def _header_lines(self, section: str) -> int:
        """1, or 0 for an optional section without any chat (its header is hidden)."""
        return 0 if section in OPTIONAL_SECTIONS and not self._totals[section] else 1

    def _structure_changed(self) -> None:
        self._places += 1
        line = 0
        for s in SECTIONS:
            self._starts[s] = line
            line += self._header_lines(s) + ROW_HEIGHT * self._count(s)
        self.virtual_size = Size(0, line)
        self._repaint()

    def _refresh_header(self, section: str) -> None:
        if self.is_mounted:
            self.refresh_lines(self._starts[section], 1)

    # --- positions ----------------------------------------------------------------------------

    def _id_at(self, index: int) -> str | None:
        if index < 0:
            return None
        for s in SECTIONS:
            count = self._count(s)
            if index < count:
                return self._row(s, index).chat_id
            index -= count
        return None

    def _position(self, chat_id: str | None) -> tuple[str, int] | None:
        """(section, index in it) of a shown chat; None when unknown or filtered out."""
        item = self._items.get(chat_id) if chat_id is not None else None
        key = self._key_of(item)
        if item is None or key is None:
            return None
        i = self._order.find(item)
        return None if i is None else (item.section, i)

    def _index_of(self, chat_id: str | None) -> int:
        position = self._position(chat_id)
        if position is None:
            return -1
        section, i = position
        return sum(self._count(s) for s in SECTIONS[: SECTIONS.index(section)]) + i

    def _line_of(self, chat_id: str) -> int | None:
        position = self._position(chat_id)
        if position is None:
            return None
        section, i = position
        return self._starts[section] + self._header_lines(section) + ROW_HEIGHT * i

    def _at_line(self, line: int) -> tuple[str, ChatListItem | None, int]:
        """(section, row or None for the header, row line 0/1) of a virtual line."""
        for s in SECTIONS:
            start, header = self._starts[s], self._header_lines(s)
            if line < start + header + ROW_HEIGHT * self._count(s):
                if header and line == start:
                    return s, None, 0
                index, sub = divmod(line - start - header, ROW_HEIGHT)
                return s, self._row(s, index), sub
        return "", None, -1

    # --- cursor -------------------------------------------------------------------------------

    @property
    def cursor_index(self) -> int:
        """Index of the highlighted chat among the shown chats, or -1."""
        return self._index_of(self._cursor)

    @property
    def selected_chat_id(self) -> str | None:
        """The highlighted chat id (None when the list is empty)."""
        return self._cursor

    @selected_chat_id.setter
    def selected_chat_id(self, chat_id: str | None) -> None:
        self._set_cursor(chat_id, post=False)

    def _set_cursor(self, chat_id: str | None, post: bool = True) -> None:
        if chat_id is not None and self._key_of(self._items.get(chat_id)) is None:
            return
        old, self._cursor = self._cursor, chat_id
        for cid in (old, chat_id):
            y = self._line_of(cid) if cid else None
            if y is not None:
                self.refresh_lines(y, ROW_HEIGHT)
        if chat_id is not None:
            self._scroll_to_chat(chat_id)
            if post and chat_id != old:
                self.post_message(self.ChatHighlighted(self, chat_id))

    def _scroll_to_chat(self, chat_id: str) -> None:
        y = self._line_of(chat_id)
        height = self.scrollable_content_region.height
        if y is None or height <= 0:
            return
        section = self._items[chat_id].section
        if self._header_lines(section) and self._starts[section] == y - 1:
            y -= 1  # show the section header with the first row
        top = round(self.scroll_y)
        if y < top:
            self.scroll_to(y=y, animate=False, immediate=True)
        elif y + ROW_HEIGHT + 1 > top + height:
            self.scroll_to(y=max(0, y + ROW_HEIGHT + 1 - height), animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        """Move the cursor by `delta` chats."""
        count = self.item_count
        if not count:
            return
        index = self.cursor_index
        index = 0 if index < 0 else max(0, min(count - 1, index + delta))
        self._set_cursor(self._id_at(index))

    def action_cursor_to(self, index: int) -> None:
        """Move the cursor to chat `index` (negative counts from the end)."""
        count = self.item_count
        if count:
            self._set_cursor(self._id_at(index % count))

    def action_page(self, direction: int) -> None:
        """Move the cursor one page up (-1) or down (1)."""
        rows = max(1, self.scrollable_content_region.height // ROW_HEIGHT - 1)
        self.action_cursor(direction * rows)

    def action_select(self) -> None:
        """Open the highlighted chat."""
        if self._cursor is not None:
            self.post_message(self.ChatSelected(self, self._cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        _, row, _ = self._at_line(offset.y + round(self.scroll_y))
        if row is not None:
            self._set_cursor(row.chat_id)
            self.post_message(self.ChatSelected(self, row.chat_id))

    # --- reactives ----------------------------------------------------------------------------

    def watch_filter_text(self) -> None:
        self._rebuild()
        self.scroll_to(y=0, animate=False, immediate=True)

    def watch_sort_mode(self) -> None:
        self._rebuild()
        if self._cursor is not None:
            self._scroll_to_chat(self._cursor)

    def on_mount(self) -> None:
        self.set_interval(30, self.refresh)  # waiting times move on

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache.clear()
        self._row_cache.clear()

    # --- rendering ----------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        style = self._style_cache.get(name)
        if style is None:
            style = self._style_cache[name] = component_style(self, name)
        return style

    def render_line(self, y: int) -> Strip:
        self.lines_rendered += 1
        self._repaint_asked = False
        width = self.scrollable_content_region.width
        section, row, sub = self._at_line(y + round(self.scroll_y))
        if sub < 0:
            return Strip.blank(width, self.rich_style)
        if row is None:
            return self._header_strip(section, width)
        return self._row_strips(row, width)[sub]

    def _header_strip(self, section: str, width: int) -> Strip:
        shown, total = self._count(section), self._totals[section]
        count = f"{shown}/{total}" if shown != total else str(total)
        text = clip(f" {SECTION_TITLES[section]} ({count})", width)
        style = self.rich_style + self._style("chat-list--header")
        return Strip([Segment(text, style)]).adjust_cell_length(width, style)

    def _row_strips(self, item: ChatListItem, width: int) -> tuple[Strip, Strip]:
        selected = item.chat_id == self._cursor
        age = ""
        waited = 0.0
        if item.waiting_since is not None and item.active:
            waited = max(0.0, self.clock() - item.waiting_since)
            age = format_age(waited)
        key = (id(item), width, selected, age)
        cached = self._row_cache.get(key)
        if cached is not None:
            return cached[1]
        strips = build_row(item, width, selected, age, waited, self.rich_style, self._style)
        self._row_cache[key] = (item, strips)
        return strips
