"""The `quiz` sub-commands other than `serve`, and the contest loading they share."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.files.record import Record
    from quiz.rules.model import Contest


def load_for_command(path: str) -> Contest | None:
    """The contest a command works on, with its language installed (the rules'
    and the files' printed words in the contest's language from now on), or
    None after printing every problem of the file."""
    from quiz.files.bank import LoadError, load_contest
    from quiz.files.locale import install

    try:
        contest = load_contest(path)
    except LoadError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return None
    install(contest.language)
    return contest


def check(args: argparse.Namespace) -> int:
    from quiz.files.check import run_check

    return run_check(list(args.files), sys.stdout, sys.stderr, strict=args.strict)


def import_bank(args: argparse.Namespace) -> int:
    from quiz.files.importers import run_import

    return run_import(
        args.file,
        args.output,
        sys.stdout,
        sys.stderr,
        bank_id=args.bank,
        title=args.title,
        as_of=args.as_of,
    )


def export_bank(args: argparse.Namespace) -> int:
    from quiz.files.export import run_export
    from quiz.files.export_review import run_review

    if not args.output and not args.review:
        print("quiz export-bank: give -o FILE.xlsx, --review FILE.docx or both", file=sys.stderr)
        return 2
    code = run_export(args.bank, args.output, sys.stdout, sys.stderr) if args.output else 0
    if args.review and code == 0:
        code = run_review(args.bank, args.review, sys.stdout, sys.stderr)
    return code


def rehearse(args: argparse.Namespace) -> int:
    from quiz.rehearse.play import parse_faults
    from quiz.rehearse.play import rehearse as run_rehearsal

    try:
        faults = parse_faults(args.faults)
    except ValueError as exc:
        print(f"quiz rehearse: {exc}", file=sys.stderr)
        return 2
    if not 0 <= args.accuracy <= 1:
        print("quiz rehearse: --accuracy must be from 0 to 1", file=sys.stderr)
        return 2
    contest = load_for_command(args.contest)
    if contest is None:
        return 1
    return run_rehearsal(
        contest,
        args.contest,
        args.teams,
        faults,
        args.mc,
        sys.stdout,
        accuracy=args.accuracy,
        seed=args.seed,
        max_questions=args.questions,
        answer_within=args.answer_within,
    )


def verify(args: argparse.Namespace) -> int:
    from quiz.live.journal import verify_file

    ok, line = verify_file(Path(args.journal))
    print(line, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def write_record(args: argparse.Namespace) -> int:
    """`quiz results` and `quiz minutes`: the record of a journal, without a server."""
    from quiz.files.record import build_record
    from quiz.live.journal import JournalError
    from quiz.live.readback import read_played

    journal = Path(args.journal)
    contest = load_for_command(args.contest)
    if contest is None:
        return 1
    try:
        played = read_played(journal, contest)
    except JournalError as exc:
        print(f"error: {exc}. Nothing was written.", file=sys.stderr)
        return 1
    record = build_record(contest, played.state, played.head, played.entries)
    default = "ket-qua.xlsx" if args.command == "results" else "bien-ban.pdf"
    output = Path(args.output) if args.output else journal.parent / default
    try:
        if args.command == "results":
            from quiz.files.record_xlsx import workbook_bytes

            tmp = output.with_name(output.name + ".part")
            tmp.write_bytes(workbook_bytes(record))
            os.replace(tmp, output)
        elif not _write_minutes(record, output):
            return 1
    except OSError as exc:
        print(f"error: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"{output} written: {played.entries} entries, head {played.head}")
    return 0


def _write_minutes(record: Record, output: Path) -> bool:
    """The minutes as a PDF, or as the page itself for a .html name; False
    (with the reason printed) when no PDF can be made here."""
    from quiz.files.minutes import render_minutes, static_url

    html = render_minutes(record, static_url())
    if output.suffix.lower() in (".html", ".htm"):
        output.write_text(html, encoding="utf-8")
        return True
    from quiz.files.minutes_pdf import PdfUnavailable, html_to_pdf

    try:
        html_to_pdf(html, output)
    except PdfUnavailable as exc:
        print(f"error: {exc}. Nothing was written.", file=sys.stderr)
        return False
    return True
