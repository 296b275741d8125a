"""The table of Agent Chat API v3.6 agent actions: required scopes and transport.

`scopes` lists the scopes the v3.6 reference accepts (any one suffices, with the `ro` ⊂ `rw` and
`my` ⊂ `access` ⊂ `all` rules of `wire.scopes`). Every Web action is also an RTM action, except
`upload_file` (Web only); `RTM_ONLY` are the socket-only methods. `area` is the group of the docs'
method index (the client has one mixin per area); `idempotent` actions may be re-sent blindly after
a connect error, 429 or 5xx, the others create or move something and never are (see `api.retry`).
"""

from __future__ import annotations

from typing import Any

from lcconsole.wire.actions import ApiAction

CHATS_RO = ("chats--all:ro", "chats--access:ro")
CHATS_RW = ("chats--all:rw", "chats--access:rw")


def _a(
    name: str, scopes: tuple[str, ...] = (), *, area: str = "other", idempotent: bool = False, **kw: Any
) -> ApiAction:
    return ApiAction(name, area, tuple(scopes), idempotent, **kw)


_TABLE = [
    # chats
    _a("list_chats", CHATS_RO, area="chats", idempotent=True),
    _a("list_threads", CHATS_RO, area="chats", idempotent=True),
    _a("get_chat", CHATS_RO, area="chats", idempotent=True),
    _a("list_archives", CHATS_RO, area="chats", idempotent=True),
    _a("start_chat", CHATS_RW, area="chats"),
    _a("resume_chat", CHATS_RW, area="chats"),
    _a("deactivate_chat", CHATS_RW, area="chats"),
    _a("follow_chat", CHATS_RO, area="chats", idempotent=True),
    _a("unfollow_chat", area="chats", idempotent=True),
    # chat access, users
    _a("transfer_chat", CHATS_RW, area="access"),
    _a("add_user_to_chat", CHATS_RW, area="users"),
    _a("remove_user_from_chat", CHATS_RW, area="users"),
    # events
    _a("send_event_preview", CHATS_RW, area="events", idempotent=True),
    _a("send_event", CHATS_RW, area="events"),
    _a("upload_file", rtm=False, file_part="file", area="events"),
    _a("send_rich_message_postback", CHATS_RW, area="events", idempotent=True),
    # properties, tags
    *(
        _a(f"{verb}_{kind}_properties", CHATS_RW, area="properties", idempotent=True)
        for kind in ("chat", "thread", "event")
        for verb in ("update", "delete")
    ),
    _a("tag_thread", CHATS_RW, area="tags", idempotent=True),
    _a("untag_thread", CHATS_RW, area="tags", idempotent=True),
    # customers
    _a("get_customer", ("customers:ro",), area="customers", idempotent=True),
    _a("update_customer", ("customers:rw",), area="customers", idempotent=True),
    _a("ban_customer", ("customers.ban:rw",), area="customers", idempotent=True),
    # status, other
    _a("set_routing_status", ("agents--my:rw", "agents--all:rw"), area="status", idempotent=True),
    _a("list_routing_statuses", ("agents--all:ro",), area="status", idempotent=True),
    _a("mark_events_as_seen", CHATS_RO, idempotent=True),
    _a("send_thinking_indicator", CHATS_RW, idempotent=True),
    _a("send_typing_indicator", CHATS_RW, idempotent=True),
    _a("multicast", ("multicast:rw",)),
    _a("list_agents_for_transfer", idempotent=True),
    _a("request_thread_summary", CHATS_RW),
    # RTM only
    _a("login", web=False, area="rtm"),
    _a("logout", web=False, area="rtm"),
    _a("ping", web=False, area="rtm"),
    _a("set_away_status", ("agents--my:rw",), web=False, area="rtm"),
    _a("update_session", web=False, area="rtm"),
    _a("subscribe_customers", ("customers:ro",), web=False, area="rtm"),
    _a("unsubscribe_customers", ("customers:ro",), web=False, area="rtm"),
]

ACTIONS: dict[str, ApiAction] = {a.name: a for a in _TABLE}
"""Every v3.6 agent action by name."""
