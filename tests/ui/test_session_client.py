"""The session's HTTP client is built on first use: the RTM login paints the list without it."""

from __future__ import annotations

from lcconsole.ui.session import ClientOnDemand


async def test_client_on_demand_is_built_on_first_use_and_reads_as_the_client():
    client = ClientOnDemand(token="dal:secret", base_url="http://127.0.0.1:9/", region=None, version="3.6")
    assert client.dialect.version == "3.6" and "built=False" in repr(client)  # no httpx client yet
    await client.aclose()  # nothing built: nothing to close, nothing built by closing
    assert "built=False" in repr(client)
    assert client.base_url == "http://127.0.0.1:9"  # the first use builds the AgentClient
    from lcconsole.api.base import BaseClient

    built = client.built()
    assert isinstance(built, BaseClient) and built is client.built() and built.dialect.version == "3.6"
    await client.aclose()
    assert "secret" not in repr(client)
