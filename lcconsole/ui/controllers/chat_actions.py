"""Chat actions: the flows behind the keys that act on the open chat (take, close, transfer, tags,
properties, buttons, attachments, the AI summary, …).

Each asks in a modal what to do (destructive ones confirm first, naming the customer), then calls
a `ChatCommands` command, which turns failures into notifications and re-reads the chat. The
screen runs each flow in a worker; the actions know it only as an `ActionsView`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lcconsole.ui.controllers.screen_view import (
    ActionsView,
    current_tags,
    current_thread_id,
    customer_label,
    known_groups,
    last_event,
    m,
    open_chat_id,
    opens_modal,
)

if TYPE_CHECKING:
    from lcconsole.ui.controllers.chat_commands import ChatCommands
    from lcconsole.ui.controllers.outbox_sender import OutboxSender
    from lcconsole.ui.persist import Outbox


class ChatActions:
    """The open chat's actions, from the modal to the server's answer."""

    def __init__(self, commands: ChatCommands, sender: OutboxSender, view: ActionsView) -> None:
        self.commands = commands
        self.sync = commands.sync
        self.store = commands.store
        self.sender = sender
        self.outbox: Outbox = sender.outbox
        self.view = view

    def open_chat_id(self) -> str | None:
        """The open chat id, or a hint when there is none (or we are not connected)."""
        return open_chat_id(self.sync, self.view)

    def offered(self, capability: str, what: str) -> bool:
        """Whether the connection offers `capability` (a hint when it does not)."""
        if self.sync.lifecycle.can_call and not self.sync.offers(capability):
            self.view.notify(f"{what} is not available in this API version", severity="warning", timeout=4)
            return False
        return True

    # --- queued chats -----------------------------------------------------------------------------

    async def take(self) -> None:
        """Join the highlighted queued chat; it moves to My chats, open and read."""
        if not self.sync.lifecycle.can_call:
            return
        item = self.view.highlighted_row()
        if item is None or item.section != "queued":
            self.view.notify("highlight a queued chat to take it", severity="warning", timeout=3)
            return
        chat_id = item.chat_id
        if await self.commands.take(chat_id):
            if self.view.current_chat_id != chat_id:
                self.view.open_chat(chat_id)
            self.view.read_chat(chat_id)
            self.view.notify(f"took the chat with {item.customer_name}", timeout=3)

    # --- what the agent wrote, attachments, the outbox -------------------------------------------

    async def send(self, text: str, chat_id: str, *, note: bool, began: str | None) -> bool:
        """The composer's text to `chat_id`: recorded in the outbox, shown pending, sent. When
        the agent began it in another chat (`began`), asks first; False when nothing was sent."""
        if not text.strip():
            return False
        if began and began != chat_id and began in self.store.chats:
            kind = "note" if note else "message"
            if not await self.view.ask(
                m.ConfirmModal(
                    "Send to this chat?",
                    f"You began this {kind} in the chat with {customer_label(self.store, began)}. "
                    f"Send it to {customer_label(self.store, chat_id)}?",
                    confirm_label="Send here",
                ),
                asked=False,
            ):
                return False
            if self.view.current_chat_id != chat_id:
                return False
        entry = self.outbox.add(chat_id, "note" if note else "message", text)
        self.view.show_transcript()
        self.sender.send(entry, from_composer=True)
        return True

    def keep_unsent(self, chat_id: str, text: str, *, note: bool) -> None:
        """A composer text that was not sent and has no place in the composer any more: a failed
        message of `chat_id`, shown there with retry, edit and copy."""
        entry = self.outbox.add(chat_id, "note" if note else "message", text)
        self.outbox.mark(entry.custom_id, "failed", "not sent")
        self.view.spawn(self.outbox.flush(), group="outbox-write")
        self.view.show_transcript()
        self.view.notify("not sent: kept as a failed message of its chat (retry, edit or copy it there)", timeout=6)

    @opens_modal
    async def attach(self) -> None:
        """AttachModal -> an outbox entry (file or image), uploaded and posted by the sender."""
        chat_id = self.open_chat_id()
        if not chat_id:
            return
        request = await self.view.ask(m.AttachModal())
        if request is None:
            return
        entry = self.outbox.add(chat_id, "image" if request.as_image else "file", path=str(request.path))
        self.view.show_transcript()
        self.sender.send(entry)

    def failed_sends(self, what: str) -> None:
        """Retry (`what` "retry"), edit ("edit") or copy the open chat's failed messages."""
        failed = [e for e in self.outbox.for_chat(self.view.current_chat_id or "") if e.state == "failed"]
        if not failed:
            self.view.notify("no failed messages in this chat", timeout=2)
            return
        if what == "retry":
            for entry in failed:
                self.outbox.mark(entry.custom_id, "pending")
                self.sender.send(entry)
        elif what == "edit":
            entry = failed[-1]
            if not self.view.edit_in_composer(entry.text, note=entry.kind == "note"):
                self.view.notify("the composer holds a text: send or clear it first", severity="warning", timeout=4)
                return
            self.outbox.done(entry.custom_id)
            self.view.spawn(self.outbox.flush(), group="outbox-write")
        else:
            self.view.copy_to_clipboard(failed[-1].text)
            self.view.notify("copied the failed message", timeout=2)
        self.view.show_transcript()

    # --- the chat ---------------------------------------------------------------------------------

    @opens_modal
    async def close(self) -> None:
        """Close the chat (its active thread) after a confirmation."""
        chat_id = self.open_chat_id()
        if not chat_id:
            return
        who = customer_label(self.store, chat_id)
        if await self.view.ask(m.ConfirmModal("Close chat", f"Close the chat with {who}?", confirm_label="Close")):
            if await self.commands.close(chat_id):
                self.view.notify("chat closed", timeout=2)

    async def reopen(self) -> None:
        """Reopen an inactive chat with a new thread."""
        chat_id = self.open_chat_id()
        if chat_id:
            await self.commands.reopen(chat_id)

    async def follow(self, follow: bool = True) -> None:
        """Follow the chat (its pushes without being its agent), or stop."""
        chat_id = self.open_chat_id()
        if chat_id and await self.commands.follow(chat_id, follow):
            self.view.notify("following" if follow else "not following", timeout=2)

    @opens_modal
    async def transfer(self) -> None:
        """TransferModal -> transfer the chat to agents or a group."""
        chat_id = self.open_chat_id()
        if not chat_id:
            return
        modal = await self.transfer_modal(chat_id)
        request = await self.view.ask(modal) if modal is not None else None
        if request is not None and await self.commands.transfer(chat_id, request):
            self.view.notify("chat transferred", timeout=2)

    async def transfer_modal(self, chat_id: str) -> Any:
        """The transfer picker: with the server's candidates and their load when it tells them
        (None when that list could not be read)."""
        active_chats = None
        if self.sync.offers("transfer_candidates"):
            active_chats = await self.commands.transfer_candidates(chat_id)
            if active_chats is None:
                return None
        return m.TransferModal(
            list(self.store.agents.values()),
            known_groups(self.store),
            exclude_agent_ids=[self.store.my_id],
            active_chats=active_chats,
        )

    @opens_modal
    async def change_user(self, action: str) -> None:
        """UserModal -> add an agent to the chat (`action` "add"), or remove one after a confirmation."""
        chat_id = self.open_chat_id()
        if not chat_id:
            return
        summary = self.store.chats[chat_id]
        change = await self.view.ask(m.UserModal(action, list(self.store.agents.values()), list(summary.users)))
        if change is None:
            return
        if action == "remove" and not await self.view.ask(
            m.ConfirmModal("Remove user", f"Remove {change.user_id} from the chat?")
        ):
            return
        await self.commands.change_user(chat_id, action, change.user_id, change.user_type)

    @opens_modal
    async def access(self, action: str) -> None:
        """AccessModal -> grant / revoke / set one group's access (confirmed)."""
        chat_id = self.open_chat_id()
        if not chat_id:
            return
        summary = self.store.chats[chat_id]
        current = summary.access.group_ids if summary.access else []
        change = await self.view.ask(m.AccessModal(action, known_groups(self.store), current))
        if change is None:
            return
        verb = {
            "grant": "Grant group {g} access to",
            "revoke": "Revoke group {g}'s access to",
            "set": "Give only group {g} access to",
        }[action].format(g=change.group_id)
        if not await self.view.ask(
            m.ConfirmModal(
                f"{action.capitalize()} access",
                f"{verb} the chat with {customer_label(self.store, chat_id)}?",
                confirm_label=action.capitalize(),
            )
        ):
            return
        await self.commands.change_access(chat_id, action, change.group_id)

    @opens_modal
    async def tag(self, action: str) -> None:
        """TagModal -> tag the current thread (`action` "add") or remove one of its tags."""
        chat_id = self.open_chat_id()
        thread_id = current_thread_id(self.store, chat_id) if chat_id else None
        if not chat_id or not thread_id:
            return
        tag = await self.view.ask(m.TagModal(action, self.store.known_tags(), current_tags(self.store, chat_id)))
        if tag:
            await self.commands.tag(chat_id, thread_id, tag, add=action == "add")

    @opens_modal
    async def properties(self, level: str, delete: bool) -> None:
        """PropertyModal -> one of the six property updates / deletes (chat, thread or newest event)."""
        chat_id = self.open_chat_id()
        if not chat_id:
            return
        thread_id = current_thread_id(self.store, chat_id)
        event_id = None
        if level == "chat":
            existing = self.store.chats[chat_id].properties
        elif level == "thread":
            thread = self.store.current_thread(chat_id)
            existing = thread.properties if thread else None
        else:
            found = last_event(self.store, chat_id)
            if found is None:
                self.view.notify("no event to change", severity="warning")
                return
            thread_id, event = found
            event_id, existing = event.id, event.properties
        change = await self.view.ask(m.PropertyModal(level, existing, delete=delete))
        if change is None:
            return
        await self.commands.change_properties(
            level, change.properties(), delete=delete, chat_id=chat_id, thread_id=thread_id, event_id=event_id
        )

    # --- rich-message buttons ---------------------------------------------------------------------

    @opens_modal
    async def press_newest_button(self) -> None:
        """Press the first button of the newest rich message (asked first)."""
        chat_id = self.open_chat_id()
        found = last_event(self.store, chat_id, "rich_message") if chat_id else None
        buttons = [b for el in found[1].elements for b in el.buttons] if found else []
        if not chat_id or not found or not buttons:
            self.view.notify("no rich message with buttons here", timeout=2)
            return
        (thread_id, event), button = found, buttons[0]
        label = button.text or button.postback_id
        if await self.view.ask(
            m.ConfirmModal(
                "Press button",
                f'Press "{label}" in the chat with {customer_label(self.store, chat_id)}?',
                confirm_label="Press",
            )
        ):
            toggled = self.store.my_id not in button.user_ids
            await self.commands.press_button(chat_id, thread_id, event.id, button.postback_id, toggled)

    # --- what only some API versions offer --------------------------------------------------------

    async def request_summary(self) -> None:
        """Ask for an AI summary of the open chat's current thread; it appears in the thread."""
        chat_id = self.open_chat_id() if self.offered("thread_summary", "The AI summary") else None
        thread_id = current_thread_id(self.store, chat_id) if chat_id else None
        if not chat_id or not thread_id:
            return
        if await self.commands.request_summary(chat_id, thread_id):
            self.view.notify("AI summary requested: it appears in the thread", timeout=3)

    @opens_modal
    async def send_thinking(self) -> None:
        """ThinkingModal -> show the customer that an answer is being prepared."""
        chat_id = self.open_chat_id() if self.offered("thinking_indicator", "The thinking indicator") else None
        if not chat_id:
            return
        shown = await self.view.ask(m.ThinkingModal())
        if shown is not None:
            title, description = shown
            if await self.commands.thinking(chat_id, title, description):
                self.view.notify("the customer sees that you are preparing an answer", timeout=3)
