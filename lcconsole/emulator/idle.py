"""Idle connections time out: an HTTP connection that sends nothing for `IDLE_TIMEOUT` seconds is
closed, whether it never sent a request, stopped halfway through one, or sits between requests
(uvicorn's own keep-alive timeout, 5 s, closes the last case sooner).

uvicorn times out only the wait between two requests; a connection that sent nothing yet or half
a request head is held forever. `idle_closing(protocol_class)` is that HTTP protocol with a
watchdog on received bytes. An upgraded connection (the RTM websocket) leaves the watchdog:
RTM sockets time out in `rtm_socket` (no frame for as long, pings included).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

IDLE_TIMEOUT = 60.0
"""Seconds a connection may stay silent (HTTP and RTM alike): twice the time after which LiveChat
drops an RTM socket without a ping, far beyond any legitimate pause in a request."""


def idle_closing(base: type[asyncio.Protocol], seconds: float = IDLE_TIMEOUT) -> type:
    """A subclass of the HTTP protocol class `base` that closes its transport once nothing was
    received for `seconds` (while the transport still speaks HTTP)."""

    class IdleClosing(base):  # type: ignore[misc, valid-type]  # a base class chosen at runtime
        def connection_made(self, transport: Any) -> None:
            self._idle_transport = transport
            self._idle_last = time.monotonic()
            self._idle_timer = asyncio.get_running_loop().call_later(seconds, self._idle_check)
            super().connection_made(transport)

        def data_received(self, data: bytes) -> None:
            self._idle_last = time.monotonic()
            super().data_received(data)

        def connection_lost(self, exc: Exception | None) -> None:
            self._idle_timer.cancel()
            super().connection_lost(exc)

        def _idle_check(self) -> None:
            transport = self._idle_transport
            if transport.is_closing() or transport.get_protocol() is not self:
                return  # gone, or upgraded to a websocket
            left = self._idle_last + seconds - time.monotonic()
            if left > 0:
                self._idle_timer = asyncio.get_running_loop().call_later(left, self._idle_check)
            else:
                transport.close()

    IdleClosing.__name__ = IdleClosing.__qualname__ = f"IdleClosing{base.__name__}"
    return IdleClosing
