"""A deterministic race harness: the emulator computes an answer, the harness holds it back.

    holds = Holds()
    emu = EmbeddedEmulator(..., middleware=holds.wrap)
    hold = holds.arm("get_chats_summary")       # the next answer of that action is held
    ... the console sends the request; the server answers from its state at that moment ...
    await wait_for(pilot, hold.held.is_set)     # the answer is computed and waiting
    ... customers and agents change things; the console gets the pushes ...
    hold.release()                              # only now does the console see the answer

`arm("login")` holds the answer to an RTM socket's `login` the same way (the pushes sent
after it wait behind it, as they would on the socket).

The middleware sits in front of the emulator's ASGI app (on the emulator's thread); the test
talks to it through thread-safe events, so no sleep decides who wins.

`fail(action, times)` makes the server do the work and then answer 500 (the answer is lost);
`stall(action, times, seconds)` does the work and delays the answer (the client times out).
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from app_harness import AGENT2

from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.wire.actions import ALL_SCOPES

ACTION_PREFIX = "/action/"


@dataclass
class Hold:
    """One held answer: `held` is set once the server has answered (and the answer waits)."""

    action: str
    skip: int = 0  # let this many answers of the action through first
    held: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    body: bytes = b""

    def release(self) -> None:
        """Let the held answer go to the client."""
        self.released.set()


@dataclass
class Fault:
    """The next `times` answers to `action` are replaced by a 500 (or delayed `stall` seconds)."""

    action: str
    times: int
    stall: float = 0.0
    seen: int = 0


class Holds:
    """ASGI middleware factory: `wrap(app)` holds the answers of armed actions."""

    def __init__(self) -> None:
        self._armed: list[Hold] = []
        self._all: list[Hold] = []
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def fail(self, action: str, times: int) -> Fault:
        """The server does the work, then the next `times` answers become HTTP 500."""
        fault = Fault(action, times)
        with self._lock:
            self._faults.append(fault)
        return fault

    def stall(self, action: str, times: int, seconds: float) -> Fault:
        """The server does the work, then the next `times` answers wait `seconds` first."""
        fault = Fault(action, times, stall=seconds)
        with self._lock:
            self._faults.append(fault)
        return fault

    def _fault(self, action: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.action == action and fault.seen < fault.times:
                    fault.seen += 1
                    return fault
        return None

    def arm(self, action: str, skip: int = 0) -> Hold:
        """Hold the next answer to `action` (after `skip` others) until `release()`."""
        hold = Hold(action, skip)
        with self._lock:
            self._armed.append(hold)
            self._all.append(hold)
        return hold

    def release_all(self) -> None:
        """Release everything (test teardown: nothing stays blocked)."""
        with self._lock:
            self._armed.clear()
            for hold in self._all:
                hold.release()

    def _take(self, action: str) -> Hold | None:
        with self._lock:
            for hold in self._armed:
                if hold.action == action and not hold.held.is_set():
                    if hold.skip:
                        hold.skip -= 1
                        return None
                    self._armed.remove(hold)
                    return hold
        return None

    def wrap(self, app: Any) -> Any:
        """The middleware around the emulator's ASGI app."""

        async def middleware(scope: dict, receive: Any, send: Any) -> None:
            if scope["type"] == "websocket":
                await app(scope, receive, self._held_login(send))
                return
            path = scope.get("path", "") if scope["type"] == "http" else ""
            action = path.rsplit(ACTION_PREFIX, 1)[1] if ACTION_PREFIX in path else None
            fault = self._fault(action) if action else None
            if fault is not None:
                await self._faulty(app, fault, scope, receive, send)
                return
            hold = self._take(action) if action else None
            if hold is None:
                await app(scope, receive, send)
                return
            messages: list[dict] = []

            async def buffer(message: dict) -> None:
                messages.append(message)

            await app(scope, receive, buffer)  # the answer is computed now, from today's state
            hold.body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
            hold.held.set()
            while not hold.released.is_set():
                await asyncio.sleep(0.005)
            for message in messages:
                await send(message)

        return middleware

    def _held_login(self, send: Any) -> Any:
        """`send` of an RTM socket, holding the answer to its `login` when "login" is armed
        (frames after it wait behind it, as on one socket)."""

        async def holding(message: dict) -> None:
            text = message.get("text") if message.get("type") == "websocket.send" else None
            if text and '"login"' in text:
                frame = json.loads(text)
                hold = (
                    self._take("login") if frame.get("action") == "login" and frame.get("type") == "response" else None
                )
                if hold is not None:
                    hold.body = text.encode()
                    hold.held.set()
                    while not hold.released.is_set():
                        await asyncio.sleep(0.005)
            await send(message)

        return holding

    @staticmethod
    async def _faulty(app: Any, fault: Fault, scope: dict, receive: Any, send: Any) -> None:
        messages: list[dict] = []

        async def buffer(message: dict) -> None:
            messages.append(message)

        await app(scope, receive, buffer)  # the work is done either way
        if fault.stall:
            await asyncio.sleep(fault.stall)
            for message in messages:
                await send(message)
            return
        body = json.dumps({"error": {"type": "internal", "message": "injected failure"}}).encode()
        await send({"type": "http.response.start", "status": 500, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})


def held_emulator(holds: Holds) -> Iterator[EmbeddedEmulator]:
    """A module's emulator whose requests pass through `holds` (empty world + a second agent):
    the body of a module-scoped `server` fixture."""
    emu = EmbeddedEmulator(seed="empty", simulate=False, agents=[(AGENT2, ALL_SCOPES)], middleware=holds.wrap)
    emu.start()
    yield emu
    holds.release_all()
    emu.stop()
