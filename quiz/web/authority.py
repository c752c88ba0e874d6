"""The authority of `quiz serve --workers N`: the one process that decides.

It holds the service (engine, journal and its lock) exactly as a single
server does, and no connection at all: the edges (quiz/web/edge.py) hold
those and ask it over Redis (quiz/web/rpc.py). Its hub pushes views with a
write-only Socket.IO server on the message queue (Flask-SocketIO
`message_queue`), which every edge delivers to its own members of each room.

What an edge tells it about its connections (role, team, measured round
trips, a board's sound) arrives as presence, every second and on each
change; an edge silent for EDGE_TIMEOUT seconds is gone (killed) and its
connections with it. Buzz settling and the MC's console use these links as
a single server uses its own. Nothing here times a press: the edge that
holds the connection stamps it (on its reading of this process's clock).
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_socketio import SocketIO

from quiz.live.access import Access
from quiz.live.service import Service
from quiz.live.timing import MAX_SETTLE, Link
from quiz.web.hub import Conn, Hub, room_of
from quiz.web.protocol import ProtocolError, error_ack, parse_command, parse_jury
from quiz.web.throttle import Throttle

log = logging.getLogger(__name__)

EDGE_TIMEOUT = 3.0  # seconds without presence after which an edge is gone
SNAPSHOT_AFTER = 1.5  # seconds after start: the edges have told who is connected


@dataclass
class Edge:
    seen: float
    conns: dict[str, Conn] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    hop: float = 0.0  # its slowest recent request's round trip to here (s)


def conn_from(record: dict[str, Any]) -> Conn:
    """A connection as its edge described it (presence)."""
    link = Link()
    for rtt in record.get("rtts") or []:
        if isinstance(rtt, int | float):
            link.add(float(rtt))
    team = record.get("team")
    judge = record.get("judge")
    sound = record.get("sound")
    info = record.get("info")
    age = record.get("age")
    return Conn(
        str(record.get("role")),
        str(team) if team is not None else None,
        link,
        sound=sound if isinstance(sound, bool) else None,
        judge=str(judge) if judge is not None else None,
        # the readiness grid's (quiz/web/readiness.py): what the device reported
        device=str(record.get("device") or ""),
        address=str(record.get("address") or ""),
        since=time.monotonic() - float(age) if isinstance(age, int | float) else 0.0,
        info=dict(info) if isinstance(info, dict) else {},
    )


class AuthorityHub(Hub):
    def __init__(
        self,
        socketio: SocketIO,
        service: Service,
        access: Access,
        urls: dict[str, str],
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(socketio, service, access, urls)
        self.edges: dict[str, Edge] = {}
        self._now = now

    def start(self) -> None:
        """The ticker runs here; the pinger on each edge (it times its own links)."""
        if self._started:
            return
        self._started = True
        self.socketio.start_background_task(self._ticker)
        self.socketio.start_background_task(self._reaper)
        self.socketio.start_background_task(self._snapshot_later, SNAPSHOT_AFTER)

    def ping(self, sid: str) -> None:
        return None

    def quick_pings(self, sid: str) -> None:
        return None

    def settle(self) -> float:
        """A press also takes its edge's hop to here (through Redis): the wait
        after a first buzz covers the slowest tablet's link and the slowest hop."""
        hop = max((e.hop for e in list(self.edges.values())), default=0.0)
        return min(MAX_SETTLE, super().settle() + hop)

    def _mc(self, view: dict[str, Any]) -> dict[str, Any]:
        view = super()._mc(view)
        for edge in list(self.edges.values()):
            view["failed_logins"] += edge.failures
        view["edges"] = {e: len(v.conns) for e, v in sorted(self.edges.items())}
        return view

    # presence -----------------------------------------------------------------------

    def _rebuild(self) -> None:
        self.conns = {sid: c for e in list(self.edges.values()) for sid, c in e.conns.items()}

    def presence(self, edge: str, args: dict[str, Any]) -> None:
        """An edge's report of its connections. A screen that connected while a
        push was on its way was not in that push (its edge had not reported it
        yet), and the view it got on connecting may be older: each screen new
        here gets its view now."""
        records = args.get("conns") or []
        conns = {str(r.get("sid")): conn_from(r) for r in records if isinstance(r, dict)}
        failures = [f for f in args.get("failures") or [] if isinstance(f, dict)]
        before = {room_of(c.role, c.judge or c.team) for c in list(self.conns.copy().values())}
        hop = args.get("hop")
        hop = min(MAX_SETTLE, float(hop)) if isinstance(hop, int | float) and hop > 0 else 0.0
        self.edges[edge] = Edge(self._now(), conns, failures, hop)
        self._rebuild()
        new = [c for c in conns.values() if room_of(c.role, c.judge or c.team) not in before]
        if any(c.role == "judge" for c in new):
            self.socketio.start_background_task(self.push)  # judges: only in full pushes
        elif new:
            self._changed({c.team for c in new if c.team and c.role in ("team", "player")})
        elif args.get("changed"):
            self.push_mc()

    def _reaper(self) -> None:
        while True:
            self.socketio.sleep(1.0)
            try:
                gone = [e for e, v in self.edges.items() if self._now() - v.seen > EDGE_TIMEOUT]
                for edge in gone:
                    log.warning("edge %s is gone", edge)
                    self.edges.pop(edge, None)
                if gone:
                    self._rebuild()
                    self.push_mc()
            except Exception:
                log.exception("reaper")

    def _snapshot_later(self, wait: float) -> None:
        """After a start (or restart) every screen gets its full view."""
        self.socketio.sleep(wait)
        self.push()

    def snapshot(self, rooms: list[str]) -> list[tuple[str, dict[str, Any]]]:
        """The current view of each of `rooms` (an edge delivers them itself)."""
        out: list[tuple[str, dict[str, Any]]] = []
        for room in rooms:
            role, _, team = room.partition(":")
            if role == "team" and team not in {t.id for t in self.service.contest.teams}:
                continue
            if role in ("board", "mc", "team"):
                out.append((room, self.view_for(Conn(role, team or None))))
        return out

    # requests -------------------------------------------------------------------------

    def handle(self, op: str, edge: str, args: dict[str, Any]) -> Any:
        """One request from an edge (quiz/web/rpc.py): `op` names a method
        `op_<op>(args)` below. The edge has parsed and validated what its client
        sent; the commands are parsed again here only to be rebuilt."""
        if op == "presence":
            self.presence(edge, args)
            return None
        method = getattr(self, f"op_{op}", None) if op.isidentifier() else None
        if method is None:
            raise ValueError(f"unknown request {op!r}")
        return method(args)

    def op_clock(self, args: dict[str, Any]) -> None:
        return None  # the reply carries the clock

    def op_access(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "pin": self.access.pin,
            "codes": self.access.codes,
            "secret": self.access.secret,
            "jury_pin": self.access.jury_pin,
            "player_codes": self.access.player_codes,
            "judge_codes": self.access.judge_codes,
        }

    def op_views(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """The views of a crowd of screens connecting to one edge (view_batch.py)."""
        conns = [
            Conn(str(role), team or None, judge=str(judge) if judge else None)
            for role, team, judge in args.get("keys") or []
        ]
        return self.views_for(conns)

    def op_snapshot(self, args: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        return self.snapshot([str(r) for r in args.get("rooms") or []])

    def op_answer(self, args: dict[str, Any]) -> dict[str, Any]:
        timing = tuple(args.get("timing") or ())
        return self.answer(str(args["team"]), dict(args["data"]), float(args["at"]), timing)

    def op_buzz(self, args: dict[str, Any]) -> dict[str, Any]:
        timing = tuple(args.get("timing") or ())
        return self.buzz(str(args["team"]), str(args["question"]), float(args["at"]), timing)

    def op_command(self, args: dict[str, Any]) -> dict[str, Any]:
        try:
            cmd = parse_command(args.get("payload"))
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        return self.command(cmd)

    def op_jury(self, args: dict[str, Any]) -> dict[str, Any]:
        try:
            cmd = parse_jury(args.get("payload"))
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        return self.jury(cmd)

    def op_star(self, args: dict[str, Any]) -> dict[str, Any]:
        return self.star(str(args["team"]))

    def op_appeal(self, args: dict[str, Any]) -> dict[str, Any]:
        return self.appeal(str(args["team"]), str(args["question"]), str(args["text"]))

    def op_score(self, args: dict[str, Any]) -> dict[str, Any]:
        return self.score(Conn("judge", judge=str(args["judge"])), args.get("payload"))

    def _throttle(self, args: dict[str, Any]) -> Throttle:
        return self.pin_throttle if args.get("kind") == "pin" else self.code_throttle

    def op_throttle_try(self, args: dict[str, Any]) -> float:
        """How long `address` must wait before its next try of a secret (edge.py)."""
        return self._throttle(args).wait(str(args.get("address")))

    def op_throttle_failed(self, args: dict[str, Any]) -> None:
        self._throttle(args).failed(str(args.get("address")))

    def op_throttle_ok(self, args: dict[str, Any]) -> None:
        self._throttle(args).succeeded(str(args.get("address")))

    def op_players_play(self, args: dict[str, Any]) -> bool:
        return self.players_play()

    def op_sound(self, args: dict[str, Any]) -> None:
        self.set_sound(bool(args["on"]))

    def op_push(self, args: dict[str, Any]) -> None:
        teams = args.get("teams")
        self.push(set(teams) if teams is not None else None, bool(args.get("everyone", True)))

    def op_push_mc(self, args: dict[str, Any]) -> None:
        self.push_mc()

    def op_was_shown(self, args: dict[str, Any]) -> bool:
        return self.was_shown(str(args["question"]))

    def op_results(self, args: dict[str, Any]) -> str:
        return self.results_csv()

    def op_results_xlsx(self, args: dict[str, Any]) -> str:
        return base64.b64encode(self.results_xlsx()).decode("ascii")

    def op_minutes(self, args: dict[str, Any]) -> str:
        return self.minutes_html(str(args.get("static") or "/static/"))


def rooms_of(conns: list[Conn]) -> list[str]:
    return sorted({room_of(c.role, c.team) for c in conns})
