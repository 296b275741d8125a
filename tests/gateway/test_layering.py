"""Above `lcconsole/wire` nothing names an action or a push of one API version only.

The screens (`lcconsole/ui`) and the gateway's common part speak the canonical model and the
gateway's wishes; the names that differ between versions live in `wire/` (and the per-version
gateway modules that call them). The forbidden names are the difference of the two versions'
action and push tables, so a new version's names join the list by themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

from lcconsole.wire import actions as v30
from lcconsole.wire.v36 import actions as v36
from lcconsole.wire.v36 import pushes as v36_pushes

PACKAGE = Path(__file__).resolve().parents[2] / "lcconsole"
ABOVE_WIRE = [
    *sorted((PACKAGE / "ui").rglob("*.py")),
    PACKAGE / "gateway" / "__init__.py",
    PACKAGE / "gateway" / "base.py",
]


def version_specific_names() -> set[str]:
    actions30 = set(v30.ACTIONS) | set(v30.RTM_ONLY_ACTIONS)
    actions36 = set(v36.ACTIONS)
    pushes30, pushes36 = set(v30.PUSHES), set(v36_pushes.PUSHES)
    return (actions30 ^ actions36) | (pushes30 ^ pushes36)


def test_the_list_holds_the_renamed_actions_and_pushes():
    names = version_specific_names()
    assert {
        "close_thread",
        "deactivate_chat",
        "get_chats_summary",
        "list_chats",
        "tag_chat_thread",
        "tag_thread",
        "thread_closed",
        "chat_deactivated",
        "incoming_chat_thread",
        "incoming_chat",
        "update_last_seen_timestamp",
        "mark_events_as_seen",
    } <= names
    assert not names & {"send_event", "transfer_chat", "incoming_event", "login"}


def test_no_module_above_wire_names_a_version_specific_action_or_push():
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, version_specific_names()))) + r")\b")
    binding_id = re.compile(r"[\"'][a-z]+\.[a-z_]+[\"']")  # "chat.access_set": a keymap id, not an action
    found = []
    for path in ABOVE_WIRE:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in pattern.finditer(binding_id.sub("", line)):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {match.group(0)}")
    assert not found, "\n".join(found)


def test_screens_reach_the_server_only_through_the_gateway():
    """No module of `lcconsole/ui` but the session (which builds them) touches the client or
    calls the RTM connection directly."""
    direct = re.compile(r"\.client\.\w+\(|\brtm\.(call|pushes|subscribe_customers|add_login_listener)\b")
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{number}"
        for path in sorted((PACKAGE / "ui").rglob("*.py"))
        if path.name != "session.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if direct.search(line)
    ]
    assert not found, found
