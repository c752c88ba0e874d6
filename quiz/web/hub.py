"""The shell's live state: who is connected, their measured links, and pushes.

The hub runs commands through the service, then pushes each audience its
view (every emit names a room), and runs the two background loops: the
ticker (deadlines, heartbeat) and the pinger (round-trip measurement).
Uses only socketio.emit / start_background_task / sleep, so it works under
eventlet, gevent and threading alike. What each audience is shown is built by
HubViews (quiz/web/hub_views.py); one connection is a `Conn` (quiz/web/conn.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from flask_socketio import SocketIO

from quiz.live.access import Access
from quiz.live.service import Outcome, Service
from quiz.live.timing import settle_time
from quiz.rules import jury_view, views
from quiz.rules.commands import (
    Buzz,
    Command,
    FileAppeal,
    OpenAnswers,
    PlaceStar,
    SubmitAnswer,
    Tick,
)
from quiz.rules.events import (
    AnswerAccepted,
    AnswersOpened,
    AppealFiled,
    BuzzLockedOut,
    BuzzRecorded,
)
from quiz.rules.judge_view import judge_view
from quiz.web.conn import BURST, RATE, Budget, Conn, clock_error, room_of
from quiz.web.devices import Devices
from quiz.web.hub_record import HubRecord
from quiz.web.hub_views import LEAD_PERCENTILE, MAX_LEAD, PLAYER_FORMATS, HubViews
from quiz.web.pings import Pings
from quiz.web.practice import Practice
from quiz.web.protocol import error_ack
from quiz.web.throttle import Throttle

__all__ = [
    "BURST",
    "LEAD_PERCENTILE",
    "MAX_LEAD",
    "PLAYER_FORMATS",
    "RATE",
    "Budget",
    "Conn",
    "Hub",
    "clock_error",
    "room_of",
]

log = logging.getLogger(__name__)

PUSH_GAP = 0.25  # seconds: answers arriving closer than this share one push
TICK_MAX_SLEEP = 0.1


# Wrong secrets allowed per minute from all addresses together before every
# address that has failed must wait (quiz/web/throttle.py, docs/security.md).
PIN_OVERALL = 10
CODE_OVERALL = 30


class Hub(HubViews, HubRecord, Pings):
    """Commands in, pushes out; the views are built by HubViews (quiz/web/hub_views.py)."""

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
        # Extra arguments of the emits that must reach this process's own
        # connections directly (pings, timed on this process; see quiz/web/edge.py).
        self.direct: dict[str, Any] = {}
        # Groups one push's emits (the authority's message queue sends them in one go).
        self.batch: Callable[[], AbstractContextManager[None]] = nullcontext
        self._push_took = 0.0  # seconds the last full push took to build and send
        self._pushing = False  # inside push(): a coalesced push must wait
        self.opening: tuple[str, float] | None = None  # (question, instant answering opens)
        self.build = ""  # the pages' build id (readiness.build_id)
        self.devices = Devices(self)
        self.practice = Practice()

    # what the handlers ask for: each returns the ack --------------------------------

    def answer(
        self, team: str, data: dict[str, Any], at: float, timing: tuple[Any, ...] = ()
    ) -> dict[str, Any]:
        """A tablet's answer (parsed, its press time already bounded): run it, ack it.
        `timing`: what the jury sees of the press (arrival, claimed, earliest)."""
        cmd = SubmitAnswer(data["question"], team, data["value"], at, data["nonce"], *timing)
        outcome = self.run(cmd)
        if outcome.error is not None:
            return error_ack(outcome.error.code, outcome.error.message)
        return {
            "ok": True,
            "v": self.service.state.seq,
            "received": True,
            "answer": self.my_answer(team, data["question"]),
        }

    def buzz(
        self, team: str, question: str, at: float, timing: tuple[Any, ...] = ()
    ) -> dict[str, Any]:
        """A tablet's buzz: the engine waits for presses still on their way over
        the slowest connected tablet's link (quiz/live/timing.py)."""
        outcome = self.run(Buzz(question, team, at, self.settle(), *timing))
        if outcome.error is not None:
            return error_ack(outcome.error.code, outcome.error.message)
        status = "buzzed"
        if any(isinstance(e, BuzzLockedOut) for e in outcome.events):
            status = "locked_out"
        elif any(isinstance(e, BuzzRecorded) and e.late for e in outcome.events):
            status = "late"  # kept in the order; another team is answering
        elif not outcome.events:
            status = "duplicate"
        return {"ok": True, "v": self.service.state.seq, "status": status}

    def settle(self) -> float:
        """How long after a first buzz presses still on their way may come in:
        the slowest connected tablet's link (quiz/live/timing.py)."""
        return settle_time([c.link for c in list(self.conns.copy().values()) if c.role == "team"])

    def command(self, cmd: Command, payload: Any = None) -> dict[str, Any]:
        """An MC command (parsed from `payload`)."""
        return self._acked(cmd)

    def jury(self, cmd: Command, payload: Any = None) -> dict[str, Any]:
        """A jury command (parsed from `payload`): review, decide_appeal, sign_off..."""
        return self._acked(cmd)

    def star(self, team: str) -> dict[str, Any]:
        """The team in turn places its star of hope on its next question (turns)."""
        return self._acked(PlaceStar(team=team, by="team"))

    def _acked(self, cmd: Command) -> dict[str, Any]:
        outcome = self.run(cmd)
        if outcome.error is not None:
            return error_ack(outcome.error.code, outcome.error.message)
        return {"ok": True, "v": self.service.state.seq}

    def appeal(self, team: str, question: str, text: str) -> dict[str, Any]:
        """A team's appeal of a revealed question; the ack names the appeal."""
        outcome = self.run(FileAppeal(team, question, text, by="team"))
        if outcome.error is not None:
            return error_ack(outcome.error.code, outcome.error.message)
        filed = [e for e in outcome.events if isinstance(e, AppealFiled)]
        return {"ok": True, "v": self.service.state.seq, "appeal": filed[-1].id}

    def score(self, conn: Conn | None, payload: Any) -> dict[str, Any]:
        """A judge's score for the team called (quiz/web/judged_sockets.py)."""
        from quiz.web.judged_sockets import handle_score

        return handle_score(self, conn, payload)

    def set_sound(self, on: bool) -> None:
        """The MC's switch for the boards' sound."""
        self.sound = on
        self.push(everyone=False)

    def was_shown(self, question: str) -> bool:
        """Whether `question` has been shown (its image may be served)."""
        with self.service.lock:
            return question in self.service.state.questions

    def push(self, teams: set[str] | None = None, everyone: bool = True) -> None:
        """Send the board and the MC their views, and every connected team its own
        (only the teams in `teams`, when given; none when `everyone` is false)."""
        svc = self.service
        started = time.monotonic()
        with svc.lock:
            now = svc.clock()
            t = views.tables(svc.contest, svc.decided)
            out: list[tuple[str, dict[str, Any]]] = [
                ("board", self._board(views.board_view(svc.contest, svc.decided, now, t))),
                ("mc", self._mc(views.mc_view(svc.contest, svc.decided, now, t))),
            ]
            if any(c.role == "jury" for c in list(self.conns.copy().values())):
                out.append(
                    ("jury", self._jury(jury_view.jury_view(svc.contest, svc.decided, now, t)))
                )
            connected = {c.team for c in list(self.conns.copy().values()) if c.role == "team"}
            if not everyone:
                connected &= teams or set()
            for team in svc.contest.teams:
                if team.id in connected:
                    view = self._team(
                        views.team_view(svc.contest, svc.decided, team.id, now, t), now
                    )
                    out.append((room_of("team", team.id), view))
            out.extend(self._player_views(now, teams, everyone))
            judges = {c.judge for c in list(self.conns.copy().values()) if c.role == "judge"}
            for judge in svc.contest.judges:
                if judge.id in judges and everyone:
                    view = judge_view(svc.contest, svc.decided, judge.id, now)
                    out.append((room_of("judge", judge.id), view))
        self._pushing = True
        try:
            with self.batch():
                for room, view in out:
                    self.socketio.emit("state", self._opens(view), to=room)
        finally:
            self._pushing = False
        self._last_push = time.monotonic()
        if everyone:
            self._push_took = self._last_push - started
        # The next coalesced push waits at least as long as this one took.
        self._push_gap = max(PUSH_GAP, self._last_push - started)

    def push_mc(self) -> None:
        """The MC's view changed (a tablet connected or left): coalesced."""
        self._changed(set())

    def run(self, command: Command) -> Outcome:
        """Run a command; the outcome once its events are on disk.

        A tablet's answer or buzz and a tick are pushed as soon as they are
        decided: the push does not wait for the journal's sync, only the ack
        does. An MC command (it may show a question or reveal a key) is pushed
        once on disk, so a write the disk refuses never shows anything secret.
        If the journal refuses the write after an early push, the state is
        rebuilt without it and everyone gets the view again."""
        lead = 0.0
        if isinstance(command, OpenAnswers):  # a little ahead (docs/protocol.md "Opening time")
            lead = self.opening_lead(self._round_format())
        pending = self.service.submit(command, lead)
        early = isinstance(command, (SubmitAnswer, Buzz, Tick))
        if early:
            self._pushed(command, pending.outcome)
        outcome = pending.wait()
        if early and outcome is not pending.outcome and pending.outcome.events:
            self.push()  # the early push showed what the disk refused
            self._arm_alarm()
        if not early or outcome is not pending.outcome:
            self._pushed(command, outcome)
        return outcome

    def _pushed(self, command: Command, outcome: Outcome) -> None:
        """Push what `outcome` changed."""
        for event in outcome.events:
            if isinstance(event, AnswersOpened):
                self.opening = (event.question, event.at)
        if not outcome.events:
            if outcome.error is not None and outcome.error.code.startswith("journal"):
                self.push_mc()  # the MC console shows the journal's trouble
            return
        if isinstance(command, SubmitAnswer) and all(
            isinstance(e, AnswerAccepted) for e in outcome.events
        ):
            # An answer changes only the board, the MC and that team's own view,
            # and a hall of tablets answers at once: those pushes are coalesced.
            self._changed({command.team})
        else:
            self.push()
        self._arm_alarm()

    def _round_format(self) -> str | None:
        svc = self.service
        with svc.lock:
            index = svc.decided.round
            return (
                svc.contest.rounds[index].format if 0 <= index < len(svc.contest.rounds) else None
            )

    def _changed(self, teams: set[str]) -> None:
        """Push the board, the MC and `teams` now, or once the last push is PUSH_GAP old."""
        with self._pending_lock:
            self._pending_teams |= teams
            if self._flush_scheduled:
                return
            wait = self._last_push + self._push_gap - time.monotonic()
            if self._pushing:
                # Called from within a push (a socket found dead while sending
                # closes, and its disconnect lands here): later, never nested.
                wait = max(wait, self._push_gap)
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
