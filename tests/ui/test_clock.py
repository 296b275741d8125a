"""Times shown in the local time zone, the same in every pane (not UTC in some of them)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from lcconsole.safetext import sanitize
from lcconsole.ui.clock import format_since, format_when
from lcconsole.ui.modals.archives_browser import event_text
from lcconsole.ui.modals.visitors import Visitor, visitor_label


@pytest.fixture
def new_york(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_times_are_local_whether_given_as_seconds_or_rfc3339(new_york):
    at = datetime(2025, 12, 29, 13, 5, tzinfo=UTC)
    assert format_when(at.timestamp()) == "2025-12-29 08:05"  # UTC-5
    assert format_when("2025-12-29T13:05:00.000000Z") == "2025-12-29 08:05"
    assert format_since("2025-12-29T13:05:00Z", now=at) == "08:05"  # today: the time alone
    assert format_since("2025-12-28T13:05:00Z", now=at) == "28 Dec 08:05"
    assert format_since("2025-12-29T03:05:00Z", now=at) == "28 Dec 22:05"  # yesterday, local


def test_what_is_no_time_shows_as_short_text_or_nothing():
    assert format_when(None) == format_when("") == format_when(0) == format_since(None) == ""
    assert format_when("soon\x1b[31m") == sanitize("soon\x1b[31m")  # shown literally, never interpreted


def test_the_archives_and_the_visitors_list_show_local_times(new_york):
    at = datetime(2025, 12, 29, 13, 5, tzinfo=UTC)
    line = event_text({"type": "message", "text": "hi", "timestamp": at.timestamp(), "author_id": "c"}, {})
    assert line.plain.startswith("2025-12-29 08:05 ")
    visitor = Visitor(customer={"id": "c", "name": "Jane"}, since="2025-12-29T13:05:00.000000Z")
    assert "since 29 Dec 08:05" in visitor_label(visitor).plain
