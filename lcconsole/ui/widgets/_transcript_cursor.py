"""The Transcript's message cursor: one highlighted entry that `message.view` / `message.copy` act
on, moved with j/k/g/G in the transcript (and shift+up/down from the composer)."""

from __future__ import annotations

from typing import Any


class CursorMixin:
    """Message cursor for Transcript (uses its entries, index and line starts)."""

    _entries: list[Any]
    _index: dict[str, int]
    _cursor: str | None = None

    @property
    def cursor_entry(self) -> Any:
        """The highlighted entry, or None when no message is highlighted."""
        index = self._index.get(self._cursor) if self._cursor else None
        return self._entries[index] if index is not None else None

    def _targets(self) -> list[int]:
        return [i for i, e in enumerate(self._entries) if e.kind != "thread_start"]

    def move_cursor(self, delta: int) -> None:
        """Move the highlight `delta` messages (negative: older); the first move starts at the
        newest message."""
        targets = self._targets()
        if not targets:
            return
        current = self._index.get(self._cursor) if self._cursor else None
        if current is None or current not in targets:
            position = len(targets) - 1
        else:
            position = max(0, min(len(targets) - 1, targets.index(current) + delta))
        self._set_cursor(targets[position])

    def action_cursor(self, delta: int) -> None:
        """Move the message cursor (j/k)."""
        self.move_cursor(delta)

    def action_cursor_edge(self, last: bool) -> None:
        """Highlight the newest (G) or the oldest loaded (g; asks for older history) message."""
        targets = self._targets()
        if not targets:
            return
        if not last and self._cursor and self._index.get(self._cursor) == targets[0]:
            self._request_older()  # already on the oldest loaded one
        self._set_cursor(targets[-1 if last else 0])

    def clear_cursor(self) -> None:
        """Remove the highlight."""
        if self._cursor is not None:
            self._cursor = None
            self.refresh_bindings()
            self.refresh()

    def _set_cursor(self, index: int) -> None:
        old = self._cursor
        self._cursor = self._entries[index].key
        if old is None:
            self.refresh_bindings()
        self.refresh()
        if not self._width:
            return
        if index == len(self._entries) - 1:
            self._scroll_bottom()
            return
        top, bottom = self._starts[index], self._starts[index + 1]
        view_top = round(self.scroll_y)
        height = self.scrollable_content_region.height
        if top < view_top or bottom - top > height:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif bottom > view_top + height:
            self.scroll_to(y=bottom - height, animate=False, immediate=True)

    def _forget_cursor(self) -> None:
        """Drop the highlight when its entry is gone."""
        if self._cursor is not None and self._cursor not in self._index:
            self._cursor = None
