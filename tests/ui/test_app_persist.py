"""Drafts and outbox files: durable, private, tolerant of damage."""

from __future__ import annotations

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


def test_outbox_is_written_before_sending_and_survives(tmp_path):
    path = tmp_path / "outbox.json"
    box = Outbox(path)
    entry = box.add("CHAT", "note", "text")
    assert entry.custom_id.startswith("lcc-") and entry.recipients == "agents"
    again = Outbox(path)  # as after a kill
    assert [e.custom_id for e in again.pending()] == [entry.custom_id]
    again.mark(entry.custom_id, "failed", "validation: too long")
    third = Outbox(path)
    assert third.pending() == [] and third.for_chat("CHAT")[0].error == "validation: too long"
    third.done(entry.custom_id)
    assert Outbox(path).entries == {}


def test_damaged_files_do_not_crash(tmp_path):
    (tmp_path / "drafts.json").write_text("{not json")
    (tmp_path / "outbox.json").write_text('[{"custom_id": 1, "bogus": true}, "x"]')
    assert Drafts(tmp_path / "drafts.json").get("A") == ""
    assert Outbox(tmp_path / "outbox.json").entries == {}
