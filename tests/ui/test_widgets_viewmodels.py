"""View models: chat summaries to list rows, threads to transcript entries."""

from __future__ import annotations

from lcconsole.ui.chat_items import chat_list_item
from lcconsole.ui.text import fill_text_vars, human_size
from lcconsole.ui.viewmodels import pending_entry, transcript_entries
from lcconsole.wire.objects import ChatSummary, Thread, parse_user

ME = "me@example.com"
CUSTOMER = {"id": "cust-1", "type": "customer", "name": "Ann Customer"}
AGENT = {"id": ME, "type": "agent", "name": "Me Agent", "last_seen_timestamp": 1000}
OTHER = {"id": "other@example.com", "type": "agent", "name": "Other Agent"}


def summary(user_ids, active=True, events=(), followed=False, tags=(), users=(CUSTOMER, AGENT, OTHER)):
    return ChatSummary.model_validate(
        {
            "id": "chat-1",
            "users": list(users),
            "last_thread_summary": {
                "id": "t1",
                "order": 1,
                "timestamp": 900,
                "active": active,
                "user_ids": list(user_ids),
                "tags": list(tags),
            },
            "last_event_per_type": {e["type"]: {"thread_id": "t1", "thread_order": 1, "event": e} for e in events},
            "is_followed": followed,
        }
    )


def message(author, ts, text="hi", order=None, **kw):
    return {
        "id": f"ev{ts}",
        "type": "message",
        "author_id": author,
        "timestamp": ts,
        "order": order or ts,
        "text": text,
        **kw,
    }


def test_sections() -> None:
    assert chat_list_item(summary(["cust-1", ME]), ME).section == "mine"
    assert chat_list_item(summary(["cust-1"]), ME).section == "queued"
    followed = chat_list_item(summary(["cust-1", "other@example.com"], followed=True), ME)
    assert followed.section == "followed" and followed.followed
    other = chat_list_item(summary(["cust-1", "other@example.com"]), ME)  # seen, not followed
    assert other.section == "others" and not other.followed and other.active
    # my own chat stays mine even when followed; a queued chat stays queued
    assert chat_list_item(summary(["cust-1", ME], followed=True), ME).section == "mine"
    assert chat_list_item(summary(["cust-1"], followed=True), ME).section == "queued"
    closed = chat_list_item(summary(["cust-1", ME], active=False), ME)
    assert closed.section == "closed" and not closed.active
    # transferred away: the thread still lists me, but I am no longer a user of the chat
    left = summary(["cust-1", ME, "other@example.com"], users=(CUSTOMER, OTHER))
    assert chat_list_item(left, ME).section == "others"


def test_waiting_unread_preview_and_tags() -> None:
    customer_last = summary(
        ["cust-1", ME],
        tags=("vip",),
        events=[
            message("cust-1", 1200, "where is my order?"),
            {"id": "f1", "type": "file", "author_id": ME, "timestamp": 1100, "order": 1100, "name": "a.pdf"},
        ],
    )
    row = chat_list_item(customer_last, ME)
    assert row.waiting_since == 1200
    assert row.preview == "where is my order?" and row.tags == ("vip",)
    assert row.unread == 1  # my own file does not count; last_seen 1000 from my user record
    assert row.customer_name == "Ann Customer" and row.last_activity == 1200
    assert chat_list_item(customer_last, ME, last_seen=1300).unread == 0
    answered = summary(["cust-1", ME], events=[message(ME, 1300, "on its way")])
    row = chat_list_item(answered, ME)
    assert row.waiting_since is None and row.preview == "You: on its way"


def test_a_row_holds_the_store_key_and_one_time_object() -> None:
    key = "".join(["chat-", "1"])  # an equal string that is not the parsed summary's
    row = chat_list_item(summary(["cust-1"], events=[message("cust-1", 1200)]), ME, chat_id=key)
    assert row.chat_id is key and row.waiting_since == row.last_activity == 1200
    assert row.waiting_since is row.last_activity  # 10k rows: one float each, not two


def test_previous_waiting_since_is_kept_while_unanswered() -> None:
    first = chat_list_item(summary(["cust-1", ME], events=[message("cust-1", 1200)]), ME)
    later = chat_list_item(summary(["cust-1", ME], events=[message("cust-1", 1500)]), ME, previous=first)
    assert later.waiting_since == 1200


def test_text_vars_and_sizes() -> None:
    assert (
        fill_text_vars("%agent% transferred to %targets%", {"agent": "Bob", "targets": ["A", "B"]})
        == "Bob transferred to A, B"
    )
    assert fill_text_vars("%missing% stays", {"x": 1}) == "%missing% stays"
    assert [human_size(s) for s in (None, 12, 1536, 5 * 1024 * 1024)] == ["? B", "12 B", "1.5 KB", "5.0 MB"]


def test_transcript_entries_render_every_event_type() -> None:
    thread = Thread.model_validate(
        {
            "id": "t1",
            "active": True,
            "order": 5,
            "timestamp": 900,
            "tags": ["vip"],
            "events": [
                message("cust-1", 1001, "hello"),
                message(ME, 1002, "hi there"),
                message(ME, 1003, "internal", recipients="agents"),
                {
                    "id": "s1",
                    "type": "system_message",
                    "timestamp": 1004,
                    "order": 1004,
                    "text": "%agent% archived the chat",
                    "text_vars": {"agent": "Me Agent"},
                    "system_message_type": "manual_archived_agent",
                },
                {
                    "id": "f1",
                    "type": "file",
                    "author_id": "cust-1",
                    "timestamp": 1005,
                    "order": 1005,
                    "name": "doc.pdf",
                    "size": 2048,
                    "url": "http://x/doc.pdf",
                    "content_type": "application/pdf",
                },
                {
                    "id": "i1",
                    "type": "file",
                    "author_id": "cust-1",
                    "timestamp": 1006,
                    "order": 1006,
                    "name": "cat.png",
                    "size": 10,
                    "url": "http://x/cat.png",
                    "width": 640,
                    "height": 480,
                    "content_type": "image/png",
                },
                {
                    "id": "r1",
                    "type": "rich_message",
                    "author_id": ME,
                    "timestamp": 1007,
                    "order": 1007,
                    "template_id": "quick_replies",
                    "elements": [
                        {
                            "title": "Happy?",
                            "subtitle": "tell us",
                            "buttons": [
                                {"text": "Yes", "postback_id": "y", "user_ids": [ME]},
                                {"text": "No", "postback_id": "n", "user_ids": []},
                            ],
                        }
                    ],
                },
                {
                    "id": "ff",
                    "type": "filled_form",
                    "author_id": "cust-1",
                    "timestamp": 1008,
                    "order": 1008,
                    "form_id": "pre",
                    "fields": [
                        {"type": "name", "id": "1", "label": "Name", "answer": "Ann"},
                        {"type": "select", "id": "2", "label": "Topic", "answer": {"id": "x", "label": "Billing"}},
                        {
                            "type": "checkbox",
                            "id": "3",
                            "label": "Pick",
                            "answers": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
                        },
                    ],
                },
                {
                    "id": "c1",
                    "type": "custom",
                    "author_id": ME,
                    "timestamp": 1009,
                    "order": 1009,
                    "content": {"kind": "ticket", "n": [1, 2]},
                },
                {
                    "id": "a1",
                    "type": "annotation",
                    "author_id": ME,
                    "timestamp": 1010,
                    "order": 1010,
                    "annotation_type": "rating",
                    "text": "good",
                },
            ],
        }
    )
    users = {u["id"]: parse_user(u) for u in (CUSTOMER, AGENT, OTHER)}
    entries = transcript_entries(thread, users, ME)
    kinds = [e.kind for e in entries]
    assert kinds == [
        "thread_start",
        "customer",
        "agent",
        "note",
        "system",
        "file",
        "image",
        "rich",
        "form",
        "custom",
        "annotation",
    ]
    by_kind = {e.kind: e for e in entries}
    assert by_kind["customer"].author == "Ann Customer" and by_kind["agent"].mine
    assert by_kind["system"].text == "Me Agent archived the chat"
    assert by_kind["file"].text == "doc.pdf · 2.0 KB · application/pdf"
    assert by_kind["file"].lines == ("http://x/doc.pdf",)
    assert by_kind["image"].text.startswith("cat.png · 640×480")
    assert by_kind["rich"].text == "Happy?\ntell us"
    assert by_kind["rich"].buttons == (("y", "Yes", True), ("n", "No", False))
    assert by_kind["form"].lines == ("Name: Ann", "Topic: Billing", "Pick: A, B")
    assert by_kind["custom"].text == '{"kind": "ticket", "n": [1, 2]}'
    assert by_kind["annotation"].text == "[rating] good"
    assert entries[0].order < entries[1].order and "tags: vip" in entries[0].text
    failed = pending_entry("cid", "t1", "text", note=True, error="network")
    assert failed.kind == "failed" and failed.lines == ("failed: network",)
    assert pending_entry("cid", "t1", "text").kind == "pending"


def test_restricted_thread_is_shown_as_such() -> None:
    thread = Thread.model_validate({"id": "t9", "restricted_access": True})
    entries = transcript_entries(thread, {}, ME)
    assert [e.kind for e in entries] == ["thread_start", "system"]
    assert "not accessible" in entries[1].text


def test_a_note_displacing_the_customer_message_keeps_waiting_from_the_loaded_history() -> None:
    from lcconsole.wire.objects import parse_event

    note = message(ME, 5000, "billing?", recipients="agents")
    row = summary(["cust-1", ME], events=[note])  # the note displaced the customer's message
    older = [parse_event(message(ME if i % 2 else "cust-1", i, f"m{i}")) for i in range(1, 4000)]
    asked = parse_event(message("cust-1", 4500, "still there?"))
    history = [*older, asked, parse_event(note)]
    assert chat_list_item(row, ME, history=history).waiting_since == 4500
    answered = [*history, parse_event(message(ME, 5100, "yes"))]
    assert chat_list_item(row, ME, history=answered).waiting_since is None
    assert chat_list_item(row, ME).waiting_since is None  # nothing tells when the customer asked
