"""`lcconsole bench [--quick] [--json] [--only NAME] ...`: measure, each figure beside its in-run
baseline, and compare the ratios with the goals."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from lcconsole.bench.registry import SCENARIOS, find
from lcconsole.bench.runner import format_markdown, format_table, machine_line, run_scenario, warm_bytecode


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lcconsole bench",
        description="Run the speed and scale benchmarks, each scenario in fresh processes, each "
        "figure beside a baseline measured in the same run (a bare Textual app, OptionList, Log, "
        "raw httpx, a bare Starlette endpoint, a bare SQLite query), and compare the ratios with "
        "the goals. Benchmarks report; they never fail on a goal.",
    )
    p.add_argument("--quick", action="store_true", help="fewer repetitions and smaller loops")
    p.add_argument(
        "--json",
        action="store_true",
        help='print {"machine": {...}, "metrics": [{"name", "unit", "median", "min", '
        '"max", "runs", "baseline", "baseline_what", "ratio", "delta", "goal": '
        '{"of": "ratio"|"delta"|"value", "op", "value"}, "met"}]}',
    )
    p.add_argument(
        "--markdown", action="store_true", help="print the table as Markdown, with ratios and a line naming the machine"
    )
    p.add_argument("--only", action="append", metavar="NAME", help="run only this scenario or metric (repeatable)")
    p.add_argument("--runs", type=int, help="repetitions per scenario (overrides the default)")
    p.add_argument("--list", action="store_true", help="list the scenarios and metrics and exit")
    p.add_argument("--profile", metavar="DIR", help="write a pyinstrument profile of each run's own process into DIR")
    p.add_argument(
        "--workdir", metavar="DIR", help="keep set-up artefacts (e.g. the 10k-chat database) here between runs"
    )
    p.add_argument("-v", "--verbose", action="store_true", help="progress and worker stderr")
    return p


def main(argv: list[str]) -> int:
    """Entry point of `lcconsole bench`; returns 0 unless the arguments are wrong."""
    p = _parser()
    args = p.parse_args(argv)
    if args.list:
        for sc in SCENARIOS:
            for m in sc.metrics:
                base = f" vs {m.baseline_what}" if m.baseline_what else ""
                print(f"{m.name:28} {m.unit:6} {str(m.goal or '-'):9} {m.what}{base}  [{sc.name}]")
        return 0
    chosen = list(SCENARIOS)
    if args.only:
        chosen = []
        for name in args.only:
            sc = find(name)
            if sc is None:
                p.error(f"unknown scenario or metric: {name} (see --list)")
            if sc not in chosen:
                chosen.append(sc)
    if args.runs is not None and not 1 <= args.runs <= 50:
        p.error("--runs must be between 1 and 50")
    profile_dir = Path(args.profile) if args.profile else None
    if profile_dir:
        profile_dir.mkdir(parents=True, exist_ok=True)

    def log(msg: str) -> None:
        if args.verbose:
            print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    log("warming the bytecode cache")
    warm_bytecode()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="lcconsole-bench-") as tmp:
        workdir = Path(args.workdir) if args.workdir else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        results = []
        for sc in chosen:
            log(f"{sc.name}: start")
            results += run_scenario(sc, workdir, args.quick, args.runs, profile_dir, args.verbose, log)
    load_after = os.getloadavg()[0]
    machine = machine_line(load_before, load_after, args.quick)
    if args.json:
        doc = {
            "machine": {
                "cpus": os.cpu_count(),
                "load_before": round(load_before, 2),
                "load_after": round(load_after, 2),
                "quick": args.quick,
                "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            },
            "metrics": [r.as_json() for r in results],
        }
        print(json.dumps(doc, indent=2))
        for r in results:
            if r.reason:
                print(f"{r.metric.name}: n/a: {r.reason}", file=sys.stderr)
        print(machine, file=sys.stderr)
    elif args.markdown:
        print(format_markdown(results, machine))
    else:
        print(format_table(results))
        print(f"\n{machine}")
    return 0
