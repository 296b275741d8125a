"""A v3.6 agent starting or stopping to follow a customer when the customer's chats change,
against a real emulator process over real sockets: `incoming_customer` when a customer starts
chatting in the agent's group (levels `chatting` and `invited`), when the agent joins the chat
(`my`) or the chat is transferred back to the agent's group; `customer_transferred` when a
transfer takes the customer away; nothing for sockets already following, nothing on v3.0.
Also `/customer/token` announcing the new customer (v3.0 `customer_created`)."""

from __future__ import annotations

from _spec_client import ACCESS
from _v36_client import (
    ADMIN,
    AGENT2,
    Client36,
    api,  # noqa: F401  (a fixture, used by parameter name)
    pushes_named,
)
from test_v36_customer import Customer36

FOLLOWING = ("incoming_customer", "customer_transferred")
V36_ONLY = {"incoming_customer", "customer_transferred", "customer_followed", "customer_unfollowed"}


def following(frames: list[dict], customer_id: str) -> list[tuple[str, dict]]:
    """The following pushes in `frames` about `customer_id`, in order."""
    return [
        (f["action"], f["payload"])
        for f in frames
        if f.get("action") in FOLLOWING and f["payload"].get("id") == customer_id
    ]


def names(frames: list[dict], customer_id: str) -> list[str]:
    return [name for name, _ in following(frames, customer_id)]


def start_with(api: Client36, customer_id: str) -> str:
    """The administrator starts a chat with the customer in group 0."""
    return api.ok(
        "start_chat", {"chat": {"users": [{"id": customer_id, "type": "customer"}], "access": {"group_ids": [0]}}}
    )["chat_id"]


def test_customers_come_and_go_with_their_chats(api):
    chatting = api.rtm(ACCESS, customer_monitoring_level="chatting")  # group 0 only
    mine = api.rtm(AGENT2, customer_monitoring_level="my")
    online = api.rtm(ADMIN, customer_monitoring_level="online")
    old = api.rtm(ACCESS, "3.0")
    try:
        me = Customer36(api, "Follow Me")
        assert names(chatting.drain(), me.id) == []  # on the website, not chatting
        assert names(online.drain(), me.id) == ["incoming_customer"]
        mine.drain(), old.drain()

        chat_id = start_with(api, me.id)
        got = following(chatting.drain(), me.id)
        assert [n for n, _ in got] == ["incoming_customer"], got
        assert got[0][1]["type"] == "customer" and got[0][1]["name"] == "Follow Me"
        assert names(mine.drain(), me.id) == []  # not a member
        assert names(online.drain(), me.id) == []  # followed already

        api.ok("add_user_to_chat", {"chat_id": chat_id, "user_id": AGENT2, "user_type": "agent", "visibility": "all"})
        assert names(mine.drain(), me.id) == ["incoming_customer"]
        assert names(chatting.drain(), me.id) == []

        api.ok(
            "transfer_chat",
            {"id": chat_id, "target": {"type": "group", "ids": [1]}, "ignore_agents_availability": True},
        )
        gone = following(chatting.drain(), me.id)
        assert gone == [
            ("customer_transferred", {"id": me.id, "transferred_to": {"group_ids": [1]}, "followed": False})
        ], gone
        assert names(mine.drain(), me.id) == ["customer_transferred"]  # removed from the chat
        assert names(online.drain(), me.id) == []  # still on the website

        api.ok(
            "transfer_chat",
            {
                "id": chat_id,
                "target": {"type": "group", "ids": [0]},
                "ignore_requester_presence": True,
                "ignore_agents_availability": True,
            },
        )
        assert names(chatting.drain(), me.id) == ["incoming_customer"]

        api.ok("deactivate_chat", {"id": chat_id})
        assert names(chatting.drain(), me.id) == []  # no push is documented for it
        assert not V36_ONLY & {f["action"] for f in old.drain()}
    finally:
        chatting.close(), mine.close(), online.close(), old.close()


def test_the_invited_level_follows_chatting_customers_too(api):
    invited = api.rtm(ACCESS, customer_monitoring_level="invited")
    try:
        me = Customer36(api, "Invited")
        invited.drain()
        chat_id = me.ok("start_chat", {"chat": {"access": {"group_ids": [0]}}})["chat_id"]
        assert names(invited.drain(), me.id) == ["incoming_customer"]
        me.ok("deactivate_chat", {"id": chat_id})
        invited.drain()
        me.ok("resume_chat", {"chat": {"id": chat_id}})
        assert names(invited.drain(), me.id) == ["incoming_customer"]
    finally:
        invited.close()


def test_a_new_customer_is_announced_in_both_versions(api):
    v30 = api.rtm(ADMIN, "3.0")
    v36 = api.rtm(AGENT2, customer_monitoring_level="online")
    try:
        v30.drain(), v36.drain()
        me = Customer36(api, "Brand New")
        frames = v30.drain()
        created = [p["customer"] for p in pushes_named(frames, "customer_created") if p["customer"]["id"] == me.id]
        assert len(created) == 1 and created[0]["name"] == "Brand New", frames
        order = [f["action"] for f in frames if f.get("action", "").startswith("customer_")]
        assert order.index("customer_created") < order.index("customer_visit_started")
        arrived = [p for p in pushes_named(v36.drain(), "incoming_customer") if p["id"] == me.id]
        assert len(arrived) == 1 and arrived[0]["name"] == "Brand New", arrived
    finally:
        v30.close(), v36.close()
