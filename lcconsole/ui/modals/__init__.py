"""Modals and browsers of the console.

Every modal is a `ModalScreen` that returns a result dataclass (or a plain value) through
`dismiss()`, and None when cancelled (escape). Push them with a callback or
`await app.push_screen_wait(...)` from a worker. None of them calls the API except the two
browsers, which receive async callables. Styling: `styles/modals.tcss` (`STYLESHEET`).

| class | constructor | result |
| --- | --- | --- |
| ConfirmModal | (title, body, *, confirm_label="Confirm") | True / None |
| StartChatModal | (search_customers, groups=(), known_tags=(), *, debounce=0.25) | StartChatRequest |
| TransferModal | (agents, groups, *, exclude_agent_ids=()) | TransferRequest |
| UserModal | (action: "add"/"remove", agents, chat_users=()) | UserChange |
| AccessModal | (action: "grant"/"revoke"/"set", groups, current_group_ids=()) | GroupAccessChange |
| TagModal | (action: "add"/"remove", known_tags=(), current_tags=()) | str |
| PropertyModal | (level, existing=None, *, delete=False, namespace="", name="") | PropertyChange |
| CustomerModal | (customer=None) | CustomerData (update: only changed fields set) |
| BanModal | (customer, *, days=None: starts empty) | int (days) |
| MulticastModal | (agents=(), groups=(), *, content="{}") | MulticastRequest |
| AttachModal | (*, path="", as_image=None, cwd=None, max_bytes=10 MB) | AttachRequest |
| CustomersBrowser (Screen) | (fetch_customers, *, page_size=20) | the customer object |
| ArchivesBrowser (Screen) | (fetch_archives, *, agents=(), groups=(), limit=25) | chat id (str) |
| ThreadPreviewModal | (chat) | True (open) / None |
| SwitcherModal | (rows: SwitcherRow...) | chat id (str) |
| MessageViewerModal | (title, text, copy) | None (y calls copy(text)) |
| CopyPickerModal | ([(label, value)]) | the value (str) |
| CannedPickerModal | (canned, slot values) | the canned response's name |
| VisitorsModal | (visitors: Visitor...) ; `set_visitors()` updates it | the customer object |
| ThinkingModal | (title="Looking into it…") | (title, description or None) |

Keys: escape cancels, ctrl+s (and enter in a text field) submits, tab accepts a shown completion.
"""

from __future__ import annotations

from pathlib import Path

from lcconsole.ui.modals.answers import (
    AttachRequest,
    CustomerData,
    GroupAccessChange,
    MulticastRequest,
    PropertyChange,
    StartChatRequest,
    TransferRequest,
    UserChange,
)
from lcconsole.ui.modals.archives_browser import ArchivesBrowser, ThreadPreviewModal
from lcconsole.ui.modals.assign import AccessModal, TransferModal, UserModal
from lcconsole.ui.modals.attach import AttachModal
from lcconsole.ui.modals.canned_picker import CannedPickerModal
from lcconsole.ui.modals.confirm import ConfirmModal
from lcconsole.ui.modals.copy_picker import CopyPickerModal
from lcconsole.ui.modals.customer import BanModal, CustomerModal
from lcconsole.ui.modals.customers_browser import CustomersBrowser
from lcconsole.ui.modals.message_viewer import MessageViewerModal
from lcconsole.ui.modals.multicast import MulticastModal
from lcconsole.ui.modals.property import PropertyModal
from lcconsole.ui.modals.start_chat import StartChatModal
from lcconsole.ui.modals.suggesters import PathSuggester, TagListSuggester
from lcconsole.ui.modals.switcher import SwitcherModal, SwitcherRow
from lcconsole.ui.modals.tag import TagModal
from lcconsole.ui.modals.thinking import ThinkingModal
from lcconsole.ui.modals.validation import FormError
from lcconsole.ui.modals.visitors import Visitor, VisitorsModal, visitors_of


def _stylesheet() -> Path:
    here = Path(__file__).resolve()
    for candidate in (
        here.parents[3] / "styles" / "modals.tcss",  # source checkout
        here.parents[2] / "_styles" / "modals.tcss",
    ):  # wheel (force-include)
        if candidate.exists():
            return candidate
    return here.parents[3] / "styles" / "modals.tcss"


STYLESHEET: Path = _stylesheet()
"""Path of styles/modals.tcss (source tree or installed wheel)."""

__all__ = [
    "AccessModal",
    "ArchivesBrowser",
    "AttachModal",
    "AttachRequest",
    "BanModal",
    "CannedPickerModal",
    "ConfirmModal",
    "CopyPickerModal",
    "MessageViewerModal",
    "CustomerData",
    "CustomerModal",
    "CustomersBrowser",
    "FormError",
    "GroupAccessChange",
    "MulticastModal",
    "MulticastRequest",
    "PathSuggester",
    "PropertyChange",
    "PropertyModal",
    "STYLESHEET",
    "StartChatModal",
    "StartChatRequest",
    "SwitcherModal",
    "SwitcherRow",
    "TagListSuggester",
    "TagModal",
    "ThinkingModal",
    "ThreadPreviewModal",
    "TransferModal",
    "TransferRequest",
    "UserChange",
    "UserModal",
    "Visitor",
    "VisitorsModal",
    "visitors_of",
]
