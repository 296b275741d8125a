"""Helpers for the console's pilot tests: an emulator, customers acting over HTTP, the app.

async with console(server, tmp_path) as (app, pilot, screen): ...
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lcconsole.config import Secret, Settings
from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.wire.actions import ALL_SCOPES
from lcconsole.wire.dialects import dialect
from tests import loopback

ADMIN = "agent1@example.com"
AGENT2 = "agent2@example.com"


@pytest.fixture(scope="module")
def server():
    """One emulator per module: empty world + a second agent, no simulator."""
    emu = EmbeddedEmulator(seed="empty", simulate=False, agents=[(AGENT2, ALL_SCOPES)])
    emu.start()
    yield emu
    emu.stop()


class Customer:
    """A customer acting through the emulator's customer HTTP API."""

    def __init__(self, base_url: str, name: str) -> None:
        self.http = loopback.client(base_url=base_url, timeout=10)
        creds = self.http.post("/customer/token", json={"name": name, "email": f"{name.lower()}@c.example"}).json()
        self.id, self.token, self.name = creds["customer_id"], creds["access_token"], name
        self.chat_id: str | None = None

    def call(self, action: str, payload: dict) -> dict:
        resp = self.http.post(
            f"/v3.0/customer/action/{action}", json=payload, headers={"Authorization": f"Bearer {self.token}"}
        )
        assert resp.status_code == 200, resp.text
        return resp.json()

    def start_chat(self, text: str) -> str:
        body = self.call(
            "start_chat", {"chat": {"thread": {"events": [{"type": "message", "text": text, "recipients": "all"}]}}}
        )
        self.chat_id = body["chat"]["id"]
        return self.chat_id

    def say(self, text: str) -> None:
        self.call("send_event", {"chat_id": self.chat_id, "event": {"type": "message", "text": text}})


def new_customer(server: EmbeddedEmulator, text: str = "hello", name: str | None = None) -> Customer:
    """A new customer (named `name`, else a random name) who started a chat with `text`."""
    customer = Customer(server.info.base_url, name or "C" + uuid.uuid4().hex[:5])
    customer.start_chat(text)
    return customer


def token_of(server: EmbeddedEmulator, agent_id: str) -> str:
    """The access token of one of the emulator's agents."""
    return next(a["token"] for a in server.info.agents if a["id"] == agent_id)


def agent_call(
    server: EmbeddedEmulator, action: str, payload: dict, token: str | None = None, version: str = "3.0"
) -> dict:
    """A Web API call in `version` as the administrator (or `token`), for checks and set-up."""
    resp = loopback.post(
        server.info.base_url + dialect(version).action_path + action,
        json=payload,
        timeout=10,
        headers={"Authorization": f"Bearer {token or server.info.token}"},
    )
    assert resp.status_code == 200, resp.text
    return resp.json()


def chat_of(server: EmbeddedEmulator, chat_id: str) -> dict:
    """get_chat_threads of a chat (every thread)."""
    return agent_call(server, "get_chat_threads", {"chat_id": chat_id})["chat"]


def events_of(server: EmbeddedEmulator, chat_id: str) -> list[dict]:
    """Every event of a chat, in order."""
    return [e for t in chat_of(server, chat_id).get("threads") or [] for e in t.get("events") or []]


async def wait_for(pilot: Any, condition: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    """Pause the pilot until `condition()` is truthy (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what or condition}")


def server_wait(condition: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    """Poll the server until `condition()` is truthy (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what or condition}")


@contextlib.asynccontextmanager
async def console(
    server: EmbeddedEmulator,
    data_dir: Path,
    size: tuple[int, int] = (120, 36),
    token: str | None = None,
    clock: Callable[[], float] = time.time,
    api_version: str = "3.0",
):
    """The console connected to `server` in `api_version`, main screen ready and resynced."""
    from lcconsole.ui.app import ConsoleApp

    settings = Settings(
        base_url=server.info.base_url, token=Secret(token or server.info.token), api_version=api_version
    )
    app = ConsoleApp(settings, data_dir=data_dir, clock=clock)
    async with app.run_test(size=size) as pilot:
        screen = await wait_for(
            pilot,
            lambda: (
                app.main_screen
                if app.main_screen is not None and app.main_screen.session_ready and app.main_screen.sync.logins
                else None
            ),
            timeout=10,
            what="main screen",
        )
        await wait_for(pilot, lambda: not _busy(screen, "resync"), what="resync")
        yield app, pilot, screen


def _busy(screen: Any, group: str) -> bool:
    return any(w.group == group and not w.is_finished for w in screen.workers)


async def idle(pilot: Any, screen: Any, timeout: float = 10.0) -> None:
    """Wait until no action/send/open worker of the screen is running."""
    groups = {"action", "send", "open", "postback", "routing", "older", "refetch"}
    await wait_for(
        pilot, lambda: not any(w.group in groups and not w.is_finished for w in screen.workers), timeout, "workers"
    )


async def open_chat(pilot: Any, screen: Any, name: str, chat_id: str) -> None:
    """Open a chat with keys: / filter by the customer's name, Enter, Enter."""
    await wait_for(pilot, lambda: chat_id in screen.store.chats, what=f"chat {chat_id} in the store")
    await pilot.press("escape", "f4", "slash", *name, "enter")
    await wait_for(pilot, lambda: screen.current_chat_id == chat_id, what="chat opened")
    await idle(pilot, screen)
    await wait_for(pilot, lambda: screen.store.loaded_threads(chat_id), what="threads loaded")


async def type_text(pilot: Any, text: str) -> None:
    """Type text key by key."""
    await pilot.press(*text)
