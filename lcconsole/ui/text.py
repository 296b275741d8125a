"""Safe display of untrusted text (customer and agent messages, names, properties).

`sanitize()` (from `lcconsole.safetext`, shared with the command-line tools) makes a string safe to put on a terminal: escape sequences, C0/C1 control characters,
bidi overrides, zero-width / invisible format characters and lone surrogates become visible
placeholders, tabs are expanded and line breaks normalised to `\\n`. `literal()` wraps the result
in a `rich.text.Text`, which is never parsed as markup, so `[bold]` or `[@click=app.quit]` shows
exactly as typed. `cap_lines()` and `clip()` bound what very long texts cost to draw.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from rich.cells import cell_len, chop_cells, get_character_cell_size
from rich.text import Text

from lcconsole.safetext import REPLACEMENT, UNSAFE, sanitize


def _same_width(match: re.Match[str]) -> str:
    return REPLACEMENT if get_character_cell_size(match.group()) else ""


def display_safe(s: str) -> str:
    """`s` with every character `sanitize` would replace removed (zero-width ones) or turned
    into `�` (others), keeping its cell width: for text another widget has already laid out."""
    if s.isprintable():
        return s
    return UNSAFE.sub(_same_width, s)


def one_line(s: str, limit: int = 200) -> str:
    """The first non-empty line of `s`, sanitized, at most `limit` characters (for previews)."""
    if not isinstance(s, str):
        s = "" if s is None else str(s)
    head = s[: limit * 4].lstrip()
    for sep in ("\n", "\r", "\u2028", "\u2029", "\x85"):
        cut = head.find(sep)
        if cut != -1:
            head = head[:cut]
    head = sanitize(head[:limit], newlines=False)
    return head + ("…" if len(s) > len(head) and len(head) >= limit else "")


def literal(s: str, style: str = "", *, no_wrap: bool = False) -> Text:
    """A `Text` showing `s` exactly as typed (never parsed as markup), sanitized."""
    return Text(sanitize(s), style=style, no_wrap=no_wrap, end="")


def cap_lines(s: str, max_lines: int) -> tuple[list[str], int]:
    """Split sanitized text into at most `max_lines` lines; return (lines, hidden line count)."""
    if max_lines <= 0:
        return [], s.count("\n") + 1
    if "\n" not in s:
        return [s], 0
    parts = s.split("\n", max_lines)
    if len(parts) > max_lines:
        rest = parts.pop()
        return parts, rest.count("\n") + 1
    return parts, 0


def clip(s: str, width: int) -> str:
    """`s` cut to at most `width` cells, ending in `…` when cut (wide characters respected)."""
    if width <= 0:
        return ""
    if len(s) <= width and cell_len(s) <= width:
        return s
    if width == 1:
        return "…"
    head = chop_cells(s[: width * 2], width - 1)[0]
    return head + "…"


_WORDS = re.compile(r"\S+\s*|\s+")


def _wrap_ascii(line: str, width: int) -> list[str]:
    out: list[str] = []
    start, end = 0, len(line)
    while end - start > width:
        cut = line.rfind(" ", start, start + width + 1)
        if cut <= start:
            out.append(line[start : start + width])
            start += width
        else:
            out.append(line[start:cut].rstrip(" "))
            start = cut + 1
        while start < end and line[start] == " ":
            start += 1
    if start < end or not out:
        out.append(line[start:])
    return out


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")


def shorten_urls(line: str, width: int) -> str:
    """URLs longer than `width` cells cut with an ellipsis (so wrapping never breaks an address
    across lines; the whole value is one copy away)."""
    if "://" not in line:
        return line
    return _URL.sub(lambda m: clip(m.group(0), width) if cell_len(m.group(0)) > width else m.group(0), line)


def wrap(line: str, width: int) -> list[str]:
    """Greedy word wrap of one sanitized line to `width` cells (long words are split)."""
    width = max(width, 2)
    if len(line) <= width and (line.isascii() or cell_len(line) <= width):
        return [line]
    if line.isascii():
        return _wrap_ascii(line, width)
    out: list[str] = []
    current, current_width = "", 0
    for word in _WORDS.findall(line):
        word_width = cell_len(word)
        if current_width + word_width <= width:
            current += word
            current_width += word_width
            continue
        bare = word.rstrip()
        bare_width = cell_len(bare) if bare != word else word_width
        if bare and current_width + bare_width <= width:
            out.append(current + bare)
            current, current_width = "", 0
            continue
        if current:
            out.append(current.rstrip())
            current, current_width = "", 0
        if not bare:
            continue
        if bare_width > width:
            pieces = chop_cells(bare, width)
            out.extend(pieces[:-1])
            bare = pieces[-1]
            bare_width = cell_len(bare)
        current, current_width = bare + " ", bare_width + 1
    current = current.rstrip()
    if current or not out:
        out.append(current)
    return out


# --- value formatting (raw text: the widgets sanitize when they draw) ---------------------------

CUSTOM_JSON_LIMIT = 4000
_VAR = re.compile(r"%([A-Za-z0-9_.\-]+)%")


def fill_text_vars(text: str, text_vars: Mapping[str, Any] | None) -> str:
    """`%var%` placeholders of a system message replaced by their `text_vars` values."""
    if not text_vars or "%" not in text:
        return text

    def sub(match: re.Match[str]) -> str:
        value = text_vars.get(match.group(1))
        if value is None:
            return match.group()
        if isinstance(value, (list, tuple)):
            return ", ".join(str(v) for v in value)
        return str(value)

    return _VAR.sub(sub, text)


def human_size(size: int | float | None) -> str:
    """`1536` -> `1.5 KB`; None -> `? B`."""
    if size is None:
        return "? B"
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"  # pragma: no cover


def compact_json(value: Any, limit: int = CUSTOM_JSON_LIMIT) -> str:
    """One-line JSON of `value` (unicode kept), cut at `limit` characters; a space follows each
    `,` and `:` so a narrow pane wraps between items, not inside a key or value."""
    try:
        text = json.dumps(value, separators=(", ", ": "), ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def human(err: BaseException) -> str:
    """An error as the agent reads it: `type: message` for the client's errors."""
    from lcconsole.errors import LiveChatError

    if isinstance(err, LiveChatError):
        return f"{err.type}: {err.message}"
    return f"{type(err).__name__}: {err}"
