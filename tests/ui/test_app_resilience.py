"""Issue 5 in the console: outbox delivered exactly once, resync after the server comes back."""

from __future__ import annotations

import gc
import json
import socket
import uuid
from dataclasses import asdict

import pytest
from app_harness import Customer, agent_call, console, events_of, open_chat, server, type_text, wait_for  # noqa: F401  (fixtures, used by parameter name)

from lcconsole.emulator import embedded
from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.rtm.state import Backoff
from lcconsole.ui.persist import OutboxEntry
from lcconsole.ui.widgets.composer import Composer
from lcconsole.ui.widgets.transcript import Transcript


def footer_ids(screen) -> set[str]:
    """The binding ids the footer offers now."""
    return {active.binding.id for active in screen.active_bindings.values() if active.enabled}


def texts(server, chat_id):
    return [e.get("text") for e in events_of(server, chat_id) if e["type"] == "message"]


async def test_outbox_left_by_a_killed_console_is_sent_exactly_once(server, tmp_path):
    customer = Customer(server.info.base_url, "K" + uuid.uuid4().hex[:5])
    chat_id = customer.start_chat("hello")
    landed = OutboxEntry(
        custom_id="lcc-" + uuid.uuid4().hex, chat_id=chat_id, kind="message", text="sent just before the kill"
    )
    waiting = OutboxEntry(custom_id="lcc-" + uuid.uuid4().hex, chat_id=chat_id, kind="note", text="never got out")
    # the first one reached the server before the process died; the second did not
    agent_call(
        server,
        "send_event",
        {"chat_id": chat_id, "event": {"type": "message", "text": landed.text, "custom_id": landed.custom_id}},
    )
    (tmp_path / "outbox.json").write_text(json.dumps([asdict(landed), asdict(waiting)]))
    async with console(server, tmp_path) as (app, pilot, screen):
        await wait_for(pilot, lambda: not screen.outbox.entries, what="outbox delivered")
    assert texts(server, chat_id).count(landed.text) == 1
    assert texts(server, chat_id).count(waiting.text) == 1
    note = [e for e in events_of(server, chat_id) if e.get("text") == waiting.text][0]
    assert note["recipients"] == "agents" and note["custom_id"] == waiting.custom_id
    assert json.loads((tmp_path / "outbox.json").read_text()) == []


@pytest.fixture
def fixed_port(monkeypatch):
    """Make EmbeddedEmulator bind one fixed loopback port, so a restart comes back at the same URL."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    original = embedded.bind_socket
    monkeypatch.setattr(embedded, "bind_socket", lambda host="127.0.0.1", _port=0: original(host, port))
    return port


async def test_server_restart_outbox_and_resync(tmp_path, fixed_port, monkeypatch):
    """The server goes away and comes back; the agent does not wait out the next try (a minute
    here) but reconnects with the key offered meanwhile."""
    from lcconsole.rtm import connection

    monkeypatch.setattr(connection, "Backoff", lambda: Backoff(initial=60, maximum=60, jitter=0.0))
    db = str(tmp_path / "emulator.db")
    first = EmbeddedEmulator(db=db, seed="empty", simulate=False)
    first.start()
    restarted = None
    try:
        customer = Customer(first.info.base_url, "R" + uuid.uuid4().hex[:5])
        chat_id = customer.start_chat("hello")
        async with console(first, tmp_path / "data") as (app, pilot, screen):
            await open_chat(pilot, screen, customer.name, chat_id)
            first.stop()
            status = screen.query_one("#status")
            await wait_for(pilot, lambda: status.state != "connected", what="offline shown")
            assert "retry in 60s" in status.reason
            await wait_for(pilot, lambda: "app.reconnect" in footer_ids(screen), what="the reconnect key offered")
            await pilot.press("r")
            await type_text(pilot, "sent offline")
            await pilot.press("ctrl+s")
            composer = screen.query_one(Composer)
            tried = lambda: [e for e in screen.outbox.pending() if e.error]  # noqa: E731
            await wait_for(pilot, lambda: tried() and composer.text == "", what="tried, kept in the outbox")
            transcript = screen.query_one(Transcript)
            assert any(e.kind == "pending" and e.text == "sent offline" for e in transcript.entries)
            # the server comes back; a customer writes before the console notices
            restarted = EmbeddedEmulator(db=db, seed="empty", simulate=False)
            restarted.start()
            customer.say("while you were away")
            await pilot.press("escape", "ctrl+r")
            await wait_for(pilot, lambda: status.state == "connected", timeout=15, what="reconnected")
            await wait_for(pilot, lambda: "app.reconnect" not in footer_ids(screen), what="the reconnect key gone")
            await wait_for(pilot, lambda: status.notice.startswith("resynced"), what="resync notice")
            assert "1 chats" in status.notice and "new events" in status.notice
            await wait_for(pilot, lambda: not screen.outbox.entries, what="outbox delivered")
            await wait_for(
                pilot,
                lambda: [e.text for e in transcript.entries].count("while you were away") == 1,
                what="customer message shown once",
            )
            await wait_for(
                pilot,
                lambda: [e.text for e in transcript.entries].count("sent offline") == 1,
                what="own message shown once",
            )
        all_texts = texts(restarted, chat_id)
        assert all_texts.count("sent offline") == 1 and all_texts.count("while you were away") == 1
    finally:
        first.stop()
        if restarted is not None:
            restarted.stop()


async def test_failed_for_good_stays_visible_and_can_be_edited(server, tmp_path):
    """A failed note goes back into the composer as a note (never into a reply), and only into
    an empty composer (a text there is not overwritten)."""
    customer = Customer(server.info.base_url, "F" + uuid.uuid4().hex[:5])
    chat_id = customer.start_chat("hello")
    bad = OutboxEntry(
        custom_id="lcc-" + uuid.uuid4().hex, chat_id=chat_id, kind="note", text="y" * (17 * 1024)
    )  # refused by the server: too long
    (tmp_path / "outbox.json").write_text(json.dumps([asdict(bad)]))
    async with console(server, tmp_path) as (app, pilot, screen):
        await wait_for(pilot, lambda: screen.outbox.entries[bad.custom_id].state == "failed", what="failed")
        assert "validation" in screen.outbox.entries[bad.custom_id].error
        await open_chat(pilot, screen, customer.name, chat_id)
        transcript = screen.query_one(Transcript)
        failed = [e for e in transcript.entries if e.kind == "failed"]
        assert failed and failed[0].text == bad.text and "validation" in failed[0].lines[0]
        composer = screen.query_one(Composer)
        await pilot.press("r", *"a reply", "escape", "alt+e")
        held = lambda: any("composer holds a text" in n.message for n in app._notifications)  # noqa: E731
        await wait_for(pilot, held, what="refused: a text is there")
        assert composer.text == "a reply" and bad.custom_id in screen.outbox.entries
        composer.clear()
        await pilot.press("alt+e")  # edit: back into the composer, out of the outbox
        await wait_for(pilot, lambda: composer.text == bad.text, what="edited")
        assert composer.mode == "note"
        assert not screen.outbox.entries
        assert not any(e.kind == "failed" for e in transcript.entries)
    assert json.loads((tmp_path / "outbox.json").read_text()) == []


async def test_bad_token_shows_offline_with_the_reason(server, tmp_path):
    from lcconsole.config import Secret, Settings
    from lcconsole.ui.app import ConsoleApp

    secret = "not-a-real-token-" + uuid.uuid4().hex
    app = ConsoleApp(Settings(base_url=server.info.base_url, token=Secret(secret)), data_dir=tmp_path)
    gc.disable()  # as `ui.cli.main` starts the console: the main screen's first paint enables it
    async with app.run_test(size=(120, 30)) as pilot:
        try:
            await wait_for(pilot, gc.isenabled, what="the collector running again, even offline")
        finally:
            gc.enable()
        status = await wait_for(
            pilot,
            lambda: app.main_screen and app.main_screen.is_mounted and app.main_screen.query_one("#status"),
            what="main screen",
        )
        await wait_for(pilot, lambda: status.state == "offline" and status.reason, what="offline")
        shown = str(status.render())
        assert (
            "offline" in shown
            and "authentication" in (status.reason + shown).lower()
            or "token" in (status.reason + shown).lower()
        )
        assert secret not in shown
        assert all(secret not in n.message for n in app._notifications)
        assert not app.main_screen.session_ready
