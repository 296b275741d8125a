"""Smoke tests of `lcconsole bench`: it runs, and prints the documented JSON. Goals are not tested."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from lcconsole.bench.registry import SCENARIOS, Goal, Metric, find
from lcconsole.bench.runner import Result, format_table

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"name", "unit", "median", "min", "max", "goal"}


def test_quick_json_only_client_call_prints_documented_keys():
    out = subprocess.run(
        [sys.executable, "-m", "lcconsole", "bench", "--quick", "--json", "--runs", "1",
         "--only", "client_call_us"],
        cwd=ROOT, capture_output=True, text=True, timeout=100,
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert set(doc) == {"metrics"}
    names = [m["name"] for m in doc["metrics"]]
    assert "client_call_us" in names and "client_call_ratio" in names
    for m in doc["metrics"]:
        assert set(m) == KEYS
        if m["median"] is None:  # n/a must say why on stderr
            assert f"{m['name']}: n/a" in out.stderr
        else:
            assert m["min"] <= m["median"] <= m["max"]


def test_registry_names_are_unique_and_findable():
    names = [m.name for sc in SCENARIOS for m in sc.metrics]
    assert len(names) == len(set(names))
    for name in ["first_frame_ms", "list_ready_ms", "list_10k_paint_ms", "list_row_update_ms",
                 "thread_10k_open_ms", "push_to_screen_ms", "rss_10k_mib", "client_call_us",
                 "emulator_send_event_rps", "emulator_summary_10k_ms"]:
        assert find(name) is not None, name


def test_table_marks_pass_miss_and_na():
    ok = Result(Metric("a_ms", "ms", Goal("<=", 10)), 5.0, 4.0, 6.0, 3)
    miss = Result(Metric("b_rps", "req/s", Goal(">=", 1500)), 900.0, 800.0, 950.0, 3)
    na = Result(Metric("c_ms", "ms", Goal("<=", 1)), reason="lcconsole.ui not available")
    lines = format_table([ok, miss, na]).splitlines()
    assert lines[2].endswith("pass") and lines[3].endswith("MISS") and lines[4].endswith("n/a")
    assert "c_ms: lcconsole.ui not available" in lines[-1]
    assert na.as_json() == {"name": "c_ms", "unit": "ms", "median": None, "min": None,
                            "max": None, "goal": "<= 1"}
