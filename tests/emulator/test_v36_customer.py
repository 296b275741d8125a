"""The v3.6 customer side (`/v3.6/customer/action/<action>`) against a real emulator process: a
whole conversation in v3.6 shapes, the pushes it gives v3.6 and v3.0 agent sockets, read-back
over both agent versions, and the errors."""

from __future__ import annotations

import httpx
from _v36_client import (
    ADMIN,
    Client36,
    api,  # noqa: F401  (a fixture, used by parameter name)
    check_error,
    check_time,
    no_v30_keys,
    one,
)


class Customer36:
    """One customer's v3.6 calls."""

    def __init__(self, api: Client36, name: str = "Cus Tomer") -> None:
        created = api.http.post("/customer/token", json={"name": name}).json()
        self.id = created["customer_id"]
        self.http = api.http
        self.headers = {"Authorization": f"Bearer {created['access_token']}"}

    def post(self, action: str, payload: dict | None = None, **kw) -> httpx.Response:
        if kw:
            return self.http.post(f"/v3.6/customer/action/{action}", headers=self.headers, **kw)
        return self.http.post(f"/v3.6/customer/action/{action}", json=payload or {}, headers=self.headers)

    def ok(self, action: str, payload: dict | None = None, **kw) -> dict:
        resp = self.post(action, payload, **kw)
        assert resp.status_code == 200, f"{action}: {resp.status_code} {resp.text[:300]}"
        return resp.json()


def check_customer_thread(thread: dict) -> None:
    """A thread as a customer sees it: v3.6 keys, no `visibility` on its events."""
    no_v30_keys(thread)
    check_time(thread["created_at"])
    for event in thread["events"]:
        no_v30_keys(event)
        check_time(event["created_at"])
        assert "visibility" not in event, event


def test_a_v36_customer_conversation_with_v36_and_v30_agents(api):
    v36, v30 = api.rtm(ADMIN, "3.6"), api.rtm(ADMIN, "3.0")
    try:
        me = Customer36(api)
        started = me.ok(
            "start_chat",
            {"chat": {"thread": {"events": [{"type": "message", "text": "Hi, <b>help</b>", "custom_id": "c1"}]}}},
        )
        assert set(started) == {"chat_id", "thread_id", "event_ids"}
        chat_id, thread_id = started["chat_id"], started["thread_id"]
        incoming = one(v36.drain(), "incoming_chat")
        assert incoming["chat"]["id"] == chat_id
        assert [e["text"] for e in incoming["chat"]["thread"]["events"] if e["type"] == "message"] == [
            "Hi, <b>help</b>"
        ]
        assert one(v30.drain(), "incoming_chat_thread")["chat"]["id"] == chat_id

        sent = me.ok(
            "send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "anyone?", "recipients": "all"}}
        )
        assert set(sent) == {"event_id"}
        pushed = one(v36.drain(), "incoming_event")
        assert pushed["event"]["id"] == sent["event_id"] and pushed["event"]["visibility"] == "all"
        assert one(v30.drain(), "incoming_event")["event"]["id"] == sent["event_id"]

        assert me.ok("send_sneak_peek", {"chat_id": chat_id, "sneak_peek_text": "I wa"}) == {}
        assert one(v36.drain(), "incoming_sneak_peek")["sneak_peek"]["text"] == "I wa"
        assert me.ok("send_typing_indicator", {"chat_id": chat_id, "is_typing": True}) == {}
        assert one(v36.drain(), "incoming_typing_indicator")["typing_indicator"]["is_typing"]

        url = me.ok("upload_file", files={"file": ("shot.png", b"not really a png", "image/png")})["url"]
        assert url.startswith(api.proc.base_url + "/files/")
        file_event = me.ok("send_event", {"chat_id": chat_id, "event": {"type": "file", "url": url}})
        assert api.http.get(url).content == b"not really a png"

        # agents answer: one message for everyone, one note for agents only
        api.ok("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "hello"}})
        api.ok("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "note", "visibility": "agents"}})

        chat = me.ok("get_chat", {"chat_id": chat_id})
        assert chat["id"] == chat_id and chat["thread"]["id"] == thread_id
        check_customer_thread(chat["thread"])
        texts = [e.get("text") for e in chat["thread"]["events"] if e["type"] == "message"]
        assert texts == ["Hi, <b>help</b>", "anyone?", "hello"]  # no agents-only note
        assert [e["id"] for e in chat["thread"]["events"] if e["type"] == "file"] == [file_event["event_id"]]
        agents = [u for u in chat["users"] if u["type"] == "agent"]
        assert agents and all("email" not in u and "visibility" not in u for u in agents)
        assert "is_followed" not in chat

        assert me.ok("deactivate_chat", {"id": chat_id}) == {}
        assert one(v36.drain(), "chat_deactivated")["chat_id"] == chat_id
        assert one(v30.drain(), "thread_closed")["chat_id"] == chat_id
        resumed = me.ok(
            "resume_chat", {"chat": {"id": chat_id, "thread": {"events": [{"type": "message", "text": "me again"}]}}}
        )
        assert set(resumed) == {"thread_id", "event_ids"} and resumed["thread_id"] != thread_id

        listed = me.ok("list_threads", {"chat_id": chat_id})
        assert listed["found_threads"] == 2
        assert [t["id"] for t in listed["threads"]] == [resumed["thread_id"], thread_id]
        for thread in listed["threads"]:
            check_customer_thread(thread)
        assert listed["threads"][0]["previous_thread_id"] == thread_id
        assert listed["threads"][1]["next_thread_id"] == resumed["thread_id"]
        first = me.ok("list_threads", {"chat_id": chat_id, "limit": 1, "sort_order": "asc"})
        assert [t["id"] for t in first["threads"]] == [thread_id]
        second = me.ok("list_threads", {"chat_id": chat_id, "page_id": first["next_page_id"]})
        assert [t["id"] for t in second["threads"]] == [resumed["thread_id"]]
        newest = me.ok("list_threads", {"chat_id": chat_id, "min_events_count": 1})
        assert [t["id"] for t in newest["threads"]] == [resumed["thread_id"]]

        # the same world over the agent APIs of both versions
        v30_threads = api.ok30("get_chat_threads", {"chat_id": chat_id})["chat"]["threads"]
        assert [t["id"] for t in v30_threads] == [thread_id, resumed["thread_id"]]
        assert api.ok("get_chat", {"chat_id": chat_id})["thread"]["events"][-1]["text"] == "me again"
    finally:
        v36.close()
        v30.close()


def test_rich_message_postback_from_a_v36_customer(api):
    me = Customer36(api, "Button Presser")
    chat_id = me.ok("start_chat")["chat_id"]
    thread_id = me.ok("get_chat", {"chat_id": chat_id})["thread"]["id"]
    # nobody was online to take the chat: an agent joins it before writing (v3.6 rule)
    api.join(chat_id)
    rich = api.ok(
        "send_event",
        {
            "chat_id": chat_id,
            "event": {
                "type": "rich_message",
                "template_id": "quick_replies",
                "elements": [{"buttons": [{"text": "Yes", "postback_id": "yes", "type": "message", "value": "Yes"}]}],
            },
        },
    )
    v36 = api.rtm(ADMIN, "3.6")
    try:
        assert (
            me.ok(
                "send_rich_message_postback",
                {
                    "chat_id": chat_id,
                    "thread_id": thread_id,
                    "event_id": rich["event_id"],
                    "postback": {"id": "yes", "toggled": True},
                },
            )
            == {}
        )
        posted = one(v36.drain(), "incoming_rich_message_postback")
        assert posted["event_id"] == rich["event_id"] and posted["postback"]["id"] == "yes"
    finally:
        v36.close()


def test_customer_side_errors(api):
    me, other = Customer36(api, "One"), Customer36(api, "Other")
    chat_id = me.ok("start_chat")["chat_id"]
    check_error(other.post("get_chat", {"chat_id": chat_id}), 404, "not_found")
    check_error(
        other.post("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": "not mine"}}),
        404,
        "not_found",
    )
    assert "event.text" in check_error(
        me.post("send_event", {"chat_id": chat_id, "event": {"type": "message", "text": 5}}), 400, "validation"
    )
    assert "chat.id" in check_error(me.post("resume_chat", {"chat": {}}), 400, "validation")
    check_error(me.post("list_chats"), 404, "not_found")  # an agent action
    check_error(me.post("teleport"), 404, "not_found")
    check_error(
        me.http.post("/v3.5/customer/action/start_chat", json={}, headers=me.headers), 400, "unsupported_version"
    )
    agent = {"Authorization": f"Bearer {api.tokens[ADMIN]}"}
    check_error(me.http.post("/v3.6/customer/action/start_chat", json={}, headers=agent), 401, "authentication")
    assert me.ok("list_threads", {"chat_id": chat_id, "limit": 1})["found_threads"] == 1
    check_error(me.post("list_threads", {"chat_id": chat_id, "limit": 1, "min_events_count": 1}), 400, "validation")
    # a customer cannot pull agents into its chat
    started = me.ok("start_chat", {"chat": {"users": [{"id": ADMIN, "type": "agent"}]}})
    users = api.ok("get_chat", {"chat_id": started["chat_id"]})["users"]
    assert [u["id"] for u in users] == [me.id]  # nobody logged in: routing assigned no agent
