"""Snapshots of every modal and browser at 80x24 (plain `def`, pytest-textual-snapshot).

Hostile sample names (markup, an escape sequence) must appear literally in the pictures.
Regenerate with `pytest tests/ui/test_modals_snapshots.py --snapshot-update` and review the SVGs.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest
from modal_pilot import opened  # noqa: F401  # isort: skip  (puts snapshot_apps on sys.path)
from modal_host import AGENTS, CUSTOMERS, GROUPS, ModalHost, archive_item

from lcconsole.ui.modals import (
    AccessModal,
    ArchivesBrowser,
    AttachModal,
    BanModal,
    ConfirmModal,
    CustomerModal,
    CustomersBrowser,
    MulticastModal,
    PropertyModal,
    StartChatModal,
    TagModal,
    TransferModal,
    UserModal,
)

PROPS = {"my_app": {"score": {"value": 3}, "vip": {"value": True}},
         "routing": {"pinned": {"value": False}}}


async def _search(query: str) -> list[dict]:
    return CUSTOMERS


async def _customers(**kwargs: Any) -> dict:
    return {"customers": CUSTOMERS, "total_customers": 2, "next_page_id": "P2"}


async def _archives(**kwargs: Any) -> dict:
    return {"chats": [archive_item("PJ0MRSHTDG"), archive_item("Q1W2E3R4T5", "[@click=app.quit]")],
            "pagination": {"page": 1, "total": 2}}


MODALS: dict[str, Callable[[], Any]] = {
    "confirm": lambda: ConfirmModal("Close thread", "Close the chat with Jane [b]Doe[/b]?"),
    "start_chat": lambda: StartChatModal(_search, GROUPS, ["vip", "billing"]),
    "transfer": lambda: TransferModal(AGENTS, GROUPS),
    "user_add": lambda: UserModal("add", AGENTS, [AGENTS[0]]),
    "access_grant": lambda: AccessModal("grant", GROUPS, [0]),
    "tag_add": lambda: TagModal("add", ["billing", "vip"], ["sales"]),
    "tag_remove": lambda: TagModal("remove", [], ["sales", "vip"]),
    "property_set": lambda: PropertyModal("chat", PROPS),
    "property_delete": lambda: PropertyModal("thread", PROPS, delete=True),
    "customer_edit": lambda: CustomerModal(dict(CUSTOMERS[0], fields={"plan": "gold"})),
    "ban": lambda: BanModal(CUSTOMERS[1], days=3),
    "multicast": lambda: MulticastModal(AGENTS, GROUPS, content='{"notice": "[b]deploy[/b]"}'),
    "attach": lambda: AttachModal(path="/nonexistent/report.pdf"),
    "customers_browser": lambda: CustomersBrowser(_customers),
    "archives_browser": lambda: ArchivesBrowser(_archives, agents=AGENTS, groups=GROUPS),
}


async def _settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("name", list(MODALS))
def test_modal_snapshot(name: str, snap_compare: Any) -> None:
    assert snap_compare(ModalHost(MODALS[name]), terminal_size=(80, 24), run_before=_settle)


def test_modal_error_snapshot(snap_compare: Any) -> None:
    """The inline error of an invalid submit (bad int) is visible and the modal stays."""

    async def submit_bad_value(pilot: Any) -> None:
        await pilot.press(*"my_app", "tab", *"score", "tab", "tab")  # prefilled int 3, selected on focus
        await pilot.press("x", "enter")
        assert pilot.app.screen.error_text == "Value: 'x' is not a whole number"
        await pilot.pause()

    assert snap_compare(ModalHost(MODALS["property_set"]), terminal_size=(80, 24),
                        run_before=submit_bad_value)


def test_archive_preview_snapshot(snap_compare: Any) -> None:
    async def preview(pilot: Any) -> None:
        await _settle(pilot)
        pilot.app.screen.query_one("#results").focus()
        await pilot.press("down", "v")
        await pilot.pause()

    assert snap_compare(ModalHost(MODALS["archives_browser"]), terminal_size=(80, 24),
                        run_before=preview)
