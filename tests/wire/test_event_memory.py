"""Events share their fields-set and empty extras (memory of long threads) without one event's
change showing on another."""

from __future__ import annotations

import copy
import pickle

from lcconsole.wire import objects as o
from lcconsole.wire.events import Message


def _thread() -> o.Thread:
    events = [
        {"id": f"E{i}", "order": i, "type": "message", "author_id": "c1", "text": f"hi {i}", "recipients": "all"}
        for i in range(1, 4)
    ]
    events.append({"id": "E9", "order": 9, "type": "message", "text": "odd", "shade": "blue"})
    return o.Thread.model_validate({"id": "T1", "events": events})


def test_events_alike_share_their_fields_set_and_no_extras():
    a, b, c, odd = _thread().events
    assert a.model_fields_set is b.model_fields_set is c.model_fields_set
    assert a.model_fields_set == {"id", "order", "type", "author_id", "text", "recipients"}
    assert a.model_extra is b.model_extra == {}
    assert odd.model_extra == {"shade": "blue"} and odd.model_fields_set == {"id", "order", "type", "text", "shade"}


def test_a_change_to_one_event_stays_on_it():
    a, b, c, _ = _thread().events
    a.custom_id = "mine"
    a.colour = "red"  # an unknown field lands in the extras
    assert "custom_id" in a.model_fields_set and "colour" in a.model_fields_set
    assert b.model_fields_set == c.model_fields_set == {"id", "order", "type", "author_id", "text", "recipients"}
    assert a.model_extra == {"colour": "red"} and b.model_extra == {} and c.model_extra == {}
    assert b.model_dump(exclude_unset=True) == {
        "id": "E2",
        "order": 2,
        "type": "message",
        "author_id": "c1",
        "text": "hi 2",
        "recipients": "all",
    }
    assert a.model_dump(exclude_unset=True)["colour"] == "red"


def test_copies_of_an_event_own_what_they_change():
    a, b, *_ = _thread().events
    changed = b.model_copy(update={"properties": {"x": {"y": {"value": 1}}}, "extra_key": 1})
    for clone in (copy.copy(b), copy.deepcopy(b), pickle.loads(pickle.dumps(b))):
        clone.custom_id = "c"
    assert "properties" in changed.model_fields_set and changed.model_extra == {"extra_key": 1}
    assert a.model_fields_set == b.model_fields_set and "properties" not in b.model_fields_set
    assert "custom_id" not in b.model_fields_set and b.model_extra == {}
    built = Message(id="E5", text="x")
    assert built.model_fields_set == {"id", "text"} and built == Message(id="E5", text="x")
