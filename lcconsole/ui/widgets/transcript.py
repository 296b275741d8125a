"""Transcript: the thread view (Line API). Entries are wrapped once per width; only visible lines
are drawn; rich-message buttons can be selected and pressed from the keyboard."""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from lcconsole.ui.text import clip, sanitize
from lcconsole.ui.viewmodels import TranscriptEntry
from lcconsole.ui.widgets._messages import PaneMessage
from lcconsole.ui.widgets._styles import component_style
from lcconsole.ui.widgets._transcript_buttons import ButtonsMixin
from lcconsole.ui.widgets._transcript_cursor import CursorMixin
from lcconsole.ui.widgets._transcript_layout import common_prefix, entry_height, entry_strips

PARTS = (
    "customer",
    "agent",
    "author",
    "note",
    "note-body",
    "system",
    "thread",
    "time",
    "label",
    "body",
    "detail",
    "link",
    "more",
    "button",
    "button-pressed",
    "button-selected",
    "pending",
    "failed",
    "marker",
    "typing",
    "cursor",
    "summary",
    "summary-body",
    "deleted",
)


LAZY_LAYOUT_FROM = 1000
"""Threads with this many entries or more are laid out from the newest: the first frame waits
for the entries it shows, not for wrapping every older message (half of opening 10k events)."""
ESTIMATED_HEIGHT = 2  # lines assumed for an entry not laid out yet (a one-line message)


class Transcript(CursorMixin, ButtonsMixin, ScrollView, can_focus=True):
    """The events of a chat, oldest first, with thread separators, a new-messages marker and a
    typing line at the bottom."""

    DEFAULT_CSS = """
    Transcript { overflow-y: scroll; overflow-x: hidden; }
    """
    COMPONENT_CLASSES = {f"transcript--{part}" for part in PARTS}
    BINDINGS = [
        Binding("up", "scroll_lines(-1)", "Up", show=False, id="transcript.up", tooltip="Scroll up one line"),
        Binding("down", "scroll_lines(1)", "Down", show=False, id="transcript.down", tooltip="Scroll down one line"),
        Binding(
            "pageup", "scroll_page(-1)", "Page up", show=False, id="transcript.page_up", tooltip="Scroll up one page"
        ),
        Binding(
            "pagedown",
            "scroll_page(1)",
            "Page down",
            show=False,
            id="transcript.page_down",
            tooltip="Scroll down one page",
        ),
        Binding(
            "home",
            "top",
            "Oldest",
            show=False,
            id="transcript.top",
            tooltip="Scroll to the oldest loaded event (loads older threads)",
        ),
        Binding("end", "bottom", "Newest", show=False, id="transcript.bottom", tooltip="Scroll to the newest event"),
        Binding(
            "right",
            "button(1)",
            "Next button",
            id="transcript.next_button",
            tooltip="Select the next rich-message button",
        ),
        Binding(
            "left",
            "button(-1)",
            "Prev button",
            id="transcript.previous_button",
            tooltip="Select the previous rich-message button",
        ),
        Binding(
            "enter,space", "press", "Press", id="transcript.press", tooltip="Press the selected rich-message button"
        ),
        Binding(
            "escape",
            "unselect",
            "Unselect",
            show=False,
            id="transcript.unselect",
            tooltip="Clear the button selection and the message highlight",
        ),
        Binding(
            "k",
            "cursor(-1)",
            "Older message",
            show=False,
            id="message.up",
            tooltip="Highlight the previous (older) message",
        ),
        Binding(
            "j",
            "cursor(1)",
            "Newer message",
            show=False,
            id="message.down",
            tooltip="Highlight the next (newer) message",
        ),
        Binding(
            "g",
            "cursor_edge(False)",
            "Oldest message",
            show=False,
            id="message.first",
            tooltip="Highlight the oldest loaded message (again: load older threads)",
        ),
        Binding(
            "G",
            "cursor_edge(True)",
            "Newest message",
            show=False,
            id="message.last",
            tooltip="Highlight the newest message",
        ),
    ]

    class PostbackPressed(PaneMessage):
        """A rich-message button was pressed; `toggled` is the new state for me."""

        def __init__(
            self, transcript: Transcript, thread_id: str, event_id: str, postback_id: str, toggled: bool
        ) -> None:
            self.thread_id = thread_id
            self.event_id = event_id
            self.postback_id = postback_id
            self.toggled = toggled
            super().__init__(transcript)

    class LoadOlderRequested(PaneMessage):
        """The user reached the top: the screen may prepend older threads."""

    def __init__(
        self,
        entries: Iterable[TranscriptEntry] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._entries: list[TranscriptEntry] = list(entries)
        self._index: dict[str, int] = {}
        self._heights: list[int] = []
        self._starts: array[int] = array("q", [0])  # first line of each entry (8 B each, no int objects)
        self._width = 0
        self._marker_order: int | None = None
        self._marker_at: int | None = None
        self._typing: str | None = None
        self._button: tuple[str, int] | None = None  # (entry key, button index)
        self._cursor: str | None = None  # key of the highlighted message
        self.auto_scroll = True
        """Follow new entries: True while the view is at the bottom (scrolling up turns it off,
        reaching the bottom turns it on again)."""
        self._older_requested = False
        self._cache: LRUCache[tuple, tuple] = LRUCache(256)
        """Drawn entries keyed by (id(entry), width, selected button, cursor): a changed entry
        or highlight is a new key, never an overwrite; the value holds the entry, so its id is
        not reused while cached."""
        self._styles: dict[str, Style] = {}
        self.has_older = True
        """Set False when there is nothing older to load (no LoadOlderRequested then)."""
        self.lines_rendered = 0
        self._estimated = False  # older entries' heights are estimates until _finish_layout
        self._reindex()

    # --- public API ---------------------------------------------------------------------------

    @property
    def entries(self) -> list[TranscriptEntry]:
        """The entries shown (read only)."""
        return self._entries

    @property
    def selected_button(self) -> tuple[str, int] | None:
        """(entry key, button index) of the selected button, or None."""
        return self._button

    def set_entries(self, entries: Iterable[TranscriptEntry]) -> None:
        """Replace everything and show the newest entries.

        When the new list is the current one with older entries in front (older threads loaded),
        this works as `prepend`; when only its last few entries differ (a pending send became
        its event), only those are laid out again. The view stays where it was in both cases.
        """
        entries = list(entries)
        old, count = self._entries, len(self._entries)
        if count and len(entries) > count and self._width and [e.key for e in entries[-count:]] == [e.key for e in old]:
            for before, after in zip(old, entries[-count:], strict=False):
                if before is not after and before != after:
                    self.replace(after)
            self.prepend(entries[:-count])
            return
        if count and self._width and self._splice_tail(entries):
            return
        self._entries = entries
        self._button = None
        self._cursor = None
        self._older_requested = False
        self.auto_scroll = True
        self._cache.clear()
        self._reindex()
        self._relayout()
        self._scroll_bottom()
        self.refresh_bindings()
        self.refresh()  # same line count, other content: still repaint

    SPLICE_LIMIT = 64
    """At most this many trailing entries are replaced in place by `set_entries`."""

    def _splice_tail(self, entries: list[TranscriptEntry]) -> bool:
        """Keep the common prefix, replace the (short) rest; False when that does not apply."""
        old = self._entries
        p = common_prefix(old, entries)
        tail = entries[p:]
        if (
            not p
            or len(old) - p > self.SPLICE_LIMIT
            or len(tail) > self.SPLICE_LIMIT
            or any(self._index.get(e.key, p) < p for e in tail)
        ):  # a key moved: rebuild
            return False
        for entry in old[p:]:
            del self._index[entry.key]
        del old[p:], self._heights[p:]
        for entry in tail:
            self._index[entry.key] = len(old)
            old.append(entry)
            self._heights.append(entry_height(entry, self._width))
        self._forget_cursor()
        buttons = any(e.buttons for e in tail)
        if self._button and self._button[0] not in self._index:
            self._button, buttons = None, True
        self._update_marker()
        self._set_virtual_size()
        if self.auto_scroll:
            self._scroll_bottom()
        if buttons:
            self.refresh_bindings()
        self.refresh()
        return True

    def append(self, entry: TranscriptEntry) -> None:
        """Add an entry at the end (replaces one with the same key); follows it when at bottom."""
        if entry.key in self._index:
            self.replace(entry)
            return
        stick = self.auto_scroll
        self._index[entry.key] = len(self._entries)
        self._entries.append(entry)
        if self._width:
            height = entry_height(entry, self._width)
            self._heights.append(height)
            if self._marker_order is not None and self._marker_at is None and self._is_new(entry):
                self._update_marker()
            else:
                self._starts.append(self._starts[-1] + height)
            self._set_virtual_size()
        if stick:
            self._scroll_bottom()
        if entry.buttons:
            self.refresh_bindings()
        self.refresh()

    def replace(self, entry: TranscriptEntry, key: str | None = None) -> None:
        """Replace the entry with `key` (default `entry.key`), e.g. a pending send by its event."""
        if key is not None and key != entry.key and entry.key in self._index:
            self.remove(key)  # the event already arrived (e.g. by push): drop the pending copy
            key = None
        index = self._index.get(key or entry.key)
        if index is None:
            self.append(entry)
            return
        old = self._entries[index]
        self._entries[index] = entry
        if old.key != entry.key:
            del self._index[old.key]
            self._index[entry.key] = index
            if self._cursor == old.key:
                self._cursor = entry.key
        if self._width and entry_height(entry, self._width) != self._heights[index]:
            self._heights[index] = entry_height(entry, self._width)
            self._update_marker()
            self._set_virtual_size()
            if self.auto_scroll:
                self._scroll_bottom()
        self.refresh()

    def remove(self, key: str) -> None:
        """Remove the entry with `key` (no-op when absent)."""
        index = self._index.get(key)
        if index is None:
            return
        del self._entries[index]
        if self._button and self._button[0] == key:
            self._button = None
            self.refresh_bindings()
        self._reindex()
        self._forget_cursor()
        if self._width:
            del self._heights[index]
            self._update_marker()
            self._set_virtual_size()
        self.refresh()

    def prepend(self, entries: Iterable[TranscriptEntry]) -> None:
        """Insert older entries at the top, keeping the visible lines where they are."""
        new = [e for e in entries if e.key not in self._index]
        if not new:
            self._older_requested = False
            return
        self._entries[:0] = new
        self._reindex()
        self._older_requested = False
        if self._width:
            self._heights[:0] = [entry_height(e, self._width) for e in new]
            self._update_marker()
            self._set_virtual_size()
            if self.auto_scroll:
                self._scroll_bottom()
            else:  # the old first entry moved down by everything inserted above it
                self.scroll_to(y=self.scroll_y + self._starts[len(new)], animate=False, immediate=True)
        self.refresh()

    def set_new_marker(self, order: int | None) -> None:
        """Show a "new" line before the first event whose order is >= `order` (None hides).

        Pass the order of the first event the agent has not seen.
        """
        self._marker_order = order
        if self._width:
            self._update_marker()
            self._set_virtual_size()
        self.refresh()

    def set_typing(self, text: str | None) -> None:
        """Show `text` (typing indicator or sneak peek) as the last line; None hides it."""
        self._typing = text or None
        if self._width:
            self._set_virtual_size()
            if self.auto_scroll:
                self._scroll_bottom()
        self.refresh()

    # --- layout -------------------------------------------------------------------------------

    def _reindex(self) -> None:
        self._index = {e.key: i for i, e in enumerate(self._entries)}

    def _is_new(self, entry: TranscriptEntry) -> bool:
        return entry.order >= (self._marker_order or 0) and entry.kind not in ("pending", "failed", "thread_start")

    def _update_marker(self) -> None:
        self._marker_at = None
        if self._marker_order is not None:
            for i in range(len(self._entries) - 1, -1, -1):
                entry = self._entries[i]
                if entry.kind in ("pending", "failed"):
                    continue
                if entry.order < self._marker_order:
                    break
                if entry.kind != "thread_start":
                    self._marker_at = i
        heights = self._heights
        if self._marker_at is not None:
            heights = heights.copy()
            heights[self._marker_at] += 1
        self._starts = array("q", [0])
        self._starts.extend(accumulate(heights))

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width if self.is_mounted else 0
        self._width = width
        self._cache.clear()
        self._estimated = False
        if not width:
            return
        entries = self._entries
        if len(entries) < LAZY_LAYOUT_FROM or not self.auto_scroll:
            self._heights = [entry_height(e, width) for e in entries]
        else:  # a long thread shown at its bottom: the newest screens first, the rest after the frame
            self._heights = self._newest_laid_out(width)
            self._estimated = True
            self.call_after_refresh(self._finish_layout)
        self._update_marker()
        self._set_virtual_size()

    def _newest_laid_out(self, width: int) -> list[int]:
        """Heights of the entries: exact for the newest ones filling two screens, an estimate
        (ESTIMATED_HEIGHT) for the older ones."""
        entries, need = self._entries, 2 * max(1, self.container_size.height)
        index, total = len(entries), 0
        tail: list[int] = []
        while index and total < need:
            index -= 1
            tail.append(entry_height(entries[index], width))
            total += tail[-1]
        tail.reverse()
        return [ESTIMATED_HEIGHT] * index + tail

    def _finish_layout(self) -> None:
        """Exact heights for every entry after a lazy layout (see `_relayout`), keeping the view
        where it is: at the bottom, or (scrolled meanwhile) on the same line of the same entry."""
        if not self._estimated or not self._width:
            return
        self._estimated = False
        anchor = None if self.auto_scroll else self._line_position(round(self.scroll_y))
        self._heights = [entry_height(e, self._width) for e in self._entries]
        self._update_marker()
        self._set_virtual_size()
        if anchor is not None and anchor[0] < len(self._entries):
            index, offset = anchor
            y = self._starts[index] + min(offset, self._starts[index + 1] - self._starts[index] - 1)
            self.scroll_to(y=y, animate=False, immediate=True)
        self.refresh()

    def _set_virtual_size(self) -> None:
        self.virtual_size = Size(0, self._starts[-1] + (1 if self._typing else 0))
        if self.auto_scroll and self._width:  # any growth (marker, typing line, tail) keeps the bottom
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def _scroll_bottom(self) -> None:
        self.auto_scroll = True
        if self._width:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if width == self._width:
            if self.auto_scroll:  # only the height changed (e.g. the composer grew): keep the bottom
                self.call_after_refresh(self._scroll_bottom)
            return
        anchor = self._line_position(round(self.scroll_y)) if self._width else None
        self._relayout()
        if self.auto_scroll or anchor is None:
            self.call_after_refresh(self._scroll_bottom)
            self._scroll_bottom()
        else:
            index, offset = anchor
            if index < len(self._entries):
                y = self._starts[index] + min(offset, self._starts[index + 1] - self._starts[index] - 1)
                self.scroll_to(y=y, animate=False, immediate=True)

    def _line_position(self, line: int) -> tuple[int, int]:
        """(entry index, line within the entry incl. marker) of a virtual line."""
        index = bisect_right(self._starts, line) - 1
        return index, line - self._starts[index]

    # --- scrolling and the older-history request ----------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.auto_scroll = new_value >= self.max_scroll_y
        if new_value <= 0 < old_value:
            self._request_older()
        elif new_value > 0:
            self._older_requested = False

    def _request_older(self) -> None:
        if self.has_older and not self._older_requested and self._entries:
            self._older_requested = True
            self.post_message(self.LoadOlderRequested(self))

    def action_scroll_lines(self, delta: int) -> None:
        """Scroll by `delta` lines (at the top, ask for older history)."""
        if delta < 0 and self.scroll_y <= 0:
            self._request_older()
        self.scroll_to(y=self.scroll_y + delta, animate=False, immediate=True)

    def action_scroll_page(self, direction: int) -> None:
        """Scroll one page up (-1) or down (1)."""
        self.action_scroll_lines(direction * max(1, self.scrollable_content_region.height - 1))

    def action_top(self) -> None:
        """Scroll to the top (asks for older history)."""
        if self.scroll_y <= 0:
            self._request_older()
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_bottom(self) -> None:
        """Scroll to the newest line."""
        self._scroll_bottom()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if self.scroll_y <= 0:
            self._request_older()

    # --- rendering ----------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    def _style(self, part: str) -> Style:
        style = self._styles.get(part)
        if style is None:
            style = self.rich_style + component_style(self, f"transcript--{part}")
            self._styles[part] = style
        return style

    def render_line(self, y: int) -> Strip:
        self.lines_rendered += 1
        width = self.scrollable_content_region.width
        if width != self._width:
            self._relayout()
        line = y + round(self.scroll_y)
        if line >= self._starts[-1]:
            if self._typing and line == self._starts[-1]:
                text = clip(sanitize(self._typing, newlines=False), width)
                return Strip([Segment(text, self._style("typing"))]).adjust_cell_length(width, self.rich_style)
            return Strip.blank(width, self.rich_style)
        index, local = self._line_position(line)
        if self._marker_at == index:
            if local == 0:
                label = "── new "
                text = label + "─" * max(0, width - len(label))
                return Strip([Segment(text[:width], self._style("marker"))])
            local -= 1
        strips = self._entry_strips(index, width)
        return strips[local] if local < len(strips) else Strip.blank(width, self.rich_style)

    def _entry_strips(self, index: int, width: int) -> list[Strip]:
        entry = self._entries[index]
        selected = self._button[1] if self._button and self._button[0] == entry.key else -1
        cursor = entry.key == self._cursor
        key = (id(entry), width, selected, cursor)
        cached = self._cache.get(key)
        if cached is not None:
            return cached[1]
        strips = entry_strips(entry, width, selected, self.rich_style, self._style)
        if cursor:
            highlight = component_style(self, "transcript--cursor")
            strips = [
                Strip(
                    [
                        Segment(text, (style + highlight) if style else highlight, control)
                        for text, style, control in strip
                    ],
                    strip.cell_length,
                )
                for strip in strips
            ]
        self._cache[key] = (entry, strips)
        return strips
