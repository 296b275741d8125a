"""The console's gateway: what the agent wants, said once, spoken in the connection's API version.

Screens and actions call a `Gateway` (take a chat, reply, close, transfer, tag…) and get
canonical models back (`lcconsole.wire.objects` / `wire.events` / `wire.pushes`, plus
`wire.canonical` for what only newer versions have); they never name an API action. One
implementation per version (`gateway.v30`, `gateway.v36`) turns each wish into that version's
calls and converts the answers with the version's dialect (`wire.v36.canonical`). What a
connection cannot do is said by `Gateway.capabilities` so the screens hide it.

Made by `open_gateway(client, rtm)` from the session's client and RTM connection (or
`gateway_class(version)(client, rtm)`, whose `read_login` the RTM connection takes first).
"""

from __future__ import annotations

from typing import Any

from lcconsole.gateway.base import Capability, Gateway, Unsupported

__all__ = ["Capability", "Gateway", "Unsupported", "gateway_class", "open_gateway"]


def gateway_class(version: str) -> type[Gateway]:
    """The gateway of API `version` ("3.6" or "3.0"); its `read_login` is for the RTM connection."""
    if version == "3.6":
        from lcconsole.gateway.v36 import Gateway36

        return Gateway36
    from lcconsole.gateway.v30 import Gateway30

    return Gateway30


def open_gateway(client: Any, rtm: Any) -> Gateway:
    """The gateway of `client`'s API version over `client` and `rtm`."""
    return gateway_class(client.dialect.version)(client, rtm)
