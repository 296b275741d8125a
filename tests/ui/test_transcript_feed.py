"""TranscriptFeed: store deltas applied to the open chat's transcript give exactly what a full
build from the store gives, in the feed and in the Transcript widget the screen patches (and the
store's remembered unread count stays what a count gives)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_app_store import msg

from lcconsole.ui.store import Store
from lcconsole.ui.store_pushes import apply_push
from lcconsole.ui.transcript_feed import TranscriptFeed
from lcconsole.ui.viewmodels import pending_entry
from lcconsole.ui.widgets.transcript import Transcript
from lcconsole.wire.canonical import EventDeleted, ThreadSummaryReady
from lcconsole.wire.compact_events import as_model
from lcconsole.wire.objects import AiSummary, ChatSummary, GetChatThreadsResponse, MyProfile
from lcconsole.wire.pushes import parse_push

ME = "agent1@example.com"
USERS = [
    {"id": "c-1", "type": "customer", "name": "Ann"},
    {"id": ME, "type": "agent", "name": "Me", "last_seen_timestamp": 1},
]


def rich(eid: str, order: int) -> dict:
    return {
        "id": eid,
        "order": order,
        "type": "rich_message",
        "template_id": "cards",
        "author_id": ME,
        "elements": [{"title": "Pick", "buttons": [{"text": "Yes", "postback_id": "yes", "user_ids": []}]}],
    }


def chat(*threads: dict) -> object:
    return GetChatThreadsResponse.model_validate({"chat": {"id": "CH1", "users": USERS, "threads": list(threads)}}).chat


def make_store() -> Store:
    store = Store()
    store.set_profile(MyProfile(id=ME, name="Me", routing_status="accepting_chats"))
    store.set_summaries(
        [
            ChatSummary.model_validate(
                {
                    "id": "CH1",
                    "users": USERS,
                    "last_thread_summary": {"id": "T2", "order": 2, "active": True, "tags": []},
                }
            )
        ],
        complete=True,
    )
    store.merge_chat(
        chat(
            {
                "id": "T2",
                "order": 2,
                "active": True,
                "events": [msg("e10", 10, "hi"), msg("e11", 11, "hello", ME), rich("r12", 12)],
            }
        )
    )
    return store


def push(action: str, payload: dict) -> object:
    return parse_push(action, {"chat_id": "CH1", "thread_id": "T2", **payload})


OPS = st.one_of(
    st.tuples(
        st.just("event"), st.integers(5, 40), st.sampled_from(["c-1", ME]), st.booleans(), st.sampled_from(["T2", "T3"])
    ),
    st.tuples(st.just("newthread")),
    st.tuples(st.just("edit"), st.sampled_from(["e10", "e11"]), st.text(max_size=5)),
    st.tuples(st.just("postback"), st.booleans()),
    st.tuples(st.just("tag"), st.sampled_from(["vip", "sales"]), st.booleans()),
    st.tuples(st.just("close")),
    st.tuples(st.just("summary"), st.text(min_size=1, max_size=5)),
    st.tuples(st.just("delete"), st.sampled_from(["e10", "e11", "r12"])),
    st.tuples(st.just("older")),
    st.tuples(st.just("refetch"), st.integers(13, 40)),
    st.tuples(st.just("outbox"), st.integers(0, 2)),
    st.tuples(st.just("rename"), st.text(min_size=1, max_size=5)),
)


def apply_op(store: Store, op: tuple, outbox: list) -> None:
    kind = op[0]
    if kind == "event":
        _, order, author, sent, thread_id = op
        custom = f"cid-{order}" if sent and thread_id == "T2" else None
        eid = f"e{order}" if thread_id == "T2" else f"t3-{order}"  # event ids are unique in a chat
        event = msg(eid, order, f"m{order}", author, **({"custom_id": custom} if custom else {}))
        apply_push(store, push("incoming_event", {"event": event, "thread_id": thread_id}))
    elif kind == "newthread":  # a new thread without events yet (its separator moves with the first)
        store.merge_chat(chat({"id": "T3", "order": 3, "active": True, "events": []}))
    elif kind == "edit":
        apply_push(store, push("event_updated", {"event": msg(op[1], int(op[1][1:]), op[2] or "-")}))
    elif kind == "postback":
        apply_push(
            store,
            push(
                "incoming_rich_message_postback",
                {"user_id": "c-1", "event_id": "r12", "postback": {"id": "yes", "toggled": op[1]}},
            ),
        )
    elif kind == "tag":
        apply_push(store, push("chat_thread_untagged" if op[2] else "chat_thread_tagged", {"tag": op[1]}))
    elif kind == "close":
        apply_push(store, push("thread_closed", {"user_id": ME}))
    elif kind == "summary":
        apply_push(store, ThreadSummaryReady(chat_id="CH1", thread_id="T2", summary=AiSummary(status="ok", text=op[1])))
    elif kind == "delete":
        apply_push(store, EventDeleted(chat_id="CH1", thread_id="T2", event_id=op[1]))
    elif kind == "older":
        store.merge_chat(
            chat({"id": "T1", "order": 1, "active": False, "events": [msg("e1", 1, "old"), msg("e2", 2, "older", ME)]})
        )
    elif kind == "refetch":  # a read of the open thread with one more event
        thread = store.threads["CH1"]["T2"]
        events = [as_model(e).model_dump(exclude_none=True) for e in thread.events]
        store.merge_chat(
            chat(
                {
                    "id": "T2",
                    "order": 2,
                    "active": thread.active,
                    "tags": list(thread.tags),
                    "events": [*events, msg(f"e{op[1]}", op[1], "fetched")],
                }
            )
        )
    elif kind == "outbox":
        outbox[:] = [f"cid-{n}" for n in range(13, 13 + op[1])]
    elif kind == "rename":  # a summary read names the customer anew
        summary = store.chats["CH1"].model_dump(exclude_none=True)
        summary["users"][0]["name"] = op[1]
        store.set_summaries([ChatSummary.model_validate(summary)])


def pending(store: Store, outbox: list) -> list:
    return [
        pending_entry(cid, "T2", f"sending {cid}") for cid in outbox if store.known.find_custom_id("CH1", cid) is None
    ]


def keys_and_texts(entries: list) -> list:
    return [(e.key, e.kind, e.author, e.text, e.lines, e.buttons, e.order) for e in entries]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPS, max_size=12))
def test_deltas_applied_equal_a_full_build(ops: list) -> None:
    store = make_store()
    outbox: list[str] = []
    feed = TranscriptFeed()
    widget = Transcript()  # not mounted: its entry list is what is checked
    feed.show(widget, store, "CH1")
    builds = 0

    def on_changes(changes) -> None:  # as MainScreen.on_store_changes
        nonlocal builds
        if "CH1" in changes.transcripts:
            delta = changes.transcript_delta("CH1")
            builds += delta is None
            feed.show(widget, store, "CH1", pending(store, outbox), delta, rebuild=delta is None)
        elif "CH1" in changes.chats:  # names may have changed
            feed.show(widget, store, "CH1", pending(store, outbox))

    store.subscribe(on_changes)
    for op in ops:
        apply_op(store, op, outbox)
        if op[0] == "outbox":
            feed.show(widget, store, "CH1", pending(store, outbox))  # as the outbox code does
        full = TranscriptFeed().build(store, "CH1", pending(store, outbox))
        assert keys_and_texts(feed.entries) == keys_and_texts(full), op
        assert feed.entries == full
        assert keys_and_texts(widget.entries) == keys_and_texts(full), op
        remembered = store.unread("CH1")  # the row's unread count is remembered between changes
        store.known._unread.clear()
        assert remembered == store.unread("CH1"), op
    assert builds == 0  # every store change came with its delta


def test_a_pushed_message_is_appended_and_an_edit_replaced_without_a_rebuild() -> None:
    store = make_store()
    feed = TranscriptFeed()
    before = feed.build(store, "CH1")
    seen: list = []
    store.subscribe(seen.append)
    apply_push(store, push("incoming_event", {"event": msg("e20", 20, "new")}))
    patch = feed.apply(store, *seen[-1].transcript_delta("CH1"), pending=[])
    assert patch is not None and not patch.moved and not patch.replaced
    assert [e.key for e in patch.appended] == ["e20"]
    assert all(a is b for a, b in zip(before, feed.entries, strict=False))  # nothing rebuilt
    apply_push(store, push("event_updated", {"event": msg("e10", 10, "edited")}))
    patch = feed.apply(store, *seen[-1].transcript_delta("CH1"), pending=[])
    assert patch is not None and [e.text for e in patch.replaced] == ["edited"] and not patch.appended
    # a message landing before the newest one moves entries: the widget takes the list
    apply_push(store, push("incoming_event", {"event": msg("e15", 15, "late")}))
    patch = feed.apply(store, *seen[-1].transcript_delta("CH1"), pending=[])
    assert patch is not None and patch.moved
    assert [e.key for e in feed.entries][-3:] == ["r12", "e15", "e20"]
