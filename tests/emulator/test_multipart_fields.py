"""Multipart form fields are normalised once, by the HTTP transport (`bodies.decode_multipart`):
`payload.` prefixes stripped and "true"/"false" turned into booleans. The engine takes decoded
payloads only and validates them strictly."""

from __future__ import annotations

import pytest
from _engine_util import World

from lcconsole.emulator.contract import ErrorReply, UploadedFile
from lcconsole.emulator.embedded import EmbeddedEmulator
from tests import loopback


@pytest.fixture
def w() -> World:
    return World()


def _file() -> dict:
    return {"file": UploadedFile("a.txt", "text/plain", b"abc")}


def test_engine_refuses_undecoded_form_fields(w):
    chat = w.start()
    with pytest.raises(ErrorReply) as err:  # a `payload.` prefix is the transport's business
        w.run(w.admin, "send_file", {"payload.chat_id": chat["id"]}, _file())
    assert err.value.type == "validation" and err.value.message.startswith("chat_id")
    with pytest.raises(ErrorReply) as err:  # booleans arrive as booleans
        w.run(w.admin, "send_file", {"chat_id": chat["id"], "require_active_thread": "true"}, _file())
    assert err.value.type == "validation"
    assert err.value.message.startswith("require_active_thread")
    out = w.run(w.admin, "send_file", {"chat_id": chat["id"], "require_active_thread": True}, _file())
    assert out.payload["url"].endswith("/a.txt")


def test_http_multipart_fields_are_decoded_by_the_transport():
    with EmbeddedEmulator(seed="empty", simulate=False) as info:
        headers = {"Authorization": f"Bearer {info.token}"}
        with loopback.client(base_url=info.api_url, headers=headers, timeout=10) as http:
            chat_id = http.post("/start_chat", json={"chat": {}}).json()["chat"]["id"]
            assert http.post("/close_thread", json={"chat_id": chat_id}).status_code == 200
            part = {"payload.file": ("a.txt", b"abc", "text/plain")}
            refused = http.post(
                "/send_file", files=part, data={"payload.chat_id": chat_id, "payload.require_active_thread": "TRUE"}
            )
            assert refused.status_code == 400, refused.text
            assert refused.json()["error"]["type"] == "chat_inactive"
            sent = http.post(
                "/send_file",
                files={"file": ("b.txt", b"b", "text/plain")},
                data={"chat_id": chat_id, "payload.require_active_thread": "false"},
            )
            assert sent.status_code == 200, sent.text
            bad = http.post(
                "/send_file", files=part, data={"payload.chat_id": chat_id, "payload.require_active_thread": "maybe"}
            )
            assert bad.status_code == 400
            assert bad.json()["error"]["message"].startswith("require_active_thread")
