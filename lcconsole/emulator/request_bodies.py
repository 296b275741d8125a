"""Reading and decoding Web API request bodies: JSON (wrapped or plain) and multipart uploads.

Everything here raises `ErrorReply`, never anything else, so the routes answer with the LiveChat
envelope. The body size is checked while streaming, before the whole body is in memory.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.types import Receive

from lcconsole.emulator.contract import ErrorReply, UploadedFile
from lcconsole.wire.actions import MAX_UPLOAD_BYTES

DEFAULT_MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 512 * 1024
"""Largest accepted request body: a 10 MB file plus room for the multipart framing."""

JSON_BODY_BYTES = 1024 * 1024
"""Largest JSON body (no file in it): a request's text is capped far below this anyway
(`lcconsole.wire.limits.PAYLOAD_BYTES`), so nothing bigger is even read."""

_BOOL_STRINGS = {"true": True, "false": False}
_BOOL_FIELDS = ("require_active_thread", "attach_to_last_thread")


def too_large(limit: int) -> ErrorReply:
    """The 413 error for a body over `limit` bytes."""
    return ErrorReply("entity_too_large", f"Request body larger than {limit} bytes")


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, refusing (413) a declared or streamed size over `limit`."""
    return await receive_body(request.receive, request.headers.get("content-length"), limit)


async def receive_body(receive: Receive, declared: str | None, limit: int) -> bytes:
    """The raw body from an ASGI `receive`, refusing (413) a `declared` (Content-Length) or
    streamed size over `limit`; a client gone midway is Starlette's `ClientDisconnect`."""
    if declared is not None:
        try:
            if int(declared) > limit:
                raise too_large(limit)
        except ValueError:
            raise ErrorReply("validation", "Invalid Content-Length header") from None
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.request":
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise too_large(limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)
        elif message["type"] == "http.disconnect":
            raise ClientDisconnect()


def media_type(request: Request) -> str:
    """The request's media type, lower-case, without parameters ('' when absent)."""
    return media_type_of(request.headers.get("content-type", ""))


def media_type_of(content_type: str) -> str:
    """A Content-Type value's media type, lower-case, without parameters."""
    return content_type.split(";", 1)[0].strip().lower()


def require_text(value: Any, where: str = "payload") -> Any:
    """`value` itself when every string in it (keys included) is encodable text; a lone
    surrogate (JSON `"\\ud800"`) is a `validation` error, so it never reaches a push or a reply."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    raise ErrorReply(
                        "validation", f"{where}: text must be valid Unicode (no lone surrogates)"
                    ) from None
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return value


def decode_json(body: bytes) -> dict[str, Any]:
    """The action payload of a JSON body: `{"payload": {...}}` unwrapped, a plain object as is."""
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ErrorReply("validation", f"Malformed JSON body: {exc}") from None
    except RecursionError:
        raise ErrorReply("validation", "Malformed JSON body: nested too deeply") from None
    if not isinstance(data, dict):
        raise ErrorReply("validation", f"Request body must be a JSON object, not {_kind(data)}")
    require_text(data)
    if "payload" in data:
        payload = data["payload"]
        if payload is None:
            return {}
        if not isinstance(payload, dict):
            raise ErrorReply("validation", f"payload: must be an object, not {_kind(payload)}")
        return payload
    return data


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null"
    return f"a {type(value).__name__}"


async def decode_multipart(request: Request, body: bytes) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Form fields (`payload.x` or `x`) and file parts of a multipart body; files over 10 MB -> 413."""
    consumed = False

    async def replay() -> dict[str, Any]:
        nonlocal consumed
        if consumed:
            return {"type": "http.request", "body": b"", "more_body": False}
        consumed = True
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=4, max_fields=64)
    except ErrorReply:
        raise
    except Exception as exc:
        raise ErrorReply("validation", f"Malformed multipart body: {exc}") from None
    fields: dict[str, Any] = {}
    files: dict[str, UploadedFile] = {}
    try:
        for key, value in form.multi_items():
            name = key[len("payload.") :] if key.startswith("payload.") else key
            if isinstance(value, UploadFile):
                data = await value.read(MAX_UPLOAD_BYTES + 1)
                if len(data) > MAX_UPLOAD_BYTES:
                    raise ErrorReply("entity_too_large")
                files[name] = UploadedFile(
                    filename=value.filename or name,
                    content_type=value.content_type or "application/octet-stream",
                    data=data,
                )
            elif name in _BOOL_FIELDS and value.lower() in _BOOL_STRINGS:
                fields[name] = _BOOL_STRINGS[value.lower()]
            else:
                fields[name] = value
    finally:
        await form.close()
    return require_text(fields), files


async def read_action_request(
    request: Request, *, multipart: bool, limit: int
) -> tuple[dict[str, Any], dict[str, UploadedFile] | None]:
    """Payload and files of one action request, checking the content type the action needs."""
    kind = media_type(request)
    if kind == "multipart/form-data" and multipart:
        body = await read_body(request, limit)
        return await decode_multipart(request, body)
    check_json_type(kind, multipart)
    return decode_json(await read_body(request, min(limit, JSON_BODY_BYTES))), None


def check_json_type(kind: str, multipart: bool) -> None:
    """`validation` unless a JSON body (media type `kind`) is what the action takes."""
    if kind == "multipart/form-data":
        raise ErrorReply("validation", "This action expects an application/json body")
    if multipart:
        raise ErrorReply("validation", "This action expects a multipart/form-data body with a file")
    if kind and kind != "application/json" and not kind.endswith("+json"):
        raise ErrorReply("validation", f"Unsupported Content-Type {kind!r}; expected application/json")
