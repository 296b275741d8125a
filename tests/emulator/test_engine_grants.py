"""grant/revoke/set_access beyond chat groups: agent-level grants on chats (`access.type: agent`)
and customer access (`resource: customer`) restricting get_customers (world/grants.py)."""

from __future__ import annotations

import pytest
from _engine_util import World, pushes, receivers

from lcconsole.emulator.contract import ErrorReply

ACC, ACC2, MY, ADMIN = "acc@example.com", "acc2@example.com", "my@example.com", "agent1@example.com"


@pytest.fixture
def w() -> World:
    return World()


def _error(w: World, principal, action: str, payload: dict) -> ErrorReply:
    with pytest.raises(ErrorReply) as err:
        w.run(principal, action, payload)
    return err.value


def _summary_ids(w: World, principal) -> tuple[set[str], int]:
    out = w.run(principal, "get_chats_summary", {"limit": 100}).payload
    return {c["id"] for c in out["chats_summary"]}, out["found_chats"]


def test_agent_grant_on_a_chat_gives_access_level_visibility(w):
    chat = w.start(groups=[2])
    base = {"resource": "chat", "id": chat["id"]}
    assert _error(w, w.acc2, "get_chat_threads", {"chat_id": chat["id"]}).type == "authorization"
    out = w.run(w.admin, "grant_access", {**base, "access": {"type": "agent", "id": ACC2}})
    (push,) = pushes(out, "access_granted")
    assert push.payload == {**base, "access": {"group_ids": [2], "agent_ids": [ACC2]}}
    assert {ACC2, ADMIN} <= push.agent_ids and ACC not in push.agent_ids
    got = w.run(w.acc2, "get_chat_threads", {"chat_id": chat["id"]}).payload["chat"]
    assert got["access"] == {"group_ids": [2], "agent_ids": [ACC2]}
    ids, found = _summary_ids(w, w.acc2)
    assert chat["id"] in ids and found == len(ids)
    assert chat["id"] not in _summary_ids(w, w.acc)[0]
    # the granted agent gets the chat's key changes (here: a close)
    assert ACC2 in receivers(w.run(w.admin, "close_thread", {"chat_id": chat["id"]}), "thread_closed")
    out = w.run(w.admin, "revoke_access", {**base, "access": {"type": "agent", "id": ACC2}})
    (push,) = pushes(out, "access_revoked")
    assert push.payload["access"] == {"group_ids": [2], "agent_ids": []}
    assert ACC2 in push.agent_ids  # told it lost the chat
    assert _error(w, w.acc2, "get_chat_threads", {"chat_id": chat["id"]}).type == "authorization"
    assert chat["id"] not in _summary_ids(w, w.acc2)[0]
    assert "agent_ids" not in w.run(w.admin, "get_chat_threads", {"chat_id": chat["id"]}).payload["chat"]["access"]


def test_agent_grants_set_and_queued_events(w):
    customer = w.customer()
    chat = w.start(w.acc, groups=[1], customer=customer.id)
    w.run(w.admin, "remove_user_from_chat", {"chat_id": chat["id"], "user_id": ACC, "user_type": "agent"})
    base = {"resource": "chat", "id": chat["id"]}
    w.run(w.admin, "grant_access", {**base, "access": {"type": "agent", "id": ACC2}})
    w.run(w.admin, "grant_access", {**base, "access": {"type": "agent", "id": ADMIN}})
    out = w.run(w.admin, "set_access", {**base, "access": {"type": "agent", "id": ACC2}})
    assert pushes(out, "access_set")[0].payload["access"] == {"group_ids": [1], "agent_ids": [ACC2]}
    event = {"type": "message", "text": "anyone?"}
    out = w.run(customer, "send_event", {"chat_id": chat["id"], "event": event})
    assert ACC2 in receivers(out, "incoming_event")  # queued chat: everyone with access
    out = w.run(w.admin, "set_access", {**base, "access": {"type": "group", "id": 2}})
    assert pushes(out, "access_set")[0].payload["access"] == {"group_ids": [2], "agent_ids": [ACC2]}
    assert ACC in receivers(out, "access_set")  # lost its group access: still told


def test_access_id_types_are_validated(w):
    chat = w.start()
    base = {"resource": "chat", "id": chat["id"]}
    for access in (
        {"type": "agent", "id": 5},
        {"type": "agent", "id": ""},
        {"type": "group", "id": ACC},
        {"type": "group", "id": True},
        {"type": "group", "id": -1},
        {"type": "robot", "id": 1},
    ):
        err = _error(w, w.admin, "grant_access", {**base, "access": access})
        assert err.type == "validation" and err.message.startswith("access."), (access, err)
    err = _error(w, w.admin, "grant_access", {**base, "access": {"type": "agent", "id": "ghost@example.com"}})
    assert err.type == "not_found"
    err = _error(w, w.admin, "set_access", {"resource": "customer", "id": "nope", "access": {"type": "group", "id": 1}})
    assert err.type == "not_found"


def _listed(w: World, principal) -> tuple[set[str], int]:
    out = w.run(principal, "get_customers", {"limit": 100}).payload
    return {c["id"] for c in out["customers"]}, out["total_customers"]


def test_customer_access_restricts_get_customers(w):
    first, second = w.customer("First", "f@example.org").id, w.customer("Second", "s@x.org").id
    base = {"resource": "customer", "id": first}
    assert {first, second} <= _listed(w, w.acc)[0]
    out = w.run(w.admin, "set_access", {**base, "access": {"type": "group", "id": 2}})
    (push,) = pushes(out, "access_set")
    assert push.payload == {**base, "access": {"group_ids": [2]}}
    assert {ADMIN, ACC, ACC2} <= push.agent_ids and MY not in push.agent_ids  # my: no customers:ro
    for agent in (w.acc, w.acc2):
        ids, total = _listed(w, agent)
        assert first not in ids and second in ids and total == len(ids)
    assert first in _listed(w, w.admin)[0]  # broad rights (chats--all) list everyone
    out = w.run(w.admin, "grant_access", {**base, "access": {"type": "group", "id": 1}})
    assert pushes(out, "access_granted")[0].payload["access"] == {"group_ids": [1, 2]}
    assert first in _listed(w, w.acc)[0] and first not in _listed(w, w.acc2)[0]
    out = w.run(w.admin, "grant_access", {**base, "access": {"type": "agent", "id": ACC2}})
    assert pushes(out, "access_granted")[0].payload["access"] == {"group_ids": [1, 2], "agent_ids": [ACC2]}
    assert first in _listed(w, w.acc2)[0]
    w.run(w.admin, "revoke_access", {**base, "access": {"type": "agent", "id": ACC2}})
    assert first not in _listed(w, w.acc2)[0]
    for group in (1, 2):
        w.run(w.admin, "revoke_access", {**base, "access": {"type": "group", "id": group}})
    assert first in _listed(w, w.acc2)[0]  # no groups, no agents: unrestricted again


def test_customer_access_needs_customers_rw(w):
    customer = w.customer().id
    err = _error(
        w, w.acc, "grant_access", {"resource": "customer", "id": customer, "access": {"type": "group", "id": 1}}
    )
    assert err.type == "authorization"
