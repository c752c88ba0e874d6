"""The `quiz` command: serve a contest, check banks and contests, import and export banks.

Only the standard library is imported at the top: `quiz serve` must
monkey-patch for eventlet or gevent before anything else is imported.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "question_banks" / "kim-boi-2023.yaml"
ASYNC_MODES = ("eventlet", "gevent", "threading")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quiz", description="Live quiz engine for contest days.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run a contest (the bundled demo if no file is given)")
    serve.add_argument("contest", nargs="?", default=str(DEMO), help="contest YAML file")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    serve.add_argument("--port", type=int, default=5000, help="port (default 5000; 0 = any free)")
    serve.add_argument("--data", default="quiz-data", help="folder for journals and join codes")
    serve.add_argument("--pin", help="the MC's PIN (default: kept from the last run, or new)")
    serve.add_argument("--async-mode", choices=ASYNC_MODES, default="eventlet")
    serve.add_argument(
        "--fresh",
        action="store_true",
        help="start a new journal; the old one is renamed, never deleted",
    )
    serve.add_argument("--ready-file", help=argparse.SUPPRESS)
    # For tests: a cap that ignores the open-file limit (to reach EMFILE).
    serve.add_argument("--max-connections", type=int, help=argparse.SUPPRESS)

    check = sub.add_parser("check", help="validate bank and contest files")
    check.add_argument("files", nargs="+")
    check.add_argument(
        "--strict",
        action="store_true",
        help="fail on warnings too (long texts, repeated questions, missing sources ...)",
    )

    imports = sub.add_parser(
        "import", help="turn an Excel, CSV or Word file of questions into a bank"
    )
    imports.add_argument("file", help="the .xlsx, .csv or .docx file")
    imports.add_argument("-o", "--output", required=True, help="the bank YAML file to write")
    imports.add_argument("--bank", help="the bank id (default: from the file's name)")
    imports.add_argument("--title", help="the bank's title (default: the file's name)")
    imports.add_argument("--as-of", help="the date the facts are valid for, like 2023-08-29")

    export = sub.add_parser(
        "export-bank", help="write a bank as the template spreadsheet, to review in Excel"
    )
    export.add_argument("bank", help="the bank YAML file")
    export.add_argument("-o", "--output", help="the .xlsx (or .csv) file to write")
    export.add_argument(
        "--review", metavar="FILE.docx", help="a Word document for the bank's legal reviewer"
    )

    verify = sub.add_parser(
        "verify", help="check a journal's hash chain: prints its head hash, or the first bad line"
    )
    verify.add_argument("journal", help="the journal.jsonl file")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "check":
        from .check import run_check

        return run_check(list(args.files), sys.stdout, sys.stderr, strict=args.strict)
    if args.command == "import":
        from .importers import run_import

        return run_import(
            args.file,
            args.output,
            sys.stdout,
            sys.stderr,
            bank_id=args.bank,
            title=args.title,
            as_of=args.as_of,
        )
    if args.command == "export-bank":
        from .export import run_export
        from .export_review import run_review

        if not args.output and not args.review:
            print(
                "quiz export-bank: give -o FILE.xlsx, --review FILE.docx or both", file=sys.stderr
            )
            return 2
        code = run_export(args.bank, args.output, sys.stdout, sys.stderr) if args.output else 0
        if args.review and code == 0:
            code = run_review(args.bank, args.review, sys.stdout, sys.stderr)
        return code
    if args.command == "verify":
        from .journal import verify_file

        ok, line = verify_file(Path(args.journal))
        print(line, file=sys.stdout if ok else sys.stderr)
        return 0 if ok else 1
    return 2


def _patch(mode: str) -> None:
    if mode == "eventlet":
        import warnings

        warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")
        import eventlet

        eventlet.monkey_patch()
    elif mode == "gevent":
        from gevent import monkey

        monkey.patch_all()


def _port_in_use(host: str, port: int) -> str | None:
    """Why `host:port` cannot be listened on, or None (port 0 is always free)."""
    if port == 0:
        return None
    import socket

    probe = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
    except OSError as exc:
        return f"cannot listen on {host}:{port} ({exc.strerror}); is another server running?"
    finally:
        probe.close()
    return None


def serve(args: argparse.Namespace) -> int:
    _patch(args.async_mode)
    import time

    from .access import write_private
    from .bank import LoadError, load_contest
    from .journal import JournalError, set_aside
    from .web import Config, create_app, data_folder
    from .web.server import lan_address
    from .web.server import serve as run_server

    try:
        contest = load_contest(args.contest)
    except LoadError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    config = Config(
        contest_path=Path(args.contest),
        data_dir=Path(args.data),
        async_mode=args.async_mode,
        pin=args.pin,
    )
    # Nothing is written before this server knows it is the only one: the
    # port first (a second server on it would die after opening the journal),
    # then the contest's data folder, locked for as long as this process lives.
    if busy := _port_in_use(args.host, args.port):
        print(f"error: {busy}. Nothing was written.", file=sys.stderr)
        return 1
    from .datalock import FolderLocked, hold

    try:
        hold(data_folder(config, contest.id))
    except FolderLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    journal = data_folder(config, contest.id) / "journal.jsonl"
    if args.fresh:
        moved = set_aside(journal, time.time())
        if moved:
            print(f"Previous journal kept as {moved}")
    try:
        built = create_app(config, contest)
    except JournalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if built.service.journal.space_low:
        free = built.service.journal.status()["free_mb"]
        print(
            f"warning: only {free} MB free for the journal in {journal.parent}; "
            "free some space before the contest (a full disk refuses every command)",
            file=sys.stderr,
        )

    def ready(sockname: tuple[str, int]) -> None:
        port = sockname[1]
        host = lan_address() if args.host in ("0.0.0.0", "") else args.host
        base = f"http://{host}:{port}"
        built.hub.urls.update(
            base=base, board=f"{base}/board", team=f"{base}/team", mc=f"{base}/mc"
        )
        pin = built.hub.access.pin
        state = "resumed from its journal" if built.service.resumed else "new"
        print(f"{contest.title}\n  contest '{contest.id}' ({state}), journal: {journal}")
        print(f"  Board (projector):  {base}/board")
        print(f"  MC console:         {base}/mc   (log in with the PIN; join sheet inside)")
        print(f"  Teams join:         {base}/team")
        print(f"  MC PIN:             {pin}")
        print(f"  Async mode: {args.async_mode}. Stop with Ctrl+C.", flush=True)
        if args.ready_file:
            info = {
                "port": port,
                "base": base,
                "pin": pin,
                "codes": built.hub.access.codes,
                "pid": os.getpid(),
            }
            write_private(Path(args.ready_file), json.dumps(info))

    built.hub.start()  # the clock runs even before any screen connects
    try:
        run_server(
            built.flask,
            built.socketio,
            args.host,
            args.port,
            ready=ready,
            max_connections=args.max_connections,
        )
    except KeyboardInterrupt:
        pass
    finally:
        built.service.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
