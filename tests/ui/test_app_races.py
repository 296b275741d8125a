"""Pushes racing fetches: whatever answer is held back, the screen ends equal to the API.

Each case holds one fetch answer of the console (computed by the server, not yet delivered)
while customers and another agent change chats over the real API and the console receives the
pushes; then the answer is released. Afterwards every chat in the store and every row on the
screen is compared with what `get_chats_summary` says.
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from app_harness import AGENT2, Customer, agent_call, token_of, wait_for
from race_harness import Holds, held_emulator

from lcconsole.config import Secret, Settings
from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.ui.chat_items import chat_list_item
from lcconsole.wire.objects import ChatSummary

HOLDS = Holds()


@pytest.fixture(scope="module")
def server():
    yield from held_emulator(HOLDS)


def api_summaries(server: EmbeddedEmulator) -> dict[str, ChatSummary]:
    """Every chat the console's agent can see, as the API lists it."""
    out: dict[str, ChatSummary] = {}
    page_id = None
    while True:
        body = agent_call(server, "get_chats_summary", {"limit": 100, **({"page_id": page_id} if page_id else {})})
        for raw in body["chats_summary"]:
            out[raw["id"]] = ChatSummary.model_validate(raw)
        page_id = body.get("next_page_id")
        if not page_id:
            return out


def last_event_id(server: EmbeddedEmulator, chat_id: str) -> str:
    summary = api_summaries(server)[chat_id]
    return max((le.event for le in summary.last_event_per_type.values()), key=lambda e: e.order).id


async def converged(pilot, server: EmbeddedEmulator, screen, timeout: float = 10.0) -> None:
    """The screen equals the API within `timeout` (repaints of the last changes may still be
    queued when the store is already right, under load); the last mismatch fails the test."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await pilot.pause(0.05)
        try:
            assert_screen_equals_api(server, screen)
            return
        except AssertionError:
            if loop.time() > deadline:
                raise


def assert_screen_equals_api(server: EmbeddedEmulator, screen) -> None:
    """Store and chat list agree with the API on every chat (rows, sections, previews, tags)."""
    from lcconsole.ui.widgets.chat_list import ChatList

    api = api_summaries(server)
    store = screen.store
    assert set(store.chats) == set(api)
    rows = screen.query_one(ChatList).items
    me = store.my_id
    for chat_id, want in api.items():
        have = store.chats[chat_id]
        assert {u.id for u in have.users} == {u.id for u in want.users}, chat_id
        mine, theirs = have.last_thread_summary, want.last_thread_summary
        assert (mine.id, mine.active, sorted(mine.tags), sorted(mine.user_ids)) == (
            theirs.id,
            theirs.active,
            sorted(theirs.tags),
            sorted(theirs.user_ids),
        ), chat_id
        assert {k: v.event.id for k, v in have.last_event_per_type.items()} == {
            k: v.event.id for k, v in want.last_event_per_type.items()
        }, chat_id
        assert have.properties == want.properties, chat_id
        expected = chat_list_item(want, me)
        row = rows[chat_id]
        assert (row.section, row.preview, row.tags, row.active) == (
            expected.section,
            expected.preview,
            expected.tags,
            expected.active,
        ), chat_id


def drive_changes(server: EmbeddedEmulator, state: dict, name: str) -> dict[str, str]:
    """While an answer is held: a new chat, me added to a queued chat, tags, properties, a
    transfer to me, a close. Returns the last event id of every chat changed."""
    agent2 = token_of(server, AGENT2)
    me = server.info.agents[0]["id"]
    fresh = Customer(server.info.base_url, f"New{name}")
    fresh.start_chat("hello from a new chat")
    fresh.say("second line")
    agent_call(
        server,
        "add_user_to_chat",
        {"chat_id": state["queued"].chat_id, "user_id": me, "user_type": "agent"},
        token=agent2,
    )
    state["queued"].say("are you there?")
    state["queued"].say("still waiting")
    taken = state["agent2"].chat_id
    thread = agent_call(server, "get_chat_threads", {"chat_id": taken})["chat"]["threads"][-1]["id"]
    agent_call(server, "tag_chat_thread", {"chat_id": taken, "thread_id": thread, "tag": f"vip{name}"}, token=agent2)
    agent_call(
        server, "update_chat_properties", {"chat_id": taken, "properties": {"routing": {"pinned": True}}}, token=agent2
    )
    agent_call(
        server,
        "transfer_chat",
        {"chat_id": taken, "target": {"type": "agent", "ids": [me]}, "force": True},
        token=agent2,
    )
    agent_call(server, "close_thread", {"chat_id": state["closing"].chat_id}, token=agent2)
    return {
        cid: last_event_id(server, cid)
        for cid in (fresh.chat_id, state["queued"].chat_id, taken, state["closing"].chat_id)
    }


async def pushes_applied(pilot, screen, ids: dict[str, str]) -> None:
    await wait_for(
        pilot,
        lambda: all(screen.store.known.get(c, e) for c, e in ids.items()),
        timeout=20,
        what="every push applied",
    )


def make_world(server: EmbeddedEmulator, name: str) -> dict:
    """Before the console starts: a queued chat, a chat of agent2's, a chat that will close."""
    agent2 = token_of(server, AGENT2)
    world = {}
    for key in ("queued", "agent2", "closing"):
        customer = Customer(server.info.base_url, f"{key.title()}{name}")
        customer.start_chat(f"first message of {key}")
        world[key] = customer
    for key in ("agent2", "closing"):
        agent_call(
            server,
            "add_user_to_chat",
            {"chat_id": world[key].chat_id, "user_id": AGENT2, "user_type": "agent"},
            token=agent2,
        )
    return world


@contextlib.asynccontextmanager
async def starting_console(server: EmbeddedEmulator, data_dir, version: str = "3.0"):
    """The console (speaking `version`) right after it was started (no waiting for login or
    resync)."""
    from lcconsole.ui.app import ConsoleApp

    settings = Settings(base_url=server.info.base_url, token=Secret(server.info.token), api_version=version)
    app = ConsoleApp(settings, data_dir=data_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        yield app, pilot


def _quiet(screen) -> bool:
    groups = {"resync", "open", "refetch"}
    return screen.synced and not any(w.group in groups and not w.is_finished for w in screen.workers)


READS = {
    "3.0": {"login": "login", "summaries": "get_chats_summary", "chat": "get_chat_threads"},
    "3.6": {"login": "login", "summaries": "list_chats", "chat": "get_chat"},
}
"""The console's reads in each API version (what a hold or a fault names)."""
HOLDABLE = [("login", 0), ("summaries", 0), ("summaries", 1), ("chat", 0)]


@pytest.mark.parametrize("version", ["3.0", "3.6"])
@pytest.mark.parametrize("phase", ["login", "reconnect"])
@pytest.mark.parametrize(
    ("read", "skip"), HOLDABLE, ids=["rtm-login", "summary-page-1", "summary-page-2", "chat-threads"]
)
async def test_held_answer_never_undoes_pushes(server, tmp_path, monkeypatch, phase, read, skip, version):
    import lcconsole.ui.controllers.session_controller as controller

    # two pages from this world alone (its three chats), more with the chats of tests run before it
    monkeypatch.setattr(controller, "SUMMARY_PAGE_SIZE", 2)
    action = READS[version][read]
    name = f"{phase}{action}{skip}{version}".replace("_", "").replace(".", "")
    world = make_world(server, name)
    if phase == "login":
        hold = HOLDS.arm(action, skip)
    held_login = action == "login"
    async with starting_console(server, tmp_path, version) as (app, pilot):
        screen = await wait_for(
            pilot,
            lambda: (
                app.main_screen
                if app.main_screen is not None and (held_login and phase == "login" or app.main_screen.sync.logins)
                else None
            ),
            timeout=20,
            what="login",
        )
        if phase == "reconnect":
            await wait_for(pilot, lambda: _quiet(screen), timeout=20, what="first resync")
            hold = HOLDS.arm(action, skip)
            server.disconnect_rtm()
            if not held_login:
                await wait_for(pilot, lambda: screen.sync.logins == 2, timeout=20, what="second login")
        await wait_for(pilot, hold.held.is_set, timeout=20, what=f"{action} answered and held")
        ids = drive_changes(server, world, name)
        if not held_login:  # a held login answer holds the pushes behind it
            await pushes_applied(pilot, screen, ids)
        hold.release()
        await pushes_applied(pilot, screen, ids)
        await wait_for(pilot, lambda: _quiet(screen), timeout=20, what="resync done")
        await converged(pilot, server, screen)
        mine = {cid for cid, row in screen.query_one("ChatList").items.items() if row.section == "mine"}
        assert {world["queued"].chat_id, world["agent2"].chat_id} <= mine


@pytest.mark.parametrize("version", ["3.0", "3.6"])
async def test_outbox_sends_once_while_the_did_it_land_lookup_fails(server, tmp_path, monkeypatch, version):
    """A message that landed just before the console died is in its outbox; after the restart
    every lookup that could tell fails (5xx, then timeouts) for several retry rounds: it is
    never sent a second time, and leaves the outbox once a lookup finds it."""
    import json
    import uuid
    from dataclasses import asdict

    import httpx
    from app_harness import console, events_of

    import lcconsole.ui.screens.main as main_screen
    from lcconsole.ui.persist import OutboxEntry

    monkeypatch.setattr(main_screen, "OUTBOX_RETRY", 0.2)
    customer = Customer(server.info.base_url, "Outboxer" + version.replace(".", ""))
    chat_id = customer.start_chat("please answer")
    landed = OutboxEntry(custom_id="lcc-" + uuid.uuid4().hex, chat_id=chat_id, kind="message", text="exactly once")
    agent_call(
        server,
        "send_event",
        {"chat_id": chat_id, "event": {"type": "message", "text": landed.text, "custom_id": landed.custom_id}},
    )
    customer.say("thanks")  # the chat's last message (in every summary) is not the landed one
    (tmp_path / "outbox.json").write_text(json.dumps([asdict(landed)]))
    lookup = READS[version]["chat"]
    failing = HOLDS.fail(lookup, 10**6)
    try:
        async with console(server, tmp_path, api_version=version) as (app, pilot, screen):
            await wait_for(pilot, lambda: failing.seen >= 9, timeout=20, what="lookups failing with 5xx")
            assert screen.outbox.pending()
            screen.session.client._http().timeout = httpx.Timeout(0.3)
            stall = HOLDS.stall(lookup, 10**6, 1.0)
            failing.times = 0
            await wait_for(pilot, lambda: stall.seen >= 3, timeout=20, what="lookups timing out")
            assert screen.outbox.pending()
            stall.times = 0
            screen.session.client._http().timeout = httpx.Timeout(20.0)
            await wait_for(pilot, lambda: not screen.outbox.entries, timeout=20, what="outbox settled")
    finally:
        failing.times = 0
    assert [e.get("text") for e in events_of(server, chat_id)].count("exactly once") == 1
