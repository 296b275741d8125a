"""The scenario registry: what is measured, in which module, with which goal.

A scenario is one function `run(ctx) -> dict[metric name, value]` in a module of this package,
executed in a fresh subprocess per repetition. One scenario may report several metrics (e.g. the
p50 and p95 of push_to_screen_ms); each metric has a unit and an optional goal.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Goal:
    """A target: `op` is "<=" or ">=" against `value`."""

    op: str
    value: float

    def met(self, measured: float) -> bool:
        """True when `measured` satisfies the goal."""
        return measured <= self.value if self.op == "<=" else measured >= self.value

    def __str__(self) -> str:
        return f"{self.op} {self.value:g}"


@dataclass(frozen=True)
class Metric:
    """One reported figure."""

    name: str
    unit: str
    goal: Goal | None = None
    what: str = ""


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

    def metric_names(self) -> list[str]:
        """Names of the metrics this scenario reports."""
        return [m.name for m in self.metrics]


def _le(v: float) -> Goal:
    return Goal("<=", v)


def _ge(v: float) -> Goal:
    return Goal(">=", v)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "first_frame_ms", "console_bench:first_frame",
        (
            Metric("first_frame_ms", "ms", _le(200), "start -> first full frame on a pty, 80x24"),
            Metric("first_frame_160x48_ms", "ms", _le(200), "same at 160x48"),
            Metric("first_frame_cpu_ms", "ms", None, "CPU time the console used until then (80x24)"),
        ),
        runs=5, quick_runs=2, timeout=90,
    ),
    Scenario(
        "list_ready_ms", "console_bench:list_ready",
        (
            Metric("list_ready_ms", "ms", _le(400), "start -> agent's chats listed (100 active)"),
            Metric("list_ready_cpu_ms", "ms", None, "CPU time the console used until then"),
        ),
        runs=5, quick_runs=2, timeout=120, setup="console_bench:setup_list_ready",
    ),
    Scenario(
        "list_10k_paint_ms", "widget_bench:list_10k_paint",
        (Metric("list_10k_paint_ms", "ms", _le(50), "set_items(10k) -> painted"),),
        runs=5, quick_runs=2, timeout=60,
    ),
    Scenario(
        "list_row_update_ms", "widget_bench:list_row_update",
        (Metric("list_row_update_ms", "ms", _le(17), "upsert one row of 10k -> repainted, p50"),),
        runs=5, quick_runs=2, timeout=60,
    ),
    Scenario(
        "thread_10k_open_ms", "widget_bench:thread_10k_open",
        (Metric("thread_10k_open_ms", "ms", _le(100), "set_entries(10k events) -> painted"),),
        runs=5, quick_runs=2, timeout=60,
    ),
    Scenario(
        "push_to_screen_ms", "console_bench:push_to_screen",
        (
            Metric("push_to_screen_ms", "ms", _le(60), "customer send_event -> on screen, p95"),
            Metric("push_to_screen_p50_ms", "ms", None, "same, p50"),
        ),
        runs=3, quick_runs=1, timeout=150,
    ),
    Scenario(
        "push_to_screen_long_ms", "console_bench:push_to_screen_long",
        (
            Metric("push_to_screen_long_ms", "ms", None, "same, open chat holds 5,000 events, p95"),
            Metric("push_to_screen_long_p50_ms", "ms", None, "same, p50"),
        ),
        runs=3, quick_runs=1, timeout=150, setup="console_bench:setup_push_long",
    ),
    Scenario(
        "rss_10k_mib", "widget_bench:rss_10k",
        (Metric("rss_10k_mib", "MiB", _le(80), "peak RSS, 10k chats listed + 10k-event thread"),),
        runs=3, quick_runs=1, timeout=90,
    ),
    Scenario(
        "client_call_us", "client_bench:client_call",
        (
            Metric("client_call_ratio", "x", _le(1.15), "AgentClient.send_event / bare httpx"),
            Metric("client_call_us", "us", None, "AgentClient.send_event round trip, p50"),
            Metric("httpx_call_us", "us", None, "bare httpx.AsyncClient post, p50"),
        ),
        runs=5, quick_runs=2, timeout=90,
    ),
    Scenario(
        "emulator_send_event_rps", "emulator_bench:send_event_rps",
        (Metric("emulator_send_event_rps", "req/s", _ge(1500), "send_event, 50 concurrent"),),
        runs=3, quick_runs=1, timeout=120,
    ),
    Scenario(
        "emulator_summary_10k_ms", "emulator_bench:summary_10k",
        (Metric("emulator_summary_10k_ms", "ms", _le(5), "get_chats_summary limit 100, p50"),),
        runs=3, quick_runs=1, timeout=120, setup="emulator_bench:setup_summary_10k",
    ),
)


def find(name: str) -> Scenario | None:
    """The scenario called `name` or reporting a metric called `name`."""
    for sc in SCENARIOS:
        if sc.name == name or name in sc.metric_names():
            return sc
    return None
