"""Request models of the v3.6 agent actions (field names as the v3.6 reference spells them).

Strict types and unknown fields kept, like the v3.0 models (`wire.requests`); shared by the
emulator, which validates incoming bodies with them, and by clients that build bodies.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from lcconsole.wire.event_inputs import PropertiesIn, PropertyNames, Req
from lcconsole.wire.limits import OBJECT_KEYS, FilterList, SearchQuery
from lcconsole.wire.requests import Ban, PropertyFilters
from lcconsole.wire.v36.events import Event, Visibility

SortOrder = Literal["asc", "desc"]


class Empty(Req):
    """No payload."""


class Id(Req):
    id: str


class ChatId(Req):
    chat_id: str


# --- chats ------------------------------------------------------------------------------------


class ListChatsFilters(Req):
    active: bool | None = None
    include_chats_without_threads: bool | None = None
    group_ids: list[int] | None = Field(default=None, max_length=200)
    properties: PropertyFilters | None = None


class Paged(Req):
    sort_order: SortOrder | None = None
    limit: int | None = Field(default=None, ge=1, le=100)
    page_id: str | None = None


class ListChats(Paged):
    filters: ListChatsFilters | None = None


class DateFilters(Req):
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None


class ListThreads(Paged, ChatId):
    min_events_count: int | None = Field(default=None, ge=1, le=100)
    filters: DateFilters | None = None


class GetChat(ChatId):
    thread_id: str | None = None


class ValuesFilter(Req):
    values: FilterList[str] | None = None
    exclude_values: FilterList[str] | None = None
    exists: bool | None = None
    require_every_value: bool | None = None


class ArchivesFilters(Req):
    query: SearchQuery | None = None
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    chat_ids: list[str] | None = Field(default=None, max_length=1000)
    thread_ids: list[str] | None = Field(default=None, max_length=20)
    group_ids: list[int] | None = Field(default=None, max_length=200)
    agents: ValuesFilter | None = None
    tags: ValuesFilter | None = None
    properties: PropertyFilters | None = None
    customer_id: str | None = None
    customer_email: str | None = None
    event_types: ValuesFilter | None = None


class Highlights(Req):
    pre_tag: str | None = None
    post_tag: str | None = None


class ListArchives(Paged):
    filters: ArchivesFilters | None = None
    highlights: Highlights | None = None


class UserRef(Req):
    id: str
    type: Literal["customer", "agent"]


class Access(Req):
    group_ids: list[int]


class ThreadIn(Req):
    events: list[Event] | None = None
    properties: PropertiesIn | None = None


class ChatIn(Req):
    properties: PropertiesIn | None = None
    access: Access | None = None
    users: list[UserRef] | None = Field(default=None, max_length=5)
    thread: ThreadIn | None = None


class StartChat(Req):
    chat: ChatIn | None = None
    active: bool | None = None
    continuous: bool | None = None


class ResumeChatIn(ChatIn):
    id: str


class ResumeChat(Req):
    chat: ResumeChatIn
    active: bool | None = None
    continuous: bool | None = None


class DeactivateChat(Id):
    ignore_requester_presence: bool | None = None


class Target(Req):
    type: Literal["group", "agent"]
    ids: list[int | str] = Field(min_length=1)


class TransferChat(Id):
    target: Target | None = None
    ignore_agents_availability: bool | None = None
    ignore_requester_presence: bool | None = None


class AddUserToChat(ChatId):
    user_id: str
    user_type: Literal["agent", "customer"]
    visibility: Visibility
    ignore_requester_presence: bool | None = None


class RemoveUserFromChat(ChatId):
    user_id: str
    user_type: Literal["agent", "customer"]
    ignore_requester_presence: bool | None = None


# --- events -----------------------------------------------------------------------------------


class SendEvent(ChatId):
    event: Event
    attach_to_last_thread: bool | None = None


class PreviewMessage(Req):
    type: Literal["message"]
    text: str
    visibility: Literal["all"] | None = None
    custom_id: str | None = None


class SendEventPreview(ChatId):
    event: PreviewMessage


class PostbackToggle(Req):
    id: str
    toggled: bool
    button_type: str | None = None
    button_value: str | None = None
    ecommerce: dict[str, Any] | None = None


class SendRichMessagePostback(ChatId):
    thread_id: str
    event_id: str
    postback: PostbackToggle


# --- properties, tags ---------------------------------------------------------------------------


class UpdateChatProperties(Id):
    properties: PropertiesIn


class DeleteChatProperties(Id):
    properties: PropertyNames


class UpdateThreadProperties(ChatId):
    thread_id: str
    properties: PropertiesIn


class DeleteThreadProperties(ChatId):
    thread_id: str
    properties: PropertyNames


class UpdateEventProperties(UpdateThreadProperties):
    event_id: str


class DeleteEventProperties(DeleteThreadProperties):
    event_id: str


class TagThread(ChatId):
    thread_id: str
    tag: str = Field(min_length=1)


# --- customers --------------------------------------------------------------------------------


class UpdateCustomer(Id):
    name: str | None = None
    email: str | None = None
    avatar: str | None = None
    session_fields: list[dict[str, str]] | None = Field(default=None, max_length=OBJECT_KEYS)
    phone_number: str | None = None
    omnichannel: dict[str, Any] | None = None
    address: dict[str, str] | None = None


class BanCustomer(Id):
    ban: Ban


# --- status and other -------------------------------------------------------------------------


class SetRoutingStatus(Req):
    status: Literal["accepting_chats", "not_accepting_chats", "offline"]
    agent_id: str | None = None


class GroupFilters(Req):
    group_ids: list[int] | None = None


class ListRoutingStatuses(Req):
    filters: GroupFilters | None = None


class MarkEventsAsSeen(ChatId):
    seen_up_to: str


class SendThinkingIndicator(ChatId):
    title: str | None = None
    description: str | None = None
    visibility: Literal["all"] | None = None
    custom_id: str | None = None


class SendTypingIndicator(ChatId):
    is_typing: bool
    visibility: Visibility | None = None


class MulticastAgents(Req):
    all: bool | None = None
    ids: list[str] | None = None
    groups: list[int] | None = None


class MulticastRecipients(Req):
    agents: MulticastAgents | None = None


class Multicast(Req):
    recipients: MulticastRecipients
    content: Any
    type: str | None = None


class RequestThreadSummary(ChatId):
    thread_id: str


class Login(Req):
    token: str
    timezone: str | None = None
    reconnect: bool | None = None
    away: bool | None = None
    customer_monitoring_level: Literal["my", "chatting", "invited", "online", "highest_available"] | None = None
    pushes: dict[str, list[str]] | None = None
    application: dict[str, Any] | None = None


class SetAwayStatus(Req):
    away: bool


class UpdateSession(Req):
    token: str


class SubscribeCustomers(Req):
    group_ids: list[int] | None = None
    limit: int | None = Field(default=None, ge=1, le=10000)


class UnsubscribeCustomers(Req):
    subscription_id: str


REQUEST_MODELS: dict[str, type[Req]] = {
    "list_chats": ListChats,
    "list_threads": ListThreads,
    "get_chat": GetChat,
    "list_archives": ListArchives,
    "start_chat": StartChat,
    "resume_chat": ResumeChat,
    "deactivate_chat": DeactivateChat,
    "follow_chat": Id,
    "unfollow_chat": Id,
    "transfer_chat": TransferChat,
    "add_user_to_chat": AddUserToChat,
    "remove_user_from_chat": RemoveUserFromChat,
    "send_event_preview": SendEventPreview,
    "send_event": SendEvent,
    "upload_file": Empty,
    "send_rich_message_postback": SendRichMessagePostback,
    "update_chat_properties": UpdateChatProperties,
    "delete_chat_properties": DeleteChatProperties,
    "update_thread_properties": UpdateThreadProperties,
    "delete_thread_properties": DeleteThreadProperties,
    "update_event_properties": UpdateEventProperties,
    "delete_event_properties": DeleteEventProperties,
    "tag_thread": TagThread,
    "untag_thread": TagThread,
    "get_customer": Id,
    "update_customer": UpdateCustomer,
    "ban_customer": BanCustomer,
    "set_routing_status": SetRoutingStatus,
    "list_routing_statuses": ListRoutingStatuses,
    "mark_events_as_seen": MarkEventsAsSeen,
    "send_thinking_indicator": SendThinkingIndicator,
    "send_typing_indicator": SendTypingIndicator,
    "multicast": Multicast,
    "list_agents_for_transfer": ChatId,
    "request_thread_summary": RequestThreadSummary,
    "login": Login,
    "logout": Empty,
    "ping": Empty,
    "set_away_status": SetAwayStatus,
    "update_session": UpdateSession,
    "subscribe_customers": SubscribeCustomers,
    "unsubscribe_customers": UnsubscribeCustomers,
}
"""v3.6 action -> its request model."""
