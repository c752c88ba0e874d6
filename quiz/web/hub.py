"""The shell's live state: who is connected, their measured links, and pushes.

The hub runs commands through the service, then pushes each audience its
view (every emit names a room), and runs the two background loops: the
ticker (deadlines, heartbeat) and the pinger (round-trip measurement).
Uses only socketio.emit / start_background_task / sleep, so it works under
eventlet, gevent and threading alike.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from flask_socketio import SocketIO

from .. import views
from ..access import Access
from ..commands import Command, Tick
from ..service import Outcome, Service
from ..timing import Link

log = logging.getLogger(__name__)

PING_EVERY = 2.0
QUICK_PINGS = 5
TICK_MAX_SLEEP = 0.1


@dataclass
class Conn:
    role: str  # board | team | mc
    team: str | None = None
    link: Link = field(default_factory=Link)


def room_of(role: str, team: str | None = None) -> str:
    return f"team:{team}" if role == "team" else role


class Hub:
    def __init__(self, socketio: SocketIO, service: Service, access: Access, urls: dict[str, str]):
        self.socketio = socketio
        self.service = service
        self.access = access
        self.urls = urls
        self.conns: dict[str, Conn] = {}
        self._started = False

    # views --------------------------------------------------------------------

    def view_for(self, conn: Conn) -> dict[str, Any]:
        svc = self.service
        with svc.lock:
            now = svc.clock()
            if conn.role == "team" and conn.team:
                return views.team_view(svc.contest, svc.state, conn.team, now)
            if conn.role == "mc":
                return self._mc(views.mc_view(svc.contest, svc.state, now))
            return views.board_view(svc.contest, svc.state, now)

    def _mc(self, view: dict[str, Any]) -> dict[str, Any]:
        counts = {t.id: 0 for t in self.service.contest.teams}
        boards = 0
        for conn in list(self.conns.values()):
            if conn.role == "team" and conn.team in counts:
                counts[conn.team] += 1
            elif conn.role == "board":
                boards += 1
        view["connections"] = counts
        view["boards_connected"] = boards
        view["links"] = {
            c.team: views.ms(c.link.rtt)
            for c in list(self.conns.values())
            if c.role == "team" and c.team and c.link.rtt is not None
        }
        view["urls"] = self.urls
        return view

    def push(self) -> None:
        """Send every audience its view of the current state."""
        svc = self.service
        with svc.lock:
            now = svc.clock()
            t = views.tables(svc.contest, svc.state)
            out: list[tuple[str, dict[str, Any]]] = [
                ("board", views.board_view(svc.contest, svc.state, now, t)),
                ("mc", self._mc(views.mc_view(svc.contest, svc.state, now, t))),
            ]
            connected = {c.team for c in list(self.conns.values()) if c.role == "team"}
            for team in svc.contest.teams:
                if team.id in connected:
                    out.append(
                        (
                            room_of("team", team.id),
                            views.team_view(svc.contest, svc.state, team.id, now, t),
                        )
                    )
        for room, view in out:
            self.socketio.emit("state", view, to=room)

    def push_mc(self) -> None:
        self.socketio.emit("state", self.view_for(Conn("mc")), to="mc")

    def run(self, command: Command) -> Outcome:
        outcome = self.service.handle(command)
        if outcome.events:
            self.push()
        return outcome

    # background loops -------------------------------------------------------------

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self.socketio.start_background_task(self._ticker)
        self.socketio.start_background_task(self._pinger)

    def _ticker(self) -> None:
        last_beat = 0.0
        while True:
            try:
                now = self.service.clock()
                alarm = self.service.alarm()
                if alarm is not None and alarm <= now:
                    self.run(Tick())
                    continue
                if now - last_beat >= 1.0:
                    self.service.heartbeat()
                    last_beat = now
                wait = TICK_MAX_SLEEP if alarm is None else min(TICK_MAX_SLEEP, alarm - now)
                self.socketio.sleep(max(0.002, wait))
            except Exception:  # the ticker must outlive any single failure
                log.exception("ticker")
                self.socketio.sleep(0.5)

    def _pinger(self) -> None:
        while True:
            try:
                for sid in list(self.conns):
                    self.ping(sid)
            except Exception:
                log.exception("pinger")
            self.socketio.sleep(PING_EVERY)

    def ping(self, sid: str) -> None:
        sent = time.time()

        def pong(*args: Any) -> None:
            conn = self.conns.get(sid)
            if conn is not None:
                conn.link.add(time.time() - sent)

        self.socketio.emit("ping", {"s": int(sent * 1000)}, to=sid, callback=pong)

    def quick_pings(self, sid: str) -> None:
        def run() -> None:
            for _ in range(QUICK_PINGS):
                if sid not in self.conns:
                    return
                self.ping(sid)
                self.socketio.sleep(0.2)

        self.socketio.start_background_task(run)
