"""`quiz serve`: one process, or a supervisor of an authority and its edges.

Only the standard library is imported at the top: the server must
monkey-patch for eventlet or gevent before anything else is imported.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.cli.commands import load_for_command

if TYPE_CHECKING:
    from quiz.rules.model import Contest
    from quiz.web import App, Config


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
    if args.role is None and args.workers > 1:
        return _supervise(args)
    if args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    _patch(args.async_mode)
    if args.role is not None:
        return _worker(args)

    from quiz.web import Config, data_folder
    from quiz.web.server import serve as run_server

    contest = load_for_command(args.contest)
    if contest is None:
        return 1
    config = Config(
        contest_path=Path(args.contest),
        data_dir=Path(args.data),
        async_mode=args.async_mode,
        pin=args.pin,
        jury_pin=args.jury_pin,
    )
    journal = data_folder(config, contest.id) / "journal.jsonl"
    if not _claim(args, config, contest, journal):
        return 1
    built = _build(config, contest, journal)
    if built is None:
        return 1
    built.hub.start()  # the clock runs even before any screen connects
    try:
        run_server(
            built.flask,
            built.socketio,
            args.host,
            args.port,
            ready=_announcer(args, built, contest, journal),
            max_connections=args.max_connections,
        )
    except KeyboardInterrupt:
        pass
    finally:
        built.service.close()
    return 0


def _claim(args: argparse.Namespace, config: Config, contest: Contest, journal: Path) -> bool:
    """Make this server the only one, and set the old journal aside with --fresh.

    Nothing is written before this server knows it is the only one: the
    port first (a second server on it would die after opening the journal),
    then the contest's data folder, locked for as long as this process lives.
    """
    import time

    from quiz.live.datalock import FolderLocked, hold
    from quiz.live.journal import set_aside
    from quiz.web import data_folder

    if busy := _port_in_use(args.host, args.port):
        print(f"error: {busy}. Nothing was written.", file=sys.stderr)
        return False
    try:
        hold(data_folder(config, contest.id))
    except FolderLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return False
    if args.fresh:
        moved = set_aside(journal, time.time())
        if moved:
            print(f"Previous journal kept as {moved}")
    return True


def _build(config: Config, contest: Contest, journal: Path) -> App | None:
    """The app on its journal, or None after saying why it cannot start."""
    from quiz.live.journal import JournalError
    from quiz.web import create_app

    try:
        built = create_app(config, contest)
    except (JournalError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    if built.service.journal.space_low:
        free = built.service.journal.status()["free_mb"]
        print(
            f"warning: only {free} MB free for the journal in {journal.parent}; "
            "free some space before the contest (a full disk refuses every command)",
            file=sys.stderr,
        )
    return built


def _announcer(
    args: argparse.Namespace, built: App, contest: Contest, journal: Path
) -> Callable[[tuple[str, int]], None]:
    """What runs once the server listens: the addresses, PINs and the ready file."""
    from quiz.live.access import write_private
    from quiz.web.server import lan_address

    def ready(sockname: tuple[str, int]) -> None:
        port = sockname[1]
        host = lan_address() if args.host in ("0.0.0.0", "") else args.host
        base = f"http://{host}:{port}"
        built.hub.urls.update(
            base=base, board=f"{base}/board", team=f"{base}/team", mc=f"{base}/mc"
        )
        _print_addresses(args, built, contest, journal, base)
        if args.ready_file:
            access = built.hub.access
            info = {
                "port": port,
                "base": base,
                "pin": access.pin,
                "jury_pin": access.jury_pin,
                "codes": access.codes,
                "player_codes": access.player_codes,
                "judge_codes": access.judge_codes,
                "pid": os.getpid(),
            }
            write_private(Path(args.ready_file), json.dumps(info))

    return ready


def _print_addresses(
    args: argparse.Namespace, built: App, contest: Contest, journal: Path, base: str
) -> None:
    state = "resumed from its journal" if built.service.resumed else "new"
    print(f"{contest.title}\n  contest '{contest.id}' ({state}), journal: {journal}")
    print(f"  Board (projector):  {base}/board")
    print(f"  MC console:         {base}/mc   (log in with the PIN; join sheet inside)")
    print(f"  Teams join:         {base}/team")
    if contest.players:
        print(f"  Players join:       {base}/player   ({len(contest.players)} players)")
    if built.hub.access.judge_codes:
        print(f"  Judges join:        {base}/judge")
    print(f"  MC PIN:             {built.hub.access.pin}")
    jury_pin = built.hub.access.jury_pin
    if jury_pin:
        print(f"  Jury console:       {base}/jury   (log in with the jury's PIN)")
        print(f"  Jury PIN:           {jury_pin}")
    print(f"  Async mode: {args.async_mode}. Stop with Ctrl+C.", flush=True)


def _supervise(args: argparse.Namespace) -> int:
    """`--workers N`: a supervisor, not monkey-patched: it only runs processes."""
    if args.async_mode == "threading":
        print("error: --workers needs --async-mode eventlet or gevent", file=sys.stderr)
        return 2
    from quiz.live.datalock import FolderLocked, hold, release
    from quiz.live.journal import set_aside
    from quiz.web.workers import supervise

    contest = load_for_command(args.contest)
    if contest is None:
        return 1
    folder = Path(args.data) / contest.id
    try:  # the authority holds it; a second server is refused before anything starts
        hold(folder)
        release(folder)
    except FolderLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.fresh:
        import time

        moved = set_aside(folder / "journal.jsonl", time.time())
        if moved:
            print(f"Previous journal kept as {moved}")
        args.fresh = False
    return supervise(args, contest, folder)


def _worker(args: argparse.Namespace) -> int:
    """A child of `--workers N`: the authority or an edge (quiz/web/workers.py)."""
    from quiz.web import workers

    contest = load_for_command(args.contest)
    if contest is None:
        return 1
    if not args.queue:
        print("error: --role needs --queue", file=sys.stderr)
        return 2
    if args.role == "authority":
        return workers.authority_main(args, contest, Path(args.data) / contest.id)
    return workers.edge_main(args, contest)
