"""HTTP routes: the agent Web API, the customer side, stored files, and envelope-only errors.

Every answer that is not a success is the LiveChat envelope `{"error": {"type", "message"}}`
with the status `lcconsole.wire.errors` gives its type (405 for a wrong method); unexpected
exceptions become `internal` envelopes and are logged, never a traceback.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive

from lcconsole.emulator.contract import ErrorReply, Principal
from lcconsole.emulator.dialects import V30, V36, check_sizes, check_version
from lcconsole.emulator.hub import Hub, dumps
from lcconsole.emulator.request_bodies import (
    JSON_BODY_BYTES,
    check_json_type,
    decode_json,
    media_type,
    media_type_of,
    read_action_request,
    read_body,
    receive_body,
)
from lcconsole.emulator.v36.customer import HANDLERS as CUSTOMER_HANDLERS_V36
from lcconsole.emulator.v36.customer import MULTIPART as CUSTOMER_MULTIPART_V36
from lcconsole.emulator.world.files import media_type as file_type
from lcconsole.wire.actions import ACTIONS, CUSTOMER_ACTIONS, RTM_ONLY_ACTIONS
from lcconsole.wire.errors import envelope, status_for
from lcconsole.wire.v36.actions import ACTIONS as ACTIONS_V36

log = logging.getLogger("lcconsole.emulator")

Endpoint = Callable[[Request], Awaitable[Response]]

INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
"""Uploads a browser may show inline; any other type is served as an attachment."""

REGION = "dal"
"""The emulator's one data center: a v3.6 request sent with another `X-Region` is
`misdirected_request` with `data.region` naming this one."""

VISIT_ACTIONS = ("start_visit", "update_customer_page", "end_visit")
"""Emulator customer actions beyond CUSTOMER_ACTIONS: the customer's website visit."""


def json_response(payload: Any, status: int = 200, headers: dict[str, Any] | None = None) -> Response:
    """A compact JSON response."""
    return Response(dumps(payload).encode(), status, headers, media_type="application/json")


def error_response(error: ErrorReply, headers: dict[str, Any] | None = None) -> Response:
    """The envelope response for an ErrorReply."""
    return json_response(envelope(error.type, error.message, error.data), status_for(error.type), headers)


def _name(action: str) -> str:
    return action if len(action) <= 64 else action[:64] + "…"


class RateLimiter:
    """A token bucket per caller: `rate` requests a second, bursts up to `rate` (at least 1)."""

    def __init__(self, rate: float) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(1.0, rate)
        self._buckets: dict[str, tuple[float, float]] = {}

    def retry_after(self, key: str) -> int | None:
        """Take one request from `key`'s bucket: None when allowed, else seconds to wait."""
        now = time.monotonic()
        tokens, last = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            return None
        self._buckets[key] = (tokens, now)
        return max(1, math.ceil((1.0 - tokens) / self.rate))


class Routes:
    """The HTTP endpoints of one app, bound to its hub and limits."""

    def __init__(self, hub: Hub, *, rate_limit: float | None, max_body_bytes: int) -> None:
        self.hub = hub
        self.engine = hub.engine
        self.limiter = RateLimiter(rate_limit) if rate_limit else None
        self.max_body_bytes = max_body_bytes
        self._callers: dict[str, str] = {}
        """Authorization header -> the rate-limit key of the caller it last authenticated:
        a known caller over its limit is refused before any engine work."""

    # --- helpers ---------------------------------------------------------------------------

    @staticmethod
    def credential(authorization: str) -> str:
        """The Authorization header value, if it has a known scheme and a credential."""
        header = authorization.strip()
        scheme, _, credential = header.partition(" ")
        if scheme.lower() not in ("bearer", "basic") or not credential.strip():
            raise ErrorReply(
                "authentication",
                "Missing or malformed Authorization header (Bearer <token> or Basic <base64(account_id:PAT)>)",
            )
        return header

    def _credential(self, request: Request) -> str:
        return self.credential(request.headers.get("authorization", ""))

    async def _principal(self, request: Request, kind: str) -> Principal:
        return await self.hub.call(self.engine.authenticate, self._credential(request), kind)

    def _own_host(self, host: str) -> bool:
        port = urlsplit(self.engine.base_url).port
        names = {urlsplit(self.engine.base_url).netloc}
        names.update(f"{name}:{port}" for name in ("localhost", "127.0.0.1", "[::1]"))
        return host.lower() in names

    def _limited(self, key: str) -> Response | None:
        """The 429 response when `key`'s bucket is empty (None: go ahead)."""
        if self.limiter is None:
            return None
        wait = self.limiter.retry_after(key)
        if wait is None:
            return None
        return error_response(ErrorReply("too_many_requests"), {"Retry-After": str(wait)})

    async def _run(self, request: Request, kind: str, action: str, multipart: bool, version: str = V30) -> Response:
        if self.limiter is None and not multipart:
            return await self._run_json(request, kind, action, version)
        header = request.headers.get("authorization", "")
        key = self._callers.get(header) if self.limiter is not None else None
        limited = self._limited(key) if key is not None else None
        if limited is not None:
            return limited
        principal = await self._principal(request, kind)
        if key is None and self.limiter is not None:
            if len(self._callers) >= 4096:
                self._callers.clear()
            key = self._callers[header] = f"{principal.kind}:{principal.id}"
            limited = self._limited(key)
            if limited is not None:
                return limited
        payload, files = await read_action_request(request, multipart=multipart, limit=self.max_body_bytes)
        outcome = await self.hub.execute(principal, action, payload, files, version)
        return json_response(outcome.payload)

    async def _run_json(self, request: Request, kind: str, action: str, version: str) -> Response:
        headers = request.headers
        payload = await self.run_json(
            kind,
            action,
            version,
            headers.get("authorization", ""),
            headers.get("content-type", ""),
            headers.get("content-length"),
            request.receive,
        )
        return json_response(payload)

    async def run_json(
        self,
        kind: str,
        action: str,
        version: str,
        authorization: str,
        content_type: str,
        content_length: str | None,
        receive: Receive,
    ) -> dict[str, Any]:
        """The answer to a JSON action with no rate limit, in one engine call (`_run` for the
        common case; also the lean path's, `lean_path.py`): the body is read first, but a bad
        credential still wins over a bad body, as in `_run`."""
        credential = self.credential(authorization)
        try:
            check_json_type(media_type_of(content_type), False)
            body = await receive_body(receive, content_length, min(self.max_body_bytes, JSON_BODY_BYTES))
            payload, error = decode_json(body), None
        except ErrorReply as exc:
            payload, error = {}, exc
        outcome = await self.hub.execute_as(credential, kind, action, payload, version, error)
        return outcome.payload

    # --- endpoints -------------------------------------------------------------------------

    async def agent_action(self, request: Request) -> Response:
        """`POST /v{version}/agent/action/{action}`: v3.0 or v3.6 (`unsupported_version` for
        any other version)."""
        action = request.path_params["action"]
        region = request.headers.get("x-region", "")
        version, multipart = self.agent_target(request.path_params["version"], action, region)
        return await self._run(request, "agent", action, multipart, version)

    async def customer_action(self, request: Request) -> Response:
        """`POST /v{version}/customer/action/{action}`. v3.0: CUSTOMER_ACTIONS and the
        VISIT_ACTIONS (`start_visit`, `update_customer_page` `{"url", "title"?, "referrer"?}`,
        `end_visit`; see lcconsole.emulator.world.visits). v3.6: `emulator/v36/customer.py`."""
        action = request.path_params["action"]
        version, multipart = self.customer_target(request.path_params["version"], action)
        return await self._run(request, "customer", action, multipart, version)

    @staticmethod
    def agent_target(version: str, action: str, region: str) -> tuple[str, bool]:
        """The version of an agent action request and whether it takes a file (multipart);
        `ErrorReply` for a version, region or action the emulator does not serve."""
        version = check_version(version)
        if version == V36:
            region = region.strip().lower()
            if region not in ("", REGION):
                raise ErrorReply("misdirected_request", "Wrong region", {"region": REGION})
            spec36 = ACTIONS_V36.get(action)
            if spec36 is None:
                raise ErrorReply("not_found", f"Unknown action: {_name(action)}")
            if not spec36.web:
                raise ErrorReply("not_found", f"Action {action} is available over RTM only")
            return V36, spec36.multipart
        spec = ACTIONS.get(action)
        if spec is None:
            if action in RTM_ONLY_ACTIONS:
                raise ErrorReply("not_found", f"Action {action} is available over RTM only")
            raise ErrorReply("not_found", f"Unknown action: {_name(action)}")
        return V30, spec.multipart

    @staticmethod
    def customer_target(version: str, action: str) -> tuple[str, bool]:
        """`agent_target` for a customer action request."""
        version = check_version(version)
        if version == V36:
            if action not in CUSTOMER_HANDLERS_V36:
                raise ErrorReply("not_found", f"Unknown customer action: {_name(action)}")
            return V36, action in CUSTOMER_MULTIPART_V36
        if action not in CUSTOMER_ACTIONS and action not in VISIT_ACTIONS:
            raise ErrorReply("not_found", f"Unknown customer action: {_name(action)}")
        return V30, action == "send_file"

    async def configuration_action(self, request: Request) -> Response:
        """`POST /v{version}/configuration/action/{action}`: the Configuration API's
        `list_groups` (agent credentials, scope `groups--all:ro`; see `world/groups.py`); any
        other configuration action is `not_found`."""
        action = request.path_params["action"]
        check_version(request.path_params["version"])
        if action != "list_groups":
            raise ErrorReply("not_found", f"Unknown configuration action: {_name(action)}")
        principal = await self._principal(request, "agent")
        limited = self._limited(f"{principal.kind}:{principal.id}") if self.limiter is not None else None
        if limited is not None:
            return limited
        payload, _ = await read_action_request(request, multipart=False, limit=self.max_body_bytes)
        return json_response(await self.hub.call(self.engine.list_groups, principal, payload))

    async def customer_token(self, request: Request) -> Response:
        """`POST /customer/token` with `{"name"?, "email"?}` -> `{"customer_id", "access_token"}`.

        The new customer's website visit starts (customer_visit_started to customers:ro agents)
        with the request's address and User-Agent. A web page cannot call it: the body must be
        `application/json` (no simple cross-site request) and `Host` must name this server (no
        DNS rebinding).
        """
        if media_type(request) != "application/json":
            raise ErrorReply("validation", "Content-Type must be application/json")
        if not self._own_host(request.headers.get("host", "")):
            raise ErrorReply("authorization", "Host does not name this server")
        address = request.client.host if request.client else ""
        limited = self._limited(f"token:{address}")
        if limited is not None:
            return limited
        data = decode_json(await read_body(request, 64 * 1024))
        check_sizes(data)
        for key in ("name", "email"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise ErrorReply("validation", f"{key}: must be a string")
        outcome = await self.hub.call(self.engine.create_customer_token, data.get("name"), data.get("email"))
        self.hub.deliver(outcome.pushes)
        created = outcome.payload
        principal = Principal("customer", created["customer_id"])
        visit = {
            "ip": request.client.host if request.client else "",
            "user_agent": request.headers.get("user-agent", "")[:512],
        }
        try:
            await self.hub.execute(principal, "start_visit", visit)
        except ErrorReply as error:  # the customer exists either way; its token is what matters
            log.warning("could not start the new customer's visit: %s", error.type)
        return json_response(created)

    async def file(self, request: Request) -> Response:
        """`GET /files/{path}`: a stored upload, never run by a browser on this origin.

        Only raster images of `INLINE_TYPES` show inline; everything else (HTML, SVG, ...) is
        an attachment. `nosniff` and a sandboxing CSP hold either way.
        """
        path = request.path_params["path"]
        found = await self.hub.call(self.engine.read_file, path)
        if found is None:
            raise ErrorReply("not_found", "File not found")
        data, content_type = found
        content_type = file_type(content_type)
        name = path.rsplit("/", 1)[-1]  # the stored safe name: ASCII letters, digits, . - _
        disposition = "inline" if content_type in INLINE_TYPES else "attachment"
        return Response(
            data,
            media_type=content_type,
            headers={
                "Cache-Control": "max-age=86400",
                "Content-Disposition": f'{disposition}; filename="{name}"',
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; sandbox",
            },
        )


def guarded(endpoint: Endpoint) -> Endpoint:
    """Wrap an endpoint so every failure is an envelope response."""

    async def run(request: Request) -> Response:
        try:
            return await endpoint(request)
        except ErrorReply as error:
            return error_response(error)
        except Exception:
            log.exception("internal error while serving %s", request.url.path[:200])
            return error_response(ErrorReply("internal"))

    return run


async def http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 (unknown path, wrong method) as envelopes."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 405:
        allow = (getattr(exc, "headers", None) or {}).get("Allow", "POST")
        body = envelope("validation", f"Method {request.method} not allowed here; use {allow}")
        return json_response(body, 405, {"Allow": allow})
    if status == 404:
        return error_response(ErrorReply("not_found", f"No such endpoint: {request.url.path[:200]}"))
    return error_response(ErrorReply("validation", str(getattr(exc, "detail", "")) or None))


async def unexpected(request: Request, exc: Exception) -> Response:
    """Last resort: anything that escaped a route is an `internal` envelope (and logged)."""
    log.error("unhandled %s while serving %s", type(exc).__name__, request.url.path[:200])
    return error_response(ErrorReply("internal"))
