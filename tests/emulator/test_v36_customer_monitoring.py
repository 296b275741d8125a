"""Following customers over v3.6 RTM against a real emulator process: the login's
`customer_monitoring_level` and `incoming_customers`, `incoming_customer` when a visit starts,
the customer pushes each socket gets for its level, `subscribe_customers` /
`unsubscribe_customers` (with `subscribed_customers_totals_updated` over the limit), and v3.0
sockets getting every customer push as before."""

from __future__ import annotations

import time

from _v36_client import (
    ADMIN,
    AGENT2,
    api,  # noqa: F401  (a fixture, used by parameter name)
    check_error,
    one,
    pushes_named,
)
from test_v36_customer import Customer36

CUSTOMER_PUSHES = (
    "incoming_customer",
    "customer_updated",
    "customer_page_updated",
    "customer_left",
    "customer_banned",
    "customer_statistics_updated",
)


def about(frames: list[dict], customer_id: str) -> list[str]:
    """Names of the customer pushes in `frames` that concern `customer_id`."""
    out = []
    for frame in frames:
        p = frame.get("payload", {})
        if frame.get("action") in CUSTOMER_PUSHES and customer_id in (p.get("id"), p.get("customer_id")):
            out.append(frame["action"])
    return out


def visit(me: Customer36, action: str, payload: dict | None = None) -> dict:
    resp = me.http.post(f"/v3.0/customer/action/{action}", json=payload or {}, headers=me.headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_levels_decide_which_customer_pushes_a_socket_gets(api):
    online = api.rtm(AGENT2, customer_monitoring_level="online")
    mine = api.rtm(ADMIN, customer_monitoring_level="my")
    old = api.rtm(ADMIN, "3.0")
    try:
        first = one(online.drain(), "incoming_customers")
        assert first["customer_monitoring_level"] == "online"
        assert isinstance(first["customers"], list)
        assert one(mine.drain(), "incoming_customers")["customer_monitoring_level"] == "my"
        old.drain()

        me = Customer36(api, "Visitor One")  # registers and starts a website visit
        got = online.drain()
        arrived = [p for p in pushes_named(got, "incoming_customer") if p["id"] == me.id]
        assert len(arrived) == 1 and arrived[0]["visit"]["started_at"], arrived
        stats = [p for p in pushes_named(got, "customer_statistics_updated") if p["customer_id"] == me.id]
        assert len(stats) == 1 and stats[0]["statistics"]["visits_count"] == 1, stats
        assert about(mine.drain(), me.id) == []
        assert "customer_visit_started" in {f["action"] for f in old.drain()}

        visit(me, "update_customer_page", {"url": "https://shop.example/cart", "title": "Cart"})
        page = [p for p in pushes_named(online.drain(), "customer_page_updated") if p["customer_id"] == me.id]
        assert len(page) == 1 and page[0]["url"] == "https://shop.example/cart"
        assert about(mine.drain(), me.id) == []
        assert pushes_named(old.drain(), "customer_page_updated")

        # chatting with the administrator: its `my` level now follows the customer
        chat_id = me.ok("start_chat", {})["chat_id"]
        api.join(chat_id)
        mine.drain(), online.drain()
        visit(me, "update_customer_page", {"url": "https://shop.example/pay"})
        assert about(mine.drain(), me.id) == ["customer_page_updated"]
        api.ok("update_customer", {"id": me.id, "name": "Visitor Renamed"})
        assert about(mine.drain(), me.id) == ["customer_updated"]
        visit(me, "end_visit")
        assert about(online.drain(), me.id) == ["customer_page_updated", "customer_updated", "customer_left"]
        assert about(mine.drain(), me.id) == ["customer_left"]

        # the level stays the agent's: a second login without one keeps `my`, a new one with
        # it changes it for the agent
        again = api.rtm(ADMIN)
        try:
            assert one(again.drain(), "incoming_customers")["customer_monitoring_level"] == "my"
        finally:
            again.close()
    finally:
        online.close(), mine.close(), old.close()


def test_the_level_is_forgotten_with_the_last_session_and_lists_followed_customers(api):
    watcher = Customer36(api, "Watched")
    first = api.rtm(AGENT2, customer_monitoring_level="highest_available")
    try:
        listed = one(first.drain(), "incoming_customers")
    finally:
        first.close()
    assert listed["customer_monitoring_level"] == "online"
    assert watcher.id in [c["id"] for c in listed["customers"]]
    for _ in range(50):  # the server notices the closed socket
        later = api.rtm(AGENT2)
        try:
            level = one(later.drain(), "incoming_customers")["customer_monitoring_level"]
        finally:
            later.close()
        if level == "my":
            break
        time.sleep(0.1)
    assert level == "my"


def test_subscriptions_follow_online_customers_of_groups(api):
    sock = api.rtm(ADMIN, customer_monitoring_level="my")
    try:
        a, b = Customer36(api, "Sub A"), Customer36(api, "Sub B")
        sock.drain()
        answer = sock.request("subscribe_customers", {"group_ids": [0], "limit": 100})
        assert answer["success"], answer
        sub = answer["payload"]
        assert len(sub["subscription_id"]) == 32
        assert {a.id, b.id} <= {c["id"] for c in sub["customers"]}

        visit(a, "update_customer_page", {"url": "https://shop.example/a"})
        assert about(sock.drain(), a.id) == ["customer_page_updated"]

        small = sock.request("subscribe_customers", {"limit": 1})["payload"]
        assert len(small["customers"]) == 1
        totals = one(sock.drain(), "subscribed_customers_totals_updated")
        assert totals[small["subscription_id"]] >= 2

        for sid in (sub["subscription_id"], small["subscription_id"]):
            assert sock.request("unsubscribe_customers", {"subscription_id": sid})["success"]
        visit(a, "update_customer_page", {"url": "https://shop.example/b"})
        assert about(sock.drain(), a.id) == []
        gone = sock.request("unsubscribe_customers", {"subscription_id": sub["subscription_id"]})
        assert gone["payload"]["error"]["type"] == "not_found"
    finally:
        sock.close()
    check_error(api.post("subscribe_customers", {}), 404, "not_found")  # RTM only


def test_the_my_level_lists_the_customers_of_my_chats_and_chatting_those_of_any_chat(api):
    mine, theirs = Customer36(api, "Mine Level"), Customer36(api, "Theirs Level")
    hello = {"chat": {"thread": {"events": [{"type": "message", "text": "hello"}]}}}
    my_chat, their_chat = mine.ok("start_chat", hello)["chat_id"], theirs.ok("start_chat", hello)["chat_id"]
    api.join(my_chat, ADMIN)
    api.join(their_chat, AGENT2)
    if ADMIN in [u["id"] for u in api.ok("get_chat", {"chat_id": their_chat})["users"]]:  # routing gave it to me
        api.ok("remove_user_from_chat", {"chat_id": their_chat, "user_id": ADMIN, "user_type": "agent"})
    my_level = api.rtm(ADMIN, customer_monitoring_level="my")
    chatting = api.rtm(ADMIN, customer_monitoring_level="chatting")
    try:
        listed = {c["id"] for c in one(my_level.drain(), "incoming_customers")["customers"]}
        assert mine.id in listed and theirs.id not in listed
        listed = {c["id"] for c in one(chatting.drain(), "incoming_customers")["customers"]}
        assert {mine.id, theirs.id} <= listed
    finally:
        my_level.close(), chatting.close()
