"""The transport core of `AgentClient`: one httpx client, request building, errors, retries.

`AgentClient` (api/client.py) adds one typed method per action on top of `_invoke`; `call` is the
raw path used by `lcconsole api`.
"""

from __future__ import annotations

import json as jsonlib
import logging
import re
import ssl
from collections.abc import Callable, Mapping
from typing import Any, Literal, Self, overload

import httpx
from pydantic import BaseModel, RootModel
from pydantic import ValidationError as PydanticValidationError

from lcconsole import __version__
from lcconsole.api.retry import RetryPolicy, classify, parse_retry_after
from lcconsole.api.uploads import FileSource, PreparedFile, prepare_file
from lcconsole.errors import (
    ClientClosedError,
    LiveChatConnectionError,
    LiveChatError,
    LiveChatTimeoutError,
    MisdirectedRequestError,
    RequestValidationError,
    ResponseValidationError,
    TransportError,
    error_for,
    error_from_status,
)
from lcconsole.secret import Credentials
from lcconsole.wire.dialects import DEFAULT_BASE_URL, V30, Dialect
from lcconsole.wire.validation import first_problem

log = logging.getLogger("lcconsole.api")


_SSL_CONTEXT: ssl.SSLContext | None = None


def shared_ssl_context() -> ssl.SSLContext:
    """One SSL context for every client (building one costs ~16 ms)."""
    global _SSL_CONTEXT
    if _SSL_CONTEXT is None:
        _SSL_CONTEXT = ssl.create_default_context()
    return _SSL_CONTEXT


_PLAIN_CONTEXT: ssl.SSLContext | None = None


def ssl_context_for(base_url: str) -> ssl.SSLContext:
    """The shared verifying context for an https base URL; for plain http (the local emulator) a
    context without loaded CA certificates (0.1 ms instead of ~16 ms): it is never used, and any
    https URL reached with it fails verification instead of being trusted."""
    global _PLAIN_CONTEXT
    if base_url.lower().startswith("https:"):
        return shared_ssl_context()
    if _PLAIN_CONTEXT is None:
        _PLAIN_CONTEXT = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return _PLAIN_CONTEXT


def build_payload(action: str, params: Mapping[str, Any], dialect: Dialect = V30) -> dict[str, Any]:
    """Validate `params` with the action's request model and dump it (`exclude_none=True`)."""
    # loaded on the first request, not with the client: the RTM login does not wait for it
    model = dialect.request_models.get(action)
    if model is None:
        raise RequestValidationError(f"unknown action {action!r}", field="action", action=action)
    if not isinstance(params, Mapping):
        raise RequestValidationError(f"{action}: the payload must be a JSON object", action=action)
    try:
        return model.model_validate({k: v for k, v in params.items() if v is not None}).model_dump(
            exclude_none=True, by_alias=True
        )
    except PydanticValidationError as exc:
        field, problem = first_problem(exc)
        raise RequestValidationError(
            f"{action}: {field}: {problem}" if field else f"{action}: {problem}", field=field, action=action
        ) from None


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return jsonlib.dumps(value)
    return str(value)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class BaseClient:
    """Connection, auth headers, error mapping and the retry loop shared by every action.

    Everything that differs between API versions comes from `dialect` (paths, the action table,
    request/response models, multipart part names): the one version seam of the client."""

    dialect: Dialect = V30

    def __init__(
        self,
        *,
        token: str | Credentials | None = None,
        account_id: str | None = None,
        pat: str | None = None,
        base_url: str | None = None,
        region: str | None = None,
        timeout: float | httpx.Timeout = 20.0,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        wrap_payload: bool = False,
    ) -> None:
        if pat is not None or account_id is not None:
            if token is not None:
                raise ValueError("give either a token or account_id + pat, not both")
            if not account_id or not pat:
                raise ValueError("a PAT needs both account_id and pat")
            self._credentials = Credentials.basic(account_id, pat)
        elif token:
            self._credentials = Credentials.of(token)
        else:
            raise ValueError("a token (or account_id + pat) is required")
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.region = region
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.wrap_payload = wrap_payload
        """Send JSON bodies as `{"payload": {...}}` (the strict v3.0 form) instead of bare."""
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._closed = False
        self.keep_last_body = False
        """Keep `last_body` (`lcconsole api`). Off by default: a 10k-event thread is ~2.5 MB
        the console would hold until its next request."""
        self.last_body: bytes | None = None
        """With `keep_last_body`: the body of the last successful answer, as the server sent it."""

    @property
    def auth_scheme(self) -> str:
        """`Bearer` (OAuth token) or `Basic` (account id + PAT)."""
        return self._credentials.scheme

    @property
    def version(self) -> str:
        """The Agent Chat API version this client speaks."""
        return self.dialect.version

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(version={self.version!r}, base_url={self.base_url!r}, "
            f"region={self.region!r}, token='***')"
        )

    __str__ = __repr__

    # --- lifetime ---------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        self._http()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool; the client cannot be used afterwards."""
        self._closed = True
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()

    def _http(self) -> httpx.AsyncClient:
        if self._closed:
            raise ClientClosedError()
        if self._client is None:
            headers = {
                "Authorization": self._credentials.authorization(),
                "Accept": "application/json",
                "User-Agent": f"lcconsole/{__version__}",
            }
            if self.region:
                headers["X-Region"] = self.region
            self._client = httpx.AsyncClient(
                headers=headers,
                timeout=self.timeout,
                transport=self._transport,
                verify=ssl_context_for(self.base_url),
                follow_redirects=False,
            )
        return self._client

    def _scrub(self, text: str) -> str:
        return self._credentials.scrub(text)

    async def _switch_region(self, region: str) -> None:
        """Send every later request with `X-Region: region` (a new connection pool)."""
        log.info("switching to region %s", region)
        self.region = region
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()

    # --- one attempt ------------------------------------------------------------------------

    def _transport_error(self, exc: Exception, action: str) -> TransportError:
        text = self._scrub(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
        message = f"{action}: {text} ({self.base_url})"
        if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
            return LiveChatTimeoutError("timeout", message, request_sent=False, action=action)
        if isinstance(exc, httpx.TimeoutException):
            return LiveChatTimeoutError("timeout", message, request_sent=True, action=action)
        if isinstance(exc, httpx.ConnectError):
            return LiveChatConnectionError("connection", message, request_sent=False, action=action)
        if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
            return LiveChatConnectionError("connection", message, request_sent=False, retryable=False, action=action)
        return LiveChatConnectionError("connection", message, request_sent=True, action=action)

    def _error_from_response(self, response: httpx.Response, action: str) -> LiveChatError:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        try:
            body = response.json()
        except ValueError:
            body = None
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and isinstance(error.get("type"), str) and error["type"]:
            message = error.get("message")
            data = error.get("data") if isinstance(error.get("data"), dict) else None
            return error_for(
                error["type"],
                self._scrub(str(message)) if message else None,
                response.status_code,
                data,
                action=action,
                retry_after=retry_after,
            )
        excerpt = _CONTROL.sub(" ", " ".join(response.text.split()))[:200] if response.content else ""
        return error_from_status(
            response.status_code, response.reason_phrase, self._scrub(excerpt), action=action, retry_after=retry_after
        )

    async def _send_once(
        self, action: str, payload: dict[str, Any], upload: PreparedFile | None, undecoded: bool = False
    ) -> dict[str, Any] | list[Any] | bytes:
        url = f"{self.base_url}{self.dialect.action_path}{action}"
        http = self._http()
        failure: LiveChatError | None = None
        response: httpx.Response | None = None
        to_close = None
        try:
            if upload is not None:
                stream, owned = upload.open()
                to_close = stream if owned else None
                prefix = self.dialect.form_prefix
                form = {f"{prefix}{k}": _form_value(v) for k, v in payload.items()}
                files = {f"{prefix}{self.dialect.upload_parts[action]}": (upload.filename, stream, upload.content_type)}
                response = await http.post(url, data=form, files=files)
            else:
                body = {"payload": payload} if self.wrap_payload else payload
                response = await http.post(url, json=body)
        except httpx.HTTPError as exc:
            failure = self._transport_error(exc, action)
        except OSError as exc:  # reading the upload failed midway
            failure = RequestValidationError(
                f"{action}: cannot read the file: {exc.strerror or exc}",
                field=self.dialect.upload_parts.get(action),
                action=action,
            )
        finally:
            if to_close is not None:
                to_close.close()
        if failure is not None:  # raised outside the except block: no httpx exception in the chain
            raise failure
        assert response is not None
        log.debug("%s -> HTTP %s", action, response.status_code)
        if not response.is_success:
            raise self._error_from_response(response, action)
        if self.keep_last_body:
            self.last_body = response.content
        if not response.content.strip():
            return {}
        if undecoded:
            return response.content
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) and not (isinstance(data, list) and self._answers_array(action)):
            raise ResponseValidationError(action, "", "the body is not a JSON object", response.status_code)
        return data

    def _answers_array(self, action: str) -> bool:
        """Whether the action's response is a top-level array (two v3.6 actions)."""
        model = self.dialect.response_models.get(action)
        return isinstance(model, type) and issubclass(model, RootModel)

    # --- retries ----------------------------------------------------------------------------

    async def _execute(
        self, action: str, payload: dict[str, Any], upload: PreparedFile | None = None, undecoded: bool = False
    ) -> dict[str, Any] | list[Any] | bytes:
        """Send with the retry rule documented in `lcconsole.api.retry`."""
        spec = self.dialect.actions[action]
        custom_id = None
        if action == "send_event" and isinstance(payload.get("event"), dict):
            custom_id = payload["event"].get("custom_id") or None
        attempt = 0
        switched = False
        while True:
            attempt += 1
            try:
                return await self._send_once(action, payload, upload, undecoded)
            except LiveChatError as err:
                if (
                    isinstance(err, MisdirectedRequestError)
                    and not switched
                    and err.region
                    and err.region != self.region
                ):
                    # the request was refused, not processed: safe to send again, once
                    switched = True
                    attempt -= 1
                    await self._switch_region(str(err.region))
                    continue
                kind = classify(err)
                if kind is None or (not spec.idempotent and custom_id is None):
                    raise
                if custom_id is not None and kind == "ambiguous":
                    landed = await self._find_sent_event(payload["chat_id"], custom_id, err)
                    if landed is not None:
                        log.debug("send_event: custom_id %s already landed", custom_id)
                        return landed
                delay = self.retry.delay_for(err, attempt)
                if attempt >= self.retry.max_attempts or delay is None:
                    raise
                log.debug("%s failed (%s); retry %d in %.2fs", action, err.type, attempt, delay)
                await self.retry.sleep(delay)

    async def _find_sent_event(self, chat_id: str, custom_id: str, original: LiveChatError) -> dict[str, Any] | None:
        """The `send_event` result if an event with `custom_id` is in the chat's latest threads
        (v3.0 actions; the v3.6 client overrides this)."""
        try:
            summary = await self._execute("get_chat_threads_summary", {"chat_id": chat_id, "order": "desc", "limit": 3})
            rows = summary.get("threads_summary") if isinstance(summary, dict) else None
            ids = [
                i
                for t in rows or []
                if isinstance(t, dict)
                for i in (t.get("id") or t.get("thread_id"),)
                if isinstance(i, str)
            ][:3]
            if not ids:
                return None
            found = await self._execute("get_chat_threads", {"chat_id": chat_id, "thread_ids": ids})
        except LiveChatError:
            raise original from None
        chat = found.get("chat") if isinstance(found, dict) else None
        chat = chat if isinstance(chat, dict) else {}
        for thread in chat.get("threads") or []:
            if not isinstance(thread, dict):
                continue
            for event in thread.get("events") or []:
                if isinstance(event, dict) and event.get("custom_id") == custom_id:
                    return {"thread_id": thread.get("id"), "event": event}
        return None

    # --- entry points -----------------------------------------------------------------------

    def _prepare_upload(
        self, action: str, source: FileSource | None, filename: str | None = None, content_type: str | None = None
    ) -> PreparedFile | None:
        parts = self.dialect.upload_parts
        if action not in parts:
            return None
        part = parts[action]
        if source is None:
            raise RequestValidationError(f"{action}: payload.{part}: a file is required", field=part, action=action)
        return prepare_file(source, filename=filename, content_type=content_type, part=part, action=action)

    @overload
    async def call(
        self,
        action: str,
        payload: Mapping[str, Any] | None = None,
        files: Mapping[str, FileSource] | None = None,
        *,
        undecoded: Literal[False] = False,
    ) -> dict[str, Any] | list[Any]: ...

    @overload
    async def call(
        self,
        action: str,
        payload: Mapping[str, Any] | None = None,
        files: Mapping[str, FileSource] | None = None,
        *,
        undecoded: Literal[True],
    ) -> dict[str, Any] | list[Any] | bytes: ...

    async def call(
        self,
        action: str,
        payload: Mapping[str, Any] | None = None,
        files: Mapping[str, FileSource] | None = None,
        *,
        undecoded: bool = False,
    ) -> dict[str, Any] | list[Any] | bytes:
        """Run any Web action of this version with a raw payload; returns the server's JSON (`{}`
        if none; a list for the two v3.6 actions that answer with an array). `undecoded`: the
        body's bytes instead, for a reader that parses as it validates (`parse_response` then
        turns bad JSON into a `ResponseValidationError` too).

        The payload is validated with the action's request model first. Pass the file of a
        multipart action as `files={"<part>": ...}` (`file` for v3.6 `upload_file` and v3.0
        `send_file`, `image` for `upload_image`): a path, bytes or a binary file object. A
        wrapped payload (`{"payload": {...}}`) is unwrapped first.
        """
        payload = payload or {}
        inner = payload.get("payload") if isinstance(payload, Mapping) and len(payload) == 1 else None
        if isinstance(inner, Mapping):
            payload = inner
        if action not in self.dialect.actions:
            raise RequestValidationError(
                f"unknown action {action!r} in API v{self.version}", field="action", action=action
            )
        body = build_payload(action, payload, self.dialect)
        source = None
        parts = self.dialect.upload_parts
        if action in parts and files:
            source = files.get(parts[action], files.get(f"{self.dialect.form_prefix}{parts[action]}"))
        upload = self._prepare_upload(action, source)
        return await self._execute(action, body, upload, undecoded)

    async def _invoke(
        self,
        action: str,
        params: Mapping[str, Any],
        *,
        upload: FileSource | None = None,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> Any:
        """Build, send and parse one typed action; no-payload actions return None."""
        body = build_payload(action, params, self.dialect)
        prepared = self._prepare_upload(action, upload, filename, content_type)
        raw = await self._execute(action, body, prepared)
        return self.parse_response(action, raw)

    @classmethod
    def parse_response(
        cls, action: str, raw: dict[str, Any] | list[Any] | bytes, parse: Callable[[Any], BaseModel] | None = None
    ) -> BaseModel | None:
        """Validate a raw response into the action's model (None for no-payload actions);
        `parse` validates instead of the model's own `model_validate` (the console's compact
        thread read, `wire.compact_events.chat_threads_answer`)."""
        model = cls.dialect.response_models[action]
        if model is None:
            return None
        try:
            return (parse or model.model_validate)(raw)
        except PydanticValidationError as exc:
            field, problem = first_problem(exc)
            raise ResponseValidationError(action, field, problem) from None
        except ValueError:  # an undecoded body that is not JSON
            raise ResponseValidationError(action, "", "the body is not a JSON object") from None
