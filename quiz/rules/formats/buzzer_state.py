"""The `buzzer` format's state: of one question, and how its events fold into it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quiz.rules.events import (
    AnswersClosed,
    AnswerTimeUp,
    BuzzersOpened,
    BuzzJudged,
    BuzzLockedOut,
    BuzzRecorded,
    BuzzWon,
    VerdictUndone,
)
from quiz.rules.formats.base import Ctx, Fold
from quiz.rules.model import BuzzerSettings, Phase, score_value
from quiz.rules.state import ContestState, QuestionState


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
class BuzzerQuestion:
    openings: int = 0  # how many times the buzzers opened (rebounds count)
    buzzes: list[BuzzRecord] = field(default_factory=list)  # this opening, in arrival order
    presses: list[BuzzRecord] = field(default_factory=list)  # every opening's, in arrival order
    decide_at: float | None = None  # when the winner of this opening is named
    opening_at: float | None = None  # when the buzzers last opened
    locked_out: set[str] = field(default_factory=set)
    attempts: list[Attempt] = field(default_factory=list)


def mine(q: QuestionState) -> BuzzerQuestion:
    assert isinstance(q.fmt, BuzzerQuestion)
    return q.fmt


def settings_of(ctx: Ctx) -> BuzzerSettings:
    settings = ctx.round.settings
    assert isinstance(settings, BuzzerSettings)
    return settings


def attempt_points(ctx: Ctx, verdict: str | None) -> float | None:
    """What a verdict scores on this question, by the round's rules."""
    if verdict is None:
        return None
    settings = settings_of(ctx)
    value = settings.correct if verdict == "correct" else settings.wrong
    return score_value(value, ctx.question)


def _on_closed(state: ContestState, q: QuestionState, e: AnswersClosed) -> None:
    mine(q).decide_at = None


def _on_buzzers(state: ContestState, q: QuestionState, e: BuzzersOpened) -> None:
    b = mine(q)
    state.phase = Phase.OPEN
    b.openings += 1
    b.buzzes, b.decide_at, b.opening_at = [], None, e.at  # `presses` keeps every opening's
    if q.opened_at is None:
        q.opened_at = e.at


def _on_lockout(state: ContestState, q: QuestionState, e: BuzzLockedOut) -> None:
    mine(q).locked_out.add(e.team)


def _on_buzz(state: ContestState, q: QuestionState, e: BuzzRecorded) -> None:
    b = mine(q)
    record = BuzzRecord(e.team, e.pressed, e.time, opening=b.openings, late=e.late)
    b.presses.append(record)
    if not e.late:
        b.buzzes.append(record)
        b.decide_at = e.decide_at


def _on_won(state: ContestState, q: QuestionState, e: BuzzWon) -> None:
    b = mine(q)
    buzz = next(r for r in b.buzzes if r.team == e.team)
    b.attempts.append(Attempt(e.team, buzz.time, opening=b.openings))
    b.decide_at = None
    state.phase = Phase.ANSWERING


def _on_judged(state: ContestState, q: QuestionState, e: BuzzJudged) -> None:
    attempt = mine(q).attempts[-1]
    attempt.verdict, attempt.value, attempt.judged_at = e.verdict, e.value, e.at


def _on_time_up(state: ContestState, q: QuestionState, e: AnswerTimeUp) -> None:
    if q.clock is not None:
        q.clock.stop(e.at)
    mine(q).attempts[-1].time_up_at = e.at


def _on_verdict_undone(state: ContestState, q: QuestionState, e: VerdictUndone) -> None:
    attempt = mine(q).attempts[e.attempt]
    attempt.undone, attempt.undo_reason, attempt.undone_at = True, e.reason, e.at


FOLDS: dict[type[Any], Fold] = {
    AnswersClosed: _on_closed,
    BuzzersOpened: _on_buzzers,
    BuzzLockedOut: _on_lockout,
    BuzzRecorded: _on_buzz,
    BuzzWon: _on_won,
    BuzzJudged: _on_judged,
    AnswerTimeUp: _on_time_up,
    VerdictUndone: _on_verdict_undone,
}
