"""The agent RTM websocket `/v3.0/agent/rtm/ws` (docs/api-notes.md §4).

One `RtmSession` per socket: `login` within the login window (else an `agent_disconnected` push
with reason `connection_timeout` and a close), then, as long as the client sends a frame (a ping
at least) within the idle timeout (else the same push and close), request frames answered by response frames
(`{"request_id", "action", "type": "response", "success", "payload"}`), pushes fanned in by the
hub. A request is pending from its arrival until its response has been written; more than
`MAX_PENDING` pending requests are refused with `pending_requests_limit_reached`. Malformed frames
get an error response and the socket stays open.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from starlette.websockets import WebSocket, WebSocketState

from lcconsole.emulator import dialects
from lcconsole.emulator.contract import AddressedPush, ErrorReply, Principal
from lcconsole.emulator.hub import Hub, SocketSender, disconnect_frame, dumps
from lcconsole.emulator.idle import IDLE_TIMEOUT
from lcconsole.emulator.request_bodies import require_text
from lcconsole.emulator.v36.deleted import masks_for
from lcconsole.wire.actions import ACTIONS, RTM_ONLY_ACTIONS
from lcconsole.wire.errors import envelope
from lcconsole.wire.v36.actions import ACTIONS as ACTIONS_V36

log = logging.getLogger("lcconsole.emulator")

MAX_PENDING = 10
DEFAULT_LOGIN_TIMEOUT = 30.0


def response_frame(request_id: Any, action: Any, success: bool, payload: dict[str, Any]) -> str:
    """A serialised response frame; `request_id`/`action` are left out when unknown."""
    frame: dict[str, Any] = {}
    if request_id is not None:
        frame["request_id"] = request_id
    if isinstance(action, str):
        frame["action"] = action
    frame["type"] = "response"
    frame["success"] = success
    frame["payload"] = payload
    return dumps(frame)


def error_frame(request_id: Any, action: Any, error: ErrorReply) -> str:
    """A `success: false` response carrying the error envelope."""
    return response_frame(request_id, action, False, envelope(error.type, error.message, error.data))


def _echoable(value: Any) -> Any:
    """`value` when it can be sent back in a response frame, else None."""
    try:
        return require_text(value)
    except ErrorReply:
        return None


class RtmSession:
    """One agent RTM connection.

    The reader parses each frame on arrival and answers pings and malformed frames at once;
    every other request waits in the session's queue and runs in arrival order (so a `login`
    is done before the next request) on the hub's engine thread.
    """

    def __init__(
        self,
        ws: WebSocket,
        hub: Hub,
        login_timeout: float,
        version: str = dialects.V30,
        limiter: Any = None,
        idle_timeout: float = IDLE_TIMEOUT,
    ) -> None:
        self.ws = ws
        self.limiter = limiter
        """The app's `RateLimiter` (None: unlimited); one bucket per agent for HTTP and RTM."""
        self.version = version
        self.hub = hub
        self.login_timeout = login_timeout
        self.idle_timeout = idle_timeout
        self._last_frame = 0.0
        self._idle_timer: asyncio.TimerHandle | None = None
        self.principal: Principal | None = None
        self.pending = 0
        self.sender = SocketSender(ws.send_text, self._close)
        self.sender.on_sent = self._sent
        self.sender.version = version
        self._requests: asyncio.Queue[tuple[Any, str, dict[str, Any], str]] = asyncio.Queue()

    def _sent(self) -> None:
        self.pending -= 1

    async def _close(self, code: int = 1000) -> None:
        if self.ws.application_state == WebSocketState.CONNECTED:
            await self.ws.close(code)

    def _timed_out(self) -> None:
        self.sender.put(disconnect_frame("connection_timeout", self.version))
        self.sender.put_close()

    def _login_expired(self) -> None:
        if self.principal is None and not self.sender.closed:
            self._timed_out()

    def _idle_check(self) -> None:
        if self.sender.closed:
            return
        loop = asyncio.get_running_loop()
        left = self._last_frame + self.idle_timeout - loop.time()
        if left > 0 or self.principal is None:  # before login, the login window rules
            self._idle_timer = loop.call_later(max(left, 0.05), self._idle_check)
        else:
            self._timed_out()

    async def run(self) -> None:
        """Serve the socket until the peer or the server closes it."""
        await self.ws.accept()
        loop = asyncio.get_running_loop()
        timer = loop.call_later(self.login_timeout, self._login_expired)
        self._last_frame = loop.time()
        self._idle_timer = loop.call_later(self.idle_timeout, self._idle_check)
        worker = asyncio.create_task(self._serve_requests())
        try:
            while True:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                self._last_frame = loop.time()
                text = message.get("text")
                if text is None:
                    try:
                        text = (message.get("bytes") or b"").decode("utf-8")
                    except UnicodeDecodeError:
                        self.sender.put(error_frame(None, None, ErrorReply("validation", "Frame is not UTF-8 text")))
                        continue
                try:
                    self.handle(text)
                except Exception:  # handle() answers every failure itself; this is a last resort
                    log.exception("internal error on an RTM frame")
                    self.sender.put(error_frame(None, None, ErrorReply("internal")))
        finally:
            timer.cancel()
            if self._idle_timer is not None:
                self._idle_timer.cancel()
            worker.cancel()
            self.sender.stop()
            if self.principal is not None:
                await self.hub.detach(self.principal.id, self.sender)

    # --- one frame -------------------------------------------------------------------------

    def handle(self, text: str) -> None:
        """Take one incoming frame: answer it now (ping, malformed, over the pending limit) or
        queue it for `_serve_requests` (never raises)."""
        request_id: Any = None
        action: Any = None
        try:
            try:
                frame = json.loads(text)
            except ValueError as exc:
                raise ErrorReply("validation", f"Malformed frame: {exc}") from None
            except RecursionError:
                raise ErrorReply("validation", "Malformed frame: nested too deeply") from None
            if not isinstance(frame, dict):
                raise ErrorReply("validation", "Frame must be a JSON object")
            request_id = _echoable(frame.get("request_id"))
            action = _echoable(frame.get("action"))
            require_text(frame, "frame")
            if not isinstance(action, str) or not action:
                raise ErrorReply("validation", "action: required string")
            payload = frame.get("payload")
            if payload is None:
                payload = {}
            elif not isinstance(payload, dict):
                raise ErrorReply("validation", "payload: must be an object")
            version = self._frame_version(frame.get("version"))
        except ErrorReply as error:
            self.sender.put(error_frame(request_id, action, error))
            return
        if self.pending >= MAX_PENDING:
            self.sender.put(error_frame(request_id, action, ErrorReply("pending_requests_limit_reached")))
            return
        if action != "ping" and self.principal is not None and self.limiter is not None:
            wait = self.limiter.retry_after(f"agent:{self.principal.id}")
            if wait is not None:
                self.sender.put(
                    error_frame(
                        request_id, action, ErrorReply("too_many_requests", f"Too many requests; retry in {wait} s")
                    )
                )
                return
        self.pending += 1
        if action == "ping":
            self.sender.put(response_frame(request_id, action, True, {}), counts=True)
        else:
            self._requests.put_nowait((request_id, action, payload, version))

    def _frame_version(self, asked: Any) -> str:
        """The version one request runs in: the socket's, or a higher one the frame names
        (`"version"`, docs/v3.6-notes.md §2.5); a lower one is refused."""
        if asked is None:
            return self.version
        if not isinstance(asked, str):
            raise ErrorReply("validation", 'version: must be a string like "3.6"')
        dialects.check_version(asked)
        if dialects.older(asked, self.version):
            raise ErrorReply("validation", f"version: {asked} is lower than the connection's {self.version}")
        return asked

    async def _serve_requests(self) -> None:
        while True:
            request_id, action, payload, version = await self._requests.get()
            await self._answer(request_id, action, payload, version)

    async def _answer(self, request_id: Any, action: str, payload: dict[str, Any], version: str) -> None:
        try:
            reply, pushes, then_close = await self._dispatch(request_id, action, payload, version)
        except ErrorReply as error:
            self.sender.put(error_frame(request_id, action, error), counts=True)
            return
        except Exception:
            log.exception("internal error in RTM action %s", action[:64])
            self.sender.put(error_frame(request_id, action, ErrorReply("internal")), counts=True)
            return
        self.sender.put(reply, counts=True)
        if pushes:
            self.hub.deliver(pushes, origin=self.sender, request_id=request_id)
        if then_close and self.principal is not None:
            principal, self.principal = self.principal, None
            # forgotten before the close goes out, and shielded: the peer closing at once
            # cancels this task, which must not skip marking the agent absent
            await asyncio.shield(self.hub.detach(principal.id, self.sender))
            self.sender.put_close()

    async def _dispatch(
        self, request_id: Any, action: str, payload: dict[str, Any], version: str
    ) -> tuple[str, list[AddressedPush], bool]:
        """Run one request in `version`: (response frame, pushes to deliver after it, close
        afterwards?)."""
        if action == "login":
            return await self._login(request_id, payload)
        if self.principal is None:
            raise ErrorReply("authentication", "Not logged in: send login first")
        if version == dialects.V36:
            spec36 = ACTIONS_V36.get(action)
            if spec36 is None:
                raise ErrorReply("not_found", f"Unknown action: {action[:64]}")
            if not spec36.rtm:
                raise ErrorReply("validation", f"Action {action} is available over the Web API only")
        else:
            spec = ACTIONS.get(action)
            if spec is None and action not in RTM_ONLY_ACTIONS:
                raise ErrorReply("not_found", f"Unknown action: {action[:64]}")
            if spec is not None and not spec.rtm:
                raise ErrorReply("validation", f"Action {action} is available over the Web API only")
        outcome = await self.hub.call(dialects.execute, self.hub.engine, version, self.principal, action, payload)
        if version == dialects.V36 and action == "subscribe_customers":
            self.sender.subscriptions.add(outcome.payload["subscription_id"])
        elif version == dialects.V36 and action == "unsubscribe_customers":
            self.sender.subscriptions.discard(payload.get("subscription_id"))
        reply = response_frame(request_id, action, True, outcome.payload)
        return reply, outcome.pushes, action == "logout"

    async def _login(self, request_id: Any, payload: dict[str, Any]) -> tuple[str, list[AddressedPush], bool]:
        token = payload.get("token")
        if not isinstance(token, str) or not token.strip():
            raise ErrorReply("authentication", "token: required ('Bearer <token>' or 'Basic <base64>')")
        engine = self.hub.engine
        principal = await self.hub.call(engine.authenticate, token.strip(), "agent")
        if self.principal is not None and self.principal.id != principal.id:
            raise ErrorReply("validation", "Already logged in as another agent on this socket")
        pushes: list[AddressedPush] = []
        if self.principal is None:
            self.principal = principal
            pushes = await self.hub.attach(principal.id, self.sender)
        try:
            outcome = await self.hub.call(dialects.execute, engine, self.version, principal, "login", payload)
            self.sender.wanted = _wanted_pushes(payload, self.version)
            if self.version != dialects.V30:
                self.sender.masks_deleted = masks_for(outcome.payload.get("my_profile", {}).get("permission"))
        except Exception:
            if self.principal is principal and not self.sender.closed:  # first login failed: undo
                self.hub.deliver(pushes)
                self.principal = None
                await self.hub.detach(principal.id, self.sender)
            raise
        reply = response_frame(request_id, "login", True, outcome.payload)
        return reply, pushes + outcome.pushes, False


def _wanted_pushes(payload: dict[str, Any], version: str) -> frozenset[str] | None:
    """The push names a v3.6 login asked for in `pushes` (`{"3.6": [names or "all"]}`) for the
    socket's version; None = every push."""
    asked = payload.get("pushes") if version != dialects.V30 else None
    names = asked.get(version) if isinstance(asked, dict) else None
    if not isinstance(names, list) or "all" in names:
        return None
    return frozenset(n for n in names if isinstance(n, str))


async def rtm_endpoint(ws: WebSocket) -> None:
    """Starlette websocket endpoint for `/v<version>/agent/rtm/ws` (3.0 and 3.6; any other
    version is accepted only to send `agent_disconnected` with `unsupported_version`)."""
    state = ws.app.state
    version = ws.path_params.get("version", dialects.V30)
    if version not in dialects.VERSIONS:
        await ws.accept()
        await ws.send_text(
            dumps({"action": "agent_disconnected", "type": "push", "payload": {"reason": "unsupported_version"}})
        )
        await ws.close(1000)
        return
    await RtmSession(ws, state.hub, state.login_timeout, version, state.limiter, state.idle_timeout).run()
