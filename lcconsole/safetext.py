"""Terminal-safe text: escape sequences and invisible characters made visible.

`sanitize()` is shared by the console (`lcconsole.ui.text`) and the command-line tools (server
text printed by `lcconsole api` and `lcconsole pushes`): untrusted text never reaches a terminal
raw. Plain `re`, no Rich, so the CLIs stay light.
"""

from __future__ import annotations

import json
import re
from typing import Any

TAB_SIZE = 4
ESC_PLACEHOLDER = "\u241b"  # ␛
REPLACEMENT = "\ufffd"  # �
MAX_COMBINING = 2  # combining marks kept per base character (zalgo text stays one row high)

# Everything that must never reach the terminal raw or that hides / reorders text.
UNSAFE = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 (except \t \n), DEL, C1
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"  # soft hyphen, invisible joiners
    "\u200b-\u200f"  # zero-width space/non-joiner/joiner, LRM/RLM
    "\u2028-\u202e"  # line/paragraph separators, bidi embeddings and overrides
    "\u2060-\u206f"  # word joiner, invisible operators, bidi isolates, deprecated formats
    "\u3164\ufeff\uffa0\ufff9-\ufffb"  # hangul fillers, BOM / zero-width no-break space
    "\ud800-\udfff"  # lone surrogates (cannot be encoded for the terminal)
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"  # musical format chars, tags, variation sel.
    "]"
)
_COMBINING = "[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
COMBINING_RUN = re.compile(f"({_COMBINING}{{{MAX_COMBINING}}}){_COMBINING}+")


def _placeholder(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code == 0x1B:
        return ESC_PLACEHOLDER
    if code < 0x20:
        return chr(0x2400 + code)  # control pictures: ␀ ␇ ␈ ...
    if code == 0x7F:
        return "\u2421"  # ␡
    if code in (0x2028, 0x2029, 0x85):
        return "\n"
    if code == 0x200D:
        return ""  # zero-width joiner: emoji sequences fall apart into their (visible) parts
    return REPLACEMENT


def sanitize(s: str, *, tab_size: int = TAB_SIZE, newlines: bool = True) -> str:
    """Return `s` made safe and visible for the terminal.

    ESC becomes `␛` (so `\\x1b[31m` shows as `␛[31m`), other C0 controls their control picture
    (`␇`), DEL `␡`, C1 controls, bidi overrides/isolates, zero-width and other invisible format
    characters and lone surrogates `�`. `\\r\\n`/`\\r`/U+2028/U+2029/NEL become `\\n`; with
    `newlines=False` every line break becomes `⏎` (for one-line places like list rows).
    """
    if not isinstance(s, str):
        s = "" if s is None else str(s)
    if s.isprintable():  # fast path: nothing to neutralise (C-speed check)
        if not s.isascii() and COMBINING_RUN.search(s):
            s = COMBINING_RUN.sub(r"\1", s)
        return s
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = UNSAFE.sub(_placeholder, s)
    if "\t" in s:
        s = s.expandtabs(tab_size)
    if not newlines and "\n" in s:
        s = s.replace("\n", "\u23ce")
    if not s.isascii() and COMBINING_RUN.search(s):
        s = COMBINING_RUN.sub(r"\1", s)
    return s


def safe_json_text(text: str) -> str:
    """JSON text with every character `sanitize` would neutralise written as a `\\u` escape
    (they can only stand inside strings): the same value, unable to drive a terminal."""
    return UNSAFE.sub(lambda m: json.dumps(m.group())[1:-1], text)


def safe_json(value: Any, indent: int | None = None) -> str:
    """`value` as JSON (non-ASCII kept readable) with every character `sanitize` would
    neutralise written as a `\\u` escape: the same JSON value, unable to drive a terminal."""
    return safe_json_text(json.dumps(value, ensure_ascii=False, indent=indent))
