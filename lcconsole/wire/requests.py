"""Request payload models for every Web action, shared by the client and the emulator.

The client builds bodies with `model_dump(exclude_none=True)`; the emulator validates incoming
payloads with the same models, so a field the spec types as a string is refused as a number on
both sides. Unknown extra fields are kept (the real API ignores them).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from lcconsole.wire.event_inputs import (  # noqa: F401  (re-exported)
    AnnotationIn,
    CustomIn,
    EventIn,
    FileIn,
    FilledFormIn,
    MessageIn,
    Order,
    PostbackIn,
    PropertiesIn,
    PropertyNames,
    Recipients,
    Req,
    RichButtonIn,
    RichElementIn,
    RichImageIn,
    RichMessageIn,
    SystemMessageIn,
)
from lcconsole.wire.limits import FilterList, PropertyCount, SearchQuery

# --- shared pieces --------------------------------------------------------------------------


class UserRef(Req):
    id: str
    type: Literal["customer", "agent"]


class AccessIn(Req):
    group_ids: list[int]


class ThreadIn(Req):
    events: list[EventIn] | None = None
    properties: PropertiesIn | None = None
    tags: list[str] | None = None


class StartChatIn(Req):
    properties: PropertiesIn | None = None
    access: AccessIn | None = None
    users: list[UserRef] | None = Field(default=None, max_length=1)
    thread: ThreadIn | None = None
    is_followed: bool | None = None


class ActivateChatIn(StartChatIn):
    id: str


class AccessChange(Req):
    type: Literal["group", "agent"]
    id: int | str


class TransferTarget(Req):
    type: Literal["group", "agent"]
    ids: list[int | str]


class PostbackToggle(Req):
    id: str
    toggled: bool


class MulticastAgents(Req):
    all: bool | None = None
    ids: list[str] | None = None
    groups: list[int | str] | None = None


class MulticastCustomers(Req):
    ids: list[str] | None = None


class MulticastScopes(Req):
    agents: MulticastAgents | None = None
    customers: MulticastCustomers | None = None


class Ban(Req):
    days: int = Field(ge=0)


class PropertyFilter(Req):
    exists: bool | None = None
    values: FilterList[str | int | bool] | None = None
    exclude_values: FilterList[str | int | bool] | None = None


PropertyFilters = Annotated[dict[str, dict[str, PropertyFilter]], PropertyCount]


class ChatsSummaryFilters(Req):
    include_active: bool | None = None
    properties: PropertyFilters | None = None
    group_ids: FilterList[int] | None = None


class ArchivesFilters(Req):
    query: SearchQuery | None = None
    date_from: str | None = None
    date_to: str | None = None
    agent_ids: FilterList[str] | None = None
    group_ids: FilterList[int] | None = None
    properties: PropertyFilters | None = None


class Pagination(Req):
    page: int | None = Field(default=None, ge=1, le=1000)
    limit: int | None = Field(default=None, ge=0, le=100)


class StringFilter(Req):
    values: FilterList[str] | None = None
    exclude_values: FilterList[str] | None = None


class RangeFilter(Req):
    lte: int | None = None
    lt: int | None = None
    gte: int | None = None
    gt: int | None = None
    eq: int | None = None


class DateRangeFilter(Req):
    lte: str | None = None
    lt: str | None = None
    gte: str | None = None
    gt: str | None = None
    eq: str | None = None


class CustomerFilters(Req):
    country: StringFilter | None = None
    email: StringFilter | None = None
    name: StringFilter | None = None
    customer_id: StringFilter | None = None
    chats_count: RangeFilter | None = None
    threads_count: RangeFilter | None = None
    visits_count: RangeFilter | None = None
    created_at: DateRangeFilter | None = None
    agent_last_event_created_at: DateRangeFilter | None = None
    customer_last_event_created_at: DateRangeFilter | None = None


# --- one model per action -------------------------------------------------------------------


class ChatId(Req):
    chat_id: str


class GetChatThreads(ChatId):
    thread_ids: list[str] | None = None


class GetChatThreadsSummary(ChatId):
    order: Order | None = None
    limit: int | None = Field(default=None, ge=1, le=100)
    page_id: str | None = None


class StartChat(Req):
    chat: StartChatIn | None = None
    continuous: bool | None = None


class ActivateChat(Req):
    chat: ActivateChatIn
    continuous: bool | None = None


class ChatUser(ChatId):
    user_id: str
    user_type: Literal["agent", "customer"]


class SendEvent(ChatId):
    event: EventIn
    attach_to_last_thread: bool | None = None
    require_active_thread: bool | None = None


class SendFile(ChatId):
    """Form fields of send_file (the file itself travels as the multipart part `payload.file`)."""

    custom_id: str | None = None
    require_active_thread: bool | None = None


class SendRichMessagePostback(ChatId):
    thread_id: str
    event_id: str
    postback: PostbackToggle


class Multicast(Req):
    scopes: MulticastScopes
    content: Any
    type: str | None = None


class SendTypingIndicator(ChatId):
    is_typing: bool
    recipients: Recipients | None = None


class BanCustomer(Req):
    customer_id: str
    ban: Ban


class TransferChat(ChatId):
    target: TransferTarget | None = None
    force: bool | None = None


class AccessRequest(Req):
    resource: Literal["chat", "customer"]
    id: str
    access: AccessChange


class UpdateAgent(Req):
    agent_id: str | None = None
    routing_status: Literal["accepting_chats", "not_accepting_chats"] | None = None


class UpdateChatProperties(ChatId):
    properties: PropertiesIn


class UpdateChatThreadProperties(ChatId):
    thread_id: str
    properties: PropertiesIn


class UpdateEventProperties(ChatId):
    thread_id: str
    event_id: str
    properties: PropertiesIn


class DeleteChatProperties(ChatId):
    properties: PropertyNames


class DeleteChatThreadProperties(ChatId):
    thread_id: str
    properties: PropertyNames


class DeleteEventProperties(ChatId):
    thread_id: str
    event_id: str
    properties: PropertyNames


class UpdateLastSeenTimestamp(ChatId):
    timestamp: int | None = None


class UploadImage(Req):
    """upload_image has no form fields besides the `payload.image` part."""


class GetCustomers(Req):
    page_id: str | None = None
    limit: int | None = Field(default=None, ge=1, le=100)
    order: Order | None = None
    filters: CustomerFilters | None = None


class CustomerData(Req):
    name: str | None = None
    email: str | None = None
    avatar: str | None = None
    fields: dict[str, str] | None = None


class UpdateCustomer(CustomerData):
    customer_id: str


class TagThread(ChatId):
    thread_id: str
    tag: str = Field(min_length=1)


class GetChatsSummary(Req):
    page_id: str | None = None
    limit: int | None = Field(default=None, ge=1, le=100)
    order: Order | None = None
    filters: ChatsSummaryFilters | None = None
    pagination: dict[str, Any] | None = None  # tolerated (lc-sdk-go v1 sent it), see docs/api-notes.md §1.1


class GetArchives(Req):
    filters: ArchivesFilters | None = None
    pagination: Pagination | None = None


REQUEST_MODELS: dict[str, type[Req]] = {
    "activate_chat": ActivateChat,
    "follow_chat": ChatId,
    "get_chats_summary": GetChatsSummary,
    "start_chat": StartChat,
    "transfer_chat": TransferChat,
    "unfollow_chat": ChatId,
    "grant_access": AccessRequest,
    "revoke_access": AccessRequest,
    "set_access": AccessRequest,
    "add_user_to_chat": ChatUser,
    "remove_user_from_chat": ChatUser,
    "update_agent": UpdateAgent,
    "ban_customer": BanCustomer,
    "create_customer": CustomerData,
    "get_customers": GetCustomers,
    "update_customer": UpdateCustomer,
    "send_event": SendEvent,
    "delete_chat_properties": DeleteChatProperties,
    "delete_chat_thread_properties": DeleteChatThreadProperties,
    "delete_event_properties": DeleteEventProperties,
    "update_chat_thread_properties": UpdateChatThreadProperties,
    "update_chat_properties": UpdateChatProperties,
    "update_event_properties": UpdateEventProperties,
    "tag_chat_thread": TagThread,
    "untag_chat_thread": TagThread,
    "get_archives": GetArchives,
    "get_chat_threads": GetChatThreads,
    "send_file": SendFile,
    "get_chat_threads_summary": GetChatThreadsSummary,
    "close_thread": ChatId,
    "upload_image": UploadImage,
    "multicast": Multicast,
    "update_last_seen_timestamp": UpdateLastSeenTimestamp,
    "send_typing_indicator": SendTypingIndicator,
    "send_rich_message_postback": SendRichMessagePostback,
}
"""Request model of each Web action."""
