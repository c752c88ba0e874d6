"""The `quiz` command: serve a contest, check banks and contests, import and export banks.

Only the standard library is imported at the top: `quiz serve` must
monkey-patch for eventlet or gevent before anything else is imported.
`parser` declares the arguments, `serving` runs `quiz serve`, `commands`
the rest; every command that works on a contest loads it with
`commands.load_for_command`, which installs the contest's language.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from quiz.cli import commands
from quiz.cli.commands import load_for_command, write_record
from quiz.cli.parser import ASYNC_MODES, DEMO, ROOT, build_parser
from quiz.cli.serving import serve

__all__ = [
    "ASYNC_MODES",
    "DEMO",
    "ROOT",
    "build_parser",
    "load_for_command",
    "main",
    "serve",
    "write_record",
]

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "serve": serve,
    "check": commands.check,
    "import": commands.import_bank,
    "export-bank": commands.export_bank,
    "rehearse": commands.rehearse,
    "verify": commands.verify,
    "results": commands.write_record,
    "minutes": commands.write_record,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = COMMANDS.get(args.command)
    return command(args) if command else 2


if __name__ == "__main__":
    sys.exit(main())
