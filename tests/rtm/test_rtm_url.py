"""RTM URL derivation from the API base URL."""

from __future__ import annotations

import pytest

from lcconsole.rtm import rtm_url


@pytest.mark.parametrize(
    "base,expected",
    [
        ("https://api.livechatinc.com", "wss://api.livechatinc.com/v3.0/agent/rtm/ws"),
        ("https://api.livechatinc.com/", "wss://api.livechatinc.com/v3.0/agent/rtm/ws"),
        ("http://127.0.0.1:8080", "ws://127.0.0.1:8080/v3.0/agent/rtm/ws"),
        ("HTTP://localhost:1/prefix/", "ws://localhost:1/prefix/v3.0/agent/rtm/ws"),
        ("https://api-fra.livechatinc.com/v3.0/agent/rtm/ws", "wss://api-fra.livechatinc.com/v3.0/agent/rtm/ws"),
        ("ws://127.0.0.1:9/custom/socket", "ws://127.0.0.1:9/custom/socket"),
        ("wss://example.com", "wss://example.com/v3.0/agent/rtm/ws"),
    ],
)
def test_rtm_url(base, expected):
    assert rtm_url(base) == expected


@pytest.mark.parametrize("bad", ["ftp://example.com", "example.com", "/v3.0/agent"])
def test_rtm_url_rejects_bad_urls(bad):
    with pytest.raises(ValueError):
        rtm_url(bad)
