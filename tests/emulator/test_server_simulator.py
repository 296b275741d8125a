"""The traffic simulator: what simulated customers do, that a seed makes it repeatable, and that
they react to agents (replies, rich-message buttons)."""

from __future__ import annotations

import asyncio

from lcconsole.emulator.engine import Engine
from lcconsole.emulator.fanout import Hub
from lcconsole.emulator.outcome import Principal
from lcconsole.emulator.simulator import REPLIES, Simulator


class Recorder(Hub):
    """A hub that also records what the simulated customers did (without random ids)."""

    def __init__(self, engine) -> None:
        super().__init__(engine)
        self.log: list[tuple] = []

    async def execute(self, principal, action, payload, files=None):
        outcome = await super().execute(principal, action, payload, files)
        if principal.kind == "customer":
            event = payload.get("event") or {}
            self.log.append((action, event.get("text"), payload.get("sneak_peek_text"),
                             payload.get("is_typing"), tuple(files or ())))
        return outcome


async def settle(sim: Simulator) -> None:
    for _ in range(100):
        if not sim._side:
            return
        await asyncio.gather(*list(sim._side))


async def simulate(seed: int, steps: int = 80) -> tuple[Recorder, Simulator]:
    engine = Engine(":memory:")
    engine.seed("empty")
    hub = Recorder(engine)
    sim = Simulator(hub, seed=seed, rate=1000.0)
    for _ in range(steps):
        await sim.step()
        await settle(sim)
    return hub, sim


async def test_simulated_customers_chat_type_peek_write_send_files_and_leave():
    hub, sim = await simulate(seed=3)
    actions = [entry[0] for entry in hub.log]
    for expected in ("start_chat", "send_typing_indicator", "send_sneak_peek", "send_event", "send_file",
                     "close_thread"):
        assert expected in actions, expected
    # typing, then a sneak peek of the start of the text, then the message itself
    i = actions.index("send_sneak_peek")
    peek, message = hub.log[i][2], hub.log[i + 1][1]
    assert hub.log[i - 1][0] == "send_typing_indicator" and hub.log[i - 1][3] is True
    assert hub.log[i + 1][0] == "send_event" and message.startswith(peek)
    chats = hub.engine.execute(Principal("agent", "agent1@example.com", frozenset({"chats--all:ro"})),
                               "get_chats_summary", {"limit": 100}).payload["chats_summary"]
    assert len(chats) >= 3
    hub.close()
    hub.engine.close()


async def test_same_seed_same_traffic_other_seed_other_traffic():
    first, _ = await simulate(seed=11, steps=40)
    second, _ = await simulate(seed=11, steps=40)
    other, _ = await simulate(seed=12, steps=40)
    assert first.log == second.log
    assert first.log != other.log
    for hub in (first, second, other):
        hub.close()
        hub.engine.close()


async def test_customers_answer_agents_and_press_rich_message_buttons():
    hub, sim = await simulate(seed=5, steps=3)
    sim.listen()  # reactions only, no steps of its own
    chat = next(c for c in sim.chats if c.active)
    admin = hub.engine.authenticate(hub.engine.agent_credentials()[0]["token"])
    before = len(hub.log)
    for text in ("Hello! How can I help?", "Could you share your order number?", "Thanks!"):
        await hub.execute(admin, "send_event", {"chat_id": chat.chat_id,
                                          "event": {"type": "message", "text": text, "recipients": "all"}})
        await asyncio.sleep(0.01)
        await settle(sim)
    replies = [e[1] for e in hub.log[before:] if e[0] == "send_event"]
    assert replies and all(r in REPLIES for r in replies)
    rich = {"type": "rich_message", "template_id": "cards", "recipients": "all", "elements": [
        {"title": "Happy?", "buttons": [{"text": "Yes", "postback_id": "yes", "user_ids": []}]}]}
    await hub.execute(admin, "send_event", {"chat_id": chat.chat_id, "event": rich})
    await asyncio.sleep(0.01)
    await settle(sim)
    assert hub.log[-1][0] == "send_rich_message_postback"
    threads = hub.engine.execute(admin, "get_chat_threads", {"chat_id": chat.chat_id}).payload["chat"]["threads"]
    pressed = [e for t in threads for e in t["events"] if e["type"] == "rich_message"][-1]
    assert pressed["elements"][0]["buttons"][0]["user_ids"] == [chat.principal.id]
    await sim.stop()
    hub.close()
    hub.engine.close()
