"""The contest's state as the engine folds events into it.

State is plain mutable data owned by the service and changed only by
engine.apply, one event at a time; everything else reads it. Imports only
model. No clock reads: every time comes from an event or a caller's `now`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import Phase


@dataclass
class Clock:
    """A countdown that can be paused and extended. Times are server seconds."""

    kind: str  # read | answer | buzz | buzz_answer
    limit: float  # total seconds, including time added
    elapsed: float = 0.0  # running time accumulated before `since`
    since: float | None = None  # when it last started running; None while paused
    paused_at: float | None = None  # when it was last paused or stopped
    ran_from: float | None = None  # when the run that ended at `paused_at` began

    @property
    def running(self) -> bool:
        return self.since is not None

    def elapsed_at(self, t: float) -> float:
        """Running time at server time `t` (t may be slightly in the past)."""
        if self.since is not None:
            return self.elapsed + max(0.0, t - self.since)
        if self.paused_at is not None and self.ran_from is not None and t < self.paused_at:
            # a moment inside the last run, before the clock stopped
            return self.elapsed - (self.paused_at - max(t, self.ran_from))
        return self.elapsed

    def remaining(self, now: float) -> float:
        return max(0.0, self.limit - self.elapsed_at(now))

    def stop(self, at: float) -> None:
        """Pause (or stop at time up) at server time `at`."""
        if self.since is None:
            return
        self.elapsed = min(self.limit, self.elapsed_at(at)) if at >= self.since else self.elapsed
        self.ran_from, self.since, self.paused_at = self.since, None, at

    def deadline(self) -> float | None:
        """When it runs out, if it is running."""
        if self.since is None:
            return None
        return self.since + (self.limit - self.elapsed)

    def moment_of(self, elapsed: float) -> float | None:
        """The server time at which the running clock showed `elapsed`."""
        if self.since is None:
            return None
        return self.since + (elapsed - self.elapsed)


@dataclass
class AnswerRecord:
    value: Any
    pressed: float
    time: float  # seconds of running clock from opening to the press
    nonce: str = ""


@dataclass
class BuzzRecord:
    team: str
    pressed: float
    time: float  # seconds from this opening of the buzzers to the press
    opening: int = 1  # which opening of the buzzers (rebounds count) it came in
    late: bool = False  # pressed while another team was answering


@dataclass
class Attempt:
    """A buzz winner's turn to answer and how it ended."""

    team: str
    buzz_time: float
    verdict: str | None = None  # correct | wrong | timeout; None while answering
    value: Any = None
    opening: int = 1
    judged_at: float | None = None
    time_up_at: float | None = None  # a spoken answer's time ran out (the MC still judges)
    undone: bool = False
    undo_reason: str = ""
    undone_at: float | None = None


@dataclass
class QuestionState:
    id: str
    round: int
    index: int
    shown_at: float
    clock: Clock | None = None
    opened_at: float | None = None  # when answering / buzzers first opened
    closed_at: float | None = None  # when answering / buzzing ended
    close_reason: str | None = None
    revealed: bool = False
    # format all
    answers: dict[str, AnswerRecord] = field(default_factory=dict)
    # format buzzer
    openings: int = 0  # how many times the buzzers opened (rebounds count)
    buzzes: list[BuzzRecord] = field(default_factory=list)  # this opening, in arrival order
    presses: list[BuzzRecord] = field(default_factory=list)  # every opening's, in arrival order
    decide_at: float | None = None  # when the winner of this opening is named
    opening_at: float | None = None  # when the buzzers last opened
    locked_out: set[str] = field(default_factory=set)
    attempts: list[Attempt] = field(default_factory=list)


@dataclass
class Correction:
    id: int
    kind: str  # adjust | set_answer | void
    at: float
    reason: str
    team: str | None = None
    question: str | None = None
    delta: float = 0.0
    value: Any = None
    correct: bool | None = None
    undone: bool = False
    undo_reason: str = ""
    undone_at: float | None = None


@dataclass
class ContestState:
    phase: Phase = Phase.LOBBY
    round: int = -1  # index of the current round; -1 before the first
    current: str | None = None  # id of the current question
    questions: dict[str, QuestionState] = field(default_factory=dict)  # asked so far
    show_scoreboard: bool = False
    ceremony: int = 0  # prizes revealed at the ceremony after the last round
    summary: int | None = None  # the round whose summary the board shows
    corrections: list[Correction] = field(default_factory=list)
    seq: int = 0  # events applied so far: the state's version

    @property
    def question(self) -> QuestionState | None:
        return self.questions.get(self.current) if self.current else None

    def correction(self, correction_id: int) -> Correction | None:
        for item in self.corrections:
            if item.id == correction_id:
                return item
        return None
