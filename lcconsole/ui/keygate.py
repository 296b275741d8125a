"""KeyGate: keys that arrive in one burst are applied in order, each after the effects of the
keys before it.

A terminal delivers keys typed quickly (or bunched by a laggy SSH link) in one read. Textual
forwards each key to the widget focused *when the app reads it*, but a key bound to an action
(Escape, F4, Tab, Enter…) only runs that action after it has bubbled up to the app. Without a
gate, `Escape j` typed in the composer puts `j` in the composer before Escape moves the focus.

The gate holds every key until the one before it was handled: text typed into a field was taken
by the field, a key that runs an action ran it, and any focus change or screen push it caused
settled. Held keys are then replayed in order. Keys typed with pauses pass straight through.

A modal the agent did not ask for (a question a flow raises, as "send it to this chat?") gets
only the keys typed once it shows: the keys typed before it wait until it is answered and then go
where they were typed (`interrupting`).

A key whose action opens a modal from a worker (perhaps after an API call) says so: the flow runs
inside `opening()` and the push calls `opened()`. Keys typed after it wait for that modal to be up
and focused, or for the flow to end without one; flows that say nothing get a short guess. Keys
typed after the modal's answer wait in turn for what the flow does next (a second modal, a server
call, the chat it opens).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections import deque
from collections.abc import Awaitable, Callable
from contextvars import ContextVar, Token
from typing import Any

from textual import events
from textual.widgets import Input
from textual.worker import WorkerState

SETTLE_TIMEOUT = 1.0
"""Seconds after which a key that never came back to the app (a widget used it) lets go."""
SCREEN_WAIT_TIMEOUT = 1.0
"""Seconds a held key waits at most for a screen that an action may be opening (unannounced)."""
OPENING_TIMEOUT = 10.0
"""Seconds a held key waits at most for an announced modal (only a bug takes that long)."""

_flows: ContextVar[tuple[_Opening, ...]] = ContextVar("lcconsole_opening_flows", default=())
"""The announced flows (`KeyGate.opening`) the running task is inside, not yet pushed."""


class _Opening:
    """One announced flow: in the gate's set from its announcement until it pushed its modal
    or its context ended (entered by the flow's own task, so `opened()` finds it), and again
    from that modal's answer until the next push or the end (the flow goes on after it)."""

    def __init__(self, pending: set[_Opening], changed: Callable[[], None]) -> None:
        self._pending = pending
        self._changed = changed
        self._outer: Token[tuple[_Opening, ...]] | None = None
        self.ended = False
        pending.add(self)

    def __enter__(self) -> None:
        self._outer = _flows.set((*_flows.get(), self))

    def __exit__(self, *exc: object) -> None:
        if self._outer is not None:
            _flows.reset(self._outer)
        self.ended = True
        self._pending.discard(self)
        self._changed()

    def resume(self) -> None:
        """Its modal answered: the flow goes on (a server call, another modal, a chat to show)."""
        if not self.ended:
            self._pending.add(self)
            self._changed()


def _is_text_area(target: Any) -> bool:
    """isinstance(target, TextArea) without importing TextArea before the first frame (its
    module and textual.document cost milliseconds): no TextArea exists until it is imported."""
    module = sys.modules.get("textual.widgets._text_area")
    return module is not None and isinstance(target, module.TextArea)


class KeyGate:
    """Decides, for every key the app reads, whether to process it now or hold it."""

    def __init__(self, app: Any, forward: Callable[[events.Key], Awaitable[None]]) -> None:
        """`forward(key)` processes a key the normal way (bindings, then the focused widget)."""
        self.app = app
        self._forward = forward
        self._held: deque[events.Key] = deque()
        self._pending: events.Key | None = None
        self._fallback: Any = None
        self._draining = False
        self._deadline = 0.0
        self._released_at = 0.0
        self._opening: set[_Opening] = set()  # announced flows that have not pushed their screen yet
        self._announced = False  # a flow was announced since the last key's release
        self._flow_changes = 0  # flows that went on after an answer, or ended
        self._decided_at = 0  # `_flow_changes` when the held keys were found ready to go
        self._parked: deque[events.Key] = deque()  # typed before an unasked modal showed
        self._parking: Any = None  # that modal, until it is up: keys arriving meanwhile park too

    @property
    def holding(self) -> int:
        """How many keys wait for an earlier key's action."""
        return len(self._held)

    def opening(self) -> contextlib.AbstractContextManager[None]:
        """Announces, now (in the key's action), a flow that may open a modal; the flow runs
        inside the returned context. Held keys wait until it pushed the modal (`opened()`) or
        left the context without one."""
        return _Opening(self._opening, self._flow_changed)

    def opened(self, answered: asyncio.Future[Any] | None = None) -> None:
        """The running flow pushed its modal: held keys go once it is mounted and focused.
        When the flow awaits the modal's answer (`answered`), keys typed after that answer
        wait again, for what the flow does next."""
        flows = _flows.get()
        for flow in flows:
            self._opening.discard(flow)
        if answered is not None and flows:
            # the answer is set inside the key's action that dismissed the modal; this callback
            # runs before that key is released (which waits for a refresh)
            answered.add_done_callback(lambda _: [flow.resume() for flow in flows])

    def interrupting(self, modal: Any, answered: asyncio.Future[Any]) -> None:
        """`modal` is being pushed without the agent asking for it: the keys typed so far (held,
        or arriving until it is up) are not answers to it. They wait until it is `answered`, then
        go on in order, after what the answer did."""
        self._parked.extend(self._held)
        self._held.clear()
        self._parking = modal
        self._watch_shown(modal)
        answered.add_done_callback(lambda _: self.app.call_after_refresh(self._unpark))

    def park_until(self, done: asyncio.Future[Any]) -> None:
        """Keys typed from now until `done` wait (the start-up: nothing to type into yet), then
        go in order to what shows then. Priority keys (quit) are not held."""
        self._parking = done
        done.add_done_callback(lambda _: self.app.call_after_refresh(self._unpark))

    def _watch_shown(self, modal: Any) -> None:
        if self._parking is not modal:
            return
        if modal.is_mounted and self.app.screen is modal and modal.focused is not None:
            self.app.call_after_refresh(self._shown, modal)  # (once it is drawn: the agent sees it)
        elif self.app.is_running:
            self.app.set_timer(0.01, lambda: self._watch_shown(modal))

    def _shown(self, modal: Any) -> None:
        if self._parking is modal:
            self._parking = None

    async def _unpark(self) -> None:
        self._parking = None
        if not self._parked:
            return
        self._held.extendleft(reversed(self._parked))
        self._parked.clear()
        if self._pending is None and not self._draining:
            await self._start_draining()

    async def arrive(self, event: events.Key) -> None:
        """A key read from the terminal: processed now, or held behind a pending one."""
        if self._parking is not None and not (isinstance(self._parking, asyncio.Future) and self._priority(event)):
            self._parked.append(event)
            return
        if self._pending is not None or self._held or self._draining:
            self._held.append(event)
            return
        await self._process(event)

    def reached_app(self, event: events.Key) -> None:
        """`event` bubbled back to the app and its binding (if any) ran."""
        if event is self._pending:
            # the action's effects are messages on their way (focus changes, a highlighted chat
            # opening, a worker pushing a modal): release after the next screen refresh
            self.app.call_after_refresh(self._release, event)

    async def _process(self, event: events.Key) -> None:
        split = self._split_alt(event)
        if split is not None:  # `Esc x` read as one `alt+x`: Escape, then x (after its effect)
            self._held.appendleft(split[1])
            event = split[0]
        target = self.app.focused
        typed = self._typed(event, target)
        self._pending = event
        self._fallback = self.app.set_timer(SETTLE_TIMEOUT, self._release)
        await self._forward(event)
        if not event.is_forwarded:  # a priority binding ran it in place
            self.app.call_after_refresh(self._release, event)
        elif typed:  # the field takes it and stops it: done once the field handled it
            target.call_later(self.app.call_later, self._release, event)

    @staticmethod
    def _typed(event: events.Key, target: Any) -> bool:
        """A printable key (or Enter in a text area) goes into a text field, not to a binding."""
        if _is_text_area(target):  # (the composer's own new-line / send keys too)
            return event.is_printable or event.key in ("enter", "shift+enter", "ctrl+j", "alt+enter")
        return event.is_printable and isinstance(target, Input)

    def _split_alt(self, event: events.Key) -> tuple[events.Key, events.Key] | None:
        """A terminal sends Escape as ESC, and Esc followed quickly by `x` arrives as `ESC x`,
        which reads as `alt+x`. When `alt+x` runs nothing here, it is taken as the two keys."""
        key, char = event.key, event.character
        if not key.startswith("alt+") or not char or not char.isprintable() or self._binds_action(key):
            return None
        from lcconsole.ui.terminal_input import plain_key

        return events.Key("escape", "\x1b"), plain_key(char)

    def _priority(self, event: events.Key) -> bool:
        """`event` runs a priority binding (quit): it goes now, also while keys are parked."""
        try:
            found = self.app.screen.active_bindings.get(event.key)
        except Exception:  # no screen yet
            return False
        return found is not None and found.binding.priority

    def _binds_action(self, key: str) -> bool:
        """True when `key` runs an enabled action on the current screen (it may move focus)."""
        try:
            active = self.app.screen.active_bindings
        except Exception:  # no screen yet
            return False
        found = active.get(key)
        return found is not None and found.enabled

    async def _release(self, event: events.Key | None = None) -> None:
        """The pending key (`event`, or whichever on the fallback timer) is done."""
        if self._pending is None or (event is not None and event is not self._pending):
            return
        if self._fallback is not None:
            self._fallback.stop()
            self._fallback = None
        self._pending = None
        await self._start_draining()

    async def _start_draining(self) -> None:
        """Held keys go once what came before them settled (`_drain`), waited for from now."""
        self._draining = True
        self._announced = bool(self._opening)  # (flows announced later say so in `_drain`)
        self._released_at = asyncio.get_running_loop().time()
        self._deadline = self._released_at + SCREEN_WAIT_TIMEOUT
        await self._drain()

    async def _drain(self) -> None:
        """Replay held keys once every worker the action started ran to its first await, no
        announced flow is still before its push, and the top screen is mounted and focused
        (else look again soon)."""
        if not self.app.is_running or not self.app.screen_stack:  # closing: nothing to type into
            self._held.clear()
            self._draining = False
            return
        screen = self.app.screen
        starting = any(worker.state == WorkerState.PENDING for worker in self.app.workers)
        settled = (
            not starting
            and not self._opening
            and screen.is_mounted
            and (screen.focused is not None or not screen.focus_chain)
        )
        self._announced = self._announced or bool(self._opening)
        if self._announced:  # a modal is on its way for sure: wait for it as long as it takes
            self._deadline = max(self._deadline, self._released_at + OPENING_TIMEOUT)
        if not settled and asyncio.get_running_loop().time() < self._deadline:
            self.app.set_timer(0.01, self._drain)
            return
        self._decided_at = self._flow_changes
        # the new screen's own focus moves (its on_mount focusing a field) are queued on the app
        # already: replay after them, and after the focused field handled its Focus event (an
        # input that selects its text on focus would otherwise select the first replayed key)
        self.app.call_after_refresh(self._through_focused)

    def _through_focused(self) -> None:
        focused = self.app.focused
        if focused is None or not focused.call_later(self.app.call_later, self._replay):
            self.app.call_later(self._replay)

    def _flow_changed(self) -> None:
        self._flow_changes += 1

    async def _replay(self) -> None:
        if self._flow_changes != self._decided_at:
            # a flow went on after its modal's answer, or ended (its last focus move queued),
            # after the keys were found ready: look again, after what it did
            await self._drain()
            return
        self._draining = False
        while self._held and self._pending is None:
            await self._process(self._held.popleft())
