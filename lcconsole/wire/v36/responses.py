"""v3.6 objects as the server sends them (data structures) and the response model of each action.

Like the v3.0 models (`wire.objects`), every model keeps unknown fields, drops `__priv_*` fields and
makes nearly every field optional: the docs' own samples elide objects as `{}`. v3.6 differs from
v3.0 in ways a shared model would hide: times are RFC 3339 `created_at` strings (no `timestamp` /
`order`), property values are plain (`{"ns": {"name": value}}`), events carry `visibility` and may be
`deleted`, there is a read-only `system` event and an empty `form`, customers have `visit` and
`session_fields`, and `list_routing_statuses` / `list_agents_for_transfer` answer with arrays.
Objects that have the same shape in both versions (rich-message parts, form fields, geolocation,
visited pages, customer statistics, AI summaries) are the canonical models, imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Discriminator, Field, RootModel, Tag, TypeAdapter

from lcconsole.wire import events as v30_events
from lcconsole.wire.events import FormField, RichElement
from lcconsole.wire.model_base import Access, WireModel, user_tag
from lcconsole.wire.objects import AiSummary, CustomerStatistics, Geolocation, VisitedPage

Properties = dict[str, dict[str, Any]]
"""v3.6 properties: `{namespace: {name: value}}`, values unwrapped."""

# --- events -------------------------------------------------------------------------------------


class EventBase(WireModel):
    """Fields every v3.6 event has; events sort by `created_at`."""

    id: str | None = None
    custom_id: str | None = None
    created_at: str | None = None
    type: str | None = None
    author_id: str | None = None
    visibility: str | None = None
    properties: Properties | None = None
    deleted: bool | None = None


class Ecommerce(WireModel):
    product_id: str | None = None
    option_id: str | None = None
    quantity: int | None = None


class Postback(v30_events.Postback):
    """v3.0's postback, with the product of an e-commerce button."""

    ecommerce: Ecommerce | None = None


class Message(EventBase):
    type: Literal["message"] = "message"
    text: str = ""
    postback: Postback | None = None


class SystemMessage(EventBase):
    type: Literal["system_message"] = "system_message"
    text: str = ""
    system_message_type: str | None = None
    text_vars: dict[str, Any] | None = None


class SystemEvent(EventBase):
    """The read-only `system` event (3.6): `details` is a JSON string."""

    type: Literal["system"] = "system"
    source: str | None = None
    subtype: str | None = None
    version: int | str | None = None
    details: str | None = None


class File(EventBase):
    type: Literal["file"] = "file"
    name: str | None = None
    url: str | None = None
    content_type: str | None = None
    size: int | None = None
    width: int | None = None
    height: int | None = None
    thumbnail_url: str | None = None
    thumbnail2x_url: str | None = None
    alternative_text: str | None = None


class RichMessage(EventBase):
    type: Literal["rich_message"] = "rich_message"
    template_id: str | None = None
    elements: list[RichElement] = Field(default_factory=list)


class Form(EventBase):
    type: Literal["form"] = "form"
    form_id: str | None = None
    form_type: str | None = None
    fields: list[FormField] = Field(default_factory=list)


class FilledForm(Form):
    type: Literal["filled_form"] = "filled_form"  # type: ignore[assignment]  # narrows Form.type


class Custom(EventBase):
    type: Literal["custom"] = "custom"
    content: Any = None


class DeletedEvent(EventBase):
    """An event deleted by an agent, as seen by normal-role agents: no content, `deleted: true`."""

    deleted: bool = True


class RestrictedEvent(EventBase):
    """An event the agent may not see (`restricted_access` is the reason, a string in 3.6)."""

    restricted_access: bool | str = True


class UnknownEvent(EventBase):
    """An event of a type this client does not know; kept verbatim."""


EVENT_MODELS: dict[str, type[EventBase]] = {
    "message": Message,
    "system_message": SystemMessage,
    "system": SystemEvent,
    "file": File,
    "rich_message": RichMessage,
    "form": Form,
    "filled_form": FilledForm,
    "custom": Custom,
}


def _event_tag(value: Any) -> str:
    def get(key: str) -> Any:
        return value.get(key) if isinstance(value, dict) else getattr(value, key, None)

    if get("restricted_access"):
        return "restricted"
    kind = get("type")
    if not isinstance(kind, str) or kind not in EVENT_MODELS:  # (a type like `[1]` is no key)
        return "unknown"
    return "deleted" if get("deleted") is True and not _has_content(value, kind) else kind


_CONTENT = {
    "message": "text",
    "system_message": "text",
    "system": "details",
    "file": "url",
    "rich_message": "elements",
    "form": "fields",
    "filled_form": "fields",
    "custom": "content",
}


def _has_content(value: Any, kind: str) -> bool:
    key = _CONTENT[kind]
    return (key in value) if isinstance(value, dict) else getattr(value, key, None) is not None


Event = Annotated[
    Annotated[Message, Tag("message")]
    | Annotated[SystemMessage, Tag("system_message")]
    | Annotated[SystemEvent, Tag("system")]
    | Annotated[File, Tag("file")]
    | Annotated[RichMessage, Tag("rich_message")]
    | Annotated[Form, Tag("form")]
    | Annotated[FilledForm, Tag("filled_form")]
    | Annotated[Custom, Tag("custom")]
    | Annotated[DeletedEvent, Tag("deleted")]
    | Annotated[RestrictedEvent, Tag("restricted")]
    | Annotated[UnknownEvent, Tag("unknown")],
    Discriminator(_event_tag),
]
"""The v3.6 event union, chosen by `type` (a content-less `deleted` event is a DeletedEvent)."""

# --- users --------------------------------------------------------------------------------------


class UserBase(WireModel):
    id: str | None = None
    type: str | None = None
    name: str | None = None
    email: str | None = None
    avatar: str | None = None
    present: bool | None = None
    events_seen_up_to: str | None = None


class Agent(UserBase):
    """An agent in a chat (`visibility`: `all` or `agents`)."""

    type: Literal["agent"] = "agent"
    visibility: str | None = None


class MyProfile(UserBase):
    """The logged-in agent (RTM login)."""

    routing_status: str | None = None
    permission: str | None = None


class Visit(WireModel):
    started_at: str | None = None
    ended_at: str | None = None
    referrer: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    geolocation: Geolocation | None = None
    last_pages: list[VisitedPage] = Field(default_factory=list)


class Customer(UserBase):
    """A customer (get_customer, chat users, customer pushes)."""

    type: Literal["customer"] = "customer"
    email_verified: bool | None = None
    phone_number: str | None = None
    visit: Visit | None = None
    session_fields: list[dict[str, Any]] = Field(default_factory=list)
    statistics: CustomerStatistics | None = None
    created_at: str | None = None
    agent_last_event_created_at: str | None = None
    customer_last_event_created_at: str | None = None
    followed: bool | None = None
    online: bool | None = None
    group_ids: list[int] = Field(default_factory=list)
    state: str | None = None
    chat_ids: list[str] | None = None
    tickets: list[dict[str, Any]] | None = None
    carts: list[dict[str, Any]] | None = None
    omnichannel: dict[str, Any] | None = None
    address: dict[str, Any] | None = None


class UnknownUser(UserBase):
    """A user of a type this client does not know."""


User = Annotated[
    Annotated[Agent, Tag("agent")] | Annotated[Customer, Tag("customer")] | Annotated[UnknownUser, Tag("unknown")],
    Discriminator(user_tag),
]


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


class Queue(WireModel):
    position: int | None = None
    wait_time: int | None = None
    queued_at: str | None = None


class Thread(WireModel):
    id: str | None = None
    created_at: str | None = None
    active: bool | None = None
    user_ids: list[str] = Field(default_factory=list)
    restricted_access: bool | str | None = None
    events: list[Event] = Field(default_factory=list)
    properties: Properties | None = None
    access: Access | None = None
    tags: list[str] = Field(default_factory=list)
    queue: Queue | None = None
    queues_duration: int | None = None
    previous_thread_id: str | None = None
    next_thread_id: str | None = None
    previous_accessible_thread_id: str | None = None
    next_accessible_thread_id: str | None = None
    customer_visit: dict[str, Any] | None = None
    summary: AiSummary | None = None


class Chat(_HasUsers, WireModel):
    """A chat with one `thread` (get_chat, list_archives, incoming_chat) or `threads`."""

    id: str | None = None
    users: list[User] = Field(default_factory=list)
    thread: Thread | None = None
    threads: list[Thread] | None = None
    properties: Properties | None = None
    access: Access | None = None
    is_followed: bool | None = None


class LastEvent(WireModel):
    thread_id: str | None = None
    thread_created_at: str | None = None
    event: Event | None = None


class LastThreadSummary(WireModel):
    id: str | None = None
    created_at: str | None = None
    active: bool | None = None
    user_ids: list[str] = Field(default_factory=list)
    properties: Properties | None = None
    access: Access | None = None
    tags: list[str] = Field(default_factory=list)
    queue: Queue | None = None


class ChatSummary(_HasUsers, WireModel):
    """A chat summary (list_chats, login)."""

    id: str | None = None
    users: list[User] = Field(default_factory=list)
    last_event_per_type: dict[str, LastEvent] = Field(default_factory=dict)
    last_thread_summary: LastThreadSummary | None = None
    properties: Properties | None = None
    access: Access | None = None
    is_followed: bool | None = None


class License(WireModel):
    id: int | str | None = None
    organization_id: str | None = None
    plan: str | None = None
    expiration_timestamp: int | None = None
    creation_timestamp: int | None = None
    in_trial: bool | None = None
    website_last_activity: str | None = None


class LoginResponse(WireModel):
    """RTM login response (v3.6)."""

    license: License | None = None
    my_profile: MyProfile | None = None
    chats_summary: list[ChatSummary] = Field(default_factory=list)


# --- responses ----------------------------------------------------------------------------------


class Page(WireModel):
    next_page_id: str | None = None
    previous_page_id: str | None = None


class ListChatsResponse(Page):
    chats_summary: list[ChatSummary] = Field(default_factory=list)
    found_chats: int | None = None


class ListThreadsResponse(Page):
    threads: list[Thread] = Field(default_factory=list)
    found_threads: int | None = None


class ListArchivesResponse(Page):
    chats: list[Chat] = Field(default_factory=list)
    found_chats: int | None = None


class StartChatResponse(WireModel):
    chat_id: str
    thread_id: str | None = None
    event_ids: list[str] | None = None


class ResumeChatResponse(WireModel):
    thread_id: str
    event_ids: list[str] | None = None


class SendEventResponse(WireModel):
    event_id: str


class UploadFileResponse(WireModel):
    url: str


class RoutingStatus(WireModel):
    agent_id: str
    status: str | None = None


class ListRoutingStatusesResponse(RootModel[list[RoutingStatus]]):
    """`list_routing_statuses` answers with a top-level array."""

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]  # a RootModel iterates its fields
        return iter(self.root)

    def __len__(self) -> int:
        return len(self.root)

    def __getitem__(self, index: int) -> RoutingStatus:
        return self.root[index]


class TransferCandidate(WireModel):
    agent_id: str
    total_active_chats: int | None = None


class ListAgentsForTransferResponse(RootModel[list[TransferCandidate]]):
    """`list_agents_for_transfer` answers with a top-level array (by `total_active_chats`)."""

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]  # a RootModel iterates its fields
        return iter(self.root)

    def __len__(self) -> int:
        return len(self.root)

    def __getitem__(self, index: int) -> TransferCandidate:
        return self.root[index]


class SubscribeCustomersResponse(WireModel):
    subscription_id: str
    customers: list[Customer] = Field(default_factory=list)


RESPONSE_MODELS: dict[str, type[BaseModel] | None] = {
    "list_chats": ListChatsResponse,
    "list_threads": ListThreadsResponse,
    "get_chat": Chat,
    "list_archives": ListArchivesResponse,
    "start_chat": StartChatResponse,
    "resume_chat": ResumeChatResponse,
    "deactivate_chat": None,
    "follow_chat": None,
    "unfollow_chat": None,
    "transfer_chat": None,
    "add_user_to_chat": None,
    "remove_user_from_chat": None,
    "send_event_preview": None,
    "send_event": SendEventResponse,
    "upload_file": UploadFileResponse,
    "send_rich_message_postback": None,
    "update_chat_properties": None,
    "delete_chat_properties": None,
    "update_thread_properties": None,
    "delete_thread_properties": None,
    "update_event_properties": None,
    "delete_event_properties": None,
    "tag_thread": None,
    "untag_thread": None,
    "get_customer": Customer,
    "update_customer": None,
    "ban_customer": None,
    "set_routing_status": None,
    "list_routing_statuses": ListRoutingStatusesResponse,
    "mark_events_as_seen": None,
    "send_thinking_indicator": None,
    "send_typing_indicator": None,
    "multicast": None,
    "list_agents_for_transfer": ListAgentsForTransferResponse,
    "request_thread_summary": None,
    # RTM only
    "login": LoginResponse,
    "logout": None,
    "ping": None,
    "set_away_status": None,
    "update_session": None,
    "subscribe_customers": SubscribeCustomersResponse,
    "unsubscribe_customers": None,
}
"""Response model of each v3.6 action; None = no response payload (`{}`)."""


@cache
def _adapter(kind: str) -> TypeAdapter[Any]:
    return TypeAdapter(Event if kind == "event" else User)


def parse_event(data: Any) -> EventBase:
    """Validate one v3.6 event dict into its model (fallbacks included)."""
    event: EventBase = _adapter("event").validate_python(data)
    return event


def parse_user(data: Any) -> UserBase:
    """Validate one v3.6 user dict into Agent, Customer or UnknownUser."""
    user: UserBase = _adapter("user").validate_python(data)
    return user
