"""`lcconsole bench [--quick] [--json] [--only NAME] ...`: measure and compare with the goals."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from lcconsole.bench.registry import SCENARIOS, find
from lcconsole.bench.runner import format_markdown, format_table, run_scenario, warm_bytecode


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lcconsole bench",
        description="Run the speed and scale benchmarks, each scenario in fresh processes, "
        "and print median/min/max next to each goal. Benchmarks report; they never fail on a goal.",
    )
    p.add_argument("--quick", action="store_true", help="fewer repetitions and smaller loops")
    p.add_argument("--json", action="store_true",
                   help='print {"metrics": [{"name", "unit", "median", "min", "max", "goal"}]}')
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    p.add_argument("--only", action="append", metavar="NAME",
                   help="run only this scenario or metric (repeatable)")
    p.add_argument("--runs", type=int, help="repetitions per scenario (overrides the default)")
    p.add_argument("--list", action="store_true", help="list the scenarios and metrics and exit")
    p.add_argument("--profile", metavar="DIR",
                   help="write a pyinstrument profile of each run's own process into DIR")
    p.add_argument("--workdir", metavar="DIR",
                   help="keep set-up artefacts (e.g. the 10k-chat database) here between runs")
    p.add_argument("-v", "--verbose", action="store_true", help="progress and worker stderr")
    return p


def main(argv: list[str]) -> int:
    """Entry point of `lcconsole bench`; returns 0 unless the arguments are wrong."""
    p = _parser()
    args = p.parse_args(argv)
    if args.list:
        for sc in SCENARIOS:
            for m in sc.metrics:
                print(f"{m.name:26} {m.unit:6} {str(m.goal or '-'):10} {m.what}  [{sc.name}]")
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
            results += run_scenario(sc, workdir, args.quick, args.runs, profile_dir,
                                    args.verbose, log)
    context = (f"{os.cpu_count()} CPUs; load average {load_before:.2f} before, "
               f"{os.getloadavg()[0]:.2f} after; {'quick' if args.quick else 'full'} run")
    if args.json:
        print(json.dumps({"metrics": [r.as_json() for r in results]}, indent=2))
        for r in results:
            if r.median is None:
                print(f"{r.metric.name}: n/a: {r.reason}", file=sys.stderr)
    elif args.markdown:
        print(format_markdown(results))
    else:
        print(format_table(results))
        print(f"\n({context})")
    if args.json or args.markdown:
        print(f"({context})", file=sys.stderr)
    return 0
