"""Runs one scenario function in this (fresh) process and prints its result as one marked line.

`python -m lcconsole.bench.worker MODULE:FUNCTION --workdir DIR [--quick] [--run N]
[--profile FILE]`
prints `@@BENCH@@ {"values": {...}}`, `{"na": reason}` or `{"error": text}` as its last line.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import signal
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

MARKER = "@@BENCH@@ "


class NotReady(Exception):
    """A dependency of the scenario is not there (yet): the metric is reported as n/a."""


@dataclass
class Context:
    """What a scenario function receives: the --quick flag, a shared work dir, the repetition's
    index (`run`: scenarios that interleave a baseline alternate its order by it), a cleanup stack."""

    quick: bool
    workdir: Path
    run: int = 0
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def pick(self, full, quick):
        """`quick` when running with --quick, else `full`."""
        return quick if self.quick else full

    def interleave(self, *steps):
        """`steps` in order on even runs, reversed on odd ones (ABBA: order effects cancel)."""
        return list(steps) if self.run % 2 == 0 else list(reversed(steps))


def require(module: str):
    """Import `module` or raise NotReady naming what is missing."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise NotReady(f"{module} not available: {exc}") from None


def _load(target: str):
    mod_name, _, func = target.partition(":")
    module = importlib.import_module(f"lcconsole.bench.{mod_name}")
    return getattr(module, func)


def _emit(obj: dict) -> None:
    sys.stdout.flush()
    sys.stdout.write("\n" + MARKER + json.dumps(obj) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    """Run one scenario target once and print its marked result line."""
    p = argparse.ArgumentParser(prog="lcconsole.bench.worker")
    p.add_argument("target")
    p.add_argument("--workdir", required=True)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--run", type=int, default=0)
    p.add_argument("--profile", help="write a pyinstrument text profile of this run here")
    args = p.parse_args(argv)
    ctx = Context(quick=args.quick, workdir=Path(args.workdir), run=args.run)
    # the runner stops a timed-out worker with SIGTERM: unwind so child processes are cleaned up
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    profiler = None
    try:
        func = _load(args.target)
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005, async_mode="enabled")
            profiler.start()
        with ctx.stack:
            values = func(ctx)
        _emit({"values": values or {}})
        return 0
    except NotReady as exc:
        _emit({"na": str(exc)})
        return 0
    except BaseException as exc:  # report, never hang the parent
        tb = traceback.format_exc(limit=6)
        sys.stderr.write(tb)
        _emit({"error": f"{type(exc).__name__}: {exc}"[:300]})
        return 1
    finally:
        if profiler is not None:
            profiler.stop()
            Path(args.profile).write_text(profiler.output_text(unicode=True, show_all=False))


if __name__ == "__main__":
    sys.exit(main())
