"""The scenario registry: what is measured, against which in-run baseline, with which goal.

A scenario is one function `run(ctx) -> dict[key, value]` in a module of this package, executed
in a fresh subprocess per repetition. A metric names the key it reads and, for its baseline, the
key of a figure measured in the same run: reported by the same function (interleaved inside it)
or by the scenario's `baseline_target`, run in its own fresh processes alternately with the
target. Goals compare the ratio (or the difference) of the two medians, so they hold on a slower
or busier machine of the same kind; absolute goals are kept only where no baseline fits.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Goal:
    """A target: `of` ("ratio" = median / baseline, "delta" = median - baseline, "value" =
    the median itself) compared by `op` ("<=" or ">=") with `value`."""

    op: str
    value: float
    of: str = "ratio"

    def met(self, measured: float) -> bool:
        """True when `measured` (the figure named by `of`) satisfies the goal."""
        return measured <= self.value if self.op == "<=" else measured >= self.value

    def as_json(self) -> dict:
        """{"of", "op", "value"}."""
        return {"of": self.of, "op": self.op, "value": self.value}

    def __str__(self) -> str:
        if self.of == "ratio":
            return f"{self.op} {self.value:g}x"
        if self.of == "delta":
            return f"{self.op} +{self.value:g}"
        return f"{self.op} {self.value:g}"


@dataclass(frozen=True)
class Metric:
    """One reported figure and, when it has one, the key of its in-run baseline."""

    name: str
    unit: str
    goal: Goal | None = None
    what: str = ""
    baseline: str | None = None
    baseline_what: str = ""


@dataclass(frozen=True)
class Scenario:
    """A measured situation: `module:function` runs it once and returns metric values."""

    name: str
    target: str
    metrics: tuple[Metric, ...]
    runs: int = 5
    quick_runs: int = 2
    timeout: float = 120.0
    setup: str | None = None  # "module:function" run once (own process) before the runs
    baseline_target: str | None = None  # run alternately with `target`, fresh processes each

    def metric_names(self) -> list[str]:
        """Names of the metrics this scenario reports."""
        return [m.name for m in self.metrics]


def ratio_le(v: float) -> Goal:
    return Goal("<=", v)


def ratio_ge(v: float) -> Goal:
    return Goal(">=", v)


def value_le(v: float) -> Goal:
    return Goal("<=", v, "value")


BARE = "a bare Textual app (Header + Static + Footer) on the same pty"
BARE_PUSH = "the same sends to a bare Textual app writing RTM pushes into a Log, same pty harness"
PUSH_RATIO = 1.5

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "first_frame_ms",
        "console_bench:first_frame",
        (
            Metric(
                "first_frame_ms",
                "ms",
                ratio_le(1.10),
                "start -> first full frame on a pty, 80x24",
                "bare_first_frame_ms",
                BARE + ", 80x24",
            ),
            Metric(
                "first_frame_160x48_ms",
                "ms",
                ratio_le(1.10),
                "same at 160x48",
                "bare_first_frame_160x48_ms",
                BARE + ", 160x48",
            ),
            Metric(
                "first_frame_cpu_ms",
                "ms",
                None,
                "CPU time the console used until then (80x24)",
                "bare_first_frame_cpu_ms",
                "CPU time of the bare app until its first frame",
            ),
        ),
        runs=5,
        quick_runs=3,  # a start-up time swings with one late wake-up: a median, not a mean of two
        timeout=90,
    ),
    Scenario(
        "list_ready_ms",
        "console_bench:list_ready",
        (
            Metric(
                "list_ready_ms",
                "ms",
                ratio_le(2.0),
                "start -> agent's chats listed (100 active)",
                "bare_first_frame_160x48_ms",
                BARE + ", 160x48",
            ),
            Metric(
                "list_ready_cpu_ms",
                "ms",
                None,
                "CPU time the console used until then",
                "bare_first_frame_cpu_ms",
                "CPU time of the bare app until its first frame",
            ),
            Metric(
                "main_screen_ms",
                "ms",
                None,
                "start -> the main screen drawn (its composer), which takes the keys",
                "bare_first_frame_160x48_ms",
                BARE + ", 160x48",
            ),
        ),
        runs=5,
        quick_runs=3,  # as first_frame_ms
        timeout=120,
        setup="console_bench:setup_list_ready",
    ),
    Scenario(
        "list_ready_v36_ms",
        "console_bench:list_ready_v36",
        (
            Metric(
                "first_frame_v36_ms",
                "ms",
                ratio_le(1.05),
                "start -> first full frame, v3.6 with a PAT, 160x48, 100 chats",
                "v30_first_frame_ms",
                "the same console over v3.0 with a token, same emulator, same run",
            ),
            Metric(
                "list_ready_v36_ms",
                "ms",
                ratio_le(1.05),
                "start -> agent's chats listed, v3.6 with a PAT",
                "v30_list_ready_ms",
                "the same console over v3.0 with a token, same emulator, same run",
            ),
        ),
        runs=5,
        quick_runs=5,  # two consoles that differ by ~1%, one start by ±6%: as many pairs as a full run
        timeout=150,
        setup="console_bench:setup_list_ready",
    ),
    Scenario(
        "list_10k_paint_ms",
        "widget_bench:list_10k_paint",
        (
            Metric(
                "list_10k_paint_ms",
                "ms",
                ratio_le(0.1),
                "ChatList.set_items(10k) -> painted",
                "optionlist_10k_paint_ms",
                "OptionList.add_options(10k) -> painted",
            ),
        ),
        runs=5,
        quick_runs=2,
        timeout=60,
        baseline_target="widget_bench:optionlist_10k_paint",
    ),
    Scenario(
        "list_row_update_ms",
        "widget_bench:list_row_update",
        (
            Metric(
                "list_row_update_ms",
                "ms",
                ratio_le(0.1),
                "upsert one row of 10k -> repainted, p50",
                "optionlist_row_update_ms",
                "OptionList: replace one prompt of 10k -> repainted, p50",
            ),
        ),
        runs=5,
        quick_runs=2,
        timeout=60,
        baseline_target="widget_bench:optionlist_row_update",
    ),
    Scenario(
        "thread_10k_open_ms",
        "widget_bench:thread_10k_open",
        (
            Metric(
                "thread_10k_open_ms",
                "ms",
                ratio_le(1.5),
                "set_entries(10k events) -> painted",
                "log_10k_ms",
                "Textual Log.write_lines(the same 10k texts) -> painted",
            ),
            Metric(
                "thread_10k_open_cpu_ms",
                "ms",
                None,
                "same, CPU time of the UI thread (holds under load)",
                "log_10k_cpu_ms",
                "CPU time of the UI thread for the same Log.write_lines -> painted",
            ),
        ),
        runs=5,
        quick_runs=2,
        timeout=60,
        baseline_target="widget_bench:log_10k",
    ),
    Scenario(
        "modals_10k",
        "screen_bench:modals",
        tuple(
            Metric(
                f"modal_{key}_10k_ms",
                "ms",
                ratio_le(1.2),
                f"{title} modal: action -> painted, 10k chats in the store, p50",
                f"modal_{key}_100_ms",
                "the same with 100 chats in the store",
            )
            for key, title in (("tag", "tag"), ("transfer", "transfer"), ("customer", "edit customer"))
        ),
        runs=2,
        quick_runs=1,
        timeout=300,
    ),
    Scenario(
        "list_resync_rebuild_ms",
        "screen_bench:resync_rebuild",
        (
            Metric(
                "list_resync_rebuild_ms",
                "ms",
                ratio_le(3.0),
                "10k listed; resync of 100 pages changing 2,000 rows: list updates + paint",
                "list_paint_ms",
                "ChatList.set_items(the same 10k rows) -> painted, same app",
            ),
            Metric(
                "list_resync_rebuild_cpu_ms",
                "ms",
                None,
                "same, CPU time of the UI thread (holds under load)",
                "list_paint_cpu_ms",
                "CPU time of the UI thread for the same set_items -> painted",
            ),
            Metric(
                "list_resync_total_ms",
                "ms",
                None,
                "same, first page -> painted, the store comparing every row included",
                "list_paint_ms",
                "ChatList.set_items(the same 10k rows) -> painted, same app",
            ),
        ),
        runs=3,
        quick_runs=1,
        timeout=300,
    ),
    Scenario(
        "push_to_screen_ms",
        "console_bench:push_to_screen",
        (
            Metric(
                "push_to_screen_ms",
                "ms",
                ratio_le(PUSH_RATIO),
                "customer send_event -> on screen, p95",
                "bare_push_ms",
                BARE_PUSH + ", p95",
            ),
            Metric(
                "push_to_screen_p50_ms",
                "ms",
                None,
                "same, p50",
                "bare_push_p50_ms",
                BARE_PUSH + ", p50",
            ),
            Metric("push_http_ms", "ms", None, "the customer's send_event round trip alone, p95 (context)"),
        ),
        runs=3,
        quick_runs=1,
        timeout=150,
    ),
    Scenario(
        "push_to_screen_long_ms",
        "console_bench:push_to_screen_long",
        (
            Metric(
                "push_to_screen_long_ms",
                "ms",
                None,
                "same, open chat holds 5,000 events, p95",
                "bare_push_long_ms",
                BARE_PUSH + ", p95",
            ),
            Metric(
                "push_to_screen_long_p50_ms",
                "ms",
                None,
                "same, p50",
                "bare_push_long_p50_ms",
                BARE_PUSH + ", p50",
            ),
            Metric("push_http_long_ms", "ms", None, "the customer's send_event round trip alone, p95 (context)"),
        ),
        runs=3,
        quick_runs=1,
        timeout=150,
        setup="console_bench:setup_push_long",
    ),
    Scenario(
        "rss_10k_mib",
        "widget_bench:rss_10k",
        (
            Metric(
                "rss_10k_mib",
                "MiB",
                Goal("<=", 40, "delta"),
                "peak RSS, 10k chats listed + 10k-event thread",
                "bare_rss_mib",
                "peak RSS of the bare Textual app, same headless harness",
            ),
        ),
        runs=3,
        quick_runs=1,
        timeout=90,
        baseline_target="widget_bench:bare_rss",
    ),
    Scenario(
        "reconnect_consistent_ms",
        "reconnect_bench:reconnect_consistent",
        (
            Metric(
                "reconnect_consistent_ms",
                "ms",
                ratio_le(1.0),
                "10k chats; 8 s cut with 500 events meanwhile; restore -> store equals the API",
                "first_sync_ms",
                "start -> the same 10k chats in the store, same process",
            ),
        ),
        runs=3,
        quick_runs=1,
        timeout=600,
        setup="emulator_bench:setup_summary_10k",
    ),
    Scenario(
        "list_100k_paint_ms",
        "widget_bench:list_100k_paint",
        (
            Metric(
                "list_100k_paint_ms",
                "ms",
                ratio_le(3.0),
                "ChatList.set_items(100k) -> painted",
                "list_10k_paint_ms",
                "ChatList.set_items(10k) -> painted",
            ),
        ),
        runs=3,
        quick_runs=1,
        timeout=180,
        baseline_target="widget_bench:list_10k_paint",
    ),
    Scenario(
        "rss_100k_mib",
        "widget_bench:rss_100k",
        (
            Metric(
                "rss_100k_mib",
                "MiB",
                ratio_le(2.5),
                "peak RSS, 100k chats listed + 10k-event thread",
                "rss_10k_mib",
                "the same with 10k chats",
            ),
        ),
        runs=2,
        quick_runs=1,
        timeout=600,
        baseline_target="widget_bench:rss_10k",
    ),
    Scenario(
        "client_call_us",
        "client_bench:client_call",
        (
            Metric(
                "client_call_us",
                "us",
                ratio_le(1.10),
                "AgentClient.send_event round trip, p50",
                "httpx_call_us",
                "bare httpx.AsyncClient post, p50, call by call",
            ),
        ),
        runs=5,
        quick_runs=2,
        timeout=90,
    ),
    Scenario(
        "emulator_send_event_rps",
        "emulator_bench:send_event_rps",
        (
            Metric(
                "emulator_send_event_rps",
                "req/s",
                ratio_ge(0.5),
                "send_event, 50 concurrent",
                "bare_endpoint_rps",
                "bare Starlette + uvicorn JSON endpoint, same settings",
            ),
        ),
        runs=3,
        quick_runs=3,  # one run is two short rounds a side: the bare endpoint alone swings 4.2-7.2k req/s
        timeout=120,
    ),
    Scenario(
        "emulator_summary_10k_ms",
        "emulator_bench:summary_10k",
        (
            Metric(
                "emulator_summary_10k_ms",
                "ms",
                None,
                "get_chats_summary limit 100, p50",
                "sqlite_summary_10k_ms",
                "the same 100 rows read by a bare SQLite query, p50",
            ),
        ),
        runs=3,
        quick_runs=1,
        timeout=120,
        setup="emulator_bench:setup_summary_10k",
    ),
)


def find(name: str) -> Scenario | None:
    """The scenario called `name` or reporting a metric called `name`."""
    for sc in SCENARIOS:
        if sc.name == name or name in sc.metric_names():
            return sc
    return None
