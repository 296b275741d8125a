"""The client honours the emulator's 429 + Retry-After end to end (issue 5, item 6).

Robust under load: one request a second with a burst of one, and every burst is sent
concurrently, so its requests reach the server well within a second even on a busy machine.
"""

import asyncio

from lcconsole.api import AgentClient, RetryPolicy
from lcconsole.emulator.embedded import EmbeddedEmulator
from tests import loopback


async def test_client_waits_retry_after_and_every_call_succeeds():
    with EmbeddedEmulator(seed="empty", simulate=False, rate_limit=1) as info:
        # the server really limits: a raw concurrent burst gets 429 with Retry-After
        headers = {"Authorization": f"Bearer {info.token}"}
        async with loopback.async_client(base_url=info.api_url, headers=headers, timeout=30) as http:
            raw = await asyncio.gather(*(http.post("/get_chats_summary", json={}) for _ in range(4)))
        limited = [r for r in raw if r.status_code == 429]
        assert limited and limited[0].json()["error"]["type"] == "too_many_requests"
        retry_after = int(limited[0].headers["Retry-After"])

        waits: list[float] = []

        async def sleep(seconds: float) -> None:
            waits.append(seconds)
            await asyncio.sleep(seconds)

        policy = RetryPolicy(max_attempts=8, base_delay=0.01, jitter=0, sleep=sleep)
        async with AgentClient(token=info.token, base_url=info.base_url, retry=policy) as client:
            results = await asyncio.gather(*(client.get_chats_summary(limit=10) for _ in range(2)))
        assert len(results) == 2 and all(r.chats_summary == [] for r in results)
        assert waits and max(waits) >= retry_after  # it waited as long as the server asked
