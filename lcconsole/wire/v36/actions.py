"""The table of Agent Chat API v3.6 agent actions: required scopes and transport.

`scopes` lists the scopes the v3.6 reference accepts (any one suffices, with the `ro` ⊂ `rw` and
`my` ⊂ `access` ⊂ `all` rules of `wire.scopes`). Every Web action is also an RTM action, except
`upload_file` (Web only); `RTM_ONLY` are the socket-only methods.
"""

from __future__ import annotations

from dataclasses import dataclass

CHATS_RO = ("chats--all:ro", "chats--access:ro")
CHATS_RW = ("chats--all:rw", "chats--access:rw")


@dataclass(frozen=True)
class Action36:
    """One v3.6 action."""

    name: str
    scopes: tuple[str, ...]
    web: bool = True
    rtm: bool = True
    multipart: bool = False


def _a(name: str, scopes: tuple[str, ...] = (), **kw) -> Action36:
    return Action36(name, tuple(scopes), **kw)


_TABLE = [
    # chats
    _a("list_chats", CHATS_RO), _a("list_threads", CHATS_RO), _a("get_chat", CHATS_RO),
    _a("list_archives", CHATS_RO), _a("start_chat", CHATS_RW), _a("resume_chat", CHATS_RW),
    _a("deactivate_chat", CHATS_RW), _a("follow_chat", CHATS_RO), _a("unfollow_chat"),
    # chat access, users
    _a("transfer_chat", CHATS_RW), _a("add_user_to_chat", CHATS_RW),
    _a("remove_user_from_chat", CHATS_RW),
    # events
    _a("send_event_preview", CHATS_RW), _a("send_event", CHATS_RW),
    _a("upload_file", rtm=False, multipart=True), _a("send_rich_message_postback", CHATS_RW),
    # properties, tags
    _a("update_chat_properties", CHATS_RW), _a("delete_chat_properties", CHATS_RW),
    _a("update_thread_properties", CHATS_RW), _a("delete_thread_properties", CHATS_RW),
    _a("update_event_properties", CHATS_RW), _a("delete_event_properties", CHATS_RW),
    _a("tag_thread", CHATS_RW), _a("untag_thread", CHATS_RW),
    # customers
    _a("get_customer", ("customers:ro",)), _a("update_customer", ("customers:rw",)),
    _a("ban_customer", ("customers.ban:rw",)),
    # status, other
    _a("set_routing_status", ("agents--my:rw", "agents--all:rw")),
    _a("list_routing_statuses", ("agents--all:ro",)),
    _a("mark_events_as_seen", CHATS_RO), _a("send_thinking_indicator", CHATS_RW),
    _a("send_typing_indicator", CHATS_RW), _a("multicast", ("multicast:rw",)),
    _a("list_agents_for_transfer"), _a("request_thread_summary", CHATS_RW),
    # RTM only
    _a("login", web=False), _a("logout", web=False), _a("ping", web=False),
    _a("set_away_status", ("agents--my:rw",), web=False), _a("update_session", web=False),
    _a("subscribe_customers", ("customers:ro",), web=False),
    _a("unsubscribe_customers", ("customers:ro",), web=False),
]

ACTIONS: dict[str, Action36] = {a.name: a for a in _TABLE}
"""Every v3.6 agent action by name."""
