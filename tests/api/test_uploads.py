"""send_file / upload_image: multipart parts, streaming from paths and file objects, the 10 MB limit."""

from __future__ import annotations

import io
from email.parser import BytesParser
from email.policy import HTTP

import httpx
import pytest

from lcconsole import errors as E
from lcconsole.wire.actions import MAX_UPLOAD_BYTES

from .helpers import TOKEN, Recorder, make_client, ok

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
FILE_URL = {"url": "https://cdn.example/att/1.png"}


def parts(request: httpx.Request, body: bytes) -> dict[str, tuple[str | None, str | None, bytes]]:
    """{part name: (filename, content type, bytes)} of a multipart request."""
    head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    out = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        out[name] = (part.get_filename(), part.get("Content-Type"), part.get_payload(decode=True))
    return out


async def test_send_file_from_path_sends_the_spec_parts(tmp_path):
    path = tmp_path / "test.png"
    path.write_bytes(PNG)
    rec = Recorder(ok(FILE_URL))
    async with make_client(rec) as client:
        res = await client.send_file(chat_id="a0c22fdd", file=path, custom_id="12345-bhdsa", require_active_thread=True)
    assert res.url == FILE_URL["url"]
    request = rec.requests[0]
    assert str(request.url).endswith("/v3.0/agent/action/send_file") and request.method == "POST"
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    got = parts(request, rec.bodies[0])
    assert got == {
        "payload.chat_id": (None, None, b"a0c22fdd"),
        "payload.custom_id": (None, None, b"12345-bhdsa"),
        "payload.require_active_thread": (None, None, b"true"),
        "payload.file": ("test.png", "image/png", PNG),
    }


async def test_send_file_from_binary_file_object_with_overrides():
    stream = io.BytesIO(b"hello file")
    rec = Recorder(ok(FILE_URL))
    async with make_client(rec) as client:
        await client.send_file(chat_id="C", file=stream, filename="notes.txt", content_type="text/x-notes")
    got = parts(rec.requests[0], rec.bodies[0])
    assert got["payload.file"] == ("notes.txt", "text/x-notes", b"hello file")
    assert set(got) == {"payload.chat_id", "payload.file"}
    assert not stream.closed  # the caller's stream stays open


async def test_upload_image_sends_payload_image_part(tmp_path):
    path = tmp_path / "pic.gif"
    path.write_bytes(b"GIF89a-bytes")
    rec = Recorder(ok({"url": "https://cdn.example/img/2.gif", "path": "2.gif"}))
    async with make_client(rec) as client:
        res = await client.upload_image(image=str(path))
    assert (res.url, res.path) == ("https://cdn.example/img/2.gif", "2.gif")
    assert parts(rec.requests[0], rec.bodies[0]) == {"payload.image": ("pic.gif", "image/gif", b"GIF89a-bytes")}


async def test_raw_call_with_files(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"\x00\x01")
    rec = Recorder(ok(FILE_URL))
    async with make_client(rec) as client:
        assert await client.call("send_file", {"chat_id": "C"}, files={"file": path}) == FILE_URL
        with pytest.raises(E.RequestValidationError, match="payload.image"):
            await client.call("upload_image", {})
    assert parts(rec.requests[0], rec.bodies[0])["payload.file"] == ("a.bin", "application/octet-stream", b"\x00\x01")
    assert rec.calls == 1


def _big_file(tmp_path, size):
    path = tmp_path / "big.bin"
    with open(path, "wb") as fh:
        fh.truncate(size)  # sparse: instant
    return path


@pytest.mark.parametrize("kind", ["path", "fileobj", "bytes", "unseekable"])
async def test_over_10_mb_is_refused_before_any_byte_is_sent(tmp_path, kind):
    path = _big_file(tmp_path, MAX_UPLOAD_BYTES + 1)
    rec = Recorder(ok(FILE_URL))
    async with make_client(rec) as client:
        with pytest.raises(E.FileTooLargeError) as info:
            if kind == "path":
                await client.send_file(chat_id="C", file=path)
            elif kind == "fileobj":
                with open(path, "rb") as fh:
                    await client.send_file(chat_id="C", file=fh)
            elif kind == "bytes":
                await client.upload_image(image=b"\0" * (MAX_UPLOAD_BYTES + 1))
            else:
                with open(path, "rb") as fh:
                    await client.upload_image(image=io.BufferedReader(_Unseekable(fh)))
    err = info.value
    assert rec.calls == 0
    assert isinstance(err, E.EntityTooLargeError) and err.type == "entity_too_large" and err.status is None
    assert err.limit == MAX_UPLOAD_BYTES and "10 MB" in err.message


async def test_exactly_10_mb_is_accepted(tmp_path):
    path = _big_file(tmp_path, MAX_UPLOAD_BYTES)
    rec = Recorder(ok(FILE_URL))
    async with make_client(rec) as client:
        await client.send_file(chat_id="C", file=path)
    assert rec.calls == 1
    assert len(parts(rec.requests[0], rec.bodies[0])["payload.file"][2]) == MAX_UPLOAD_BYTES


async def test_bad_file_sources_are_refused_before_sending(tmp_path):
    rec = Recorder(ok(FILE_URL))
    async with make_client(rec) as client:
        with pytest.raises(E.RequestValidationError, match="cannot read"):
            await client.send_file(chat_id="C", file=tmp_path / "missing.png")
        with pytest.raises(E.RequestValidationError, match="not a regular file"):
            await client.send_file(chat_id="C", file=tmp_path)
        with pytest.raises(E.RequestValidationError, match="binary"):
            await client.send_file(chat_id="C", file=io.StringIO("text"))
    assert rec.calls == 0


class _Unseekable(io.RawIOBase):
    def __init__(self, inner):
        self.inner = inner

    def readable(self):
        return True

    def seekable(self):
        return False

    def readinto(self, buffer):
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _CountingReader(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.reads.append(-1 if size is None else size)
        return super().read(size)


async def test_upload_is_streamed_in_chunks_not_read_whole():
    data = bytes(range(256)) * 4096  # 1 MiB
    reader = _CountingReader(data)
    rec = Recorder(ok(FILE_URL))
    async with make_client(rec) as client:
        await client.send_file(chat_id="C", file=reader, filename="big.bin")
    assert len(reader.reads) > 4 and all(0 < n <= 64 * 1024 for n in reader.reads)
    assert parts(rec.requests[0], rec.bodies[0])["payload.file"][2] == data
    assert int(rec.requests[0].headers["Content-Length"]) == len(rec.bodies[0])
