"""Test helpers: a recording httpx.MockTransport and a client factory with instant retries."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from lcconsole.api import AgentClient, RetryPolicy

TOKEN = "dal:S2V0s1fgTbfXmgthj4cZSA-secret"
BASE = "http://lc.test"


class Recorder:
    """A MockTransport that answers from a queue (or a function) and records every request."""

    def __init__(self, *answers: httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bodies.append(request.read())
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer) and not isinstance(answer, httpx.Response):
            return answer(request)
        return answer

    @property
    def calls(self) -> int:
        return len(self.requests)

    def json(self, index: int = -1) -> object:
        return json.loads(self.bodies[index])

    def actions(self) -> list[str]:
        return [r.url.path.rsplit("/", 1)[-1] for r in self.requests]


class Sleeps:
    """An injectable sleep that records the delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def make_client(recorder: Recorder, *, sleeps: Sleeps | None = None, attempts: int = 3, **kwargs) -> AgentClient:
    retry = RetryPolicy(max_attempts=attempts, base_delay=0.01, max_delay=0.05, jitter=0.0, sleep=sleeps or Sleeps())
    return AgentClient(token=TOKEN, base_url=BASE, transport=recorder.transport, retry=retry, **kwargs)


def ok(payload: dict | None = None, **headers: str) -> httpx.Response:
    return httpx.Response(200, json={} if payload is None else payload, headers=headers)


def fail(
    status: int, error_type: str, message: str = "nope", data: dict | None = None, **headers: str
) -> httpx.Response:
    error: dict = {"type": error_type, "message": message}
    if data:
        error["data"] = data
    return httpx.Response(status, json={"error": error}, headers=headers)
