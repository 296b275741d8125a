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
    host = ModalHost(lambda: TransferModal(AGENTS, GROUPS, exclude_agent_ids=["agent1@example.com"],
                                           active_chats=ACTIVE_CHATS))
    assert snap_compare(host, terminal_size=size, run_before=_settle)
