"""Agent RTM API client, v3.0 and (`version="3.6"`) v3.6: `RtmConnection` (login with Bearer or
Basic, ping, requests, typed pushes, reconnect, region switch).

Never imports Textual. The names below load their modules on first use: `rtm.opening` (the
socket opened and the login sent ahead, while the console imports the rest) needs only the
websockets library, not pydantic and the wire models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lcconsole.rtm.channel import DisconnectedError
    from lcconsole.rtm.connection import RtmConnection
    from lcconsole.rtm.state import (
        RECONNECT_REASONS,
        STOP_REASONS,
        Backoff,
        ConnectionState,
        describe_disconnect,
        should_reconnect,
    )
    from lcconsole.rtm.url import rtm_url
    from lcconsole.wire.objects import LoginResponse
    from lcconsole.wire.pushes import Push, PushBase, UnknownPush, parse_push

_HOMES = {
    "DisconnectedError": "lcconsole.rtm.channel",
    "RtmConnection": "lcconsole.rtm.connection",
    "RECONNECT_REASONS": "lcconsole.rtm.state",
    "STOP_REASONS": "lcconsole.rtm.state",
    "Backoff": "lcconsole.rtm.state",
    "ConnectionState": "lcconsole.rtm.state",
    "describe_disconnect": "lcconsole.rtm.state",
    "should_reconnect": "lcconsole.rtm.state",
    "rtm_url": "lcconsole.rtm.url",
    "LoginResponse": "lcconsole.wire.objects",
    "Push": "lcconsole.wire.pushes",
    "PushBase": "lcconsole.wire.pushes",
    "UnknownPush": "lcconsole.wire.pushes",
    "parse_push": "lcconsole.wire.pushes",
}

__all__ = [
    "RECONNECT_REASONS",
    "STOP_REASONS",
    "describe_disconnect",
    "parse_push",
    "rtm_url",
    "should_reconnect",
    "Backoff",
    "ConnectionState",
    "DisconnectedError",
    "LoginResponse",
    "Push",
    "PushBase",
    "RtmConnection",
    "UnknownPush",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
