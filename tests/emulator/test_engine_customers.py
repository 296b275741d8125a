"""Engine: customers (create/update/ban/get_customers filters) and the customer side."""

from __future__ import annotations

import struct

import pytest
from _engine_util import World, pushes, receivers

from lcconsole.emulator.contract import ErrorReply, UploadedFile
from lcconsole.wire.actions import MAX_UPLOAD_BYTES


@pytest.fixture
def w() -> World:
    return World()


def test_create_update_customer(w):
    out = w.run(
        w.admin,
        "create_customer",
        {"name": "Ann", "email": "ann@x.org", "avatar": "https://a/1.png", "fields": {"k": "v"}},
    )
    cust = out.payload
    assert cust["type"] == "customer" and cust["fields"] == {"k": "v"}
    assert cust["created_at"].endswith("Z") and len(cust["created_at"]) == 27
    (push,) = pushes(out, "customer_created")
    assert push.payload == {"customer": cust} and "acc@example.com" in push.agent_ids
    assert "my@example.com" not in push.agent_ids
    out = w.run(w.admin, "update_customer", {"customer_id": cust["id"], "name": "Ann B", "fields": {"score": "low"}})
    assert out.payload["name"] == "Ann B" and out.payload["fields"] == {"k": "v", "score": "low"}
    assert pushes(out, "customer_updated")[0].payload["banned"] is False
    for bad in ("not-a-uuid", "d4efab70-984f-10ee-aa09-c9cc3c4b0882"):
        with pytest.raises(ErrorReply) as err:
            w.run(w.admin, "update_customer", {"customer_id": bad})
        assert err.value.type == "validation" and "customer_id" in err.value.message
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "update_customer", {"customer_id": "d4efab70-984f-40ee-aa09-c9cc3c4b0882"})
    assert err.value.type == "not_found"


def test_ban_blocks_customer_start_chat_and_send_event(w):
    cust = w.customer()
    chat = w.run(cust, "start_chat", {"chat": {"thread": {"events": [{"type": "message", "text": "hi"}]}}}).payload[
        "chat"
    ]
    out = w.run(w.admin, "ban_customer", {"customer_id": cust.id, "ban": {"days": 5}})
    assert pushes(out, "customer_banned")[0].payload == {"customer_id": cust.id, "ban": {"days": 5}}
    for action, payload in (
        ("start_chat", {}),
        ("send_event", {"chat_id": chat["id"], "event": {"type": "message", "text": "x"}}),
        ("send_typing_indicator", {"chat_id": chat["id"], "is_typing": True}),
    ):
        with pytest.raises(ErrorReply) as err:
            w.run(cust, action, payload)
        assert err.value.type == "customer_banned"
    w.run(w.admin, "ban_customer", {"customer_id": cust.id, "ban": {"days": 0}})  # lifted
    w.run(cust, "send_event", {"chat_id": chat["id"], "event": {"type": "message", "text": "ok"}})
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "ban_customer", {"customer_id": cust.id, "ban": {"days": -1}})
    assert err.value.message.startswith("ban.days")


def _customers(w, **body):
    return w.run(w.admin, "get_customers", body).payload


def test_get_customers_filters_and_pages(w):
    w.engine.seed("demo")
    body = _customers(w, limit=100)
    total = body["total_customers"]
    everyone = body["customers"]
    assert total == len(everyone) >= 40
    created = [c["created_at"] for c in everyone]
    assert created == sorted(created, reverse=True)
    some = everyone[0]
    country = some["last_visit"]["geolocation"]["country"]
    expect = {c["id"] for c in everyone if c.get("last_visit", {}).get("geolocation", {}).get("country") == country}

    def ids(**filters):
        return {c["id"] for c in _customers(w, limit=100, filters=filters)["customers"]}

    assert ids(country={"values": [country]}) == expect
    assert ids(country={"exclude_values": [country]}) == {c["id"] for c in everyone} - expect
    assert ids(email={"values": [some["email"]]}) == {some["id"]}
    assert ids(name={"values": [some["name"]]}) == {some["id"]}
    assert ids(customer_id={"values": [some["id"]]}) == {some["id"]}
    for key in ("chats_count", "threads_count", "visits_count"):
        values = [c["statistics"][key] for c in everyone]
        pivot = sorted(values)[len(values) // 2]
        assert len(ids(**{key: {"gte": pivot}})) == sum(v >= pivot for v in values)
        assert len(ids(**{key: {"lt": pivot}})) == sum(v < pivot for v in values)
        assert len(ids(**{key: {"eq": pivot}})) == sum(v == pivot for v in values)
    pivot = created[10]
    assert len(ids(created_at={"gt": pivot})) == 10
    assert len(ids(created_at={"lte": pivot.replace("Z", "+00:00")})) == total - 10
    last_events = [c for c in everyone if c.get("customer_last_event_created_at")]
    assert last_events
    assert len(ids(customer_last_event_created_at={"gte": "2000-01-01T00:00:00.000000Z"})) == len(last_events)
    assert ids(agent_last_event_created_at={"lt": "2000-01-01T00:00:00Z"}) == set()
    with pytest.raises(ErrorReply) as err:
        _customers(w, filters={"country": {"values": ["A"], "exclude_values": ["B"]}})
    assert err.value.message.startswith("filters.country")
    with pytest.raises(ErrorReply) as err:
        _customers(w, filters={"created_at": {"gte": "yesterday"}})
    assert err.value.message.startswith("filters.created_at.gte")
    # cursors
    first = _customers(w, limit=15)
    second = _customers(w, page_id=first["next_page_id"])
    assert len(second["customers"]) == 15 and second["total_customers"] == total
    assert {c["id"] for c in first["customers"]}.isdisjoint(c["id"] for c in second["customers"])
    back = _customers(w, page_id=second["previous_page_id"])
    assert [c["id"] for c in back["customers"]] == [c["id"] for c in first["customers"]]
    asc = _customers(w, order="asc", limit=3)
    assert [c["created_at"] for c in asc["customers"]] == sorted(created)[:3]


def test_customer_side_start_chat_routing_and_pushes(w):
    # nobody present: the chat stays queued
    cust = w.customer()
    chat = w.run(
        cust,
        "start_chat",
        {"chat": {"thread": {"events": [{"type": "message", "text": "hello", "recipients": "agents"}]}}},
    ).payload["chat"]
    assert [u["type"] for u in chat["users"]] == ["customer"]
    assert chat["thread"]["events"][0]["recipients"] == "all"
    # present, accepting agents of the group: the one with fewest active chats gets it
    w.engine.set_presence("acc@example.com", True)
    w.engine.set_presence("acc2@example.com", True)
    w.start(w.acc)  # acc now has one active chat
    cust2 = w.customer("Second", "s@x.org")
    out = w.run(cust2, "start_chat", {})
    agents = [u["id"] for u in out.payload["chat"]["users"] if u["type"] == "agent"]
    assert agents == ["acc2@example.com"]
    chat2 = out.payload["chat"]["id"]
    peek = w.run(cust2, "send_sneak_peek", {"chat_id": chat2, "sneak_peek_text": "typing…"})
    (p,) = pushes(peek, "incoming_sneak_peek")
    assert p.agent_ids == {"acc2@example.com"} and not p.customer_ids
    assert p.payload["sneak_peek"]["text"] == "typing…"
    typing = w.run(cust2, "send_typing_indicator", {"chat_id": chat2, "is_typing": True})
    assert receivers(typing, "incoming_typing_indicator") == {"acc2@example.com"}
    # customers only touch their own chats
    with pytest.raises(ErrorReply) as err:
        w.run(cust, "send_event", {"chat_id": chat2, "event": {"type": "message", "text": "x"}})
    assert err.value.type == "not_found"
    with pytest.raises(ErrorReply) as err:
        w.run(cust, "get_customers", {})
    assert err.value.type == "validation"

    def present():
        users = w.run(w.admin, "get_chat_threads", {"chat_id": chat2}).payload["chat"]["users"]
        return next(u["present"] for u in users if u["type"] == "customer")

    assert present() is True
    # the customer closes (and is gone); coming back opens a new routed thread
    w.run(cust2, "close_thread", {"chat_id": chat2})
    assert present() is False
    again = w.run(cust2, "send_event", {"chat_id": chat2, "event": {"type": "message", "text": "me again"}})
    inc, view = pushes(again, "incoming_chat_thread")
    assert "acc2@example.com" in inc.agent_ids and view.customer_ids == {cust2.id}


def _png(width: int, height: int) -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", 13)
        + b"IHDR"
        + struct.pack(">II", width, height)
        + b"\x08\x02\x00\x00\x00"
        + b"\x00" * 4
    )


def test_send_file_and_upload_image(w):
    w.engine.base_url = "http://127.0.0.1:9999"
    cust = w.customer()
    chat = w.start(customer=cust.id)
    out = w.run(
        w.admin,
        "send_file",
        {"chat_id": chat["id"], "custom_id": "f1", "require_active_thread": True},
        {"file": UploadedFile("shot 1.png", "application/octet-stream", _png(640, 480))},
    )
    url = out.payload["url"]
    assert url.startswith("http://127.0.0.1:9999/files/att/") and url.endswith("/shot_1.png")
    (ev,) = pushes(out, "incoming_event")
    event = ev.payload["event"]
    assert (
        event["type"],
        event["name"],
        event["content_type"],
        event["width"],
        event["height"],
        event["custom_id"],
    ) == ("file", "shot 1.png", "image/png", 640, 480, "f1")
    data, ctype = w.engine.read_file(url.split("/files/", 1)[1])
    assert data == _png(640, 480) and ctype == "image/png"
    w.engine.base_url = "http://127.0.0.1:1234"  # restarted on another port: urls follow
    got = w.run(w.admin, "get_chat_threads", {"chat_id": chat["id"]}).payload["chat"]
    assert got["threads"][0]["events"][-1]["url"].startswith("http://127.0.0.1:1234/files/att/")
    up = w.run(w.admin, "upload_image", {}, {"image": UploadedFile("a.gif", "image/gif", b"GIF89a\x10\x00\x20\x00")})
    assert up.payload["url"] == "http://127.0.0.1:1234/files/" + up.payload["path"]
    assert w.engine.read_file(up.payload["path"])[1] == "image/gif"
    assert w.engine.read_file("img/none") is None
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "upload_image", {}, {"image": UploadedFile("a.txt", "text/plain", b"hi")})
    assert err.value.type == "validation"
    with pytest.raises(ErrorReply) as err:
        w.run(
            w.admin,
            "send_file",
            {"chat_id": chat["id"]},
            {"file": UploadedFile("big.bin", "application/octet-stream", b"\0" * (MAX_UPLOAD_BYTES + 1))},
        )
    assert err.value.type == "entity_too_large"
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "send_file", {"chat_id": chat["id"]}, {})
    assert err.value.type == "validation"
    sent = w.run(
        cust, "send_file", {"chat_id": chat["id"]}, {"file": UploadedFile("doc.pdf", "application/pdf", b"%PDF-1.4")}
    )
    assert sent.payload["url"].endswith("/doc.pdf")
