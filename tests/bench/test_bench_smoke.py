"""Smoke tests of `lcconsole bench`: it runs, and prints the documented JSON. Goals are not tested."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from lcconsole.bench.registry import SCENARIOS, Goal, Metric, find
from lcconsole.bench.runner import Result, format_markdown, format_table, machine_line

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"name", "unit", "median", "min", "max", "runs", "baseline", "baseline_what", "ratio", "delta", "goal", "met"}


def test_quick_json_only_client_call_prints_documented_keys():
    out = subprocess.run(
        [sys.executable, "-m", "lcconsole", "bench", "--quick", "--json", "--runs", "1", "--only", "client_call_us"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=100,
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert set(doc) == {"machine", "metrics"}
    assert doc["machine"]["cpus"] >= 1 and doc["machine"]["quick"] is True
    [m] = doc["metrics"]
    assert set(m) == KEYS and m["name"] == "client_call_us"
    if m["median"] is None:  # n/a must say why on stderr
        assert f"{m['name']}: n/a" in out.stderr
        return
    # the figure and its in-run baseline (bare httpx), their ratio, judged against a ratio goal
    assert m["min"] <= m["median"] <= m["max"] and m["runs"] == 1
    assert m["baseline"] > 0 and "httpx" in m["baseline_what"]
    assert abs(m["ratio"] - m["median"] / m["baseline"]) < 0.01 * m["ratio"]
    assert m["goal"] == {"of": "ratio", "op": "<=", "value": 1.1}
    assert m["met"] is (m["ratio"] <= 1.1)


def test_registry_names_are_unique_and_findable():
    names = [m.name for sc in SCENARIOS for m in sc.metrics]
    assert len(names) == len(set(names))
    for name in [
        "first_frame_ms",
        "list_ready_ms",
        "first_frame_v36_ms",
        "list_ready_v36_ms",
        "list_10k_paint_ms",
        "list_row_update_ms",
        "thread_10k_open_ms",
        "push_to_screen_ms",
        "rss_10k_mib",
        "client_call_us",
        "emulator_send_event_rps",
        "emulator_summary_10k_ms",
    ]:
        assert find(name) is not None, name


def test_goals_judge_ratio_delta_or_value_against_the_in_run_baseline():
    ratio_ok = Result(Metric("a_ms", "ms", Goal("<=", 1.1), baseline="bare_ms"), 100.0, 90.0, 110.0, 3, baseline=95.0)
    ratio_miss = Result(
        Metric("b_rps", "req/s", Goal(">=", 0.5), baseline="bare_rps"), 900.0, 800.0, 950.0, 3, baseline=2000.0
    )
    delta_miss = Result(
        Metric("c_mib", "MiB", Goal("<=", 40, "delta"), baseline="bare_mib"), 80.0, 80.0, 80.0, 1, baseline=35.0
    )
    value_ok = Result(Metric("d_ms", "ms", Goal("<=", 60, "value")), 12.0, 10.0, 14.0, 3)
    no_base = Result(
        Metric("e_ms", "ms", Goal("<=", 2.0), baseline="bare_ms"), 10.0, 10.0, 10.0, 1, reason="no baseline reported"
    )
    na = Result(Metric("f_ms", "ms", Goal("<=", 1)), reason="lcconsole.ui not available")
    assert [r.status() for r in (ratio_ok, ratio_miss, delta_miss, value_ok, no_base, na)] == [
        "pass",
        "MISS",
        "MISS",
        "pass",
        "n/a",
        "n/a",
    ]
    assert ratio_miss.as_json()["ratio"] == 0.45 and delta_miss.as_json()["delta"] == 45.0
    assert delta_miss.as_json()["goal"] == {"of": "delta", "op": "<=", "value": 40}
    lines = format_table([ratio_ok, ratio_miss, delta_miss, value_ok, no_base, na]).splitlines()
    assert "1.05x" in lines[2] and lines[2].endswith("pass") and lines[3].endswith("MISS")
    assert "f_ms: lcconsole.ui not available" in lines[-1]
    assert na.as_json()["median"] is None and na.as_json()["met"] is None


def test_markdown_names_machine_and_baselines():
    r = Result(
        Metric("a_ms", "ms", Goal("<=", 1.1), baseline="bare_ms", baseline_what="a bare app"),
        100.0,
        90.0,
        110.0,
        3,
        baseline=95.0,
    )
    machine = machine_line(1.5, 0.5, quick=True)
    assert "CPUs" in machine and "load average 1.50 before and 0.50 after" in machine
    text = format_markdown([r], machine)
    assert text.splitlines()[0] == machine
    assert "| `a_ms` | 100 ms |" in text and "95.0 ms · a bare app" in text and "1.05x" in text


def test_every_ratio_goal_has_a_baseline():
    for sc in SCENARIOS:
        for m in sc.metrics:
            if m.goal is not None and m.goal.of in ("ratio", "delta"):
                assert m.baseline and m.baseline_what, m.name
