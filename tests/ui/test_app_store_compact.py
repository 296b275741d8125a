"""CompactModels (the store's chat-summary mapping) and the store's memory at 10k chats."""

from __future__ import annotations

import gc
import tracemalloc
import zlib

from test_app_store import make_store, msg

from lcconsole.bench.widget_bench import summary_dicts
from lcconsole.ui.compact import CompactModels, EventStub
from lcconsole.ui.store import Store
from lcconsole.ui.store_pushes import apply_push
from lcconsole.wire.objects import Access, ChatSummary, Customer, LastThreadSummary
from lcconsole.wire.pushes import parse_push


def _summaries(n: int) -> list[ChatSummary]:
    return [ChatSummary.model_validate(d) for d in summary_dicts(n)]


def test_dict_api_and_order() -> None:
    chats: CompactModels[str, ChatSummary] = CompactModels(ChatSummary, capacity=2)
    items = _summaries(5)
    for s in items:
        chats[s.id] = s
    assert len(chats) == 5 and list(chats) == [s.id for s in items]
    assert chats.live_count() == 2  # the rest are compact
    assert "C000000000" in chats and "nope" not in chats
    assert chats.get("nope") is None and chats.get("C000000000") == items[0]
    assert chats["C000000001"] == items[1] and list(chats.values()) == items
    assert dict(chats.items()) == {s.id: s for s in items}
    assert chats.pop("C000000002") == items[2] and len(chats) == 4
    del chats["C000000003"]
    assert list(chats) == ["C000000000", "C000000001", "C000000004"]
    assert chats.setdefault("C000000004", items[0]) == items[4]
    chats.clear()
    assert len(chats) == 0 and chats.live_count() == 0


def test_eviction_writes_back_in_place_changes() -> None:
    chats: CompactModels[str, ChatSummary] = CompactModels(ChatSummary, capacity=2)
    items = _summaries(4)
    for s in items:
        chats[s.id] = s
    first = chats["C000000000"]  # parsed again from its compact form
    assert first is not items[0] and first == items[0]
    first.is_followed = True
    first.users[0].last_seen_timestamp = 42
    first.last_thread_summary = LastThreadSummary(id="T9", active=False, tags=["x"])
    for key in ("C000000001", "C000000002", "C000000003"):  # pushes C000000000 out
        chats[key]
    assert not isinstance(chats._data["C000000000"], ChatSummary)
    again = chats["C000000000"]
    assert again is not first and again == first
    assert again.is_followed is True and again.users[0].last_seen_timestamp == 42
    assert again.last_thread_summary.tags == ["x"] and again.last_thread_summary.active is False


def test_eviction_of_an_unchanged_model_keeps_its_compact_form() -> None:
    chats: CompactModels[str, ChatSummary] = CompactModels(ChatSummary, capacity=1)
    items = _summaries(3)
    for s in items:
        chats[s.id] = s
    blob = chats._data["C000000000"]
    assert isinstance(blob, bytes) and len(blob) < len(items[0].model_dump_json())
    chats["C000000000"], chats["C000000001"]  # parsed, then evicted unchanged
    assert chats._data["C000000000"] is blob
    chats["C000000000"].order = 1
    chats["C000000001"]
    assert chats._data["C000000000"] is not blob and chats["C000000000"].order == 1


def test_the_preset_dictionary_is_made_of_several_values() -> None:
    chats: CompactModels[str, ChatSummary] = CompactModels(ChatSummary, capacity=8)
    items = _summaries(200)
    for s in items:
        chats[s.id] = s
    assert [chats[s.id] for s in items] == items  # every compact value reads back as stored
    jsons = [s.model_dump_json(exclude_none=True, by_alias=True).encode() for s in items]
    # the first dump: the 9th value evicts the 1st, with the newest 7 of the 8 parsed ones before it
    assert chats._zdict == b"".join(jsons[2:9]) + jsons[0]
    blobs = [v for v in chats._data.values() if isinstance(v, bytes)]

    def one_value_preset(raw: bytes) -> int:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15, 5, zlib.Z_DEFAULT_STRATEGY, jsons[0])
        return len(packer.compress(raw) + packer.flush())

    assert len(blobs) > 150
    assert sum(map(len, blobs)) < 0.9 * sum(one_value_preset(j) for j in jsons[-len(blobs) :])


def test_same() -> None:
    chats: CompactModels[str, ChatSummary] = CompactModels(ChatSummary, capacity=1)
    items = _summaries(3)
    for s in items:
        chats[s.id] = s
    assert chats.same("C000000000", items[0].model_copy(deep=True))
    assert not chats.same("C000000000", items[1]) and not chats.same("missing", items[0])


def test_edit_pins_the_value_and_writes_it_back() -> None:
    chats: CompactModels[str, ChatSummary] = CompactModels(ChatSummary, capacity=1)
    writes: list[tuple[str, object]] = []
    items = _summaries(4)
    for s in items:
        chats[s.id] = s
    chats.on_write = lambda key, model: writes.append((key, model))
    with chats.edit("C000000000") as first:
        for key in ("C000000001", "C000000002", "C000000003"):  # would evict it, but it is pinned
            chats[key]
        assert chats._data["C000000000"] is first
        first.is_followed = True  # a change after the others were read is not lost
    assert writes == [("C000000000", first)]
    chats["C000000001"]  # now it may go back to compact form: with the change
    assert isinstance(chats._data["C000000000"], bytes)
    assert chats["C000000000"].is_followed is True
    with chats.edit("missing") as none:
        assert none is None
    assert len(writes) == 1


def test_store_indexes_follow_every_write() -> None:
    store = Store()
    store.chats.capacity = 2
    summaries = _summaries(20)
    for n, s in enumerate(summaries):
        s.last_thread_summary.tags = [f"t{n % 3}"]
        s.access = Access(group_ids=[n % 4])
    store.set_summaries(summaries)
    assert store.known_tags() == ["t0", "t1", "t2"] and store.known_groups() == [0, 1, 2, 3]
    customer = summaries[5].users[0].id
    assert store.chats_of_customer(customer) == {"C000000005"}
    with store.edit_chat("C000000002", "thread") as chat:
        chat.last_thread_summary.tags = ["vip"]
    assert store.known_tags() == ["t0", "t1", "t2", "vip"]
    store.drop("C000000005")
    assert store.chats_of_customer(customer) == set()
    for chat_id in [c for c in store.chats if c != "C000000002"]:
        store.drop(chat_id)
    assert store.known_tags() == ["vip"] and store.known_groups() == [0, 2]


def test_store_put_customer_finds_its_chats() -> None:
    store = Store()
    store.chats.capacity = 4
    store.set_summaries(_summaries(50))
    target = store.chats["C000000007"].users[0]
    changes = store.put_customer(Customer(id=target.id, name="Renamed"))
    assert changes.chats == {"C000000007"}
    assert store.customers[target.id].name == "Renamed"
    assert store.customers[target.id].email == target.email  # merged with the embedded copy


def test_store_summary_events_are_stubs_but_known() -> None:
    store = Store()
    store.set_summaries(_summaries(3))
    event = store.chats["C000000001"].last_event_per_type["message"].event
    assert isinstance(store.known.get("C000000001", event.id), EventStub)
    assert store.known.max_order("C000000001") == event.order
    # the same event arriving again changes nothing; a changed copy is a change
    assert not store.add_event("C000000001", "T000000001", event.model_copy())
    edited = event.model_copy(update={"text": "edited"})
    assert store.add_event("C000000001", "T000000001", edited).chats == {"C000000001"}
    assert store.chats["C000000001"].last_event_per_type["message"].event.text == "edited"


def test_store_of_10k_summaries_is_small() -> None:
    """The old dict of models held ~80 MiB for these; compact storage and lean indexes (fetch
    marks shared, no per-chat dict or memo for a chat's one known event) hold ~6 MiB (15 before)."""
    pages = [[ChatSummary.model_validate(d) for d in summary_dicts(10_000, page=p, page_size=500)] for p in range(2)]
    gc.collect()
    tracemalloc.start()
    try:
        store = Store()
        for page in range(20):
            batch = (
                pages[page % 2]
                if page < 2
                else [ChatSummary.model_validate(d) for d in summary_dicts(10_000, page=page, page_size=500)]
            )
            store.set_summaries(batch, since=store.begin_fetch())  # as the login sync does
        del batch, pages
        assert sum(store.unread(c) for c in list(store.chats)) > 0  # as the rows ask
        gc.collect()
        used = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(store.chats) == 10_000
    assert used < 10 * 2**20, f"{used / 2**20:.1f} MiB for 10k summaries"


def test_store_customer_index_with_two_chats_per_customer() -> None:
    store = Store()
    a, b = _summaries(2)
    b.users = [u.model_copy() for u in a.users]  # one customer, two chats
    store.set_summaries([a, b])
    customer = a.users[0].id
    assert store.chats_of_customer(customer) == {a.id, b.id}
    store.set_summaries([a, b])  # the same again: no duplicate
    assert store.chats_of_customer(customer) == {a.id, b.id}
    store.drop(a.id)
    assert store.chats_of_customer(customer) == {b.id}
    store.drop(b.id)
    assert store.chats_of_customer(customer) == set() and not store.index


def test_store_fetch_marks_are_shared_but_a_push_marks_one_chat() -> None:
    store = Store()
    since = store.begin_fetch()
    store.set_summaries(_summaries(3), since=since)
    assert store._pushed["C000000000"] is store._pushed["C000000002"]  # one answer, one marks dict
    store.tick()
    store.touch("C000000001", "users")  # a push about one chat
    assert store.pushed_since("C000000001", "users", since)
    assert not store.pushed_since("C000000000", "users", since)
    assert not store.pushed_since("C000000002", "users", since)
    assert not store.pushed_since("C000000001", "thread", since)


def test_store_known_events_from_one_to_many() -> None:
    """A chat knowing one event holds it without a dict; a second one brings the dict."""
    from lcconsole.wire.objects import Message

    store = Store()
    store.set_summaries(_summaries(2))
    first = store.chats["C000000001"].last_event_per_type["message"].event
    assert store.known.max_order("C000000001") == first.order == 3
    newer = Message(id="E-new", order=4, author_id=first.author_id, text="x", custom_id="c-1")
    assert store.add_event("C000000001", "T000000001", newer)
    assert store.known.get("C000000001", first.id) and store.known.get("C000000001", "E-new")
    assert store.known.max_order("C000000001") == 4 and store.known.count_newer("C000000001", 3) == 1
    assert store.known.find_custom_id("C000000001", "c-1") is newer
    assert not store.known.get("C000000000", "E-new")  # the other chat is untouched
    store.drop("C000000001")
    assert not store.known.get("C000000001", first.id) and store.known.max_order("C000000001") == -1


def test_store_unread_follows_a_change_of_customer() -> None:
    from lcconsole.bench.widget_bench import MY_ID
    from lcconsole.wire.objects import MyProfile

    store = Store()
    store.set_profile(MyProfile(id=MY_ID))
    (summary,) = _summaries(1)  # I am in it; the customer's message is newer than my last seen
    for user in summary.users:
        if user.id == MY_ID:
            user.last_seen_timestamp = 1
    store.set_summaries([summary])
    assert store.unread("C000000000") == 1
    other = summary.model_copy(deep=True)
    other.users[0].id = "someone-else"  # the message's author is no longer the chat's customer
    store.set_summaries([other])
    assert store.unread("C000000000") == 0
    store.set_summaries([summary])
    assert store.unread("C000000000") == 1


_BASE = {"custom_id": "cu", "author_id": "a1", "timestamp": 1700000000, "recipients": "all"}
_PROPS = {"properties": {"ns": {"k": {"value": [1, "x"]}}}}
_FORM_FIELDS = [
    {
        "type": "select",
        "id": "f1",
        "label": "Pick",
        "required": True,
        "options": [{"id": "o1", "label": "One"}],
        "answer": {"id": "o1", "label": "One"},
        "answers": [{"group_id": 2, "label": "Two"}],
    }
]
EVERY_EVENT: list[dict] = [
    {
        "type": "message",
        "text": "hi <b>&",
        "postback": {"id": "p", "thread_id": "T", "event_id": "E", "type": "webview", "value": "v"},
    },
    {"type": "system_message", "text": "x", "system_message_type": "routing.assigned", "text_vars": {"a": "b"}},
    {
        "type": "file",
        "name": "f.png",
        "url": "http://h/f.png",
        "content_type": "image/png",
        "size": 3,
        "width": 4,
        "height": 5,
        "thumbnail_url": "http://h/t.png",
        "thumbnail2x_url": "http://h/t2.png",
    },
    {
        "type": "rich_message",
        "template_id": "cards",
        "elements": [
            {
                "title": "t",
                "subtitle": "s",
                "image": {
                    "url": "u",
                    "name": "n",
                    "content_type": "image/png",
                    "size": 1,
                    "width": 2,
                    "height": 3,
                    "alternative_text": "alt",
                },
                "buttons": [
                    {
                        "text": "b",
                        "postback_id": "pb",
                        "user_ids": ["u1"],
                        "type": "message",
                        "value": "v",
                        "webview_height": "full",
                        "target": "current",
                    }
                ],
                "ecommerce": {"price": 1},
            }
        ],
    },
    {"type": "filled_form", "form_id": "F", "fields": _FORM_FIELDS},
    {"type": "custom", "content": {"any": ["thing", 1, None]}},
    {"type": "annotation", "text": "a", "annotation_type": "rating"},
    {"type": "system", "source": "s", "subtype": "st", "version": 2, "details": '{"x": 1}'},
    {"type": "form", "form_id": "F", "form_type": "prechat", "fields": _FORM_FIELDS},
    {"type": "message", "deleted": True},  # DeletedEvent: no content
    {"type": "message", "restricted_access": "no"},  # RestrictedEvent
    {"type": "brand_new", "whatever": {"n": 1}},  # UnknownEvent, its fields kept as extras
]


def test_compact_summaries_keep_every_field_of_every_event_type() -> None:
    """Each event type, every field set (and an unknown one), as a summary's last event: stored,
    pushed out to compact form, read back: the same type, the same fields, nothing lost."""
    from lcconsole.wire.objects import LastEvent

    store = Store()
    store.chats.capacity = 1
    sent = []
    for n, body in enumerate(EVERY_EVENT):
        event = {"id": f"E{n}", "order": n + 1, **_BASE, **_PROPS, "x_future": {"kept": n}, **body}
        summary = ChatSummary(id=f"C{n}", last_event_per_type={"k": LastEvent.model_validate({"event": event})})
        parsed = summary.last_event_per_type["k"].event
        assert set(type(parsed).model_fields) <= parsed.model_fields_set, type(parsed).__name__  # all set
        sent.append(summary.model_copy(deep=True))
        store.set_summaries([summary])
    kinds = {type(s.last_event_per_type["k"].event).__name__ for s in sent}
    assert {"DeletedEvent", "RestrictedEvent", "UnknownEvent", "RichMessage", "Form"} <= kinds
    for original in sent:
        assert not isinstance(store.chats._data[original.id], ChatSummary)  # compact now
        back = store.chats[original.id].last_event_per_type["k"].event
        want = original.last_event_per_type["k"].event
        assert type(back) is type(want)
        assert back.model_dump() == want.model_dump() and back.model_extra == want.model_extra
        assert back.model_extra["x_future"] == want.model_extra["x_future"]
        store.chats.pop(original.id)  # the next read must parse, not find this one cached


def test_the_index_of_a_plain_chat_follows_its_changes():
    """Most chats (one customer, no tags, group 0) are indexed by their bare customer id."""
    store = make_store()
    plain = {
        "id": "CH2",
        "users": [{"id": "c-2", "type": "customer", "name": "Bo"}],
        "access": {"group_ids": [0]},
        "last_event_per_type": {"message": {"thread_id": "T9", "event": msg("x1", 1, "hi", author="c-2")}},
        "last_thread_summary": {"id": "T9", "order": 1, "active": True, "tags": []},
    }
    store.set_summaries([ChatSummary.model_validate(plain)])
    assert store.chats_of_customer("c-2") == {"CH2"} and store.unread("CH2") == 1
    assert store.known_groups() == [0] and store.known_tags() == []
    apply_push(store, parse_push("chat_thread_tagged", {"chat_id": "CH2", "thread_id": "T9", "tag": "vip"}))
    assert store.known_tags() == ["vip"] and store.chats_of_customer("c-2") == {"CH2"}
    apply_push(store, parse_push("chat_thread_untagged", {"chat_id": "CH2", "thread_id": "T9", "tag": "vip"}))
    assert store.known_tags() == [] and store.unread("CH2") == 1
    store.set_summaries([ChatSummary.model_validate(plain | {"access": {"group_ids": [0, 7]}})])
    assert store.known_groups() == [0, 7]
    store.set_summaries([ChatSummary.model_validate(plain | {"users": [{"id": "c-3", "type": "customer"}]})])
    assert store.chats_of_customer("c-2") == set() and store.chats_of_customer("c-3") == {"CH2"}
    assert store.known_groups() == [0]
