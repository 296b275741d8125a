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
    "lcconsole.ui.app",
    "lcconsole.ui.screens.main",
    "lcconsole.ui.session",
    "lcconsole.api",
    "lcconsole.rtm",
    "lcconsole.emulator.cli",
    "lcconsole.emulator.server",
    "lcconsole.emulator.engine",
    "lcconsole.bench.widget_bench",
    "lcconsole.bench.client_bench",
    "lcconsole.bench.console_bench",
    "lcconsole.bench.emulator_bench",
    "lcconsole.bench.screen_bench",
    "lcconsole.bench.reconnect_bench",
    "lcconsole.bench.bare_app",
    "uvicorn",
    "pyinstrument",
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
    code = (
        "import importlib\n"
        f"for m in {WARM_MODULES!r}:\n"
        "    try:\n        importlib.import_module(m)\n"
        "    except Exception:\n        pass\n"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        env=worker_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


@dataclass
class Result:
    """Aggregated figures of one metric and of its in-run baseline (`median` None = n/a)."""

    metric: Metric
    median: float | None = None
    min: float | None = None
    max: float | None = None
    runs: int = 0
    reason: str = ""
    baseline: float | None = None

    @property
    def ratio(self) -> float | None:
        """median / baseline median, when both were measured."""
        if self.median is None or not self.baseline:
            return None
        return self.median / self.baseline

    @property
    def delta(self) -> float | None:
        """median - baseline median, when both were measured."""
        if self.median is None or self.baseline is None:
            return None
        return self.median - self.baseline

    def judged(self) -> float | None:
        """The figure the goal is about: the ratio, the delta or the median."""
        goal = self.metric.goal
        if goal is None:
            return None
        return {"ratio": self.ratio, "delta": self.delta}.get(goal.of, self.median)

    def status(self) -> str:
        """ "pass", "MISS", "n/a" or "" (no goal)."""
        if self.median is None:
            return "n/a"
        if self.metric.goal is None:
            return ""
        value = self.judged()
        if value is None:
            return "n/a"
        return "pass" if self.metric.goal.met(value) else "MISS"

    def as_json(self) -> dict:
        """The documented JSON shape (see `lcconsole bench --help`)."""
        goal = self.metric.goal
        status = self.status()
        return {
            "name": self.metric.name,
            "unit": self.metric.unit,
            "median": _round(self.median),
            "min": _round(self.min),
            "max": _round(self.max),
            "runs": self.runs,
            "baseline": _round(self.baseline),
            "baseline_what": self.metric.baseline_what or None,
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "delta": _round(self.delta),
            "goal": goal.as_json() if goal else None,
            "met": {"pass": True, "MISS": False}.get(status),
        }


def _round(v: float | None) -> float | None:
    if v is None:
        return None
    return round(v, 3 if abs(v) < 10 else 1)


def run_target(
    target: str,
    workdir: Path,
    quick: bool,
    timeout: float,
    profile: str | None = None,
    verbose: bool = False,
    run: int = 0,
) -> dict:
    """Run `module:function` once in a fresh process; return its parsed result dict."""
    cmd = [sys.executable, "-m", "lcconsole.bench.worker", target, "--workdir", str(workdir), "--run", str(run)]
    if quick:
        cmd.append("--quick")
    if profile:
        cmd += ["--profile", profile]
    env = worker_env()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, start_new_session=True, env=env
    )
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
            return json.loads(line[len(MARKER) :])
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


def run_scenario(
    sc: Scenario,
    workdir: Path,
    quick: bool,
    runs: int | None = None,
    profile_dir: Path | None = None,
    verbose: bool = False,
    log=lambda s: None,
) -> list[Result]:
    """Set up (once) and run `sc` `runs` times in fresh processes, its baseline target (if any)
    alternately with it (ABBA order), and aggregate per metric and per baseline."""
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
    samples: dict[str, list[float]] = {}
    reasons: list[str] = []
    failed = False
    for i in range(n):
        targets = [sc.target] + ([sc.baseline_target] if sc.baseline_target else [])
        if i % 2:
            targets.reverse()
        for target in targets:
            tag = f"{i}" if target == sc.target else f"{i}-baseline"
            prof = str(profile_dir / f"{sc.name}-{tag}.txt") if profile_dir else None
            res = run_target(target, workdir, quick, sc.timeout, prof, verbose, run=i)
            if "values" in res:
                for name, value in res["values"].items():
                    if value is not None:
                        samples.setdefault(name, []).append(float(value))
                log(f"{sc.name}: run {i + 1}/{n} {target}: {res['values']}")
            else:
                reason = res.get("na") or f"error: {res.get('error')}"
                reasons.append(f"{target}: {reason}")
                log(f"{sc.name}: run {i + 1}/{n} {target}: n/a ({reason})")
                # a missing dependency or a failing first run will not heal by repetition
                failed = "na" in res or not samples
        if failed:
            break
    for r in results:
        vals = samples.get(r.metric.name)
        if vals:
            r.median, r.min, r.max = statistics.median(vals), min(vals), max(vals)
            r.runs = len(vals)
        else:
            r.reason = reasons[0] if reasons else "no value reported"
        base = samples.get(r.metric.baseline or "")
        if base:
            r.baseline = statistics.median(base)
        elif r.metric.baseline and r.median is not None:
            r.reason = reasons[0] if reasons else "no baseline reported"
    return results


def _row(r: Result) -> tuple[str, ...]:
    """name, unit, median, min, max, baseline, ratio, goal, status as text."""
    goal = str(r.metric.goal or "-")
    if r.median is None:
        return (r.metric.name, r.metric.unit, "n/a", "", "", "", "", goal, "n/a")
    ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
    return (
        r.metric.name,
        r.metric.unit,
        _fmt(r.median),
        _fmt(r.min),
        _fmt(r.max),
        _fmt(r.baseline),
        ratio,
        goal,
        r.status(),
    )


def _notes(results: list[Result]) -> list[str]:
    return [f"  {r.metric.name}: {r.reason}" for r in results if r.reason]


def format_table(results: list[Result]) -> str:
    """A plain-text table: name, unit, median, min, max, baseline, ratio, goal, status."""
    head = ("name", "unit", "median", "min", "max", "baseline", "ratio", "goal", "")
    rows = [head] + [_row(r) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = []
    for j, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [row[i].rjust(widths[i]) for i in (2, 3, 4, 5, 6)]
        cells += [row[7].ljust(widths[7]), row[8]]
        lines.append("  ".join(cells).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths).rstrip())
    notes = _notes(results)
    if notes:
        lines += ["", "n/a or incomplete:", *notes]
    return "\n".join(lines)


def format_markdown(results: list[Result], machine: str) -> str:
    """The table in Markdown (for the README): ratios to the in-run baselines, what each
    baseline is, and a line naming the machine, its load and the date."""
    lines = [
        machine,
        "",
        "| metric | median | min – max | baseline (same run) | ratio | goal | |",
        "|---|--:|--:|---|--:|---|---|",
    ]
    for r in results:
        name, unit, med, lo, hi, base, ratio, goal, status = _row(r)
        what = f"{base} {unit} · {r.metric.baseline_what}" if base else ""
        span = f"{lo} – {hi}" if lo else ""
        lines.append(
            f"| `{name}` | {med} {unit if med != 'n/a' else ''} | {span} | {what} | "
            f"{ratio} | {goal} | {status} |".replace("  ", " ")
        )
    notes = _notes(results)
    if notes:
        lines += ["", *(f"- {n.strip()}" for n in notes)]
    return "\n".join(lines)


def machine_line(load_before: float, load_after: float, quick: bool) -> str:
    """Where and when: CPU count and model, load average before and after, date, run kind."""
    import datetime
    import platform

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = " (" + line.split(":", 1)[1].strip() + ")"
                break
    except OSError:
        pass
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"Measured {when} on {os.cpu_count()} CPUs{model}, load average {load_before:.2f} "
        f"before and {load_after:.2f} after; Python {platform.python_version()}; "
        f"{'quick' if quick else 'full'} run."
    )


def _fmt(v: float | None) -> str:
    if v is None:
        return ""
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"
