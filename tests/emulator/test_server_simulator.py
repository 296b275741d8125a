"""The traffic simulator: what simulated customers do, that a seed makes it repeatable, and that
they react to agents (replies, rich-message buttons)."""

from __future__ import annotations

import asyncio

from lcconsole.emulator.contract import AddressedPush, Principal
from lcconsole.emulator.engine import Engine
from lcconsole.emulator.hub import Hub
from lcconsole.emulator.simulator import REPLIES, Simulator


class Recorder(Hub):
    """A hub that also records what the simulated customers did (without random ids)."""

    def __init__(self, engine) -> None:
        super().__init__(engine)
        self.log: list[tuple] = []
        self.versions: list[tuple[str, str, str]] = []  # (customer, version, action)
        self.delivered: list[AddressedPush] = []

    def deliver(self, pushes, **kw) -> None:
        pushes = list(pushes)
        self.delivered.extend(pushes)
        super().deliver(pushes, **kw)

    async def execute(self, principal, action, payload, files=None, version="3.0"):
        outcome = await super().execute(principal, action, payload, files, version)
        if principal.kind == "customer":
            event = payload.get("event") or {}
            self.log.append(
                (
                    action,
                    event.get("text"),
                    payload.get("sneak_peek_text"),
                    payload.get("is_typing"),
                    tuple(files or ()),
                )
            )
            self.versions.append((principal.id, version, action))
        return outcome


async def settle(sim: Simulator) -> None:
    for _ in range(100):
        if not sim._side:
            return
        await asyncio.gather(*list(sim._side))


async def simulate(seed: int, steps: int = 80, dialect: str = "3.0") -> tuple[Recorder, Simulator]:
    engine = Engine(":memory:")
    engine.seed("empty")
    hub = Recorder(engine)
    sim = Simulator(hub, seed=seed, rate=1000.0, dialect=dialect)
    for _ in range(steps):
        await sim.step()
        await settle(sim)
    return hub, sim


async def test_simulated_customers_chat_type_peek_write_send_files_and_leave():
    hub, sim = await simulate(seed=3)
    actions = [entry[0] for entry in hub.log]
    for expected in (
        "start_chat",
        "send_typing_indicator",
        "send_sneak_peek",
        "send_event",
        "send_file",
        "close_thread",
    ):
        assert expected in actions, expected
    # typing, then a sneak peek of the start of the text, then the message itself
    i = actions.index("send_sneak_peek")
    peek, message = hub.log[i][2], hub.log[i + 1][1]
    assert hub.log[i - 1][0] == "send_typing_indicator" and hub.log[i - 1][3] is True
    assert hub.log[i + 1][0] == "send_event" and message.startswith(peek)
    chats = hub.engine.execute(
        Principal("agent", "agent1@example.com", frozenset({"chats--all:ro"})), "get_chats_summary", {"limit": 100}
    ).payload["chats_summary"]
    assert len(chats) >= 3
    hub.close()
    hub.engine.close()


async def test_every_simulated_customer_is_announced_to_the_agents():
    hub, sim = await simulate(seed=5, steps=30)
    created = [p for p in hub.delivered if p.action == "customer_created"]
    assert sorted(p.fields["customer"]["id"] for p in created) == sorted(c.principal.id for c in sim.chats)
    assert all("agent1@example.com" in p.agent_ids for p in created)
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
        await hub.execute(
            admin,
            "send_event",
            {"chat_id": chat.chat_id, "event": {"type": "message", "text": text, "recipients": "all"}},
        )
        await asyncio.sleep(0.01)
        await settle(sim)
    replies = [e[1] for e in hub.log[before:] if e[0] == "send_event"]
    assert replies and all(r in REPLIES for r in replies)
    rich = {
        "type": "rich_message",
        "template_id": "cards",
        "recipients": "all",
        "elements": [{"title": "Happy?", "buttons": [{"text": "Yes", "postback_id": "yes", "user_ids": []}]}],
    }
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


async def test_v36_and_mixed_customers_do_the_same_things_in_their_own_calls():
    v30, _ = await simulate(seed=3, steps=80, dialect="3.0")
    v36, _ = await simulate(seed=3, steps=80, dialect="3.6")
    mixed, sim = await simulate(seed=3, steps=80, dialect="mixed")
    renamed = {"activate_chat": "resume_chat", "close_thread": "deactivate_chat", "send_file": "upload_file"}
    # the same story, told in v3.6 words (a file is an upload plus a file event)
    told = [renamed.get(e[0], e[0]) for e in v30.log]
    assert [e[0] for e in v36.log if not (e[0] == "send_event" and e[1] is None)] == told
    assert {a for _, v, a in v36.versions if v == "3.6"} >= {
        "start_chat",
        "send_event",
        "upload_file",
        "deactivate_chat",
        "send_sneak_peek",
        "send_typing_indicator",
    }
    assert {a for _, v, a in v36.versions if v == "3.0"} <= {
        "start_visit",
        "update_customer_page",
        "end_visit",
    }  # the emulator's own visit actions
    by_customer: dict[str, set[str]] = {}
    for customer, version, action in mixed.versions:
        if action not in ("start_visit", "update_customer_page", "end_visit"):
            by_customer.setdefault(customer, set()).add(version)
    assert all(len(v) == 1 for v in by_customer.values())  # each customer speaks one version
    assert set().union(*by_customer.values()) == {"3.0", "3.6"}
    # and the world is the same: every simulated chat is readable over both agent versions
    admin = await mixed.call(mixed.engine.authenticate, (await mixed.call(mixed.engine.agent_credentials))[0]["token"])
    listed = (await mixed.execute(admin, "list_chats", {"limit": 100}, None, "3.6")).payload
    summary = (await mixed.execute(admin, "get_chats_summary", {"limit": 100})).payload
    started = {c.chat_id for c in sim.chats if c.chat_id}
    assert started <= {c["id"] for c in listed["chats_summary"]}
    assert started <= {c["id"] for c in summary["chats_summary"]}
    for hub in (v30, v36, mixed):
        hub.close()
        hub.engine.close()
