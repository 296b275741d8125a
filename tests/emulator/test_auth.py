"""Authentication as LiveChat does it today: `Bearer <token>` and `Basic base64(account_id:PAT)`
on the Web API, the same two in the RTM login `token`; PATs persist and reach old databases."""

from __future__ import annotations

import base64
import json
import sqlite3

import httpx
import pytest
from _rtm_frames import response_to, until
from hypothesis import given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import connect

from lcconsole.emulator import auth
from lcconsole.emulator.contract import ErrorReply
from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.emulator.engine import Engine
from tests import loopback

HELPER = "helper@example.com"
HELPER_SCOPES = ("chats--access:ro", "chats.conversation--my:rw")


@pytest.fixture(scope="module")
def emu():
    with EmbeddedEmulator(seed="empty", simulate=False, agents=[(HELPER, HELPER_SCOPES)]) as info:
        yield info


def post(emu, action: str, payload: dict, authorization: str, side: str = "agent") -> httpx.Response:
    return loopback.post(
        f"{emu.base_url}/v3.0/{side}/action/{action}",
        json=payload,
        timeout=10,
        headers={"Authorization": authorization},
    )


def basic(account_id: str, pat: str) -> str:
    return "Basic " + base64.b64encode(f"{account_id}:{pat}".encode()).decode()


def agent(emu, agent_id: str) -> dict:
    return next(a for a in emu.agents if a["id"] == agent_id)


def test_every_agent_has_an_account_id_and_a_pat(emu):
    ids = [a["account_id"] for a in emu.agents]
    pats = [a["pat"] for a in emu.agents]
    assert len(set(ids)) == len(ids) == 2 and len(set(pats)) == 2
    for a in emu.agents:
        assert len(a["account_id"]) == 36 and a["account_id"].count("-") == 4  # a UUID
        assert a["pat"] not in (a["token"], a["account_id"])
        assert a["pat"] not in repr(emu)
    ready = json.loads(emu.ready_json())["agents"]
    assert [(r["account_id"], r["pat"], r["token"]) for r in ready] == [
        (a["account_id"], a["pat"], a["token"]) for a in emu.agents
    ]


def test_pat_and_bearer_token_act_as_the_same_agent(emu):
    helper = agent(emu, HELPER)
    by_pat = post(
        emu,
        "start_chat",
        {"chat": {"thread": {"events": [{"type": "message", "text": "via PAT"}]}}},
        emu.basic_auth_of(HELPER),
    )
    assert by_pat.status_code == 200, by_pat.text
    chat_id = by_pat.json()["chat"]["id"]
    by_token = post(
        emu,
        "send_event",
        {"chat_id": chat_id, "event": {"type": "message", "text": "via token"}},
        f"Bearer {helper['token']}",
    )
    assert by_token.status_code == 200, by_token.text
    threads = post(emu, "get_chat_threads", {"chat_id": chat_id}, basic(helper["account_id"], helper["pat"])).json()[
        "chat"
    ]["threads"]
    messages = [(e["author_id"], e["text"]) for e in threads[0]["events"] if e["type"] == "message"]
    assert messages == [(HELPER, "via PAT"), (HELPER, "via token")]
    # the PAT carries the agent's scopes, no more: the helper cannot read customers
    denied = post(emu, "get_customers", {}, emu.basic_auth_of(HELPER))
    assert denied.status_code == 403 and denied.json()["error"]["type"] == "authorization"
    assert post(emu, "get_customers", {}, emu.basic_auth_of()).status_code == 200


@pytest.mark.parametrize(
    "make",
    [
        lambda a, o: basic(a["account_id"], a["pat"] + "x"),  # wrong PAT
        lambda a, o: basic(o["account_id"], a["pat"]),  # another account's id
        lambda a, o: basic(a["id"], a["pat"]),  # e-mail instead of account id
        lambda a, o: basic(a["account_id"], a["token"]),  # bearer token as the PAT
        lambda a, o: f"Bearer {a['pat']}",  # PAT as a bearer token
        lambda a, o: "Basic " + a["pat"],  # not base64
        lambda a, o: "Basic " + base64.b64encode(a["pat"].encode()).decode(),  # no colon
        lambda a, o: "Basic",  # scheme only
        lambda a, o: a["token"],  # no scheme
        lambda a, o: f"Token {a['token']}",  # unknown scheme
        lambda a, o: "Basic " + base64.b64encode(b"\xff\xfe:\x00").decode(),  # not UTF-8
    ],
)
def test_bad_credentials_are_authentication_errors(emu, make):
    resp = post(emu, "get_chats_summary", {}, make(agent(emu, HELPER), emu.agents[0]))
    assert resp.status_code == 401
    assert resp.json()["error"]["type"] == "authentication"


def test_customers_cannot_use_basic(emu):
    customer = loopback.post(emu.customer_token_url, json={}, timeout=10).json()
    ok = post(emu, "start_chat", {}, f"Bearer {customer['access_token']}", side="customer")
    assert ok.status_code == 200, ok.text
    pat_like = basic(customer["customer_id"], customer["access_token"])
    resp = post(emu, "start_chat", {}, pat_like, side="customer")
    assert resp.status_code == 401 and resp.json()["error"]["type"] == "authentication"


async def login(url: str, token: str) -> dict:
    async with connect(url) as ws:
        await ws.send(json.dumps({"request_id": "l", "action": "login", "payload": {"token": token}}))
        return (await until(ws, response_to("l")))[0]


async def test_rtm_login_with_basic_bearer_and_bare_tokens(emu):
    helper = agent(emu, HELPER)
    for token in (emu.basic_auth_of(HELPER), f"Bearer {helper['token']}", helper["token"]):
        frame = await login(emu.rtm_url, token)
        assert frame["success"], frame
        assert frame["payload"]["my_profile"]["id"] == HELPER
    for token in (basic(helper["account_id"], "dal:wrong"), f"Bearer {helper['pat']}", helper["pat"], "Basic !!!"):
        frame = await login(emu.rtm_url, token)
        assert frame["success"] is False
        assert frame["payload"]["error"]["type"] == "authentication"


def test_a_database_from_before_pats_gets_them_and_keeps_its_tokens(tmp_path):
    db = str(tmp_path / "old.sqlite3")
    engine = Engine(db)
    engine.seed("empty", [(HELPER, HELPER_SCOPES)])
    tokens = {c["id"]: c["token"] for c in engine.agent_credentials()}
    engine.close()
    conn = sqlite3.connect(db)  # the agents table as it was before PATs
    conn.executescript(
        "DROP INDEX agents_account; ALTER TABLE agents DROP COLUMN pat; ALTER TABLE agents DROP COLUMN account_id;"
    )
    conn.close()

    again = Engine(db)
    try:
        again.seed("empty", [(HELPER, HELPER_SCOPES)])
        creds = {c["id"]: c for c in again.agent_credentials()}
        assert {i: c["token"] for i, c in creds.items()} == tokens
        helper = creds[HELPER]
        assert again.authenticate(basic(helper["account_id"], helper["pat"])).id == HELPER
        assert again.authenticate(tokens[HELPER]).id == HELPER
    finally:
        again.close()
    third = Engine(db)  # and they persist
    try:
        assert {c["id"]: c["pat"] for c in third.agent_credentials()} == {i: c["pat"] for i, c in creds.items()}
    finally:
        third.close()


def test_remembered_credentials_follow_scope_changes_and_bad_ones_are_never_remembered():
    """`Engine.authenticate` caches good credentials: a scope change (seed) is seen at once, a
    refused token is looked up again, and a credential is cached per kind (agent / customer)."""
    engine = Engine()
    try:
        engine.seed("empty", [(HELPER, HELPER_SCOPES)])
        helper = next(c for c in engine.agent_credentials() if c["id"] == HELPER)
        for credential in (f"Bearer {helper['token']}", basic(helper["account_id"], helper["pat"])):
            assert engine.authenticate(credential).scopes == frozenset(HELPER_SCOPES)
        engine.seed("empty", [(HELPER, ("chats--all:ro",))])
        for credential in (f"Bearer {helper['token']}", basic(helper["account_id"], helper["pat"])):
            assert engine.authenticate(credential).scopes == frozenset({"chats--all:ro"})
        with pytest.raises(ErrorReply):
            engine.authenticate(f"Bearer {helper['token']}", "customer")
        with pytest.raises(ErrorReply):
            engine.authenticate("Bearer not-yet")
        engine.conn.execute("UPDATE agents SET token='not-yet' WHERE id=?", (HELPER,))
        assert engine.authenticate("Bearer not-yet").id == HELPER
    finally:
        engine.close()


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=80),
        st.builds(
            lambda s, b: s + " " + base64.b64encode(b).decode(),
            st.sampled_from(["Basic", "basic", "Bearer", "BASIC"]),
            st.binary(max_size=60),
        ),
    )
)
def test_any_credential_text_parses_or_is_an_authentication_error(value):
    try:
        credential = auth.parse(value, bare_is_bearer=True)
    except ErrorReply as err:
        assert err.type == "authentication"
    else:
        assert credential.scheme in ("bearer", "basic")
        assert "token=" not in repr(credential) and "pat=" not in repr(credential)
