"""RTM login with a PAT (`Basic`), and the region switch after `misdirected_*`."""

from __future__ import annotations

import asyncio
import base64

from rtm_fake import GOOD_TOKEN, LOGIN_PAYLOAD

from lcconsole.rtm import RtmConnection
from lcconsole.rtm.url import regional_url
from lcconsole.secret import Credentials

ACCOUNT = "e5a2f2c1-7f0f-4d7e-9f3b-0c4a8b1d2e3f"
PAT = "fra:PAT-s3cr3t-value-xyz"


def _region(headers: dict) -> str | None:
    return {k.lower(): v for k, v in headers.items()}.get("x-region")


async def test_pat_logs_in_with_basic_token(server, fast, caplog):
    expected = "Basic " + base64.b64encode(f"{ACCOUNT}:{PAT}".encode()).decode()

    async def login(frame, conn):
        ok = frame["payload"]["token"] == expected
        await server.reply(
            conn,
            frame,
            LOGIN_PAYLOAD if ok else {"error": {"type": "authentication", "message": "Invalid access token"}},
            ok,
        )

    server.handlers["login"] = login
    conn = RtmConnection(server.base_url, Credentials.basic(ACCOUNT, PAT), **fast)
    caplog.set_level("DEBUG")
    try:
        login_response = await conn.start()
        assert login_response.my_profile.id == "agent1@example.com"
        assert server.actions("login")[0]["payload"]["token"] == expected
        assert PAT not in repr(conn) and PAT not in caplog.text
        assert expected.split()[1] not in caplog.text
    finally:
        await conn.close()


async def test_misdirected_login_switches_region_and_retries_once(server, fast):
    async def login(frame, conn):
        if _region(server.headers[-1]) == "fra":
            await server.reply(conn, frame, LOGIN_PAYLOAD)
        else:
            await server.reply(
                conn,
                frame,
                {"error": {"type": "misdirected_request", "message": "Wrong region", "data": {"region": "fra"}}},
                False,
            )

    server.handlers["login"] = login
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    try:
        await conn.start()
        assert conn.region == "fra" and conn.state.status == "connected"
        assert [_region(h) for h in server.headers] == [None, "fra"]
    finally:
        await conn.close()


async def test_misdirected_connection_mid_session_reconnects_in_the_named_region(server, fast):
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    logins = []
    conn.add_login_listener(logins.append)
    try:
        await conn.start()
        await server.disconnect("misdirected_connection", {"region": "fra"})
        async with asyncio.timeout(3):
            while len(logins) < 2:
                await asyncio.sleep(0.01)
        assert conn.region == "fra" and conn.state.status == "connected"
        assert [_region(h) for h in server.headers] == [None, "fra"]
    finally:
        await conn.close()


async def test_region_switch_happens_once_only(server, fast):
    """A server that keeps naming another region is not followed around: offline after one switch."""

    async def login(frame, conn):
        other = "dal" if _region(server.headers[-1]) == "fra" else "fra"
        await server.reply(
            conn,
            frame,
            {"error": {"type": "misdirected_request", "message": "Wrong region", "data": {"region": other}}},
            False,
        )

    server.handlers["login"] = login
    conn = RtmConnection(server.base_url, GOOD_TOKEN, **fast)
    try:
        try:
            await conn.start()
        except Exception as exc:  # noqa: BLE001 - any failure is the answer under test
            assert type(exc).__name__ == "MisdirectedRequestError"
        else:
            raise AssertionError("login should have failed")
        assert len(server.connections) == 2
        assert conn.state.status == "offline"
    finally:
        await conn.close()


def test_regional_url_only_rewrites_livechat_hosts():
    assert (
        regional_url("wss://api.livechatinc.com/v3.6/agent/rtm/ws", "fra")
        == "wss://api-fra.livechatinc.com/v3.6/agent/rtm/ws"
    )
    assert (
        regional_url("wss://api-fra.livechatinc.com/v3.6/agent/rtm/ws", "dal")
        == "wss://api.livechatinc.com/v3.6/agent/rtm/ws"
    )
    assert regional_url("ws://127.0.0.1:9/v3.6/agent/rtm/ws", "fra") == "ws://127.0.0.1:9/v3.6/agent/rtm/ws"


async def test_server_echo_of_the_pat_is_scrubbed_from_errors_and_state(server, fast):
    creds = Credentials.basic(ACCOUNT, PAT)
    echo = f"bad token {creds.authorization()} / {PAT}"

    async def login(frame, conn):
        await server.reply(conn, frame, {"error": {"type": "authentication", "message": echo}}, False)

    server.handlers["login"] = login
    conn = RtmConnection(server.base_url, creds, **fast)
    try:
        await conn.start()
    except Exception as exc:  # noqa: BLE001 - any failure is the answer under test
        shown = f"{exc} {exc!r} {conn.state.reason}"
    else:
        raise AssertionError("login should fail")
    finally:
        await conn.close()
    assert PAT not in shown and creds.authorization().split()[1] not in shown and "***" in shown
