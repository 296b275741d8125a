"""The emulator's Configuration API `list_groups` over HTTP, read with the console's
`ConfigurationClient` (and raw httpx for the error envelopes)."""

from __future__ import annotations

import pytest

from lcconsole.api.client import AgentClient
from lcconsole.api.configuration import ConfigurationClient
from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.errors import LiveChatError
from tests import loopback

READER = "reader@example.com"


@pytest.fixture(scope="module")
def emulator():
    emu = EmbeddedEmulator(seed="demo", simulate=False, agents=[(READER, ("chats--my:ro",))])
    with emu:
        yield emu


@pytest.fixture
def demo(emulator):
    return emulator.info


def set_agents(emulator, sql, args=()):
    engine = emulator.app.state.hub.engine
    emulator.call(lambda: engine.conn.execute(sql, args))


def token_of(info, agent_id):
    return next(a["token"] for a in info.agents if a["id"] == agent_id)


async def test_list_groups_names_every_group_of_the_account(demo):
    async with AgentClient(token=demo.token, base_url=demo.base_url) as agent:
        groups = await ConfigurationClient(agent).list_groups()
    assert [(g.id, g.name, g.language_code) for g in groups] == [
        (0, "General", "en"),
        (1, "Sales", "en"),
        (2, "Billing", "en"),
    ]
    assert all(g.routing_status is None and g.agent_priorities is None for g in groups)


async def test_fields_add_routing_status_and_agent_priorities(emulator, demo):
    async with AgentClient(token=demo.token, base_url=demo.base_url, version="3.6") as agent:
        config = ConfigurationClient(agent)

        async def statuses():
            groups = await config.list_groups(fields=["routing_status"])
            return [g.routing_status for g in groups]

        groups = await config.list_groups(fields=["routing_status", "agent_priorities"])
        by_id = {g.id: g for g in groups}
        assert set(by_id[1].agent_priorities) == {"agent1@example.com", "agent2@example.com", "agent4@example.com"}
        assert READER in by_id[0].agent_priorities and READER not in by_id[1].agent_priorities
        set_agents(emulator, "UPDATE agents SET present=0")
        assert await statuses() == ["offline", "offline", "offline"]
        set_agents(
            emulator,
            "UPDATE agents SET present=1, away=0, routing_status='accepting_chats' WHERE id='agent2@example.com'",
        )
        set_agents(
            emulator, "UPDATE agents SET present=1, routing_status='not_accepting_chats' WHERE id='agent3@example.com'"
        )
        assert await statuses() == ["accepting_chats", "accepting_chats", "not_accepting_chats"]
        set_agents(emulator, "UPDATE agents SET away=1 WHERE id='agent2@example.com'")
        assert await statuses() == ["not_accepting_chats", "not_accepting_chats", "not_accepting_chats"]


async def test_errors_are_livechat_envelopes(demo):
    async with AgentClient(token=token_of(demo, READER), base_url=demo.base_url) as agent:
        with pytest.raises(LiveChatError) as denied:
            await ConfigurationClient(agent).list_groups()
    assert denied.value.type == "authorization" and "groups--all:ro" in denied.value.message
    headers = {"Authorization": f"Bearer {demo.token}"}
    async with loopback.async_client(base_url=demo.base_url, headers=headers) as http:
        cases = {
            "/v3.6/configuration/action/list_groups": ({"fields": ["nope"]}, 400, "validation"),
            "/v3.6/configuration/action/create_group": ({}, 404, "not_found"),
            "/v9.9/configuration/action/list_groups": ({}, 400, "unsupported_version"),
        }
        for path, (body, status, kind) in cases.items():
            resp = await http.post(path, json=body)
            assert (resp.status_code, resp.json()["error"]["type"]) == (status, kind), path
        anonymous = await http.post("/v3.6/configuration/action/list_groups", json={}, headers={"Authorization": ""})
        assert anonymous.json()["error"]["type"] == "authentication"
        wrong_method = await http.get("/v3.6/configuration/action/list_groups")
        assert wrong_method.status_code == 405
