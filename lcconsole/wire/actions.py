"""The one table of Agent Chat API v3.0 actions: scopes, retry safety, transport.

Both the client (`lcconsole.api`) and the emulator (`lcconsole.emulator`) are held to this table.
`scopes` lists the scopes the spec accepts (any one of them suffices; see `wire.scopes` for the
`my` ⊂ `access` ⊂ `all` and `ro` ⊂ `rw` rules). `idempotent` actions may be re-sent blindly after
a connect error, 429 or 5xx; the others create or move something and are never re-sent blindly.
"""

from __future__ import annotations

from dataclasses import dataclass

CHATS_RO = ("chats--all:ro", "chats--access:ro", "chats--my:ro")
CHATS_RW = ("chats--all:rw", "chats--access:rw", "chats--my:rw")
CONVERSATION_RW = (
    "chats.conversation--all:rw",
    "chats.conversation--access:rw",
    "chats.conversation--my:rw",
)


@dataclass(frozen=True)
class ApiAction:
    """One Agent Chat API action of one version (the v3.0 table here, v3.6 in `wire.v36.actions`)."""

    name: str
    area: str
    """The group of the docs' method index (the client has one mixin per area)."""
    scopes: tuple[str, ...]
    idempotent: bool
    file_part: str | None = None
    """The multipart part that carries the file, for the actions that take one."""
    returns_payload: bool = True
    web: bool = True
    rtm: bool = True

    @property
    def multipart(self) -> bool:
        """The request is multipart/form-data (the action takes a file)."""
        return self.file_part is not None


def _a(
    name: str,
    area: str,
    scopes: tuple[str, ...],
    idempotent: bool,
    *,
    file_part: str | None = None,
    returns_payload: bool = True,
    rtm: bool = True,
) -> ApiAction:
    return ApiAction(name, area, tuple(scopes), idempotent, file_part, returns_payload, rtm=rtm)


_TABLE = [
    # chats
    _a("activate_chat", "chats", CONVERSATION_RW, False),
    _a("follow_chat", "chats", CHATS_RW, True, returns_payload=False),
    _a("get_chats_summary", "chats", CHATS_RO, True),
    _a("start_chat", "chats", CONVERSATION_RW, False),
    _a("transfer_chat", "chats", CHATS_RW, False, returns_payload=False),
    _a("unfollow_chat", "chats", (), True, returns_payload=False),
    # chat access
    _a("grant_access", "access", CHATS_RW, True, returns_payload=False),
    _a("revoke_access", "access", CHATS_RW, True, returns_payload=False),
    _a("set_access", "access", CHATS_RW, True, returns_payload=False),
    # chat users
    _a("add_user_to_chat", "users", CHATS_RW, False, returns_payload=False),
    _a("remove_user_from_chat", "users", CHATS_RW, False, returns_payload=False),
    _a("update_agent", "users", ("agents--my:rw", "agents--all:rw"), True, returns_payload=False),
    # customers
    _a("ban_customer", "customers", ("customers.ban:rw",), True, returns_payload=False),
    _a("create_customer", "customers", ("customers:rw",), False),
    _a("get_customers", "customers", ("customers:ro",), True),
    _a("update_customer", "customers", ("customers:rw",), True),
    # events
    _a("send_event", "events", CONVERSATION_RW, False),
    # properties
    _a("delete_chat_properties", "properties", CONVERSATION_RW, True, returns_payload=False),
    _a("delete_chat_thread_properties", "properties", CONVERSATION_RW, True, returns_payload=False),
    _a("delete_event_properties", "properties", CONVERSATION_RW, True, returns_payload=False),
    _a("update_chat_thread_properties", "properties", CONVERSATION_RW, True, returns_payload=False),
    _a("update_chat_properties", "properties", CONVERSATION_RW, True, returns_payload=False),
    _a("update_event_properties", "properties", CONVERSATION_RW, True, returns_payload=False),
    # thread tags
    _a("tag_chat_thread", "tags", CHATS_RW, True, returns_payload=False),
    _a("untag_chat_thread", "tags", CHATS_RW, True, returns_payload=False),
    # other
    _a("get_archives", "other", CHATS_RO, True),
    _a("get_chat_threads", "other", ("chats--all:ro", "chats--access:ro"), True),
    _a("send_file", "other", CONVERSATION_RW, False, file_part="file", rtm=False),
    _a("get_chat_threads_summary", "other", CHATS_RO, True),
    _a("close_thread", "other", CHATS_RW, False, returns_payload=False),
    _a("upload_image", "other", (), False, file_part="image", rtm=False),
    _a("multicast", "other", ("multicast:rw",), False, returns_payload=False),
    _a("update_last_seen_timestamp", "other", ("chats--access:ro", "chats--all:ro"), True),
    _a("send_typing_indicator", "other", CONVERSATION_RW, True, returns_payload=False),
    _a(
        "send_rich_message_postback",
        "other",
        ("chats.conversation--my:rw", "chats.conversation--all:rw"),
        True,
        returns_payload=False,
    ),
]

ACTIONS: dict[str, ApiAction] = {spec.name: spec for spec in _TABLE}
"""The 35 Web actions, by name."""

RTM_ONLY_ACTIONS: dict[str, tuple[str, ...]] = {
    "login": (),
    "logout": (),
    "ping": (),
    "set_away_status": ("agents--my:rw",),
    "change_push_notifications": (),
}
"""Actions that exist only over the RTM socket, with their scopes."""

AREAS = ("chats", "access", "users", "customers", "events", "properties", "tags", "other")

ALL_SCOPES = (
    "chats--all:ro",
    "chats--all:rw",
    "chats--access:ro",
    "chats--access:rw",
    "chats--my:ro",
    "chats--my:rw",
    "chats.conversation--all:rw",
    "chats.conversation--access:rw",
    "chats.conversation--my:rw",
    "customers:ro",
    "customers:rw",
    "customers:own",
    "customers.ban:rw",
    "multicast:rw",
    "agents--my:rw",
    "agents--all:rw",
    "groups--all:ro",
)
"""Every scope the emulator knows; the administrator agent holds all of them (`groups--all:ro`
is the Configuration API's `list_groups`)."""

CUSTOMER_ACTIONS = (
    "start_chat",
    "activate_chat",
    "send_event",
    "send_file",
    "send_sneak_peek",
    "send_typing_indicator",
    "send_rich_message_postback",
    "close_thread",
    "get_chat_threads",
)
"""Actions of the emulator's small customer side (`/v3.0/customer/action/<action>`)."""

PUSHES = (
    "incoming_chat_thread",
    "incoming_event",
    "event_updated",
    "incoming_rich_message_postback",
    "incoming_multicast",
    "incoming_typing_indicator",
    "incoming_sneak_peek",
    "thread_closed",
    "access_granted",
    "access_revoked",
    "access_set",
    "chat_transferred",
    "chat_user_added",
    "chat_user_removed",
    "chat_properties_updated",
    "chat_properties_deleted",
    "chat_thread_properties_updated",
    "chat_thread_properties_deleted",
    "event_properties_updated",
    "event_properties_deleted",
    "chat_thread_tagged",
    "chat_thread_untagged",
    "last_seen_timestamp_updated",
    "customer_created",
    "customer_updated",
    "customer_visit_started",
    "customer_visit_ended",
    "customer_page_updated",
    "customer_banned",
    "agent_updated",
    "agent_disconnected",
)
"""Every v3.0 RTM push name (docs/api-notes.md §4.4)."""

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_MESSAGE_BYTES = 16 * 1024
