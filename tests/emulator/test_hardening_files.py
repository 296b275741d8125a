"""Hardening of files, on the wire and on disk (issue 16, findings 4, 5, 7 and 11), over real sockets.

Uploads are never run by a browser on the API's origin (attachment unless a raster image,
nosniff, sandboxing CSP); a malformed part Content-Type is stored as octet-stream; the database
and its directory are private; the ready file is written through a fresh exclusive temporary
file; `/customer/token` needs a JSON body and this server's Host.
"""

from __future__ import annotations

import json
import os
import stat

import httpx
import pytest

from lcconsole.emulator.cli import write_ready_file
from lcconsole.emulator.embedded import EmbeddedEmulator
from tests import loopback

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(scope="module")
def emulator():
    with EmbeddedEmulator(seed="empty", simulate=False) as info:
        yield info


def anonymous_customer_upload(info, name: str, data: bytes, content_type: str) -> httpx.Response:
    """An anonymous customer starts a chat and sends a file; the stored file's GET response."""
    with loopback.client(base_url=info.base_url, timeout=20) as http:
        customer = http.post("/customer/token", json={}).json()
        headers = {"Authorization": f"Bearer {customer['access_token']}"}
        chat = http.post(
            "/v3.0/customer/action/start_chat",
            headers=headers,
            json={"chat": {"thread": {"events": [{"type": "message", "text": "hi"}]}}},
        ).json()["chat"]
        sent = http.post(
            "/v3.0/customer/action/send_file",
            headers=headers,
            data={"payload.chat_id": chat["id"]},
            files={"payload.file": (name, data, content_type)},
        )
        assert sent.status_code == 200, sent.text
        return http.get(sent.json()["url"])


@pytest.mark.parametrize(
    "name, data, declared",
    [
        ("page.html", b"<script>alert(document.cookie)</script>", "text/html"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"),
    ],
)
def test_active_content_is_an_attachment_that_cannot_run(emulator, name, data, declared):
    served = anonymous_customer_upload(emulator, name, data, declared)
    assert served.status_code == 200 and served.content == data
    assert served.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in served.headers["content-security-policy"]
    assert "default-src 'none'" in served.headers["content-security-policy"]


def test_raster_images_stay_inline(emulator):
    served = anonymous_customer_upload(emulator, "dot.png", PNG, "image/png")
    assert served.headers["content-type"] == "image/png"
    assert served.headers["content-disposition"].startswith("inline;")
    assert served.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("declared", ["text/plain\x00x", "text/\x01html", "a b/c"])
def test_malformed_part_content_type_is_stored_as_octet_stream(emulator, declared):
    served = anonymous_customer_upload(emulator, "x.txt", b"payload", declared)
    assert served.status_code == 200 and served.content == b"payload"
    assert served.headers["content-type"] == "application/octet-stream"
    assert all(ch.isprintable() for value in served.headers.values() for ch in value)


def test_database_and_wal_are_private(tmp_path):
    db = tmp_path / "data" / "emulator.sqlite3"
    with EmbeddedEmulator(db=str(db), seed="empty", simulate=False) as info:
        loopback.post(info.customer_token_url, json={"name": "Ann"}, timeout=20)
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in db.parent.iterdir()}
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    assert modes[db.name] == 0o600
    assert all(mode == 0o600 for name, mode in modes.items() if name.startswith(db.name)), modes


def test_ready_file_never_follows_a_planted_link(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("untouched")
    ready = tmp_path / "ready.json"
    for pid in range(os.getpid() - 2, os.getpid() + 3):  # the old guessable temporary names
        (tmp_path / f".ready.json.{pid}.tmp").symlink_to(victim)
    write_ready_file(ready, json.dumps({"agents": []}))
    assert victim.read_text() == "untouched"
    assert json.loads(ready.read_text()) == {"agents": []}
    assert stat.S_IMODE(ready.stat().st_mode) == 0o600 and not ready.is_symlink()


def test_customer_token_needs_json_and_this_servers_host(emulator):
    url = emulator.customer_token_url
    with loopback.client(timeout=20) as http:
        plain = http.post(url, content=b'{"name": "x"}', headers={"Content-Type": "text/plain"})
        assert plain.status_code == 400 and plain.json()["error"]["type"] == "validation"
        bare = http.post(url)
        assert bare.status_code == 400
        rebound = http.post(url, json={}, headers={"Host": "attacker.example"})
        assert rebound.status_code == 403 and rebound.json()["error"]["type"] == "authorization"
        port = url.split(":")[2].split("/")[0]
        for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
            assert http.post(url, json={}, headers={"Host": host}).status_code == 200
