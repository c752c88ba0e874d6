"""The shell's live state: who is connected, their measured links, and pushes.

The hub runs commands through the service, then pushes each audience its
view (every emit names a room), and runs the two background loops: the
ticker (deadlines, heartbeat) and the pinger (round-trip measurement).
Uses only socketio.emit / start_background_task / sleep, so it works under
eventlet, gevent and threading alike.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask_socketio import SocketIO

from .. import views
from ..access import Access
from ..commands import Command, SubmitAnswer, Tick
from ..events import AnswerAccepted
from ..service import Outcome, Service
from ..timing import Link, odd_links
from .throttle import Throttle

log = logging.getLogger(__name__)

PUSH_GAP = 0.25  # seconds: answers arriving closer than this share one push
PING_EVERY = 2.0
QUICK_PINGS = 5
TICK_MAX_SLEEP = 0.1


# What one tablet or board may send (every event counts): a burst of BURST
# messages, then RATE a second. A tablet sends a handful a minute (5 syncs on
# connect, an answer or two, a buzz); a flood beyond this is refused at once,
# before it can queue behind the lock and delay the other tablets. The MC,
# who holds the PIN, is not limited.
RATE = 10.0
BURST = 40.0

# Wrong secrets allowed per minute from all addresses together before every
# address that has failed must wait (quiz/web/throttle.py, docs/security.md).
PIN_OVERALL = 10
CODE_OVERALL = 30


@dataclass
class Budget:
    """A token bucket: whether one more message may be handled now."""

    tokens: float = BURST
    at: float | None = None

    def take(self, now: float) -> bool:
        if self.at is not None:
            self.tokens = min(BURST, self.tokens + (now - self.at) * RATE)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


@dataclass
class Conn:
    role: str  # board | team | mc
    team: str | None = None
    link: Link = field(default_factory=Link)
    budget: Budget = field(default_factory=Budget)
    sound: bool | None = None  # a board: whether it can play sound now (board_sound)


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
        self._pending_lock = threading.Lock()
        self._pending_teams: set[str] = set()
        self._flush_scheduled = False
        self._last_push = 0.0
        self._push_gap = PUSH_GAP
        self.pin_throttle = Throttle(overall=PIN_OVERALL)
        self.code_throttle = Throttle(overall=CODE_OVERALL)
        self.sound = True  # the MC's switch for the boards' sound (not journaled)

    # views --------------------------------------------------------------------

    def view_for(self, conn: Conn) -> dict[str, Any]:
        svc = self.service
        with svc.lock:
            now = svc.clock()
            if conn.role == "team" and conn.team:
                return views.team_view(svc.contest, svc.state, conn.team, now)
            if conn.role == "mc":
                return self._mc(views.mc_view(svc.contest, svc.state, now))
            return self._board(views.board_view(svc.contest, svc.state, now))

    def _board(self, view: dict[str, Any]) -> dict[str, Any]:
        """The board's lobby lists the teams whose tablet has joined."""
        joined = {c.team for c in list(self.conns.values()) if c.role == "team" and c.team}
        view["joined"] = [t.id for t in self.service.contest.teams if t.id in joined]
        view["sound"] = self.sound
        return view

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
        view["sound"] = self.sound
        view["boards_sound"] = sum(
            1 for c in list(self.conns.values()) if c.role == "board" and c.sound
        )
        view["links"] = {
            c.team: views.ms(c.link.rtt)
            for c in list(self.conns.values())
            if c.role == "team" and c.team and c.link.rtt is not None
        }
        # How far before its arrival a press from each team may be dated (the
        # worst recent round trip, capped; quiz/timing.py), the widest over the
        # team's tablets: what a tablet lying about its press time can gain.
        trust: dict[str, int] = {}
        for c in list(self.conns.values()):
            if c.role == "team" and c.team:
                trust[c.team] = max(trust.get(c.team, 0), views.ms(c.link.trust) or 0)
        view["trust"] = trust
        # Links whose delay is odd (quiz/timing.py), and the journal's head hash
        # and health (free space, a refused write).
        team_links: dict[str, list[Link]] = {}
        for c in list(self.conns.values()):
            if c.role == "team" and c.team:
                team_links.setdefault(c.team, []).append(c.link)
        view["odd_links"] = odd_links(team_links)
        view["journal"] = self.service.journal_status()
        view["urls"] = self.urls
        view["failed_logins"] = [
            {"kind": kind, "address": address, "count": count}
            for kind, throttle in (("pin", self.pin_throttle), ("code", self.code_throttle))
            for address, count in throttle.failures().items()
        ]
        return view

    def push(self, teams: set[str] | None = None, everyone: bool = True) -> None:
        """Send the board and the MC their views, and every connected team its own
        (only the teams in `teams`, when given; none when `everyone` is false)."""
        svc = self.service
        started = time.monotonic()
        with svc.lock:
            now = svc.clock()
            t = views.tables(svc.contest, svc.state)
            out: list[tuple[str, dict[str, Any]]] = [
                ("board", self._board(views.board_view(svc.contest, svc.state, now, t))),
                ("mc", self._mc(views.mc_view(svc.contest, svc.state, now, t))),
            ]
            connected = {c.team for c in list(self.conns.values()) if c.role == "team"}
            if not everyone:
                connected &= teams or set()
            for team in svc.contest.teams:
                if team.id in connected:
                    view = views.team_view(svc.contest, svc.state, team.id, now, t)
                    out.append((room_of("team", team.id), view))
        for room, view in out:
            self.socketio.emit("state", view, to=room)
        self._last_push = time.monotonic()
        # The next coalesced push waits at least as long as this one took.
        self._push_gap = max(PUSH_GAP, self._last_push - started)

    def push_mc(self) -> None:
        """The MC's view changed (a tablet connected or left): coalesced."""
        self._changed(set())

    def run(self, command: Command) -> Outcome:
        outcome = self.service.handle(command)
        if not outcome.events:
            if outcome.error is not None and outcome.error.code.startswith("journal"):
                self.push_mc()  # the MC console shows the journal's trouble
            return outcome
        if isinstance(command, SubmitAnswer) and all(
            isinstance(e, AnswerAccepted) for e in outcome.events
        ):
            # An answer changes only the board, the MC and that team's own view,
            # and a hall of tablets answers at once: those pushes are coalesced.
            self._changed({command.team})
        else:
            self.push()
        self._arm_alarm()
        return outcome

    def _changed(self, teams: set[str]) -> None:
        """Push the board, the MC and `teams` now, or once the last push is PUSH_GAP old."""
        with self._pending_lock:
            self._pending_teams |= teams
            if self._flush_scheduled:
                return
            wait = self._last_push + self._push_gap - time.monotonic()
            self._flush_scheduled = True
        if wait <= 0:
            self._flush()
        else:
            self.socketio.start_background_task(self._flush_later, wait)

    def _flush_later(self, wait: float) -> None:
        self.socketio.sleep(wait)
        self._flush()

    def _flush(self) -> None:
        with self._pending_lock:
            teams, self._pending_teams = self._pending_teams, set()
            self._flush_scheduled = False
        self.push(teams, everyone=False)

    def _arm_alarm(self) -> None:
        """Tick at the alarm itself when it falls before the ticker's next wake-up
        (a buzz winner is named `settle` seconds after the first buzz)."""
        alarm = self.service.alarm()
        if alarm is not None and alarm - self.service.clock() < TICK_MAX_SLEEP:
            self.socketio.start_background_task(self._tick_at, alarm)

    def _tick_at(self, alarm: float) -> None:
        self.socketio.sleep(max(0.0, alarm - self.service.clock()))
        due = self.service.alarm()
        if due is not None and due <= self.service.clock():
            self.run(Tick())

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
                for sid, conn in list(self.conns.items()):
                    if conn.role == "team":  # only tablets' round trips are used
                        self.ping(sid)
            except Exception:
                log.exception("pinger")
            self.socketio.sleep(PING_EVERY)

    def ping(self, sid: str) -> None:
        sent = time.monotonic()  # a round trip: immune to wall-clock changes
        stamp = self.service.clock()

        def pong(*args: Any) -> None:
            conn = self.conns.get(sid)
            if conn is not None:
                was = conn.link.odd
                conn.link.add(time.monotonic() - sent)
                if conn.link.odd != was:
                    self.push_mc()  # the MC console flags the link (or clears it)

        self.socketio.emit("ping", {"s": int(stamp * 1000)}, to=sid, callback=pong)

    def quick_pings(self, sid: str) -> None:
        conn = self.conns.get(sid)
        if conn is None or conn.role != "team":
            return

        def run() -> None:
            for _ in range(QUICK_PINGS):
                if sid not in self.conns:
                    return
                self.ping(sid)
                self.socketio.sleep(0.2)

        self.socketio.start_background_task(run)
