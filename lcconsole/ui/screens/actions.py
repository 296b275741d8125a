"""The main screen's chat actions: a modal for the details, then the `ChatCommands` call in a
worker.

Destructive actions ask first (ConfirmModal / BanModal). The commands turn errors into
notifications and re-read the chat after a change, so panes are right even when no push arrives.
"""

from __future__ import annotations

from typing import Any

from textual import work


class _LazyModals:
    """`lcconsole.ui.modals`, imported on first use (not before the chat list is shown)."""

    def __getattr__(self, name: str) -> Any:
        from lcconsole.ui import modals

        return getattr(modals, name)


m = _LazyModals()


class ActionsMixin:
    """Action handlers; relies on the main screen's store, session and `api()` helper."""

    # --- helpers --------------------------------------------------------------------------------

    def _chat(self) -> str | None:
        """The open chat id, or a hint when there is none (or we are not connected)."""
        if not getattr(self, "session_ready", False):
            self.notify("not connected yet", severity="warning", timeout=3)
            return None
        if not self.current_chat_id:
            self.notify("open a chat first", severity="warning", timeout=3)
            return None
        return self.current_chat_id

    def customer_label(self, chat_id: str) -> str:
        """The chat's customer as the agent knows them (name, else e-mail, else the chat id)."""
        customer = self.store.customer_of(chat_id)
        who = (customer.name or customer.email or customer.id) if customer else None
        return f"{who} ({chat_id})" if who else f"chat {chat_id}"

    def known_groups(self) -> list[Any]:
        """Known groups (group 0 = all agents): `(id, name)` when list_groups named it, else
        the id."""
        return [(g, self.store.group_names[g]) if g in self.store.group_names else g for g in self.store.known_groups()]

    def known_tags(self) -> list[str]:
        """Tags used on any known thread."""
        return self.store.known_tags()

    def current_tags(self) -> list[str]:
        summary = self.store.chats.get(self.current_chat_id or "")
        thread = summary.last_thread_summary if summary else None
        return list(thread.tags) if thread else []

    async def ask(self, modal: Any) -> Any:
        """Show a modal and wait for its result (None = cancelled)."""
        return await self.app.push_screen_wait(modal)

    def _last_event(self, chat_id: str, kind: str | None = None) -> tuple[str, Any] | None:
        """(thread_id, event) of the newest event (of `kind`) in the open chat."""
        for thread in reversed(self.store.loaded_threads(chat_id)):
            for event in reversed(thread.events):
                if event.id and (kind is None or event.type == kind):
                    return thread.id or "", event
        return None

    # --- composer -------------------------------------------------------------------------------

    @work(group="action", exit_on_error=False)
    async def action_attach(self) -> None:
        """AttachModal -> outbox entry (file or image) -> uploaded and posted by the outbox."""
        chat_id = self._chat()
        if not chat_id:
            return
        request = await self.ask(m.AttachModal())
        if request is None:
            return
        entry = self.outbox.add(chat_id, "image" if request.as_image else "file", path=str(request.path))
        self.show_transcript()
        self.outbox_sender.send(entry)

    def action_outbox(self, what: str) -> None:
        """Retry, edit or copy the open chat's failed messages."""
        from lcconsole.ui.widgets.composer import Composer

        failed = [e for e in self.outbox.for_chat(self.current_chat_id or "") if e.state == "failed"]
        if not failed:
            self.notify("no failed messages in this chat", timeout=2)
            return
        if what == "retry":
            for entry in failed:
                self.outbox.mark(entry.custom_id, "pending")
                self.outbox_sender.send(entry)
        elif what == "edit":
            entry = failed[-1]
            self.outbox.done(entry.custom_id)
            self.spawn(self.outbox.flush(), group="outbox-write")
            composer = self.query_one(Composer)
            composer.text = entry.text
            composer.focus_input()
        else:
            self.app.copy_to_clipboard(failed[-1].text)
            self.notify("copied the failed message", timeout=2)
        self.show_transcript()

    # --- chat actions ---------------------------------------------------------------------------

    @work(group="action", exit_on_error=False)
    async def action_close_chat(self) -> None:
        """Close the chat (its active thread) after a confirmation."""
        chat_id = self._chat()
        if chat_id and await self.ask(
            m.ConfirmModal("Close chat", f"Close the chat with {self.customer_label(chat_id)}?", confirm_label="Close")
        ):
            if await self.commands.close(chat_id):
                self.notify("chat closed", timeout=2)

    @work(group="action", exit_on_error=False)
    async def action_reopen_chat(self) -> None:
        """Reopen an inactive chat with a new thread."""
        chat_id = self._chat()
        if chat_id:
            await self.commands.reopen(chat_id)

    @work(group="action", exit_on_error=False)
    async def action_follow_chat(self) -> None:
        """Follow the chat (its pushes without being its agent)."""
        chat_id = self._chat()
        if chat_id and await self.commands.follow(chat_id):
            self.notify("following", timeout=2)

    @work(group="action", exit_on_error=False)
    async def action_unfollow_chat(self) -> None:
        """Stop following the chat."""
        chat_id = self._chat()
        if chat_id and await self.commands.follow(chat_id, False):
            self.notify("not following", timeout=2)

    @work(group="action", exit_on_error=False)
    async def action_transfer_chat(self) -> None:
        """TransferModal -> transfer the chat to agents or a group."""
        chat_id = self._chat()
        if not chat_id:
            return
        modal = await self.transfer_modal(chat_id)
        request = await self.ask(modal) if modal is not None else None
        if request is not None and await self.commands.transfer(chat_id, request):
            self.notify("chat transferred", timeout=2)

    @work(group="action", exit_on_error=False)
    async def action_add_user(self) -> None:
        """UserModal(add) -> add an agent to the chat."""
        await self._user_change("add")

    @work(group="action", exit_on_error=False)
    async def action_remove_user(self) -> None:
        """UserModal(remove) -> confirm -> remove an agent from the chat."""
        await self._user_change("remove")

    async def _user_change(self, action: str) -> None:
        chat_id = self._chat()
        if not chat_id:
            return
        summary = self.store.chats[chat_id]
        change = await self.ask(m.UserModal(action, list(self.store.agents.values()), list(summary.users)))
        if change is None:
            return
        if action == "remove" and not await self.ask(
            m.ConfirmModal("Remove user", f"Remove {change.user_id} from the chat?")
        ):
            return
        await self.commands.change_user(chat_id, action, change.user_id, change.user_type)

    @work(group="action", exit_on_error=False)
    async def action_access(self, action: str) -> None:
        """AccessModal -> grant / revoke / set one group's access (confirmed)."""
        chat_id = self._chat()
        if not chat_id:
            return
        summary = self.store.chats[chat_id]
        current = summary.access.group_ids if summary.access else []
        change = await self.ask(m.AccessModal(action, self.known_groups(), current))
        if change is None:
            return
        verb = {
            "grant": "Grant group {g} access to",
            "revoke": "Revoke group {g}'s access to",
            "set": "Give only group {g} access to",
        }[action].format(g=change.group_id)
        if not await self.ask(
            m.ConfirmModal(
                f"{action.capitalize()} access",
                f"{verb} the chat with {self.customer_label(chat_id)}?",
                confirm_label=action.capitalize(),
            )
        ):
            return
        await self.commands.change_access(chat_id, action, change.group_id)

    @work(group="action", exit_on_error=False)
    async def action_tag(self) -> None:
        """TagModal(add) -> tag the current thread."""
        await self._tag("add")

    @work(group="action", exit_on_error=False)
    async def action_untag(self) -> None:
        """TagModal(remove) -> remove a tag from the current thread."""
        await self._tag("remove")

    async def _tag(self, action: str) -> None:
        chat_id = self._chat()
        thread_id = self.current_thread_id() if chat_id else None
        if not chat_id or not thread_id:
            return
        tag = await self.ask(m.TagModal(action, self.known_tags(), self.current_tags()))
        if tag:
            await self.commands.tag(chat_id, thread_id, tag, add=action == "add")

    @work(group="action", exit_on_error=False)
    async def action_property(self, level: str, delete: bool) -> None:
        """PropertyModal -> one of the six property updates / deletes."""
        chat_id = self._chat()
        if not chat_id:
            return
        thread_id = self.current_thread_id()
        event_id = None
        if level == "chat":
            existing = self.store.chats[chat_id].properties
        elif level == "thread":
            thread = self.store.current_thread(chat_id)
            existing = thread.properties if thread else None
        else:
            found = self._last_event(chat_id)
            if found is None:
                self.notify("no event to change", severity="warning")
                return
            thread_id, event = found
            event_id, existing = event.id, event.properties
        change = await self.ask(m.PropertyModal(level, existing, delete=delete))
        if change is None:
            return
        await self.commands.change_properties(
            level, change.properties(), delete=delete, chat_id=chat_id, thread_id=thread_id, event_id=event_id
        )

    def on_transcript_postback_pressed(self, message: Any) -> None:
        """A rich-message button pressed in the transcript."""
        if self.current_chat_id and self.session_ready:
            self.postback(
                self.current_chat_id, message.thread_id, message.event_id, message.postback_id, message.toggled
            )

    def action_postback(self) -> None:
        """Press the first button of the newest rich message."""
        chat_id = self._chat()
        found = self._last_event(chat_id, "rich_message") if chat_id else None
        buttons = [b for el in found[1].elements for b in el.buttons] if found else []
        if not buttons:
            self.notify("no rich message with buttons here", timeout=2)
            return
        self.confirm_postback(chat_id, found[0], found[1].id, buttons[0])

    @work(group="action", exit_on_error=False)
    async def confirm_postback(self, chat_id: str, thread_id: str, event_id: str, button: Any) -> None:
        """Ask (naming the button and the customer), then press the button."""
        if await self.ask(
            m.ConfirmModal(
                "Press button",
                f'Press "{button.text or button.postback_id}" in the chat with {self.customer_label(chat_id)}?',
                confirm_label="Press",
            )
        ):
            self.postback(chat_id, thread_id, event_id, button.postback_id, self.store.my_id not in button.user_ids)

    @work(group="postback", exit_on_error=False)
    async def postback(self, chat_id: str, thread_id: str, event_id: str, postback_id: str, toggled: bool) -> None:
        """Press (or release) the button."""
        await self.commands.press_button(chat_id, thread_id, event_id, postback_id, toggled)
