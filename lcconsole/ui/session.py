"""Session: the HTTP client and the RTM connection the console talks through.

In demo mode it first starts the emulator in-process (`EmbeddedEmulator`, demo world, simulator
on) on a free loopback port, then connects exactly as it would to a real server. Everything heavy
(httpx, pydantic, websockets, the emulator) is imported inside `open()`, after the first frame.
"""

from __future__ import annotations

import asyncio
from typing import Any

from lcconsole.config import Settings


class Session:
    """`await open()` builds `client` (AgentClient), `rtm` (RtmConnection, not started) and the
    `gateway` the screens call (in the connection's API version)."""

    def __init__(
        self, settings: Settings, *, demo_seed: str = "demo", simulate: bool = True, sim_seed: int | None = None
    ) -> None:
        self.settings = settings
        self.demo = settings.demo
        self.demo_seed = demo_seed
        self.simulate = simulate
        self.sim_seed = sim_seed
        self.emulator: Any = None
        self.client: Any = None
        self.rtm: Any = None
        self.gateway: Any = None
        self.base_url: str | None = settings.base_url

    def __repr__(self) -> str:
        return f"Session(base_url={self.base_url!r}, demo={self.demo})"

    async def open(self) -> None:
        """Start the demo emulator when needed and build the client and RTM connection."""
        token = self.settings.credentials
        if self.demo:
            from lcconsole.emulator.embedded import EmbeddedEmulator

            self.emulator = EmbeddedEmulator(seed=self.demo_seed, simulate=self.simulate, sim_seed=self.sim_seed)
            info = await asyncio.to_thread(self.emulator.start)
            self.base_url, token = info.base_url, info.token
        from lcconsole.api import AgentClient
        from lcconsole.rtm import RtmConnection

        assert token is not None and self.base_url is not None
        version = self.settings.api_version or "3.0"
        self.client = AgentClient(token=token, base_url=self.base_url, region=self.settings.region, version=version)
        self.rtm = RtmConnection(self.base_url, token, region=self.settings.region, version=version)
        from lcconsole.gateway import open_gateway

        self.gateway = open_gateway(self.client, self.rtm)

    async def close(self) -> None:
        """Log out, close the client and stop the demo emulator."""
        if self.rtm is not None:
            try:
                await asyncio.wait_for(self.rtm.close(), 3)
            except (TimeoutError, Exception):  # closing must never block quitting
                pass
        if self.client is not None:
            try:
                await self.client.aclose()
            except Exception:
                pass
        if self.emulator is not None:
            await asyncio.to_thread(self.emulator.stop)
            self.emulator = None
