"""The RTM socket opened and the login sent ahead of `RtmConnection` (`EarlyLogin`).

The console opens the socket and sends its login as soon as its first frame is out, while it
imports the rest (pydantic, the wire models, the screens): the server answers meanwhile. This
module therefore needs only the websockets library; `RtmConnection(opened=...)` adopts the socket
and reads the frames that arrived, so the answer is handled exactly as its own login's.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from lcconsole import __version__
from lcconsole.secret import Credentials

# The websockets library logs frames at DEBUG; the login frame carries the token. Its logger gets
# a fixed level so that turning on DEBUG globally never prints a frame.
log = logging.getLogger(__name__)
WS_LOG = logging.getLogger("lcconsole.rtm.websocket")
WS_LOG.setLevel(logging.INFO)

APPLICATION = {"name": "lcconsole", "version": __version__}
"""What the login says the client is."""
LOGIN_REQUEST_ID = "login-0"


async def open_socket(url: str, region: str | None, timeout: float) -> ClientConnection:
    """The agent RTM websocket at `url` (the region in `X-Region` when given)."""
    return await connect(
        url,
        additional_headers={"X-Region": region} if region else None,
        open_timeout=timeout,
        ping_interval=None,
        close_timeout=2.0,
        max_size=64 * 1024 * 1024,
        user_agent_header=f"lcconsole/{__version__}",
        logger=WS_LOG,
    )


def login_payload(credentials: Credentials, application: dict[str, Any], reconnect: bool = False) -> dict[str, Any]:
    """The `login` request's payload."""
    # The token goes first, before the longer fields: frame loggers that show the head and
    # tail of a frame (like websockets' DEBUG output) then do not show it.
    payload: dict[str, Any] = {"token": credentials.authorization(), "application": application}
    if reconnect:
        payload["reconnect"] = True
    return payload


class EarlyLogin:
    """Open the socket and send the login now (`start()`, on the running loop); `RtmConnection`
    takes the socket and every frame read until the login's answer (`handover()`)."""

    def __init__(
        self,
        url: str,
        credentials: Credentials,
        *,
        region: str | None = None,
        timeout: float = 15.0,
        on_answer: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        """`on_answer(frame)`: called with the login's answer (parsed) as soon as it arrives."""
        self.url = url
        self.credentials = credentials
        self.region = region
        self.timeout = timeout
        self.request_id = LOGIN_REQUEST_ID
        self.frames: list[str | bytes] = []
        self._ws: ClientConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._on_answer = on_answer

    def __repr__(self) -> str:
        return f"EarlyLogin(url={self.url!r}, started={self._task is not None})"

    def start(self) -> None:
        """Begin connecting and logging in (in the background)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="rtm-early-login")

    async def _run(self) -> None:
        self._ws = await open_socket(self.url, self.region, self.timeout)
        frame = {
            "request_id": self.request_id,
            "action": "login",
            "payload": login_payload(self.credentials, APPLICATION),
        }
        with suppress(ConnectionClosed):
            await self._ws.send(json.dumps(frame))
            while True:  # until the answer: the frames before it (pushes) are handed over too
                raw = await self._ws.recv()
                self.frames.append(raw)
                answer = self._answer(raw)
                if answer is not None:
                    if self._on_answer is not None:
                        try:
                            self._on_answer(answer)
                        except Exception:  # a listener's bug must not cost the login
                            log.exception("the login answer's listener failed")
                    return

    def _answer(self, raw: str | bytes) -> dict[str, Any] | None:
        """The frame, when it is the login's answer."""
        try:
            frame = json.loads(raw)
        except ValueError:
            return None
        if isinstance(frame, dict) and frame.get("request_id") == self.request_id and frame.get("type") != "push":
            return frame
        return None

    async def handover(self) -> ClientConnection:
        """The socket, once the login's answer arrived (or the socket closed); the frames read
        are in `frames`. Raises what connecting raised, TimeoutError after `timeout` seconds."""
        if self._task is None:
            raise RuntimeError("EarlyLogin.start() was not called")
        try:
            async with asyncio.timeout(self.timeout):
                await asyncio.shield(self._task)
        except TimeoutError:
            await self.close()
            raise
        assert self._ws is not None
        return self._ws

    async def close(self) -> None:
        """Stop and close the socket (when it was not handed over)."""
        task = self._task
        if task is not None:
            task.cancel()
            with suppress(BaseException):  # (a failed connect's error is read here, not logged)
                await task
        if self._ws is not None:
            with suppress(Exception):
                await self._ws.close()
