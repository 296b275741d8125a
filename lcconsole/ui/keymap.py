"""Every console action: binding id, default keys, screen action, label and help text.

One table feeds the screen's `BINDINGS`, the command palette and the help screen. Users rebind
by id in the config file's `[keymap]` table (applied with `App.set_keymap`).

Areas: "global" bindings work everywhere (function/ctrl keys); "chat" bindings are single keys
that act on the selected chat and work while the chat list or transcript has focus (the
composer takes typed letters; Escape leaves it). Irreversible actions sit behind `alt` and ask
first, naming the customer.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

Area = Literal["global", "chat"]


@dataclass(frozen=True)
class KeyAction:
    """One bindable console action."""

    id: str
    keys: str
    action: str
    label: str
    help: str
    area: Area = "chat"
    show: bool = True


A = KeyAction
KEY_ACTIONS: tuple[KeyAction, ...] = (
    # global
    A("app.help", "f1", "help", "Help", "Show every key binding (the live keymap).", "global"),
    A("chat.help", "question_mark", "help_keys", "Help", "Show every key binding (outside the composer).", show=False),
    A("app.palette", "ctrl+p", "app.command_palette", "Commands", "Search every action.", "global"),
    A("app.quit", "ctrl+q", "app.quit", "Quit", "Quit the console (drafts and outbox are kept).", "global", False),
    A("pane.chats", "f2", "toggle_pane('left')", "Chats pane", "Show or hide the chat list.", "global"),
    A(
        "pane.details",
        "f3",
        "toggle_pane('right')",
        "Details pane",
        "Show or hide the customer and properties panes.",
        "global",
    ),
    A("focus.chats", "f4", "focus_area('chats')", "Focus chats", "Move the focus to the chat list.", "global", False),
    A(
        "focus.composer",
        "f5",
        "focus_area('composer')",
        "Focus composer",
        "Move the focus to the composer.",
        "global",
        False,
    ),
    A(
        "composer.note",
        "ctrl+n",
        "toggle_note",
        "Note mode",
        "Switch the composer between customer message and agents-only note.",
        "global",
    ),
    A(
        "nav.back",
        "escape,q",
        "back",
        "Back",
        "One level back: composer or transcript -> where you came from, filter -> list (q only outside text fields).",
        "global",
        False,
    ),
    A(
        "app.switcher",
        "ctrl+g",
        "switcher",
        "Switch chat",
        "Quick switcher: type a name, e-mail, chat id, tag or message; Enter opens.",
        "global",
    ),
    A(
        "nav.next_unread",
        "right_square_bracket",
        "jump('unread', 1)",
        "Next unread",
        "Open the next chat with unread messages.",
        show=False,
    ),
    A(
        "nav.prev_unread",
        "left_square_bracket",
        "jump('unread', -1)",
        "Previous unread",
        "Open the previous chat with unread messages.",
        show=False,
    ),
    A(
        "nav.next_waiting",
        "w",
        "jump('waiting', 1)",
        "Next waiting",
        "Open the next chat whose customer waits for an answer.",
        show=False,
    ),
    A("chat.attach", "ctrl+o", "attach", "Attach", "Send a file or an image to the chat.", "global"),
    A("app.theme", "f9", "toggle_theme", "Theme", "Switch between the dark and the light theme.", "global", False),
    # the selected chat
    A(
        "chat.take",
        "a",
        "take_chat",
        "Take",
        "Take (accept, pick up) the highlighted queued chat: you join it and it moves to My chats.",
    ),
    A(
        "chat.reply",
        "r",
        "reply",
        "Reply",
        "Write to the customer in the composer (always a message the customer sees).",
    ),
    A("chat.note", "n", "note", "Note", "Write an agents-only note in the composer (the customer does not see it)."),
    A("chat.close", "x", "close_chat", "Close", "Close the chat's active thread (asks first)."),
    A("chat.activate", "o", "reopen_chat", "Activate", "Reopen an inactive chat with a new thread.", show=False),
    A("chat.follow", "f", "follow_chat", "Follow", "Follow the chat (its messages without being its agent)."),
    A("chat.unfollow", "F", "unfollow_chat", "Unfollow", "Stop following the chat.", show=False),
    A("chat.transfer", "t", "transfer_chat", "Transfer", "Transfer the chat to an agent or group."),
    A("chat.user_add", "u", "add_user", "Add user", "Add an agent to the chat.", show=False),
    A("chat.user_remove", "U", "remove_user", "Remove user", "Remove a user from the chat.", show=False),
    A(
        "chat.access_grant",
        "alt+g",
        "access('grant')",
        "Grant access",
        "Grant a group access to the chat (asks first).",
        show=False,
    ),
    A(
        "chat.access_revoke",
        "alt+shift+g",
        "access('revoke')",
        "Revoke access",
        "Revoke a group's access to the chat (asks first).",
        show=False,
    ),
    A(
        "chat.access_set",
        "alt+s",
        "access('set')",
        "Set access",
        "Set the chat's access to one group (asks first).",
        show=False,
    ),
    A("chat.tag", "l", "tag", "Tag", "Tag the current thread."),
    A("chat.untag", "L", "untag", "Untag", "Remove a tag from the current thread.", show=False),
    A(
        "props.chat_update",
        "p",
        "property('chat', False)",
        "Chat property",
        "Add or change a chat property.",
        show=False,
    ),
    A(
        "props.chat_delete",
        "P",
        "property('chat', True)",
        "Delete chat property",
        "Delete chat properties.",
        show=False,
    ),
    A(
        "props.thread_update",
        "alt+h",
        "property('thread', False)",
        "Thread property",
        "Add or change a thread property.",
        show=False,
    ),
    A(
        "props.thread_delete",
        "alt+shift+h",
        "property('thread', True)",
        "Delete thread property",
        "Delete thread properties.",
        show=False,
    ),
    A(
        "props.event_update",
        "e",
        "property('event', False)",
        "Event property",
        "Add or change a property of the last event.",
        show=False,
    ),
    A(
        "props.event_delete",
        "E",
        "property('event', True)",
        "Delete event property",
        "Delete properties of the last event.",
        show=False,
    ),
    A(
        "chat.postback",
        "alt+p",
        "postback",
        "Press button",
        "Press the last rich message's first button (asks first); the transcript's own keys pick others.",
        show=False,
    ),
    A("message.view", "v", "message_view", "View", "Show the highlighted message whole: scroll, search (/), copy (y)."),
    A(
        "message.copy",
        "y",
        "message_copy",
        "Copy",
        "Copy the highlighted message (OSC 52, and the local clipboard when there is one).",
        show=False,
    ),
    A(
        "chat.copy",
        "Y",
        "copy_value",
        "Copy id/e-mail/URL",
        "Copy the chat id, the customer's e-mail or id, or a URL of the message or the visit.",
        show=False,
    ),
    A(
        "customer.earlier",
        "I",
        "earlier_chats",
        "Earlier chats",
        "The customer's earlier chats (archives): preview one, open it.",
        show=False,
    ),
    A("chat.older", "O", "load_older", "Older threads", "Load the previous thread of the chat.", show=False),
    A("chat.seen", "m", "mark_seen", "Mark seen", "Mark the chat as seen up to now.", show=False),
    A(
        "chat.unseen",
        "N",
        "mark_unseen",
        "Mark unread",
        "Mark the chat as unread (kept on this computer until you open or answer it).",
        show=False,
    ),
    A(
        "chat.summary",
        "z",
        "request_summary",
        "AI summary",
        "Ask for an AI summary of the current thread; it appears in the thread (agents only).",
        show=False,
    ),
    A(
        "chat.thinking",
        "T",
        "send_thinking",
        "Thinking",
        "Show the customer that an answer is being prepared (a thinking indicator).",
        show=False,
    ),
    A(
        "app.visitors",
        "V",
        "visitors",
        "Visitors",
        "Who is on your website now and which page they look at; Enter starts a chat with one.",
        show=False,
    ),
    A("chat.sort", "s", "toggle_sort", "Sort", "Sort the chat list by waiting time or by last activity.", show=False),
    A("customer.edit", "c", "edit_customer", "Edit customer", "Edit the chat's customer."),
    A(
        "customer.ban",
        "alt+shift+b",
        "ban_customer",
        "Ban",
        "Ban the chat's customer for some days (asks first).",
        show=False,
    ),
    A("customer.create", "K", "new_customer", "New customer", "Create a customer.", show=False),
    A("outbox.retry", "alt+r", "outbox('retry')", "Retry sends", "Send this chat's failed messages again.", show=False),
    A(
        "outbox.edit",
        "alt+e",
        "outbox('edit')",
        "Edit failed",
        "Move the last failed message back into the composer.",
        show=False,
    ),
    A(
        "outbox.copy",
        "alt+y",
        "outbox('copy')",
        "Copy failed",
        "Copy the last failed message to the clipboard.",
        show=False,
    ),
    # the whole console
    A("app.start_chat", "S", "start_chat", "Start chat", "Start a chat with a customer."),
    A(
        "app.customers",
        "C",
        "customers",
        "Customers",
        "Browse customers with every filter of the customer list.",
        show=False,
    ),
    A("app.archives", "A", "archives", "Archives", "Browse archives with every archive filter.", show=False),
    A("app.multicast", "M", "multicast", "Multicast", "Send a multicast to agents or customers.", show=False),
    A(
        "app.routing",
        "alt+a",
        "toggle_routing",
        "Routing",
        "Toggle accepting / not accepting chats (asks first).",
        show=False,
    ),
    A(
        "app.reconnect",
        "ctrl+r",
        "reconnect_now",
        "Reconnect",
        "Reconnect now instead of waiting for the next try (offered while reconnecting).",
        "global",
    ),
    A(
        "app.away",
        "alt+w",
        "toggle_away",
        "Away",
        "Toggle away: away agents get no chats from routing.",
        "global",
        False,
    ),
)
"""Every action of the console, in help-screen order."""

BY_ID: dict[str, KeyAction] = {a.id: a for a in KEY_ACTIONS}

NEEDS: dict[str, str] = {
    "chat.summary": "thread_summary",
    "chat.thinking": "thinking_indicator",
    "app.visitors": "visitors",
    "chat.access_grant": "access",
    "chat.access_revoke": "access",
    "chat.access_set": "access",
    "app.customers": "customer_list",
    "customer.create": "new_customer",
}
"""Binding id -> the connection capability (`gateway.Capability` value) the action needs; where
the connection lacks it the action is hidden (footer, palette, help) and its key does nothing."""


PROPERTIES_PANE_ACTIONS = {
    "chat_properties": "property('chat', False)",
    "thread_properties": "property('thread', False)",
    "event_properties": "property('event', False)",
    "tags": "tag",
    "access": "access('grant')",
    "users": "add_user",
}
"""The properties pane's own keys (its `EditRequested.kind`) -> the screen action they run."""


def offered(binding_id: str, capabilities: Collection[str] | None) -> bool:
    """Whether an action is offered by a connection with `capabilities` (None: not known yet,
    everything is offered)."""
    need = NEEDS.get(binding_id)
    return need is None or capabilities is None or need in capabilities


def screen_action_offered(action: str, capabilities: Collection[str] | None) -> bool:
    """Whether the screen action named `action` (without its arguments) is offered: every binding
    that runs it is."""
    return all(offered(a.id, capabilities) for a in KEY_ACTIONS if a.action.split("(")[0] == action)


def is_chat_key(action: str) -> bool:
    """Whether the screen action named `action` is a single-key chat action (off while typing)."""
    return any(a.area == "chat" and a.action.split("(")[0] == action for a in KEY_ACTIONS)


def screen_bindings() -> list:
    """`Binding`s for the main screen (everything except the App-level quit/palette)."""
    from textual.binding import Binding

    # footer order: the chat keys that matter most first (they are hidden while typing, and
    # then the global keys move up), everything else after
    order = sorted(
        (a for a in KEY_ACTIONS if not a.action.startswith("app.")),
        key=lambda a: (a.id != "app.help", not a.show, a.area != "chat"),
    )
    return [Binding(a.keys, a.action, a.label, show=a.show, tooltip=a.help, id=a.id) for a in order]


def binding_ids() -> set[str]:
    """Every binding id of the console: this table, and the bindings of every screen, widget and
    modal class of lcconsole (imports the modals: call it off the UI thread)."""
    from textual.dom import DOMNode

    import lcconsole.ui.modals
    import lcconsole.ui.screens.help
    import lcconsole.ui.screens.main  # noqa: F401  (imported so their classes register bindings)

    ids = {a.id for a in KEY_ACTIONS}
    stack: list[type] = [DOMNode]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("lcconsole."):
            ids.update(b.id for b in cls.__dict__.get("BINDINGS", ()) if getattr(b, "id", None))
    return ids


def unknown_ids(overrides: dict[str, str]) -> list[str]:
    """The ids of a `[keymap]` table that name no binding (typos, removed actions)."""
    known = binding_ids()
    return sorted(binding_id for binding_id in overrides if binding_id not in known)


def effective_keys(overrides: dict[str, str]) -> dict[str, str]:
    """Binding id -> keys, after the config keymap overrides."""
    return {a.id: overrides.get(a.id, a.keys) for a in KEY_ACTIONS}


def key_label(keys: str) -> str:
    """A readable form of a keys string ("f1,question_mark" -> "F1 / ?")."""
    names = {
        "question_mark": "?",
        "escape": "Esc",
        "enter": "Enter",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
    }
    out = []
    for key in keys.split(","):
        key = key.strip()
        label = names.get(key, key)
        if label[:1] == "f" and label[1:].isdigit():
            label = label.upper()
        out.append(label)
    return " / ".join(out)
