"""Hostile customer/agent texts: markup, escape sequences, controls, bidi, invisible and wide
characters, huge texts. Every pane must show them literally, without a crash or a frozen UI."""

from __future__ import annotations

MARKUP = [
    "[bold]bold?[/bold]",
    "[@click=app.quit]click me[/]",
    "[red]red[/red] [link=https://evil.example]link[/link]",
    "[b][i][u]nested never closed",
    "\\[escaped] and [/] stray close",
    "[/]",
    "[on red]background?",
    "[link=file:///etc/passwd]local file[/link]",
    "$primary $accent $text-muted (css variables)",
    ":smile: :thumbs_up: (emoji codes)",
    "[" * 500,
    "\\" * 100,
]
ESCAPES = [
    "\x1b[31mred\x1b[0m plain",
    "\x1b[2J\x1b[H cleared the screen?",
    "\x1b]0;pwned title\x07",
    "\x1b]2;another title\x1b\\",
    "\x1b]52;c;ZWNobyBwd25lZA==\x07 clipboard write",
    "\x1b]52;c;?\x07 clipboard read",
    "\x1b]8;;http://evil.example\x1b\\hyperlink\x1b]8;;\x1b\\",
    "\x1bP+q544e\x1b\\ DCS",
    "\x1b[?1049h alt screen \x1b[?1049l",
    "\x1b[6n device status report",
    "\x1b[?1000h mouse tracking",
    "\x9b31m C1 CSI \x9d0;C1 OSC title\x9c",
    "trailing lone escape \x1b",
]
CONTROLS = [
    "".join(chr(i) for i in range(32)),
    "".join(chr(i) for i in range(0x7F, 0xA0)),
    "bell\x07\x07\x07",
    "back\x08\x08\x08space",
    "carriage\rreturn overwrite",
    "form\x0cfeed\x0bvertical tab",
    "null\x00byte",
    "\u2028line separator\u2029paragraph separator\x85next line",
    "tab\tseparated\tvalues\t\t|",
]
BIDI_INVISIBLE = [
    "\u202eexe.txt\u202c harmless?",
    "\u202a\u202b\u202c\u202d\u202e all embeddings",
    "\u2066\u2067\u2068\u2069 isolates",
    "zero\u200bwidth\u200c\u200d\u2060\ufeffchars",
    "soft\u00adhyphen",
    "\U000e0041\U000e0042 tag characters",
    "\ufff9\ufffa\ufffb interlinear annotations",
    "lone \ud800 surrogate",
    "Z\u0335\u0321\u031b\u0316\u0317\u0359\u0313\u0300a\u0334l\u0335g\u0338o\u0337" * 20,
]
WIDE = [
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 family",
    "\U0001f3f3\ufe0f\u200d\U0001f308 flag and \u2764\ufe0f",
    "日本語のテキスト 中文 한국어",
    "ｆｕｌｌｗｉｄｔｈ ｔｅｘｔ",
    "\U0001f600" * 300,
    "\U0001f1f5\U0001f1f1\U0001f1fa\U0001f1f8 regional indicators",
]
HUGE = [
    "x" * 16384,
    "word " * 3300,
    "\n".join(f"line {i}" for i in range(10_000)),
    "\n" * 5000,
    "A" * 100_000,
    "日本" * 8000,
]
OTHER = [
    "%agent% %unknown% %%",
    '{"json": true}',
    "<script>alert(1)</script>",
    "Robert'); DROP TABLE chats;--",
    "   ",
    "",
]

HOSTILE: list[str] = MARKUP + ESCAPES + CONTROLS + BIDI_INVISIBLE + WIDE + HUGE + OTHER
"""Every hostile text (more than 50)."""

FORBIDDEN = frozenset(
    [chr(c) for c in range(0x20) if c != 0x0A]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad", "\u2028", "\u2029"]
)
"""Characters that must never reach the terminal from untrusted text."""


def forbidden_in(text: str) -> set[str]:
    """The forbidden characters present in `text` (also any lone surrogate)."""
    found = {c for c in text if c in FORBIDDEN}
    found |= {c for c in text if 0xD800 <= ord(c) <= 0xDFFF}
    return found
