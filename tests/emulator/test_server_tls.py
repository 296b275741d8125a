"""`--tls-cert/--tls-key`: the real emulator process serves https:// and wss:// (and says so in
its ready file); a bad or half-given pair is refused before serving."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys

import httpx
import pytest
from _rtm_frames import response_to, until
from _tls import self_signed
from websockets.asyncio.client import connect

from lcconsole.emulator.auth import basic_header


@pytest.fixture
def tls(tmp_path):
    return self_signed(tmp_path)


async def test_https_and_wss_with_a_pat(spawn_emulator, tls):
    proc = spawn_emulator(extra=("--tls-cert", tls.cert, "--tls-key", tls.key))
    info = proc.info
    port = info["base_url"].rsplit(":", 1)[1]
    assert info["base_url"] == f"https://127.0.0.1:{port}" and info["tls"] is True
    assert info["rtm_url"] == f"wss://127.0.0.1:{port}/v3.0/agent/rtm/ws"
    assert info["customer_token_url"] == f"https://127.0.0.1:{port}/customer/token"
    admin = info["agents"][0]
    pat = basic_header(admin["account_id"], admin["pat"])

    with httpx.Client(verify=ssl.create_default_context(cafile=tls.cert), timeout=10) as http:
        customer = http.post(info["customer_token_url"], json={}).json()
        started = http.post(
            f"{info['base_url']}/v3.0/customer/action/start_chat",
            json={"chat": {"thread": {"events": [{"type": "message", "text": "over TLS"}]}}},
            headers={"Authorization": f"Bearer {customer['access_token']}"},
        )
        assert started.status_code == 200, started.text
        chat_id = started.json()["chat"]["id"]
        sent = http.post(
            f"{info['base_url']}/v3.0/agent/action/send_file",
            data={"chat_id": chat_id},
            files={"file": ("note.txt", b"secret bytes", "text/plain")},
            headers={"Authorization": pat},
        )
        assert sent.status_code == 200, sent.text
        url = sent.json()["url"]
        assert url.startswith(f"https://127.0.0.1:{port}/")  # file URLs follow the scheme
        assert http.get(url).content == b"secret bytes"
        # the certificate is checked: a client that does not trust it cannot connect
        with pytest.raises(httpx.ConnectError):
            httpx.post(
                f"{info['base_url']}/v3.0/agent/action/get_chats_summary",
                json={},
                headers={"Authorization": pat},
                timeout=5,
            )

    context = ssl.create_default_context(cafile=tls.cert)
    async with connect(info["rtm_url"], ssl=context) as ws:
        await ws.send(json.dumps({"request_id": "l", "action": "login", "payload": {"token": pat}}))
        login = (await until(ws, response_to("l")))[0]
        assert login["success"] and login["payload"]["my_profile"]["id"] == admin["id"]
        assert chat_id in [c["id"] for c in login["payload"]["chats_summary"]]
    # and plain http on the same port is not served
    with pytest.raises(httpx.HTTPError):
        httpx.post(
            f"http://127.0.0.1:{port}/v3.0/agent/action/get_chats_summary",
            json={},
            headers={"Authorization": pat},
            timeout=5,
        )


@pytest.mark.parametrize(
    "args, message",
    [
        (lambda t: ("--tls-cert", t.cert), "--tls-cert and --tls-key go together"),
        (lambda t: ("--tls-key", t.key), "--tls-cert and --tls-key go together"),
        (lambda t: ("--tls-cert", t.key, "--tls-key", t.key), "cannot use --tls-cert/--tls-key"),
        (lambda t: ("--tls-cert", t.cert, "--tls-key", t.cert + ".missing"), "cannot use --tls-cert/--tls-key"),
    ],
)
def test_unusable_tls_arguments_exit_2(tls, args, message):
    result = subprocess.run(
        [sys.executable, "-m", "lcconsole", "emulator", "--db", ":memory:", "--no-simulate", *args(tls)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
