"""Agent RTM API client, v3.0 and (`version="3.6"`) v3.6: `RtmConnection` (login with Bearer or
Basic, ping, requests, typed pushes, reconnect, region switch).

Never imports Textual.
"""

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

__all__ = [
    "RECONNECT_REASONS",
    "STOP_REASONS",
    "Backoff",
    "ConnectionState",
    "DisconnectedError",
    "LoginResponse",
    "Push",
    "PushBase",
    "RtmConnection",
    "UnknownPush",
    "describe_disconnect",
    "parse_push",
    "rtm_url",
    "should_reconnect",
]
