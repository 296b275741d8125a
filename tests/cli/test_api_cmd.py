"""`lcconsole api`: exit codes, stdout JSON, stderr format, --list, secrets; via main(argv)."""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest
from api.helpers import TOKEN, Recorder, fail, ok
from api.samples import REQUESTS, RESPONSES

from lcconsole.__main__ import main as lcconsole_main
from lcconsole.cli.api_cmd import main
from lcconsole.wire.actions import ACTIONS


@pytest.fixture(autouse=True)
def _v30(monkeypatch):
    monkeypatch.setenv("LCCONSOLE_API_VERSION", "3.0")  # these tests speak v3.0 (see test_api_cmd_v36.py)


def run(argv, rec=None, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, transport=rec.transport if rec else None, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("action", sorted(a for a in ACTIONS if a not in ("send_file", "upload_image")))
def test_every_json_action_prints_the_response(action):
    body = RESPONSES[action] if RESPONSES[action] is not None else {}
    rec = Recorder(ok(body))
    code, out, err = run(
        [action, "--json", json.dumps(REQUESTS[action]), "--token", TOKEN, "--base-url", "http://lc.test"], rec
    )
    assert (code, err) == (0, "")
    assert json.loads(out) == body
    assert rec.json() == REQUESTS[action]
    assert str(rec.requests[0].url) == f"http://lc.test/v3.0/agent/action/{action}"
    assert rec.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"


def test_the_server_json_is_printed_byte_for_byte():
    """Key order, spacing, number forms and fields the model does not know all survive."""
    body = (
        b'{"total_chats" :1,  "chats_summary":[{"id":"PJ0MRSHTDG","order":1e3,'
        b'"users":[],"x_new_field":{"b":2,"a":1}}],"next_page_id":null}'
    )
    rec = Recorder(httpx.Response(200, content=body, headers={"content-type": "application/json"}))
    code, out, err = run(["get_chats_summary", "--token", TOKEN, "--base-url", "http://lc.test"], rec)
    assert (code, err) == (0, "")
    assert out == body.decode() + "\n"


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("get_chats_summary", {"chats_summary": "not a list", "total_chats": 1}, "chats_summary"),
        ("get_chat_threads", {"chat": {"id": "PJ0MRSHTDG", "threads": [{"id": 7, "events": "x"}]}}, "chat.threads.0"),
        ("get_customers", [], ""),
    ],
)
def test_a_response_that_does_not_fit_the_model_is_exit_1_naming_action_and_field(action, body, field):
    rec = Recorder(httpx.Response(200, json=body))
    code, out, err = run(
        [action, "--json", json.dumps(REQUESTS[action]), "--token", TOKEN, "--base-url", "http://lc.test"], rec
    )
    assert (code, out) == (1, "")
    assert err.startswith(f"error: response_validation: {action}: unexpected response: {field}"), err


def test_token_and_base_url_from_environment_and_json_from_stdin(monkeypatch):
    monkeypatch.setenv("LCCONSOLE_TOKEN", TOKEN)
    monkeypatch.setenv("LCCONSOLE_BASE_URL", "http://env.test/")
    rec = Recorder(ok())
    code, out, _ = run(["close_thread", "--json", "-"], rec, stdin='{"chat_id": "PJ0MRSHTDG"}')
    assert code == 0 and json.loads(out) == {}
    assert str(rec.requests[0].url) == "http://env.test/v3.0/agent/action/close_thread"
    assert rec.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"


def test_api_error_goes_to_stderr_with_exit_1():
    rec = Recorder(fail(403, "authorization", "Agent has no access to chat"))
    code, out, err = run(["follow_chat", "--json", '{"chat_id": "C"}', "--token", TOKEN], rec)
    assert (code, out) == (1, "")
    assert err == "error: authorization: Agent has no access to chat\n"


def test_connection_failure_is_exit_1_after_the_attempts():
    rec = Recorder(httpx.ConnectError("refused"))
    code, _, err = run(["get_customers", "--token", TOKEN, "--attempts", "1"], rec)
    assert code == 1 and err.startswith("error: connection: ") and rec.calls == 1
    rec = Recorder(fail(503, "service_unavailable"), ok({"customers": []}))
    code, out, _ = run(["get_customers", "--token", TOKEN, "--attempts", "2"], rec)
    assert code == 0 and json.loads(out) == {"customers": []} and rec.calls == 2


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["no_such_action"], "unknown action"),
        (["send_event", "--json", "{not json"], "invalid JSON"),
        (["send_event", "--json", "[1]"], "JSON object"),
        (["send_event", "--json", '{"event": {"type": "message", "text": "x"}}'], "chat_id"),
        (["send_typing_indicator", "--json", '{"chat_id": "C", "is_typing": "yes"}'], "is_typing"),
        (["send_file", "--json", '{"chat_id": "C"}'], "--file"),
        (["upload_image"], "--file"),
        (["send_file", "--json", '{"chat_id": "C"}', "--file", "/nonexistent/x.png"], "cannot read"),
        (["close_thread", "--json", '{"chat_id": "C"}', "--file", "x"], "--file is only"),
        ([], "ACTION"),
        (["close_thread", "--bogus"], "unrecognized"),
    ],
)
def test_bad_arguments_exit_2_before_any_request(argv, needle):
    rec = Recorder(ok())
    code, out, err = run(argv + ["--token", TOKEN], rec)
    assert code == 2 and out == "" and needle in err
    assert rec.calls == 0


def test_missing_token_is_exit_2():
    rec = Recorder(ok())
    code, _, err = run(["close_thread", "--json", '{"chat_id": "C"}'], rec)
    assert code == 2 and "LCCONSOLE_TOKEN" in err and rec.calls == 0


def test_send_file_and_upload_image_with_file(tmp_path):
    path = tmp_path / "test.png"
    path.write_bytes(b"PNGDATA")
    rec = Recorder(ok({"url": "https://cdn.example/f.png"}))
    code, out, _ = run(
        ["send_file", "--json", json.dumps(REQUESTS["send_file"]), "--file", str(path), "--token", TOKEN], rec
    )
    assert code == 0 and json.loads(out) == {"url": "https://cdn.example/f.png"}
    body = rec.bodies[0]
    assert b'name="payload.chat_id"' in body and b'name="payload.custom_id"' in body
    assert b'name="payload.file"; filename="test.png"' in body and b"PNGDATA" in body
    code, out, _ = run(["upload_image", "--file", str(path), "--token", TOKEN], rec)
    assert code == 0 and b'name="payload.image"; filename="test.png"' in rec.bodies[1]


def test_too_large_file_is_refused_without_request(tmp_path):
    path = tmp_path / "big.bin"
    with open(path, "wb") as fh:
        fh.truncate(10 * 1024 * 1024 + 1)
    rec = Recorder(ok())
    code, _, err = run(["upload_image", "--file", str(path), "--token", TOKEN], rec)
    assert code == 2 and err.startswith("error: entity_too_large: ") and rec.calls == 0


def test_list_prints_every_action_with_scopes():
    code, out, _ = run(["--list"])
    lines = dict(line.split(None, 1) if " " in line.strip() else (line, "") for line in out.splitlines())
    assert code == 0 and set(lines) == set(ACTIONS)
    assert lines["send_event"].split() == list(ACTIONS["send_event"].scopes)
    assert lines["upload_image"].strip() == "-"


def test_token_never_in_help_or_errors(monkeypatch, capsys):
    monkeypatch.setenv("LCCONSOLE_TOKEN", TOKEN)
    assert main(["--help"]) == 0
    assert TOKEN not in capsys.readouterr().out
    rec = Recorder(fail(401, "authentication", f"bad token {TOKEN}"))
    code, out, err = run(["follow_chat", "--json", '{"chat_id": "C"}'], rec)
    assert code == 1 and TOKEN not in err + out and "***" in err
    code, out, err = run(["follow_chat", "other-secret-value", "--token", "other-secret-value"])
    assert code == 2 and "unrecognized arguments: ***" in err and "other-secret-value" not in err


def test_dispatcher_routes_to_api(capsys):
    assert lcconsole_main(["api", "--list"]) == 0
    assert "get_chats_summary" in capsys.readouterr().out


class _Handler(BaseHTTPRequestHandler):
    seen: list = []

    def do_POST(self):  # noqa: N802  (the name http.server dispatches to)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append((self.path, self.headers["Authorization"], json.loads(body)))
        if self.path.endswith("/follow_chat"):
            payload, status = json.dumps({"error": {"type": "not_found", "message": "Chat not found"}}), 404
        else:
            payload, status = json.dumps(RESPONSES["get_chat_threads_summary"]), 200
        data = payload.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_against_a_loopback_http_server():
    server = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        code, out, _ = run(
            ["get_chat_threads_summary", "--json", '{"chat_id": "PJ0MRSHTDG"}', "--base-url", base, "--token", TOKEN]
        )
        assert code == 0 and json.loads(out) == RESPONSES["get_chat_threads_summary"]
        code, out, err = run(["follow_chat", "--json", '{"chat_id": "X"}', "--base-url", base, "--token", TOKEN])
        assert (code, err) == (1, "error: not_found: Chat not found\n")
        assert _Handler.seen == [
            ("/v3.0/agent/action/get_chat_threads_summary", f"Bearer {TOKEN}", {"chat_id": "PJ0MRSHTDG"}),
            ("/v3.0/agent/action/follow_chat", f"Bearer {TOKEN}", {"chat_id": "X"}),
        ]
    finally:
        server.shutdown()
        server.server_close()


ACCOUNT = "e5a2f2c1-7f0f-4d7e-9f3b-0c4a8b1d2e3f"
PAT = "fra:PAT-s3cr3t-value-xyz"
CLOSE_WITH_PAT = ["close_thread", "--json", '{"chat_id": "C"}', "--account-id", ACCOUNT, "--pat", PAT]
CLOSE_WITH_PAT += ["--base-url", "http://lc.test"]


def test_pat_from_flags_and_environment_is_sent_as_basic(monkeypatch):
    import base64

    basic = "Basic " + base64.b64encode(f"{ACCOUNT}:{PAT}".encode()).decode()
    rec = Recorder(ok())
    code, _, err = run(CLOSE_WITH_PAT, rec)
    assert (code, err) == (0, "") and rec.requests[-1].headers["Authorization"] == basic
    monkeypatch.setenv("LCCONSOLE_ACCOUNT_ID", ACCOUNT)
    monkeypatch.setenv("LCCONSOLE_PAT", PAT)
    code, _, err = run(["close_thread", "--json", '{"chat_id": "C"}', "--base-url", "http://lc.test"], rec)
    assert (code, err) == (0, "") and rec.requests[-1].headers["Authorization"] == basic


def test_pat_never_in_errors_or_help(monkeypatch, capsys):
    rec = Recorder(fail(401, "authentication", f"PAT {PAT} is wrong"))
    code, out, err = run(CLOSE_WITH_PAT, rec)
    assert code == 1 and PAT not in err and "***" in err
    code, _, err = run(["close_thread", "--json", '{"chat_id": "C"}', "--pat", PAT], rec)
    assert code == 2 and "account id" in err and PAT not in err
    monkeypatch.setenv("LCCONSOLE_PAT", PAT)
    code = main(["--help"])
    assert code == 0
    shown = capsys.readouterr().out
    assert "--pat" in shown and "--account-id" in shown and PAT not in shown
