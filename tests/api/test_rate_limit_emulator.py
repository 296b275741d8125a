"""The client honours the emulator's 429 + Retry-After end to end (issue 5, item 6)."""

import asyncio

import httpx

from lcconsole.api import AgentClient, RetryPolicy
from lcconsole.emulator.embedded import EmbeddedEmulator


async def test_client_waits_retry_after_and_every_call_succeeds():
    with EmbeddedEmulator(seed="empty", simulate=False, rate_limit=2) as info:
        # the server really limits: a raw burst gets 429 with Retry-After
        raw = [httpx.post(f"{info.api_url}/get_chats_summary", json={},
                          headers={"Authorization": f"Bearer {info.token}"}) for _ in range(4)]
        limited = [r for r in raw if r.status_code == 429]
        assert limited and limited[0].json()["error"]["type"] == "too_many_requests"
        retry_after = int(limited[0].headers["Retry-After"])

        waits: list[float] = []

        async def sleep(seconds: float) -> None:
            waits.append(seconds)
            await asyncio.sleep(seconds)

        policy = RetryPolicy(max_attempts=6, base_delay=0.01, jitter=0, sleep=sleep)
        async with AgentClient(token=info.token, base_url=info.base_url, retry=policy) as client:
            results = [await client.get_chats_summary(limit=10) for _ in range(4)]
        assert len(results) == 4 and all(r.chats_summary == [] for r in results)
        assert waits and max(waits) >= retry_after  # it waited as long as the server asked
