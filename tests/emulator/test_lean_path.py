"""The lean path of JSON actions (`emulator/lean_path.py`) gives every request the answer the
Starlette routes give it: the same status, headers and body, errors included; and it does serve
the JSON actions (not only hand them on)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from _engine_util import World
from starlette.applications import Starlette

from lcconsole.emulator.server import EmulatorApp, create_app

Request = tuple[str, str, list[tuple[bytes, bytes]], bytes]


@pytest.fixture
def app():
    world = World()
    app = create_app(world.engine)
    creds = {c["id"]: c for c in world.engine.agent_credentials()}
    app.state.admin = creds["agent1@example.com"]
    yield app
    app.state.hub.close()
    world.engine.close()


async def answer(app: Any, request: Request, *, lean: bool) -> tuple[int, list[tuple[bytes, bytes]], bytes, bool]:
    """(status, headers, body, served by the lean path) of one request, sent in two chunks."""
    method, path, headers, body = request
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    chunks = [
        {"type": "http.request", "body": body[:3], "more_body": True},
        {"type": "http.request", "body": body[3:], "more_body": False},
    ]
    sent: list[dict] = []

    async def receive() -> dict:
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    served = lean and await app.lean.serve(scope, receive, send)
    if not served:
        await Starlette.__call__(app, scope, receive, send)
    start, end = sent
    return start["status"], list(start["headers"]), end["body"], served


def post(path: str, body: Any, token: str | None, **extra: str) -> Request:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = [(b"content-type", extra.pop("content_type", "application/json").encode())]
    headers.append((b"content-length", extra.pop("content_length", str(len(data))).encode()))
    if token is not None:
        headers.append((b"authorization", token.encode()))
    headers += [(k.replace("_", "-").encode(), v.encode()) for k, v in extra.items()]
    return ("POST", path, headers, data)


async def test_lean_path_answers_as_the_routes_do(app):
    assert isinstance(app, EmulatorApp)
    bearer = "Bearer " + app.state.admin["token"]
    customer = "Bearer " + app.state.engine.create_customer_token("Lean", None).payload["access_token"]
    started = post("/v3.0/customer/action/start_chat", {"chat": {"thread": {"events": []}}}, customer)
    _, _, chat, served = await answer(app, started, lean=True)
    assert served
    chat_id = json.loads(chat)["chat"]["id"]
    event = {"chat_id": chat_id, "event": {"type": "message", "text": "hi", "recipients": "all"}}
    agent = "/v3.0/agent/action/"
    same = [  # (request, served by the lean path)
        (post(agent + "get_chat_threads", {"chat_id": chat_id}, bearer), True),
        (post(agent + "get_chat_threads", {"payload": {"chat_id": chat_id}}, bearer), True),
        (post(agent + "get_chat_threads", {"chat_id": "ZZZZZZZZZZ"}, bearer), True),
        (post(agent + "get_chat_threads", {"chat_id": chat_id}, "Bearer nope"), True),
        (post(agent + "get_chat_threads", {"chat_id": chat_id}, None), True),
        (post(agent + "get_chat_threads", {"chat_id": chat_id}, "Token x"), True),
        (post(agent + "get_chat_threads", b"{not json", bearer), True),
        (post(agent + "get_chat_threads", b"[1]", bearer), True),
        (post(agent + "get_chat_threads", b"{not json", "Bearer nope"), True),  # the credential wins
        (post(agent + "get_chat_threads", {"chat_id": chat_id}, bearer, content_type="text/plain"), True),
        (post(agent + "get_chat_threads", {"chat_id": chat_id}, bearer, content_type="multipart/form-data; b=x"), True),
        (post(agent + "get_chat_threads", {"chat_id": chat_id}, bearer, content_length="99999999"), True),
        (post(agent + "get_chat_threads", {"chat_id": chat_id}, bearer, content_length="x"), True),
        (post(agent + "send_event", {**event, "event": {"type": "message", "text": "x" * 20_000}}, bearer), True),
        (post("/v3.6/agent/action/get_chat", {"chat_id": chat_id}, bearer, x_region="DAL"), True),
        (post("/v3.6/customer/action/get_chat", {"chat_id": chat_id}, customer), True),
        (post("/v3.6/agent/action/get_chat", {"chat_id": chat_id}, bearer, x_region="fra"), False),
        (post("/v3.0/agent/action/no_such_action", {}, bearer), False),
        (post("/v3.0/agent/action/login", {}, bearer), False),
        (post("/v9.9/agent/action/get_chat", {}, bearer), False),
        (post("/v3.0/customer/action/nope", {}, customer), False),
        (post(agent + "upload_image", {}, bearer), False),  # multipart: the routes' own path
        (post(agent + "get_chat/", {}, bearer), False),
        (post("/v/agent/action/get_chat", {}, bearer), False),
        (("GET", agent + "get_chat_threads", [(b"authorization", bearer.encode())], b""), False),
    ]
    for request, lean in same:
        want = await answer(app, request, lean=False)
        got = await answer(app, request, lean=True)
        assert got[:3] == want[:3], request
        assert got[3] is lean, request
    # a change answers the same too (ids and orders aside), and is made once per request
    status, headers, body, served = await answer(app, post(agent + "send_event", event, bearer), lean=True)
    _, want_headers, want_body, _ = await answer(app, post(agent + "send_event", event, bearer), lean=False)
    assert served and status == 200 and headers[1:] == want_headers[1:]
    assert json.loads(body).keys() == json.loads(want_body).keys()
    assert json.loads(body)["event"]["text"] == "hi"
    _, _, found, _ = await answer(app, post("/v3.6/agent/action/get_chat", {"chat_id": chat_id}, bearer), lean=True)
    texts = [e.get("text") for e in json.loads(found)["thread"]["events"]]
    assert texts.count("hi") == 2


async def test_a_rate_limited_app_leaves_the_lean_path(app):
    app.lean.routes.limiter = object()
    request = post("/v3.0/agent/action/list_chats", {}, "Bearer " + app.state.admin["token"])
    assert not await app.lean.serve({"type": "http", "method": "POST", "path": request[1], "headers": []}, None, None)


async def test_an_app_with_middleware_added_leaves_the_lean_path(app):
    seen: list[str] = []

    class Note:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
            seen.append(scope["path"])
            await self.inner(scope, receive, send)

    app.add_middleware(Note)
    request = post("/v3.0/agent/action/get_chats_summary", {}, "Bearer " + app.state.admin["token"])
    method, path, headers, body = request
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": headers}
    scope.update({"query_string": b"", "http_version": "1.1", "scheme": "http", "server": ("127.0.0.1", 80)})
    await app(scope, receive, send)
    assert seen == [path] and sent[0]["status"] == 200
