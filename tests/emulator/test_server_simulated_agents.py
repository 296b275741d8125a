"""Demo realism: with the demo world and the simulator on, the other demo agents count as present
and accepting (transfer_chat to them works without force) and write in their own chats; with the
empty world or no simulator nothing changes."""

from __future__ import annotations

import pytest
from test_server_simulator import settle

from lcconsole.emulator.contract import AddressedPush, ErrorReply
from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.emulator.engine import Engine
from lcconsole.emulator.hub import Hub
from lcconsole.emulator.simulator import AGENT_LINES, Simulator
from tests import loopback

ADMIN, AGENT3, AGENT4 = "agent1@example.com", "agent3@example.com", "agent4@example.com"
DEMO_AGENTS = ["agent2@example.com", AGENT3, AGENT4]


class Recording(Hub):
    """A hub remembering every push it delivered."""

    def __init__(self, engine) -> None:
        super().__init__(engine)
        self.seen: list[AddressedPush] = []

    def deliver(self, pushes, **kw) -> None:
        pushes = list(pushes)
        self.seen.extend(pushes)
        super().deliver(pushes, **kw)


def _admin(engine: Engine):
    return engine.authenticate(engine.agent_credentials()[0]["token"])


def _my_active_chat(engine: Engine) -> str:
    summary = engine.execute(_admin(engine), "get_chats_summary", {"limit": 100}).payload
    return next(
        c["id"]
        for c in summary["chats_summary"]
        if c["last_thread_summary"]["active"] and [u["id"] for u in c["users"] if u["type"] == "agent"] == [ADMIN]
    )


def _transfer(engine: Engine, chat_id: str, agent: str):
    return engine.execute(
        _admin(engine), "transfer_chat", {"chat_id": chat_id, "target": {"type": "agent", "ids": [agent]}}
    )


def _state(engine: Engine, agent: str) -> tuple:
    row = engine.conn.execute("SELECT present, away, routing_status FROM agents WHERE id=?", (agent,)).fetchone()
    return tuple(row)


async def test_played_agents_are_present_accepting_until_the_simulator_stops():
    engine = Engine(":memory:")
    engine.seed("demo")
    assert engine.demo_agents() == DEMO_AGENTS
    engine.conn.execute("UPDATE agents SET routing_status='not_accepting_chats' WHERE id=?", (AGENT3,))
    hub = Recording(engine)
    sim = Simulator(hub, seed=2, rate=1000.0)
    with pytest.raises(ErrorReply) as err:
        _transfer(engine, _my_active_chat(engine), AGENT4)
    assert err.value.type == "agent_offline"  # agent4 never logged in
    await sim.play_agents()
    assert _state(engine, AGENT4) == (1, 0, "accepting_chats")
    updated = [p for p in hub.seen if p.action == "agent_updated"]
    assert [p.payload for p in updated] == [{"agent_id": AGENT3, "routing_status": "accepting_chats"}]
    _transfer(engine, _my_active_chat(engine), AGENT4)  # no force needed now
    engine.set_presence(AGENT4, False)  # a human's RTM socket for agent4 closed: still played
    assert _state(engine, AGENT4)[0] == 1
    await sim.stop()
    assert _state(engine, AGENT4) == (0, 0, "accepting_chats")
    assert _state(engine, AGENT3)[2] == "not_accepting_chats"
    with pytest.raises(ErrorReply):
        _transfer(engine, _my_active_chat(engine), AGENT4)
    engine.close()


async def test_played_agents_write_in_their_own_chats():
    engine = Engine(":memory:")
    engine.seed("demo")
    hub = Recording(engine)
    sim = Simulator(hub, seed=5, rate=1000.0)
    await sim.play_agents()
    for _ in range(12):
        await sim.agent_step()
        await settle(sim)
    written = [
        p.payload
        for p in hub.seen
        if p.action == "incoming_event" and p.payload["event"].get("author_id") in DEMO_AGENTS
    ]
    assert written and all(p["event"]["text"] in AGENT_LINES for p in written)
    for payload in written:  # only in chats the agent is a member of
        agent = payload["event"]["author_id"]
        assert payload["chat_id"] in await sim.agent_chats(sim.agents[DEMO_AGENTS.index(agent)])
    await sim.stop()
    engine.close()


async def test_empty_world_plays_no_agent():
    engine = Engine(":memory:")
    engine.seed("empty", [("agent2@example.com", ("chats--all:rw",))])
    assert engine.demo_agents() == []
    sim = Simulator(Hub(engine), seed=1, rate=1000.0)
    await sim.start()
    assert sim.agents == [] and _state(engine, "agent2@example.com")[0] == 0
    await sim.stop()
    engine.close()


@pytest.mark.parametrize("simulate", [True, False])
def test_demo_console_transfer_to_another_agent(simulate):
    with EmbeddedEmulator(seed="demo", simulate=simulate, sim_seed=1, sim_rate=0.01) as info:
        headers = {"Authorization": f"Bearer {info.token}"}
        with loopback.client(base_url=info.api_url, headers=headers, timeout=10) as http:
            chats = http.post("/get_chats_summary", json={"limit": 100}).json()["chats_summary"]
            chat_id = next(
                c["id"]
                for c in chats
                if c["last_thread_summary"]["active"]
                and [u["id"] for u in c["users"] if u["type"] == "agent"] == [ADMIN]
            )
            resp = http.post("/transfer_chat", json={"chat_id": chat_id, "target": {"type": "agent", "ids": [AGENT4]}})
    if simulate:
        assert resp.status_code == 200, resp.text
    else:
        assert resp.json()["error"]["type"] == "agent_offline"


async def test_played_agents_answer_their_simulated_customers():
    engine = Engine(":memory:")
    engine.seed("demo")
    hub = Recording(engine)
    sim = Simulator(hub, seed=9, rate=1000.0)
    await sim.play_agents()
    sim.listen()
    await sim.start_chat()  # routed to a played agent: they are the ones present and accepting
    await settle(sim)
    chat = sim.chats[0]
    for text in ("Is there any update?", "Hello?", "Anyone there?", "Please help"):
        await sim.write(chat, text)
        await settle(sim)
    answers = [
        p
        for p in hub.seen
        if p.action == "incoming_event"
        and p.payload["chat_id"] == chat.chat_id
        and p.payload["event"].get("author_id") in DEMO_AGENTS
    ]
    assert answers, "no played agent answered"
    await sim.stop()
    engine.close()
