"""The main screen's keys that start a collaborator's flow: a message's view and copy, the chat's
actions (take, close, transfer, tags, properties…) and the console's (customers, archives,
routing…). Each runs in a worker of the screen (`_run`); the help for each is in
`keymap.KEY_ACTIONS`."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from lcconsole.ui.controllers.chat_actions import ChatActions
from lcconsole.ui.controllers.console_actions import ConsoleActions
from lcconsole.ui.controllers.message_actions import MessageActions


class FlowKeys:
    """Mixed into `MainScreen`, which builds the collaborators and runs the workers."""

    chat_actions: ChatActions
    console_actions: ConsoleActions
    message_actions: MessageActions

    def _run(self, work: Coroutine[Any, Any, Any], group: str = "action", exclusive: bool = False) -> None:
        raise NotImplementedError  # (MainScreen's)

    def action_message_view(self) -> None:
        self.message_actions.view_message()

    def action_message_copy(self) -> None:
        self.message_actions.copy_message()

    def action_copy_value(self) -> None:
        self.message_actions.pick_value()

    def action_take_chat(self) -> None:
        self._run(self.chat_actions.take(), exclusive=True)

    def action_attach(self) -> None:
        self._run(self.chat_actions.attach())

    def action_outbox(self, what: str) -> None:
        self.chat_actions.failed_sends(what)

    def action_close_chat(self) -> None:
        self._run(self.chat_actions.close())

    def action_reopen_chat(self) -> None:
        self._run(self.chat_actions.reopen())

    def action_follow_chat(self) -> None:
        self._run(self.chat_actions.follow(True))

    def action_unfollow_chat(self) -> None:
        self._run(self.chat_actions.follow(False))

    def action_transfer_chat(self) -> None:
        self._run(self.chat_actions.transfer())

    def action_add_user(self) -> None:
        self._run(self.chat_actions.change_user("add"))

    def action_remove_user(self) -> None:
        self._run(self.chat_actions.change_user("remove"))

    def action_access(self, action: str) -> None:
        self._run(self.chat_actions.access(action))

    def action_tag(self) -> None:
        self._run(self.chat_actions.tag("add"))

    def action_untag(self) -> None:
        self._run(self.chat_actions.tag("remove"))

    def action_property(self, level: str, delete: bool) -> None:
        self._run(self.chat_actions.properties(level, delete))

    def action_postback(self) -> None:
        self._run(self.chat_actions.press_newest_button())

    def action_request_summary(self) -> None:
        self._run(self.chat_actions.request_summary())

    def action_send_thinking(self) -> None:
        self._run(self.chat_actions.send_thinking())

    def action_edit_customer(self) -> None:
        self._run(self.console_actions.edit_customer())

    def action_new_customer(self) -> None:
        self._run(self.console_actions.new_customer())

    def action_ban_customer(self) -> None:
        self._run(self.console_actions.ban_customer())

    def action_earlier_chats(self) -> None:
        self._run(self.console_actions.browse_earlier())

    def action_start_chat(self) -> None:
        self._run(self.console_actions.start_chat())

    def action_customers(self) -> None:
        self._run(self.console_actions.customers())

    def action_archives(self) -> None:
        self._run(self.console_actions.archives())

    def action_visitors(self) -> None:
        self._run(self.console_actions.browse_visitors())

    def action_multicast(self) -> None:
        self._run(self.console_actions.multicast())

    def action_toggle_away(self) -> None:
        self._run(self.console_actions.toggle_away(), group="routing", exclusive=True)

    def action_toggle_routing(self) -> None:
        self._run(self.console_actions.toggle_routing(), group="routing", exclusive=True)
