"""`quiz serve --workers N`: one authority, N edges on one port, Redis between.

The `quiz serve` process becomes a supervisor (docs/scale.md): it starts a
private `redis-server` (unless `--queue` names one), then the authority
(quiz/web/authority.py), then N edges (quiz/web/edge.py) that all listen on
the one port with SO_REUSEPORT, the kernel spreading new connections over
them. It keeps the port bound (not listening) so a restarted edge gets it
back, restarts any child that dies, and stops them all on exit; each child
also dies with it (PR_SET_PDEATHSIG), so a killed supervisor leaves nothing.

`authority_main` and `edge_main` are the two children's entry points, run
as `quiz serve --role authority|edge` (hidden options). Both are
monkey-patched by quiz/cli.py before this module is imported.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.live.access import Access, load_access, write_private
from quiz.rules.model import Contest

if TYPE_CHECKING:
    from quiz.live.service import Service
    from quiz.web.rpc import Answerer

log = logging.getLogger(__name__)
# The edges' default runtime: gevent's push p99 was 14-37 % under eventlet's at
# every --workers stage of one quiet bench run (docs/performance.md, 3 December).
EDGE_ASYNC_MODE = "gevent"

START_TIMEOUT = 90.0  # seconds a child may take to be ready (a loaded machine)
WATCH_EVERY = 0.2  # seconds between looks at the children
MAX_RESTARTS = 5  # a child that stops this often within RESTART_WINDOW s: give up
RESTART_WINDOW = 60.0
REDIS_MISSING = (
    "error: --workers {n} needs Redis: install Debian's redis-server "
    "(apt install redis-server) or give --queue redis://HOST:PORT"
)


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the supervisor dies (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def reserve_port(host: str, port: int) -> socket.socket:
    """Bind (never listen) `host:port` with SO_REUSEPORT: the edges listen on it,
    and it stays ours while one of them restarts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # First a plain bind: it fails on a port anyone listens on, and port 0 gets
    # a port nobody holds. A bind with SO_REUSEPORT alone would join another
    # SO_REUSEPORT listener of the same user on it (another --workers server),
    # and the kernel would spread our clients over its edges too.
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
        port = int(probe.getsockname()[1])
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


class PrivateRedis:
    """A redis-server of our own on a free loopback port, with a random password,
    nothing saved to disk."""

    def __init__(self, binary: str, folder: Path) -> None:
        self.binary = binary
        self.folder = folder
        self.port = free_port()
        self.password = secrets.token_hex(16)
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        conf = self.folder / "redis.conf"
        write_private(
            conf,
            "\n".join(
                [
                    "bind 127.0.0.1",
                    f"port {self.port}",
                    f"requirepass {self.password}",
                    'save ""',
                    "appendonly no",
                    f"dir {self.folder}",
                    f"logfile {self.folder / 'redis.log'}",
                    "",
                ]
            ),
        )
        self.proc = subprocess.Popen(
            [self.binary, str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        wait_redis(self.url, self.proc)

    def stop(self) -> None:
        stop_process(self.proc)


def wait_redis(url: str, proc: subprocess.Popen[bytes] | None = None) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            client.ping()
            client.close()
            return
        except redis.RedisError as exc:
            if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
                raise RuntimeError(f"Redis at {url.split('@')[-1]} does not answer: {exc}") from exc
            time.sleep(0.05)


def stop_process(proc: subprocess.Popen[bytes] | None, timeout: float = 10) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


class Child:
    """A child `quiz serve --role ...` process and the ready file it writes."""

    def __init__(self, name: str, argv: list[str], folder: Path) -> None:
        self.name = name
        self.argv = argv
        self.ready = folder / f"ready-{name}.json"
        self.proc: subprocess.Popen[bytes] | None = None
        self.info: dict[str, Any] = {}
        self.starts = 0
        self.deaths: list[float] = []

    def failing(self) -> bool:
        """Stopped MAX_RESTARTS times within RESTART_WINDOW seconds: give up."""
        now = time.monotonic()
        self.deaths = [t for t in self.deaths if now - t < RESTART_WINDOW] + [now]
        return len(self.deaths) >= MAX_RESTARTS

    def start(self) -> None:
        self.ready.unlink(missing_ok=True)
        cmd = [sys.executable, "-m", "quiz", "serve", *self.argv, "--ready-file", str(self.ready)]
        self.proc = subprocess.Popen(cmd, preexec_fn=_die_with_parent)
        self.starts += 1

    def wait_ready(self) -> dict[str, Any]:
        deadline = time.monotonic() + START_TIMEOUT
        while not self.ready.exists():
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"the {self.name} stopped (exit {self.proc.returncode})")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the {self.name} did not start in {START_TIMEOUT:.0f} s")
            time.sleep(0.05)
        self.info = json.loads(self.ready.read_text(encoding="utf-8"))
        return self.info

    @property
    def dead(self) -> bool:
        return self.proc is not None and self.proc.poll() is not None

    def stop(self) -> None:
        stop_process(self.proc)


class Supervisor:
    """`quiz serve --workers N`, step by step: Redis, the port, the authority,
    the edges; then watch them and restart what dies; stop them all on exit."""

    def __init__(self, args: argparse.Namespace, contest: Contest, folder: Path) -> None:
        self.args = args
        self.contest = contest
        self.folder = folder
        self.queue: str = args.queue or ""
        self.private: PrivateRedis | None = None
        self.port = 0
        self.base = ""
        self.children: list[Child] = []
        self.edges: list[Child] = []
        self.authority: Child | None = None
        self.info: dict[str, Any] = {}
        self.stopping = threading.Event()

    def run(self) -> int:
        """Run the authority and `args.workers` edges until interrupted."""
        if not self.queue:
            binary = shutil.which("redis-server")
            if binary is None:
                print(REDIS_MISSING.format(n=self.args.workers), file=sys.stderr)
                return 1
            self.private = PrivateRedis(binary, self.folder / "redis")
        try:
            reserved = reserve_port(self.args.host, self.args.port)
        except OSError as exc:
            print(
                f"error: cannot listen on {self.args.host}:{self.args.port} ({exc.strerror}); "
                "is another server running? Nothing was written.",
                file=sys.stderr,
            )
            return 1
        signal.signal(signal.SIGTERM, lambda *_: self.stopping.set())
        try:
            self._address(reserved)
            self._start_queue()
            self._start_authority()
            self._start_edges()
            self._announce()
            self._write_ready()
            self._watch()
        except KeyboardInterrupt:
            pass
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        finally:
            self._stop_all()
            reserved.close()
        return 0

    def _address(self, reserved: socket.socket) -> None:
        from quiz.web.server import lan_address

        self.port = int(reserved.getsockname()[1])
        host = lan_address() if self.args.host in ("0.0.0.0", "") else self.args.host
        self.base = f"http://{host}:{self.port}"

    @property
    def runtime(self) -> Path:
        folder = self.folder / "workers"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _start_queue(self) -> None:
        if self.private is not None:
            self.private.start()
            self.queue = self.private.url
        else:
            wait_redis(self.queue)

    def _common(self, role: str) -> list[str]:
        args = self.args
        return [args.contest, "--data", args.data, "--role", role, "--queue", self.queue]

    def _start_authority(self) -> None:
        args = self.args
        self.authority = Child(
            "authority",
            [
                *self._common("authority"),
                "--base",
                self.base,
                "--async-mode",
                args.async_mode,
                *(["--pin", args.pin] if args.pin else []),
                *(["--jury-pin", args.jury_pin] if getattr(args, "jury_pin", None) else []),
                *(["--fresh"] if args.fresh else []),
            ],
            self.runtime,
        )
        self.authority.start()
        self.children.append(self.authority)
        self.info = self.authority.wait_ready()

    def _start_edges(self) -> None:
        args = self.args
        edge_args = [
            *self._common("edge"),
            "--host",
            args.host,
            "--port",
            str(self.port),
            "--base",
            self.base,
            "--async-mode",
            args.edge_async_mode or EDGE_ASYNC_MODE,
            *(["--max-connections", str(args.max_connections)] if args.max_connections else []),
        ]
        self.edges = [Child(f"edge-{i + 1}", edge_args, self.runtime) for i in range(args.workers)]
        for edge in self.edges:
            edge.start()
            self.children.append(edge)
        for edge in self.edges:
            edge.wait_ready()

    def _announce(self) -> None:
        info, base, contest = self.info, self.base, self.contest
        print(f"{contest.title}\n  contest '{contest.id}' ({info['state']}),", end=" ")
        print(f"journal: {info['journal']}")
        print(f"  Board (projector):  {base}/board")
        print(f"  MC console:         {base}/mc   (log in with the PIN; join sheet inside)")
        print(f"  Teams join:         {base}/team")
        if contest.players:
            print(f"  Players join:       {base}/player   ({len(contest.players)} players)")
        if info.get("judge_codes"):
            print(f"  Judges join:        {base}/judge")
        print(f"  MC PIN:             {info['pin']}")
        if info.get("jury_pin"):
            print(f"  Jury console:       {base}/jury   (log in with the jury's PIN)")
            print(f"  Jury PIN:           {info['jury_pin']}")
        where = "a private redis-server" if self.private else self.queue.split("@")[-1]
        print(
            f"  Workers: {self.args.workers} edges and one authority, through {where}. "
            "Stop with Ctrl+C.",
            flush=True,
        )

    def _write_ready(self) -> None:
        """The ready file (tests): what a single server's says, and the processes."""
        if not self.args.ready_file:
            return
        info, private = self.info, self.private
        status = {
            "port": self.port,
            "base": self.base,
            **{k: info.get(k) for k in ("pin", "jury_pin", "codes")},
            **{k: info.get(k) or {} for k in ("player_codes", "judge_codes")},
            "pid": os.getpid(),
            "authority_pid": self.authority.proc.pid
            if self.authority and self.authority.proc
            else None,
            "edge_pids": [e.proc.pid for e in self.edges if e.proc],
            "queue": self.queue,
            "redis_pid": private.proc.pid if private and private.proc else None,
            "starts": {c.name: c.starts for c in self.children},
        }
        write_private(Path(self.args.ready_file), json.dumps(status))

    def _watch(self) -> None:
        """Until SIGTERM: start again Redis or any child that stopped."""
        private = self.private
        while not self.stopping.wait(WATCH_EVERY):
            if private is not None and private.proc is not None and private.proc.poll() is not None:
                print("  Redis stopped: starting it again", file=sys.stderr, flush=True)
                private.start()
            if self._restart_dead():
                for child in self.children:
                    try:
                        child.wait_ready()
                    except RuntimeError as exc:
                        print(f"  {exc}", file=sys.stderr, flush=True)
                self._write_ready()

    def _restart_dead(self) -> bool:
        restarted = False
        for child in self.children:
            if not child.dead:
                continue
            if child.failing():
                raise RuntimeError(
                    f"the {child.name} stopped {MAX_RESTARTS} times within "
                    f"{RESTART_WINDOW:.0f} s; see its messages above"
                )
            print(f"  The {child.name} stopped: starting it again", file=sys.stderr, flush=True)
            child.start()
            restarted = True
        return restarted

    def _stop_all(self) -> None:
        for child in reversed(self.children):
            child.stop()
        if self.private is not None:
            self.private.stop()


def supervise(args: argparse.Namespace, contest: Contest, folder: Path) -> int:
    """Run the authority and `args.workers` edges until interrupted."""
    return Supervisor(args, contest, folder).run()


# the children ---------------------------------------------------------------------


def _ready(path: str | None, info: dict[str, Any]) -> None:
    if path:
        write_private(Path(path), json.dumps(info))


def _urls(base: str | None) -> dict[str, str]:
    base = base or ""
    return {"base": base, "board": f"{base}/board", "team": f"{base}/team", "mc": f"{base}/mc"}


def authority_main(args: argparse.Namespace, contest: Contest, folder: Path) -> int:
    """The authority: the service and its hub, answering the edges until stopped."""
    from quiz.live.journal import JournalError
    from quiz.live.service import Service
    from quiz.web.i18n import use_contest_language

    journal = folder / "journal.jsonl"
    try:
        service = Service(contest, journal)
    except JournalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    use_contest_language(contest.language)
    access = load_access(
        folder / "access.json", contest, pin=args.pin, jury_pin=getattr(args, "jury_pin", None)
    )
    answerer = _authority_hub(args, contest, service, access)
    _ready(
        args.ready_file,
        {
            "pid": os.getpid(),
            "pin": access.pin,
            "jury_pin": access.jury_pin,
            "codes": access.codes,
            "player_codes": access.player_codes,
            "judge_codes": access.judge_codes,
            "journal": str(journal),
            "state": "resumed from its journal" if service.resumed else "new",
        },
    )
    try:
        answerer.serve()
    except KeyboardInterrupt:
        pass
    finally:
        service.close()
    return 0


def _authority_hub(
    args: argparse.Namespace, contest: Contest, service: Service, access: Access
) -> Answerer:
    """The authority's hub, pushing through a write-only Socket.IO server on the
    queue, started; and the Answerer that hands it the edges' requests."""
    from flask_socketio import SocketIO

    from quiz.web import ROOT
    from quiz.web.authority import AuthorityHub
    from quiz.web.readiness import build_id
    from quiz.web.rpc import Answerer, BatchingRedisManager, channel

    manager = BatchingRedisManager(args.queue, channel=channel(contest.id), write_only=True)
    socketio = SocketIO(async_mode=args.async_mode)
    socketio.init_app(None, client_manager=manager, async_mode=args.async_mode)
    hub = AuthorityHub(socketio, service, access, _urls(args.base))
    hub.build = build_id(ROOT)  # the MC's readiness grid compares each device's with it
    hub.batch = manager.batch
    answerer = Answerer(
        args.queue,
        contest.id,
        hub.handle,
        service.clock,
        socketio.start_background_task,
        socketio.sleep,
    )
    answerer.on_recovered = lambda: hub._snapshot_later(1.0)
    hub.start()
    return answerer


def _strings(mapping: dict[Any, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in mapping.items()}


def _fetch_access(caller: Any, contest: Contest) -> Access:
    from quiz.web.rpc import Unavailable

    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            got = caller.call("access", {}, timeout=2.0)
            return Access(
                pin=got["pin"],
                codes=_strings(got["codes"]),
                secret=got["secret"],
                jury_pin=str(got.get("jury_pin") or ""),
                player_codes=_strings(got.get("player_codes") or {}),
                judge_codes=_strings(got.get("judge_codes") or {}),
            )
        except Unavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def edge_main(args: argparse.Namespace, contest: Contest) -> int:
    from pathlib import Path as _Path

    from quiz.web import ROOT, Config, make_shell, wire
    from quiz.web.edge import EdgeHub
    from quiz.web.readiness import build_id
    from quiz.web.rpc import Caller, channel
    from quiz.web.server import serve as run_server

    config = Config(
        contest_path=_Path(args.contest), data_dir=_Path(args.data), async_mode=args.async_mode
    )
    app, socketio = make_shell(config, message_queue=args.queue, channel=channel(contest.id))
    caller = Caller(
        args.queue,
        contest.id,
        f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}",
        socketio.sleep,
    )
    threading.Thread(target=caller.read_replies, daemon=True).start()
    access = _fetch_access(caller, contest)
    hub = EdgeHub(socketio, contest, caller, access, _urls(args.base))
    hub.build = build_id(ROOT)  # a device_info ack says whether the device's pages are current
    wire(app, socketio, hub)
    hub.start()

    def ready(sockname: tuple[str, int]) -> None:
        _ready(args.ready_file, {"pid": os.getpid(), "port": sockname[1], "edge": caller.edge})

    try:
        run_server(
            app,
            socketio,
            args.host,
            args.port,
            ready=ready,
            max_connections=args.max_connections,
            reuse_port=True,
        )
    except KeyboardInterrupt:
        pass
    return 0
