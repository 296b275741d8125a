"""The first chat list, read from the login answer's raw JSON before pydantic is imported
(`ui.chat_items.login_items`), shows the rows the store's models give once the login is stored.

The answers are real: the RTM login of the demo emulator over a socket (`EarlyLogin`'s
`on_answer`), in v3.0 and v3.6, and a summary per event kind for what the demo world lacks.
"""

from __future__ import annotations

import asyncio
import dataclasses
import subprocess
import sys

import pytest

from lcconsole.gateway import gateway_class
from lcconsole.rtm.opening import EarlyLogin
from lcconsole.rtm.url import rtm_url
from lcconsole.secret import Credentials
from lcconsole.ui.chat_items import chat_list_item, login_items
from lcconsole.ui.store import Store
from lcconsole.wire.dialects import dialect


def store_rows(payload: dict, version: str, drafts: set[str], marks: set[str]) -> dict:
    """The rows as the painter builds them once the console stored this login."""
    read = gateway_class(version).read_login or dialect(version).login_response.model_validate
    login = read(payload)
    store = Store()
    store.set_profile(login.my_profile)
    store.set_summaries(login.chats_summary)
    rows = {}
    for chat_id, summary in store.chats.items():
        row = chat_list_item(
            summary, store.my_id, unread=store.unread(chat_id), marked_unread=chat_id in marks, chat_id=chat_id
        )
        rows[chat_id] = dataclasses.replace(row, draft=chat_id in drafts)
    return rows


def preview_rows(payload: dict, version: str, drafts: set[str], marks: set[str]) -> dict:
    items = login_items(payload, version=version, draft=drafts.__contains__, marked_unread=marks)
    return {item.chat_id: item for item in items}


async def login_answer(info, agent: dict, version: str) -> dict:
    """The login answer's frame, as the console's early login receives it."""
    got: list[dict] = []
    if version == "3.6":
        credentials = Credentials.basic(agent["account_id"], agent["pat"])
    else:
        credentials = Credentials.bearer(agent["token"])
    early = EarlyLogin(
        rtm_url(info.base_url, dialect(version).rtm_path), credentials, timeout=5.0, on_answer=got.append
    )
    early.start()
    try:
        await early.handover()
    finally:
        await early.close()
    assert len(got) == 1 and got[0]["success"] is True
    return got[0]


@pytest.mark.parametrize("version", ["3.0", "3.6"])
async def test_rows_read_from_the_login_answer_are_the_stores_rows(demo_emulator, version):
    sections: set[str] = set()
    for agent in demo_emulator.agents[:2]:  # the administrator, and an agent who sees others' chats
        payload = (await login_answer(demo_emulator, agent, version))["payload"]
        chat_ids = sorted(s["id"] for s in payload["chats_summary"])
        drafts, marks = set(chat_ids[:2]), set(chat_ids[1:3])
        expected = store_rows(payload, version, drafts, marks)
        assert preview_rows(payload, version, drafts, marks) == expected
        sections |= {row.section for row in expected.values()}
        assert any(row.unread for row in expected.values()) and any(row.waiting_since for row in expected.values())
    assert {"mine", "queued", "followed"} <= sections  # (the login lists active chats only)


ME = "agent@example.com"
CUSTOMER = "c-1"


def summary(chat_id: str, event: dict, *, active: bool = True, agents: tuple[str, ...] = (ME,), **extra) -> dict:
    users = [
        {"id": CUSTOMER, "type": "customer", "name": "Ann"},
        *({"id": a, "type": "agent", "name": a, "last_seen_timestamp": 50} for a in agents),
    ]
    return {
        "id": chat_id,
        "users": users,
        "last_event_per_type": {event.get("type") or "unknown": {"thread_id": "T1", "thread_order": 1, "event": event}},
        "last_thread_summary": {
            "id": "T1",
            "order": 1,
            "timestamp": 10,
            "active": active,
            "user_ids": [CUSTOMER, *agents],
        },
        **extra,
    }


EVENTS = {
    "message": {"id": "e1", "order": 2, "type": "message", "author_id": CUSTOMER, "timestamp": 100, "text": "hi"},
    "note": {
        "id": "e1",
        "order": 2,
        "type": "message",
        "author_id": ME,
        "timestamp": 100,
        "text": "x",
        "recipients": "agents",
    },
    "no text": {"id": "e1", "order": 2, "type": "message", "author_id": CUSTOMER, "timestamp": 100},
    "system message": {
        "id": "e1",
        "order": 2,
        "type": "system_message",
        "timestamp": 100,
        "text": "%a% joined",
        "text_vars": {"a": "Jo"},
    },
    "file": {"id": "e1", "order": 2, "type": "file", "author_id": CUSTOMER, "timestamp": 100, "name": "a.png"},
    "rich": {
        "id": "e1",
        "order": 2,
        "type": "rich_message",
        "author_id": ME,
        "timestamp": 100,
        "elements": [{"buttons": []}, {"subtitle": "Pick one", "buttons": [{"text": "A"}]}],
    },
    "form": {
        "id": "e1",
        "order": 2,
        "type": "filled_form",
        "author_id": CUSTOMER,
        "timestamp": 100,
        "fields": [{"label": "Name", "answer": "Ann"}, {"label": "Mail"}],
    },
    "annotation": {"id": "e1", "order": 2, "type": "annotation", "author_id": ME, "timestamp": 100},
    "custom": {"id": "e1", "order": 2, "type": "custom", "author_id": CUSTOMER, "timestamp": 100, "content": {"a": 1}},
    "ai summary": {
        "id": "e1",
        "order": 2,
        "type": "system",
        "timestamp": 100,
        "subtype": "summary",
        "details": '{"summary": {"text": "Ann wants a refund"}}',
    },
    "system event": {"id": "e1", "order": 2, "type": "system", "timestamp": 100, "source": "x", "subtype": "y"},
    "deleted": {"id": "e1", "order": 2, "type": "message", "author_id": CUSTOMER, "timestamp": 100, "deleted": True},
    "deleted, content kept": {
        "id": "e1",
        "order": 2,
        "type": "message",
        "author_id": CUSTOMER,
        "timestamp": 100,
        "deleted": True,
        "text": "k",
    },
    "restricted": {"id": "e1", "restricted_access": True},
    "unknown type": {"id": "e1", "order": 2, "type": "poll", "author_id": CUSTOMER, "timestamp": 100},
}


@pytest.mark.parametrize("kind", sorted(EVENTS))
def test_each_event_kind_reads_the_same_from_json_and_models(kind):
    chats = [
        summary("C1", EVENTS[kind]),
        summary("C2", EVENTS[kind], agents=()),  # queued
        summary("C3", EVENTS[kind], agents=("other@example.com",), is_followed=True),
        summary("C4", EVENTS[kind], active=False),
    ]
    payload = {"my_profile": {"id": ME, "type": "agent", "name": "Me"}, "chats_summary": chats}
    expected = store_rows(payload, "3.0", set(), {"C2"})
    assert preview_rows(payload, "3.0", set(), {"C2"}) == expected
    assert [expected[c].section for c in ("C1", "C2", "C3", "C4")] == ["mine", "queued", "followed", "closed"]


def test_a_login_answer_it_cannot_read_raises_instead_of_guessing():
    with pytest.raises(KeyError):
        login_items({"chats_summary": []}, version="3.0")  # no profile: whose chats?
    with pytest.raises((AttributeError, TypeError)):
        login_items({"my_profile": {"id": ME}, "chats_summary": [{"id": "C1", "users": "nobody"}]}, version="3.0")


def test_the_first_list_needs_no_pydantic():
    """What shows the list read from the login answer imports no pydantic (it is what the
    start-up screen shows while the loader imports pydantic and the rest)."""
    code = (
        "import sys; import lcconsole.ui.chat_items, lcconsole.ui.widgets.chat_list, lcconsole.ui.persist,"
        " lcconsole.wire.v36.canonical_json; print('pydantic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


async def test_early_login_survives_a_listener_that_fails(demo_emulator):
    def broken(frame: dict) -> None:
        raise RuntimeError("a bug in the listener")

    agent = demo_emulator.agents[0]
    early = EarlyLogin(
        rtm_url(demo_emulator.base_url), Credentials.bearer(agent["token"]), timeout=5.0, on_answer=broken
    )
    early.start()
    try:
        ws = await asyncio.wait_for(early.handover(), 5.0)
        assert early.frames and ws is not None  # the answer is there for the connection to adopt
    finally:
        await early.close()
