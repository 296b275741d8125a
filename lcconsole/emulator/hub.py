"""Push fan-out: the registry of logged-in RTM sockets and the one path every action runs through.

Every transport (HTTP, RTM, customer side, simulator) calls `await Hub.execute(...)`, which runs
the engine and hands each resulting `AddressedPush` to every socket of its `agent_ids`. Each socket has its
own send queue drained by its own task, so a slow reader never blocks the others; the requester's
own copy of a push carries its `request_id`.

The engine never runs on the event loop: `await hub.call(fn, *args)` runs any engine call in the
hub's one engine thread, under the per-request time limit (`request_timeout` beyond it), so a slow
query delays other engine calls by at most that limit and stalls sockets, pings and pushes by at
most `IDLE_ENGINE_WAIT`. The calls of one loop turn run as one batch, in one transaction
(`Hub.call`, `Engine.run_batch`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import json
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from lcconsole.emulator import dialects
from lcconsole.emulator.contract import AddressedPush, ErrorReply, Outcome, Payload, Principal, UploadedFile, attempt
from lcconsole.emulator.dialects import V30, render_push
from lcconsole.emulator.v36.deleted import mask
from lcconsole.emulator.world.watch import follows

log = logging.getLogger(__name__)

MAX_QUEUED_FRAMES = 10_000
"""A socket that lets this many frames pile up unread is disconnected."""

DEFAULT_TIME_LIMIT = 5.0
"""Seconds one engine call may run before it is interrupted with `request_timeout`."""

IDLE_ENGINE_WAIT = 0.02
"""Seconds the event loop blocks on an engine call it hands to an idle engine thread (`Hub.call`)."""

CustomerListener = Callable[[str, AddressedPush], None]
T = TypeVar("T")


_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def dumps(obj: Any) -> str:
    """Compact JSON, as every frame and HTTP body is sent."""
    return _COMPACT_JSON.encode(obj)


def frame_text(action: str, payload: Payload, request_id: str | None = None, version: str = V30) -> str:
    """A serialised push frame (docs/api-notes.md §4.2; v3.6 frames name their version), with
    `request_id` for the requester's copy."""
    frame: dict[str, Any] = {}
    if version != V30:
        frame["version"] = version
    if request_id is not None:
        frame["request_id"] = request_id
    frame["action"] = action
    frame["type"] = "push"
    frame["payload"] = payload
    return dumps(frame)


def disconnect_frame(reason: str, version: str = V30) -> str:
    """The `agent_disconnected` push frame (the same name and payload in every version)."""
    return frame_text("agent_disconnected", {"reason": reason}, None, version)


class SocketSender:
    """One socket's send queue and the task that drains it in order."""

    def __init__(self, send_text: Callable[[str], Any], close: Callable[[int], Any]) -> None:
        self._send_text = send_text
        self._close = close
        self._queue: asyncio.Queue[tuple[str, bool] | None] = asyncio.Queue()
        self._task = asyncio.create_task(self._drain())
        self.on_sent: Callable[[], None] | None = None
        self.closed = False
        self.version = V30
        """The API version of the socket: every push is rendered in it."""
        self.wanted: frozenset[str] | None = None
        """Push names this socket asked for at login (v3.6 `pushes`); None = all."""
        self.masks_deleted = False
        """v3.6 socket of a `normal` agent: deleted events arrive as stubs (`v36/deleted.py`)."""
        self.subscriptions: set[str] = set()
        """The v3.6 `subscribe_customers` subscriptions made on this socket."""

    def put(self, text: str, *, counts: bool = False) -> None:
        """Queue one frame; `counts` marks a response whose delivery ends a pending request."""
        if self.closed:
            return
        if self._queue.qsize() >= MAX_QUEUED_FRAMES:
            log.warning("RTM socket not reading; disconnecting it")
            self.put_close()
            return
        self._queue.put_nowait((text, counts))

    def put_close(self) -> None:
        """Close the socket once everything queued before has been sent."""
        if not self.closed:
            self.closed = True
            self._queue.put_nowait(None)

    async def _drain(self) -> None:
        try:
            while True:
                item = await self._queue.get()
                if item is None:
                    await self._close(1000)
                    return
                text, counted = item
                await self._send_text(text)
                if counted and self.on_sent is not None:
                    self.on_sent()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the peer went away, or a frame could not be encoded
            self.closed = True
            log.warning("RTM send failed (%s); closing the socket", type(exc).__name__)
            with contextlib.suppress(Exception):  # 1011: the client sees why it goes silent
                await self._close(1011)

    def stop(self) -> None:
        """Stop draining immediately."""
        self.closed = True
        self._task.cancel()


class Hub:
    """Registry of logged-in agent sockets; runs engine calls off the loop and fans pushes out."""

    def __init__(self, engine: Any, *, time_limit: float = DEFAULT_TIME_LIMIT) -> None:
        self.engine = engine
        self.time_limit = time_limit
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lcconsole-engine")
        self._sockets: dict[str, set[SocketSender]] = {}
        self._customer_listeners: list[CustomerListener] = []
        self._pending: list[tuple[Callable[[], Any], asyncio.Future[Any]]] = []
        """Calls made in this turn of the event loop, run together by `_flush`."""
        self._batches_in_flight = 0  # awaited without blocking the loop, not yet done

    # --- execution -------------------------------------------------------------------------

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` in the engine thread, within the time limit (its result or exception).

        Calls made in one turn of the event loop go to the engine together (`Engine.run_batch`:
        one transaction, one COMMIT). When the engine thread is idle, the loop blocks on them
        for up to `IDLE_ENGINE_WAIT`: nearly every batch ends within that, and a loop that
        waits leaves the GIL to the engine thread instead of trading it at every SQLite
        statement (that trade cost more CPU than the action itself). A slower batch is awaited
        without blocking the loop; the calls made meanwhile wait for it and then go as one
        batch (fewer, larger batches: fewer COMMITs and thread hops).
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._pending.append((functools.partial(self._limited, fn, args), future))
        if len(self._pending) == 1 and not self._batches_in_flight:
            loop.call_soon(self._flush)
        return await future

    def _flush(self) -> None:
        if self._batches_in_flight or not self._pending:
            return  # the batch in flight flushes them when it is done: one batch, not many
        jobs, self._pending = self._pending, []
        futures = [future for _, future in jobs]
        try:
            batch = self._executor.submit(self._run_batch, [call for call, _ in jobs])
        except RuntimeError as exc:  # the hub is closed
            self._settle(futures, [(False, exc)] * len(futures))
            return
        if self._batches_in_flight == 0:
            try:
                batch.result(timeout=IDLE_ENGINE_WAIT)
            except concurrent.futures.TimeoutError:
                pass  # still running (or its own TimeoutError, read by _finish)
            except BaseException:
                if not batch.done():  # this wait itself was interrupted (e.g. Ctrl-C)
                    raise
            if batch.done():
                self._finish(futures, batch)
                return
        self._batches_in_flight += 1
        asyncio.wrap_future(batch).add_done_callback(functools.partial(self._finish_later, futures))

    def _finish_later(self, futures: list[asyncio.Future[Any]], batch: asyncio.Future[Any]) -> None:
        self._batches_in_flight -= 1
        self._finish(futures, batch)
        self._flush()

    def _finish(
        self, futures: list[asyncio.Future[Any]], batch: asyncio.Future[Any] | concurrent.futures.Future[Any]
    ) -> None:
        """Hand each caller its call's outcome (all of them the batch's own failure, if any)."""
        if batch.cancelled():  # the hub closed before the batch ran
            for future in futures:
                future.cancel()
            return
        failure = batch.exception()
        self._settle(futures, batch.result() if failure is None else [(False, failure)] * len(futures))

    @staticmethod
    def _settle(futures: list[asyncio.Future[Any]], results: list[tuple[bool, Any]]) -> None:
        for future, (ok, value) in zip(futures, results, strict=True):
            if future.done():  # its caller was cancelled
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def _run_batch(self, calls: list[Callable[[], Any]]) -> list[tuple[bool, Any]]:
        run_batch = getattr(self.engine, "run_batch", None)
        if run_batch is not None and len(calls) > 1:
            results: list[tuple[bool, Any]] = run_batch(calls)
            return results
        return [attempt(call) for call in calls]

    def _limited(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        with self.engine.time_limited(self.time_limit):
            return fn(*args)

    async def execute(
        self,
        principal: Principal,
        action: str,
        payload: dict[str, Any],
        files: dict[str, UploadedFile] | None = None,
        version: str = V30,
    ) -> Outcome:
        """Run one action on the engine in `version`'s dialect and deliver its pushes (raises
        the engine's ErrorReply).

        The RTM socket calls `call(dialects.execute, ...)` itself so that its response frame goes
        out before the pushes, then hands them to `deliver` with its own request_id.
        """
        outcome = await self.call(dialects.execute, self.engine, version, principal, action, payload, files)
        if outcome.pushes:
            self.deliver(outcome.pushes)
        return outcome

    async def execute_as(
        self,
        credential: str,
        kind: str,
        action: str,
        payload: dict[str, Any],
        version: str = V30,
        error: ErrorReply | None = None,
    ) -> Outcome:
        """`execute` for the principal `credential` authenticates as, both in one engine call
        (one thread hop, not two); `error` (the request's own, e.g. a bad body) is raised once
        the credential is known to be good."""
        outcome = await self.call(self._execute_as, credential, kind, action, payload, version, error)
        if outcome.pushes:
            self.deliver(outcome.pushes)
        return outcome

    def _execute_as(
        self, credential: str, kind: str, action: str, payload: dict[str, Any], version: str, error: ErrorReply | None
    ) -> Outcome:
        principal = self.engine.authenticate(credential, kind)
        if error is not None:
            raise error
        return dialects.execute(self.engine, version, principal, action, payload)

    def close(self) -> None:
        """Finish the engine calls already queued and stop the engine thread."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    def deliver(
        self, pushes: Iterable[AddressedPush], *, origin: SocketSender | None = None, request_id: str | None = None
    ) -> None:
        """Queue each push on every socket of its agents, rendered in the socket's version (once
        per version); the origin's copy gets `request_id`."""
        sockets = self._sockets
        for push in pushes:
            rendered: dict[tuple[str, bool], tuple[str, Payload] | None] = {}
            texts: dict[tuple[str, bool], str] = {}
            only_origin = push.meta.get("origin_only", False)
            watched = push.meta.get("watch")
            change = push.meta.get("change")
            for agent_id in push.agent_ids:
                for sender in sockets.get(agent_id, ()):
                    if only_origin and sender is not origin:
                        continue
                    version = sender.version
                    if version != V30 and not self._wants(sender, agent_id, watched, change):
                        continue
                    key = (version, sender.masks_deleted)
                    if key not in rendered:
                        rendered[key] = self._render(push, *key)
                    found = rendered[key]
                    if found is None or (sender.wanted is not None and found[0] not in sender.wanted):
                        continue
                    if sender is origin and request_id is not None:
                        sender.put(frame_text(*found, request_id, version))
                    else:
                        if key not in texts:
                            texts[key] = frame_text(*found, None, version)
                        sender.put(texts[key])
            if push.customer_ids and self._customer_listeners:
                for customer_id in push.customer_ids:
                    for listener in list(self._customer_listeners):
                        try:
                            listener(customer_id, push)
                        except Exception:
                            log.exception("customer push listener failed")

    def _wants(
        self, sender: SocketSender, agent_id: str, watched: dict[str, Any] | None, change: dict[str, Any] | None
    ) -> bool:
        """Does this v3.6 socket get a customer push (`watched`) or a following change
        (`change`, `world/following.py`: it gets it when its own following changed so)?"""
        if watched is not None and not self._follows(sender, agent_id, watched):
            return False
        if change is None:
            return True
        was = self._follows(sender, agent_id, change["before"])
        now = self._follows(sender, agent_id, change["after"])
        return now and not was if change["gained"] else was and not now

    def _follows(self, sender: SocketSender, agent_id: str, watched: dict[str, Any]) -> bool:
        """Does this v3.6 socket follow the customer of a customer push (its agent's
        `customer_monitoring_level`, its subscriptions)?"""
        subs = self.engine.subscriptions
        groups = [subs[s]["group_ids"] for s in sender.subscriptions if s in subs]
        return follows(watched, agent_id, self.engine.monitoring.get(agent_id), groups)

    def forget_subscriptions(self, sender: SocketSender) -> None:
        """The socket is gone: so are its subscriptions."""
        for subscription_id in sender.subscriptions:
            self.engine.subscriptions.pop(subscription_id, None)
        sender.subscriptions.clear()

    @staticmethod
    def _render(push: AddressedPush, version: str, masks_deleted: bool) -> tuple[str, Payload] | None:
        found = render_push(push, version)
        if found is None or not masks_deleted:
            return found
        return found[0], mask(found[1])

    # --- registry --------------------------------------------------------------------------

    async def attach(self, agent_id: str, sender: SocketSender) -> list[AddressedPush]:
        """Register a logged-in socket; returns the presence pushes of the agent's first socket.

        The caller delivers them (after its login response, so the response comes first).
        """
        first = not self._sockets.get(agent_id)
        self._sockets.setdefault(agent_id, set()).add(sender)
        return await self.call(self.engine.set_presence, agent_id, True) if first else []

    async def detach(self, agent_id: str, sender: SocketSender) -> None:
        """Forget a socket; the agent's last socket closing makes it absent."""
        self.forget_subscriptions(sender)
        sockets = self._sockets.get(agent_id)
        if not sockets or sender not in sockets:
            return
        sockets.discard(sender)
        if not sockets:
            del self._sockets[agent_id]
            self.deliver(await self.call(self.engine.set_presence, agent_id, False))

    def disconnect_all(self, reason: str) -> int:
        """Send every logged-in socket `agent_disconnected` with `reason`, then close it."""
        count = 0
        for senders in list(self._sockets.values()):
            for sender in list(senders):
                sender.put(disconnect_frame(reason, sender.version))
                sender.put_close()
                count += 1
        return count

    def connected_agents(self) -> frozenset[str]:
        """The agents with at least one logged-in socket."""
        return frozenset(agent for agent, sockets in self._sockets.items() if sockets)

    def add_customer_listener(self, listener: CustomerListener) -> None:
        """Call `listener(customer_id, push)` for every push addressed to a customer."""
        self._customer_listeners.append(listener)

    def remove_customer_listener(self, listener: CustomerListener) -> None:
        """Undo `add_customer_listener`."""
        if listener in self._customer_listeners:
            self._customer_listeners.remove(listener)
