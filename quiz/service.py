"""The one stateful object: the contest, its state, its journal and its lock.

`handle(command)` runs under the lock: first whatever time made due (a Tick),
then the engine decides; the events are written to the journal durably, then
folded into the state; the caller pushes views and acknowledges after it
returns. A journal write that fails (disk full) refuses the command with the
journal's message and applies nothing. No Flask or Socket.IO here; the clock
is injected (by default the monotonic contest clock, quiz/clock.py), and the
data folder is locked for this process before the journal is opened.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import datalock, engine
from .clock import ContestClock
from .commands import Command, SubmitAnswer, Tick
from .events import AnswerAccepted, ClockPaused, Event
from .journal import Journal, JournalError, JournalWriteError
from .model import Contest
from .state import ContestState


@dataclass
class Outcome:
    events: list[Event] = field(default_factory=list)
    error: engine.Rejected | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


RETRY_WRITE = 1.0  # seconds between retries of due events the journal refused


class Service:
    def __init__(
        self,
        contest: Contest,
        journal_path: Path,
        clock: Callable[[], float] | None = None,
        lock: threading.RLock | None = None,
    ) -> None:
        self.contest = contest
        self.clock: Callable[[], float] = clock or ContestClock()
        self._wall: Callable[[], float] = getattr(self.clock, "wall", time.time)
        self.lock = lock or threading.RLock()
        self._folder = journal_path.parent
        datalock.hold(self._folder)
        self.journal = Journal(journal_path, contest, now=self.clock())
        self._failed_at: float | None = None  # when the journal last refused a write
        self.alive_path = journal_path.with_suffix(".alive")
        if self.journal.events and isinstance(self.clock, ContestClock):
            # A new run's clock never reads before the old run's last known moment.
            self.clock.not_before(self._last_seen())
        self.state = engine.replay(contest, self.journal.events)
        # Every answer id each team used on each question: (question, team) -> ids.
        self._answer_ids: dict[tuple[str, str], set[str]] = {}
        for event in self.journal.events:
            self._note(event)
        self.resumed = bool(self.journal.events)
        try:
            self._resume_paused()
        except JournalWriteError as exc:
            self.journal.close()
            datalock.release(self._folder)
            raise JournalError(f"{journal_path}: {exc.message}") from exc

    def _last_seen(self) -> float:
        """The last moment the previous run was known alive (its last entry or
        heartbeat, both on the contest clock)."""
        last = self.journal.events[-1].at if self.journal.events else 0.0
        try:
            last = max(last, self.alive_path.stat().st_mtime)
        except OSError:
            pass
        return last

    def _last_alive(self) -> float:
        return min(self._last_seen(), self.clock())

    def _resume_paused(self) -> None:
        """After a restart, an open question resumes paused with its remaining time."""
        if not self.resumed:
            return
        with self.lock:
            self._pause_running(self._last_alive())
            self._commit(engine.decide(self.contest, self.state, Tick(), self.clock()))
            self._pause_running(self.clock())

    def _pause_running(self, at: float) -> None:
        q = self.state.question
        clock = q.clock if q is not None else None
        if q is None or clock is None or not clock.running:
            return
        if self.state.phase not in engine.CLOCK_PHASES:
            return
        deadline = clock.deadline()
        if deadline is not None and deadline <= at:
            return  # ran out before the stop: the Tick closes it at its deadline
        self._commit([ClockPaused(at=max(at, clock.since or at), question=q.id)])

    def handle(self, command: Command) -> Outcome:
        """Decide, journal durably, apply. Never raises on a refused command."""
        with self.lock:
            now = self.clock()
            due: list[Event] = []
            try:
                if not isinstance(command, Tick):
                    due = engine.decide(self.contest, self.state, Tick(), now)
                    self._commit(due)
                try:
                    events = engine.decide(self.contest, self.state, command, now)
                except engine.Rejected as exc:
                    return Outcome(events=due, error=exc)
                if events and self._replayed(command):
                    return Outcome(events=due)
                self._commit(events)
            except JournalWriteError as exc:
                self._failed_at = now
                return Outcome(events=due, error=engine.Rejected(exc.code, exc.message))
            self._failed_at = None
            return Outcome(events=due + events)

    def _replayed(self, command: Command) -> bool:
        """An answer sent again with an id its team already used on this question.

        The engine knows only the latest answer's id, so a replay of an older one
        (a tablet resending what it sent before it changed its mind, or a message
        replayed by anyone on that tablet's connection) would count as a newer
        answer. It is acknowledged without change instead (docs/protocol.md)."""
        return (
            isinstance(command, SubmitAnswer)
            and bool(command.nonce)
            and command.nonce in self._answer_ids.get((command.question, command.team), ())
        )

    def _note(self, event: Event) -> None:
        if isinstance(event, AnswerAccepted) and event.nonce:
            self._answer_ids.setdefault((event.question, event.team), set()).add(event.nonce)

    def _commit(self, events: list[Event]) -> None:
        if not events:
            return
        self.journal.append(events, wall=self._wall())
        for event in events:
            engine.apply(self.contest, self.state, event)
            self._note(event)

    def alarm(self) -> float | None:
        with self.lock:
            alarm = engine.next_alarm(self.contest, self.state)
            if alarm is not None and self._failed_at is not None:
                # The journal refused the last write: try the due events again
                # in a second, not in a busy loop.
                alarm = max(alarm, self._failed_at + RETRY_WRITE)
            return alarm

    def heartbeat(self) -> None:
        """Mark the server alive now (read after a crash to resume the clock fairly)."""
        try:
            self.alive_path.touch()
            now = self.clock()  # on the contest clock, as the journal's times are
            os.utime(self.alive_path, (now, now))
        except OSError:
            pass

    def journal_status(self) -> dict[str, object]:
        """The journal's head hash, size and health, for the MC console."""
        with self.lock:
            return self.journal.status()

    def close(self) -> None:
        self.journal.close()
        datalock.release(self._folder)

    @property
    def snapshot_state(self) -> ContestState:
        return self.state
