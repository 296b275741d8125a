"""Composer: the multi-line message editor (to the customer, or an agents-only note)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from rich.segment import Segment
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import Static, TextArea

from lcconsole.ui.canned import completions, fill
from lcconsole.ui.terminal import EditorFailed, edit_text
from lcconsole.ui.text import display_safe, one_line, sanitize
from lcconsole.ui.widgets._messages import PaneMessage

ComposerMode = Literal["customer", "note"]
TYPING_IDLE_SECONDS = 3.0
CANNED_WORD = re.compile(r"(?:^|(?<=\s))#([A-Za-z0-9_.-]*)$")
MODE_TEXT = {
    "customer": ("To {target}", "the customer sees this"),
    "note": ("Note — agents only", "the customer does NOT see this"),
}


class ComposerArea(TextArea):
    """The TextArea inside the Composer: enter sends when `enter_sends` is on; pasted text is
    sanitized and control / invisible characters are never drawn raw.

    Its own keys (they replace TextArea's select-while-moving and end-of-line keys): ctrl+e opens
    the draft in `$VISUAL`/`$EDITOR`; shift+up / shift+down move the transcript's message cursor.
    """

    BINDINGS = [
        Binding(
            "ctrl+e",
            "editor",
            "Editor",
            id="composer.editor",
            tooltip="Edit the draft in $VISUAL / $EDITOR (the result is not sent)",
        ),
        Binding(
            "shift+up",
            "screen.message_cursor(-1)",
            "Older message",
            show=False,
            id="composer.message_up",
            tooltip="Highlight the previous message of the transcript",
        ),
        Binding(
            "shift+down",
            "screen.message_cursor(1)",
            "Newer message",
            show=False,
            id="composer.message_down",
            tooltip="Highlight the next message of the transcript",
        ),
        Binding(
            "tab",
            "complete",
            "Complete",
            show=False,
            id="composer.complete",
            tooltip="Expand the #canned response being typed (else: next field)",
        ),
    ]

    class CompletionRequested(PaneMessage):
        """Tab: expand the `#canned` word before `location` (the cursor when tab was pressed),
        else move the focus on."""

        def __init__(self, area: ComposerArea, location: tuple[int, int]) -> None:
            self.location = location
            super().__init__(area)

    class EditorRequested(PaneMessage):
        """ctrl+e: edit the draft in the agent's editor."""

    enter_sends: reactive[bool] = reactive(False)
    """When True, enter sends (the Composer's submit, at once) and shift+enter / ctrl+j inserts a
    new line (bound to the Composer's `enter_sends`)."""

    def action_complete(self) -> None:
        """Ask for the `#name` before the cursor to be expanded."""
        self.post_message(self.CompletionRequested(self, self.cursor_location))

    def action_editor(self) -> None:
        """Ask for the draft to be edited in the agent's editor."""
        self.post_message(self.EditorRequested(self))

    async def _on_paste(self, event: events.Paste) -> None:
        clean = sanitize(event.text)
        if clean != event.text and not self.read_only:
            event.prevent_default()  # TextArea's own handler would insert the raw text
            event.stop()
            result = self.replace(clean, *self.selection)
            self.move_cursor(result.end_location)

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if any(not segment.text.isprintable() for segment in strip):
            strip = Strip([Segment(display_safe(seg.text), seg.style, seg.control) for seg in strip], strip.cell_length)
        return strip

    async def _on_key(self, event: events.Key) -> None:
        if not self.enter_sends:
            return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            if isinstance(self.parent, Composer):  # now, not by a message: keys after it are the next text
                self.parent.action_submit()
        elif event.key in ("shift+enter", "ctrl+j", "alt+enter"):
            event.stop()
            event.prevent_default()
            self.insert("\n")


class Composer(Vertical):
    """Message editor. Posts `Submitted` and empties itself at once, so keys typed after a send
    begin the next message; the screen puts back a text that was not sent (`restore`)."""

    # Rebindable by id: Textual applies the app keymap (`App.set_keymap`, the config's [keymap])
    # to every node of the focus chain, widgets included; the mode line shows the live keys.
    BINDINGS = [
        Binding("ctrl+s,ctrl+enter", "submit", "Send", id="composer.send", tooltip="Send the message (or the note)"),
        Binding(
            "ctrl+n",
            "toggle_mode",
            "Note/customer",
            id="composer.toggle_note",
            tooltip="Switch between a message to the customer and an agents-only note",
        ),
        Binding(
            "ctrl+t",
            "canned",
            "Canned",
            id="composer.canned",
            tooltip="Pick a canned response (slots filled from the open chat)",
        ),
    ]
    DEFAULT_KEYS = {b.id: b.key for b in BINDINGS}

    class Submitted(PaneMessage):
        """The agent asked to send `text` (`note`: agents only)."""

        def __init__(self, composer: Composer, text: str, note: bool) -> None:
            self.text = text
            self.note = note
            super().__init__(composer)

    class TypingChanged(PaneMessage):
        """The agent started or stopped typing (debounced)."""

        def __init__(self, composer: Composer, is_typing: bool) -> None:
            self.is_typing = is_typing
            super().__init__(composer)

    mode: reactive[ComposerMode] = reactive("customer")
    """`customer` (visible to the customer) or `note` (agents only)."""
    target: reactive[str] = reactive("")
    """Who a message reaches: the open chat's customer (shown in the border title)."""
    enter_sends: reactive[bool] = reactive(False)
    """When True, enter sends and shift+enter / ctrl+j inserts a new line."""

    def __init__(
        self, *, enter_sends: bool = False, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._typing = False
        self._idle: Timer | None = None
        self._pending_text: str | None = None
        self._mode_line: Text | None = None
        self._hint = ""
        self._unfilled: set[str] = set()  # slots left by a canned response, not yet confirmed
        self.canned: dict[str, str] = {}
        """Canned responses (name -> template), set by the screen from the config."""
        self.slot_values: Callable[[], dict[str, str]] = dict
        """What the open chat fills slots with (set by the screen)."""
        self.set_reactive(Composer.enter_sends, enter_sends)

    def compose(self) -> ComposeResult:
        yield Static(id="composer-mode", classes="composer--mode")
        area = ComposerArea(
            id="composer-input", soft_wrap=True, tab_behavior="focus", show_line_numbers=False
        ).data_bind(Composer.enter_sends)
        if self._pending_text is not None:
            area.text = self._pending_text
            self._pending_text = None
        yield area

    def on_mount(self) -> None:
        self._mode_line = None  # a fresh mode Static
        self._show_mode()

    def on_descendant_focus(self) -> None:
        self._show_mode()  # the keymap may have changed since (it is set when the app mounts)

    @property
    def area(self) -> TextArea:
        """The inner TextArea."""
        return self.query_one(ComposerArea)

    @property
    def text(self) -> str:
        """The draft text."""
        if self._pending_text is not None or not self.is_mounted:
            return self._pending_text or ""
        return self.area.text

    @text.setter
    def text(self, value: str) -> None:
        if not self.is_mounted or not self.query(ComposerArea):
            self._pending_text = value
            return
        area = self.area
        area.load_text(value)
        area.move_cursor(area.document.end)

    def clear(self) -> None:
        """Empty the editor."""
        self.text = ""

    def restore(self, text: str, *, note: bool) -> bool:
        """Put back a text that was not sent, with its audience, when the editor is empty, and
        focus it; False when it holds a newer text (the caller keeps this one elsewhere)."""
        if self.text.strip():
            return False
        self.mode = "note" if note else "customer"
        self.text = text
        self.focus_input()
        return True

    def focus_input(self) -> None:
        """Focus the text area."""
        self.area.focus()

    def action_submit(self) -> None:
        """Post Submitted with the current text (ignored when blank)."""
        self._submit(self.text)

    def _submit(self, text: str) -> None:
        if not text.strip():
            return
        left = sorted(slot for slot in self._unfilled if slot in text)
        self._unfilled.clear()
        if left:  # said once; sending again sends the text as it is
            self.app.notify(
                f"unfilled {', '.join(left)} in the message: edit it, or send again to send it as it is",
                severity="warning",
                markup=False,
            )
            return
        self._set_typing(False)
        note = self.mode == "note"
        self.clear()
        self.post_message(self.Submitted(self, text, note))

    @on(ComposerArea.CompletionRequested)
    def _completion_requested(self, event: ComposerArea.CompletionRequested) -> None:
        event.stop()
        if not self.complete_canned(event.location):
            self.screen.focus_next()

    @on(ComposerArea.EditorRequested)
    def _editor_requested(self, event: ComposerArea.EditorRequested) -> None:
        event.stop()
        self.open_editor()

    def open_editor(self) -> None:
        """Suspend the console, edit the draft in `$VISUAL`/`$EDITOR`, put the result back (not
        sent). Without a terminal to hand over (tests, web) the editor runs without suspending."""
        try:
            edited = self._run_editor(self.text)
        except EditorFailed as exc:
            self.app.notify(f"draft unchanged: {exc}", severity="error", markup=False)
            return
        self.text = edited
        self.focus_input()

    def _run_editor(self, draft: str) -> str:
        from textual.app import SuspendNotSupported

        try:
            with self.app.suspend():
                return edit_text(draft)
        except SuspendNotSupported:
            return edit_text(draft)

    def _canned_prefix(self, location: tuple[int, int] | None = None) -> str | None:
        """The `#name` typed just before `location` (default: the cursor), without `#`, or None."""
        area = self.area
        row, column = location or area.cursor_location
        if row >= area.document.line_count:
            return None
        match = CANNED_WORD.search(area.document.get_line(row)[:column])
        return match.group(1) if match and self.canned else None

    def complete_canned(self, location: tuple[int, int] | None = None) -> bool:
        """Replace `#prefix` before `location` (default: the cursor) by the first canned
        response it names."""
        prefix = self._canned_prefix(location)
        names = completions(self.canned, prefix) if prefix is not None else []
        exact = [n for n in names if n.lower() == (prefix or "").lower()]
        if not names:
            return False
        row, column = location or self.area.cursor_location
        self.insert_canned((exact or names)[0], ((row, column - len(prefix or "") - 1), (row, column)))
        return True

    def insert_canned(self, name: str, where: tuple | None = None) -> None:
        """Insert canned response `name`, filled, at `where` (default: the selection)."""
        text, missing = fill(self.canned.get(name, ""), self.slot_values())
        area = self.area
        start, end = where or area.selection
        result = area.replace(text, start, end)
        area.move_cursor(result.end_location)
        self._unfilled.update(missing)
        if missing:
            self.app.notify(f"could not fill {', '.join(missing)}: left in the text", severity="warning", markup=False)
        self.focus_input()

    def action_canned(self) -> None:
        """Pick a canned response and insert it at the cursor."""
        from lcconsole.ui.modals.canned_picker import CannedPickerModal

        if not self.canned:
            self.app.notify(
                "no canned responses: add a [canned] table to the config file", severity="warning", markup=False
            )
            return
        self.app.push_screen(
            CannedPickerModal(self.canned, self.slot_values()), lambda name: name and self.insert_canned(name)
        )

    def action_toggle_mode(self) -> None:
        """Switch between customer message and agents-only note."""
        self.mode = "note" if self.mode == "customer" else "customer"

    def watch_mode(self) -> None:
        self.set_class(self.mode == "note", "-note")
        if self.is_mounted:
            self._show_mode()

    def watch_target(self) -> None:
        if self.is_mounted:
            self._show_mode()

    def watch_enter_sends(self) -> None:
        if self.is_mounted:
            self._show_mode()

    def live_key(self, binding_id: str) -> str:
        """The first key bound to one of the composer's binding ids, after the app keymap."""
        keymap = getattr(self.app, "_keymap", None) or {}  # Textual keeps it private
        keys = keymap.get(binding_id) or self.DEFAULT_KEYS.get(binding_id, "")
        return sanitize(keys.split(",")[0].strip(), newlines=False)

    def _show_mode(self) -> None:
        title, hint = MODE_TEXT[self.mode]
        title = title.format(target=one_line(self.target, 40) or "the customer")
        self.border_title = Text(title)  # literal: a customer name is never markup
        send = self.live_key("composer.send")
        keys = "enter send · shift+enter new line" if self.enter_sends else f"{send} send"
        other = "note" if self.mode == "customer" else "customer"
        toggle = self.live_key("composer.toggle_note")
        line = Text.assemble((f" {title} ", "bold"), f"· {keys} · {toggle} {other} · {hint}")
        if self._hint:
            line = Text.assemble((f" {self._hint} ", "reverse"), " ", line)
        if line != self._mode_line:  # an unchanged line is not re-laid out
            self._mode_line = line
            self.query_one("#composer-mode", Static).update(line)

    # --- typing indicator ---------------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        prefix = self._canned_prefix()
        names = completions(self.canned, prefix) if prefix is not None else []
        hint = ("tab: " + " ".join(f"#{n}" for n in names[:4])) if names else ""
        if hint != self._hint:
            self._hint = hint
            self._show_mode()
        if not event.text_area.text.strip():
            self._set_typing(False)
            return
        self._set_typing(True)
        if self._idle is not None:
            self._idle.stop()
        self._idle = self.set_timer(TYPING_IDLE_SECONDS, lambda: self._set_typing(False))

    def _set_typing(self, typing: bool) -> None:
        if not typing and self._idle is not None:
            self._idle.stop()
            self._idle = None
        if typing != self._typing:
            self._typing = typing
            self.post_message(self.TypingChanged(self, typing))
