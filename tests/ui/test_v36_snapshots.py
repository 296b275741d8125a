"""Snapshots of the v3.6-only screens at 80x24 and 120x36: the visitors list, the transfer picker
with each agent's active chats, and a thread with its AI summary, a deleted and a system event and
a thinking indicator. Regenerate with `--snapshot-update` and review the SVGs."""

from __future__ import annotations

from typing import Any

import pytest

from modal_pilot import opened  # noqa: F401  # isort: skip  (puts snapshot_apps on sys.path)
from modal_host import ACTIVE_CHATS, AGENTS, GROUPS, VISITORS, ModalHost, freeze_cursors

from lcconsole.ui.modals import TransferModal
from lcconsole.ui.modals.visitors import VisitorsModal, visitors_of

SIZES = [(80, 24), (120, 36)]


async def _settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    freeze_cursors(pilot.app)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_visitors_snapshot(size: tuple[int, int], snap_compare: Any) -> None:
    host = ModalHost(lambda: VisitorsModal(visitors_of(VISITORS)))
    assert snap_compare(host, terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_transfer_picker_snapshot(size: tuple[int, int], snap_compare: Any) -> None:
    host = ModalHost(
        lambda: TransferModal(AGENTS, GROUPS, exclude_agent_ids=["agent1@example.com"], active_chats=ACTIVE_CHATS)
    )
    assert snap_compare(host, terminal_size=size, run_before=_settle)


async def _v36_thread(pilot: Any) -> None:
    """The fixture world's open chat with what only v3.6 shows: a system event, the AI summary
    (a `system` event), a deleted event and a bot's thinking indicator; v3.6 capabilities."""
    import json

    from fixture_world import NOW, chats, fill
    from pydantic import TypeAdapter

    from lcconsole.gateway.v36 import Gateway36
    from lcconsole.ui.store_extras import apply_thinking
    from lcconsole.wire.objects import Event

    screen = await fill(pilot.app, pilot)
    screen.assumed_capabilities = frozenset(Gateway36.capabilities)
    chat = chats()[0]
    thread_id, customer_id = chat["threads"][0]["id"], chat["users"][0]["id"]
    summary = {
        "summary": {
            "status": "ok",
            "text": "• Customer cannot log in; [b]password reset[/b] sent.\n• Agent checked the invoices first.",
        },
        "requested_by": "alex@example.com",
    }
    events = [
        {
            "id": "S1",
            "order": 8,
            "type": "system",
            "timestamp": NOW - 20,
            "source": "routing",
            "subtype": "transfer",
            "details": json.dumps({"reason": "manual", "to": "Sam Lee"}),
        },
        {
            "id": "S2",
            "order": 9,
            "type": "message",
            "author_id": customer_id,
            "timestamp": NOW - 10,
            "recipients": "all",
            "deleted": True,
        },
        {
            "id": "S3",
            "order": 10,
            "type": "system",
            "timestamp": NOW - 5,
            "source": "chats",
            "subtype": "summary",
            "recipients": "agents",
            "details": json.dumps(summary),
        },
    ]
    adapter = TypeAdapter(Event)
    for event in events:
        screen.store.add_event(chat["id"], thread_id, adapter.validate_python(event))
    screen.store.emit(apply_thinking(screen.store, chat["id"], "sam@example.com", "Looking up the order"))
    screen.refresh_bindings()
    await pilot.pause()
    freeze_cursors(pilot.app)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_summary_thread_snapshot(size: tuple[int, int], snap_compare: Any) -> None:
    from fixture_world import fixture_app

    assert snap_compare(fixture_app(), terminal_size=size, run_before=_v36_thread)
