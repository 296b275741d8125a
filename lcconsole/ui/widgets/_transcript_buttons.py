"""Rich-message buttons of the Transcript: keyboard selection, pressing and clicking."""

from __future__ import annotations

from typing import Any

from textual import events

from lcconsole.ui.widgets._transcript_layout import entry_lines


class ButtonsMixin:
    """Button selection for Transcript (uses its entries, layout and PostbackPressed)."""

    _entries: list[Any]
    _index: dict[str, int]
    _button: tuple[str, int] | None

    def _button_refs(self) -> list[tuple[int, int]]:
        return [(i, b) for i, e in enumerate(self._entries) for b in range(len(e.buttons))]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Button keys only while there are buttons (so they show in the footer only then, and
        escape / arrows pass on otherwise)."""
        if action == "button":
            return any(entry.buttons for entry in self._entries)
        if action == "press":
            return self._button is not None
        if action == "unselect":
            return self._button is not None or self._cursor is not None
        return True

    def action_button(self, direction: int) -> None:
        """Select the next (1) or previous (-1) button; the first press picks the newest."""
        refs = self._button_refs()
        if not refs:
            return
        current = None
        if self._button is not None and self._button[0] in self._index:
            current = (self._index[self._button[0]], self._button[1])
        if current is None or current not in refs:
            target = refs[-1]
        else:
            pos = refs.index(current) + direction
            target = refs[max(0, min(len(refs) - 1, pos))]
        self._select_button(target[0], target[1])

    def _select_button(self, index: int, button: int) -> None:
        self._button = (self._entries[index].key, button)
        self.refresh_bindings()
        self.refresh()
        if self._width:
            lines = entry_lines(self._entries[index], self._width)
            local = next((n for n, line in enumerate(lines) if any(p == f"button:{button}" for _, p in line)), 0)
            y = self._starts[index] + (self._marker_at == index) + local
            height = self.scrollable_content_region.height
            if not round(self.scroll_y) <= y < round(self.scroll_y) + height:
                self.scroll_to(y=max(0, y - height // 2), animate=False, immediate=True)

    def action_press(self) -> None:
        """Press the selected button (posts PostbackPressed)."""
        if self._button is None or self._button[0] not in self._index:
            return
        entry = self._entries[self._index[self._button[0]]]
        postback_id, _, pressed = entry.buttons[self._button[1]]
        self.post_message(self.PostbackPressed(self, entry.thread_id, entry.key, postback_id, not pressed))

    def action_unselect(self) -> None:
        """Clear the button selection, then the message highlight."""
        if self._button is None:
            self.clear_cursor()
        else:
            self._button = None
            self.refresh_bindings()
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._width:
            return
        line = offset.y + round(self.scroll_y)
        if line >= self._starts[-1]:
            return
        index, local = self._line_position(line)
        local -= self._marker_at == index
        lines = entry_lines(self._entries[index], self._width)
        if 0 <= local < len(lines):
            for _, part in lines[local]:
                if part.startswith("button:"):
                    self._select_button(index, int(part[7:]))
                    self.action_press()
