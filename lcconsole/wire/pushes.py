"""Typed models for every v3.0 RTM push (docs/api-notes.md §4.4) and `parse_push`.

Each model describes the push *payload*; unknown fields are kept. `parse_push` never raises: an
unknown push name, or a known push whose payload does not validate, becomes an `UnknownPush`
carrying the raw payload, so a consumer can still log or inspect it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from pydantic import PrivateAttr, ValidationError

from lcconsole.wire.objects import (
    Access,
    Chat,
    Customer,
    Event,
    Geolocation,
    Properties,
    User,
    WireModel,
)
from lcconsole.wire.validation import describe

log = logging.getLogger(__name__)

PropertyNames = dict[str, list[str]]
"""Deleted property names: `{namespace: [name, ...]}`."""


class PushBase(WireModel):
    """Base of every typed push payload; `action` is the push name, `request_id` is set when the
    push was caused by one of our own requests."""

    action: ClassVar[str] = ""
    _request_id: str | None = PrivateAttr(default=None)
    _raw: dict[str, Any] | None = PrivateAttr(default=None)

    @property
    def request_id(self) -> str | None:
        """The `request_id` of our own request that caused this push, if any."""
        return self._request_id

    @property
    def raw(self) -> dict[str, Any]:
        """The payload exactly as received (falls back to `to_payload()` for built models)."""
        return self._raw if self._raw is not None else self.to_payload()

    def to_payload(self) -> dict[str, Any]:
        """The payload as JSON-ready data (fields that were not in the frame are left out)."""
        return self.model_dump(mode="json", exclude_unset=True)


@dataclass
class UnknownPush:
    """A push that is not a v3.0 push, or whose payload did not match its model (`error` says
    why); compares by action and payload."""

    action: str
    payload: Any
    request_id: str | None = field(default=None, compare=False, repr=False)
    error: str | None = field(default=None, compare=False, repr=False)

    @property
    def raw(self) -> Any:
        """The payload exactly as received."""
        return self.payload

    def to_payload(self) -> Any:
        """The raw payload."""
        return self.payload


# --- chats, threads, events ----------------------------------------------------------------


class IncomingChatThreadPush(PushBase):
    """A chat with a new thread reached the agent (start/activate/follow_chat, new thread)."""

    action: ClassVar[str] = "incoming_chat_thread"
    chat: Chat


class IncomingEventPush(PushBase):
    """A new event in an existing thread."""

    action: ClassVar[str] = "incoming_event"
    chat_id: str
    thread_id: str
    event: Event


class EventUpdatedPush(PushBase):
    """An event was changed (e.g. a rich message's buttons)."""

    action: ClassVar[str] = "event_updated"
    chat_id: str
    thread_id: str
    event: Event


class PostbackToggle(WireModel):
    """The postback part of `incoming_rich_message_postback`."""

    id: str
    toggled: bool | None = None


class IncomingRichMessagePostbackPush(PushBase):
    """A user pressed a rich-message button."""

    action: ClassVar[str] = "incoming_rich_message_postback"
    user_id: str
    chat_id: str
    thread_id: str
    event_id: str
    postback: PostbackToggle


class IncomingMulticastPush(PushBase):
    """A multicast message (arbitrary content)."""

    action: ClassVar[str] = "incoming_multicast"
    content: Any
    author_id: str | None = None
    type: str | None = None


class TypingIndicator(WireModel):
    """Who is typing, to whom, since when."""

    author_id: str
    recipients: str | None = None
    timestamp: int | None = None


class SneakPeek(TypingIndicator):
    """What a customer is typing (agents only)."""

    text: str = ""


class IncomingTypingIndicatorPush(PushBase):
    """Someone is typing in a chat."""

    action: ClassVar[str] = "incoming_typing_indicator"
    chat_id: str
    thread_id: str
    typing_indicator: TypingIndicator


class IncomingSneakPeekPush(PushBase):
    """Sneak peek of a customer's unsent text."""

    action: ClassVar[str] = "incoming_sneak_peek"
    chat_id: str
    thread_id: str
    sneak_peek: SneakPeek


class ThreadClosedPush(PushBase):
    """A thread was closed; `user_id` is absent when the router closed it."""

    action: ClassVar[str] = "thread_closed"
    chat_id: str
    thread_id: str
    user_id: str | None = None


# --- access, transfer, users ---------------------------------------------------------------


class _AccessPush(PushBase):
    resource: str
    id: str
    access: Access


class AccessGrantedPush(_AccessPush):
    """Access to a chat or customer was granted."""

    action: ClassVar[str] = "access_granted"


class AccessRevokedPush(_AccessPush):
    """Access to a chat or customer was revoked."""

    action: ClassVar[str] = "access_revoked"


class AccessSetPush(_AccessPush):
    """Access to a chat or customer was replaced."""

    action: ClassVar[str] = "access_set"


class ChatTransferredPush(PushBase):
    """A chat was transferred to agents or groups."""

    action: ClassVar[str] = "chat_transferred"
    chat_id: str
    requester_id: str | None = None
    type: Literal["agent", "group"]
    ids: list[str | int]


class ChatUserAddedPush(PushBase):
    """A user (agent or customer) was added to a chat."""

    action: ClassVar[str] = "chat_user_added"
    chat_id: str
    thread_id: str | None = None
    user: User
    user_type: Literal["agent", "customer"]


class ChatUserRemovedPush(PushBase):
    """A user was removed from a chat."""

    action: ClassVar[str] = "chat_user_removed"
    chat_id: str
    thread_id: str | None = None
    user_id: str
    user_type: Literal["agent", "customer"] | None = None


# --- properties and tags -------------------------------------------------------------------


class ChatPropertiesUpdatedPush(PushBase):
    """Chat properties changed (only the changed ones)."""

    action: ClassVar[str] = "chat_properties_updated"
    chat_id: str
    properties: Properties


class ChatPropertiesDeletedPush(PushBase):
    """Chat properties were deleted."""

    action: ClassVar[str] = "chat_properties_deleted"
    chat_id: str
    properties: PropertyNames


class ChatThreadPropertiesUpdatedPush(ChatPropertiesUpdatedPush):
    """Thread properties changed (only the changed ones)."""

    action: ClassVar[str] = "chat_thread_properties_updated"
    thread_id: str


class ChatThreadPropertiesDeletedPush(ChatPropertiesDeletedPush):
    """Thread properties were deleted."""

    action: ClassVar[str] = "chat_thread_properties_deleted"
    thread_id: str


class EventPropertiesUpdatedPush(ChatThreadPropertiesUpdatedPush):
    """Event properties changed (only the changed ones)."""

    action: ClassVar[str] = "event_properties_updated"
    event_id: str


class EventPropertiesDeletedPush(ChatThreadPropertiesDeletedPush):
    """Event properties were deleted."""

    action: ClassVar[str] = "event_properties_deleted"
    event_id: str


class ChatThreadTaggedPush(PushBase):
    """A thread was tagged."""

    action: ClassVar[str] = "chat_thread_tagged"
    chat_id: str
    thread_id: str
    tag: str


class ChatThreadUntaggedPush(ChatThreadTaggedPush):
    """A tag was removed from a thread."""

    action: ClassVar[str] = "chat_thread_untagged"


class LastSeenTimestampUpdatedPush(PushBase):
    """A user's last-seen timestamp in a chat moved."""

    action: ClassVar[str] = "last_seen_timestamp_updated"
    user_id: str
    chat_id: str
    timestamp: int


# --- customers and agents ------------------------------------------------------------------


class CustomerCreatedPush(PushBase):
    """A customer was created."""

    action: ClassVar[str] = "customer_created"
    customer: Customer


class CustomerUpdatedPush(PushBase):
    """A customer changed; the payload is the customer object itself."""

    action: ClassVar[str] = "customer_updated"
    id: str
    type: str | None = None
    name: str | None = None
    email: str | None = None
    avatar: str | None = None
    present: bool | None = None
    banned: bool | None = None
    fields: dict[str, Any] | None = None


class CustomerVisitStartedPush(PushBase):
    """A customer started a website visit."""

    action: ClassVar[str] = "customer_visit_started"
    customer_id: str
    visit_id: int | str
    started_at: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    geolocation: Geolocation | None = None


class CustomerVisitEndedPush(PushBase):
    """A customer's visit ended."""

    action: ClassVar[str] = "customer_visit_ended"
    customer_id: str
    visit_id: int | str
    ended_at: str | None = None


class CustomerPageUpdatedPush(PushBase):
    """A customer opened another page."""

    action: ClassVar[str] = "customer_page_updated"
    customer_id: str
    visit_id: int | str
    opened_at: str | None = None
    url: str | None = None
    title: str | None = None
    referrer: str | None = None


class Ban(WireModel):
    """A ban's length."""

    days: int


class CustomerBannedPush(PushBase):
    """A customer was banned."""

    action: ClassVar[str] = "customer_banned"
    customer_id: str
    ban: Ban


class AgentUpdatedPush(PushBase):
    """An agent's routing status changed."""

    action: ClassVar[str] = "agent_updated"
    agent_id: str
    routing_status: str | None = None


class AgentDisconnectedPush(PushBase):
    """The server is disconnecting us; `reason` per docs/api-notes.md §3.5."""

    action: ClassVar[str] = "agent_disconnected"
    reason: str
    data: dict[str, Any] | None = None


Push = PushBase | UnknownPush
"""What `parse_push` returns."""


def _subclasses(cls: type[PushBase]) -> list[type[PushBase]]:
    return [c for sub in cls.__subclasses__() for c in (sub, *_subclasses(sub))]


PUSH_MODELS: dict[str, type[PushBase]] = {m.action: m for m in _subclasses(PushBase) if m.action}
"""Push name -> payload model, one per name in `wire.actions.PUSHES`."""


def parse_push(action: str, payload: Any, request_id: str | None = None) -> Push:
    """Typed model for a push, or `UnknownPush` when the name is unknown or validation fails."""
    if not isinstance(payload, dict):
        return UnknownPush(action, payload, request_id, "payload is not an object")
    model = PUSH_MODELS.get(action)
    if model is None:
        return UnknownPush(action, payload, request_id)
    try:
        push = model.model_validate(payload)
    except ValidationError as exc:
        problem = describe(exc)
        log.warning("push %s did not match its model: %s", action, problem)
        return UnknownPush(action, payload, request_id, problem)
    push._request_id = request_id
    push._raw = payload
    return push
