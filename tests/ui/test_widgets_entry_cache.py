"""An EntryCache lets transcript_entries reuse the entries of unchanged events between builds."""

from __future__ import annotations

from lcconsole.ui.viewmodels import EntryCache, transcript_entries
from lcconsole.wire.objects import Thread, parse_event, parse_user

ME = "me@example.com"
USERS = {
    "cust-1": parse_user({"id": "cust-1", "type": "customer", "name": "Ann"}),
    ME: parse_user({"id": ME, "type": "agent", "name": "Me"}),
}


def thread(n: int = 5, tid: str = "T1") -> Thread:
    events = [
        {
            "id": f"e{i}",
            "type": "message",
            "order": i,
            "timestamp": 100 + i,
            "author_id": "cust-1" if i % 2 else ME,
            "text": f"text {i}",
        }
        for i in range(1, n + 1)
    ]
    events.append(
        {
            "id": "rich",
            "type": "rich_message",
            "order": n + 1,
            "author_id": ME,
            "template_id": "quick_replies",
            "elements": [{"title": "Pick", "buttons": [{"text": "Yes", "postback_id": "y", "user_ids": []}]}],
        }
    )
    events.append({"id": "sys", "type": "system_message", "order": n + 2, "text": "closed"})
    return Thread.model_validate({"id": tid, "active": True, "order": 1, "events": events})


def uncached(t: Thread, users=USERS, my_id: str = ME) -> list:
    return transcript_entries(t, users, my_id)


def test_unchanged_events_keep_their_entry_objects_and_new_ones_are_built() -> None:
    cache = EntryCache()
    t = thread()
    first = transcript_entries(t, USERS, ME, cache)
    new = parse_event({"id": "e99", "type": "message", "order": 99, "author_id": "cust-1", "text": "new one"})
    t.events = t.events + [new]  # as the store does on incoming_event
    second = transcript_entries(t, USERS, ME, cache)
    assert len(second) == len(first) + 1
    by_key = {e.key: e for e in first}
    for entry in second[1:-1]:
        if entry.key != "rich":
            assert entry is by_key[entry.key], entry.key  # reused, not rebuilt
    assert second[-1].text == "new one" and second[-1].kind == "customer"
    assert second == uncached(t)  # same result as a full build


def test_replaced_events_renamed_authors_and_pressed_buttons_are_rebuilt() -> None:
    cache = EntryCache()
    t = thread()
    transcript_entries(t, USERS, ME, cache)
    t.events[0] = t.events[0].model_copy(update={"text": "edited"})  # event_updated
    t.events[5].elements[0].buttons[0].user_ids.append(ME)  # postback: changed in place
    after = transcript_entries(t, USERS, ME, cache)
    assert after[1].text == "edited" and after[6].buttons == (("y", "Yes", True),)
    assert after == uncached(t)
    renamed = {**USERS, "cust-1": parse_user({"id": "cust-1", "type": "customer", "name": "Bo"})}
    again = transcript_entries(t, renamed, ME, cache)
    assert {e.author for e in again if e.author_id == "cust-1"} == {"Bo"}
    assert again == uncached(t, renamed)
    other = transcript_entries(t, renamed, "cust-1", cache)  # another agent id: its own entries
    assert [e.mine for e in other[1:3]] == [True, False] and other == uncached(t, renamed, "cust-1")


def test_entry_equality_ignores_raw_and_the_cache_is_bounded() -> None:
    entry = transcript_entries(thread(1), USERS, ME)[1]
    twin = entry.changed(raw=None)
    assert entry == twin and entry is not twin and entry != entry.changed(text="x")
    cache = EntryCache(threads=3)
    for i in range(6):
        transcript_entries(thread(2, tid=f"T{i}"), USERS, ME, cache)
    assert cache.keys() == [("T3", ME), ("T4", ME), ("T5", ME)]
    assert not EntryCache(0).keys() and transcript_entries(thread(2), USERS, ME, EntryCache(0))
