"""PaneLayout without Textual: the classes it sets on a node for a width and the agent's toggles."""

from __future__ import annotations

from lcconsole.ui.screens.layout import PaneLayout


class Node:
    """A node's CSS classes, as a set."""

    def __init__(self) -> None:
        self.classes: set[str] = set()

    def has_class(self, *class_names: str) -> bool:
        return set(class_names) <= self.classes

    def set_class(self, add: bool, *class_names: str, update: bool = True) -> Node:
        return self.add_class(*class_names) if add else self.remove_class(*class_names)

    def add_class(self, *class_names: str, update: bool = True) -> Node:
        self.classes |= set(class_names)
        return self

    def remove_class(self, *class_names: str, update: bool = True) -> Node:
        self.classes -= set(class_names)
        return self

    def toggle_class(self, *class_names: str) -> Node:
        self.classes ^= set(class_names)
        return self


def test_the_details_pane_is_full_then_slim_then_hidden_as_the_width_shrinks() -> None:
    node = Node()
    layout = PaneLayout(node)
    layout.fit(136)  # 34 + 60 + 42
    assert node.classes == set() and layout.right_fits
    layout.fit(135)
    assert node.classes == {"-slim-right"}
    layout.fit(120)  # 34 + 60 + 26
    assert node.classes == {"-slim-right"}
    layout.fit(119)
    assert node.classes == {"-hide-right"} and not layout.right_fits
    layout.fit(99)
    assert node.classes == {"-hide-right", "-narrow"}
    layout.fit(140)
    assert node.classes == set()


def test_f3_overlays_a_details_pane_that_does_not_fit_and_the_overlay_ends_when_it_fits() -> None:
    node = Node()
    layout = PaneLayout(node)
    layout.fit(110)
    layout.toggle("right", 110)
    assert node.classes == {"-hide-right", "-overlay-right"}
    layout.toggle("right", 110)
    assert node.classes == {"-hide-right"}
    layout.toggle("right", 110)
    layout.fit(150)
    assert node.classes == set()


def test_a_details_pane_the_agent_hid_stays_hidden_across_widths() -> None:
    node = Node()
    layout = PaneLayout(node)
    layout.fit(150)
    layout.toggle("right", 150)
    assert node.classes == {"-hide-right"}
    layout.fit(100)
    layout.fit(160)
    assert node.classes == {"-hide-right"}
    layout.toggle("right", 160)
    assert node.classes == set()


def test_hiding_the_chat_list_makes_room_for_the_details_pane_and_show_brings_panes_back() -> None:
    node = Node()
    layout = PaneLayout(node)
    layout.fit(110)
    assert "-hide-right" in node.classes
    layout.toggle("left", 110)  # 0 + 60 + 42 <= 110
    assert node.classes == {"-hide-left"} and layout.right_fits
    layout.toggle("centre", 110)
    layout.show("centre")
    layout.show("left")
    assert node.classes == set()
