"""The one stateful object: the contest, its state, its journal and its lock.

`submit(command)` runs under the lock: first whatever time made due (a Tick),
then the engine decides; the events are chained into the journal's queue and
folded into `decided`, the state every decision and view is made from, in
decision order, and the lock is released. The caller may push views at once;
`Pending.wait()` then waits (without the lock, and without blocking the event
loop) until the journal's writer has synced those events and folds what is
synced into `state`, the state of the synced events only, which acks and
results read; the caller acknowledges after it. `handle` is both.
A journal write that fails (disk full) refuses the command with the
journal's message: the state is rebuilt from the synced events, so nothing
of it (or of any command decided after it) stays applied. No Flask or Socket.IO here; the clock
is injected (by default the monotonic contest clock, quiz/clock.py), and the
data folder is locked for this process before the journal is opened.
"""

from __future__ import annotations

import copy
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from quiz.live import datalock
from quiz.live.clock import ContestClock
from quiz.live.journal import Journal, JournalError, JournalWriteError, Ticket
from quiz.rules import engine
from quiz.rules.commands import Command, SubmitAnswer, Tick
from quiz.rules.events import AnswerAccepted, ClockPaused, Event
from quiz.rules.model import Contest


@dataclass
class Outcome:
    events: list[Event] = field(default_factory=list)
    error: engine.Rejected | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


RETRY_WRITE = 1.0  # seconds between retries of due events the journal refused


class Pending:
    """A decided command whose events the journal is still syncing."""

    def __init__(self, service: Service, outcome: Outcome, ticket: Ticket | None) -> None:
        self.service = service
        self.outcome = outcome  # as decided (and already folded into the state)
        self.ticket = ticket

    def wait(self) -> Outcome:
        """The outcome once its events are on disk, or the journal's refusal."""
        if self.ticket is None:
            return self.outcome
        try:
            self.ticket.wait()
        except JournalWriteError as exc:
            self.service._refused()
            return Outcome(error=engine.Rejected(exc.code, exc.message))
        self.service._synced(clear=self.outcome.ok)
        return self.outcome


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
        self.state = engine.replay(contest, self.journal.events)  # the synced events'
        self.decided = self.state  # a copy of its own once anything is decided
        self._folded = len(self.journal.events)  # synced events folded into `state`
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
            self._commit(engine.decide(self.contest, self.decided, Tick(), self.clock()))
            self._pause_running(self.clock())
        self.journal.flush()
        self._synced(clear=True)

    def _pause_running(self, at: float) -> Ticket | None:
        q = self.decided.question
        clock = q.clock if q is not None else None
        if q is None or clock is None or not clock.running:
            return None
        if self.decided.phase not in engine.CLOCK_PHASES:
            return None
        deadline = clock.deadline()
        if deadline is not None and deadline <= at:
            return None  # ran out before the stop: the Tick closes it at its deadline
        return self._commit([ClockPaused(at=max(at, clock.since or at), question=q.id)])

    def handle(self, command: Command, lead: float = 0.0) -> Outcome:
        """Decide, journal durably, apply. Never raises on a refused command.

        `lead` (seconds, >= 0): the command takes effect that long from now,
        what it starts starting then (answering opens at one instant for every
        device, however late its push arrives; docs/protocol.md, "Opening time")."""
        return self.submit(command, lead).wait()

    def submit(self, command: Command, lead: float = 0.0) -> Pending:
        """Decide and apply now, the journal syncing behind; never raises.

        `lead`: as for `handle`."""
        with self.lock:
            if self.journal.stale:
                self._rebuild()
            now = self.clock()
            due: list[Event] = []
            ticket: Ticket | None = None
            try:
                if not isinstance(command, Tick):
                    due = engine.decide(self.contest, self.decided, Tick(), now)
                    ticket = self._commit(due) or ticket
                try:
                    at = now + max(0.0, lead)
                    events = engine.decide(self.contest, self.decided, command, at)
                except engine.Rejected as exc:
                    return Pending(self, Outcome(events=due, error=exc), self.journal.tail())
                if events and self._replayed(command):
                    return Pending(self, Outcome(events=due), self.journal.tail())
                ticket = self._commit(events) or ticket
            except JournalWriteError as exc:
                self._failed_at = now
                if ticket is not None:  # the due events' group fails too (it is stale)
                    return Pending(self, Outcome(events=due), ticket)
                return Pending(self, Outcome(error=engine.Rejected(exc.code, exc.message)), None)
            # The ack waits for every entry decided before it too: what it reports
            # (a refusal, a replayed answer id) may rest on them.
            return Pending(self, Outcome(events=due + events), self.journal.tail())

    def _refused(self) -> None:
        """A group the journal could not sync: undo it and all after it."""
        with self.lock:
            self._failed_at = self.clock()
            if self.journal.stale:
                self._rebuild()

    def _synced(self, clear: bool) -> None:
        """Fold the newly synced events into `state`."""
        with self.lock:
            if clear:
                self._failed_at = None
            events = self.journal.events
            while self._folded < len(events):
                engine.apply(self.contest, self.state, events[self._folded])
                self._folded += 1

    def _rebuild(self) -> None:
        """Decide from the synced events only (under the lock)."""
        self.journal.reset()
        self._synced(clear=False)
        self.decided = self.state
        self._answer_ids = {}
        for event in self.journal.events:
            self._note(event)

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

    def _commit(self, events: list[Event]) -> Ticket | None:
        """Queue `events` for the journal and fold them in (under the lock)."""
        if not events:
            return None
        ticket = self.journal.submit(events, wall=self._wall())
        if self.decided is self.state:
            self.decided = copy.deepcopy(self.state)
        for event in events:
            engine.apply(self.contest, self.decided, event)
            self._note(event)
        return ticket

    def record(self, events: list[Event]) -> Outcome:
        """Journal facts no command of the engine decides (a device approved or
        refused, quiz/rules/devices.py): fold them in and wait until they are on
        disk."""
        with self.lock:
            if self.journal.stale:
                self._rebuild()
            try:
                self._commit(events)
            except JournalWriteError as exc:
                self._failed_at = self.clock()
                return Outcome(error=engine.Rejected(exc.code, exc.message))
            pending = Pending(self, Outcome(events=list(events)), self.journal.tail())
        return pending.wait()  # on disk before the caller acts on it

    def alarm(self) -> float | None:
        with self.lock:
            alarm = engine.next_alarm(self.contest, self.decided)
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
