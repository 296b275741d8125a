"""`AgentClient`: the async typed client for every Agent Chat Web API v3.0 action."""

from __future__ import annotations

from lcconsole.api.areas.access import AccessMixin
from lcconsole.api.areas.chats import ChatsMixin
from lcconsole.api.areas.customers import CustomersMixin
from lcconsole.api.areas.events import EventsMixin
from lcconsole.api.areas.other import OtherMixin
from lcconsole.api.areas.properties import PropertiesMixin
from lcconsole.api.areas.tags import TagsMixin
from lcconsole.api.areas.users import UsersMixin
from lcconsole.api.base import BaseClient


class AgentClient(
    ChatsMixin,
    AccessMixin,
    UsersMixin,
    CustomersMixin,
    EventsMixin,
    PropertiesMixin,
    TagsMixin,
    OtherMixin,
    BaseClient,
):
    """Async client: one method per Web action, named like the action, keyword-only parameters.

        async with AgentClient(token="dal:...", base_url="http://127.0.0.1:8080") as client:
            summary = await client.get_chats_summary(limit=25)
            await client.send_event(chat_id="PJ0MRSHTDG", event={"type": "message", "text": "hi"})

    One `httpx.AsyncClient` is created on first use and kept until `aclose()` / the end of the
    `async with`. Every failure is a `LiveChatError` (see `lcconsole.api.errors`); the token never
    appears in reprs or error messages.
    """
