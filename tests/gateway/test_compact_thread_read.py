"""A thread read as the console reads it (`Gateway30.chat`, `wire.compact_events`): plain messages
arrive as compact records equal to the models the typed client returns; everything else stays a
model; a bad answer is still a `ResponseValidationError`."""

from __future__ import annotations

import copy
import json

import pytest

from lcconsole.api import AgentClient
from lcconsole.errors import NotFoundError, ResponseValidationError
from lcconsole.gateway.v30 import Gateway30
from lcconsole.wire import objects as o
from lcconsole.wire.compact_events import FileRecord, MessageRecord, as_model, chat_threads_answer

CUSTOMER = "b7eff798-f8df-4364-8059-649c35c9ed0c"


def answer(*events: dict, **thread: object) -> dict:
    return {"chat": {"id": "C1", "users": [], "threads": [{"id": "T1", "order": 1, "events": list(events), **thread}]}}


EVENTS = [
    {"id": "E1", "order": 1, "type": "message", "text": "hi", "author_id": CUSTOMER, "recipients": "all"},
    {"id": "E2", "order": 2, "type": "message", "text": "note", "author_id": "a@x", "recipients": "agents"},
    {"id": "E3", "order": 3, "type": "message", "text": "new field", "mood": "happy"},  # an extra: stays a model
    {"id": "E4", "order": 4, "type": "system_message", "text": "%a% joined", "text_vars": {"a": "Jo"}},
    {"id": "E5", "order": 5, "type": "file", "name": "a.png", "url": "u", "width": 2, "height": 2},
    {"id": "E6", "order": 6, "type": "message", "deleted": True},  # deleted for this agent
    {"id": "E7", "order": 7, "restricted_access": True},
    {"id": "E8", "order": 8, "type": "brand_new_kind", "x": 1},
    {
        "id": "E9",
        "order": 9,
        "type": "message",
        "text": "with all",
        "custom_id": "c9",
        "timestamp": 5,
        "properties": {"ns": {"k": {"value": 1}}},
    },
    {"id": "E10", "order": 10, "type": "message", "text": "Yes", "postback": {"id": "p", "value": "yes"}},  # a model
]


def as_parsed(raw: dict) -> dict:
    return raw


def as_body(raw: dict) -> bytes:
    return json.dumps(raw).encode()


def as_pretty_text(raw: dict) -> str:
    return json.dumps(raw, indent=2, ensure_ascii=False)


READS = [as_parsed, as_body, as_pretty_text]  # the parsed JSON, or the body read as it is validated


@pytest.mark.parametrize("read", READS)
def test_plain_messages_become_records_equal_to_the_models(read):
    raw = answer(*copy.deepcopy(EVENTS))
    typed = o.GetChatThreadsResponse.model_validate(copy.deepcopy(raw)).chat.threads[0].events
    events = chat_threads_answer(read(raw)).chat.threads[0].events
    assert [type(e).__name__ for e in events] == [
        "MessageRecord",
        "MessageRecord",
        "Message",
        "SystemMessageRecord",
        "FileRecord",
        "DeletedEvent",
        "RestrictedEvent",
        "UnknownEvent",
        "MessageRecord",
        "Message",
    ]
    assert events == typed and typed == events  # both ways round
    assert [as_model(e) for e in events] == typed
    assert all(type(as_model(e)) is type(t) for e, t in zip(events, typed, strict=True))
    full, answer_to_a_button = events[-2:]
    assert (full.custom_id, full.timestamp, full.type) == ("c9", 5, "message")
    assert full.properties.get("ns", "k") == 1 and full.postback is None
    assert answer_to_a_button.postback.value == "yes"
    assert events[1] != events[0] and events[0] != "hi"


def test_a_record_is_no_longer_equal_once_changed():
    record = chat_threads_answer(answer(copy.deepcopy(EVENTS[0]))).chat.threads[0].events[0]
    model = record.model()
    assert isinstance(record, MessageRecord) and record == model
    record.text = "edited"
    assert record != model and record.model().text == "edited"


@pytest.mark.parametrize("read", READS)
def test_restricted_and_empty_threads_keep_their_shape(read):
    raw = {
        "chat": {
            "id": "C1",
            "threads": [{"id": "T1", "restricted_access": True}, {"id": "T2", "events": []}],
        }
    }
    threads = chat_threads_answer(read(copy.deepcopy(raw))).chat.threads
    assert threads == o.GetChatThreadsResponse.model_validate(raw).chat.threads
    assert threads[0].events == [] and threads[1].events == []


@pytest.mark.parametrize("bad", [10, 250])  # in the slice validated last, and in the first
def test_a_bad_event_is_named_by_its_place_in_the_answer(bad):
    events = [{"id": f"E{n}", "order": n, "type": "message", "text": "x"} for n in range(300)]
    events[bad]["order"] = "late"
    raw = {"chat": {"id": "C1", "threads": [{"id": "T0", "events": []}, {"id": "T1", "events": events}]}}
    fields = []
    for parse, body in ((None, raw), (chat_threads_answer, raw), (chat_threads_answer, as_body(raw))):
        with pytest.raises(ResponseValidationError) as caught:  # typed, compact, compact from the body
            AgentClient.parse_response("get_chat_threads", copy.deepcopy(body), parse)
        fields.append(caught.value.field)
    assert fields[2] == fields[1] == fields[0] == f"chat.threads.1.events.{bad}.message.order"


def test_a_body_is_read_as_it_is_validated_and_any_shape_as_json_reads_it(monkeypatch):
    from lcconsole.wire import compact_events

    events = [{"id": f"E{n}", "order": n, "type": "message", "text": f'é "{n}"\n'} for n in range(450)]
    raw = answer(*events, tags=["t"])
    raw["chat"]["threads"] += [{"id": "T2", "events": "not a list"}, "not a thread", {"id": "T3", "events": [1]}]
    raw["extra"] = {"threads": [{"events": [2]}]}
    seen: list[int] = []
    original = compact_events.compact_events
    monkeypatch.setattr(
        compact_events, "compact_events", lambda ev, *a, **k: (seen.append(len(ev)), original(ev, *a, **k))[1]
    )
    good = copy.deepcopy(raw)
    del good["chat"]["threads"][1:]
    assert chat_threads_answer(as_body(good)) == chat_threads_answer(copy.deepcopy(good))
    assert seen[:3] == [200, 200, 50]  # the body's events never all existed as dicts
    encoded = [json.dumps(good).encode(enc) for enc in ("utf-8-sig", "utf-16", "utf-32")]  # json.loads reads them
    assert all(chat_threads_answer(body) == chat_threads_answer(copy.deepcopy(good)) for body in encoded)
    for body in (as_body(raw), b'{"chat": ', b"[1, 2]", b"{} {}", b"not json", b"\xff\xfe\xfd"):
        try:
            expected: object = chat_threads_answer(json.loads(body))
        except ValueError as exc:
            expected = type(exc)
        try:
            got: object = chat_threads_answer(body)
        except ValueError as exc:
            got = type(exc)
        assert got == expected, body[:20]
    with pytest.raises(ResponseValidationError, match="not a JSON object"):
        AgentClient.parse_response("get_chat_threads", b"{oops", chat_threads_answer)


async def test_the_gateway_reads_threads_compact_over_the_wire(emulator):
    async with AgentClient(token=emulator.token, base_url=emulator.base_url) as client:
        started = await client.start_chat(
            chat={"thread": {"events": [{"type": "message", "text": "hello", "custom_id": "first"}]}}
        )
        chat_id = started.chat.id
        await client.send_event(chat_id=chat_id, event={"type": "message", "text": "a note", "recipients": "agents"})
        await client.send_event(chat_id=chat_id, event={"type": "file", "url": f"{emulator.base_url}/f.png"})
        gateway = Gateway30(client, None)
        chat = await gateway.chat(chat_id)
        one = await gateway.chat(chat_id, chat.threads[0].id)
        typed = await client.get_chat_threads(chat_id=chat_id)  # the public method: models only
        with pytest.raises(NotFoundError):
            await gateway.chat("NOSUCHCHAT")
    events = chat.threads[0].events
    assert one.threads[0].events == events
    assert [e.text for e in events if isinstance(e, MessageRecord)] == ["hello", "a note"]
    assert any(isinstance(e, FileRecord) for e in events)
    assert events == typed.chat.threads[0].events
    assert not any(isinstance(e, MessageRecord) for e in typed.chat.threads[0].events)
