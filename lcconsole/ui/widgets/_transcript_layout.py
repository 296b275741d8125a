"""Line layout of transcript entries: each entry becomes a list of lines of (text, part) pieces.

`entry_height()` and `entry_lines()` share `_body()` so the height used for scrolling always equals
the number of lines drawn. Parts name component classes (`transcript--<part>`); a part
`button:<i>` marks the line of button `i`.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from lcconsole.ui.clock import format_time, today
from lcconsole.ui.text import cap_lines, clip, one_line, sanitize, shorten_urls, wrap
from lcconsole.ui.viewmodels import TranscriptEntry

Piece = tuple[str, str]
Line = list[Piece]

MAX_SOURCE_LINES = 200  # source lines of one entry considered for drawing
MAX_BODY_LINES = 300  # wrapped lines drawn per entry before "… N more lines"
INDENT = 2

KIND_LABELS = {
    "note": "note · agents only",
    "file": "file",
    "image": "image",
    "rich": "rich message",
    "form": "form",
    "custom": "custom event",
    "annotation": "annotation",
    "pending": "sending…",
    "failed": "not sent",
    "summary": "agents only",
    "deleted": "deleted",
}
AUTHOR_PARTS = {
    "customer": "customer",
    "agent": "agent",
    "note": "note",
    "pending": "pending",
    "failed": "failed",
    "summary": "summary",
}
PREFIXES = {"note": ("┃ ", "note"), "summary": ("┃ ", "summary")}
BODY_PARTS = {
    "note": "note-body",
    "failed": "failed",
    "pending": "pending",
    "custom": "detail",
    "summary": "summary-body",
    "deleted": "deleted",
}


def _wrapped(text: str, avail: int) -> tuple[list[str], int]:
    """Sanitized text wrapped to `avail` cells, capped; returns (lines, hidden source lines)."""
    clean = sanitize(text)
    if (
        "\n" not in clean
        and len(clean) <= avail
        and (len(clean) * 2 <= avail or clean.isascii() or cell_len(clean) <= avail)
    ):
        return [clean], 0
    source, hidden = cap_lines(clean, MAX_SOURCE_LINES)
    out: list[str] = []
    for index, line in enumerate(source):
        out.extend(wrap(shorten_urls(line, avail), avail))
        if len(out) > MAX_BODY_LINES:
            hidden += len(source) - index - 1
            hidden += len(out) - MAX_BODY_LINES
            del out[MAX_BODY_LINES:]
            break
    return out, hidden


def _body(entry: TranscriptEntry, avail: int) -> list[Line]:
    kind = entry.kind
    part = BODY_PARTS.get(kind, "body")
    lines: list[Line] = []
    if entry.text:
        texts, hidden = _wrapped(entry.text, avail)
        lines.extend([(t, part)] for t in texts)
        if hidden:
            lines.append([(f"… {hidden} more lines", "more")])
    for detail in entry.lines:
        link = kind in ("file", "image") and "://" in detail
        texts, hidden = _wrapped(detail, avail)
        lines.extend([(t, "link" if link else "detail")] for t in texts[:20])
        if hidden or len(texts) > 20:
            lines.append([(f"… {hidden + max(0, len(texts) - 20)} more lines", "more")])
    for index, (_, label, pressed) in enumerate(entry.buttons):
        mark = " ✓" if pressed else ""
        text = clip(f"[ {one_line(label, 200)} ]{mark}", avail)
        lines.append([(text, f"button:{index}")])
    if not lines and kind not in ("system", "thread_start"):
        lines.append([("(empty)", "more")])
    return lines


def entry_height(entry: TranscriptEntry, width: int) -> int:
    """Number of lines `entry_lines(entry, width)` returns."""
    kind = entry.kind
    if kind == "thread_start":
        return 1
    if kind == "system":
        return max(1, len(_body(entry, max(4, width - INDENT))))
    avail = max(4, width - INDENT)
    text = entry.text
    if (
        text
        and not entry.lines
        and not entry.buttons
        and len(text) <= avail
        and text.isprintable()
        and (len(text) * 2 <= avail or text.isascii() or cell_len(text) <= avail)
    ):
        return 2  # fast path: a short one-line message (what _body would give)
    return 1 + len(_body(entry, avail))


def entry_lines(entry: TranscriptEntry, width: int) -> list[Line]:
    """The drawn lines of `entry` at `width` cells."""
    kind = entry.kind
    when = format_time(entry.timestamp, today())
    if kind == "thread_start":
        label = (
            f" {when} · {sanitize(entry.text, newlines=False)} "
            if when
            else f" {sanitize(entry.text, newlines=False)} "
        )
        label = clip(label, max(0, width - 4))
        rest = max(0, width - 2 - cell_len(label))
        return [[("──" + label + "─" * rest, "thread")]]
    avail = max(4, width - INDENT)
    body = _body(entry, avail)
    if kind == "system":
        out: list[Line] = []
        for index, line in enumerate(body or [[("", "system")]]):
            prefix = "• " if index == 0 else "  "
            out.append([(prefix, "system"), *[(t, "system" if p == "body" else p) for t, p in line]])
        if when and out and cell_len("".join(t for t, _ in out[0])) + len(when) + 1 < width:
            out[0].append((" " + when, "time"))
        return out
    author = clip(one_line(entry.author, 120) or "?", max(1, width // 2))
    header: Line = [(author, AUTHOR_PARTS.get(kind, "agent" if entry.mine else "author"))]
    label = KIND_LABELS.get(kind)
    if label:
        header.append((f" · {label}", "label" if kind not in AUTHOR_PARTS else AUTHOR_PARTS[kind]))
    if when:
        header.append((f" · {when}", "time"))
    prefix = PREFIXES.get(kind, ("  ", "body"))
    return [header, *[[prefix, *line] for line in body]]


def entry_strips(
    entry: TranscriptEntry, width: int, selected: int, base: Style, style: Callable[[str], Style]
) -> list[Strip]:
    """The drawn strips of `entry`; `selected` is the index of the selected button or -1."""
    strips = []
    for line in entry_lines(entry, width):
        segments = []
        for text, part in line:
            if part.startswith("button:"):
                number = int(part[7:])
                part = (
                    "button-selected"
                    if number == selected
                    else ("button-pressed" if entry.buttons[number][2] else "button")
                )
            segments.append(Segment(text, style(part)))
        strips.append(Strip(segments).crop(0, width).adjust_cell_length(width, base))
    return strips


def common_prefix(old: list[TranscriptEntry], new: list[TranscriptEntry]) -> int:
    """How many leading entries `old` and `new` share (same object, or equal)."""
    limit = min(len(old), len(new))
    p = 0
    while p < limit and (old[p] is new[p] or old[p] == new[p]):
        p += 1
    return p
