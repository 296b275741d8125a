"""The request/response plumbing under `RtmConnection`: frames in, frames out.

`RtmChannel` owns the socket of the moment, the futures waiting under their `request_id`, the
10-slot limit on pending requests and the bounded push queue. Its reader task resolves responses
and queues typed pushes; when the socket ends every pending request fails at once.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from lcconsole.errors import LiveChatConnectionError, LiveChatTimeoutError, error_for
from lcconsole.rtm.state import describe_disconnect

if TYPE_CHECKING:
    from lcconsole.wire.pushes import AgentDisconnectedPush

log = logging.getLogger("lcconsole.rtm.connection")

MAX_PENDING = 10
"""The server allows 10 unanswered requests per socket (docs/api-notes.md §3.4); more wait their turn."""

WAKE = object()
"""Queued to wake a `pushes()` consumer when the connection ends for good."""


def _parse_v30(action: str, payload: Any, request_id: str | None) -> Any:
    """The v3.0 push parser, its models imported with the first push."""
    from lcconsole.wire.pushes import parse_push

    return parse_push(action, payload, request_id)


@cache
def _disconnected_class() -> type[AgentDisconnectedPush]:
    """`AgentDisconnectedPush` (both versions), imported with the first push: the push models
    load after the login, not before it (start-up time)."""
    from lcconsole.wire.pushes import AgentDisconnectedPush

    return AgentDisconnectedPush


class DisconnectedError(LiveChatConnectionError):
    """The server ended the session with `agent_disconnected`; `.reason` (and `.type`) is its
    reason code, `.message` the human sentence."""

    def __init__(self, reason: str, data: dict[str, Any] | None = None, texts: dict[str, str] | None = None) -> None:
        super().__init__(reason, describe_disconnect(reason, data, texts), request_sent=True)
        self.reason = reason
        self.data = data


class PushFrame(NamedTuple):
    """A push as read from the socket, not yet parsed (`RtmChannel.typed`)."""

    action: str
    payload: Any
    request_id: str | None


class RtmChannel:
    """Request matching, the reader and the push queue for one socket at a time."""

    def __init__(self, request_timeout: float, push_queue_size: int) -> None:
        self.request_timeout = request_timeout
        self.dropped_pushes = 0
        self._queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=push_queue_size)
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._alive = False
        self._pending: dict[str, asyncio.Future[Any]] = {}
        self._slots = asyncio.Semaphore(MAX_PENDING)
        self._ids = itertools.count(1)
        self._id_prefix = secrets.token_hex(3)
        self._disconnect: AgentDisconnectedPush | None = None
        self._parse_push: Callable[[str, Any, str | None], Any] = _parse_v30
        """The API version's push parser (v3.0 unless the connection says otherwise)."""

    def _scrub(self, text: str) -> str:
        """`text` without the connection's secrets (the connection knows them)."""
        return text

    async def _read(self, ws: ClientConnection) -> None:
        """Dispatch frames until the socket closes or the server says we are disconnected."""
        try:
            async for raw in ws:
                self._handle(raw)
                if self._disconnect is not None:
                    break
        except ConnectionClosed:
            pass
        except Exception:  # noqa: BLE001 - a reader bug must not leave callers hanging
            log.exception("RTM reader failed")
        finally:
            self._alive = False
            self._fail_pending("the connection was lost")
            if self._disconnect is not None:
                with suppress(Exception):
                    await ws.close()

    def _handle(self, raw: str | bytes) -> None:
        try:
            frame = json.loads(raw)
        except ValueError:
            log.warning("ignoring a frame that is not JSON (%d bytes)", len(raw))
            return
        if not isinstance(frame, dict):
            return
        request_id = frame.get("request_id")
        kind = frame.get("type")
        if kind == "push" or (kind is None and "success" not in frame and "action" in frame):
            push = PushFrame(
                str(frame.get("action")), frame.get("payload", {}), request_id if isinstance(request_id, str) else None
            )
            if push.action == "agent_disconnected":  # read now: the reader stops on it
                parsed = self.typed(push)
                if isinstance(parsed, _disconnected_class()):
                    self._disconnect = parsed
                self._enqueue(parsed)
                return
            self._enqueue(push)
            return
        future = self._pending.pop(request_id, None) if isinstance(request_id, str) else None
        if future is not None and not future.done():
            future.set_result(frame)

    def typed(self, item: Any) -> Any:
        """A queued push as its model: frames are parsed when taken, not when read, so the push
        models load with the first push the consumer takes (after the list is painted), not with
        the first one the server sends (a v3.6 server pushes right after the login)."""
        if not isinstance(item, PushFrame):
            return item
        try:
            return self._parse_push(*item)
        except Exception as exc:  # a parser bug must not end the consumer's loop
            from lcconsole.wire.pushes import UnknownPush

            log.exception("push %s could not be parsed", item.action)
            return UnknownPush(item.action, item.payload, item.request_id, f"unreadable: {exc}")

    def _enqueue(self, item: Any) -> None:
        if self._queue.full():
            with suppress(asyncio.QueueEmpty):
                self._queue.get_nowait()
            if item is WAKE:
                return
            self.dropped_pushes += 1
            log.warning("push queue full: dropped the oldest push (%d so far)", self.dropped_pushes)
        self._queue.put_nowait(item)

    async def _request(self, action: str, payload: dict[str, Any], timeout: float | None) -> dict[str, Any]:
        timeout = self.request_timeout if timeout is None else timeout
        request_id = f"{self._id_prefix}-{next(self._ids)}"
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        async with self._answer_within(action, request_id, timeout), self._slots:
            ws = self._ws
            if ws is None or not self._alive:
                raise LiveChatConnectionError("connection", "not connected", request_sent=False, action=action)
            self._pending[request_id] = future
            frame = {"request_id": request_id, "action": action, "payload": payload}
            try:
                await ws.send(json.dumps(frame))
            except ConnectionClosed:
                raise LiveChatConnectionError(
                    "connection", "the connection was lost", request_sent=False, action=action
                ) from None
            response = await future
        return self._answer(action, response)

    async def _adopt(
        self, ws: ClientConnection, action: str, request_id: str, frames: list[str | bytes]
    ) -> dict[str, Any]:
        """Take over `ws`, on which `action` was already sent as `request_id` and `frames` were
        read since (`rtm.opening`): they are handled as the reader would, then the reader starts;
        returns the answer's payload as `_request` does."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        async with self._answer_within(action, request_id, self.request_timeout):
            for raw in frames:
                self._handle(raw)
            self._reader = asyncio.create_task(self._read(ws), name="rtm-reader")
            response = await future
        return self._answer(action, response)

    @asynccontextmanager
    async def _answer_within(self, action: str, request_id: str, timeout: float) -> AsyncIterator[None]:
        """The body awaits `request_id`'s answer: a `LiveChatTimeoutError` after `timeout`
        seconds, and the pending entry dropped in every case."""
        try:
            async with asyncio.timeout(timeout):
                yield
        except TimeoutError:
            raise LiveChatTimeoutError(
                "timeout", f"{action}: no response within {timeout:g} s", request_sent=True, action=action
            ) from None
        finally:
            self._pending.pop(request_id, None)

    def _answer(self, action: str, response: dict[str, Any]) -> dict[str, Any]:
        """A response's payload; the typed `ApiError` for a `success: false` response."""
        body = response.get("payload")
        if response.get("success") is False:
            error = body.get("error") if isinstance(body, dict) else None
            error = error if isinstance(error, dict) else {}
            message = error.get("message")
            raise error_for(
                str(error.get("type") or "internal"),
                self._scrub(str(message)) if message else None,
                None,
                error.get("data"),
                action=action,
            )
        return body if isinstance(body, dict) else {}

    def _fail_pending(self, message: str) -> None:
        pending, self._pending = self._pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(LiveChatConnectionError("connection", message, request_sent=True))
