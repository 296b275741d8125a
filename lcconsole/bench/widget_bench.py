"""Widget scenarios in a headless Textual app: the chat list and the transcript at 10k.

Painting is timed from the call that hands data to the widget until the screen's next update has
been composed *and* turned into terminal bytes (the headless driver skips the latter, so the probe
does it itself), i.e. the work a real terminal frame costs.
"""

from __future__ import annotations

import asyncio
import gc
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

from lcconsole.bench.worker import Context, NotReady, require

SIZE = (160, 48)
MY_ID = "agent1@example.com"
CUSTOMER = "Bench Customer"


def _styles_dir() -> Path:
    """The console's stylesheet directory (source checkout or installed wheel)."""
    try:
        from lcconsole.ui.app import styles_dir
    except ImportError:
        return Path(__file__).resolve().parents[2] / "styles"
    return styles_dir()


class PaintProbe:
    """Wraps `app._display`: records when each frame is painted and what text it carried."""

    def __init__(self, app):
        self.app = app
        self.stamp = 0.0
        self.cpu = 0.0  # the UI thread's CPU time (time.thread_time()) at that frame
        self.text = ""
        self._event = asyncio.Event()
        original = app._display

        def display(screen, renderable):
            original(screen, renderable)
            if renderable is None:
                return
            render = getattr(renderable, "render_segments", None)
            self.text = render(app.console) if (render and app.is_headless) else ""
            self.stamp = time.perf_counter()
            self.cpu = time.thread_time()
            self._event.set()

        app._display = display

    def arm(self) -> None:
        """Forget earlier frames; call just before the change to time."""
        self._event.clear()

    async def painted(self, needle: str, timeout: float = 10.0) -> float:
        """perf_counter() of the first frame (since arm) whose bytes contain `needle` (its CPU
        stamp is then in `cpu`)."""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no frame showing {needle!r} within {timeout:g} s")
            await asyncio.wait_for(self._event.wait(), left)
            self._event.clear()
            if needle in self.text:
                return self.stamp


def _widgets():
    try:
        from lcconsole.ui.widgets.chat_list import ChatList
        from lcconsole.ui.widgets.transcript import Transcript
    except ImportError as exc:
        raise NotReady(f"lcconsole.ui.widgets not available: {exc}") from None
    return ChatList, Transcript


def _app_class(with_transcript: bool = True, left=None, right=None):
    """A two-pane app like the console's: the chat list left, the transcript right.

    `left` / `right`: widget factories replacing them (the baselines: OptionList, Log)."""
    from textual.app import App
    from textual.containers import Horizontal

    if left is None or (with_transcript and right is None):
        ChatList, Transcript = _widgets()
        left = left or (lambda: ChatList(id="bench-list"))
        right = right or (lambda: Transcript(id="bench-thread"))
    css_paths = [str(p) for p in (_styles_dir() / "panes.tcss",) if p.exists()]

    class BenchApp(App):
        CSS_PATH = css_paths or None
        CSS = "#bench-list { width: 42; } #bench-thread { width: 1fr; }"

        def compose(self):
            with Horizontal():
                yield left()
                if with_transcript:
                    yield right()

    return BenchApp


def chat_items(n: int, seed: int = 7) -> list:
    """n realistic chat-list rows (sections, waiting times, tags, previews)."""
    vm = require("lcconsole.ui.chat_items")
    rnd = random.Random(seed)
    now = time.time()
    sections = ("mine", "queued", "followed", "closed")
    words = "order refund shipping invoice password login delivery account broken thanks".split()
    items = []
    for i in range(n):
        section = sections[i % 4]
        last = now - rnd.uniform(0, 86400)
        items.append(
            vm.ChatListItem(
                chat_id=f"C{i:09d}",
                section=section,
                customer_name=f"{CUSTOMER} {i:05d}",
                preview=" ".join(rnd.choice(words) for _ in range(rnd.randint(3, 14))),
                waiting_since=last if section in ("mine", "queued") and i % 3 else None,
                unread=rnd.randint(0, 4),
                tags=("vip",) if i % 10 == 0 else (),
                followed=section == "followed",
                last_activity=last,
            )
        )
    return items


def thread_model(n: int, seed: int = 11):
    """(Thread, users) with n events: mostly messages, some notes, system messages and files
    (the thread and users of `thread_chat`)."""
    chat = thread_chat(n, seed)
    return chat.threads[0], {user.id: user for user in chat.users}


def thread_chat(n: int, seed: int = 11, chat_id: str = "C-bench"):
    """The chat of a `get_chat_threads` answer with one n-event thread, read from its JSON body
    as the console reads it (`Gateway30.chat`; the body built one event at a time: the answer
    never exists here as dicts either)."""
    rnd = random.Random(seed)
    now = int(time.time()) - n * 10
    cust = "b7eff798-f8df-4364-8059-649c35c9ed0c"
    words = (
        "hello could you please check my order it has not arrived yet and the tracking "
        "page says nothing useful thanks a lot"
    ).split()
    events: list[str] = []  # each event's JSON
    for i in range(n):
        kind = i % 25 if i < n - 1 else 0  # the newest event is a message: it must be visible
        base = {"id": f"T0000000001_{i + 1}", "order": i + 1, "timestamp": now + i * 10}
        if kind == 24:
            event = {
                **base,
                "type": "system_message",
                "text": "Chat transferred",
                "system_message_type": "routing.assigned",
            }
        elif kind == 23:
            event = {
                **base,
                "type": "file",
                "author_id": cust,
                "name": f"shot{i}.png",
                "url": f"http://127.0.0.1/files/shot{i}.png",
                "content_type": "image/png",
                "size": 20480,
                "width": 640,
                "height": 480,
            }
        else:
            text = " ".join(rnd.choice(words) for _ in range(rnd.randint(3, 60)))
            event = {
                **base,
                "type": "message",
                "author_id": MY_ID if i % 2 else cust,
                "recipients": "agents" if kind == 22 else "all",
                "text": f"{text} [event {i:05d}]",
            }
        events.append(json.dumps(event))
    thread_json = {
        "id": "T0000000001",
        "timestamp": now,
        "order": 1,
        "active": True,
        "user_ids": [cust, MY_ID],
        "events": [],
        "tags": ["bench"],
    }
    users = [
        {"id": cust, "type": "customer", "name": "Thread Customer"},
        {"id": MY_ID, "type": "agent", "name": "Agent One"},
    ]
    head = json.dumps({"chat": {"id": chat_id, "users": users, "threads": [thread_json]}})
    body = head.replace('"events": []', '"events": [' + ", ".join(events) + "]").encode()
    del events
    answer = require("lcconsole.wire.compact_events").chat_threads_answer  # as the console reads it
    return answer(body).chat


async def _settle(pilot) -> None:
    await pilot.pause()
    await asyncio.sleep(0.05)
    await pilot.pause()


def _run(coro_fn, with_transcript: bool = True, app_class=None):
    app = (app_class or _app_class(with_transcript))()
    probe = PaintProbe(app)
    result = {}

    async def main():
        async with app.run_test(size=SIZE) as pilot:
            await _settle(pilot)
            result.update(await asyncio.wait_for(coro_fn(app, pilot, probe), 60))

    asyncio.run(main())
    return result


def list_10k_paint(ctx: Context) -> dict:
    """list_10k_paint_ms: ChatList.set_items(10,000 rows) -> first frame showing them."""
    return {"list_10k_paint_ms": _list_paint(10_000)}


def list_100k_paint(ctx: Context) -> dict:
    """list_100k_paint_ms: ChatList.set_items(100,000 rows) -> first frame showing them."""
    return {"list_100k_paint_ms": _list_paint(100_000)}


def _list_paint(n: int) -> float:
    """ms from ChatList.set_items(n rows) to the first frame showing them."""
    items = chat_items(n)

    async def scenario(app, pilot, probe):
        chat_list = app.query_one("#bench-list")
        gc.collect()  # garbage from building the data is not the widget's to pay
        probe.arm()
        t0 = time.perf_counter()
        chat_list.set_items(items)
        t1 = await probe.painted(CUSTOMER)
        return {"ms": (t1 - t0) * 1000}

    return _run(scenario, with_transcript=False)["ms"]


def list_row_update(ctx: Context) -> dict:
    """list_row_update_ms: upsert one visible row of a 10,000-row list -> repainted (p50)."""
    import dataclasses
    import re

    items = chat_items(10_000)
    by_name = {it.customer_name: it for it in items}

    async def scenario(app, pilot, probe):
        chat_list = app.query_one("#bench-list")
        probe.arm()
        chat_list.set_items(items)
        await probe.painted(CUSTOMER)
        visible = re.findall(rf"{CUSTOMER} \d{{5}}", probe.text)
        if not visible:
            raise RuntimeError("no row visible after set_items")
        target = by_name[visible[0]]
        samples = []
        for k in range(ctx.pick(30, 10)):
            await _settle(pilot)
            marker = f"upd{k:04d}"
            item = dataclasses.replace(target, preview=f"{marker} new message", unread=k % 5)
            probe.arm()
            t0 = time.perf_counter()
            chat_list.upsert(item)
            t1 = await probe.painted(marker)
            samples.append((t1 - t0) * 1000)
        return {"list_row_update_ms": statistics.median(samples)}

    return _run(scenario, with_transcript=False)


def thread_10k_open(ctx: Context) -> dict:
    """thread_10k_open_ms: view models built from the fetched thread + set_entries -> painted
    (thread_10k_open_cpu_ms: the UI thread's CPU time over the same span)."""
    vm = require("lcconsole.ui.viewmodels")
    thread, users = thread_model(10_000)

    async def scenario(app, pilot, probe):
        transcript = app.query_one("#bench-thread")
        gc.collect()  # garbage from building the data is not the widget's to pay
        probe.arm()
        t0, c0 = time.perf_counter(), time.thread_time()
        transcript.set_entries(vm.transcript_entries(thread, users, MY_ID))
        t1 = await probe.painted("09999")
        return {"thread_10k_open_ms": (t1 - t0) * 1000, "thread_10k_open_cpu_ms": (probe.cpu - c0) * 1000}

    return _run(scenario)


def _option_prompt(item) -> str:
    """An OptionList prompt with what a chat-list row shows: name, section, unread, preview."""
    unread = f" ({item.unread})" if item.unread else ""
    return f"{item.customer_name}{unread} · {item.section}\n{item.preview}"


def _option_app():
    from textual.widgets import OptionList

    return _app_class(with_transcript=False, left=lambda: OptionList(id="bench-list", markup=False))


def optionlist_10k_paint(ctx: Context) -> dict:
    """Baseline of list_10k_paint_ms: OptionList.add_options(the same 10k rows) -> painted."""
    items = chat_items(10_000)
    prompts = [_option_prompt(it) for it in items]

    async def scenario(app, pilot, probe):
        option_list = app.query_one("#bench-list")
        gc.collect()
        probe.arm()
        t0 = time.perf_counter()
        option_list.add_options(prompts)
        t1 = await probe.painted(CUSTOMER)
        return {"optionlist_10k_paint_ms": (t1 - t0) * 1000}

    return _run(scenario, app_class=_option_app())


def optionlist_row_update(ctx: Context) -> dict:
    """Baseline of list_row_update_ms: replace one visible prompt of a 10k OptionList (p50)."""
    items = chat_items(10_000)

    async def scenario(app, pilot, probe):
        option_list = app.query_one("#bench-list")
        probe.arm()
        option_list.add_options([_option_prompt(it) for it in items])
        await probe.painted(CUSTOMER)
        samples = []
        for k in range(ctx.pick(30, 10)):
            await _settle(pilot)
            marker = f"upd{k:04d}"
            probe.arm()
            t0 = time.perf_counter()
            option_list.replace_option_prompt_at_index(0, f"{items[0].customer_name}\n{marker}")
            t1 = await probe.painted(marker)
            samples.append((t1 - t0) * 1000)
        return {"optionlist_row_update_ms": statistics.median(samples)}

    return _run(scenario, app_class=_option_app())


def log_10k(ctx: Context) -> dict:
    """Baseline of thread_10k_open_ms: Textual's Log fed the texts of the same 10k events.

    Log does not wrap, so each line starts with its `[event N]` marker (the transcript shows it
    at the end of the wrapped message): the same characters, and the newest one visible."""
    thread, _users = thread_model(10_000)
    lines = []
    for event in thread.events:
        text = getattr(event, "text", None) or getattr(event, "name", None) or event.type
        marker = f"[event {event.order - 1:05d}]"
        lines.append(f"{marker} {text.replace(' ' + marker, '')}")
    del thread

    def right():
        from textual.widgets import Log

        return Log(id="bench-thread")

    async def scenario(app, pilot, probe):
        log = app.query_one("#bench-thread")
        gc.collect()
        probe.arm()
        t0, c0 = time.perf_counter(), time.thread_time()
        log.write_lines(lines)
        t1 = await probe.painted("09999")
        return {"log_10k_ms": (t1 - t0) * 1000, "log_10k_cpu_ms": (probe.cpu - c0) * 1000}

    return _run(scenario, app_class=_app_class(True, right=right))


def summary_dicts(
    n: int, seed: int = 5, page: int = 0, page_size: int | None = None, now: int | None = None
) -> list[dict]:
    """n get_chats_summary entries as the wire carries them (customer + agent, last message);
    with `page_size`, only page `page` of them (the same entries, built one page at a time);
    `now`: the clock they are relative to (the same `now` builds the same entries)."""
    rnd = random.Random(seed * 1_000_003 + page if page_size else seed)
    now = int(time.time()) if now is None else now
    words = "order refund shipping invoice password login delivery account broken thanks".split()
    out = []
    start = page * page_size if page_size else 0
    for i in range(start, min(n, start + page_size) if page_size else n):
        cust = f"{i:08x}-f8df-4364-8059-649c35c9ed0c"
        agents = [MY_ID] if i % 4 == 0 else []
        users = [
            {
                "id": cust,
                "type": "customer",
                "name": f"{CUSTOMER} {i:05d}",
                "email": f"customer{i}@example.com",
                "present": True,
                "last_seen_timestamp": now - rnd.randint(0, 9999),
            }
        ]
        users += [
            {"id": a, "type": "agent", "name": "Agent One", "email": a, "present": True, "last_seen_timestamp": now}
            for a in agents
        ]
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(3, 14)))
        out.append(
            {
                "id": f"C{i:09d}",
                "users": users,
                "order": now * 1000 + i,
                "is_followed": False,
                "access": {"group_ids": [0]},
                "properties": {"routing": {"continuous": False}},
                "last_event_per_type": {
                    "message": {
                        "thread_id": f"T{i:09d}",
                        "thread_order": 1,
                        "event": {
                            "id": f"T{i:09d}_3",
                            "type": "message",
                            "order": 3,
                            "timestamp": now - i,
                            "author_id": cust,
                            "text": text,
                            "recipients": "all",
                        },
                    }
                },
                "last_thread_summary": {
                    "id": f"T{i:09d}",
                    "order": 1,
                    "timestamp": now - i,
                    "active": i % 4 != 3,
                    "user_ids": [cust, *agents],
                    "tags": ["vip"] if i % 10 == 0 else [],
                    "properties": {},
                },
            }
        )
    return out


def rss_10k(ctx: Context) -> dict:
    """rss_10k_mib: peak RSS of a console-like process: the client store holding 10k chat
    summaries and a 10k-event thread (wire models), the chat list and transcript showing them."""
    return {"rss_10k_mib": _rss(10_000)}


def rss_100k(ctx: Context) -> dict:
    """rss_100k_mib: the same with 100k chat summaries (and the same 10k-event thread)."""
    return {"rss_100k_mib": _rss(100_000)}


def _rss(n: int) -> float:
    """Peak RSS (MiB) with n chat summaries stored and listed, and a 10k-event thread shown."""
    vm = require("lcconsole.ui.viewmodels")
    rows = require("lcconsole.ui.chat_items")
    store_mod = require("lcconsole.ui.store")
    objects = require("lcconsole.wire.objects")
    for optional in ("lcconsole.api", "lcconsole.rtm"):  # the console process imports these too
        try:
            __import__(optional)
        except ImportError:
            pass
    store = store_mod.Store()
    for page in range(n // 100):  # as the console gets them: get_chats_summary pages of 100
        dicts = summary_dicts(n, page=page, page_size=100)
        store.set_summaries([objects.ChatSummary.model_validate(d) for d in dicts])
    del dicts
    chat_id = next(iter(store.chats))
    store.merge_chat(thread_chat(10_000, chat_id=chat_id))  # as the console merges a thread read
    items = [rows.chat_list_item(s, MY_ID, chat_id=k) for k, s in store.chats.items()]  # as the painter

    async def scenario(app, pilot, probe):
        probe.arm()
        app.query_one("#bench-list").set_items(items)
        await probe.painted(CUSTOMER)
        entries = []
        for t in store.loaded_threads(chat_id):
            entries += vm.transcript_entries(t, store.chat_users(chat_id), MY_ID)
        probe.arm()
        app.query_one("#bench-thread").set_entries(entries)
        await probe.painted("09999")
        await _settle(pilot)
        return {}

    _run(scenario)
    return _peak_rss_mib()


def _peak_rss_mib() -> float:
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":
        peak_kib //= 1024
    return peak_kib / 1024


def bare_rss(ctx: Context) -> dict:
    """Baseline of rss_10k_mib: peak RSS of the bare Textual app in the same headless harness."""
    from lcconsole.bench.bare_app import TEXT, BareApp

    app = BareApp()
    probe = PaintProbe(app)

    async def main():
        async with app.run_test(size=SIZE) as pilot:
            await probe.painted(TEXT[:20])
            await _settle(pilot)

    asyncio.run(main())
    return {"bare_rss_mib": _peak_rss_mib()}
