"""`AgentClient`: the async typed client for every Agent Chat Web API action of one version.

`AgentClient(...)` speaks v3.0 (the class below); `AgentClient(version="3.6", ...)` returns an
`AgentClient36` (`api.v36.client`). The version is chosen here and nowhere else.
"""

from __future__ import annotations

from typing import Any

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

    `version="3.6"` gives the v3.6 client (`AgentClient36`: `list_chats`, `get_chat`, …) instead.
    One `httpx.AsyncClient` is created on first use and kept until `aclose()` / the end of the
    `async with`. Every failure is a `LiveChatError` (see `lcconsole.errors`); the token never
    appears in reprs or error messages.
    """

    def __new__(cls, *args: Any, version: str = "3.0", **kwargs: Any) -> Any:
        from lcconsole.wire.dialects import dialect

        chosen = dialect(version)
        if cls is AgentClient and chosen.version == "3.6":
            from lcconsole.api.v36.client import AgentClient36

            return AgentClient36(*args, **kwargs)
        if chosen.version != cls.dialect.version:
            raise ValueError(f"{cls.__name__} speaks API v{cls.dialect.version}, not v{chosen.version}")
        return super().__new__(cls)

    def __init__(self, *args: Any, version: str = "3.0", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
