"""Customer website visits (world/visits.py): start_visit, update_customer_page and end_visit as
customer actions; customer_visit_started / customer_page_updated / customer_visit_ended pushes to
customers:ro agents; the customer's last_visit and visits_count kept up to date."""

from __future__ import annotations

import pytest
from _engine_util import World, pushes

from lcconsole.emulator.contract import ErrorReply

ADMIN, ACC, ACC2, MY = "agent1@example.com", "acc@example.com", "acc2@example.com", "my@example.com"
GEO = {
    "country": "Poland",
    "country_code": "PL",
    "region": "Lesser Poland",
    "city": "Kraków",
    "timezone": "Europe/Warsaw",
    "latitude": 50.06,
    "longitude": 19.94,
}


@pytest.fixture
def w() -> World:
    return World()


def _customer(w: World, customer_id: str) -> dict:
    out = w.run(w.admin, "get_customers", {"filters": {"customer_id": {"values": [customer_id]}}})
    return out.payload["customers"][0]


def test_visit_started_with_a_landing_page(w):
    cust = w.customer()
    out = w.run(
        cust,
        "start_visit",
        {
            "ip": "198.51.100.7",
            "user_agent": "Firefox",
            "geolocation": GEO,
            "referrer": "https://www.google.com/",
            "url": "https://shop.example.com/",
            "title": "Home",
        },
    )
    visit_id = out.payload["visit_id"]
    (started,) = pushes(out, "customer_visit_started")
    assert started.payload == {
        "customer_id": cust.id,
        "visit_id": visit_id,
        "started_at": started.payload["started_at"],
        "ip": "198.51.100.7",
        "user_agent": "Firefox",
        "geolocation": GEO,
    }
    assert started.agent_ids == {ADMIN, ACC, ACC2}  # customers:ro holders; `my` has none
    (page,) = pushes(out, "customer_page_updated")
    assert page.payload == {
        "customer_id": cust.id,
        "visit_id": visit_id,
        "opened_at": page.payload["opened_at"],
        "url": "https://shop.example.com/",
        "title": "Home",
        "referrer": "https://www.google.com/",
    }
    customer = _customer(w, cust.id)
    visit = customer["last_visit"]
    assert visit["started_at"] == started.payload["started_at"] and visit["ip"] == "198.51.100.7"
    assert visit["geolocation"]["city"] == "Kraków"
    assert [p["url"] for p in visit["last_pages"]] == ["https://shop.example.com/"]
    assert customer["statistics"]["visits_count"] == 1


def test_pages_browse_and_the_visit_ends(w):
    cust = w.customer()
    out = w.run(cust, "update_customer_page", {"url": "https://shop.example.com/a", "title": "A"})
    canonical = [p.action for p in out.pushes if p.dialect is None]  # v3.6 adds its own
    assert canonical == ["customer_visit_started", "customer_page_updated"]
    visit_id = out.payload["visit_id"]
    out = w.run(cust, "update_customer_page", {"url": "https://shop.example.com/b"})
    (page,) = pushes(out)
    assert page.action == "customer_page_updated" and page.payload["visit_id"] == visit_id
    assert page.payload["referrer"] == "https://shop.example.com/a"  # the previous page
    for i in range(25):
        w.run(cust, "update_customer_page", {"url": f"https://shop.example.com/p{i}"})
    pages = _customer(w, cust.id)["last_visit"]["last_pages"]
    assert len(pages) == 20 and pages[-1]["url"] == "https://shop.example.com/p24"
    w.start(customer=cust.id)
    out = w.run(cust, "end_visit", {})
    (ended,) = pushes(out)
    assert ended.action == "customer_visit_ended" and ended.agent_ids == {ADMIN, ACC, ACC2}
    assert ended.payload == {"customer_id": cust.id, "visit_id": visit_id, "ended_at": ended.payload["ended_at"]}
    customer = _customer(w, cust.id)
    assert customer["last_visit"]["ended_at"] == ended.payload["ended_at"]
    chat = w.run(w.admin, "get_chats_summary", {}).payload["chats_summary"][0]
    assert [u["present"] for u in chat["users"] if u["type"] == "customer"] == [False]
    assert pushes(w.run(cust, "end_visit", {})) == []  # nothing open any more


def test_a_new_visit_ends_the_open_one(w):
    cust = w.customer()
    first = w.run(cust, "start_visit", {}).payload["visit_id"]
    out = w.run(cust, "start_visit", {"ip": "192.0.2.9"})
    canonical = [p.action for p in out.pushes if p.dialect is None]
    assert canonical == ["customer_visit_ended", "customer_visit_started"]
    assert out.pushes[0].payload["visit_id"] == first
    assert out.payload["visit_id"] != first
    assert _customer(w, cust.id)["statistics"]["visits_count"] == 2


def test_visit_payloads_are_validated_and_customer_only(w):
    cust = w.customer()
    for action, payload in (
        ("update_customer_page", {}),
        ("update_customer_page", {"url": 5}),
        ("start_visit", {"ip": 1}),
        ("start_visit", {"geolocation": "PL"}),
    ):
        with pytest.raises(ErrorReply) as err:
            w.run(cust, action, payload)
        assert err.value.type == "validation", (action, payload)
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "start_visit", {})
    assert err.value.type == "validation" and "start_visit" in err.value.message
