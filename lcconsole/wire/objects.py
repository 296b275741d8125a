"""Pydantic models for the v3.0 objects (docs/api-notes.md §2) and the Web action responses.

Every model keeps unknown fields (`extra="allow"`) and drops the `__priv_*` fields the API may add.
Nearly every field is optional: the spec's own sample responses elide objects as `{}` (e.g.
`"thread": { // "Thread" object }`), and a tolerant client beats a strict one here. Events and
users are unions selected by `type`, with fallbacks for unknown types and for
`{"restricted_access": true}` events. `RESPONSE_MODELS[action]` is the response model of each Web
action (None for actions with no response payload). Event models live in `wire.events`, the base
pieces in `wire.model_base`; everything is re-exported here.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Discriminator, Field, Tag, TypeAdapter, model_validator

from lcconsole.wire.events import (  # noqa: F401  (re-exported)
    EVENT_MODELS,
    Annotation,
    Custom,
    DeletedEvent,
    Event,
    EventBase,
    File,
    FilledForm,
    Form,
    FormField,
    Message,
    Postback,
    RestrictedEvent,
    RichButton,
    RichElement,
    RichImage,
    RichMessage,
    SystemEvent,
    SystemMessage,
    UnknownEvent,
)
from lcconsole.wire.model_base import (  # noqa: F401  (re-exported)
    PRIVATE_PREFIX,
    Access,
    Properties,
    PropertyValue,
    WireModel,
    user_tag,
)

# --- users --------------------------------------------------------------------------------------


class UserBase(WireModel):
    id: str | None = None
    type: str | None = None
    name: str | None = None
    email: str | None = None
    avatar: str | None = None
    present: bool | None = None
    last_seen_timestamp: int | None = None


class Agent(UserBase):
    """An agent (id = e-mail)."""

    type: Literal["agent"] = "agent"
    routing_status: str | None = None


class MyProfile(Agent):
    """The logged-in agent (login response): Agent + permission."""

    permission: str | None = None


class Geolocation(WireModel):
    country: str | None = None
    country_code: str | None = None
    region: str | None = None
    city: str | None = None
    timezone: str | None = None
    latitude: str | float | None = None
    longitude: str | float | None = None


class VisitedPage(WireModel):
    opened_at: str | None = None
    url: str | None = None
    title: str | None = None


class LastVisit(WireModel):
    started_at: str | None = None
    ended_at: str | None = None
    referrer: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    geolocation: Geolocation | None = None
    last_pages: list[VisitedPage] = Field(default_factory=list)


class CustomerStatistics(WireModel):
    chats_count: int | None = None
    threads_count: int | None = None
    visits_count: int | None = None
    page_views_count: int | None = None
    greetings_shown_count: int | None = None
    greetings_accepted_count: int | None = None
    tickets_count: int | None = None


class Customer(UserBase):
    """A customer (id = UUID); `present`/`last_seen_timestamp` only when embedded in a chat."""

    type: Literal["customer"] = "customer"
    last_visit: LastVisit | None = None
    fields: dict[str, Any] | None = None
    statistics: CustomerStatistics | None = None
    agent_last_event_created_at: str | None = None
    customer_last_event_created_at: str | None = None
    created_at: str | None = None
    banned: bool | None = None


class UnknownUser(UserBase):
    """A user whose `type` this client does not know (kept verbatim)."""


User = Annotated[
    Annotated[Agent, Tag("agent")] | Annotated[Customer, Tag("customer")] | Annotated[UnknownUser, Tag("unknown")],
    Discriminator(user_tag),
]
"""Agent | Customer | UnknownUser, chosen by `type`."""


class _HasUsers:
    """`customer` / `agents` shortcuts for objects with a `users` list."""

    users: list[Any]

    @property
    def customer(self) -> Customer | None:
        """The chat's customer, if listed."""
        return next((u for u in self.users if isinstance(u, Customer)), None)

    @property
    def agents(self) -> list[Agent]:
        """The agents listed in `users`."""
        return [u for u in self.users if isinstance(u, Agent)]


# --- threads and chats --------------------------------------------------------------------------


class AiSummary(WireModel):
    """An AI summary of a thread (newer versions): `status` (`ok`, …), `text`, `updated_at`."""

    status: str | None = None
    text: str | None = None
    updated_at: str | None = None


class Thread(WireModel):
    """A thread; `events` is absent when `restricted_access` is set; `summary` when the API
    version has AI summaries and one was made."""

    id: str | None = None
    timestamp: int | None = None
    order: int | None = None
    active: bool | None = None
    user_ids: list[str] = Field(default_factory=list)
    restricted_access: bool | str | None = None
    events: list[Event] = Field(default_factory=list)
    properties: Properties | None = None
    access: Access | None = None
    tags: list[str] = Field(default_factory=list)
    summary: AiSummary | None = None


class ThreadRef(WireModel):
    """An entry of `chat.threads_summary` (get_chat_threads)."""

    thread_id: str | None = None
    order: int | None = None


class ThreadSummary(WireModel):
    """An entry of get_chat_threads_summary (`total_events` tolerated as an extra)."""

    id: str | None = None
    order: int | None = None
    events_count: int | None = None


class Chat(_HasUsers, WireModel):
    """A chat with `threads` (get_chat_threads, activate_chat) or `thread` (start_chat, archives)."""

    id: str | None = None
    users: list[User] = Field(default_factory=list)
    threads: list[Thread] | None = None
    thread: Thread | None = None
    threads_summary: list[ThreadRef] | None = None
    properties: Properties | None = None
    access: Access | None = None
    is_followed: bool | None = None


class LastEvent(WireModel):
    """A value of `last_event_per_type`."""

    thread_id: str | None = None
    thread_order: int | None = None
    event: Event | None = None


class LastThreadSummary(WireModel):
    id: str | None = None
    order: int | None = None
    timestamp: int | None = None
    active: bool | None = None
    user_ids: list[str] = Field(default_factory=list)
    properties: Properties | None = None
    access: Access | None = None
    tags: list[str] = Field(default_factory=list)


class ChatSummary(_HasUsers, WireModel):
    """A chat summary (get_chats_summary, login)."""

    id: str | None = None
    users: list[User] = Field(default_factory=list)
    last_event_per_type: dict[str, LastEvent] = Field(default_factory=dict)
    last_thread_summary: LastThreadSummary | None = None
    properties: Properties | None = None
    access: Access | None = None
    is_followed: bool | None = None
    order: int | None = None


class License(WireModel):
    id: int | str | None = None
    organization_id: str | None = None
    plan: str | None = None
    expiration_timestamp: int | None = None
    creation_timestamp: int | None = None
    in_trial: bool | None = None
    website_last_activity: str | None = None


class LoginResponse(WireModel):
    """RTM login response."""

    license: License | None = None
    my_profile: MyProfile | None = None
    chats_summary: list[ChatSummary] = Field(default_factory=list)


# --- responses ----------------------------------------------------------------------------------

Count = int | str | None
"""Counts the spec types inconsistently (string in one table, number elsewhere)."""


class GetChatsSummaryResponse(WireModel):
    chats_summary: list[ChatSummary] = Field(default_factory=list)
    found_chats: Count = None
    next_page_id: str | None = None
    previous_page_id: str | None = None


class ArchivesPagination(WireModel):
    page: int | None = None
    total: int | None = None


class GetArchivesResponse(WireModel):
    """Both shapes: v3.0 `{"chats":[{"chat":{...}}],"pagination":{page,total}}` and flat v3.1."""

    chats: list[Chat] = Field(default_factory=list)
    pagination: ArchivesPagination | None = None
    found_chats: Count = None
    next_page_id: str | None = None
    previous_page_id: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _unwrap_chat_items(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("chats"), list):
            items = [
                item["chat"]
                if isinstance(item, dict) and isinstance(item.get("chat"), dict) and "id" not in item
                else item
                for item in data["chats"]
            ]
            data = {**data, "chats": items}
        return data


class GetChatThreadsResponse(WireModel):
    chat: Chat


class GetChatThreadsSummaryResponse(WireModel):
    threads_summary: list[ThreadSummary] = Field(default_factory=list)
    found_threads: Count = None
    next_page_id: str | None = None
    previous_page_id: str | None = None


class StartChatResponse(WireModel):
    chat: Chat


class ActivateChatResponse(WireModel):
    chat: Chat


class SendEventResponse(WireModel):
    thread_id: str
    event: Event | None = None


class SendFileResponse(WireModel):
    url: str


class UploadImageResponse(WireModel):
    url: str
    path: str | None = None


class GetCustomersResponse(WireModel):
    customers: list[Customer] = Field(default_factory=list)
    total_customers: Count = None
    next_page_id: str | None = None
    previous_page_id: str | None = None


class UpdateLastSeenTimestampResponse(WireModel):
    timestamp: int | None = None


RESPONSE_MODELS: dict[str, type[BaseModel] | None] = {
    "activate_chat": ActivateChatResponse,
    "follow_chat": None,
    "get_chats_summary": GetChatsSummaryResponse,
    "start_chat": StartChatResponse,
    "transfer_chat": None,
    "unfollow_chat": None,
    "grant_access": None,
    "revoke_access": None,
    "set_access": None,
    "add_user_to_chat": None,
    "remove_user_from_chat": None,
    "update_agent": None,
    "ban_customer": None,
    "create_customer": Customer,
    "get_customers": GetCustomersResponse,
    "update_customer": Customer,
    "send_event": SendEventResponse,
    "delete_chat_properties": None,
    "delete_chat_thread_properties": None,
    "delete_event_properties": None,
    "update_chat_thread_properties": None,
    "update_chat_properties": None,
    "update_event_properties": None,
    "tag_chat_thread": None,
    "untag_chat_thread": None,
    "get_archives": GetArchivesResponse,
    "get_chat_threads": GetChatThreadsResponse,
    "send_file": SendFileResponse,
    "get_chat_threads_summary": GetChatThreadsSummaryResponse,
    "close_thread": None,
    "upload_image": UploadImageResponse,
    "multicast": None,
    "update_last_seen_timestamp": UpdateLastSeenTimestampResponse,
    "send_typing_indicator": None,
    "send_rich_message_postback": None,
}
"""Response model of each Web action; None = no response payload (`{}`)."""


@cache
def _adapter(kind: str) -> TypeAdapter[Any]:
    return TypeAdapter(Event if kind == "event" else User)


def parse_event(data: Any) -> EventBase:
    """Validate one event dict into its model (fallbacks included)."""
    event: EventBase = _adapter("event").validate_python(data)
    return event


def parse_user(data: Any) -> UserBase:
    """Validate one user dict into Agent, Customer or UnknownUser."""
    user: UserBase = _adapter("user").validate_python(data)
    return user
