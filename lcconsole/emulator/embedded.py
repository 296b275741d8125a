"""Run the emulator in-process: uvicorn on 127.0.0.1 (free port) in a background thread.

The console's demo mode and the tests use it:

    with EmbeddedEmulator(seed="empty", simulate=False) as info:
        httpx.post(f"{info.api_url}/get_chats_summary", json={}, headers={"Authorization": f"Bearer {info.token}"})

The engine is created inside the server thread; use `call(fn)` to run something against the
hub on the server's loop (the engine itself is thread-safe; the server runs it in the hub's
engine thread).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from lcconsole.emulator.hub import DEFAULT_TIME_LIMIT
from lcconsole.emulator.idle import IDLE_TIMEOUT
from lcconsole.emulator.runner import EmulatorInfo, TlsFiles, base_url_of, bind_socket, make_server
from lcconsole.emulator.server import create_app

T = TypeVar("T")


def default_engine(db: str) -> Any:
    """The real engine on `db`."""
    from lcconsole.emulator.engine import Engine

    return Engine(db)


class EmbeddedEmulator:
    """An emulator serving from a background thread; `start()` -> `EmulatorInfo`, `stop()`.

    `port=0` picks a free port; pass a previous run's port (and the same file `db`) to "restart"
    a server at the same address, e.g. for reconnect tests. `disconnect_rtm()` drops every
    agent socket the way the real server does (an `agent_disconnected` push, then a close).
    `tls`: serve https/wss with this certificate and key.
    """

    def __init__(
        self,
        db: str = ":memory:",
        seed: str = "demo",
        simulate: bool = True,
        sim_seed: int | None = None,
        agents: Sequence[tuple[str, Sequence[str]]] = (),
        *,
        port: int = 0,
        sim_rate: float = 1.0,
        sim_dialect: str = "mixed",
        rate_limit: float | None = None,
        login_timeout: float = 30.0,
        idle_timeout: float = IDLE_TIMEOUT,
        request_timeout: float = DEFAULT_TIME_LIMIT,
        engine_factory: Callable[[str], Any] = default_engine,
        tls: TlsFiles | None = None,
        middleware: Callable[[Any], Any] | None = None,
    ) -> None:
        self.db = db
        self.port = port
        self.seed = seed
        self.simulate = simulate
        self.sim_seed = sim_seed
        self.sim_rate = sim_rate
        self.sim_dialect = sim_dialect
        self.agents = tuple(agents)
        self.rate_limit = rate_limit
        self.login_timeout = login_timeout
        self.idle_timeout = idle_timeout
        self.request_timeout = request_timeout
        self.engine_factory = engine_factory
        self.tls = tls
        self.middleware = middleware  # wraps the ASGI app that is served (tests hold responses)
        self.info: EmulatorInfo | None = None
        self.app: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    # --- lifecycle -------------------------------------------------------------------------

    def start(self, timeout: float = 20.0) -> EmulatorInfo:
        """Start serving and return where (raises if it could not start within `timeout`)."""
        if self._thread is not None:
            raise RuntimeError("EmbeddedEmulator already started")
        self._thread = threading.Thread(target=self._thread_main, name="lcconsole-emulator", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            self.stop()
            raise RuntimeError("emulator did not start in time")
        if self._error is not None:
            self._thread.join(timeout)
            raise RuntimeError(f"emulator failed to start: {self._error!r}") from self._error
        assert self.info is not None
        return self.info

    def stop(self, timeout: float = 10.0) -> None:
        """Shut down (idempotent)."""
        if self._thread is None:
            return
        loop, server = self._loop, self._server
        if loop is not None and server is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(setattr, server, "should_exit", True)
            except RuntimeError:
                pass
        self._thread.join(timeout)
        self._thread = None

    def __enter__(self) -> EmulatorInfo:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def call(self, fn: Callable[..., T], *args: Any, timeout: float = 10.0) -> T:
        """Run `fn(*args)` on the server's loop (where the engine lives) and return its result."""
        if self._loop is None:
            raise RuntimeError("EmbeddedEmulator not running")

        async def run() -> T:
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout)

    def disconnect_rtm(self, reason: str = "internal_error") -> int:
        """Push `agent_disconnected` with `reason` to every RTM socket and close them; how many."""
        count: int = self.call(self.app.state.hub.disconnect_all, reason)
        return count

    # --- the server thread -----------------------------------------------------------------

    def _thread_main(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported to start() when it happens before ready
            self._error = exc
        finally:
            self._ready.set()
            loop.close()

    async def _serve(self) -> None:
        engine = self.engine_factory(self.db)
        simulator = None
        try:
            engine.seed(self.seed, self.agents)
            sock = bind_socket("127.0.0.1", self.port)
            engine.base_url = base_url_of(sock, tls=self.tls is not None)
            self.app = create_app(
                engine,
                rate_limit=self.rate_limit,
                login_timeout=self.login_timeout,
                request_timeout=self.request_timeout,
                idle_timeout=self.idle_timeout,
            )
            served = self.middleware(self.app) if self.middleware is not None else self.app
            self._server = make_server(served, embedded=True, tls=self.tls, idle_timeout=self.idle_timeout)
            if self.simulate:
                from lcconsole.emulator.simulator import Simulator

                simulator = Simulator(
                    self.app.state.hub, seed=self.sim_seed, rate=self.sim_rate, dialect=self.sim_dialect
                )
                await simulator.start()
            serving = asyncio.create_task(self._server.serve(sockets=[sock]))
            while not self._server.started and not serving.done():  # noqa: ASYNC110 - uvicorn's `started` is a plain flag
                await asyncio.sleep(0.005)
            if serving.done():
                serving.result()
                raise RuntimeError("server stopped before it started")
            self.info = EmulatorInfo(engine.base_url, engine.agent_credentials())
            self._ready.set()
            await serving
        finally:
            if simulator is not None:
                await simulator.stop()
            if self.app is not None:
                self.app.state.hub.close()
            engine.close()
