"""Fixtures for the RTM client tests: a fake RTM server on loopback and fast connection options."""

from __future__ import annotations

import pytest
from rtm_fake import FakeRtmServer

from lcconsole.rtm import Backoff


@pytest.fixture
async def server():
    srv = FakeRtmServer()
    await srv.start()
    try:
        yield srv
    finally:
        await srv.stop()


@pytest.fixture
def fast():
    """Connection options with tiny intervals, for quick tests."""
    return {"ping_interval": 30.0, "request_timeout": 2.0, "backoff": Backoff(initial=0.02, maximum=0.1, jitter=0.0)}
