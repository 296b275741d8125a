"""Engine: get_chats_summary (cursors, order, filters) and get_archives (filters, pages)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import sqlite3

import pytest
from _engine_util import World
from hypothesis import given, settings
from hypothesis import strategies as st

from lcconsole.emulator.contract import ErrorReply
from lcconsole.emulator.world.summaries import props_match, props_sql
from lcconsole.wire.requests import GetChatsSummary


@pytest.fixture
def w() -> World:
    return World()


def _ids(body):
    return [c["id"] for c in body["chats_summary"]]


def test_pagination_cursors_walk_forward_and_back_without_duplicates(w):
    created = [w.start(text=f"m{i}")["id"] for i in range(23)]
    body = w.run(w.admin, "get_chats_summary", {"limit": 10}).payload
    assert body["found_chats"] == 23 and "previous_page_id" not in body
    pages = [_ids(body)]
    while "next_page_id" in body:
        body = w.run(w.admin, "get_chats_summary", {"page_id": body["next_page_id"]}).payload
        pages.append(_ids(body))
    assert [len(p) for p in pages] == [10, 10, 3]
    flat = [c for p in pages for c in p]
    assert flat == list(reversed(created))  # newest activity first
    back = w.run(w.admin, "get_chats_summary", {"page_id": body["previous_page_id"]}).payload
    assert _ids(back) == pages[1] and "next_page_id" in back and "previous_page_id" in back
    asc = w.run(w.admin, "get_chats_summary", {"order": "asc", "limit": 5}).payload
    assert _ids(asc) == created[:5]
    nxt = w.run(w.admin, "get_chats_summary", {"page_id": asc["next_page_id"]}).payload
    assert _ids(nxt) == created[5:10]
    # activity moves a chat to the front
    w.run(w.admin, "send_event", {"chat_id": created[0], "event": {"type": "message", "text": "x"}})
    assert _ids(w.run(w.admin, "get_chats_summary", {"limit": 1}).payload) == [created[0]]
    # a `pagination` object is tolerated (its limit used)
    tolerated = w.run(w.admin, "get_chats_summary", {"pagination": {"page": 1, "limit": 4}})
    assert len(tolerated.payload["chats_summary"]) == 4
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "get_chats_summary", {"limit": 101})
    assert err.value.message.startswith("limit:")


def test_summary_content(w):
    chat = w.start(properties={"p": {"v": "x"}})
    w.run(w.admin, "send_event", {"chat_id": chat["id"], "event": {"type": "custom", "content": {"k": 1}}})
    (s,) = w.run(w.admin, "get_chats_summary", {}).payload["chats_summary"]
    assert set(s["last_event_per_type"]) == {"message", "custom"}
    entry = s["last_event_per_type"]["custom"]
    assert entry["thread_id"] == chat["thread"]["id"]
    assert entry["thread_order"] == chat["thread"]["order"]
    assert entry["event"]["content"] == {"k": 1}
    assert s["last_thread_summary"]["id"] == chat["thread"]["id"]
    assert s["properties"] == {"p": {"v": {"value": "x"}}}
    assert s["access"] == {"group_ids": [0]} and s["is_followed"] is False
    assert s["order"] == entry["event"]["order"]


def test_summary_filters(w):
    a = w.start(properties={"ns": {"color": "red", "n": 1}})["id"]
    b = w.start(properties={"ns": {"color": "blue"}}, groups=[1])["id"]
    c = w.start()["id"]
    w.run(w.admin, "close_thread", {"chat_id": c})

    def ids(filters):
        return set(_ids(w.run(w.admin, "get_chats_summary", {"filters": filters}).payload))

    assert ids({}) == {a, b, c}
    assert ids({"include_active": True}) == {a, b, c}
    assert ids({"include_active": False}) == {c}
    assert ids({"properties": {"ns": {"color": {"values": ["red"]}}}}) == {a}
    assert ids({"properties": {"ns": {"color": {"exclude_values": ["red"]}}}}) == {b, c}
    assert ids({"properties": {"ns": {"color": {"exists": True}}}}) == {a, b}
    assert ids({"properties": {"ns": {"color": {"exists": False}}}}) == {c}
    assert ids({"properties": {"ns": {"n": {"values": [1]}}}}) == {a}
    assert ids({"properties": {"ns": {"n": {"values": [True]}}}}) == set()
    assert ids({"group_ids": [1]}) == {b}
    body = w.run(w.admin, "get_chats_summary", {"filters": {"group_ids": [1]}}).payload
    assert body["found_chats"] == 1


def _archive(w, principal=None, **body):
    return w.run(principal or w.admin, "get_archives", body).payload


def test_archives_one_item_per_closed_thread_and_filters(w):
    cust = w.run(w.admin, "create_customer", {"name": "Zed Quux", "email": "zed@q.org"})
    first = w.start(text="my parcel is late", customer=cust.payload["id"])
    w.run(w.admin, "close_thread", {"chat_id": first["id"]})
    w.run(w.admin, "send_event", {"chat_id": first["id"], "event": {"type": "message", "text": "second visit"}})
    w.run(
        w.admin,
        "update_chat_thread_properties",
        {
            "chat_id": first["id"],
            "thread_id": w.run(w.admin, "get_chats_summary", {}).payload["chats_summary"][0]["last_thread_summary"][
                "id"
            ],
            "properties": {"q": {"k": "v"}},
        },
    )
    w.run(w.admin, "close_thread", {"chat_id": first["id"]})
    other = w.start(w.acc, text="invoice question", groups=[1])
    w.run(w.acc, "close_thread", {"chat_id": other["id"]})
    w.start(text="still open")

    body = _archive(w)
    assert body["pagination"] == {"page": 1, "total": 3}
    items = body["chats"]
    assert [i["chat"]["id"] for i in items] == [other["id"], first["id"], first["id"]]
    assert all(not i["chat"]["thread"]["active"] for i in items)
    assert items[1]["chat"]["thread"]["id"] != items[2]["chat"]["thread"]["id"]
    assert any(e.get("text") == "second visit" for e in items[1]["chat"]["thread"]["events"])

    def total(**filters):
        return _archive(w, filters=filters)["pagination"]["total"]

    assert total(query="PARCEL") == 1
    assert total(query="zed@q") == 2  # customer e-mail matches both threads of that chat
    assert total(query="100%_") == 0
    assert total(agent_ids=["acc@example.com"]) == 1
    assert total(group_ids=[1]) == 1
    assert total(properties={"q": {"k": {"values": ["v"]}}}) == 1
    today = dt.datetime.now(dt.UTC).date()
    assert total(date_from=today.isoformat(), date_to=today.isoformat()) == 3
    assert total(date_to=(today - dt.timedelta(days=1)).isoformat()) == 0
    with pytest.raises(ErrorReply) as err:
        _archive(w, filters={"date_from": "25/11/2026"})
    assert err.value.message.startswith("filters.date_from")
    paged = _archive(w, pagination={"page": 2, "limit": 2})
    assert len(paged["chats"]) == 1 and paged["pagination"] == {"page": 2, "total": 3}
    assert _archive(w, w.acc2)["pagination"]["total"] == 2  # group 1 chat hidden from acc2
    assert _archive(w, w.my)["pagination"]["total"] == 0


def test_login_summary_lists_my_followed_and_queued_chats(w):
    mine = w.start()["id"]
    cust = w.customer()
    queued = w.run(cust, "start_chat", {}).payload["chat"]["id"]
    other = w.start(w.acc)["id"]
    closed = w.start()["id"]
    w.run(w.admin, "close_thread", {"chat_id": closed})
    ids = {c["id"] for c in w.run(w.admin, "login", {}).payload["chats_summary"]}
    assert ids == {mine, queued}
    w.run(w.admin, "follow_chat", {"chat_id": other})
    ids = {c["id"] for c in w.run(w.admin, "login", {}).payload["chats_summary"]}
    assert ids == {mine, queued, other}


_names = st.sampled_from(["a", "b", 'we"ird', "dot.ted"])
_vals = st.one_of(st.booleans(), st.integers(-3, 3), st.sampled_from(["x", "1", "true", ""]))
_cond = st.sampled_from(["exists", "values", "exclude_values"]).flatmap(
    lambda k: st.fixed_dictionaries({k: st.booleans() if k == "exists" else st.lists(_vals, max_size=3)})
)
_DB = sqlite3.connect(":memory:")
_DB.execute("CREATE TABLE t (props TEXT)")
_DB.create_function("lc_props_match", 2, props_match)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(_names, st.dictionaries(_names, _vals, max_size=3), max_size=3),
    st.dictionaries(_names, st.dictionaries(_names, _cond, min_size=1, max_size=2), min_size=1, max_size=2),
)
def test_property_filter_sql_agrees_with_the_reference_function(stored, flt):
    """The SQL property filter and the Python reference (lc_props_match) always agree."""
    model = GetChatsSummary.model_validate({"filters": {"properties": flt}}).filters.properties
    sql, args = props_sql("t.props", model)
    _DB.execute("DELETE FROM t")
    _DB.execute("INSERT INTO t VALUES (?)", (json.dumps(stored),))
    got = _DB.execute(f"SELECT COUNT(*) FROM t WHERE {sql}", args).fetchone()[0]
    assert got == props_match(json.dumps(stored), json.dumps(flt))


@pytest.mark.parametrize(
    "cursor",
    [
        {"d": "n", "k": [{"x": 1}, "a"], "o": "desc", "l": 10},
        {"d": "n", "k": [1], "o": "desc", "l": 10},
        {"d": "n", "k": [1, "a"], "o": "sideways", "l": 10},
        {"d": "n", "k": [1, "a"], "o": "desc", "l": 10**9},
        {"d": "n", "k": [True, "a"], "o": "desc", "l": 10},
        {"d": "x", "k": [1, "a"], "o": "desc", "l": 10},
        [1, 2],
    ],
)
def test_crafted_page_ids_are_validation_errors(w, cursor):
    page_id = base64.b64encode(json.dumps(cursor).encode()).decode()
    for action, extra in (("get_chats_summary", {}), ("get_customers", {})):
        with pytest.raises(ErrorReply) as err:
            w.run(w.admin, action, {"page_id": page_id, **extra})
        assert err.value.type == "validation" and "page_id" in err.value.message
