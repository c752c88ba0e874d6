"""The contest's state as the engine folds events into it.

State is plain mutable data owned by the service and changed only by
engine.apply, one event at a time; everything else reads it. A question's
state holds what every format shares; each format keeps its own in `fmt`
(and across a round in ContestState.round_fmt). Imports only model. No
clock reads: every time comes from an event or a caller's `now`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quiz.rules.model import Phase


@dataclass
class Clock:
    """A countdown that can be paused and extended. Times are server seconds."""

    kind: str  # read | answer | buzz | buzz_answer
    limit: float  # total seconds, including time added
    elapsed: float = 0.0  # running time accumulated before `since`
    since: float | None = None  # when it last started running; None while paused
    paused_at: float | None = None  # when it was last paused or stopped
    ran_from: float | None = None  # when the run that ended at `paused_at` began
    started_at: float | None = None  # when it first started (answering or buzzing opened)

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
    revealed_at: float | None = None  # when the answer was revealed (the appeal window)
    fmt: Any = None  # the round format's own state of this question (formats/<name>.py)

    # What a format's state offers to the shared code, empty when it has none:
    @property
    def answers(self) -> dict[str, Any]:
        """Answers typed by team (`all`): the MC's live list, the answered marks, the ack."""
        answers: dict[str, Any] = getattr(self.fmt, "answers", {})
        return answers

    @property
    def attempts(self) -> list[Any]:
        """Judged turns, in order (`buzzer`): what the MC may undo, the results file."""
        attempts: list[Any] = getattr(self.fmt, "attempts", [])
        return attempts


@dataclass
class DeviceDecision:
    """The MC's answer to a team's (player's, judge's) second device."""

    at: float
    team: str  # the team's id, the player's number or the judge's id (holder)
    approved: bool
    address: str
    replaced: int = 0
    holder: str = "team"


@dataclass
class Correction:
    id: int
    kind: str  # adjust | set_answer | void | judge_score
    at: float
    reason: str
    team: str | None = None
    question: str | None = None
    delta: float = 0.0
    value: Any = None
    correct: bool | None = None
    judge: str | None = None  # judge_score: whose score is set by hand
    parts: dict[str, float] | None = None  # judge_score: per criterion
    undone: bool = False
    undo_reason: str = ""
    undone_at: float | None = None
    player: str | None = None  # kind reinstate: the player brought back


@dataclass
class Proposal:
    """An MC correction waiting for the jury (quiz/rules/jury.py)."""

    id: int
    at: float
    by: str
    change: Any  # the correction's event, applied when approved
    status: str = "pending"  # pending | approved | rejected
    reason: str = ""  # the jury's
    decided_at: float | None = None
    correction: int | None = None  # the correction it became


@dataclass
class Appeal:
    """A team's appeal (khiếu nại) and the jury's decision."""

    id: int
    at: float
    team: str
    question: str
    text: str
    by: str  # team | mc | jury
    status: str = "pending"  # pending | accepted | rejected
    reason: str = ""
    decided_at: float | None = None
    correction: int | None = None


@dataclass
class PressTiming:
    """How one answer or buzz was timed, for the jury: all server seconds."""

    question: str
    team: str
    kind: str  # answer | buzz
    accepted: float  # the press time recorded
    time: float  # seconds of clock from opening to the press
    arrival: float | None
    claimed: float | None
    earliest: float | None


@dataclass
class ContestState:
    phase: Phase = Phase.LOBBY
    round: int = -1  # index of the current round; -1 before the first
    current: str | None = None  # id of the current question
    questions: dict[str, QuestionState] = field(default_factory=dict)  # asked so far
    show_scoreboard: bool = False
    ceremony: int = 0  # prizes revealed at the ceremony after the last round
    summary: int | None = None  # the round whose summary the board shows
    round_fmt: Any = None  # the current round's format state across its questions
    corrections: list[Correction] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)  # corrections awaiting the jury
    appeals: list[Appeal] = field(default_factory=list)
    signed_at: float | None = None  # when the jury signed off (None: not, or reopened)
    signoffs: list[float] = field(default_factory=list)  # every sign-off, in order
    reopenings: list[tuple[float, str]] = field(default_factory=list)  # (at, reason)
    timings: list[PressTiming] = field(default_factory=list)  # every answer and buzz
    tiebreaks: dict[int, Any] = field(default_factory=dict)  # tiebreak rounds' selection, lots
    devices: list[DeviceDecision] = field(default_factory=list)  # in time order
    seq: int = 0  # events applied so far: the state's version

    @property
    def question(self) -> QuestionState | None:
        return self.questions.get(self.current) if self.current else None

    def correction(self, correction_id: int) -> Correction | None:
        for item in self.corrections:
            if item.id == correction_id:
                return item
        return None
