"""Files for `send_file` / `upload_image`: size checks before upload, streamed multipart parts.

A source is a path, a binary file object or bytes. Its size is known before anything is sent
(stat, seek/tell, or — for unseekable streams — reading at most MAX_UPLOAD_BYTES + 1 bytes), and
a file over `MAX_UPLOAD_BYTES` is refused with `FileTooLargeError`. Paths and file objects are then
streamed by httpx's multipart encoder in chunks, never read whole into memory.
"""

from __future__ import annotations

import io
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Union

from lcconsole.errors import FileTooLargeError, RequestValidationError
from lcconsole.wire.actions import MAX_UPLOAD_BYTES

FileSource = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]
"""What `send_file(file=...)` / `upload_image(image=...)` accept."""


@dataclass
class PreparedFile:
    """A checked upload: name, type, size, and how to get a readable binary stream."""

    filename: str
    content_type: str
    size: int
    path: Path | None = None
    stream: IO[bytes] | None = None
    start: int | None = None
    """Where a seekable stream's data begins: each attempt (e.g. the region retry) re-reads it."""

    def open(self) -> tuple[IO[bytes], bool]:
        """(binary stream, whether the caller must close it), positioned at the start of the data."""
        if self.path is not None:
            try:
                return open(self.path, "rb"), True
            except OSError as exc:
                raise RequestValidationError(f"cannot read {self.filename}: {exc.strerror}", field="file") from None
        assert self.stream is not None
        if self.start is not None:
            self.stream.seek(self.start)
        return self.stream, False


def _limit_check(size: int, filename: str, action: str | None, limit: int) -> None:
    if size > limit:
        raise FileTooLargeError(
            f"{filename} is {size} bytes; uploads are limited to {limit} bytes (10 MB)",
            size=size,
            limit=limit,
            action=action,
        )


def _guess_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def prepare_file(
    source: FileSource,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    part: str = "file",
    action: str | None = None,
    limit: int = MAX_UPLOAD_BYTES,
) -> PreparedFile:
    """Check `source` and its size; raise RequestValidationError / FileTooLargeError."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            st = path.stat()
        except OSError as exc:
            raise RequestValidationError(
                f"{part}: cannot read {path}: {exc.strerror or exc}", field=part, action=action
            ) from None
        if not path.is_file():
            raise RequestValidationError(f"{part}: {path} is not a regular file", field=part, action=action)
        name = filename or path.name
        _limit_check(st.st_size, name, action, limit)
        return PreparedFile(name, content_type or _guess_type(name), st.st_size, path=path)

    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = filename or part
        _limit_check(len(data), name, action, limit)
        return PreparedFile(name, content_type or _guess_type(name), len(data), stream=io.BytesIO(data), start=0)

    if isinstance(source, io.TextIOBase) or not hasattr(source, "read"):
        raise RequestValidationError(
            f"{part}: expected a path, bytes or a binary file object", field=part, action=action
        )
    name = filename or os.path.basename(str(getattr(source, "name", "") or "")) or part
    stream: IO[bytes] = source
    size: int | None = None
    start: int | None = None
    try:
        if source.seekable():
            start = source.tell()
            size = source.seek(0, io.SEEK_END) - start
            source.seek(start)
    except (OSError, ValueError, AttributeError):
        size = start = None
    if size is None:
        data = source.read(limit + 1)
        if not isinstance(data, bytes):
            raise RequestValidationError(
                f"{part}: file object must be opened in binary mode", field=part, action=action
            )
        size = len(data)
        _limit_check(size, name, action, limit)
        stream, start = io.BytesIO(data), 0
    _limit_check(size, name, action, limit)
    return PreparedFile(name, content_type or _guess_type(name), size, stream=stream, start=start)
