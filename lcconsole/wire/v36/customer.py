"""Request models of the v3.6 Customer Chat API actions the emulator serves.

Field names as the v3.6 customer reference spells them. Customers' events have no
`visibility` (everything a customer sends is for everyone); the reference's samples still show
v3.0's `recipients: "all"`, which is accepted and ignored like any unknown field.
"""

from __future__ import annotations

from pydantic import Field

from lcconsole.wire.event_inputs import PropertiesIn, Req
from lcconsole.wire.v36.events import Event
from lcconsole.wire.v36.requests import (
    Access,
    ChatId,
    GetChat,
    Id,
    ListThreads,
    MarkEventsAsSeen,
    SendEvent,
    SendRichMessagePostback,
)


class ThreadIn(Req):
    events: list[Event] | None = Field(default=None, max_length=100)
    properties: PropertiesIn | None = None


class ChatIn(Req):
    properties: PropertiesIn | None = None
    access: Access | None = None
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


class SendSneakPeek(ChatId):
    sneak_peek_text: str = Field(max_length=16 * 1024)


class SendTypingIndicator(ChatId):
    """Emulator extension (v3.6 customers send sneak peeks; the v3.0 customer side had this)."""

    is_typing: bool


class DeleteEvent(ChatId):
    thread_id: str
    event_id: str


class Empty(Req):
    """No JSON fields (upload_file: the multipart `file` part)."""


CUSTOMER_REQUEST_MODELS: dict[str, type[Req]] = {
    "start_chat": StartChat,
    "resume_chat": ResumeChat,
    "deactivate_chat": Id,
    "list_threads": ListThreads,
    "get_chat": GetChat,
    "send_event": SendEvent,
    "upload_file": Empty,
    "send_rich_message_postback": SendRichMessagePostback,
    "send_sneak_peek": SendSneakPeek,
    "send_typing_indicator": SendTypingIndicator,
    "delete_event": DeleteEvent,
    "mark_events_as_seen": MarkEventsAsSeen,
}
"""v3.6 customer action -> its request model (`upload_file` is multipart)."""
