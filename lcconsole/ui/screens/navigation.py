"""Moving around the main screen and explicit reading: back, reply/note, take, jumps, switcher,
seen/unread marks.

A chat is *read* (marked seen) only when the agent opens it (Enter) or answers it; moving the
list cursor over it shows it without reading it.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.widgets import Input

from lcconsole.ui.controllers.screen_view import m


class NavigationMixin:
    """Focus moves, chat jumps and read state; relies on the main screen's store and panes."""

    _origin: Any = None  # the widget the composer was entered from (Esc goes back there)
    _reading: str | None = None  # the chat the agent opened (new events in it are read)

    # --- focus ----------------------------------------------------------------------------------

    def enter_composer(self, mode: str | None = None) -> None:
        """Focus the composer (in `mode` for the open chat), remembering where we came from."""
        from lcconsole.ui.widgets.composer import Composer

        composer = self.query_one(Composer)
        if not self._in_composer():
            self._origin = self.focused
        if mode is not None and self.current_chat_id:
            composer.mode = mode
            self.composer_modes[self.current_chat_id] = mode
        self.remove_class("-hide-centre")
        composer.focus_input()

    def action_reply(self) -> None:
        """`r`: write to the customer (always customer mode)."""
        if self.chat_actions.open_chat_id():
            self.enter_composer("customer")

    def action_note(self) -> None:
        """`n`: write an agents-only note."""
        if self.chat_actions.open_chat_id():
            self.enter_composer("note")

    def action_toggle_note(self) -> None:
        """Customer message <-> agents-only note, for the open chat only."""
        from lcconsole.ui.widgets.composer import Composer

        composer = self.query_one(Composer)
        mode = "customer" if composer.mode == "note" else "note"
        composer.mode = mode
        if self.current_chat_id:
            self.composer_modes[self.current_chat_id] = mode
        self.notify("note to agents" if mode == "note" else "message to the customer", timeout=2)

    def action_back(self) -> None:
        """One level back: composer -> where it was entered from; transcript -> list; a filter is
        cleared first."""
        from lcconsole.ui.widgets.chat_list import ChatList

        chat_list = self.query_one(ChatList)
        chat_filter = self.query_one("#chat-filter")
        if self.focused is chat_filter or (self.focused is chat_list and chat_filter.value):
            chat_filter.value = ""  # Esc clears the filter (back to the whole list)
            chat_list.focus()
            return
        if self._in_composer():
            origin = self._origin
            self._origin = None
            if origin is not None and origin.is_attached and origin.focusable and origin is not chat_list:
                origin.focus()
                return
        elif self.focused is chat_list:
            return
        self.remove_class("-hide-left")
        chat_list.focus()

    # --- reading --------------------------------------------------------------------------------

    def read_chat(self, chat_id: str) -> None:
        """The agent opened or answered the chat: seen up to now, no longer marked unread."""
        self._reading = chat_id
        if self.unread_marks.mark(chat_id, False):
            self.repaint_row(chat_id)
        if self.session_ready:
            self.mark_seen_worker(chat_id)

    def action_mark_seen(self) -> None:
        """`m`: mark the open chat as seen up to now."""
        if self.current_chat_id:
            self.read_chat(self.current_chat_id)

    def action_mark_unseen(self) -> None:
        """`N`: mark the highlighted chat unread (until it is opened or answered)."""
        chat_id = self.current_chat_id
        if not chat_id:
            return
        if self._reading == chat_id:
            self._reading = None
        self.unread_marks.mark(chat_id, True)
        self.repaint_row(chat_id)
        self.notify("marked unread", timeout=2)

    def repaint_row(self, chat_id: str) -> None:
        from lcconsole.ui.widgets.chat_list import ChatList

        if chat_id in self.store.chats:
            self.query_one(ChatList).upsert(self.chat_item(chat_id))

    # --- jumps ----------------------------------------------------------------------------------

    def action_jump(self, what: str, step: int) -> None:
        """Open the next (`step` 1) or previous (-1) chat that is unread / waiting for an answer,
        after the highlighted one in list order (wrapping around)."""
        from lcconsole.ui.widgets.chat_list import ChatList

        chat_list = self.query_one(ChatList)
        ids = chat_list.visible_ids
        if not ids:
            return
        here = ids.index(chat_list.selected_chat_id) if chat_list.selected_chat_id in ids else -1
        for n in range(1, len(ids) + 1):
            chat_id = ids[(here + step * n) % len(ids)]
            item = chat_list.items[chat_id]
            wanted = item.unread > 0 if what == "unread" else item.waiting_since is not None and item.active
            if wanted and chat_id != chat_list.selected_chat_id:
                self.select_and_open(chat_id)
                return
        self.notify("no unread chat" if what == "unread" else "nobody is waiting", timeout=2)

    def select_and_open(self, chat_id: str) -> None:
        """Highlight a chat in the list, open and read it, focus the list."""
        from lcconsole.ui.widgets.chat_list import ChatList

        chat_list = self.query_one(ChatList)
        chat_list.selected_chat_id = chat_id
        self.open_chat(chat_id)
        self.read_chat(chat_id)

    @work(group="action", exit_on_error=False)
    async def action_switcher(self) -> None:
        """The quick switcher over every loaded chat; Enter opens the picked one."""
        from lcconsole.ui.widgets.chat_list import ChatList

        items = self.query_one(ChatList).items
        rows = [self.switcher_row(chat_id, item) for chat_id, item in items.items()]
        chat_id = await self.ask(m.SwitcherModal(rows))
        if chat_id and chat_id in self.store.chats:
            if self.query_one("#chat-filter", Input).value:
                self.query_one("#chat-filter", Input).value = ""
            self.select_and_open(chat_id)
            self.enter_composer()
            self._origin = self.query_one(ChatList)

    def switcher_row(self, chat_id: str, item: Any) -> Any:
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
