"""Customer visits over the transports: POST /customer/token starts a visit (pushed to logged-in
customers:ro agents), the customer side's visit actions, and the simulator's customers arriving,
browsing and leaving."""

from __future__ import annotations

from test_server_rtm import logged_in, push, until
from test_server_simulator import Recorder, settle

from lcconsole.emulator.contract import AddressedPush
from lcconsole.emulator.embedded import EmbeddedEmulator
from lcconsole.emulator.engine import Engine
from lcconsole.emulator.simulator import Simulator
from tests import loopback


async def test_customer_token_and_customer_side_visit_actions_push_to_agents():
    with EmbeddedEmulator(seed="empty", simulate=False) as info:
        ws, _ = await logged_in(info.rtm_url, info.token)
        async with ws, loopback.async_client(base_url=info.base_url, timeout=10) as http:
            resp = await http.post("/customer/token", json={"name": "Vera"}, headers={"User-Agent": "VisitTest/1.0"})
            assert resp.status_code == 200, resp.text
            customer_id = resp.json()["customer_id"]
            started, _ = await until(ws, push("customer_visit_started"))
            payload = started["payload"]
            assert set(payload) == {"customer_id", "visit_id", "started_at", "ip", "user_agent", "geolocation"}
            assert (payload["customer_id"], payload["ip"], payload["user_agent"]) == (
                customer_id,
                "127.0.0.1",
                "VisitTest/1.0",
            )
            headers = {"Authorization": f"Bearer {resp.json()['access_token']}"}
            page = await http.post(
                "/v3.0/customer/action/update_customer_page",
                headers=headers,
                json={"url": "https://shop.example.com/pricing", "title": "Pricing"},
            )
            assert page.json() == {"visit_id": payload["visit_id"]}
            updated, _ = await until(ws, push("customer_page_updated"))
            assert updated["payload"]["url"] == "https://shop.example.com/pricing"
            ended = await http.post("/v3.0/customer/action/end_visit", headers=headers, json={})
            assert ended.status_code == 200, ended.text
            frame, _ = await until(ws, push("customer_visit_ended"))
            assert frame["payload"]["visit_id"] == payload["visit_id"]
            bogus = await http.post("/v3.0/customer/action/end_everything", headers=headers, json={})
            assert bogus.status_code == 404


async def test_simulated_customers_arrive_browse_and_leave():
    engine = Engine(":memory:")
    engine.seed("empty")
    hub = Recorder(engine)
    seen: list[AddressedPush] = []
    deliver = hub.deliver

    def record(pushes, **kw):
        pushes = list(pushes)
        seen.extend(pushes)
        deliver(pushes, **kw)

    hub.deliver = record
    sim = Simulator(hub, seed=3, rate=1000.0)
    for _ in range(120):
        await sim.step()
        await settle(sim)
    actions = [p.action for p in seen]
    for expected in ("customer_visit_started", "customer_page_updated", "customer_visit_ended"):
        assert expected in actions, expected
    assert actions.count("customer_page_updated") > actions.count("customer_visit_started")
    started = next(p for p in seen if p.action == "customer_visit_started").payload
    assert started["geolocation"]["country"] and started["ip"].startswith("198.51.100.")
    assert all(p.agent_ids == {"agent1@example.com"} for p in seen if p.action.startswith("customer_"))
    customer = engine.execute(
        engine.authenticate(engine.agent_credentials()[0]["token"]),
        "get_customers",
        {"filters": {"customer_id": {"values": [started["customer_id"]]}}},
    ).payload["customers"][0]
    assert customer["last_visit"]["last_pages"] and customer["statistics"]["visits_count"] >= 1
    engine.close()
