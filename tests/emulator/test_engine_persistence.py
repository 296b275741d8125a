"""Engine: a file database survives close/reopen (data, tokens, orders); seeding is idempotent."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

from _engine_util import World

from lcconsole.emulator.engine import Engine


def test_restart_keeps_data_tokens_and_order(tmp_path):
    path = tmp_path / "emu.db"
    w = World(str(path))
    w.engine.seed("demo")
    creds = w.engine.agent_credentials()
    chat = w.start(text="persist me")
    cust = w.engine.create_customer_token("Kept", None).payload
    before = w.run(w.admin, "get_chats_summary", {"limit": 100}).payload
    w.engine.close()

    again = Engine(path)
    again.seed("demo", [("acc@example.com", ["chats--access:ro"])])  # idempotent, new scopes
    assert [c["token"] for c in again.agent_credentials()] == [c["token"] for c in creds]
    admin = again.authenticate(creds[0]["token"])
    after = again.execute(admin, "get_chats_summary", {"limit": 100}).payload
    assert after["found_chats"] == before["found_chats"] == 26
    assert [c["id"] for c in after["chats_summary"]] == [c["id"] for c in before["chats_summary"]]
    assert again.authenticate(cust["access_token"], "customer").id == cust["customer_id"]
    acc = next(c for c in again.agent_credentials() if c["id"] == "acc@example.com")
    assert acc["scopes"] == ["chats--access:ro"]
    # orders keep increasing across the restart
    sent = again.execute(
        admin, "send_event", {"chat_id": chat["id"], "event": {"type": "message", "text": "after restart"}}
    ).payload["event"]
    assert sent["order"] > max(c["order"] for c in before["chats_summary"])
    assert again.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again.close()


_WRITER = """
import json, os, sys
from lcconsole.emulator.engine import Engine
e = Engine(sys.argv[1]); e.seed("empty")
p = e.authenticate(e.agent_credentials()[0]["token"])
chat = e.execute(p, "start_chat", {}).payload["chat"]["id"]
for i in range(int(sys.argv[2])):
    e.execute(p, "send_event", {"chat_id": chat, "event": {"type": "message", "text": str(i),
                                                             "custom_id": f"c{i}"}})
    print(json.dumps(i), flush=True)
os._exit(0)  # no close(): like a killed process
"""


def test_acknowledged_writes_survive_a_process_that_never_closes(tmp_path):
    path = tmp_path / "killed.db"
    done = subprocess.run(
        [sys.executable, "-c", _WRITER, str(path), "50"], capture_output=True, text=True, timeout=60, check=True
    )
    acknowledged = [json.loads(line) for line in done.stdout.split()]
    assert acknowledged == list(range(50))
    with sqlite3.connect(path) as conn:
        texts = [r[0] for r in conn.execute("SELECT json_extract(body, '$.text') FROM events ORDER BY ord")]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert texts == [str(i) for i in range(50)]


def test_seed_demo_is_idempotent():
    """(How fast seeding is belongs to `lcconsole bench`, not to a timed test.)"""
    import time

    engine = Engine()
    engine.seed("demo")
    engine.seed("demo")
    counts = engine.conn.execute(
        "SELECT (SELECT COUNT(*) FROM chats), (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) FROM agents)"
    ).fetchone()
    assert tuple(counts) == (25, 40, 4)
    newest = engine.conn.execute("SELECT MAX(ts), MAX(ord) FROM events").fetchone()
    assert newest[0] <= time.time() and newest[1] <= time.time() * 1_000_000  # nothing in future
    types = {r[0] for r in engine.conn.execute("SELECT DISTINCT type FROM events")}
    assert types >= {"message", "system_message", "file", "rich_message", "filled_form", "custom"}
    states = engine.conn.execute(
        "SELECT SUM(active=0), SUM(active=1 AND NOT EXISTS (SELECT 1 FROM chat_users u WHERE"
        " u.chat_id=c.id AND u.user_type='agent')) FROM chats c"
    ).fetchone()
    assert states[0] >= 5 and states[1] >= 3  # closed and queued chats exist
    with_props = engine.conn.execute(
        "SELECT (SELECT COUNT(*) FROM events WHERE properties != '{}'), (SELECT COUNT(*) FROM"
        " threads WHERE properties != '{}'), (SELECT COUNT(*) FROM chats WHERE properties !="
        " '{}'), (SELECT COUNT(*) FROM threads WHERE tags != '[]')"
    ).fetchone()
    assert all(n > 0 for n in with_props)
    again = Engine()
    again.seed("demo")
    ids = [r[0] for r in again.conn.execute("SELECT id FROM chats ORDER BY seq")]
    assert ids == [r[0] for r in engine.conn.execute("SELECT id FROM chats ORDER BY seq")]
    followed = engine.conn.execute("SELECT COUNT(*) FROM followers WHERE agent_id='agent1@example.com'").fetchone()[0]
    assert followed == 2


def test_concurrent_threads_share_one_engine(tmp_path):
    import threading

    w = World(str(tmp_path / "threads.db"))
    chats = [w.start()["id"] for _ in range(4)]
    errors: list[BaseException] = []

    def writer(chat_id: str) -> None:
        try:
            for i in range(50):
                w.run(w.admin, "send_event", {"chat_id": chat_id, "event": {"type": "message", "text": str(i)}})
                w.run(w.acc, "get_chats_summary", {"limit": 5})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(c,)) for c in chats]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    for chat_id in chats:
        body = w.run(w.admin, "get_chat_threads", {"chat_id": chat_id}).payload["chat"]
        texts = [e["text"] for e in body["threads"][0]["events"]][1:]
        assert texts == [str(i) for i in range(50)]
        ids = [e["id"] for e in body["threads"][0]["events"]]
        assert len(set(ids)) == 51
    w.engine.close()
    w.engine.close()  # idempotent
