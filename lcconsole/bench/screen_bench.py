"""Main-screen scenarios in the headless console (`ConsoleApp(connect=False)`, store filled here):
opening the tag, transfer and customer modals with many chats, and the chat list after a resync.

They drive the real screen code (its actions, `on_store_changes`), so costs that grow with the
number of chats in the store show up here, not only the widgets' own.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import tempfile
import time
from pathlib import Path

from lcconsole.bench.widget_bench import MY_ID, SIZE, PaintProbe, _settle, summary_dicts
from lcconsole.bench.worker import Context, require

MODALS = (
    ("tag", "tag", "Tag thread"),
    ("transfer", "transfer_chat", "Transfer chat"),
    ("customer", "edit_customer", "Edit customer"),
)
AGENTS = 30
TAGS = 60
NOW = int(time.time())  # one clock for every page built in this process: unchanged rows are equal


def _summaries(n: int, changed: set[int] = frozenset(), mark: str = "") -> list[list]:
    """n chat summaries as pages of 100 ChatSummary models (tags and groups vary, as at a
    real site); rows in `changed` get a new last message carrying `mark` and one more tag."""
    objects = require("lcconsole.wire.objects")
    pages = []
    for page in range((n + 99) // 100):
        dicts = summary_dicts(n, page=page, page_size=100, now=NOW)
        for d in dicts:
            i = int(d["id"][1:])
            d["last_thread_summary"]["tags"] = [f"tag{i % TAGS:02d}"] if i % 3 == 0 else []
            d["access"]["group_ids"] = [0, 1 + i % 5]
            if i in changed:
                event = d["last_event_per_type"]["message"]["event"]
                event["text"] = f"{mark} {i:05d} {event['text']}"
                d["last_thread_summary"]["tags"].append("resynced")
        pages.append([objects.ChatSummary.model_validate(d) for d in dicts])
    return pages


def _profile_and_agents(store) -> None:
    objects = require("lcconsole.wire.objects")
    store.set_profile(
        objects.MyProfile.model_validate(
            {
                "id": MY_ID,
                "type": "agent",
                "name": "Agent One",
                "routing_status": "accepting_chats",
                "permission": "administrator",
            }
        )
    )
    store.put_agents([objects.Agent(id=f"agent{k}@example.com", name=f"Agent {k}") for k in range(2, AGENTS + 2)])


def _console(ctx: Context, body) -> dict:
    """Run `body(app, pilot, screen, probe)` in the headless console (nothing connected)."""
    require("lcconsole.ui.app")
    from lcconsole.config import Settings
    from lcconsole.ui.app import ConsoleApp

    data_dir = Path(tempfile.mkdtemp(prefix="bench-console-", dir=ctx.workdir))
    app = ConsoleApp(Settings(), data_dir=data_dir, connect=False)
    probe = PaintProbe(app)
    result: dict = {}

    async def main():
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(1000):
                if app.main_screen is not None and app.main_screen.is_mounted:
                    break
                await pilot.pause(0.01)
            else:
                raise RuntimeError("the main screen did not appear")
            await _settle(pilot)
            result.update(await asyncio.wait_for(body(app, pilot, app.main_screen, probe), 280))

    asyncio.run(main())
    return result


async def _open_close(app, pilot, screen, probe, action: str, title: str) -> float:
    """ms from calling the screen's `action_<action>` (as its key binding does) until a frame
    shows the modal's `title`; then the modal is cancelled (escape) and the screen settles."""
    probe.arm()
    t0 = time.perf_counter()
    getattr(screen, f"action_{action}")()
    t1 = await probe.painted(title)
    await pilot.press("escape")
    for _ in range(500):
        if app.screen is screen:
            break
        await pilot.pause(0.01)
    else:
        raise RuntimeError(f"the {title!r} modal did not close")
    await _settle(pilot)
    return (t1 - t0) * 1000


def modals(ctx: Context) -> dict:
    """modal_{tag,transfer,customer}_10k_ms and their baselines, modal_*_100_ms, in one app: the
    store holds the first 100 chats or all 10,000 in turn (rounds alternate which comes first),
    each modal is opened a few times at each size (the first open of a round is not timed); p50
    over the rounds. (In separate processes the two sizes differed by up to ~25% with nothing
    changed: a process's speed varies more than a modal's cost.)"""
    pages = _summaries(10_000)
    first_page = {s.id for s in pages[0]}

    async def body(app, pilot, screen, probe):
        store = screen.store
        _profile_and_agents(store)
        store.set_summaries(pages[0])
        chat_id = pages[0][0].id
        from lcconsole.ui.controllers.session_controller import Lifecycle

        screen.sync.lifecycle = Lifecycle.LIVE  # the actions' guard; nothing below reaches the network
        screen.current_chat_id = chat_id
        screen.show_details()
        await _settle(pilot)
        import lcconsole.ui.modals  # noqa: F401  (the console imports them after the first resync)

        samples: dict[str, list[float]] = {f"modal_{key}_{n}_ms": [] for key, _, _ in MODALS for n in ("100", "10k")}
        for r in range(ctx.pick(4, 2)):
            for size in ("100", "10k") if (ctx.run + r) % 2 == 0 else ("10k", "100"):
                if size == "10k":
                    for page in pages[1:]:  # as the login and the resync deliver them
                        store.set_summaries(page)
                else:
                    store.retain(first_page)
                await _settle(pilot)
                assert len(store.chats) == (100 if size == "100" else 10_000)
                gc.collect()
                for key, action, title in MODALS:
                    await _open_close(app, pilot, screen, probe, action, title)  # not timed
                    for _ in range(ctx.pick(5, 3)):
                        samples[f"modal_{key}_{size}_ms"].append(
                            await _open_close(app, pilot, screen, probe, action, title)
                        )
        return {name: statistics.median(values) for name, values in samples.items()}

    return _console(ctx, body)


CHANGED = 2_000
PAINTS = 3  # baseline samples per round


def _timed_listener(store, screen) -> list[tuple[float, float]]:
    """Wrap the screen's store listener (its `on_store_changes`): the returned list collects
    (seconds, CPU seconds of the UI thread) spent in it, i.e. what the chat list and panes cost
    per store update."""
    spent: list[tuple[float, float]] = []
    original = screen.on_store_changes

    def timed(changes):
        t0, c0 = time.perf_counter(), time.thread_time()
        original(changes)
        spent.append((time.perf_counter() - t0, time.thread_time() - c0))

    store._listeners[store._listeners.index(original)] = timed
    return spent


def resync_rebuild(ctx: Context) -> dict:
    """10k chats listed; a reconnect resync delivers the 100 pages again with 2,000 rows
    changed (spread over all pages, the top visible row among them).

    list_resync_rebuild_ms: what the list costs: the time spent in the screen's store listener
    over the 100 pages plus the wait from the last page to the frame showing the change.
    list_resync_total_ms: first page -> that frame, the store's own work included (it compares
    every row of every page). Interleaved in the same app with list_paint_ms: the same 10k
    rows handed to the chat list at once (`set_items`) until painted, PAINTS times per round
    (it is short: one sample would be mostly scheduling noise). The `_cpu_ms` twins count the
    UI thread's CPU time over the same spans: on a busy machine the wall figures both carry a
    wake-up delay before their frame, which weighs more in the short baseline."""
    from lcconsole.ui.chat_items import chat_list_item
    from lcconsole.ui.widgets.chat_list import ChatList

    n = 10_000
    # also when quick: of three rounds two slow ones decided the median (the listener reads cold
    # summaries: a busy host slows it more than its baseline, and that varies between processes)
    rounds = 5
    base = _summaries(n)
    base_models = [s for page in base for s in page]

    async def body(app, pilot, screen, probe):
        store = screen.store
        _profile_and_agents(store)
        for page in base:
            store.set_summaries(page)
        chat_list = screen.query_one(ChatList)
        await _settle(pilot)
        top = int(chat_list.visible_ids[0][1:])
        resyncs = []
        for r in range(rounds):  # built before timing: the client validates pages as they come
            changed = sorted(set(range(r, n, n // CHANGED)) - {top})[: CHANGED - 1] + [top]
            resyncs.append(_summaries(n, set(changed), f"resync{r}"))
        items = [chat_list_item(s, MY_ID) for s in base_models]
        spent = _timed_listener(store, screen)
        paint, paint_cpu, rebuild, rebuild_cpu, total = [], [], [], [], []
        for r in range(rounds):
            for step in ctx.interleave("paint", "resync"):
                for page in base:  # back to the state before the resync (not timed)
                    store.set_summaries(page)
                await _settle(pilot)
                gc.collect()
                if step == "paint":
                    for _ in range(PAINTS):
                        chat_list.set_items([])
                        await _settle(pilot)
                        probe.arm()
                        t0, c0 = time.perf_counter(), time.thread_time()
                        chat_list.set_items(items)
                        t1 = await probe.painted("Bench Customer")
                        paint.append((t1 - t0) * 1000)
                        paint_cpu.append((probe.cpu - c0) * 1000)
                else:
                    spent.clear()
                    probe.arm()
                    t0 = time.perf_counter()
                    seen: set[str] = set()
                    for page in resyncs[r]:  # as resync() applies them, between HTTP answers
                        store.set_summaries(page)
                        seen.update(s.id for s in page)
                        await asyncio.sleep(0)
                    store.retain(seen)
                    applied, applied_cpu = time.perf_counter(), time.thread_time()
                    t1 = await probe.painted(f"resync{r} {top:05d}")
                    total.append((t1 - t0) * 1000)
                    rebuild.append((sum(w for w, _ in spent) + t1 - applied) * 1000)
                    rebuild_cpu.append((sum(c for _, c in spent) + probe.cpu - applied_cpu) * 1000)
                await _settle(pilot)
        return {
            "list_resync_rebuild_ms": statistics.median(rebuild),
            "list_resync_total_ms": statistics.median(total),
            "list_paint_ms": statistics.median(paint),
            "list_resync_rebuild_cpu_ms": statistics.median(rebuild_cpu),
            "list_paint_cpu_ms": statistics.median(paint_cpu),
        }

    return _console(ctx, body)
