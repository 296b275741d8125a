"""A loaded thread's plain messages held as `MessageRecord`s (wire.compact_events): pushes that
change, re-send or delete them, the summary's last event, list rows and transcript entries all
read them as they read the models."""

from __future__ import annotations

from test_app_store import ME, make_store, msg

from lcconsole.ui import chat_items
from lcconsole.ui import viewmodels as vm
from lcconsole.ui.store_pushes import apply_push
from lcconsole.wire import canonical as wc
from lcconsole.wire.compact_events import MessageRecord, compact_events
from lcconsole.wire.objects import Chat, DeletedEvent, LastEvent, Message, Thread
from lcconsole.wire.pushes import parse_push

SYSTEM = {"id": "e4", "order": 4, "type": "system_message", "text": "%a% joined", "text_vars": {"a": "Jo"}}
FILE = {
    "id": "e5",
    "order": 5,
    "type": "file",
    "author_id": "c-1",
    "timestamp": 1_700_000_006,
    "name": "a.png",
    "url": "http://127.0.0.1/a.png",
    "content_type": "image/png",
    "size": 2048,
    "width": 640,
    "height": 480,
}


def events(store):
    return store.current_thread("CH1").events


def event_push(action: str, event: dict) -> object:
    return parse_push(action, {"chat_id": "CH1", "thread_id": "T1", "event": event})


def test_a_read_thread_holds_records_and_the_summary_a_model():
    store = make_store()
    assert [type(e) for e in events(store)] == [MessageRecord, MessageRecord]
    last = store.chats["CH1"].last_event_per_type["message"]
    assert isinstance(last, LastEvent) and type(last.event) is Message and last.event == events(store)[1]
    store.merge_chat(_read(msg("e1", 1, "a"), msg("e2", 2, "b"), msg("e3", 3, "c")))
    assert [e.id for e in events(store)] == ["e1", "e2", "e3"]
    assert type(store.chats["CH1"].last_event_per_type["message"].event) is Message
    assert store.chats["CH1"].last_event_per_type["message"].event.text == "c"


def test_a_message_with_a_postback_stays_a_model():
    postback = {
        **msg("e3", 3, "Yes"),
        "postback": {"id": "p1", "thread_id": "T1", "event_id": "e0", "type": "message", "value": "yes"},
    }
    held = compact_events([msg("e1", 1, "a"), postback])
    assert [type(e) for e in held] == [MessageRecord, Message]
    assert held[1].postback.id == "p1" and held[0].postback is None


def _read(*raw: dict) -> Chat:
    thread = Thread(id="T1", order=1, active=True)
    thread.events = compact_events(list(raw))
    return Chat(id="CH1", threads=[thread])


def test_a_pushed_edit_replaces_the_record():
    store = make_store()
    held = events(store)[1]
    changes = apply_push(store, event_push("event_updated", msg("e2", 2, "edited")))
    assert changes.transcripts == {"CH1"}
    now = events(store)[1]
    assert now is not held and isinstance(now, MessageRecord) and now.text == "edited"
    assert not apply_push(store, event_push("event_updated", msg("e2", 2, "edited")))  # the same again
    assert not apply_push(store, event_push("incoming_event", msg("e1", 1, "a")))  # a record's own copy
    assert [e.text for e in events(store)] == ["a", "edited"]


def test_a_pushed_new_message_is_held_as_a_record():
    store = make_store()
    apply_push(store, event_push("incoming_event", msg("e3", 3, "c", recipients="agents")))
    assert type(events(store)[-1]) is MessageRecord and chat_items.is_note(events(store)[-1])
    assert store.known.find_custom_id("CH1", "x") is None


def test_properties_and_deletion_of_a_record():
    store = make_store()
    payload = {"chat_id": "CH1", "thread_id": "T1", "event_id": "e2", "properties": {"ns": {"k": {"value": 1}}}}
    assert apply_push(store, parse_push("event_properties_updated", payload)).transcripts == {"CH1"}
    assert events(store)[1].properties.get("ns", "k") == 1
    assert apply_push(store, wc.EventDeleted(chat_id="CH1", thread_id="T1", event_id="e2"))
    gone = events(store)[1]
    assert isinstance(gone, DeletedEvent) and (gone.id, gone.author_id, gone.order) == ("e2", "c-1", 2)


def test_rows_and_entries_read_records_as_models():
    store = make_store()
    apply_push(store, event_push("incoming_event", msg("e3", 3, "a note", author=ME, recipients="agents")))
    apply_push(store, event_push("incoming_event", SYSTEM))
    apply_push(store, event_push("incoming_event", FILE))
    records = events(store)
    assert [type(r).__name__ for r in records[2:]] == ["MessageRecord", "SystemMessageRecord", "FileRecord"]
    models = [r.model() for r in records]
    users = store.chat_users("CH1")
    thread = store.current_thread("CH1")
    as_models = thread.model_copy(update={"events": models})
    built = vm.transcript_entries(thread, users, ME)
    assert built == vm.transcript_entries(as_models, users, ME)
    assert [e.kind for e in built[1:]] == ["customer", "customer", "note", "system", "image"]
    assert built[-2].text == "Jo joined" and built[-1].text.startswith("a.png · 640×480")
    assert [vm.event_entry(r, "T1", users, ME) for r in records] == built[1:]
    # a plain message's entry holds no copy of what its event holds (memory: 10k-event threads)
    assert [e._own is None for e in built[1:]] == [True, True, True, False, False]
    assert [chat_items.event_preview(r) for r in records] == ["a", "b", "a note", "Jo joined", "[file] a.png"]
    summary = store.chats["CH1"]
    row = chat_items.chat_list_item(summary, ME, history=records)
    assert row == chat_items.chat_list_item(summary, ME, history=models)
    assert row.waiting_since == 1_700_000_006  # the customer's file; the note and system message are no answer


def test_a_read_again_keeps_unchanged_records_and_their_entries():
    store = make_store()
    cache = vm.EntryCache(4)
    users = store.chat_users("CH1")
    first = cache.body(store.current_thread("CH1"), users, ME)
    before = list(events(store))
    store.merge_chat(_read(msg("e1", 1, "a"), msg("e2", 2, "changed"), msg("e3", 3, "c")))
    after = events(store)
    assert after[0] is before[0] and after[1] is not before[1] and after[1].text == "changed"
    again = cache.body(store.current_thread("CH1"), users, ME)
    assert again[0] is first[0] and again[1] is not first[1] and [e.text for e in again] == ["a", "changed", "c"]
