"""Runs scenarios in fresh subprocesses, aggregates repetitions and formats the results."""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lcconsole.bench.registry import Metric, Scenario
from lcconsole.bench.worker import MARKER

_PKG_ROOT = str(Path(__file__).resolve().parents[2])
PYCACHE = Path(tempfile.gettempdir()) / "lcconsole-bench-pycache"
"""Bytecode cache of every benchmarked process: fresh processes must not pay for compiling
sources (an installed wheel has its .pyc files), even where PYTHONDONTWRITEBYTECODE is set."""
WARM_MODULES = (
    "lcconsole.ui.app", "lcconsole.ui.screens.main", "lcconsole.ui.session", "lcconsole.api",
    "lcconsole.rtm", "lcconsole.emulator.cli", "lcconsole.emulator.server",
    "lcconsole.emulator.engine", "lcconsole.bench.widget_bench", "lcconsole.bench.client_bench",
    "lcconsole.bench.console_bench", "lcconsole.bench.emulator_bench", "uvicorn", "pyinstrument",
)


def worker_env() -> dict:
    """The environment of worker processes (and so of everything they start)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = _PKG_ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def warm_bytecode() -> None:
    """Import the benchmarked modules once so their bytecode is cached before anything is timed."""
    code = ("import importlib\n"
            f"for m in {WARM_MODULES!r}:\n"
            "    try:\n        importlib.import_module(m)\n"
            "    except Exception:\n        pass\n")
    subprocess.run([sys.executable, "-c", code], env=worker_env(), stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=False)


@dataclass
class Result:
    """Aggregated figures of one metric (`median` is None when n/a, with `reason`)."""

    metric: Metric
    median: float | None = None
    min: float | None = None
    max: float | None = None
    runs: int = 0
    reason: str = ""

    def status(self) -> str:
        """"pass", "MISS", "n/a" or "" (no goal)."""
        if self.median is None:
            return "n/a"
        if self.metric.goal is None:
            return ""
        return "pass" if self.metric.goal.met(self.median) else "MISS"

    def as_json(self) -> dict:
        """The documented JSON shape: name, unit, median, min, max, goal."""
        goal = self.metric.goal
        return {
            "name": self.metric.name,
            "unit": self.metric.unit,
            "median": _round(self.median),
            "min": _round(self.min),
            "max": _round(self.max),
            "goal": str(goal) if goal else None,
        }


def _round(v: float | None) -> float | None:
    if v is None:
        return None
    return round(v, 3 if abs(v) < 10 else 1)


def run_target(target: str, workdir: Path, quick: bool, timeout: float,
               profile: str | None = None, verbose: bool = False) -> dict:
    """Run `module:function` once in a fresh process; return its parsed result dict."""
    cmd = [sys.executable, "-m", "lcconsole.bench.worker", target, "--workdir", str(workdir)]
    if quick:
        cmd.append("--quick")
    if profile:
        cmd += ["--profile", profile]
    env = worker_env()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, start_new_session=True, env=env)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop_group(proc)
        return {"error": f"timed out after {timeout:g} s"}
    finally:
        if proc.poll() is None:
            _stop_group(proc)
    text = out.decode(errors="replace")
    if verbose and err:
        sys.stderr.write(err.decode(errors="replace"))
    for line in reversed(text.splitlines()):
        if line.startswith(MARKER):
            return json.loads(line[len(MARKER):])
    tail = err.decode(errors="replace").strip().splitlines()[-3:]
    return {"error": f"exit {proc.returncode}: " + " | ".join(tail)[:300]}


def _stop_group(proc: subprocess.Popen) -> None:
    """SIGTERM the worker's process group (it cleans up its children), then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run_scenario(sc: Scenario, workdir: Path, quick: bool, runs: int | None = None,
                 profile_dir: Path | None = None, verbose: bool = False,
                 log=lambda s: None) -> list[Result]:
    """Set up (once) and run `sc` `runs` times in fresh processes; aggregate per metric."""
    results = [Result(m) for m in sc.metrics]
    if sc.setup:
        log(f"{sc.name}: setup")
        res = run_target(sc.setup, workdir, quick, sc.timeout * 3, verbose=verbose)
        if "values" not in res:
            reason = res.get("na") or f"setup failed: {res.get('error')}"
            for r in results:
                r.reason = reason
            return results
    n = runs or (sc.quick_runs if quick else sc.runs)
    samples: dict[str, list[float]] = {m.name: [] for m in sc.metrics}
    reasons: list[str] = []
    for i in range(n):
        prof = str(profile_dir / f"{sc.name}-{i}.txt") if profile_dir else None
        res = run_target(sc.target, workdir, quick, sc.timeout, prof, verbose)
        if "values" in res:
            for name, value in res["values"].items():
                if name in samples and value is not None:
                    samples[name].append(float(value))
            log(f"{sc.name}: run {i + 1}/{n}: {res['values']}")
        else:
            reason = res.get("na") or f"error: {res.get('error')}"
            reasons.append(reason)
            log(f"{sc.name}: run {i + 1}/{n}: n/a ({reason})")
            if "na" in res or not any(samples.values()):
                break  # a missing dependency or a failing first run will not heal by repetition
    for r in results:
        vals = samples[r.metric.name]
        if vals:
            r.median, r.min, r.max = statistics.median(vals), min(vals), max(vals)
            r.runs = len(vals)
        else:
            r.reason = reasons[0] if reasons else "no value reported"
    return results


def format_table(results: list[Result]) -> str:
    """A plain-text table: name, unit, median, min, max, goal, pass/MISS/n/a."""
    head = ("name", "unit", "median", "min", "max", "goal", "")
    rows = [head]
    notes = []
    for r in results:
        if r.median is None:
            rows.append((r.metric.name, r.metric.unit, "n/a", "", "", str(r.metric.goal or ""), "n/a"))
            notes.append(f"  {r.metric.name}: {r.reason}")
        else:
            rows.append((r.metric.name, r.metric.unit, _fmt(r.median), _fmt(r.min), _fmt(r.max),
                         str(r.metric.goal or "-"), r.status()))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = []
    for j, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [row[i].rjust(widths[i]) for i in (2, 3, 4)]
        cells += [row[5].ljust(widths[5]), row[6]]
        lines.append("  ".join(cells).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths).rstrip())
    if notes:
        lines.append("")
        lines.append("n/a:")
        lines.extend(notes)
    return "\n".join(lines)


def format_markdown(results: list[Result]) -> str:
    """The same table in Markdown (for the README)."""
    lines = ["| name | unit | median | min | max | goal | |", "|---|---|--:|--:|--:|---|---|"]
    for r in results:
        if r.median is None:
            lines.append(f"| `{r.metric.name}` | {r.metric.unit} | n/a | | | "
                         f"{r.metric.goal or ''} | n/a: {r.reason} |")
        else:
            lines.append(f"| `{r.metric.name}` | {r.metric.unit} | {_fmt(r.median)} | "
                         f"{_fmt(r.min)} | {_fmt(r.max)} | {r.metric.goal or '-'} | {r.status()} |")
    return "\n".join(lines)


def _fmt(v: float | None) -> str:
    if v is None:
        return ""
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"
