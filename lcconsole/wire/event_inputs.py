"""Base of the request models and the events clients send (`send_event`, initial events).

Split from `wire.requests`, which re-exports every name here.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Recipients = Literal["all", "agents"]
Order = Literal["asc", "desc"]
PropertiesIn = dict[str, dict[str, Any]]
"""Property values as sent in v3.0 requests: `{namespace: {name: plain value}}`."""
PropertyNames = dict[str, list[str]]
"""Property names to delete: `{namespace: [name, ...]}`."""


class Req(BaseModel):
    """Base for request models: strict types, unknown fields kept, validators built on first use."""

    model_config = ConfigDict(strict=True, extra="allow", defer_build=True)


# --- events as sent by clients -------------------------------------------------------------


class _EventIn(Req):
    custom_id: str | None = None
    recipients: Recipients | None = None
    properties: PropertiesIn | None = None


class PostbackIn(Req):
    id: str
    thread_id: str
    event_id: str
    type: str | None = None
    value: str | None = None


class MessageIn(_EventIn):
    type: Literal["message"]
    text: str
    postback: PostbackIn | None = None


class SystemMessageIn(_EventIn):
    type: Literal["system_message"]
    text: str
    system_message_type: str | None = None
    text_vars: dict[str, str] | None = None


class FileIn(_EventIn):
    type: Literal["file"]
    url: str
    name: str | None = None
    content_type: str | None = None
    size: int | None = None


class RichButtonIn(Req):
    text: str
    postback_id: str
    user_ids: list[str] = Field(default_factory=list)
    type: str | None = None
    value: str | None = None
    webview_height: Literal["compact", "tall", "full"] | None = None


class RichImageIn(Req):
    url: str
    name: str | None = None
    content_type: str | None = None
    size: int | None = None
    width: int | None = None
    height: int | None = None


class RichElementIn(Req):
    title: str | None = None
    subtitle: str | None = None
    image: RichImageIn | None = None
    buttons: list[RichButtonIn] | None = Field(default=None, max_length=11)


class RichMessageIn(_EventIn):
    type: Literal["rich_message"]
    template_id: str
    elements: list[RichElementIn] = Field(min_length=1, max_length=10)


class FilledFormIn(_EventIn):
    type: Literal["filled_form"]
    form_id: str
    fields: list[dict[str, Any]]


class CustomIn(_EventIn):
    type: Literal["custom"]
    content: Any = None


class AnnotationIn(_EventIn):
    type: Literal["annotation"]
    text: str | None = None
    annotation_type: str | None = None


EventIn = Annotated[
    MessageIn | SystemMessageIn | FileIn | RichMessageIn | FilledFormIn | CustomIn | AnnotationIn,
    Field(discriminator="type"),
]
