"""`lcconsole` entry point: dispatches to the console or one of the headless sub-commands.

Sub-command modules are imported lazily so that `lcconsole` (the console) pays only for what it
uses before its first frame.
"""

from __future__ import annotations

import importlib
import sys

SUBCOMMANDS = {
    "api": "lcconsole.cli.api_cmd",
    "pushes": "lcconsole.cli.pushes_cmd",
    "login": "lcconsole.cli.login_cmd",
    "emulator": "lcconsole.emulator.cli",
    "bench": "lcconsole.bench.cli",
}


def main(argv: list[str] | None = None) -> int:
    """Run `lcconsole [SUBCOMMAND] ...` and return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        module = importlib.import_module(SUBCOMMANDS[args[0]])
        return module.main(args[1:])
    from lcconsole.ui.launch_keys import keep_launch_keys

    keep_launch_keys()  # before the console's imports: keys typed at launch arrive as typed
    from lcconsole.ui.cli import main as console_main

    return console_main(args)


if __name__ == "__main__":
    sys.exit(main())
