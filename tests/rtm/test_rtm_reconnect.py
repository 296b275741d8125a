"""Reconnect, re-login and the agent_disconnected rules (docs/api-notes.md §3.5)."""

from __future__ import annotations

import asyncio

import pytest
from rtm_fake import GOOD_TOKEN

from lcconsole.rtm import DisconnectedError, RtmConnection, describe_disconnect, should_reconnect
from lcconsole.rtm.state import RECONNECT_REASONS, STOP_REASONS, Backoff
from lcconsole.secret import Credentials
from lcconsole.wire.pushes import AgentDisconnectedPush


async def wait_for_status(conn, status, timeout=3.0):
    async with asyncio.timeout(timeout):
        while conn.state.status != status:
            await asyncio.sleep(0.005)


def statuses(states):
    out = []
    for s in states:
        if not out or out[-1] != s.status:
            out.append(s.status)
    return out


async def test_server_close_reconnects_and_logs_in_again(server, fast):
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    states, logins = [], []
    conn.add_state_listener(states.append)
    conn.add_login_listener(logins.append)
    await conn.start()
    try:
        await server.drop()
        await server.wait_logins(2)
        await wait_for_status(conn, "connected")
        assert len(logins) == 2
        assert statuses(states) == ["connecting", "connected", "reconnecting", "connected"]
        reconnecting = [s for s in states if s.status == "reconnecting"]
        assert reconnecting[0].attempt == 1 and reconnecting[0].retry_in == pytest.approx(0.02)
        assert reconnecting[0].reason == "the connection was lost"
        second = server.actions("login")[1]["payload"]
        assert second["token"] == f"Bearer {GOOD_TOKEN}" and second["reconnect"] is True
        assert await conn.call("x", {"after": "reconnect"}) == {"echo": {"after": "reconnect"}}
    finally:
        await conn.close()


async def test_server_down_then_back_reconnects_with_backoff(server, fast):
    conn = RtmConnection(
        server.base_url, GOOD_TOKEN, **{**fast, "backoff": Backoff(initial=0.02, maximum=0.08, jitter=0.0)}
    )
    states = []
    conn.add_state_listener(states.append)
    await conn.start()
    try:
        port = server.port
        await server.drop()
        await server.stop()
        async with asyncio.timeout(3):
            while not any(s.status == "reconnecting" and s.attempt >= 4 for s in states):
                await asyncio.sleep(0.01)
        delays = [s.retry_in for s in states if s.status == "reconnecting" and s.retry_in is not None]
        assert delays[:4] == pytest.approx([0.02, 0.04, 0.08, 0.08])
        assert f"cannot reach 127.0.0.1:{port} (connection refused)" in [s.reason for s in states]
        with pytest.raises(Exception) as info:
            await conn.call("anything")
        assert "not connected" in str(info.value)
        await server.start(port)
        await server.wait_logins(2)
        await wait_for_status(conn, "connected")
    finally:
        await conn.close()


async def test_retry_now_skips_the_backoff_wait(server, fast):
    """The agent does not wait out a long backoff: `retry_now` reconnects at once (and says
    False when there is no wait to skip)."""
    conn = RtmConnection(
        server.base_url, GOOD_TOKEN, **{**fast, "backoff": Backoff(initial=60, maximum=60, jitter=0.0)}
    )
    await conn.start()
    try:
        assert conn.retry_now() is False  # connected: nothing to skip
        await server.drop()
        await wait_for_status(conn, "reconnecting")
        assert conn.state.retry_in == 60
        assert conn.retry_now() is True
        await server.wait_logins(2)
        await wait_for_status(conn, "connected")
    finally:
        await conn.close()


def test_the_default_backoff_is_back_within_seconds():
    """Capped like LiveChat's chat SDK (1-4 s): after a long outage, the next try is seconds away."""
    assert all(Backoff().delay(attempt) <= 4.0 * 1.2 for attempt in range(1, 40))


@pytest.mark.parametrize("reason", sorted(STOP_REASONS))
async def test_no_reconnect_reasons_go_offline(server, fast, reason):
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    states = []
    conn.add_state_listener(states.append)
    await conn.start()
    try:
        await server.disconnect(reason)  # misdirected_connection naming a region: see test_region_*
        await wait_for_status(conn, "offline")
        assert conn.state.code == reason
        assert conn.state.reason == describe_disconnect(reason)
        await asyncio.sleep(0.1)  # five backoff periods: no new connection may appear
        assert len(server.connections) == 1
        assert "reconnecting" not in statuses(states)
        got = [p async for p in conn.pushes()]  # ends: offline for good
        assert isinstance(got[-1], AgentDisconnectedPush) and got[-1].reason == reason
    finally:
        await conn.close()


@pytest.mark.parametrize("reason", sorted(RECONNECT_REASONS))
async def test_reconnect_reasons_reconnect(server, fast, reason):
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    states, logins = [], []
    conn.add_state_listener(states.append)
    conn.add_login_listener(logins.append)
    await conn.start()
    try:
        await server.disconnect(reason)
        await server.wait_logins(2)
        await wait_for_status(conn, "connected")
        assert len(logins) == 2
        assert statuses(states)[-3:] == ["connected", "reconnecting", "connected"]
        assert [s.code for s in states if s.status == "reconnecting"][0] == reason
    finally:
        await conn.close()


async def test_expired_token_without_provider_stops(server, fast):
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    await conn.start()
    try:
        await server.disconnect("access_token_expired")
        await wait_for_status(conn, "offline")
        assert "expired" in conn.state.reason
        await asyncio.sleep(0.1)
        assert len(server.connections) == 1
    finally:
        await conn.close()


async def test_expired_token_with_provider_reconnects_with_new_token(server, fast):
    calls = []

    async def provider():
        calls.append(1)
        return GOOD_TOKEN

    conn = RtmConnection(server.base_url, "old-expired-token", token_provider=provider, **fast)

    async def accept_any(frame, ws):
        server.login_count += 1
        await server.reply(ws, frame, {"my_profile": {"id": "agent1@example.com", "type": "agent"}})
        server.logged_in.set()

    server.handlers["login"] = accept_any
    await conn.start()
    try:
        await server.disconnect("access_token_expired")
        await server.wait_logins(2)
        await wait_for_status(conn, "connected")
        assert calls == [1]
        tokens = [f["payload"]["token"] for f in server.actions("login")]
        assert tokens == ["Bearer old-expired-token", f"Bearer {GOOD_TOKEN}"]
    finally:
        await conn.close()


async def test_relogin_refused_goes_offline(server, fast):
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    await conn.start()
    try:

        async def refuse(frame, ws):
            await server.reply(
                ws, frame, {"error": {"type": "authentication", "message": "Invalid access token"}}, False
            )

        server.handlers["login"] = refuse
        await server.drop()
        await wait_for_status(conn, "offline")
        assert conn.state.code == "authentication"
        await asyncio.sleep(0.1)
        assert len(server.connections) == 2
    finally:
        await conn.close()


async def test_reconnect_disabled_goes_offline(server, fast):
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **{**fast, "reconnect": False})
    await conn.start()
    await server.drop()
    await wait_for_status(conn, "offline")
    assert conn.state.reason == "the connection was lost"
    await conn.close()


def test_reconnect_rules_table():
    assert not STOP_REASONS & RECONNECT_REASONS
    assert should_reconnect("access_token_expired", can_refresh_token=True)
    assert not should_reconnect("access_token_expired")
    assert not should_reconnect("access_token_revoked", can_refresh_token=True)
    assert should_reconnect("something_new")
    assert "region fra" in describe_disconnect("misdirected_connection", {"region": "fra"})


def test_backoff_grows_caps_and_jitters():
    b = Backoff(initial=0.5, maximum=30, jitter=0.2)
    for attempt, base in [(1, 0.5), (2, 1.0), (3, 2.0), (7, 30.0), (50, 30.0)]:
        samples = [b.delay(attempt) for _ in range(50)]
        assert all(base * 0.8 <= s <= base * 1.2 for s in samples)
        assert len(set(samples)) > 1


async def test_disconnect_instead_of_login_answer(server, fast):
    async def license_gone(frame, ws):
        await server.disconnect("license_expired")

    server.handlers["login"] = license_gone
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    with pytest.raises(DisconnectedError) as info:
        await conn.start()
    assert info.value.reason == "license_expired"
    assert conn.state.status == "offline" and conn.state.code == "license_expired"
    assert conn.state.reason == describe_disconnect("license_expired")


async def test_too_many_connections_at_relogin_keeps_retrying(server, fast):
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    await conn.start()
    refusals = {"n": 0}

    async def busy_twice(frame, ws):
        if refusals["n"] < 2:
            refusals["n"] += 1
            await server.disconnect("too_many_connections")
        else:
            del server.handlers["login"]
            await server._dispatch(ws, frame)

    try:
        server.handlers["login"] = busy_twice
        await server.drop()
        await server.wait_logins(2)
        await wait_for_status(conn, "connected")
        assert refusals["n"] == 2
        assert len(server.connections) == 4
    finally:
        await conn.close()


async def test_refused_relogin_refreshes_token_once(server, fast):
    tokens = iter([GOOD_TOKEN])
    conn = RtmConnection(server.base_url, GOOD_TOKEN, token_provider=lambda: next(tokens), **fast)
    await conn.start()
    try:
        conn._credentials = Credentials.bearer("stale-token")  # as if it expired while the link was down
        await server.drop()
        await server.wait_logins(2)
        await wait_for_status(conn, "connected")
        sent = [f["payload"]["token"] for f in server.actions("login")]
        assert sent == [f"Bearer {GOOD_TOKEN}", "Bearer stale-token", f"Bearer {GOOD_TOKEN}"]
    finally:
        await conn.close()
