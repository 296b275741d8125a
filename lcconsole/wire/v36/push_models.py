"""Typed payload models of the v3.6 RTM pushes and `parse_push` for v3.6.

Each model describes a push *payload* (unknown fields kept), like the v3.0 models in `wire.pushes`,
whose `PushBase` / `UnknownPush` they share. `parse_push` never raises: an unknown name, or a payload
that does not match its model, becomes an `UnknownPush` carrying the raw payload. Three pushes have
payloads that are not objects (`queue_positions_updated` and `auto_accesses_updated` are arrays,
`subscribed_customers_totals_updated` a map of counts); their models hold them under one field
(`positions`, `changes`, `totals`).
Configuration pushes (agents, bots, groups, tags, properties) are typed loosely: an `id`/`name` and
whatever else came.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from pydantic import Field, ValidationError, model_validator

from lcconsole.wire.model_base import Access, WireModel
from lcconsole.wire.pushes import AgentDisconnectedPush, Push, PushBase, UnknownPush
from lcconsole.wire.v36.responses import AiSummary, Chat, Customer, Event, Properties, Queue, User
from lcconsole.wire.validation import describe

log = logging.getLogger(__name__)


class Push36(PushBase):
    """Base of every v3.6 push model (kept apart from the v3.0 registry)."""


# --- chats, threads, events ----------------------------------------------------------------------


class IncomingChatPush(Push36):
    """A chat reached the agent (start, resume, follow, transfer); `transferred_from` on transfers."""

    action: ClassVar[str] = "incoming_chat"
    chat: Chat
    requester_id: str | None = None
    transferred_from: dict[str, Any] | None = None


class ChatDeactivatedPush(Push36):
    """A chat's thread was closed; no `user_id` when the router closed it."""

    action: ClassVar[str] = "chat_deactivated"
    chat_id: str
    thread_id: str
    user_id: str | None = None


class ChatDeletedPush(Push36):
    action: ClassVar[str] = "chat_deleted"
    chat_id: str


class ThreadDeletedPush(Push36):
    action: ClassVar[str] = "thread_deleted"
    chat_id: str
    thread_id: str


class ThreadsDeletedPush(Push36):
    """Threads matching a date range / tag were deleted."""

    action: ClassVar[str] = "threads_deleted"
    date_from: str | None = None
    date_to: str | None = None
    tag: str | None = None


class ChatAccessUpdatedPush(Push36):
    action: ClassVar[str] = "chat_access_updated"
    id: str
    access: Access


class TransferredTo(WireModel):
    group_ids: list[int] = Field(default_factory=list)
    agent_ids: list[str] = Field(default_factory=list)


class ChatTransferredPush(Push36):
    action: ClassVar[str] = "chat_transferred"
    chat_id: str
    thread_id: str | None = None
    requester_id: str | None = None
    reason: str | None = None
    transferred_to: TransferredTo = Field(default_factory=TransferredTo)
    queue: Queue | None = None


class UserAddedToChatPush(Push36):
    action: ClassVar[str] = "user_added_to_chat"
    chat_id: str
    thread_id: str | None = None
    user: User
    reason: str | None = None
    requester_id: str | None = None


class UserRemovedFromChatPush(Push36):
    action: ClassVar[str] = "user_removed_from_chat"
    chat_id: str
    thread_id: str | None = None
    user_id: str
    reason: str | None = None
    requester_id: str | None = None


class IncomingEventPush(Push36):
    action: ClassVar[str] = "incoming_event"
    chat_id: str
    thread_id: str
    event: Event


class EventUpdatedPush(Push36):
    action: ClassVar[str] = "event_updated"
    chat_id: str
    thread_id: str
    event: Event


class EventDeletedPush(Push36):
    action: ClassVar[str] = "event_deleted"
    chat_id: str
    thread_id: str
    event_id: str


class PostbackPressed(WireModel):
    id: str
    toggled: bool | None = None
    button_type: str | None = None
    button_value: str | None = None
    ecommerce: dict[str, Any] | None = None


class IncomingRichMessagePostbackPush(Push36):
    action: ClassVar[str] = "incoming_rich_message_postback"
    user_id: str
    chat_id: str
    thread_id: str
    event_id: str
    postback: PostbackPressed


class ChatPropertiesUpdatedPush(Push36):
    action: ClassVar[str] = "chat_properties_updated"
    chat_id: str
    properties: Properties


class ChatPropertiesDeletedPush(Push36):
    action: ClassVar[str] = "chat_properties_deleted"
    chat_id: str
    properties: dict[str, list[str]]


class ThreadPropertiesUpdatedPush(ChatPropertiesUpdatedPush):
    action: ClassVar[str] = "thread_properties_updated"
    thread_id: str


class ThreadPropertiesDeletedPush(ChatPropertiesDeletedPush):
    action: ClassVar[str] = "thread_properties_deleted"
    thread_id: str


class EventPropertiesUpdatedPush(ThreadPropertiesUpdatedPush):
    action: ClassVar[str] = "event_properties_updated"
    event_id: str


class EventPropertiesDeletedPush(ThreadPropertiesDeletedPush):
    action: ClassVar[str] = "event_properties_deleted"
    event_id: str


class ThreadTaggedPush(Push36):
    action: ClassVar[str] = "thread_tagged"
    chat_id: str
    thread_id: str
    tag: str


class ThreadUntaggedPush(ThreadTaggedPush):
    action: ClassVar[str] = "thread_untagged"


class EventsMarkedAsSeenPush(Push36):
    action: ClassVar[str] = "events_marked_as_seen"
    user_id: str
    chat_id: str
    seen_up_to: str


class ChatUnfollowedPush(Push36):
    action: ClassVar[str] = "chat_unfollowed"
    chat_id: str


class QueuePosition(WireModel):
    chat_id: str
    thread_id: str | None = None
    queue: Queue | None = None


class QueuePositionsUpdatedPush(Push36):
    """The payload is an array; it is held in `positions`."""

    action: ClassVar[str] = "queue_positions_updated"
    positions: list[QueuePosition]

    @model_validator(mode="before")
    @classmethod
    def _wrap(cls, data: Any) -> Any:
        return {"positions": data} if isinstance(data, list) else data

    def to_payload(self) -> Any:
        return [p.model_dump(mode="json", exclude_unset=True) for p in self.positions]


class TypingIndicator(WireModel):
    author_id: str
    visibility: str | None = None
    timestamp: int | None = None
    is_typing: bool | None = None


class IncomingTypingIndicatorPush(Push36):
    action: ClassVar[str] = "incoming_typing_indicator"
    chat_id: str
    thread_id: str
    typing_indicator: TypingIndicator


class SneakPeek(WireModel):
    author_id: str
    text: str = ""
    timestamp: int | None = None


class IncomingSneakPeekPush(Push36):
    action: ClassVar[str] = "incoming_sneak_peek"
    chat_id: str
    thread_id: str
    sneak_peek: SneakPeek


class IncomingThinkingIndicatorPush(Push36):
    """A bot is preparing an answer (3.6)."""

    action: ClassVar[str] = "incoming_thinking_indicator"
    chat_id: str
    thread_id: str
    author_id: str | None = None
    sent_at: str | None = None
    title: str | None = None
    description: str | None = None
    custom_id: str | None = None


class IncomingEventPreviewPush(Push36):
    """An unsaved message preview (documented for customers; accepted here too)."""

    action: ClassVar[str] = "incoming_event_preview"
    chat_id: str
    thread_id: str | None = None
    event: Event


class ThreadSummarySetPush(Push36):
    """An AI summary of a thread is ready (after request_thread_summary or automatically)."""

    action: ClassVar[str] = "thread_summary_set"
    chat_id: str
    thread_id: str
    summary: AiSummary


class IncomingErrorPush(Push36):
    """An asynchronous failure, e.g. `action: "set_thread_summary"`."""

    action_name: str | None = Field(default=None, alias="action")
    action: ClassVar[str] = "incoming_error"
    chat_id: str | None = None
    thread_id: str | None = None


class IncomingMulticastPush(Push36):
    action: ClassVar[str] = "incoming_multicast"
    content: Any = None
    author_id: str | None = None
    type: str | None = None


# --- customers -----------------------------------------------------------------------------------


class IncomingCustomersPush(Push36):
    """After login: the customers on the monitoring level."""

    action: ClassVar[str] = "incoming_customers"
    customer_monitoring_level: str | None = None
    customers: list[Customer] = Field(default_factory=list)


class IncomingCustomerPush(Customer, Push36):
    """A customer appeared (the payload is the Customer object itself)."""

    action: ClassVar[str] = "incoming_customer"


class CustomerUpdatedPush(Push36):
    """Only the changed fields, flat."""

    action: ClassVar[str] = "customer_updated"
    id: str
    name: str | None = None
    email: str | None = None
    avatar: str | None = None
    phone_number: str | None = None
    session_fields: list[dict[str, Any]] | None = None


class CustomerPageUpdatedPush(Push36):
    action: ClassVar[str] = "customer_page_updated"
    customer_id: str
    visit_id: int | None = None
    opened_at: str | None = None
    url: str | None = None
    title: str | None = None


class CustomerStatisticsUpdatedPush(Push36):
    action: ClassVar[str] = "customer_statistics_updated"
    customer_id: str
    statistics: dict[str, Any] = Field(default_factory=dict)


class Ban(WireModel):
    days: int


class CustomerBannedPush(Push36):
    action: ClassVar[str] = "customer_banned"
    customer_id: str
    ban: Ban


class CustomerTransferredPush(Push36):
    action: ClassVar[str] = "customer_transferred"
    id: str
    transferred_to: dict[str, Any] = Field(default_factory=dict)
    followed: bool | None = None


class CustomerLeftPush(Push36):
    action: ClassVar[str] = "customer_left"
    id: str
    left_at: str | None = None


class SubscribedCustomersTotalsUpdatedPush(Push36):
    """`{subscription_id: count}`, held in `totals`."""

    action: ClassVar[str] = "subscribed_customers_totals_updated"
    totals: dict[str, int]

    @model_validator(mode="before")
    @classmethod
    def _wrap(cls, data: Any) -> Any:
        return {"totals": data} if isinstance(data, dict) and "totals" not in data else data

    def to_payload(self) -> Any:
        return dict(self.totals)


class TicketCreatedPush(Push36):
    action: ClassVar[str] = "ticket_created"
    customer_id: str
    ticket_id: str
    silo: str | None = None
    created_at: str | None = None


class TicketDeletedPush(Push36):
    action: ClassVar[str] = "ticket_deleted"
    customer_id: str
    ticket_id: str


# --- status ----------------------------------------------------------------------------------------


class RoutingStatusSetPush(Push36):
    action: ClassVar[str] = "routing_status_set"
    agent_id: str
    status: str


# --- configuration (typed loosely) -----------------------------------------------------------------


class _ConfigById(Push36):
    id: str | int


def _config(name: str, base: type[Push36] = _ConfigById) -> type[Push36]:
    cls = type(
        "".join(p.title() for p in name.split("_")) + "Push",
        (base,),
        {
            "action": name,
            "__annotations__": {"action": ClassVar[str]},
            "__doc__": f"`{name}` (configuration push; extra fields kept as they came).",
            "__module__": __name__,
        },
    )
    return cls


class _ConfigByName(Push36):
    name: str


class GroupsStatusUpdatedPush(Push36):
    action: ClassVar[str] = "groups_status_updated"
    groups: list[dict[str, Any]] = Field(default_factory=list)


class LicensePropertiesUpdatedPush(Push36):
    action: ClassVar[str] = "license_properties_updated"
    properties: Properties


class GroupPropertiesUpdatedPush(Push36):
    action: ClassVar[str] = "group_properties_updated"
    group_id: int
    properties: Properties


class AutoAccessesUpdatedPush(Push36):
    """Auto-access rule changes; the payload is an array, held in `changes`."""

    action: ClassVar[str] = "auto_accesses_updated"
    changes: list[dict[str, Any]]

    @model_validator(mode="before")
    @classmethod
    def _wrap(cls, data: Any) -> Any:
        return {"changes": data} if isinstance(data, list) else data

    def to_payload(self) -> Any:
        return list(self.changes)


CONFIG_PUSHES = tuple(
    [
        _config(n)
        for n in (
            "agent_created",
            "agent_approved",
            "agent_updated",
            "agent_suspended",
            "agent_unsuspended",
            "agent_deleted",
            "bot_created",
            "bot_updated",
            "bot_deleted",
            "group_created",
            "group_updated",
            "group_deleted",
        )
    ]
    + [_config(n, _ConfigByName) for n in ("tag_created", "tag_updated", "tag_deleted")]
)
"""Configuration pushes (3.4+): `agent_updated` here is a configuration change, not routing."""


STOP_REASONS = frozenset(
    {
        "agent_disconnected_by_server",
        "agent_logged_out_remotely",
        "access_token_revoked",
        "connection_evicted",
        "license_expired",
        "license_not_found",
        "misdirected_connection",
        "unsupported_version",
        "too_many_connections",
    }
)
"""v3.6 `agent_disconnected` reasons after which the docs say not to reconnect (a
`misdirected_connection` naming a region is followed once, see `rtm.connection`)."""

RECONNECT_REASONS = frozenset(
    {
        "connection_timeout",
        "internal_error",
        "too_many_unauthorized_connections",
        "role_permissions_changed",
    }
)
"""v3.6 reasons after which the docs say to reconnect (`access_token_expired`: with a new token)."""

REASON_TEXT = {
    "connection_evicted": "a newer connection of this agent replaced this one",
    "role_permissions_changed": "this agent's role permissions changed",
    "too_many_connections": "too many connections for this agent; close another console first",
    "unsupported_version": "the server does not support this API version (v3.6)",
}
"""Human sentences for the v3.6 reasons whose meaning differs from (or is new since) v3.0."""


def _subclasses(cls: type[Push36]) -> list[type[Push36]]:
    return [c for sub in cls.__subclasses__() for c in (sub, *_subclasses(sub))]


PUSH_MODELS: dict[str, type[PushBase]] = {
    **{m.action: m for m in _subclasses(Push36) if m.action},
    "agent_disconnected": AgentDisconnectedPush,  # same shape in both versions
}
"""v3.6 push name -> payload model."""


def parse_push(action: str, payload: Any, request_id: str | None = None) -> Push:
    """Typed v3.6 model for a push, or `UnknownPush` when the name is unknown or validation fails."""
    model = PUSH_MODELS.get(action)
    if model is None:
        return UnknownPush(action, payload, request_id)
    if not isinstance(payload, (dict, list)):
        return UnknownPush(action, payload, request_id, "payload is not an object")
    try:
        push = model.model_validate(payload)
    except ValidationError as exc:
        problem = describe(exc)
        log.warning("v3.6 push %s did not match its model: %s", action, problem)
        return UnknownPush(action, payload, request_id, problem)
    push._request_id = request_id
    push._raw = payload  # type: ignore[assignment]  # a top-level array payload is kept as sent
    return push
