"""Spec conformance, part 1b: the listing actions (get_chat_threads_summary, get_customers,
get_chats_summary, get_archives) — the reference's samples and docs/api-notes.md §1 shapes, pagination
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
    assert (
        {"threads_summary", "found_threads"}
        <= set(body)
        <= {"threads_summary", "found_threads", "next_page_id", "previous_page_id"}
    )
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
    payload = {
        "filters": {
            "country": {"values": ["United States", "Poland"]},
            "visits_count": {"gte": 20},
            "created_at": {"gte": "2017-10-12T15:19:21.010200+01:00"},
        }
    }
    body = ok(spec, "get_customers", payload)
    assert (
        {"customers", "total_customers"}
        <= set(body)
        <= {"customers", "total_customers", "next_page_id", "previous_page_id"}
    )
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
    assert (
        {"chats_summary", "found_chats"}
        <= set(body)
        <= {"chats_summary", "found_chats", "next_page_id", "previous_page_id"}
    )
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
    body = ok(
        spec,
        "get_archives",
        {
            "filters": {"query": "archived needle", "agent_ids": [ADMIN], "group_ids": [0]},
            "pagination": {"page": 1, "limit": 25},
        },
    )
    assert set(body) == {"chats", "pagination"}
    assert set(body["pagination"]) == {"page", "total"} and body["pagination"] == {"page": 1, "total": 1}
    [item] = body["chats"]
    assert set(item) == {"chat"}
    check_chat(item["chat"], thread=True)
    assert item["chat"]["id"] == chat["id"] and item["chat"]["thread"]["id"] == chat["thread"]["id"]


def test_every_listing_was_replayed():
    assert COVERED == {"get_chat_threads_summary", "get_customers", "get_chats_summary", "get_archives"}


def test_listing_filters_of_api_notes(spec):
    """get_chats_summary property filters, get_archives filters and get_customers filters."""
    rated = spec.chat(text="filter needle")
    plain = spec.chat(text="filter other")
    spec.ok("update_chat_properties", {"chat_id": rated["id"], "properties": {"rating": {"score": 1}}})

    def summary_ids(filters):
        return {c["id"] for c in spec.ok("get_chats_summary", {"filters": filters, "limit": 100})["chats_summary"]}

    exists = summary_ids({"properties": {"rating": {"score": {"exists": True}}}})
    assert rated["id"] in exists and plain["id"] not in exists
    assert rated["id"] in summary_ids({"properties": {"rating": {"score": {"values": [1]}}}})
    excluded = summary_ids({"properties": {"rating": {"score": {"exclude_values": [1]}}}})
    assert rated["id"] not in excluded and plain["id"] in excluded
    spec.ok("close_thread", {"chat_id": rated["id"]})
    inactive = summary_ids({"include_active": False})
    assert rated["id"] in inactive and plain["id"] not in inactive

    def archive_ids(filters):
        body = spec.ok("get_archives", {"filters": filters})
        assert body["pagination"]["total"] == len(body["chats"])
        return {item["chat"]["id"] for item in body["chats"]}

    assert archive_ids({"query": "filter needle"}) == {rated["id"]}
    assert archive_ids({"properties": {"rating": {"score": {"values": [1]}}}}) == {rated["id"]}
    assert archive_ids({"agent_ids": [ADMIN], "query": "filter needle"}) == {rated["id"]}
    assert archive_ids({"agent_ids": ["agent2@example.com"], "query": "filter needle"}) == set()
    assert archive_ids({"date_from": "2000-01-01", "date_to": "2000-01-02"}) == set()
    assert archive_ids({"group_ids": [1], "query": "filter needle"}) == set()

    email = spec.customer(email="filter-me@example.com")["id"]

    def customer_ids(filters):
        body = spec.ok("get_customers", {"filters": filters, "limit": 100})
        return {c["id"] for c in body["customers"]}

    assert customer_ids({"email": {"values": ["filter-me@example.com"]}}) == {email}
    assert email not in customer_ids({"email": {"exclude_values": ["filter-me@example.com"]}})
    assert email not in customer_ids({"chats_count": {"gte": 1}})
    assert email in customer_ids({"chats_count": {"eq": 0}})
    assert email in customer_ids({"created_at": {"gte": "2017-10-12T15:19:21.010200+01:00"}})
    assert customer_ids({"created_at": {"lt": "2017-10-12T14:19:21.010200Z"}}) == set()
