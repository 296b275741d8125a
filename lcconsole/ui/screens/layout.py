"""PaneLayout: which of the main screen's panes show, and how wide, for the screen's width.

The layout is CSS classes on the screen (styles/layout.tcss): `-narrow` (a narrower chat list),
`-slim-right` (a narrower details pane), `-hide-left` / `-hide-right` / `-hide-centre` (a pane
hidden), `-overlay-right` (the details pane over the others). `PaneLayout` decides them from the
width and the agent's toggles (F2, F3); it knows the screen only as something with classes.
"""

from __future__ import annotations

from typing import Protocol

SMALL = 100  # below this width the chat list is narrower
MIN_TRANSCRIPT = 60  # columns the conversation keeps; the details pane narrows or hides first
LEFT_WIDTHS = (30, 34)  # chat list: narrow, normal (styles/layout.tcss)
RIGHT_WIDE, RIGHT_SLIM = 42, 26  # details pane widths (styles/layout.tcss)


class Classes(Protocol):
    """A node's CSS classes (Textual's `DOMNode` methods the layout uses)."""

    def has_class(self, *class_names: str) -> bool: ...
    def set_class(self, add: bool, *class_names: str, update: bool = True) -> object: ...
    def add_class(self, *class_names: str, update: bool = True) -> object: ...
    def remove_class(self, *class_names: str, update: bool = True) -> object: ...
    def toggle_class(self, *class_names: str) -> object: ...


class PaneLayout:
    """The panes of `node` for its width: the transcript keeps MIN_TRANSCRIPT columns, so the
    details pane is full, slim, or (when even slim does not fit) hidden, and F3 then shows it as
    an overlay. `right_fits` is whether it fits beside the others; a details pane the agent hid
    stays hidden when the width changes."""

    def __init__(self, node: Classes) -> None:
        self.node = node
        self.right_fits = True
        self._right_hidden_by_user = False

    def fit(self, width: int) -> None:
        """Set the classes for `width` columns."""
        node = self.node
        node.set_class(width < SMALL, "-narrow")
        left = 0 if node.has_class("-hide-left") else LEFT_WIDTHS[width >= SMALL]
        room = width - left - MIN_TRANSCRIPT
        node.set_class(RIGHT_SLIM <= room < RIGHT_WIDE, "-slim-right")
        self.right_fits = room >= RIGHT_SLIM
        if not self.right_fits:
            node.add_class("-hide-right")
        else:
            node.remove_class("-overlay-right")
            if not self._right_hidden_by_user:
                node.remove_class("-hide-right")

    def toggle(self, which: str, width: int) -> None:
        """Hide or show the `left`, `centre` or `right` pane (the right one as an overlay when it
        does not fit); hiding the chat list leaves room for the details pane."""
        if which == "right" and not self.right_fits:
            self.node.toggle_class("-overlay-right")
            return
        if which == "right":
            self._right_hidden_by_user = not self.node.has_class("-hide-right")
        self.node.toggle_class(f"-hide-{which}")
        if which == "left":
            self.fit(width)

    def show(self, which: str) -> None:
        """Show the `left` or `centre` pane if the agent hid it."""
        self.node.remove_class(f"-hide-{which}")
