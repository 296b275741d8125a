"""The emulator's Starlette app: agent Web API, agent RTM socket, customer side and files.

`create_app(engine)` wires the transports around one engine. All actions go through the app's
`Hub` (`app.state.hub`), which fans pushes out to the RTM sockets; the simulator uses the same hub.
Serving it (uvicorn, port, ready file) is the job of `cli.py` and `embedded.py`.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send

from lcconsole.emulator.http_routes import Routes, guarded, http_exception, unexpected
from lcconsole.emulator.hub import DEFAULT_TIME_LIMIT, Hub
from lcconsole.emulator.idle import IDLE_TIMEOUT
from lcconsole.emulator.lean_path import LeanPath
from lcconsole.emulator.request_bodies import DEFAULT_MAX_BODY_BYTES
from lcconsole.emulator.rtm_socket import DEFAULT_LOGIN_TIMEOUT, rtm_endpoint
from lcconsole.wire.dialects import V30

RTM_PATH = V30.rtm_path
RTM_PATH_TEMPLATE = "/v{version}/agent/rtm/ws"
"""Every version's agent socket (`dialects.VERSIONS`; others get `unsupported_version`)."""
CUSTOMER_TOKEN_PATH = "/customer/token"


class EmulatorApp(Starlette):
    """The Starlette app, with JSON actions answered by the lean path (`lean_path.py`)."""

    lean: LeanPath

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.user_middleware or not await self.lean.serve(scope, receive, send):  # middleware sees all
            await super().__call__(scope, receive, send)


def create_app(
    engine: Any,
    *,
    rate_limit: float | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    login_timeout: float = DEFAULT_LOGIN_TIMEOUT,
    request_timeout: float = DEFAULT_TIME_LIMIT,
    idle_timeout: float = IDLE_TIMEOUT,
) -> Starlette:
    """Build the ASGI app around `engine`.

    `rate_limit`: requests a second allowed per caller, Web API and RTM together (None =
    unlimited; over it -> 429 `too_many_requests` with `Retry-After`, an error frame on RTM). `max_body_bytes`: largest request body (413
    `entity_too_large` beyond it). `login_timeout`: seconds an RTM socket has to log in.
    `request_timeout`: seconds one engine call may run (504 `request_timeout` beyond it).
    `idle_timeout`: seconds a logged-in RTM socket may send no frame (pings included) before it
    is disconnected (`connection_timeout`); the HTTP side is `runner.make_server`'s.
    """
    hub = Hub(engine, time_limit=request_timeout)
    routes = Routes(hub, rate_limit=rate_limit, max_body_bytes=max_body_bytes)
    app = EmulatorApp(
        routes=[
            Route("/v{version}/agent/action/{action}", guarded(routes.agent_action), methods=["POST"]),
            Route("/v{version}/customer/action/{action}", guarded(routes.customer_action), methods=["POST"]),
            Route("/v{version}/configuration/action/{action}", guarded(routes.configuration_action), methods=["POST"]),
            Route(CUSTOMER_TOKEN_PATH, guarded(routes.customer_token), methods=["POST"]),
            Route("/files/{path:path}", guarded(routes.file), methods=["GET", "HEAD"]),
            WebSocketRoute(RTM_PATH_TEMPLATE, rtm_endpoint),
        ],
        exception_handlers={HTTPException: http_exception, Exception: unexpected},
    )
    app.lean = LeanPath(routes)
    app.state.engine = engine
    app.state.hub = hub
    app.state.limiter = routes.limiter
    app.state.login_timeout = login_timeout
    app.state.idle_timeout = idle_timeout
    return app
