"""The `quiz` command's arguments: one small function per sub-command."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
DEMO = ROOT / "question_banks" / "kim-boi-2023.yaml"
ASYNC_MODES = ("eventlet", "gevent", "threading")

Subparsers = Any  # argparse's _SubParsersAction, which is private


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quiz", description="Live quiz engine for contest days.")
    sub = parser.add_subparsers(dest="command", required=True)
    _serve(sub)
    _check(sub)
    _import(sub)
    _export_bank(sub)
    _verify(sub)
    _rehearse(sub)
    _record(sub)
    return parser


def _serve(sub: Subparsers) -> None:
    serve = sub.add_parser("serve", help="run a contest (the bundled demo if no file is given)")
    serve.add_argument("contest", nargs="?", default=str(DEMO), help="contest YAML file")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    serve.add_argument("--port", type=int, default=5000, help="port (default 5000; 0 = any free)")
    serve.add_argument("--data", default="quiz-data", help="folder for journals and join codes")
    serve.add_argument("--pin", help="the MC's PIN (default: kept from the last run, or new)")
    serve.add_argument(
        "--jury-pin",
        help="the jury's PIN, when the contest has a jury (default: kept, or new)",
    )
    serve.add_argument("--async-mode", choices=ASYNC_MODES, default="eventlet")
    serve.add_argument(
        "--fresh",
        action="store_true",
        help="start a new journal; the old one is renamed, never deleted",
    )
    _serve_workers(serve)
    serve.add_argument("--ready-file", help=argparse.SUPPRESS)
    # For tests: a cap that ignores the open-file limit (to reach EMFILE).
    serve.add_argument("--max-connections", type=int, help=argparse.SUPPRESS)


def _serve_workers(serve: argparse.ArgumentParser) -> None:
    """`quiz serve --workers N` and what its children are given."""
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="edge processes holding the connections, beside one authority (default 1: "
        "a single process, no Redis; docs/scale.md)",
    )
    serve.add_argument(
        "--queue",
        metavar="redis://HOST:PORT",
        help="with --workers > 1: an existing Redis (default: start a private redis-server)",
    )
    serve.add_argument(
        "--edge-async-mode",
        choices=("eventlet", "gevent"),
        help="with --workers > 1: the edges' async mode (default gevent, "
        "docs/performance.md; the authority runs under --async-mode)",
    )
    # The children of --workers N (quiz/web/workers.py).
    serve.add_argument("--role", choices=("authority", "edge"), help=argparse.SUPPRESS)
    serve.add_argument("--base", help=argparse.SUPPRESS)


def _check(sub: Subparsers) -> None:
    check = sub.add_parser("check", help="validate bank and contest files")
    check.add_argument("files", nargs="+")
    check.add_argument(
        "--strict",
        action="store_true",
        help="fail on warnings too (long texts, repeated questions, missing sources ...)",
    )


def _import(sub: Subparsers) -> None:
    imports = sub.add_parser(
        "import", help="turn an Excel, CSV or Word file of questions into a bank"
    )
    imports.add_argument("file", help="the .xlsx, .csv or .docx file")
    imports.add_argument("-o", "--output", required=True, help="the bank YAML file to write")
    imports.add_argument("--bank", help="the bank id (default: from the file's name)")
    imports.add_argument("--title", help="the bank's title (default: the file's name)")
    imports.add_argument("--as-of", help="the date the facts are valid for, like 2023-08-29")


def _export_bank(sub: Subparsers) -> None:
    export = sub.add_parser(
        "export-bank", help="write a bank as the template spreadsheet, to review in Excel"
    )
    export.add_argument("bank", help="the bank YAML file")
    export.add_argument("-o", "--output", help="the .xlsx (or .csv) file to write")
    export.add_argument(
        "--review", metavar="FILE.docx", help="a Word document for the bank's legal reviewer"
    )


def _verify(sub: Subparsers) -> None:
    verify = sub.add_parser(
        "verify", help="check a journal's hash chain: prints its head hash, or the first bad line"
    )
    verify.add_argument("journal", help="the journal.jsonl file")


def _rehearse(sub: Subparsers) -> None:
    rehearse = sub.add_parser(
        "rehearse",
        help="play a contest with simulated teams against a real server on this machine",
    )
    rehearse.add_argument("contest", help="contest YAML file")
    rehearse.add_argument("--teams", type=int, help="how many teams play (default: all)")
    rehearse.add_argument(
        "--faults", default="", help="comma-separated: drops, slow, restart (default: none)"
    )
    rehearse.add_argument(
        "--mc",
        choices=("script", "manual"),
        default="script",
        help="script: the MC's steps are scripted; manual: a person runs the MC console",
    )
    rehearse.add_argument(
        "--accuracy", type=float, default=0.7, help="share of right answers (default 0.7)"
    )
    rehearse.add_argument("--seed", type=int, default=1, help="seed of the simulated teams")
    rehearse.add_argument("--questions", type=int, help="stop after this many questions")
    rehearse.add_argument(
        "--answer-within",
        type=float,
        default=6.0,
        help="seconds within which every simulated team answers (default 6)",
    )


def _record(sub: Subparsers) -> None:
    """`quiz results` and `quiz minutes`: the same arguments, another file."""
    for name, helptext, default in (
        ("results", "write a played contest's results as an Excel workbook", "ket-qua.xlsx"),
        ("minutes", "write a played contest's minutes (biên bản) as a PDF", "bien-ban.pdf"),
    ):
        record = sub.add_parser(name, help=helptext)
        record.add_argument("journal", help="the contest's journal.jsonl")
        record.add_argument(
            "-o",
            "--output",
            help=f"the file to write (default: {default} next to the journal"
            + ("; a .html name writes the page instead" if name == "minutes" else "")
            + ")",
        )
        record.add_argument(
            "--contest",
            default=str(DEMO),
            help="the contest file the journal was played with (default: the bundled demo, "
            "as `quiz serve`)",
        )
