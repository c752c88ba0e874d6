"""The interface every round format implements, and the shared context.

A format decides format-specific commands (answers, buzzes, judging, time
running out) by returning events, and scores one question from its state.
It never mutates state: engine.apply does. Imports model, state, events,
commands only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..commands import Command
from ..events import Event
from ..model import Contest, Question, Round
from ..state import ContestState, QuestionState


class Rejected(Exception):
    """A command that is not allowed now. `message` is shown to the sender."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Ctx:
    """What a format needs to decide about the current question."""

    contest: Contest
    state: ContestState
    round: Round
    question: Question
    q: QuestionState


@dataclass(frozen=True)
class Verdict:
    """How a manual correction changes one team's answer to one question."""

    value: object = None
    correct: bool | None = None


@dataclass
class TeamResult:
    """One team's outcome on one question."""

    points: float = 0.0
    correct: bool | None = None  # None: did not answer (or not judged)
    time: float | None = None  # answer time that counts for the tiebreak, if correct
    value: object = None  # what the team answered, if anything
    by_hand: bool = False


class RoundFormat(Protocol):
    name: str

    def on_show(self, ctx: Ctx, now: float) -> list[Event]:
        """Events that follow showing a question (e.g. a reading clock)."""
        ...

    def open(self, ctx: Ctx, now: float) -> list[Event]:
        """The MC opens answering or the buzzers."""
        ...

    def close_early(self, ctx: Ctx, now: float) -> list[Event]:
        """The MC closes answering or the buzzers before time is up."""
        ...

    def decide(self, ctx: Ctx, command: Command, now: float) -> list[Event]:
        """Decide a format-specific command; raise Rejected if not allowed."""
        ...

    def tick(self, ctx: Ctx, now: float) -> list[Event]:
        """Whatever is due by `now`: deadlines, naming a buzz winner."""
        ...

    def alarm(self, ctx: Ctx) -> float | None:
        """The next moment at which `tick` would have something to do."""
        ...

    def score(
        self, ctx: Ctx, overrides: dict[str, Verdict], team_ids: list[str]
    ) -> dict[str, TeamResult]:
        """Every team's result on this question, with manual corrections applied."""
        ...


def press_time(q: QuestionState, at: float) -> float:
    """Seconds of running clock at press time `at`; Rejected if not in time.

    A press is in time when the clock had not run out at the moment of the
    press: while the clock runs, its elapsed time at `at` is within the limit;
    while it is paused (or stopped at time up), the press came before it
    stopped. A press stamped before the clock started counts as at the start.
    """
    clock = q.clock
    if clock is None:
        raise Rejected("not_open", "Chưa bắt đầu tính giờ")
    if q.closed_at is not None and at > q.closed_at + 1e-9:
        raise Rejected("late", "Hết giờ — đáp án gửi sau thời hạn")
    if not clock.running:
        if clock.paused_at is not None and at > clock.paused_at + 1e-9:
            if clock.remaining(at) <= 0:
                raise Rejected("late", "Hết giờ — đáp án gửi sau thời hạn")
            raise Rejected("paused", "Đồng hồ đang tạm dừng")
    elapsed = max(0.0, clock.elapsed_at(at))
    if elapsed > clock.limit + 1e-9:
        raise Rejected("late", "Hết giờ — đáp án gửi sau thời hạn")
    return elapsed


def expired(q: QuestionState, now: float) -> float | None:
    """The deadline of the running clock, if it has passed by `now`."""
    deadline = q.clock.deadline() if q.clock else None
    if deadline is not None and deadline <= now:
        return deadline
    return None
