"""Events as v3.6 clients send them: `visibility` instead of v3.0's `recipients`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from lcconsole.wire.event_inputs import PostbackIn, PropertiesIn, Req, RichImageIn

Visibility = Literal["all", "agents"]


class _Event(Req):
    custom_id: str | None = None
    visibility: Visibility | None = None
    properties: PropertiesIn | None = None


class Ecommerce(Req):
    product_id: str
    option_id: str | None = None
    quantity: int | None = None


class Postback(PostbackIn):
    """v3.0's postback, with the product of an e-commerce button."""

    ecommerce: Ecommerce | None = None


class Message(_Event):
    type: Literal["message"]
    text: str
    postback: Postback | None = None


class SystemMessage(_Event):
    type: Literal["system_message"]
    text: str
    system_message_type: str | None = None
    text_vars: dict[str, str] | None = None


class File(_Event):
    type: Literal["file"]
    url: str
    alternative_text: str | None = None


class RichButton(Req):
    text: str
    postback_id: str
    user_ids: list[str] = Field(default_factory=list)
    type: Literal["webview", "message", "url", "phone", "cancel"] | None = None
    value: str | None = None
    webview_height: Literal["compact", "tall", "full"] | None = None
    target: Literal["new", "current"] | None = None


class RichImage(RichImageIn):
    alternative_text: str | None = None


class RichElement(Req):
    title: str | None = None
    subtitle: str | None = None
    image: RichImage | None = None
    buttons: list[RichButton] | None = Field(default=None, max_length=13)
    ecommerce: dict[str, Any] | None = None


class RichMessage(_Event):
    type: Literal["rich_message"]
    template_id: Literal["cards", "sticker", "quick_replies", "ecommerce"]
    elements: list[RichElement] = Field(min_length=1, max_length=10)


class FilledForm(_Event):
    type: Literal["filled_form"]
    form_id: str
    form_type: str | None = None
    fields: list[dict[str, Any]]


class Custom(_Event):
    type: Literal["custom"]
    content: Any = None


Event = Annotated[
    Message | SystemMessage | File | RichMessage | FilledForm | Custom,
    Field(discriminator="type"),
]
"""Any event a v3.6 agent may send (`system` events are read-only in v3.6)."""
