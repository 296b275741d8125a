"""Hardening: no text can silence a socket (issue 16, finding 1), over real sockets.

A lone surrogate decodes from JSON (`"\\ud800"`) but cannot be encoded as UTF-8, so echoing it
in a push, a response or an error message used to kill the socket's sender silently. Every
body and frame is now checked on arrival (`validation`), and a frame that still cannot be sent
closes its socket with 1011 instead of leaving it mute.
"""

from __future__ import annotations

import contextlib
import copy
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from api.samples import CHAT_ID, REQUESTS, THREAD_ID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from lcconsole.emulator.contract import AddressedPush
from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.wire.actions import ACTIONS, ALL_SCOPES
from tests import loopback

OTHER = "agent2@example.com"
THIRD = "third@example.com"
LONE = ["\ud800", "a\udfffb", "\udc00\ud800", "x" * 5 + "\udbff"]
TEXT = st.one_of(st.sampled_from(LONE), st.text(st.characters(exclude_categories=()), max_size=12))
JSON_ACTIONS = sorted(a for a, spec in ACTIONS.items() if not spec.multipart and a in REQUESTS)


class Sockets:
    """Logged-in RTM sockets (agent1 and agent2 on v3.0, agent1 on v3.6) and an HTTP client."""

    def __init__(self, info) -> None:
        self.info = info
        self.http = loopback.client(timeout=20)
        self._stack = contextlib.ExitStack()
        rtm36 = info.rtm_url.replace("/v3.0/", "/v3.6/")
        self.ws = {
            "v30-admin": self._login(info.rtm_url, info.token),
            "v30-other": self._login(info.rtm_url, info.token_of(OTHER)),
            "v36-admin": self._login(rtm36, info.token),
        }

    def _login(self, url: str, token: str):
        ws = self._stack.enter_context(connect(url, open_timeout=20))
        ws.send(json.dumps({"request_id": "login", "action": "login", "payload": {"token": f"Bearer {token}"}}))
        assert self.answer(ws, "login")["success"] is True
        return ws

    @staticmethod
    def answer(ws, request_id: str) -> dict:
        """The response to `request_id` (pushes and other responses skipped)."""
        for _ in range(500):
            frame = json.loads(ws.recv(timeout=10))
            if frame.get("type") == "response" and frame.get("request_id") == request_id:
                return frame
        raise AssertionError(f"no response to {request_id}")

    def all_answer_pings(self) -> None:
        for name, ws in self.ws.items():
            request_id = f"ping-{uuid.uuid4().hex[:8]}"
            try:
                ws.send(json.dumps({"request_id": request_id, "action": "ping"}))
                assert self.answer(ws, request_id)["success"] is True, name
            except (ConnectionClosed, TimeoutError) as exc:
                raise AssertionError(f"{name} socket no longer answers: {exc!r}") from None

    def close(self) -> None:
        self._stack.close()
        self.http.close()


@pytest.fixture(scope="module")
def world():
    server = EmbeddedEmulator(seed="demo", simulate=False, agents=[(OTHER, ALL_SCOPES), (THIRD, ALL_SCOPES)])
    info = server.start()
    sockets = Sockets(info)
    summary = sockets.http.post(
        f"{info.api_url}/get_chats_summary", json={"limit": 100}, headers={"Authorization": f"Bearer {info.token}"}
    ).json()
    chat = next(c for c in summary["chats_summary"] if c["last_thread_summary"]["active"])
    ids = {CHAT_ID: chat["id"], THREAD_ID: chat["last_thread_summary"]["id"]}
    yield server, sockets, ids
    sockets.close()
    server.stop()


def string_paths(value: Any, path: tuple = ()) -> Iterator[tuple]:
    """Paths of every string in a JSON value, and of every object (for a new key)."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        yield path + (None,)
        for key, item in value.items():
            yield from string_paths(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from string_paths(item, path + (i,))


def with_text(payload: Any, path: tuple, text: str) -> Any:
    """`payload` with the string at `path` replaced by `text` (None as the last step: a new key)."""
    out = copy.deepcopy(payload)
    target = out
    for step in path[:-1]:
        target = target[step]
    if path[-1] is None:
        target[text] = text
    else:
        target[path[-1]] = text
    return out


def real_ids(value: Any, ids: dict) -> Any:
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, dict):
        return {k: real_ids(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [real_ids(v, ids) for v in value]
    return value


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_text_in_any_field_of_any_action_leaves_every_socket_answering(world, data):
    server, sockets, ids = world
    info = server.info
    action = data.draw(st.sampled_from(JSON_ACTIONS), label="action")
    payload = real_ids(REQUESTS[action], ids)
    paths = list(string_paths(payload)) or [(None,)]
    path = data.draw(st.sampled_from(paths), label="path")
    text = data.draw(TEXT, label="text")
    body = with_text(payload, path, text) if path != (None,) else {text: text}
    wire = json.dumps(body)  # ASCII: lone surrogates travel as \ud800 escapes
    resp = sockets.http.post(
        f"{info.api_url}/{action}",
        content=wire,
        headers={"Authorization": f"Bearer {info.token}", "Content-Type": "application/json"},
    )
    assert resp.status_code < 500, resp.text
    resp.json()
    if ACTIONS[action].rtm:
        request_id = data.draw(st.one_of(st.just("r1"), TEXT), label="request_id")
        frame = json.dumps({"request_id": request_id, "action": action, "payload": body})
        sockets.ws["v30-admin"].send(frame)
        sockets.ws["v36-admin"].send(frame)
    sockets.all_answer_pings()


def test_surrogate_multicast_is_refused_and_the_target_socket_keeps_working(world):
    server, sockets, _ = world
    info = server.info
    headers = {"Authorization": f"Bearer {info.token}", "Content-Type": "application/json"}
    bad = sockets.http.post(
        f"{info.api_url}/multicast", headers=headers, content='{"scopes":{"agents":{"all":true}},"content":"\\ud800"}'
    )
    assert bad.status_code == 400 and bad.json()["error"]["type"] == "validation", bad.text
    good = sockets.http.post(
        f"{info.api_url}/multicast",
        headers=headers,
        content='{"scopes":{"agents":{"ids":["agent2@example.com"]}},"content":{"after":"\\ud83d\\ude00"}}',
    )
    assert good.status_code == 200, good.text
    ws = sockets.ws["v30-other"]
    for _ in range(200):
        frame = json.loads(ws.recv(timeout=10))
        if frame.get("action") == "incoming_multicast":
            assert frame["payload"]["content"] == {"after": "\U0001f600"}
            break
    sockets.all_answer_pings()


def test_surrogate_request_id_or_action_over_rtm_is_a_validation_error(world):
    _, sockets, _ = world
    ws = sockets.ws["v30-admin"]
    ws.send('{"request_id":"\\ud800","action":"ping"}')
    ws.send('{"request_id":"r2","action":"\\udc00"}')
    answer = Sockets.answer(ws, "r2")
    assert answer["success"] is False and answer["payload"]["error"]["type"] == "validation"
    assert "action" not in answer
    sockets.all_answer_pings()


def test_a_frame_that_cannot_be_sent_closes_its_socket_with_1011(world):
    """Defence in depth: should an unencodable push ever be produced, its sockets are closed
    with a code the client sees (1011), never left open and mute."""
    server, _, _ = world
    info = server.info
    with connect(info.rtm_url, open_timeout=20) as ws:
        ws.send(
            json.dumps(
                {"request_id": "login", "action": "login", "payload": {"token": f"Bearer {info.token_of(THIRD)}"}}
            )
        )
        Sockets.answer(ws, "login")
        hub = server.app.state.hub
        server.call(
            hub.deliver, [AddressedPush("incoming_multicast", {"content": "\ud800"}, agent_ids=frozenset({THIRD}))]
        )
        with pytest.raises(ConnectionClosed) as closed:
            for _ in range(200):
                ws.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1011
