"""Engine: scopes, my/access/all chat visibility, access changes, push targeting."""

from __future__ import annotations

import pytest
from _engine_util import World, pushes, receivers

from lcconsole.emulator.contract import ErrorReply


@pytest.fixture
def w() -> World:
    return World()


def test_missing_scope_is_authorization_naming_the_scopes(w):
    with pytest.raises(ErrorReply) as err:
        w.run(w.my, "get_customers")
    assert err.value.type == "authorization" and "customers:ro" in err.value.message
    with pytest.raises(ErrorReply) as err:
        w.run(w.my, "multicast", {"scopes": {"agents": {"all": True}}, "content": 1})
    assert err.value.type == "authorization"
    with pytest.raises(ErrorReply) as err:  # my-level agent lacks chats--access:ro
        w.run(w.my, "get_chat_threads", {"chat_id": "X"})
    assert err.value.type == "authorization"


def test_levels_all_access_my(w):
    g0 = w.start(groups=[0])["id"]
    g1 = w.start(groups=[1])["id"]
    g2 = w.start(groups=[2])["id"]
    mine = w.start(w.my)["id"]  # my-level agent starts its own chat: it is a member

    def visible(principal):
        body = w.run(principal, "get_chats_summary", {"limit": 100}).payload
        return {c["id"] for c in body["chats_summary"]}, body["found_chats"]

    assert visible(w.admin) == ({g0, g1, g2, mine}, 4)
    assert visible(w.acc)[0] == {g0, g1, mine}  # group 1 + group 0 (mine has access [0])
    assert visible(w.acc2)[0] == {g0, mine}
    assert visible(w.my) == ({mine}, 1)
    with pytest.raises(ErrorReply) as err:
        w.run(w.acc2, "send_event", {"chat_id": g2, "event": {"type": "message", "text": "x"}})
    assert err.value.type == "authorization" and g2 in err.value.message
    with pytest.raises(ErrorReply) as err:
        w.run(w.my, "close_thread", {"chat_id": g0})
    assert err.value.type == "authorization"
    w.run(w.acc, "send_event", {"chat_id": g1, "event": {"type": "message", "text": "joined"}})
    users = w.run(w.admin, "get_chat_threads", {"chat_id": g1}).payload["chat"]["users"]
    assert "acc@example.com" in {u["id"] for u in users}  # writing to a chat joins it


def test_start_chat_with_users_needs_chats_rw(w):
    cust = w.run(w.admin, "create_customer", {}).payload["id"]
    w.engine.seed("empty", [("conv@example.com", ["chats.conversation--my:rw"])])
    token = {c["id"]: c["token"] for c in w.engine.agent_credentials()}["conv@example.com"]
    conv = w.engine.authenticate(token)
    w.run(conv, "start_chat", {})
    with pytest.raises(ErrorReply) as err:
        w.run(conv, "start_chat", {"chat": {"users": [{"id": cust, "type": "customer"}]}})
    assert err.value.type == "authorization" and "chats--" in err.value.message


def test_push_targeting_never_reaches_agents_without_access(w):
    chat = w.start(groups=[1])
    assert "acc2@example.com" not in receivers(
        w.run(w.admin, "send_event", {"chat_id": chat["id"], "event": {"type": "message", "text": "x"}}),
        "incoming_event",
    )
    # a queued chat (no agent member) reaches everyone who can see it
    cust = w.customer()
    queued = w.run(cust, "start_chat", {"chat": {"thread": {"events": [{"type": "message", "text": "anyone?"}]}}})
    push, view = pushes(queued, "incoming_chat_thread")
    assert view.customer_ids == {cust.id}
    assert push.agent_ids == {"agent1@example.com", "acc@example.com", "acc2@example.com"}
    qid = queued.payload["chat"]["id"]
    ev = w.run(cust, "send_event", {"chat_id": qid, "event": {"type": "message", "text": "hi"}})
    assert receivers(ev, "incoming_event") == push.agent_ids
    # once an agent is a member, others only get key changes
    w.run(w.acc, "send_event", {"chat_id": qid, "event": {"type": "message", "text": "hello"}})
    ev = w.run(cust, "send_event", {"chat_id": qid, "event": {"type": "message", "text": "ty"}})
    assert receivers(ev, "incoming_event") == {"acc@example.com"}
    closed = w.run(w.acc, "close_thread", {"chat_id": qid})
    assert receivers(closed, "thread_closed") == push.agent_ids
    assert pushes(closed, "thread_closed")[0].customer_ids == {cust.id}


def test_agents_only_events_never_reach_the_customer(w):
    cust = w.customer()
    chat = w.start(customer=cust.id)
    note = w.run(
        w.admin,
        "send_event",
        {"chat_id": chat["id"], "event": {"type": "message", "text": "internal", "recipients": "agents"}},
    )
    assert all(not p.customer_ids for p in note.pushes)
    seen = w.run(cust, "get_chat_threads", {"chat_id": chat["id"]}).payload["chat"]
    texts = [e.get("text") for t in seen["threads"] for e in t["events"]]
    assert "internal" not in texts and "hello" in texts


def test_grant_revoke_set_access(w):
    chat = w.start(groups=[2])
    base = {"resource": "chat", "id": chat["id"]}
    out = w.run(w.admin, "grant_access", {**base, "access": {"type": "group", "id": 1}})
    (push,) = pushes(out, "access_granted")
    assert push.payload == {**base, "access": {"group_ids": [1, 2]}}
    assert "acc@example.com" in push.agent_ids and "acc2@example.com" not in push.agent_ids
    w.run(w.acc, "get_chat_threads", {"chat_id": chat["id"]})
    out = w.run(w.admin, "revoke_access", {**base, "access": {"type": "group", "id": 1}})
    assert pushes(out, "access_revoked")[0].payload["access"] == {"group_ids": [2]}
    with pytest.raises(ErrorReply):
        w.run(w.acc, "get_chat_threads", {"chat_id": chat["id"]})
    out = w.run(w.admin, "set_access", {**base, "access": {"type": "group", "id": 0}})
    assert pushes(out, "access_set")[0].payload["access"] == {"group_ids": [0]}
    w.run(w.acc2, "get_chat_threads", {"chat_id": chat["id"]})
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "grant_access", {**base, "access": {"type": "group", "id": "1"}})
    assert err.value.type == "validation" and err.value.message.startswith("access.id")
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "grant_access", {"resource": "chat", "id": "NOPE", "access": {"type": "group", "id": 1}})
    assert err.value.type == "not_found"


def test_unauthenticated_tokens(w):
    for token in ("", "Bearer ", "dal:nope", None):
        with pytest.raises(ErrorReply) as err:
            w.engine.authenticate(token)
        assert err.value.type == "authentication"
    cust = w.engine.create_customer_token("C", None).payload
    with pytest.raises(ErrorReply):
        w.engine.authenticate(cust["access_token"], "agent")
    assert w.engine.authenticate("Bearer " + cust["access_token"], "customer").id == cust["customer_id"]
