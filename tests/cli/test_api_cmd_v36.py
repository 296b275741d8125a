"""`lcconsole api` in v3.6: the default against a real server, every action with the docs' samples,
`--list` per version, uploads, PAT as Basic."""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx
import pytest
from api.helpers import Recorder

from cli.pat import ACCOUNT, BASIC, PAT
from lcconsole.cli.api_cmd import main
from lcconsole.wire.dialects import V30, V36

WEB = json.loads((Path(__file__).parents[1] / "api" / "samples_v36.json").read_text())["web"]


def run(argv, rec=None):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, transport=rec.transport if rec else None, stdin=io.StringIO(""), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("action", sorted(a for a in V36.actions if a != "upload_file"))
def test_every_v36_action_by_default_against_the_real_server(action):
    answer = WEB[action]["response"] if WEB[action]["response"] is not None else {}
    rec = Recorder(httpx.Response(200, json=answer))
    code, out, err = run(
        [action, "--json", json.dumps(WEB[action]["request"]), "--account-id", ACCOUNT, "--pat", PAT], rec
    )
    assert (code, err) == (0, "")
    assert json.loads(out) == answer
    [request] = rec.requests
    assert str(request.url) == f"https://api.livechatinc.com/v3.6/agent/action/{action}"
    assert request.headers["Authorization"] == BASIC
    assert rec.json() == WEB[action]["request"]


def test_upload_file_with_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("hello")
    rec = Recorder(httpx.Response(200, json=WEB["upload_file"]["response"]))
    code, out, err = run(["upload_file", "--file", str(path), "--account-id", ACCOUNT, "--pat", PAT], rec)
    assert (code, err) == (0, "") and json.loads(out) == WEB["upload_file"]["response"]
    assert b'name="file"; filename="a.txt"' in rec.bodies[0]
    code, _, err = run(["upload_file", "--account-id", ACCOUNT, "--pat", PAT], rec)
    assert code == 2 and "needs --file" in err


def test_list_and_action_names_follow_the_version():
    code, out, _ = run(["--list"])
    listed = {line.split()[0] for line in out.splitlines()}
    assert code == 0 and listed == set(V36.actions)
    code, out, _ = run(["--list", "--api-version", "3.0"])
    assert {line.split()[0] for line in out.splitlines()} == set(V30.actions)
    code, _, err = run(["get_chats_summary", "--token", "tok-123"])
    assert code == 2 and "unknown action 'get_chats_summary' in API v3.6" in err
    rec = Recorder(httpx.Response(200, json={"chats_summary": []}))
    code, _, err = run(["get_chats_summary", "--token", "tok-123", "--api-version", "3.0"], rec)
    assert (code, err) == (0, "") and rec.requests[0].url.path == "/v3.0/agent/action/get_chats_summary"
    assert rec.requests[0].headers["Authorization"] == "Bearer tok-123"


def test_emulator_on_localhost_defaults_to_30_and_env_overrides(monkeypatch):
    rec = Recorder(httpx.Response(200, json={}))
    code, _, _ = run(
        ["close_thread", "--json", '{"chat_id": "C"}', "--token", "tok-123", "--base-url", "http://127.0.0.1:9"], rec
    )
    assert code == 0 and rec.requests[-1].url.path == "/v3.0/agent/action/close_thread"
    monkeypatch.setenv("LCCONSOLE_API_VERSION", "3.6")
    code, _, _ = run(
        ["deactivate_chat", "--json", '{"id": "C"}', "--token", "tok-123", "--base-url", "http://127.0.0.1:9"], rec
    )
    assert code == 0 and rec.requests[-1].url.path == "/v3.6/agent/action/deactivate_chat"
    monkeypatch.setenv("LCCONSOLE_API_VERSION", "2.0")
    code, _, err = run(["deactivate_chat", "--token", "tok-123"], rec)
    assert code == 2 and "unsupported API version" in err
