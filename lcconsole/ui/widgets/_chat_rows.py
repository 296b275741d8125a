"""Drawing of one ChatList row (two lines) from a ChatListItem."""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from lcconsole.ui.chat_items import ChatListItem
from lcconsole.ui.text import clip, one_line, sanitize

LONG_WAIT = 300.0  # seconds after which the waiting time is shown as urgent


def format_age(seconds: float) -> str:
    """`42` -> `<1m`, `190` -> `3m`, `7300` -> `2h`, `200000` -> `2d`."""
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    return f"{int(seconds // 86400)}d"


def build_row(
    item: ChatListItem,
    full_width: int,
    selected: bool,
    age: str,
    waited: float,
    base: Style,
    style: Callable[[str], Style],
) -> tuple[Strip, Strip]:
    """The two lines of a chat row: name, unread badge, waiting time and "as of" time (always in
    the same right-aligned column); preview and tags (with a one-cell right margin)."""
    width = max(0, full_width - 1)
    if not item.active:
        base = base + style("chat-list--closed")
    cursor = style("chat-list--cursor") if selected else None

    def seg(text: str, component: str | None = None) -> Segment:
        part = base + style(component) if component else base
        return Segment(text, part + cursor if cursor else part)

    row_style = base + cursor if cursor else base
    right: list[Segment] = []
    if item.unread:
        right.append(seg(" "))
        right.append(seg(f" {min(item.unread, 999)} ", "chat-list--unread"))
    if age:
        urgent = waited >= LONG_WAIT
        right.append(seg(f" {age:>3}", "chat-list--waiting-long" if urgent else "chat-list--waiting"))
    if item.as_of is not None:  # no pushes keep this row current
        right.append(seg(" as of " + time.strftime("%H:%M", time.localtime(item.as_of)), "chat-list--as-of"))
    right_width = sum(s.cell_length for s in right)
    marker = seg("★ " if item.followed else "  ", "chat-list--followed")
    name = clip(one_line(item.customer_name, 120), max(0, width - 2 - right_width - 1))
    first = [marker, seg(name, "chat-list--name")]
    line1 = Strip(first).adjust_cell_length(max(0, width - right_width), row_style)
    line1 = Strip([*line1, *right]).crop(0, width).adjust_cell_length(width, row_style)

    tags = " ".join("#" + sanitize(t, newlines=False) for t in item.tags)
    tags = clip(tags, max(0, width // 3)) if tags else ""
    tags_width = cell_len(tags) + 1 if tags else 0
    preview = clip(one_line(item.preview, 200), max(0, width - 2 - tags_width))
    if item.typing:
        lead = seg("✎ ", "chat-list--typing")
    elif item.draft:
        lead = seg("✐ ", "chat-list--draft")
    else:
        lead = seg("  ")
    second = [lead, seg(preview, "chat-list--preview")]
    line2 = Strip(second).adjust_cell_length(max(0, width - tags_width), row_style)
    if tags:
        tag_seg = seg(" " + tags, "chat-list--tag")
        line2 = Strip([*line2, tag_seg]).crop(0, width)
    return (line1.adjust_cell_length(full_width, row_style), line2.adjust_cell_length(full_width, row_style))
