"""The lean path of a JSON action: `POST /v{version}/{agent|customer}/action/{action}` answered
straight from the ASGI scope, without Starlette's middleware, router, Request and Response.

It is the Web API's hot path (docs/benchmarks.md, "emulator send_event"): those layers cost more
CPU than the checks they carry. It serves only what `Routes.run_json` serves (a known action
that takes JSON, no rate limit) with the same code; every other request, and every error of the
routing itself, goes on to the Starlette app, so each answer is the one the app would give.
"""

from __future__ import annotations

import logging

from starlette.types import Receive, Scope, Send

from lcconsole.emulator.contract import ErrorReply
from lcconsole.emulator.http_routes import Routes, error_response
from lcconsole.emulator.hub import dumps

log = logging.getLogger("lcconsole.emulator")

_WANTED = frozenset({b"authorization", b"content-type", b"content-length", b"x-region"})


class LeanPath:
    """Serves the JSON action requests it can (`serve`) with one `Routes`' code and limits."""

    def __init__(self, routes: Routes) -> None:
        self.routes = routes

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Answer the request and return True, or return False having touched nothing."""
        if scope["type"] != "http" or scope["method"] != "POST" or self.routes.limiter is not None:
            return False
        if scope.get("root_path"):
            return False
        # the routes' pattern: /v{version}/{kind}/action/{action}, each part non-empty
        parts = scope["path"].split("/")
        if len(parts) != 5 or parts[0] or parts[3] != "action" or len(parts[1]) < 2 or parts[1][0] != "v":
            return False
        kind, action = parts[2], parts[4]
        if not action or kind not in ("agent", "customer"):
            return False
        headers: dict[bytes, bytes] = {}
        for name, value in scope["headers"]:
            if name in _WANTED and name not in headers:  # the first one counts, as in Starlette
                headers[name] = value
        try:
            if kind == "agent":
                region = headers.get(b"x-region", b"").decode("latin-1")
                version, multipart = Routes.agent_target(parts[1][1:], action, region)
            else:
                version, multipart = Routes.customer_target(parts[1][1:], action)
        except ErrorReply:
            return False  # the app's routes answer it
        if multipart:
            return False
        length = headers.get(b"content-length")
        try:
            payload = await self.routes.run_json(
                kind,
                action,
                version,
                headers.get(b"authorization", b"").decode("latin-1"),
                headers.get(b"content-type", b"").decode("latin-1"),
                None if length is None else length.decode("latin-1"),
                receive,
            )
        except ErrorReply as error:
            await error_response(error)(scope, receive, send)
            return True
        except Exception:
            log.exception("internal error while serving %s", scope["path"][:200])
            await error_response(ErrorReply("internal"))(scope, receive, send)
            return True
        body = dumps(payload).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-length", str(len(body)).encode()), (b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})
        return True
