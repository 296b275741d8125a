"""Spec conformance, part 1b: the listing actions (get_chat_threads_summary, get_customers,
get_chats_summary, get_archives) — the reference's samples and api-notes §1 shapes, pagination
with our page ids and with the samples' own page ids — against a real emulator process.
"""

from __future__ import annotations

import pytest

from _spec_client import ADMIN, Spec, check_chat, check_customer, check_event, is_int, start_process

COVERED: set[str] = set()


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    proc = start_process(tmp_path_factory.mktemp("spec-lists"))
    client = Spec(proc)
    yield client
    client.close()
    proc.kill()


@pytest.fixture(scope="module")
def started(spec):
    """A chat started with a customer and one message (start_chat's response chat)."""
    return {"chat": spec.chat()}


def ok(spec, action, payload=None, **kw):
    COVERED.add(action)
    return spec.ok(action, payload, **kw)


def test_get_chat_threads_summary_sample(spec, started):
    body = ok(spec, "get_chat_threads_summary", {"chat_id": started["chat"]["id"], "limit": 25})
    assert {"threads_summary", "found_threads"} <= set(body) <= {
        "threads_summary", "found_threads", "next_page_id", "previous_page_id"}
    assert body["found_threads"] == 1
    [summary] = body["threads_summary"]
    assert set(summary) == {"id", "order", "events_count"}
    assert summary["id"] == started["chat"]["thread"]["id"]
    assert summary["events_count"] == len(started["chat"]["thread"]["events"])


def test_get_chat_threads_summary_with_the_samples_page_id(spec):
    """The sample's `page_id` "MjpkZXNj" is base64 of "2:desc": page 2, newest first."""
    chat = spec.chat()
    spec.ok("close_thread", {"chat_id": chat["id"]})
    spec.ok("send_event", {"chat_id": chat["id"], "event": {"type": "message", "text": "second"}})
    body = spec.ok("get_chat_threads_summary", {"chat_id": chat["id"], "limit": 25, "page_id": "MjpkZXNj"})
    assert body["threads_summary"] == [] and body["found_threads"] == 2
    body = spec.ok("get_chat_threads_summary", {"chat_id": chat["id"], "limit": 1, "page_id": "MjpkZXNj"})
    assert [t["id"] for t in body["threads_summary"]] == [chat["thread"]["id"]]
    assert "previous_page_id" in body and "next_page_id" not in body
    newer = spec.ok("get_chat_threads_summary", {"chat_id": chat["id"], "page_id": body["previous_page_id"]})
    assert [t["order"] for t in newer["threads_summary"]] > [body["threads_summary"][0]["order"]]



def test_get_customers_sample(spec):
    payload = {"filters": {"country": {"values": ["United States", "Poland"]},
                           "visits_count": {"gte": 20},
                           "created_at": {"gte": "2017-10-12T15:19:21.010200+01:00"}}}
    body = ok(spec, "get_customers", payload)
    assert {"customers", "total_customers"} <= set(body) <= {
        "customers", "total_customers", "next_page_id", "previous_page_id"}
    assert is_int(body["total_customers"]) and body["customers"] == [] and body["total_customers"] == 0
    for n in range(3):
        spec.customer(email=f"list{n}@example.com")
    everyone = spec.ok("get_customers", {"limit": 2}, wrapped=False)
    assert len(everyone["customers"]) == 2 and everyone["total_customers"] >= 3
    for customer in everyone["customers"]:
        check_customer(customer)
    following = spec.ok("get_customers", {"page_id": everyone["next_page_id"]})
    assert not {c["id"] for c in following["customers"]} & {c["id"] for c in everyone["customers"]}


def test_get_customers_with_the_samples_page_id(spec):
    """The sample's `page_id` is base64 of a 2018 time in ms: nobody was created before it."""
    body = spec.ok("get_customers", {"page_id": "MTUxNzM5ODEzMTQ5Ng=="})
    assert body["customers"] == [] and body["total_customers"] >= 1


def test_get_chats_summary(spec, started):
    body = ok(spec, "get_chats_summary", {"filters": {"include_active": True}, "limit": 100, "order": "desc"})
    assert {"chats_summary", "found_chats"} <= set(body) <= {
        "chats_summary", "found_chats", "next_page_id", "previous_page_id"}
    assert is_int(body["found_chats"])
    [summary] = [c for c in body["chats_summary"] if c["id"] == started["chat"]["id"]]
    assert {"id", "users", "last_event_per_type", "last_thread_summary", "is_followed"} <= set(summary)
    last = summary["last_thread_summary"]
    assert {"id", "order", "timestamp", "user_ids", "properties", "tags"} <= set(last)
    assert last["id"] == started["chat"]["thread"]["id"]
    for kind, entry in summary["last_event_per_type"].items():
        assert {"thread_id", "thread_order", "event"} <= set(entry)
        assert entry["event"]["type"] == kind
        check_event(entry["event"])
    paged = spec.ok("get_chats_summary", {"limit": 1}, wrapped=False)
    assert len(paged["chats_summary"]) == 1 and "next_page_id" in paged
    assert "previous_page_id" not in paged
    second = spec.ok("get_chats_summary", {"page_id": paged["next_page_id"]})
    assert second["chats_summary"][0]["id"] != paged["chats_summary"][0]["id"]


def test_get_archives(spec):
    chat = spec.chat(text="archived needle")
    spec.ok("close_thread", {"chat_id": chat["id"]})
    body = ok(spec, "get_archives", {"filters": {"query": "archived needle", "agent_ids": [ADMIN],
                                                 "group_ids": [0]},
                                     "pagination": {"page": 1, "limit": 25}})
    assert set(body) == {"chats", "pagination"}
    assert set(body["pagination"]) == {"page", "total"} and body["pagination"] == {"page": 1, "total": 1}
    [item] = body["chats"]
    assert set(item) == {"chat"}
    check_chat(item["chat"], thread=True)
    assert item["chat"]["id"] == chat["id"] and item["chat"]["thread"]["id"] == chat["thread"]["id"]


def test_every_listing_was_replayed():
    assert COVERED == {"get_chat_threads_summary", "get_customers", "get_chats_summary", "get_archives"}
