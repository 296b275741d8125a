"""v3.6-only views without a server: system/deleted events and AI summaries in the transcript,
thinking indicators in the store, the transfer picker with each agent's load, the visitors list."""

from __future__ import annotations

import json

from modal_pilot import opened  # isort: skip  (puts snapshot_apps on sys.path)
from modal_host import ACTIVE_CHATS, AGENTS, GROUPS, VISITORS

from lcconsole.ui.modals import TransferModal, TransferRequest
from lcconsole.ui.modals.visitors import VisitorsModal, visitors_of
from lcconsole.ui.store import Store
from lcconsole.ui.store_extras import apply_deleted_event
from lcconsole.ui.store_pushes import apply_push
from lcconsole.ui.viewmodels import transcript_entries
from lcconsole.ui.widgets._transcript_layout import entry_lines
from lcconsole.wire.canonical import EventDeleted, ThinkingIndicator, ThreadSummaryReady
from lcconsole.wire.objects import AiSummary, Chat, DeletedEvent, SystemEvent, Thread

SUMMARY = {"summary": {"text": "• Customer asks about [b]refunds[/b].", "status": "ok"}, "requested_by": "a@x"}


def _thread(events: list[dict], **extra) -> Thread:
    return Thread.model_validate({"id": "T1", "order": 1, "active": True, "events": events, **extra})


def _lines(entry) -> list[str]:
    return ["".join(text for text, _part in line) for line in entry_lines(entry, 60)]


def test_system_summary_and_deleted_events_render() -> None:
    thread = _thread(
        [
            {"id": "e1", "order": 1, "type": "message", "author_id": "c1", "text": "Hi"},
            {"id": "e2", "order": 2, "type": "message", "author_id": "c1", "deleted": True},
            {"id": "e3", "order": 3, "type": "message", "author_id": "c1", "text": "oops", "deleted": True},
            {
                "id": "e4",
                "order": 4,
                "type": "system",
                "source": "chats",
                "subtype": "summary",
                "version": 1,
                "details": json.dumps(SUMMARY),
                "recipients": "agents",
            },
            {
                "id": "e5",
                "order": 5,
                "type": "system",
                "source": "routing",
                "subtype": "transfer",
                "details": json.dumps({"to": "[i]Bob[/i]", "queue": {"position": 2}}),
            },
            {"id": "e6", "order": 6, "type": "system", "source": "chats", "subtype": "other", "details": "not json"},
        ]
    )
    assert isinstance(thread.events[1], DeletedEvent) and isinstance(thread.events[3], SystemEvent)
    entries = {e.key: e for e in transcript_entries(thread, {}, "me")}
    assert entries["e2"].kind == "deleted" and entries["e2"].text == "(deleted message)"
    assert _lines(entries["e2"])[0].endswith("· deleted")
    assert entries["e3"].kind == "deleted" and entries["e3"].text == "oops"  # an admin still sees it
    assert "agents see only that" in entries["e3"].lines[-1]
    summary = entries["e4"]
    assert (summary.kind, summary.author, summary.text) == ("summary", "AI summary", SUMMARY["summary"]["text"])
    assert _lines(summary) == ["AI summary · agents only", "┃ • Customer asks about [b]refunds[/b]."]
    assert entries["e5"].kind == "system" and entries["e5"].text == "routing / transfer"
    assert entries["e5"].lines == ("to: [i]Bob[/i]", 'queue: {"position": 2}')
    assert entries["e6"].lines == ("not json",)
    assert not any(e.key.startswith("summary:") for e in entries.values())  # the event shows it


def test_thread_summary_without_its_event_is_shown_once() -> None:
    thread = _thread(
        [{"id": "e1", "order": 1, "type": "message", "author_id": "c1", "text": "Hi"}],
        summary={"status": "ok", "text": "• Short chat."},
    )
    entries = transcript_entries(thread, {}, "me")
    assert [e.kind for e in entries] == ["thread_start", "agent", "summary"]
    assert entries[-1].text == "• Short chat." and entries[-1].order > entries[-2].order


def _store_with_chat() -> Store:
    store = Store()
    store.merge_chat(
        Chat.model_validate(
            {
                "id": "C1",
                "users": [
                    {"id": "c1", "type": "customer", "name": "Cy"},
                    {"id": "bot@x", "type": "agent", "name": "Helper Bot"},
                ],
                "threads": [
                    {
                        "id": "T1",
                        "order": 1,
                        "active": True,
                        "events": [
                            {
                                "id": "e1",
                                "order": 1,
                                "type": "message",
                                "author_id": "c1",
                                "text": "Hi",
                                "recipients": "all",
                            },
                            {
                                "id": "e2",
                                "order": 2,
                                "type": "message",
                                "author_id": "bot@x",
                                "text": "secret",
                                "recipients": "all",
                            },
                        ],
                    }
                ],
            }
        )
    )
    return store


def test_store_applies_summary_deletion_and_thinking() -> None:
    store = _store_with_chat()
    summary = AiSummary(status="ok", text="• Bot answered.", updated_at="2026-12-04T10:00:00Z")
    ready = ThreadSummaryReady(chat_id="C1", thread_id="T1", summary=summary)
    assert apply_push(store, ready).transcripts == {"C1"}
    assert not apply_push(store, ready)  # the same summary twice: no change
    assert store.current_thread("C1").summary == summary

    assert apply_push(store, EventDeleted(chat_id="C1", thread_id="T1", event_id="e2")).transcripts == {"C1"}
    deleted = store.current_thread("C1").events[1]
    assert isinstance(deleted, DeletedEvent) and (deleted.id, deleted.order, deleted.author_id) == ("e2", 2, "bot@x")
    assert "text" not in deleted.model_dump()
    assert not apply_deleted_event(store, "C1", "T1", "e2")  # idempotent
    assert not apply_deleted_event(store, "C1", "T1", "nope")

    thinking = ThinkingIndicator(
        chat_id="C1", thread_id="T1", author_id="bot@x", title="Looking it up", description="orders"
    )
    assert apply_push(store, thinking).typing == {"C1"}
    typing = store.typing.current("C1")
    assert (typing.kind, typing.author_id, typing.text) == ("thinking", "bot@x", "Looking it up — orders")


async def test_transfer_picker_lists_candidates_with_their_load() -> None:
    async with opened(
        lambda: TransferModal(AGENTS, GROUPS, exclude_agent_ids=["agent1@example.com"], active_chats=ACTIVE_CHATS)
    ) as (app, pilot, modal):
        labels = [str(o.prompt) for o in modal.query_one("#targets").options]
        assert labels == [
            "Cid (agent3@example.com)  offline · 0 active chats",
            "Bob [bold]Builder[/bold] (agent2@example.com)  not accepting · 2 active chats",
            "agent9@example.com  5 active chats",
        ]
        await pilot.press("tab", "down", "ctrl+s")
        await pilot.pause()
    assert app.results == [TransferRequest("agent", ("agent2@example.com",), False)]

    async with opened(
        lambda: TransferModal(AGENTS, GROUPS, exclude_agent_ids=["agent1@example.com"], active_chats={})
    ) as (app, pilot, modal):
        labels = [str(o.prompt) for o in modal.query_one("#targets").options]
        assert labels == [
            "Bob [bold]Builder[/bold] (agent2@example.com)  not available now",
            "Cid (agent3@example.com)  not available now",
        ]  # a forced transfer only
        await pilot.press("right", "enter", "tab", "down", "down", "enter")  # groups still offered
        await pilot.pause()
    assert app.results == [TransferRequest("group", (2,), False)]


async def test_visitors_list_updates_and_starts_a_chat() -> None:
    visitors = visitors_of(VISITORS)
    assert [v.customer["name"] for v in visitors] == ["Jane [red]Doe[/red]", "John\x1b[31mRed", "Walt Wanderer"]
    assert (visitors[0].page_title, visitors[0].page_url) == (
        "Cart [b]2[/b]",
        "https://shop.example.com/cart?step=[b]2[/b]",
    )
    async with opened(lambda: VisitorsModal(visitors)) as (app, pilot, modal):
        options = modal.query_one("#targets").options
        assert (
            "Jane [red]Doe[/red] <jane@example.com>  since 29 Dec 08:00\n  Cart [b]2[/b] — https://shop.example.com/cart?step=[b]2[/b]"
            == str(options[0].prompt)
        )
        assert str(options[2].prompt).endswith("(no page yet)")
        await pilot.press("down")  # John
        modal.set_visitors(visitors_of(VISITORS[1:]))  # Jane left: John stays highlighted
        await pilot.pause()
        assert modal.query_one("#targets").highlighted == 0
        assert str(modal.query_one("#visitors-count").render()) == "2 visitors now"
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [VISITORS[1]]

    async with opened(lambda: VisitorsModal([])) as (app, pilot, modal):
        assert str(modal.query_one("#targets-note").render()) == "Nobody is on the website now"
        await pilot.press("enter", "escape")
        await pilot.pause()
    assert app.results == [None]


def test_store_tracks_visitors() -> None:
    from lcconsole.ui.store_extras import apply_visitor_left, apply_visitors_seen
    from lcconsole.wire.objects import Customer

    store = Store()
    customers = [Customer.model_validate(c) for c in VISITORS]
    assert apply_visitors_seen(store, customers).customers == {c.id for c in customers}
    assert [v.customer.name for v in visitors_of(store.customers[c] for c in store.visitor_ids)] == [
        "Jane [red]Doe[/red]",
        "John\x1b[31mRed",
        "Walt Wanderer",
    ]  # Gina's visit had ended
    changes = apply_visitor_left(store, customers[0].id, "2026-12-29T09:00:00.000000Z")
    assert changes.customers == {customers[0].id} and customers[0].id not in store.visitor_ids
    jane = store.customers[customers[0].id]
    assert jane.last_visit.ended_at == "2026-12-29T09:00:00.000000Z" and len(jane.last_visit.last_pages) == 2
    assert not apply_visitor_left(store, "nobody")


async def test_thinking_modal() -> None:
    from modal_pilot import fill, still_open_with

    from lcconsole.ui.modals import ThinkingModal

    async with opened(ThinkingModal) as (app, pilot, modal):
        await fill(pilot, modal, "title", " ")
        await pilot.press("ctrl+s")
        still_open_with(app, modal, "Type what the customer should see")
        await fill(pilot, modal, "title", "Checking [b]stock[/b]")
        await fill(pilot, modal, "description", "one moment")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [("Checking [b]stock[/b]", "one moment")]
