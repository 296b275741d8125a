"""`lcconsole pushes` against the fake RTM server (a real subprocess), and import hygiene."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys

import pytest
from rtm_fake import GOOD_TOKEN, PUSH_SAMPLES

from lcconsole.cli import pushes_cmd


async def spawn(*args: str, env: dict | None = None) -> asyncio.subprocess.Process:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LCCONSOLE_")}
    full_env.update(env or {})
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "lcconsole",
        "pushes",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=full_env,
    )


async def finish(proc, timeout=10.0):
    async with asyncio.timeout(timeout):
        out, err = await proc.communicate()
    return proc.returncode, out.decode(), err.decode()


async def test_pushes_cli_prints_json_lines_until_interrupted(server):
    proc = await spawn("--base-url", server.base_url, env={"LCCONSOLE_TOKEN": GOOD_TOKEN})
    try:
        await server.wait_logins(1, timeout=15)
        sent = ["incoming_event", "thread_closed", "customer_updated"]
        for action in sent:
            await server.push(action, PUSH_SAMPLES[action])
        await server.push("brand_new_push", {"x": [1, "ü"]})
        lines = []
        async with asyncio.timeout(5):
            while len(lines) < 4:
                lines.append(json.loads(await proc.stdout.readline()))
        assert lines == [{"action": a, "payload": PUSH_SAMPLES[a]} for a in sent] + [
            {"action": "brand_new_push", "payload": {"x": [1, "ü"]}}
        ]
        proc.send_signal(signal.SIGINT)
        code, out, err = await finish(proc)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert code == 0
    assert out == ""
    assert "Traceback" not in err
    assert "connected" in err
    assert GOOD_TOKEN not in err
    assert server.actions("logout"), "Ctrl-C logs out cleanly"


async def test_pushes_cli_login_failure(server):
    proc = await spawn("--base-url", server.base_url, "--token", "bad-secret-value")
    code, out, err = await finish(proc)
    assert code == 1
    assert out == ""
    assert err.strip().splitlines()[-1] == "error: authentication: Invalid access token"
    assert "bad-secret-value" not in err and "Traceback" not in err


async def test_pushes_cli_exits_when_server_ends_the_session(server):
    proc = await spawn("--token", GOOD_TOKEN, env={"LCCONSOLE_BASE_URL": server.base_url})
    try:
        await server.wait_logins(1, timeout=15)
        await server.disconnect("agent_logged_out_remotely")
        code, out, err = await finish(proc)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert code == 1
    assert json.loads(out.strip().splitlines()[-1]) == {
        "action": "agent_disconnected",
        "payload": {"reason": "agent_logged_out_remotely"},
    }
    assert "error: disconnected: logged out remotely" in err


def test_pushes_cli_help_hides_token(capsys, monkeypatch):
    monkeypatch.setenv("LCCONSOLE_TOKEN", "env-secret-token")
    with pytest.raises(SystemExit) as info:
        pushes_cmd.main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "--token" in out and "--base-url" in out
    assert "env-secret-token" not in out


def test_pushes_cli_without_token(capsys, monkeypatch):
    monkeypatch.delenv("LCCONSOLE_TOKEN", raising=False)
    assert pushes_cmd.main(["--base-url", "http://127.0.0.1:9"]) == 2
    assert "LCCONSOLE_TOKEN" in capsys.readouterr().err


async def test_pushes_cli_in_v36_with_a_pat(server):
    import base64

    from rtm_fake import LOGIN_PAYLOAD

    basic = "Basic " + base64.b64encode(b"acc-1:PAT-s3cr3t-xyz").decode()

    async def login(frame, conn):
        ok = frame["payload"]["token"] == basic
        await server.reply(
            conn,
            frame,
            LOGIN_PAYLOAD if ok else {"error": {"type": "authentication", "message": "Invalid access token"}},
            ok,
        )
        if ok:
            server.login_count += 1
            server.logged_in.set()

    server.handlers["login"] = login
    proc = await spawn(
        "--base-url",
        server.base_url,
        "--api-version",
        "3.6",
        env={"LCCONSOLE_ACCOUNT_ID": "acc-1", "LCCONSOLE_PAT": "PAT-s3cr3t-xyz"},
    )
    try:
        await server.wait_logins(1, timeout=15)
        await server.push("thread_tagged", {"chat_id": "C", "thread_id": "T", "tag": "vip"})
        line = await asyncio.wait_for(proc.stdout.readline(), 10)
        assert json.loads(line) == {
            "action": "thread_tagged",
            "payload": {"chat_id": "C", "thread_id": "T", "tag": "vip"},
        }
        assert server.paths == ["/v3.6/agent/rtm/ws"]
    finally:
        proc.send_signal(signal.SIGINT)
        code, out, err = await finish(proc)
    assert code == 0 and "PAT-s3cr3t-xyz" not in out + err


def test_pushes_help_names_pat_options_and_shows_no_secret(capsys, monkeypatch):
    monkeypatch.setenv("LCCONSOLE_PAT", "PAT-s3cr3t-xyz")
    with pytest.raises(SystemExit):
        pushes_cmd.main(["--help"])
    out = capsys.readouterr().out
    assert "--pat" in out and "--account-id" in out and "--api-version" in out
    assert "PAT-s3cr3t-xyz" not in out
