"""Session: the HTTP client (built on first use) and the RTM connection the console talks through.

In demo mode it first starts the emulator in-process (`EmbeddedEmulator`, demo world, simulator
on) on a free loopback port, then connects exactly as it would to a real server. Everything heavy
(httpx, pydantic, websockets, the emulator) is imported inside `open()`, after the first frame.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from typing import Any

from lcconsole.config import Settings


class ClientOnDemand:
    """The session's `AgentClient`, built on first use: the RTM login paints the chat list
    without it, so httpx and the API modules (~90 ms of imports) load after that (`prepare()`,
    off the UI thread) instead of before it. Reads as the client itself (attribute access)."""

    def __init__(self, *, version: str, **kwargs: Any) -> None:
        from lcconsole.wire.dialects import dialect

        self.dialect = dialect(version)
        self._kwargs = {**kwargs, "version": version}
        self._client: Any = None

    def __repr__(self) -> str:
        return f"ClientOnDemand(built={self._client is not None})"

    @staticmethod
    def prepare() -> None:
        """Import the client's modules (call it in a thread, ahead of the first request)."""
        import lcconsole.api  # noqa: F401  (imported for its cost, ahead of the first request)

    def built(self) -> Any:
        """The AgentClient (built now when it was not yet)."""
        if self._client is None:
            from lcconsole.api import AgentClient

            self._client = AgentClient(**self._kwargs)
        return self._client

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_client", "_kwargs"):
            raise AttributeError(name)
        return getattr(self.built(), name)

    async def aclose(self) -> None:
        """Close the client if it was built."""
        if self._client is not None:
            await self._client.aclose()


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
        self._early: Any = None

    def __repr__(self) -> str:
        return f"Session(base_url={self.base_url!r}, demo={self.demo})"

    @property
    def version(self) -> str:
        """The API version the session speaks (v3.0 when the settings name none)."""
        return self.settings.api_version or "3.0"

    def connect_early(self, on_answer: Callable[[dict[str, Any]], None] | None = None) -> None:
        """Open the RTM socket and send the login now (a server with credentials, not the demo):
        the server answers while the console imports the rest, and `open()` hands the socket to
        the RTM connection. Needs only the websockets library; a bad URL is left to `open()`.
        `on_answer(frame)` gets the login's answer as it arrives (before `open()`)."""
        credentials = self.settings.credentials
        if self.demo or credentials is None or self.base_url is None or self._early is not None:
            return
        from lcconsole.rtm.opening import EarlyLogin
        from lcconsole.rtm.url import rtm_url
        from lcconsole.wire.dialects import dialect

        try:
            url = rtm_url(self.base_url, dialect(self.version).rtm_path)
        except ValueError:
            return
        self._early = EarlyLogin(url, credentials, region=self.settings.region, on_answer=on_answer)
        self._early.start()

    async def open(self) -> None:
        """Start the demo emulator when needed and build the client and RTM connection."""
        token = self.settings.credentials
        if self.demo:
            from lcconsole.emulator.embedded import EmbeddedEmulator

            self.emulator = EmbeddedEmulator(seed=self.demo_seed, simulate=self.simulate, sim_seed=self.sim_seed)
            info = await asyncio.to_thread(self.emulator.start)
            self.base_url, token = info.base_url, info.token
        from lcconsole.rtm import RtmConnection

        assert token is not None and self.base_url is not None
        self.client = ClientOnDemand(
            token=token, base_url=self.base_url, region=self.settings.region, version=self.version
        )
        early, self._early = self._early, None
        from lcconsole.gateway import gateway_class

        gateway = gateway_class(self.version)
        self.rtm = RtmConnection(
            self.base_url,
            token,
            region=self.settings.region,
            version=self.version,
            opened=early,
            read_login=gateway.read_login,
        )
        self.gateway = gateway(self.client, self.rtm)

    async def client_ready(self) -> None:
        """Import the HTTP client's and the push models' modules off the UI thread (once the
        login painted the list)."""
        await asyncio.to_thread(self._import_the_rest)

    def _import_the_rest(self) -> None:
        ClientOnDemand.prepare()
        if self.rtm is not None:  # (the first push would load them on the UI thread)
            importlib.import_module(self.rtm.dialect.pushes_module)
        import lcconsole.ui.store_pushes  # noqa: F401  (imported here, off the UI thread, for its cost)

    async def close(self) -> None:
        """Log out, close the client and stop the demo emulator."""
        early, self._early = self._early, None
        if early is not None:  # opened ahead, never handed over
            await early.close()
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
