"""`RtmConnection`: the Agent RTM API (v3.0, or v3.6 with `version="3.6"`) over one websocket.

A reader task (see `channel.RtmChannel`) parses every frame: responses resolve the future waiting
under their `request_id`, pushes go (typed, see `wire.pushes`) into a bounded queue read by
`pushes()`. A ping
task sends `{"action": "ping"}` every `ping_interval` seconds after login. A supervisor task waits
for the reader to end (socket dropped, `agent_disconnected`) and reconnects with backoff, logging in
again and telling the login listeners so the UI can resync — or goes offline for good with a human
reason when docs/api-notes.md §3.5 says not to come back.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import suppress
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError
from websockets.asyncio.client import ClientConnection

from lcconsole.errors import (
    AuthenticationError,
    LicenseExpiredError,
    LicenseNotFoundError,
    LiveChatConnectionError,
    LiveChatError,
    LiveChatTimeoutError,
    MisdirectedRequestError,
    RequestValidationError,
    ResponseValidationError,
    UnsupportedVersionError,
    WrongProductVersionError,
)
from lcconsole.rtm.channel import WAKE, DisconnectedError, RtmChannel
from lcconsole.rtm.opening import APPLICATION, EarlyLogin, login_payload, open_socket
from lcconsole.rtm.state import STOP_REASONS, Backoff, ConnectionState, describe_disconnect, should_reconnect
from lcconsole.rtm.url import regional_url, rtm_url
from lcconsole.secret import Credentials
from lcconsole.wire.dialects import dialect
from lcconsole.wire.validation import first_problem

if TYPE_CHECKING:
    from lcconsole.wire.pushes import Push

log = logging.getLogger(__name__)

FINAL_LOGIN_ERRORS = (
    AuthenticationError,
    LicenseExpiredError,
    LicenseNotFoundError,
    UnsupportedVersionError,
    WrongProductVersionError,
    MisdirectedRequestError,
)
"""Login failures that no retry can fix: go offline instead of looping."""

StateListener = Callable[[ConnectionState], Any]
LoginResponse = BaseModel
"""The dialect's login answer (`wire.objects.LoginResponse` in v3.0, `wire.v36.responses` in v3.6),
or what `read_login` makes of it."""
LoginListener = Callable[[LoginResponse], Any]
TokenProvider = Callable[[], "str | Credentials | Awaitable[str | Credentials]"]


class RtmConnection(RtmChannel):
    """An RTM session that logs in, pings, matches requests and reconnects on its own."""

    def __init__(
        self,
        base_url: str,
        token: str | Credentials,
        *,
        ping_interval: float = 15.0,
        request_timeout: float = 15.0,
        reconnect: bool = True,
        backoff: Backoff | None = None,
        region: str | None = None,
        token_provider: TokenProvider | None = None,
        push_queue_size: int = 10_000,
        application: dict[str, Any] | None = None,
        version: str = "3.0",
        opened: EarlyLogin | None = None,
        read_login: Callable[[Any], LoginResponse] | None = None,
    ) -> None:
        """`opened`: the socket already opened and logged in ahead (`rtm.opening`), adopted by
        the first `start()` when it logged in as this connection would (URL, region, token).
        `read_login`: reads the login answer's payload into a model (the console's gateway reads
        it straight into the canonical one) and raises a pydantic `ValidationError` when it is
        malformed; by default the version's own model (`wire.v36.responses` in v3.6)."""
        super().__init__(request_timeout, push_queue_size)
        self.dialect = dialect(version)
        self._parse_push = self._parse_in_dialect
        self.url = rtm_url(base_url, self.dialect.rtm_path)
        self._credentials = Credentials.of(token)
        self.ping_interval = ping_interval
        self.reconnect = reconnect
        self.backoff = backoff or Backoff()
        self.region = region
        self._token_provider = token_provider
        self._application = application or APPLICATION
        self._early = opened
        self._read_login = read_login
        self.login_response: LoginResponse | None = None
        self._state = ConnectionState("offline", "not started")
        self._state_listeners: list[StateListener] = []
        self._login_listeners: list[LoginListener] = []
        self._pinger: asyncio.Task[None] | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._logged_in_before = False
        self._closing = False
        self._finished = False
        self._retry_now = asyncio.Event()

    def __repr__(self) -> str:
        return f"RtmConnection(version={self.dialect.version!r}, url={self.url!r}, status={self._state.status!r})"

    def _parse_in_dialect(self, action: str, payload: Any, request_id: str | None) -> Any:
        """The first push loads the version's push models (after the login, not before it)."""
        self._parse_push = self.dialect.parse_push
        return self._parse_push(action, payload, request_id)

    @cached_property
    def _disconnect_rules(self) -> tuple[frozenset[str], dict[str, str]]:
        return self.dialect.disconnect_rules or (STOP_REASONS, {})

    @property
    def _stop_reasons(self) -> frozenset[str]:
        """`agent_disconnected` reasons not to reconnect after (the version's)."""
        return self._disconnect_rules[0]

    @property
    def _reason_texts(self) -> dict[str, str]:
        """The human sentences of the version's disconnect reasons."""
        return self._disconnect_rules[1]

    # --- public interface ------------------------------------------------------------------

    @property
    def state(self) -> ConnectionState:
        """The current connection state."""
        return self._state

    def add_state_listener(self, callback: StateListener) -> None:
        """Call `callback(state)` on every state change."""
        self._state_listeners.append(callback)

    def remove_state_listener(self, callback: StateListener) -> None:
        """Stop calling `callback` on state changes."""
        with suppress(ValueError):
            self._state_listeners.remove(callback)

    def add_login_listener(self, callback: LoginListener) -> None:
        """Call `callback(login_response)` after every successful login and re-login."""
        self._login_listeners.append(callback)

    def remove_login_listener(self, callback: LoginListener) -> None:
        """Stop calling `callback` after logins."""
        with suppress(ValueError):
            self._login_listeners.remove(callback)

    def retry_now(self) -> bool:
        """Skip the wait before the next reconnect attempt; False when not waiting for one."""
        if not self._state.waiting:
            return False
        self._retry_now.set()
        return True

    async def start(self) -> LoginResponse:
        """Connect and log in. Raises a `LiveChatError` (and goes offline) when that fails."""
        if self._supervisor is not None and not self._supervisor.done():
            raise RuntimeError("RtmConnection is already started")
        self._closing = False
        self._finished = False
        self._set_state(ConnectionState("connecting", attempt=1))
        try:
            login = await self._open_in_region()
        except DisconnectedError as exc:
            self._go_offline(exc.message, exc.reason)
            raise
        except LiveChatError as exc:
            self._go_offline(_reason(exc), exc.type)
            raise
        except BaseException:
            self._go_offline("start cancelled")
            raise
        self._supervisor = asyncio.create_task(self._supervise(), name="rtm-supervisor")
        return login

    async def call(
        self, action: str, payload: dict[str, Any] | None = None, *, timeout: float | None = None
    ) -> dict[str, Any]:
        """Send `action` and return the response payload (`{}` when there is none).

        Raises `LiveChatConnectionError` when not connected or the socket drops meanwhile,
        `LiveChatTimeoutError` after `timeout` (default `request_timeout`) seconds, and the typed
        `ApiError` for a `success: false` response."""
        if self._state.status != "connected":
            raise LiveChatConnectionError(
                "connection", f"not connected ({self._state.status})", request_sent=False, action=action
            )
        return await self._request(action, payload or {}, timeout)

    async def update_session(self, token: str | Credentials) -> None:
        """Swap in a new token (or PAT) on the live socket (v3.6), so the session outlives the old
        token; later re-logins use the new one."""
        credentials = Credentials.of(token)
        self._require("update_session")
        await self.call("update_session", {"token": credentials.authorization()})
        self._credentials = credentials

    async def subscribe_customers(self, *, group_ids: list[int] | None = None, limit: int | None = None) -> Any:
        """Follow the customers of `group_ids` on this socket (v3.6): returns the
        `subscription_id` and the customers now on the website; changes arrive as pushes."""
        payload = self._checked("subscribe_customers", {"group_ids": group_ids, "limit": limit})
        answer = await self.call("subscribe_customers", payload)
        model = self.dialect.response_models["subscribe_customers"]
        return answer if model is None else model.model_validate(answer)

    async def unsubscribe_customers(self, *, subscription_id: str) -> None:
        """End a `subscribe_customers` subscription (v3.6)."""
        await self.call(
            "unsubscribe_customers", self._checked("unsubscribe_customers", {"subscription_id": subscription_id})
        )

    def _scrub(self, text: str) -> str:
        return self._credentials.scrub(text)

    def _require(self, action: str) -> None:
        if action not in self.dialect.request_models:
            raise RequestValidationError(
                f"{action} is not an action of API v{self.dialect.version}", field="action", action=action
            )

    def _checked(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """`params` validated with the action's request model (RequestValidationError if not)."""
        self._require(action)
        try:
            model = self.dialect.request_models[action].model_validate(
                {k: v for k, v in params.items() if v is not None}
            )
        except ValidationError as exc:
            field, problem = first_problem(exc)
            raise RequestValidationError(f"{action}: {field}: {problem}", field=field, action=action) from None
        return model.model_dump(exclude_none=True, by_alias=True)

    async def pushes(self) -> AsyncIterator[Push]:
        """Typed pushes in arrival order, across reconnects (one consumer). Ends after `close()`
        or when the connection goes offline for good, once the queued pushes are drained."""
        while True:
            if self._finished and self._queue.empty():
                return
            item = await self._queue.get()
            if item is not WAKE:
                yield self.typed(item)

    async def close(self) -> None:
        """Log out if possible, close the socket and stop every task."""
        self._closing = True
        early, self._early = self._early, None
        if early is not None:
            await early.close()
        if self._state.status == "connected" and self._ws is not None:
            with suppress(LiveChatError):
                await self._request("logout", {}, min(self.request_timeout, 2.0))
        supervisor, self._supervisor = self._supervisor, None
        if supervisor is not None and supervisor is not asyncio.current_task():
            supervisor.cancel()
            with suppress(BaseException):
                await supervisor
        await self._drop()
        if self._state.status == "offline":  # keep the reason it went offline for
            self._finished = True
            self._enqueue(WAKE)
        else:
            self._go_offline("closed")

    # --- connecting ------------------------------------------------------------------------

    async def _open_in_region(self) -> LoginResponse:
        """`_open`, and once more in the region the server names when it says the licence lives
        elsewhere (`misdirected_request` at login or `agent_disconnected` `misdirected_connection`)."""
        try:
            return await self._open()
        except (MisdirectedRequestError, DisconnectedError) as exc:
            region = _named_region(exc)
            if region is None or region == self.region:
                raise
        self._switch_region(region)
        return await self._open()

    def _switch_region(self, region: str) -> None:
        log.info("RTM: switching to region %s", region)
        self.region = region
        self.url = regional_url(self.url, region)

    async def _open(self) -> LoginResponse:
        """Open the socket (or adopt the one opened ahead), start the reader, log in, start
        pinging, tell the login listeners."""
        early = await self._take_early()
        try:
            if early is not None:  # connected and the login sent ahead: its answer may be in
                ws: ClientConnection = await early.handover()
            else:
                ws = await open_socket(self.url, self.region, self.request_timeout)
        except Exception as exc:  # noqa: BLE001 - OSError, timeouts, handshake and URI errors
            host = urlsplit(self.url).netloc
            raise LiveChatConnectionError(
                "connection", f"cannot reach {host} ({_describe(exc)})", request_sent=False
            ) from None
        self._ws = ws
        self._disconnect = None
        self._alive = True
        try:
            if early is not None:
                payload = await self._adopt(ws, "login", early.request_id, early.frames)
            else:
                self._reader = asyncio.create_task(self._read(ws), name="rtm-reader")
                payload = await self._request("login", self._login_payload(), self.request_timeout)
            try:
                login = (self._read_login or self.dialect.login_response.model_validate)(payload)
            except ValidationError as exc:
                raise ResponseValidationError("login", *first_problem(exc)) from None
        except LiveChatConnectionError:
            disconnect = self._disconnect
            await self._drop()
            if disconnect is not None:
                raise DisconnectedError(disconnect.reason, disconnect.data, self._reason_texts) from None
            raise
        except BaseException:
            await self._drop()
            raise
        self.login_response = login
        self._logged_in_before = True
        self._set_state(ConnectionState("connected"))
        self._pinger = asyncio.create_task(self._ping_loop(), name="rtm-ping")
        for listener in list(self._login_listeners):
            _notify(listener, login)
        return login

    def _login_payload(self) -> dict[str, Any]:
        return login_payload(self._credentials, self._application, reconnect=self._logged_in_before)

    async def _take_early(self) -> EarlyLogin | None:
        """The socket opened ahead (once), when it logged in as this connection would; else it
        is closed."""
        early, self._early = self._early, None
        if early is None:
            return None
        ours = (self.url, self.region, self._credentials.authorization(), self._application)
        if (early.url, early.region, early.credentials.authorization(), APPLICATION) == ours:
            return early
        await early.close()
        return None

    async def _drop(self) -> None:
        """Close the socket and stop reader and pinger; pending requests fail."""
        ws, self._ws = self._ws, None
        current = asyncio.current_task()
        tasks = [t for t in (self._pinger, self._reader) if t is not None and t is not current]
        self._pinger = self._reader = None
        if ws is not None:
            with suppress(Exception):
                await ws.close()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with suppress(BaseException):
                await task
        self._fail_pending("the connection was closed")

    # --- the tasks -------------------------------------------------------------------------

    async def _ping_loop(self) -> None:
        """Ping every `ping_interval` s; a ping left unanswered closes the socket (dead link)."""
        while True:
            await asyncio.sleep(self.ping_interval)
            try:
                await self._request("ping", {}, self.request_timeout)
            except LiveChatTimeoutError:
                log.warning("RTM ping unanswered; dropping the connection")
                ws = self._ws
                if ws is not None:
                    ws.transport.abort()
                return
            except LiveChatConnectionError:
                return
            except LiveChatError as exc:
                log.warning("RTM ping refused: %s", exc)

    async def _supervise(self) -> None:
        """Wait for the socket to end, then reconnect or go offline."""
        while not self._closing:
            reader = self._reader
            if reader is not None:
                with suppress(Exception):
                    await asyncio.shield(reader)
            if self._closing:
                return
            disconnect = self._disconnect
            await self._drop()
            if disconnect is not None:
                reason = describe_disconnect(disconnect.reason, disconnect.data, self._reason_texts)
                code = disconnect.reason
                region = _named_region(DisconnectedError(code, disconnect.data))
                if region is not None and region != self.region:
                    self._switch_region(region)
                elif not should_reconnect(code, self._token_provider is not None, self._stop_reasons):
                    self._go_offline(reason, code)
                    return
                if code == "access_token_expired" and not await self._refresh_token():
                    self._go_offline(reason, code)
                    return
            else:
                reason, code = "the connection was lost", "connection_lost"
            if not self.reconnect:
                self._go_offline(reason, code)
                return
            if not await self._reconnect_loop(reason, code):
                return

    async def _reconnect_loop(self, reason: str, code: str | None) -> bool:
        """Retry with backoff until logged in again (True) or a final error (False). A refused
        token is refreshed once through the token provider, when there is one."""
        refreshed = False
        for attempt in itertools.count(1):
            delay = self.backoff.delay(attempt)
            self._retry_now.clear()
            self._set_state(ConnectionState("reconnecting", reason, attempt, round(delay, 3), code))
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._retry_now.wait(), delay)
            self._set_state(ConnectionState("reconnecting", reason, attempt, None, code))
            try:
                await self._open_in_region()
                return True
            except FINAL_LOGIN_ERRORS as exc:
                if (
                    isinstance(exc, AuthenticationError)
                    and self._token_provider is not None
                    and not refreshed
                    and await self._refresh_token()
                ):
                    refreshed = True
                    reason, code = str(exc), exc.type
                    continue
                self._go_offline(str(exc), exc.type)
                return False
            except DisconnectedError as exc:
                if not should_reconnect(exc.reason, self._token_provider is not None, self._stop_reasons):
                    self._go_offline(exc.message, exc.reason)
                    return False
                reason, code = exc.message, exc.reason
            except LiveChatError as exc:
                reason, code = _reason(exc), exc.type
        return False  # pragma: no cover - itertools.count never ends

    async def _refresh_token(self) -> bool:
        try:
            token = self._token_provider()  # type: ignore[misc]  # only called when a provider was given
            if inspect.isawaitable(token):
                token = await token
        except Exception as exc:  # noqa: BLE001 - a provider's failure means "no token", whatever it is
            log.warning("token provider failed: %s", type(exc).__name__)
            return False
        if not token:
            return False
        self._credentials = Credentials.of(token)
        return True

    # --- state -----------------------------------------------------------------------------

    def _set_state(self, state: ConnectionState) -> None:
        if state == self._state:
            return
        self._state = state
        log.info("RTM %s%s", state.status, f": {state.reason}" if state.reason else "")
        for listener in list(self._state_listeners):
            _notify(listener, state)

    def _go_offline(self, reason: str, code: str | None = None) -> None:
        self._finished = True
        self._set_state(ConnectionState("offline", reason, 0, None, code))
        self._enqueue(WAKE)


_background: set[asyncio.Future[Any]] = set()


def _notify(listener: Callable[[Any], Any], value: Any) -> None:
    """Call a listener; a coroutine it returns runs as a task (kept referenced until done)."""
    try:
        result = listener(value)
        if inspect.isawaitable(result):
            task = asyncio.ensure_future(result)
            _background.add(task)
            task.add_done_callback(_background.discard)
    except Exception:  # noqa: BLE001 - a listener bug must not break the connection
        log.exception("RTM listener %r failed", listener)


def _named_region(exc: LiveChatError) -> str | None:
    """The region a `misdirected_request` error or `misdirected_connection` disconnect names."""
    if isinstance(exc, DisconnectedError):
        data = exc.data if exc.reason == "misdirected_connection" else None
        region = (data or {}).get("region")
    elif isinstance(exc, MisdirectedRequestError):
        region = exc.region
    else:
        region = None
    return region if isinstance(region, str) and region else None


def _reason(exc: LiveChatError) -> str:
    """The state reason for an error: connection errors speak for themselves, others keep
    their type (`authentication: Invalid access token`)."""
    return exc.message if isinstance(exc, LiveChatConnectionError) else str(exc)


def _describe(exc: BaseException) -> str:
    """A short human cause for a failed connect."""
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, OSError) and exc.errno:
        return os.strerror(exc.errno).lower()
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if status is not None:
        return f"HTTP {status} instead of a websocket"
    text = str(exc) or type(exc).__name__
    return text if len(text) < 160 else text[:160] + "…"
