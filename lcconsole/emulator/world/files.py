"""send_file / upload_image: bytes stored in SQLite, served back at `{base_url}/files/<path>`.

Paths look like `att/<32 hex>/<safe name>` (send_file) and `img/<32 hex>/<safe name>`
(upload_image); the safe name keeps ASCII letters, digits, `.`, `-` and `_` (others become `_`).
Stored events keep the relative url `/files/<path>`; it is resolved against the engine's current
base_url whenever the event is read.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from lcconsole.emulator.contract import ErrorReply, Outcome, UploadedFile
from lcconsole.emulator.world.access import load_chat
from lcconsole.emulator.world.ctx import Ctx
from lcconsole.emulator.world.customers import check_not_banned
from lcconsole.emulator.world.events import place_event
from lcconsole.wire import requests as rq
from lcconsole.wire.actions import MAX_UPLOAD_BYTES

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def image_size(data: bytes) -> tuple[str, int, int] | None:
    """(content type, width, height) of a PNG, GIF or JPEG from its header bytes, else None."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24 and data[12:16] == b"IHDR":
        return "image/png", int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return ("image/gif", int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little"))
    if data[:2] == b"\xff\xd8":
        i = 2
        for _ in range(10_000):
            if i + 9 > len(data) or data[i] != 0xFF:
                return None
            marker = data[i + 1]
            if marker == 0xFF:
                i += 1
                continue
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            length = int.from_bytes(data[i + 2 : i + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                return (
                    "image/jpeg",
                    int.from_bytes(data[i + 7 : i + 9], "big"),
                    int.from_bytes(data[i + 5 : i + 7], "big"),
                )
            if length < 2:
                return None
            i += 2 + length
    return None


def _pick(files: dict[str, UploadedFile] | None, names: tuple[str, ...], field: str) -> UploadedFile:
    """The part named one of `names` (the transport strips `payload.`), or the only part."""
    files = files or {}
    for name in names:
        if name in files:
            return files[name]
    if len(files) == 1:
        return next(iter(files.values()))
    raise ErrorReply("validation", f"{field}: a file part is required")


_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}")


def media_type(declared: str | None) -> str:
    """The declared type/subtype (lower-case, parameters dropped) when well-formed, else
    `application/octet-stream`: nothing odd (NUL, controls) is ever stored or sent back."""
    value = (declared or "").split(";", 1)[0].strip().lower()
    return value if _MEDIA_TYPE.fullmatch(value) else "application/octet-stream"


def store_file(ctx: Ctx, upload: UploadedFile, kind: str) -> dict[str, Any]:
    """Store the bytes; return the file event body (relative url) and the path."""
    data = upload.data
    if len(data) > MAX_UPLOAD_BYTES:
        raise ErrorReply("entity_too_large", "Upload limit exceeded (10MB)")
    name = (upload.filename or "file").replace("\\", "/").rsplit("/", 1)[-1] or "file"
    safe = _UNSAFE.sub("_", name)[-120:].lstrip(".") or "file"
    path = f"{kind}/{secrets.token_hex(16)}/{safe}"
    image = image_size(data)
    content_type = image[0] if image else media_type(upload.content_type)
    ctx.x(
        "INSERT INTO files(path, name, content_type, size, width, height, data, created)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (path, name, content_type, len(data), image[1] if image else None, image[2] if image else None, data, ctx.ts),
    )
    body: dict[str, Any] = {"name": name, "url": f"/files/{path}", "content_type": content_type, "size": len(data)}
    if image:
        body.update(width=image[1], height=image[2], thumbnail_url=f"/files/{path}", thumbnail2x_url=f"/files/{path}")
    return {"body": body, "path": path}


def send_file(ctx: Ctx, req: rq.SendFile, files: dict[str, UploadedFile] | None) -> Outcome:
    """Store the file and post a `file` event (a new thread when the chat is inactive)."""
    chat = load_chat(ctx, req.chat_id)
    if not ctx.is_agent:
        check_not_banned(ctx, ctx.me)
    upload = _pick(files, ("file",), "payload.file")
    stored = store_file(ctx, upload, "att")
    ev = {
        "type": "file",
        "custom_id": req.custom_id,
        "recipients": "all",
        "properties": {},
        "body": stored["body"],
        "text": stored["body"]["name"],
    }
    _, event = place_event(ctx, chat, ev, require_active=bool(req.require_active_thread))
    return Outcome({"url": event["url"]})


def upload_image(ctx: Ctx, req: rq.UploadImage, files: dict[str, UploadedFile] | None) -> Outcome:
    """Store an image; answer `{"url", "path"}`."""
    upload = _pick(files, ("image", "file"), "payload.image")
    named_image = (upload.filename or "").lower().endswith((".png", ".jpg", ".jpeg", ".gif"))
    if (
        image_size(upload.data) is None and not (upload.content_type or "").startswith("image/") and not named_image
    ):  # a part without a content type, e.g. `payload.image=test.png`
        raise ErrorReply("validation", "payload.image: not an image (png, gif or jpeg expected)")
    stored = store_file(ctx, upload, "img")
    return Outcome({"url": ctx.engine.base_url + stored["body"]["url"], "path": stored["path"]})
