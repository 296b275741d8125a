"""v3.6 rules against a real emulator process: `send_event` on an inactive chat
(`chat_inactive` unless `attach_to_last_thread`; v3.0 still opens a thread), the customer's
`mark_events_as_seen`, page ids that carry their listing's query, and uploads that expire after
24 hours unless a file event uses them (the clock moved by editing the stopped server's
database)."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlsplit

from _spec_client import PNG
from _v36_client import (
    ADMIN,
    Client36,
    api,  # noqa: F401  (a fixture, used by parameter name)
    check_error,
    check_time,
    one,
    start_process,
)
from test_v36_customer import Customer36

from tests import loopback


def _closed_chat(api: Client36) -> tuple[str, str]:
    started = api.ok("start_chat", {"chat": {"thread": {"events": [{"type": "message", "text": "first"}]}}})
    api.ok("deactivate_chat", {"id": started["chat_id"]})
    return started["chat_id"], started["thread_id"]


def test_send_event_on_an_inactive_chat(api):
    chat_id, thread_id = _closed_chat(api)
    event = {"type": "message", "text": "late note"}
    check_error(api.post("send_event", {"chat_id": chat_id, "event": event}), 400, "chat_inactive")
    check_error(
        api.post("send_event", {"chat_id": chat_id, "event": event, "attach_to_last_thread": False}),
        400,
        "chat_inactive",
    )
    sent = api.ok("send_event", {"chat_id": chat_id, "event": event, "attach_to_last_thread": True})
    threads = api.ok("list_threads", {"chat_id": chat_id})["threads"]
    assert [t["id"] for t in threads] == [thread_id] and threads[0]["active"] is False
    assert sent["event_id"] in [e["id"] for e in threads[0]["events"]]

    # v3.0 keeps its rule: an event for an inactive chat opens a new thread
    v30 = api.ok30(
        "send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "v3.0 reopens", "recipients": "all"}}
    )
    assert v30["thread_id"] != thread_id
    assert api.ok("get_chat", {"chat_id": chat_id})["thread"]["id"] == v30["thread_id"]


def test_a_transfer_to_another_group_updates_the_chat_access(api):
    chat_id = api.ok("start_chat", {})["chat_id"]
    s36, s30 = api.rtm(ADMIN), api.rtm(ADMIN, "3.0")
    try:
        s36.drain(), s30.drain()
        api.ok(
            "transfer_chat",
            {"id": chat_id, "target": {"type": "group", "ids": [1]}, "ignore_agents_availability": True},
        )
        got36, got30 = s36.drain(), s30.drain()
    finally:
        s36.close(), s30.close()
    assert one(got36, "chat_access_updated") == {"id": chat_id, "access": {"group_ids": [1]}}
    assert one(got36, "chat_transferred")["transferred_to"]["group_ids"] == [1]
    assert not [f for f in got30 if f["action"] == "chat_access_updated"]
    assert api.ok("get_chat", {"chat_id": chat_id})["access"] == {"group_ids": [1]}


def test_update_customer_v36_fields(api):
    me = Customer36(api, "Phoned")
    address = {
        "address": "1600 Pennsylvania Avenue NW",
        "city": "Washington",
        "country": "United States",
        "state": "DC",
        "postal_code": "20500",
    }
    sock = api.rtm(ADMIN, customer_monitoring_level="online")
    try:
        sock.drain()
        assert (
            api.ok(
                "update_customer",
                {"id": me.id, "phone_number": "+14155552671", "address": address, "session_fields": [{"plan": "gold"}]},
            )
            == {}
        )
        updated = [p for p in sock.drain() if p["action"] == "customer_updated" and p["payload"]["id"] == me.id]
    finally:
        sock.close()
    assert len(updated) == 1
    assert updated[0]["payload"]["phone_number"] == "+14155552671"
    assert updated[0]["payload"]["address"] == address
    api.ok("update_customer", {"id": me.id, "omnichannel": {"twilio": [{"phone_number": "+14155552671"}]}})
    got = api.ok("get_customer", {"id": me.id})
    assert got["phone_number"] == "+14155552671" and got["address"] == address
    assert got["omnichannel"] == {"twilio": [{"phone_number": "+14155552671"}]}
    assert got["session_fields"] == [{"plan": "gold"}]
    message = check_error(api.post("update_customer", {"id": me.id, "phone_number": "555-1234"}), 400, "validation")
    assert message.startswith("phone_number")
    message = check_error(api.post("update_customer", {"id": me.id, "address": {"planet": "Mars"}}), 400, "validation")
    assert message.startswith("address.planet")
    assert api.ok("get_customer", {"id": me.id})["phone_number"] == "+14155552671"


def test_customer_send_event_on_an_inactive_chat(api):
    me = Customer36(api, "Late Writer")
    started = me.ok("start_chat", {"chat": {"thread": {"events": [{"type": "message", "text": "hi"}]}}})
    me.ok("deactivate_chat", {"id": started["chat_id"]})
    event = {"type": "message", "text": "one more thing"}
    check_error(me.post("send_event", {"chat_id": started["chat_id"], "event": event}), 400, "chat_inactive")
    sent = me.ok("send_event", {"chat_id": started["chat_id"], "event": event, "attach_to_last_thread": True})
    thread = me.ok("get_chat", {"chat_id": started["chat_id"]})["thread"]
    assert thread["id"] == started["thread_id"] and thread["active"] is False
    assert sent["event_id"] in [e["id"] for e in thread["events"]]


def test_customer_marks_events_as_seen(api):
    me = Customer36(api, "Reader")
    chat_id = me.ok("start_chat", {"chat": {"thread": {"events": [{"type": "message", "text": "hello"}]}}})["chat_id"]
    sock = api.rtm(ADMIN)
    try:
        sock.drain()
        assert me.ok("mark_events_as_seen", {"chat_id": chat_id, "seen_up_to": "2031-01-02T03:04:05.000000Z"}) == {}
        pushed = one(sock.drain(), "events_marked_as_seen")
    finally:
        sock.close()
    assert pushed == {"user_id": me.id, "chat_id": chat_id, "seen_up_to": "2031-01-02T03:04:05.000000Z"}
    users = {u["id"]: u for u in api.ok("get_chat", {"chat_id": chat_id})["users"]}
    assert users[me.id]["events_seen_up_to"] == "2031-01-02T03:04:05.000000Z"
    message = check_error(me.post("mark_events_as_seen", {"chat_id": chat_id, "seen_up_to": "soon"}), 400, "validation")
    assert "seen_up_to" in message
    check_error(
        Customer36(api, "Stranger").post(
            "mark_events_as_seen", {"chat_id": chat_id, "seen_up_to": "2031-01-02T03:04:05Z"}
        ),
        404,
        "not_found",
    )


def test_page_ids_carry_their_query(api):
    mine = {api.ok("start_chat", {"chat": {"properties": {"routing": {"pinned": True}}}})["chat_id"] for _ in range(3)}
    wanted = {"properties": {"routing": {"pinned": {"values": [True]}}}}
    first = api.ok("list_chats", {"filters": wanted, "limit": 2})
    second = api.ok("list_chats", {"page_id": first["next_page_id"]})
    seen = [s["id"] for s in first["chats_summary"] + second["chats_summary"]]
    assert len(first["chats_summary"]) == 2 and set(seen) == mine and len(seen) == 3
    assert "next_page_id" not in second
    back = api.ok("list_chats", {"page_id": second["previous_page_id"]})
    assert [s["id"] for s in back["chats_summary"]] == seen[:2]
    for extra in ({"limit": 2}, {"sort_order": "asc"}, {"filters": wanted}):
        message = check_error(api.post("list_chats", {"page_id": first["next_page_id"], **extra}), 400, "validation")
        assert message.startswith(next(iter(extra))), message

    chat_id = next(iter(mine))
    for _ in range(3):
        api.ok("deactivate_chat", {"id": chat_id})
        api.ok("resume_chat", {"chat": {"id": chat_id}})
    threads = api.ok("list_threads", {"chat_id": chat_id, "limit": 2, "sort_order": "asc"})
    rest = api.ok("list_threads", {"chat_id": chat_id, "page_id": threads["next_page_id"]})
    ids = [t["id"] for t in threads["threads"] + rest["threads"]]
    created = [t["created_at"] for t in threads["threads"] + rest["threads"]]
    assert len(ids) == 4 and created == sorted(created)
    assert len(rest["threads"]) == 2  # the first request's limit and order still hold
    check_error(api.post("list_chats", {"page_id": threads["next_page_id"]}), 400, "validation")
    other = sorted(mine - {chat_id})[0]
    check_error(api.post("list_threads", {"chat_id": other, "page_id": threads["next_page_id"]}), 400, "validation")
    check_error(api.post("list_threads", {"chat_id": chat_id, "page_id": "bm90IG91cnM="}), 400, "validation")


def test_uploads_expire_after_a_day_unless_used(tmp_path):
    db = tmp_path / "world.db"
    proc = start_process(tmp_path, db)
    try:
        api = Client36(proc)
        me = Customer36(api, "Uploader")
        chat_id = me.ok("start_chat", {})["chat_id"]
        png = {"file": ("dot.png", PNG, "image/png")}
        urls = {name: me.ok("upload_file", files=png)["url"] for name in ("kept", "lost")}
        urls["agent"] = api.ok("upload_file", files=png)["url"]
        me.ok("send_event", {"chat_id": chat_id, "event": {"type": "file", "url": urls["kept"]}})
        for url in urls.values():
            assert loopback.get(url, timeout=10).status_code == 200
        api.close()
    finally:
        proc.kill()
    with sqlite3.connect(db) as conn:  # a day and an hour later
        conn.execute("UPDATE files SET expires=expires-25*3600 WHERE expires IS NOT NULL")
    proc = start_process(tmp_path, db)
    try:
        api = Client36(proc)
        me.http = api.http  # the same customer (its token is in the database) on the new port
        paths = {k: urlsplit(u).path for k, u in urls.items()}
        assert api.http.get(paths["kept"]).status_code == 200
        for name in ("lost", "agent"):
            assert api.http.get(paths[name]).status_code == 404
        message = check_error(
            me.post(
                "send_event", {"chat_id": chat_id, "event": {"type": "file", "url": proc.base_url + paths["lost"]}}
            ),
            400,
            "validation",
        )
        assert message.startswith("event.url") and "expired" in message
        chat = me.ok("get_chat", {"chat_id": chat_id})
        files = [e for e in chat["thread"]["events"] if e["type"] == "file"]
        assert len(files) == 1 and urlsplit(files[0]["url"]).path == paths["kept"]
        check_time(files[0]["created_at"])
        api.close()
    finally:
        proc.kill()


def test_queue_positions_follow_every_move_into_and_out_of_the_queue(api):
    """Two chats enter the queue (transfers nobody can take), then the first one is taken:
    v3.6 sockets get `queue_positions_updated` with the queued chats in order each time; v3.0
    sockets never get it."""
    first, second = (api.ok("start_chat", {})["chat_id"] for _ in range(2))
    s36, s30 = api.rtm(ADMIN), api.rtm(ADMIN, "3.0")
    try:
        s36.drain(), s30.drain()
        positions = []
        for chat_id in (first, second):
            api.ok(
                "transfer_chat",
                {"id": chat_id, "target": {"type": "group", "ids": [7]}, "ignore_agents_availability": True},
            )
            positions.append(one(s36.drain(), "queue_positions_updated"))
        api.join(first)
        positions.append(one(s36.drain(), "queue_positions_updated"))
        api.ok("update_chat_properties", {"id": second, "properties": {"routing": {"pinned": True}}})
        quiet = s36.drain()
        got30 = s30.drain()
    finally:
        s36.close(), s30.close()

    def queued(push: list[dict]) -> list[str]:
        ids = [entry["chat_id"] for entry in push]
        assert [entry["queue"]["position"] for entry in push] == list(range(1, len(push) + 1))
        assert all(set(entry) == {"chat_id", "thread_id", "queue"} for entry in push)
        return [cid for cid in ids if cid in (first, second)]

    assert [queued(p) for p in positions] == [[first], [first, second], [second]]
    assert not [f for f in quiet if f["action"] == "queue_positions_updated"]
    assert not [f for f in got30 if f["action"] == "queue_positions_updated"]
