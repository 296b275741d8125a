"""Drafts and outbox files: durable, private, tolerant of damage."""

from __future__ import annotations

import asyncio
import json
import stat

from lcconsole.ui.persist import Drafts, Outbox


def test_drafts_roundtrip_and_private(tmp_path):
    path = tmp_path / "d" / "drafts.json"
    drafts = Drafts(path)
    assert drafts.set("A", "hello") and not drafts.set("A", "hello")
    drafts.save()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Drafts(path).get("A") == "hello"
    drafts.set("A", "")
    drafts.save()
    assert Drafts(path).get("A") == "" and json.loads(path.read_text()) == {}


async def test_outbox_is_written_by_flush_and_survives(tmp_path):
    path = tmp_path / "outbox.json"
    box = Outbox(path)
    entry = box.add("CHAT", "note", "text")
    assert entry.custom_id.startswith("lcc-") and entry.recipients == "agents"
    assert not path.exists()  # nothing written on the event loop
    await box.flush()
    again = Outbox(path)  # as after a kill
    assert [e.custom_id for e in again.pending()] == [entry.custom_id]
    again.mark(entry.custom_id, "failed", "validation: too long")
    again.save()  # on this thread (quitting)
    third = Outbox(path)
    assert third.pending() == [] and third.for_chat("CHAT")[0].error == "validation: too long"
    third.done(entry.custom_id)
    await third.flush()
    assert Outbox(path).entries == {}


async def test_outbox_flushes_land_in_order(tmp_path):
    """Writes run in a thread; the file ends as the last flush saw the entries, and a flush with
    nothing new still waits for the write in progress."""
    path = tmp_path / "outbox.json"
    box = Outbox(path)
    ids = [box.add("CHAT", "message", str(n)).custom_id for n in range(3)]
    first = asyncio.ensure_future(box.flush())
    await asyncio.sleep(0)  # the first took its snapshot and writes in a thread
    box.done(ids[0])
    second = asyncio.ensure_future(box.flush())
    await asyncio.sleep(0)
    await box.flush()  # nothing changed since the second: waits for the writes before it
    assert first.done() and second.done()
    assert [e["custom_id"] for e in json.loads(path.read_text())] == ids[1:]


def test_damaged_files_do_not_crash(tmp_path):
    (tmp_path / "drafts.json").write_text("{not json")
    (tmp_path / "outbox.json").write_text('[{"custom_id": 1, "bogus": true}, "x"]')
    assert Drafts(tmp_path / "drafts.json").get("A") == ""
    assert Outbox(tmp_path / "outbox.json").entries == {}
