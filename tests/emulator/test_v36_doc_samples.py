"""Every v3.6 agent request sample of the official docs (extracted into
`data/v36_doc_samples.json` by `scripts/v36_doc_samples.py`) replayed against a real emulator
process, over the Web API and over a v3.6 RTM socket: the answer has the documented shape and
the effect is read back over v3.6 and over v3.0.

Sample ids (chats, threads, events, the customer) are replaced by ids of a fresh chat made for
each sample; the transfer sample's group 19 becomes group 0 (the empty world's only group).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _spec_client import PNG
from _v36_client import (
    ADMIN,
    Client36,
    EmulatorProcess,
    check_chat,
    check_summary,
    check_thread,
    check_user,
    pushes_named,
)
from websockets.exceptions import ConnectionClosed

from lcconsole.wire.actions import ALL_SCOPES
from tests import loopback

SAMPLES = json.loads((Path(__file__).parent / "data/v36_doc_samples.json").read_text())
SMITH = "smith@example.com"
OTHER = "agent@example.com"
DOC_CUSTOMER = "b7eff798-f8df-4364-8059-649c35c9ed0c"
NOT_MODELLED = {
    "get_customer": {
        "email_verified",
        "phone_number",
        "followed",
        "online",
        "group_ids",
        "state",
        "tickets",
        "carts",
        "__priv_lc2_customer_id",
        "agent_last_event_created_at",
        "customer_last_event_created_at",
    },
}
"""Documented keys the emulator does not produce (facts it has no source for)."""
OPTIONAL = {"next_page_id", "previous_page_id", "event_ids", "avatar"}
"""Keys present only when there is something to say (more pages, initial events, an avatar)."""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    scopes = ",".join(ALL_SCOPES)
    proc = EmulatorProcess(
        tmp_path_factory.mktemp("v36-samples"),
        ":memory:",
        "empty",
        ("--agent", f"{SMITH}={scopes}", "--agent", f"{OTHER}={scopes}"),
    )
    proc.start()
    api = Client36(proc)
    smith = api.rtm(SMITH)  # smith is online and accepting: transfers can go to him
    admin = api.rtm(ADMIN)
    yield World(api, smith, admin)
    smith.close(), admin.close()
    api.close()
    proc.kill()


class World:
    def __init__(self, api: Client36, smith, admin) -> None:
        self.api, self.smith, self.admin = api, smith, admin

    def fresh(self) -> dict:
        """A new active chat of the administrator with a customer, a message and a rich message
        whose button has the docs' postback id."""
        creds = loopback.post(
            f"{self.api.proc.base_url}/customer/token",  # starts a visit too
            json={"name": "Thomas Anderson", "email": "thomas@example.com"},
        ).json()
        customer = creds["customer_id"]
        started = self.api.ok(
            "start_chat",
            {
                "chat": {
                    "users": [{"id": customer, "type": "customer"}],
                    "thread": {
                        "events": [
                            {"type": "message", "text": "Hello there", "visibility": "all"},
                            {
                                "type": "rich_message",
                                "template_id": "quick_replies",
                                "visibility": "all",
                                "elements": [
                                    {
                                        "title": "Yes?",
                                        "buttons": [
                                            {
                                                "text": "Yes",
                                                "postback_id": "Method URL_yes",
                                                "type": "url",
                                                "value": "https://www.example.com",
                                            }
                                        ],
                                    }
                                ],
                            },
                        ]
                    },
                }
            },
        )
        return {
            "chat": started["chat_id"],
            "thread": started["thread_id"],
            "message": started["event_ids"][0],
            "rich": started["event_ids"][1],
            "customer": customer,
        }


def substitute(sample: dict, ids: dict) -> dict:
    """The sample request with the docs' ids replaced by the fresh chat's."""

    def walk(value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if value == DOC_CUSTOMER:
            return ids["customer"]
        if key in ("chat_id", "id") and isinstance(value, str) and value.isupper():
            return ids["chat"]
        if key == "thread_id":
            return ids["thread"]
        if key == "event_id":
            return ids["rich"] if sample["action"] == "send_rich_message_postback" else ids["message"]
        if key == "ids" and value == 19:
            return 0
        return value

    return walk(sample["request"])


# --- per-action preparation and read-back --------------------------------------------------------


def v30_chat(api: Client36, chat_id: str) -> dict:
    return api.ok30("get_chat_threads", {"chat_id": chat_id})["chat"]


def v36_chat(api: Client36, chat_id: str, as_: str = ADMIN) -> dict:
    chat = api.ok("get_chat", {"chat_id": chat_id}, as_=as_)
    check_chat(chat)
    return chat


def last_event(chat30: dict) -> dict:
    return chat30["threads"][-1]["events"][-1]


Prep = Callable[[World, dict], None]
Check = Callable[[World, dict, Any], None]


def _prep_add_smith(w: World, ids: dict) -> None:
    w.api.ok("add_user_to_chat", {"chat_id": ids["chat"], "user_id": SMITH, "user_type": "agent", "visibility": "all"})
    w.smith.drain()


PREP: dict[str, Prep] = {
    "resume_chat": lambda w, ids: w.api.ok("deactivate_chat", {"id": ids["chat"]}),
    "unfollow_chat": lambda w, ids: w.api.ok("follow_chat", {"id": ids["chat"]}, as_=OTHER),
    "remove_user_from_chat": _prep_add_smith,
    "send_typing_indicator": _prep_add_smith,
    "send_thinking_indicator": _prep_add_smith,
    "untag_thread": lambda w, ids: w.api.ok(
        "tag_thread", {"chat_id": ids["chat"], "thread_id": ids["thread"], "tag": "support"}
    ),
    "delete_chat_properties": lambda w, ids: w.api.ok(
        "update_chat_properties",
        {"id": ids["chat"], "properties": {"0805e283233042b37f460ed8fbf22160": {"string_property": "x"}}},
    ),
    "delete_thread_properties": lambda w, ids: w.api.ok(
        "update_thread_properties",
        {
            "chat_id": ids["chat"],
            "thread_id": ids["thread"],
            "properties": {"0805e283233042b37f460ed8fbf22160": {"string_property": "x"}},
        },
    ),
    "delete_event_properties": lambda w, ids: w.api.ok(
        "update_event_properties",
        {
            "chat_id": ids["chat"],
            "thread_id": ids["thread"],
            "event_id": ids["message"],
            "properties": {"0805e283233042b37f460ed8fbf22160": {"string_property": "x"}},
        },
    ),
}
"""State a sample needs before it can run (e.g. a tag to remove)."""

AS: dict[str, str] = {"follow_chat": OTHER, "unfollow_chat": OTHER}
"""Samples sent by an agent who is not a chat member."""


def _created(w, ids, got):
    chat = v36_chat(w.api, got["chat_id"])
    assert chat["thread"]["id"] == got["thread_id"] and chat["thread"]["active"] is True
    assert v30_chat(w.api, got["chat_id"])["threads"][0]["id"] == got["thread_id"]


def _resumed(w, ids, got):
    chat = v36_chat(w.api, ids["chat"])
    assert chat["thread"]["id"] == got["thread_id"] and chat["thread"]["previous_thread_id"] == ids["thread"]
    threads = v30_chat(w.api, ids["chat"])["threads"]
    assert [t["active"] for t in threads] == [False, True]


def _deactivated(w, ids, got):
    assert v36_chat(w.api, ids["chat"])["thread"]["active"] is False
    assert v30_chat(w.api, ids["chat"])["threads"][-1]["active"] is False


def _followed(followed: bool) -> Check:
    def check(w, ids, got):
        assert v36_chat(w.api, ids["chat"], as_=OTHER)["is_followed"] is followed
        listed = w.api.ok30("get_chats_summary", {"limit": 100}, as_=OTHER)["chats_summary"]
        assert [s["is_followed"] for s in listed if s["id"] == ids["chat"]] == [followed]

    return check


def _members(present: bool) -> Check:
    def check(w, ids, got):
        agents36 = {u["id"] for u in v36_chat(w.api, ids["chat"])["users"] if u["type"] == "agent"}
        agents30 = {u["id"] for u in v30_chat(w.api, ids["chat"])["users"] if u["type"] == "agent"}
        assert (SMITH in agents36) is present and (SMITH in agents30) is present

    return check


def _transferred(w, ids, got):
    _members(True)(w, ids, got)
    assert ADMIN not in {u["id"] for u in v30_chat(w.api, ids["chat"])["users"]}


def _sent(w, ids, got):
    events = v36_chat(w.api, ids["chat"])["thread"]["events"]
    assert events[-1]["id"] == got["event_id"]
    assert events[-1]["text"] == ids["request"]["event"]["text"]
    assert last_event(v30_chat(w.api, ids["chat"]))["recipients"] == "all"


def _postback(w, ids, got):
    rich = [e for e in v30_chat(w.api, ids["chat"])["threads"][0]["events"] if e["id"] == ids["rich"]]
    assert rich[0]["elements"][0]["buttons"][0]["user_ids"] == [ADMIN]


def _props(where: str, present: bool) -> Check:
    def check(w, ids, got):
        chat36, chat30 = v36_chat(w.api, ids["chat"]), v30_chat(w.api, ids["chat"])
        obj36 = {"chat": chat36, "thread": chat36["thread"], "event": chat36["thread"]["events"][0]}[where]
        obj30 = {"chat": chat30, "thread": chat30["threads"][0], "event": chat30["threads"][0]["events"][0]}[where]
        value36 = obj36.get("properties", {}).get("0805e283233042b37f460ed8fbf22160", {})
        value30 = obj30.get("properties", {}).get("0805e283233042b37f460ed8fbf22160", {})
        assert ("string_property" in value36) is present and ("string_property" in value30) is present
        if present:
            assert value30["string_property"] == {"value": value36["string_property"]}
            assert value36["string_property"].endswith("updated by Agent")

    return check


def _tagged(present: bool) -> Check:
    def check(w, ids, got):
        assert ("support" in v36_chat(w.api, ids["chat"])["thread"].get("tags", [])) is present
        assert ("support" in v30_chat(w.api, ids["chat"])["threads"][0]["tags"]) is present

    return check


def _customer30(w, ids) -> dict:
    found = w.api.ok30("get_customers", {"filters": {"customer_id": {"values": [ids["customer"]]}}})
    return found["customers"][0]


def _customer_read(w, ids, got):
    assert got["id"] == ids["customer"] and ids["chat"] in got["chat_ids"]


def _customer_updated(w, ids, got):
    got36 = w.api.ok("get_customer", {"id": ids["customer"]})
    assert got36["session_fields"] == [{"custom_key": "custom_value"}, {"another_custom_key": "another_custom_value"}]
    assert got36["email"] == "t.anderson@example.com"
    assert _customer30(w, ids)["fields"] == {"custom_key": "custom_value", "another_custom_key": "another_custom_value"}


def _banned(w, ids, got):
    customer = _customer30(w, ids)
    assert customer["banned"] is True and customer["ban"] == {"days": 3}


def _routing(w, ids, got):
    statuses = {s["agent_id"]: s["status"] for s in w.api.ok("list_routing_statuses")}
    assert statuses[SMITH] == "accepting_chats"


def _statuses(w, ids, got):
    statuses = {s["agent_id"]: s["status"] for s in got}
    assert statuses[SMITH] == statuses[ADMIN] == "accepting_chats"  # both have a socket
    assert statuses[OTHER] == "offline"


def _seen(w, ids, got):
    users = v36_chat(w.api, ids["chat"])["users"]
    assert [u["events_seen_up_to"] for u in users if u["id"] == ADMIN] == ["2017-10-12T15:19:21.000000Z"]
    users30 = v30_chat(w.api, ids["chat"])["users"]
    assert [u["last_seen_timestamp"] for u in users30 if u["id"] == ADMIN] == [1507821561]


def _pushed(name: str, **expected) -> Check:
    def check(w, ids, got):
        payloads = pushes_named(w.smith.drain(), name)
        assert len(payloads) == 1, name
        for key, value in expected.items():
            assert payloads[0][key] == value, payloads[0]

    return check


def _thinking(w, ids, got):
    _pushed("incoming_thinking_indicator", title="Thinking...", author_id=ADMIN, custom_id="31-0C-1C-07-DB-16")(
        w, ids, got
    )


def _summarized(w, ids, got):
    thread = v36_chat(w.api, ids["chat"])["thread"]
    assert thread["summary"]["status"] == "ok" and "Hello there" in thread["summary"]["text"]
    system = thread["events"][-1]
    assert system["type"] == "system" and system["subtype"] == "summary"
    assert json.loads(system["details"])["requested_by"] == ADMIN
    assert last_event(v30_chat(w.api, ids["chat"]))["type"] == "system"


def _listed(w, ids, got):
    assert ids["chat"] in [s["id"] for s in got["chats_summary"]]
    for summary in got["chats_summary"]:
        check_summary(summary)


def _threads_listed(w, ids, got):
    assert [t["id"] for t in got["threads"]] == [ids["thread"]]
    for thread in got["threads"]:
        check_thread(thread)


def _got_chat(w, ids, got):
    check_chat(got)
    assert got["id"] == ids["chat"] and got["thread"]["id"] == ids["thread"]


def _archived(w, ids, got):
    assert ids["chat"] in [c["id"] for c in got["chats"]]
    for chat in got["chats"]:
        check_chat(chat)


def _for_transfer(w, ids, got):
    assert {"agent_id": SMITH, "total_active_chats": 0} in got or any(a["agent_id"] == SMITH for a in got)


CHECKS: dict[str, Check] = {
    "list_chats": _listed,
    "list_threads": _threads_listed,
    "get_chat": _got_chat,
    "list_archives": _archived,
    "start_chat": _created,
    "resume_chat": _resumed,
    "deactivate_chat": _deactivated,
    "follow_chat": _followed(True),
    "unfollow_chat": _followed(False),
    "transfer_chat": _transferred,
    "add_user_to_chat": _members(True),
    "remove_user_from_chat": _members(False),
    "send_event": _sent,
    "send_rich_message_postback": _postback,
    "update_chat_properties": _props("chat", True),
    "delete_chat_properties": _props("chat", False),
    "update_thread_properties": _props("thread", True),
    "delete_thread_properties": _props("thread", False),
    "update_event_properties": _props("event", True),
    "delete_event_properties": _props("event", False),
    "tag_thread": _tagged(True),
    "untag_thread": _tagged(False),
    "get_customer": _customer_read,
    "update_customer": _customer_updated,
    "ban_customer": _banned,
    "set_routing_status": _routing,
    "list_routing_statuses": _statuses,
    "mark_events_as_seen": _seen,
    "send_typing_indicator": _pushed("incoming_typing_indicator"),
    "send_thinking_indicator": _thinking,
    "request_thread_summary": _summarized,
    "list_agents_for_transfer": _for_transfer,
    "multicast": _pushed("incoming_multicast", content={"example": {"nested": "json"}}),
}
"""Action -> read-back of its effect over v3.6 and v3.0 (or of the push it causes)."""


def check_shape(action: str, documented: Any, got: Any) -> None:
    """The answer has the documented shape: `{}` for "no response payload", the documented keys
    (less optional and unmodelled ones) for objects, the same item keys for arrays."""
    if documented is None or documented == {}:
        assert got == {}, f"{action}: {got}"
        return
    if isinstance(documented, list):
        assert isinstance(got, list), got
        for item in got:
            assert set(item) == set(documented[0]), (action, item)
        return
    missing = set(documented) - set(got) - OPTIONAL - NOT_MODELLED.get(action, set())
    assert not missing, f"{action}: documented keys missing: {missing}"


WEB = [s for s in SAMPLES["web"] if s["action"] not in ("upload_file", "send_event_preview")]


@pytest.mark.parametrize("sample", WEB, ids=[s["action"] for s in WEB])
def test_web_sample(world, sample):
    action = sample["action"]
    ids = world.fresh()
    if action in PREP:
        PREP[action](world, ids)
    ids["request"] = substitute(sample, ids)
    got = world.api.ok(action, ids["request"], as_=AS.get(action, ADMIN))
    check_shape(action, sample.get("response"), got)
    CHECKS.get(action, lambda *a: None)(world, ids, got)
    assert action in CHECKS or action == "ping"


RTM = [
    s
    for s in SAMPLES["rtm"]
    if s["action"] in CHECKS or s["action"] in ("ping", "set_away_status", "subscribe_customers", "update_session")
]


@pytest.mark.parametrize("sample", RTM, ids=[f"{s['action']}-{i}" for i, s in enumerate(RTM)])
def test_rtm_sample(world, sample):
    action = sample["action"]
    ids = world.fresh()
    if action in PREP:
        PREP[action](world, ids)
    request = ids["request"] = substitute(sample, ids)
    if action == "update_session":
        request = {"token": f"Bearer {world.api.tokens[ADMIN]}"}
    sock = world.admin if AS.get(action, ADMIN) == ADMIN else world.api.rtm(AS[action])
    try:
        frame = sock.request(action, request)
        assert frame["success"] is True, frame
        got = frame["payload"]
        # RTM samples without a response frame document nothing; two disagree with the Web ones
        if "response" in sample and action not in ("unfollow_chat", "list_agents_for_transfer"):
            check_shape(action, sample["response"], got)
        if action in CHECKS:
            CHECKS[action](world, ids, got)
        if action == "subscribe_customers":
            assert set(got) == {"subscription_id", "customers"}
            for customer in got["customers"]:
                check_user(customer)
            assert sock.request("unsubscribe_customers", {"subscription_id": got["subscription_id"]})["payload"] == {}
        if action == "set_away_status":
            assert sock.request("set_away_status", {"away": False})["success"] is True
    finally:
        if sock is not world.admin:
            sock.close()


def test_preview_and_upload_samples(world):
    """send_event_preview reaches the customer only; upload_file + a file event by its URL."""
    sample = next(s for s in SAMPLES["web"] if s["action"] == "send_event_preview")
    ids = world.fresh()
    world.smith.drain()
    assert world.api.ok("send_event_preview", substitute(sample, ids)) == {}
    assert pushes_named(world.smith.drain(), "incoming_event_preview") == []
    assert [e["text"] for e in v36_chat(world.api, ids["chat"])["thread"]["events"] if e["type"] == "message"] == [
        "Hello there"
    ]  # a preview is not saved

    upload = next(s for s in SAMPLES["web"] if s["action"] == "upload_file")
    got = world.api.ok("upload_file", files={"file": ("image.png", PNG, "image/png")})
    check_shape("upload_file", upload["response"], got)
    sent = world.api.ok(
        "send_event",
        {"chat_id": ids["chat"], "event": {"type": "file", "url": got["url"], "alternative_text": "a pixel"}},
    )
    event = v36_chat(world.api, ids["chat"])["thread"]["events"][-1]
    assert event["id"] == sent["event_id"] and event["url"] == got["url"]
    assert event["name"] == "image.png" and event["width"] == 1 and event["alternative_text"] == "a pixel"
    assert loopback.get(got["url"]).content == PNG
    assert last_event(v30_chat(world.api, ids["chat"]))["url"] == got["url"]
    world.api.fails(
        400,
        "validation",
        "send_event",
        {"chat_id": ids["chat"], "event": {"type": "file", "url": "https://cdn.example.com/not-uploaded.png"}},
    )


def test_session_samples(world):
    """The login sample with its push filter (only `incoming_chat` and `incoming_multicast`
    arrive), the unsubscribe_customers sample on a subscription of that socket, then the
    logout sample: the socket closes."""
    by_action = {s["action"]: s for s in SAMPLES["rtm"] if s["action"] in ("login", "unsubscribe_customers", "logout")}
    login = by_action["login"]
    sock = world.api.rtm(ADMIN, **{k: v for k, v in login["request"].items() if k != "token"})
    try:
        check_shape("login", login["response"], sock.login)
        ids = world.fresh()
        world.api.ok(
            "send_event",
            {"chat_id": ids["chat"], "event": {"type": "message", "text": "filtered out", "visibility": "all"}},
        )
        world.api.ok("multicast", {"recipients": {"agents": {"ids": [ADMIN]}}, "content": {"hello": "sample"}})
        frames = sock.drain()
        assert {f["action"] for f in frames} == {"incoming_chat", "incoming_multicast"}, frames
        assert [p["chat"]["id"] for p in pushes_named(frames, "incoming_chat")] == [ids["chat"]]

        subscribed = sock.request("subscribe_customers", {})["payload"]["subscription_id"]
        unsubscribe = substitute(by_action["unsubscribe_customers"], ids)
        unsubscribe["subscription_id"] = subscribed
        assert sock.request("unsubscribe_customers", unsubscribe)["payload"] == {}
        again = sock.request("unsubscribe_customers", unsubscribe)["payload"]
        assert again["error"]["type"] == "not_found"

        answer = sock.request("logout", by_action["logout"]["request"])
        assert answer["success"] is True and answer["payload"] == {}
        with pytest.raises(ConnectionClosed):
            sock.ws.recv(timeout=5)
    finally:
        sock.close()
