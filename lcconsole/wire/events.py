"""Event models (docs/api-notes.md §2.3): the `Event` union chosen by `type`, with fallbacks."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from lcconsole.wire.event_tags import CLASS_TAGS, EVENT_TYPES, tag_of
from lcconsole.wire.model_base import Properties, WireModel

# --- events -------------------------------------------------------------------------------------


class EventBase(WireModel):
    """Fields every event has; `order` (not `timestamp`) sorts events."""

    id: str | None = None
    custom_id: str | None = None
    order: int | None = None
    type: str | None = None
    author_id: str | None = None
    timestamp: int | None = None
    recipients: str | None = None
    properties: Properties | None = None


class Postback(WireModel):
    id: str | None = None
    thread_id: str | None = None
    event_id: str | None = None
    type: str | None = None
    value: str | None = None


class Message(EventBase):
    type: Literal["message"] = "message"
    text: str = ""
    postback: Postback | None = None


class SystemMessage(EventBase):
    type: Literal["system_message"] = "system_message"
    text: str = ""
    system_message_type: str | None = None
    text_vars: dict[str, Any] | None = None


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


class RichImage(WireModel):
    url: str | None = None
    name: str | None = None
    content_type: str | None = None
    size: int | None = None
    width: int | None = None
    height: int | None = None
    alternative_text: str | None = None


class RichButton(WireModel):
    text: str | None = None
    postback_id: str | None = None
    user_ids: list[str] = Field(default_factory=list)
    type: str | None = None
    value: str | None = None
    webview_height: str | None = None
    target: str | None = None


class RichElement(WireModel):
    title: str | None = None
    subtitle: str | None = None
    image: RichImage | None = None
    buttons: list[RichButton] = Field(default_factory=list)
    ecommerce: dict[str, Any] | None = None


class RichMessage(EventBase):
    type: Literal["rich_message"] = "rich_message"
    template_id: str | None = None
    elements: list[RichElement] = Field(default_factory=list)


class FormField(WireModel):
    """A form field: empty (`required`, `options`) or filled (`answer`: str or {id,label} /
    {group_id,label}; or `answers`)."""

    type: str | None = None
    id: str | None = None
    label: str | None = None
    required: bool | None = None
    options: list[dict[str, Any]] | None = None
    answer: Any = None
    answers: list[Any] | None = None


class FilledForm(EventBase):
    type: Literal["filled_form"] = "filled_form"
    form_id: str | None = None
    fields: list[FormField] = Field(default_factory=list)


class Custom(EventBase):
    type: Literal["custom"] = "custom"
    content: Any = None


class SystemEvent(EventBase):
    """A read-only `system` event (newer versions): `details` is a JSON string."""

    type: Literal["system"] = "system"
    source: str | None = None
    subtype: str | None = None
    version: int | str | None = None
    details: str | None = None


class Form(EventBase):
    """An empty form for the customer to fill (newer versions)."""

    type: Literal["form"] = "form"
    form_id: str | None = None
    form_type: str | None = None
    fields: list[FormField] = Field(default_factory=list)


class DeletedEvent(EventBase):
    """An event an agent deleted, as normal-role agents see it: no content, `deleted: true`."""

    deleted: bool = True


class Annotation(EventBase):
    type: Literal["annotation"] = "annotation"
    text: str | None = None
    annotation_type: str | None = None


class UnknownEvent(EventBase):
    """An event of a type this client does not know (or with no type); kept verbatim."""


class RestrictedEvent(EventBase):
    """`{"restricted_access": true}`: an event the agent may not see."""

    restricted_access: bool | str = True


EVENT_MODELS: dict[str, type[EventBase]] = {
    "message": Message,
    "system_message": SystemMessage,
    "file": File,
    "rich_message": RichMessage,
    "filled_form": FilledForm,
    "custom": Custom,
    "annotation": Annotation,
    "system": SystemEvent,
    "form": Form,
}

_MODEL_TAGS: dict[type, str] = {
    **{model: tag for tag, model in EVENT_MODELS.items()},
    DeletedEvent: "deleted",
    RestrictedEvent: "restricted",
    UnknownEvent: "unknown",
}
CLASS_TAGS.update(_MODEL_TAGS)
assert set(EVENT_MODELS) == EVENT_TYPES


Event = Annotated[
    Annotated[Message, Tag("message")]
    | Annotated[SystemMessage, Tag("system_message")]
    | Annotated[File, Tag("file")]
    | Annotated[RichMessage, Tag("rich_message")]
    | Annotated[FilledForm, Tag("filled_form")]
    | Annotated[Custom, Tag("custom")]
    | Annotated[Annotation, Tag("annotation")]
    | Annotated[SystemEvent, Tag("system")]
    | Annotated[Form, Tag("form")]
    | Annotated[DeletedEvent, Tag("deleted")]
    | Annotated[RestrictedEvent, Tag("restricted")]
    | Annotated[UnknownEvent, Tag("unknown")],
    Discriminator(tag_of),
]
"""The event union, chosen by `type`; RestrictedEvent / UnknownEvent as fallbacks."""
