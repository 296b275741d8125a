"""Moving around the main screen: into the composer (in a chat's mode) and back out, jumps to the
next unread or waiting chat, and the quick switcher.

A chat is *read* only when the agent opens it (Enter) or answers it; moving the list cursor over
it shows it without reading it. The `Navigator` knows the screen only as a `NavigationView` and
is given the widgets it moves between.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from textual.widget import Widget

from lcconsole.ui.controllers.screen_view import m, opens_modal

if TYPE_CHECKING:
    from textual.widgets import Input

    from lcconsole.ui.chat_items import ChatListItem
    from lcconsole.ui.store import Store
    from lcconsole.ui.widgets.chat_list import ChatList
    from lcconsole.ui.widgets.composer import Composer, ComposerMode


class NavigationView(Protocol):
    """What the navigator needs from the screen."""

    current_chat_id: str | None

    @property
    def focused(self) -> Widget | None:
        """The focused widget."""

    def in_composer(self) -> bool:
        """Whether the focus is in the composer."""

    def show_pane(self, which: str) -> None:
        """Show the `left` or `centre` pane if the agent hid it."""

    def open_chat(self, chat_id: str) -> None:
        """Show a chat (not read)."""

    def read_chat(self, chat_id: str) -> None:
        """The agent read the chat: seen up to now."""

    def notify(
        self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None
    ) -> None:
        """Tell the agent."""

    async def ask(self, modal: Any) -> Any:
        """Show a modal and wait for its result (None: cancelled)."""


class Navigator:
    """Focus moves between the chat list, its filter and the composer; `modes` is each chat's
    composer mode ("note"; customer when absent), `origin` the widget Esc in the composer goes
    back to."""

    def __init__(
        self, store: Store, chat_list: ChatList, chat_filter: Input, composer: Composer, view: NavigationView
    ) -> None:
        self.store = store
        self.chat_list = chat_list
        self.chat_filter = chat_filter
        self.composer = composer
        self.view = view
        self.modes: dict[str, ComposerMode] = {}
        self.origin: Widget | None = None

    # --- the composer -----------------------------------------------------------------------------

    def enter_composer(self, mode: ComposerMode | None = None) -> None:
        """Focus the composer (in `mode` for the open chat), remembering where we came from."""
        if not self.view.in_composer():
            self.origin = self.view.focused
        chat_id = self.view.current_chat_id
        if mode is not None and chat_id:
            self.composer.mode = mode
            self.modes[chat_id] = mode
        self.view.show_pane("centre")
        self.composer.focus_input()

    def toggle_note(self) -> None:
        """Customer message <-> agents-only note, for the open chat only."""
        mode: ComposerMode = "customer" if self.composer.mode == "note" else "note"
        self.composer.mode = mode
        if self.view.current_chat_id:
            self.modes[self.view.current_chat_id] = mode
        self.view.notify("note to agents" if mode == "note" else "message to the customer", timeout=2)

    def leave_chat(self, chat_id: str) -> None:
        """The open chat changes away from `chat_id`: remember its composer mode."""
        self.modes[chat_id] = self.composer.mode  # ctrl+n in the composer too

    def enter_chat(self, chat_id: str) -> None:
        """`chat_id` is shown now: the composer takes its mode."""
        self.composer.mode = self.modes.get(chat_id, "customer")

    def back(self) -> None:
        """One level back: composer -> where it was entered from; transcript -> list; a filter is
        cleared first."""
        chat_list, chat_filter, focused = self.chat_list, self.chat_filter, self.view.focused
        if focused is chat_filter or (focused is chat_list and chat_filter.value):
            chat_filter.value = ""  # Esc clears the filter (back to the whole list)
            chat_list.focus()
            return
        if self.view.in_composer():
            origin, self.origin = self.origin, None
            if origin is not None and origin.is_attached and origin.focusable and origin is not chat_list:
                origin.focus()
                return
        elif focused is chat_list:
            return
        self.view.show_pane("left")
        chat_list.focus()

    def reply_from_list(self) -> None:
        """The chat was opened from the list: write in it, Esc returns to the list."""
        self.origin = None
        self.enter_composer()
        self.origin = self.chat_list

    # --- the list's filter and order ---------------------------------------------------------------

    def filter_done(self) -> None:
        """Enter in the filter: back to the list, on the first match if the cursor is hidden."""
        chat_list = self.chat_list
        visible = chat_list.visible_ids
        if visible and chat_list.selected_chat_id not in visible:
            chat_list.selected_chat_id = visible[0]
        if chat_list.selected_chat_id:
            self.view.open_chat(chat_list.selected_chat_id)
            self.view.read_chat(chat_list.selected_chat_id)
        chat_list.focus()

    def toggle_sort(self) -> None:
        """Order the list by waiting time <-> by last activity."""
        chat_list = self.chat_list
        chat_list.sort_mode = "activity" if chat_list.sort_mode == "waiting" else "waiting"
        by = "last activity" if chat_list.sort_mode == "activity" else "waiting time"
        self.view.notify(f"sorted by {by}", timeout=2)

    # --- jumps ------------------------------------------------------------------------------------

    def jump(self, what: str, step: int) -> None:
        """Open the next (`step` 1) or previous (-1) chat that is unread / waiting for an answer,
        after the highlighted one in list order (wrapping around)."""
        chat_list = self.chat_list
        ids = chat_list.visible_ids
        if not ids:
            return
        here = ids.index(chat_list.selected_chat_id) if chat_list.selected_chat_id in ids else -1
        for n in range(1, len(ids) + 1):
            chat_id = ids[(here + step * n) % len(ids)]
            item = chat_list.items[chat_id]
            wanted = item.unread > 0 if what == "unread" else item.waiting_since is not None and item.active
            if wanted and chat_id != chat_list.selected_chat_id:
                self.select_and_read(chat_id)
                return
        self.view.notify("no unread chat" if what == "unread" else "nobody is waiting", timeout=2)

    def select(self, chat_id: str) -> None:
        """Highlight a chat in the list and show it (not read)."""
        self.chat_list.selected_chat_id = chat_id
        self.view.open_chat(chat_id)

    def show_first(self) -> None:
        """Highlight and show the first chat of the list, if any (not read)."""
        visible = self.chat_list.visible_ids
        if visible:
            self.select(visible[0])

    def select_and_read(self, chat_id: str) -> None:
        """Highlight a chat in the list, open and read it."""
        self.select(chat_id)
        self.view.read_chat(chat_id)

    @opens_modal
    async def switcher(self) -> None:
        """The quick switcher over every loaded chat; the picked one is opened, read and written in."""
        rows = [self.switcher_row(chat_id, item) for chat_id, item in self.chat_list.items.items()]
        chat_id = await self.view.ask(m.SwitcherModal(rows))
        if chat_id and chat_id in self.store.chats:
            if self.chat_filter.value:
                self.chat_filter.value = ""
            self.select_and_read(chat_id)
            self.reply_from_list()

    def switcher_row(self, chat_id: str, item: ChatListItem) -> Any:
        """What the switcher matches for a chat: name, e-mail, id, tags, last message."""
        customer = self.store.customer_of(chat_id)
        return m.SwitcherRow(
            chat_id=chat_id,
            name=item.customer_name,
            email=(getattr(customer, "email", None) or "") if customer else "",
            tags=item.tags,
            preview=item.preview,
            section=item.section,
        )
