"""The official, unmodified `lc-sdk-python` (AgentWeb and AgentRTM, v3.6) against the emulator
process over TLS with a self-signed certificate made here, authenticated with a personal access
token and with a bearer token: RTM login, a customer's message arriving as a push, list chats,
send an event, tag, transfer and deactivate, each effect read back. No credential reaches any
output: the SDK's own logging (loguru, to stderr: request headers and RTM login frames) is off,
and neither the test's captured output nor the emulator's log holds a token."""

from __future__ import annotations

import base64
import ssl
import threading
import time

import pytest
from _tls import self_signed
from livechat.agent.rtm.base import AgentRTM
from livechat.agent.web.base import AgentWeb
from livechat.utils.structures import AccessToken, TokenType
from loguru import logger

from lcconsole.wire.actions import ALL_SCOPES
from tests import loopback

AGENT2 = "agent2@example.com"


def wait_for_push(rtm, action: str, match, timeout: float = 10.0) -> dict:
    """The payload of the first push `action` on the SDK's socket for which `match` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with rtm.ws._messages_lock:  # the SDK's own message list (newest first)
            frames = list(rtm.ws.messages)
        for frame in reversed(frames):
            if frame.get("type") == "push" and frame.get("action") == action and match(frame["payload"]):
                return frame["payload"]
        time.sleep(0.05)
    seen = [f.get("action") for f in rtm.ws.messages]
    raise AssertionError(f"no {action} push; saw {seen}")


@pytest.fixture
def sdk_log():
    """What the SDK's loguru logging lets through, with the SDK's own records off: it logs every
    RTM request (the login with its token) at INFO to the stderr of the moment it was imported,
    which pytest shows beside a failing test."""
    records: list[str] = []
    sink = logger.add(records.append, level=0)
    logger.disable("livechat")
    yield records
    logger.enable("livechat")
    logger.remove(sink)


def ok(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def test_official_sdk_over_tls_with_a_pat_and_a_bearer_token(spawn_emulator, tmp_path, capfd, caplog, sdk_log):
    tls = self_signed(tmp_path)
    proc = spawn_emulator(
        extra=("--tls-cert", tls.cert, "--tls-key", tls.key, "--agent", f"{AGENT2}={','.join(ALL_SCOPES)}")
    )
    info = proc.info
    host = info["base_url"].removeprefix("https://")
    admin = info["agents"][0]
    pat = AccessToken(base64.b64encode(f"{admin['account_id']}:{admin['pat']}".encode()).decode(), TokenType.BASIC)
    bearer = f"Bearer {admin['token']}"
    trust = ssl.create_default_context(cafile=tls.cert)  # the test's own certificate only

    rtm_pat = AgentRTM.get_client(version="3.6", base_url=host)
    rtm_bearer = AgentRTM.get_client(version="3.6", base_url=host)
    web = AgentWeb.get_client(access_token=bearer, version="3.6", base_url=host, verify=trust, disable_logging=True)
    web_pat = AgentWeb.get_client(access_token=pat, version="3.6", base_url=host, verify=trust, disable_logging=True)
    customer_http = loopback.client(base_url=info["base_url"], verify=trust, timeout=10)
    try:
        rtm_pat.open_connection(response_timeout=15)
        login = rtm_pat.login(token=pat)
        assert login is not None and login.success, login and login.payload
        assert login.payload["my_profile"]["id"] == admin["id"]
        rtm_bearer.open_connection(response_timeout=15)
        again = rtm_bearer.login(token=bearer)
        assert again.success and again.payload["my_profile"]["id"] == admin["id"]

        # a customer writes (v3.6 customer side); the agent's sockets get it as a push
        customer = customer_http.post("/customer/token", json={"name": "SDK Customer"}).json()
        secrets = [admin["token"], admin["pat"], pat.token, customer["access_token"]]
        started = ok(
            customer_http.post(
                "/v3.6/customer/action/start_chat",
                json={"chat": {"thread": {"events": [{"type": "message", "text": "Hello from SDK test"}]}}},
                headers={"Authorization": f"Bearer {customer['access_token']}"},
            )
        )
        chat_id, thread_id = started["chat_id"], started["thread_id"]
        for rtm in (rtm_pat, rtm_bearer):
            pushed = wait_for_push(rtm, "incoming_chat", lambda p: p["chat"]["id"] == chat_id)
            assert [e["text"] for e in pushed["chat"]["thread"]["events"] if e["type"] == "message"] == [
                "Hello from SDK test"
            ]

        listed = ok(web_pat.list_chats())
        assert chat_id in [c["id"] for c in listed["chats_summary"]]
        assert listed["found_chats"] >= 1
        over_rtm = rtm_bearer.list_chats()
        assert over_rtm.success and chat_id in [c["id"] for c in over_rtm.payload["chats_summary"]]

        sent = ok(
            web.send_event(
                chat_id=chat_id, event={"type": "message", "text": "Hi, how can I help?", "visibility": "all"}
            )
        )
        event_id = sent["event_id"]
        wait_for_push(rtm_pat, "incoming_event", lambda p: p["event"]["id"] == event_id)
        over_ws = rtm_pat.send_event(chat_id=chat_id, event={"type": "message", "text": "via RTM"})
        assert over_ws.success and over_ws.payload["event_id"] != event_id

        assert ok(web_pat.tag_thread(chat_id=chat_id, thread_id=thread_id, tag="sdk-tag")) == {}
        wait_for_push(rtm_pat, "thread_tagged", lambda p: p["tag"] == "sdk-tag")
        thread = ok(web.get_chat(chat_id=chat_id))["thread"]
        assert thread["tags"] == ["sdk-tag"]
        assert [e["text"] for e in thread["events"] if e["type"] == "message"] == [
            "Hello from SDK test",
            "Hi, how can I help?",
            "via RTM",
        ]

        assert (
            ok(
                web.transfer_chat(
                    id=chat_id, target={"type": "agent", "ids": [AGENT2]}, ignore_agents_availability=True
                )
            )
            == {}
        )
        transferred = wait_for_push(rtm_pat, "chat_transferred", lambda p: p["chat_id"] == chat_id)
        assert transferred["transferred_to"]["agent_ids"] == [AGENT2]
        users = {u["id"] for u in ok(web_pat.get_chat(chat_id=chat_id))["users"] if u["type"] == "agent"}
        assert users == {AGENT2}

        # the requester left the chat with the transfer: v3.6 wants it to say so
        assert ok(web_pat.deactivate_chat(id=chat_id, ignore_requester_presence=True)) == {}
        wait_for_push(rtm_bearer, "chat_deactivated", lambda p: p["chat_id"] == chat_id)
        assert ok(web.get_chat(chat_id=chat_id))["thread"]["active"] is False

        # wrong credentials are refused the documented way
        bad = AgentWeb.get_client(
            access_token=AccessToken(
                base64.b64encode(f"{admin['account_id']}:dal:wrong".encode()).decode(), TokenType.BASIC
            ),
            version="3.6",
            base_url=host,
            verify=trust,
            disable_logging=True,
        )
        refused = bad.list_chats()
        assert refused.status_code == 401
        assert refused.json()["error"]["type"] == "authentication"
        bad.session.close()
    finally:
        for rtm in (rtm_pat, rtm_bearer):
            rtm.close_connection()
        for thread in threading.enumerate():  # the SDK's socket threads log their close (loguru):
            if thread.name.endswith("(run_forever)"):  # done before its logging is on again, and
                thread.join(timeout=5)  # before pytest closes the stderr it was imported with
        web.session.close()
        web_pat.session.close()
        customer_http.close()
    captured = capfd.readouterr()
    for output in (captured.out, captured.err, caplog.text, proc.log(), "".join(sdk_log)):
        leaked = sum(s in output for s in secrets)  # how many, never which (no token printed)
        assert leaked == 0, "a credential reached the output"
