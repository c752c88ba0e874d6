"""The `turns` format's settings and state: the round's turns and packages, one
question's owner, star and steal, and how the events fold into them.

A question of a `turns` round belongs to the team whose package holds it (the
packages of a round are disjoint: a question is asked once in a contest). Its
state extends the buzzer's (`TurnsQuestion` is a `BuzzerQuestion`): the owner's
turn to answer is the first attempt, the steal is an opening of the buzzers
and its winner the second attempt, so the buzzer's folds of BuzzersOpened,
BuzzRecorded, BuzzWon, BuzzJudged and VerdictUndone apply unchanged, and a
verdict can be undone like any buzz verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from quiz.rules.events import (
    AnswersClosed,
    AnswerTimeUp,
    BuzzersOpened,
    BuzzJudged,
    BuzzRecorded,
    BuzzWon,
    PackageChosen,
    QuestionShown,
    StarPlaced,
    StarRemoved,
    TeamSkipped,
    TurnAnswerOpened,
    TurnsOrdered,
    ValueChosen,
    VerdictUndone,
)
from quiz.rules.formats import buzzer_state as b
from quiz.rules.formats.base import Fold
from quiz.rules.model import Contest, Phase
from quiz.rules.state import ContestState, QuestionState

Assign = Literal["pick", "in_order"]
Order = Literal["contest", "reverse_rank", "draw"]
AnswerOn = Literal["voice", "tablet"]


@dataclass(frozen=True, slots=True)
class Package:
    id: str
    questions: tuple[str, ...]
    pick_points: tuple[float, ...] = ()  # empty: the questions are asked in order
    pick_count: int = 0

    @property
    def size(self) -> int:
        """How many questions the team answers from this package."""
        return self.pick_count if self.pick_points else len(self.questions)


@dataclass(frozen=True, slots=True)
class TurnsSettings:
    """Settings of a round of format `turns` (câu hỏi riêng, gói câu hỏi).
    Slotted: the round's settings on the wire are the format's own view."""

    packages: tuple[Package, ...] = ()
    assign: Assign = "pick"
    order: Order = "contest"
    seed: int = 0
    answer_on: AnswerOn = "voice"
    star: bool = False
    star_correct: float = 2
    star_wrong: float = -1
    steal: bool = False
    steal_window: float = 5
    steal_correct: float = 1
    steal_wrong: float = -0.5
    steal_take_from_owner: bool = False
    steal_answer_time: float = 5

    def package(self, package_id: str | None) -> Package | None:
        return next((p for p in self.packages if p.id == package_id), None)


@dataclass
class TeamTurn:
    """One team's turn in the round."""

    package: str | None = None
    asked: list[str] = field(default_factory=list)  # its questions shown, in order
    value: float | None = None  # the value chosen for its next question (pick)
    star_pending: bool = False  # the star is placed on its next question
    star_on: str | None = None  # the question the star went on, once shown
    star_by: str = ""  # mc | team
    skipped: str | None = None  # the reason, if the MC skipped the team


@dataclass
class TurnsRound:
    """The round's turns: their order and each team's package and progress."""

    settings: TurnsSettings | None = None
    order: list[str] | None = None  # team ids, in playing order
    how: str = ""  # contest | reverse_rank | draw
    seed: int | None = None
    teams: dict[str, TeamTurn] = field(default_factory=dict)

    def owner_of(self, question: str) -> str | None:
        """The team whose package holds `question`."""
        if self.settings is None:
            return None
        for team, turn in self.teams.items():
            package = self.settings.package(turn.package)
            if package is not None and question in package.questions:
                return team
        return None


@dataclass
class TurnsQuestion(b.BuzzerQuestion):
    """A question of a package: its owner, the star, and the steal (the buzzer's state)."""

    owner: str = ""
    package: str = ""
    star: bool = False


def round_of(state: ContestState) -> TurnsRound:
    assert isinstance(state.round_fmt, TurnsRound)
    return state.round_fmt


def mine(q: QuestionState) -> TurnsQuestion:
    assert isinstance(q.fmt, TurnsQuestion)
    return q.fmt


def settings_of(contest: Contest, state: ContestState) -> TurnsSettings:
    settings = contest.rounds[state.round].settings
    assert isinstance(settings, TurnsSettings)
    return settings


def values_left(contest: Contest, package: Package, asked: list[str]) -> list[float]:
    """The values of `pick` that still have a question in the package."""
    left = [qid for qid in package.questions if qid not in asked]
    return [v for v in package.pick_points if any(contest.questions[q].points == v for q in left)]


def next_of_value(contest: Contest, package: Package, asked: list[str], value: float) -> str | None:
    """The next unused question of `value` in the package, in its listed order."""
    for qid in package.questions:
        if qid not in asked and contest.questions[qid].points == value:
            return qid
    return None


def finished(contest: Contest, settings: TurnsSettings, turn: TeamTurn) -> bool:
    """The team has answered its package (or, picking, has no value left to choose)."""
    package = settings.package(turn.package)
    if package is None:
        return False
    if len(turn.asked) >= package.size:
        return True
    return bool(package.pick_points) and not values_left(contest, package, turn.asked)


def current_team(contest: Contest, state: ContestState) -> str | None:
    """The team whose turn it is: the first in order, not skipped, not finished."""
    rs = state.round_fmt
    if not isinstance(rs, TurnsRound) or rs.order is None or rs.settings is None:
        return None
    for team in rs.order:
        turn = rs.teams[team]
        if turn.skipped is None and not finished(contest, rs.settings, turn):
            return team
    return None


def next_question_id(contest: Contest, state: ContestState) -> str | None:
    """The question the current team answers next, once its package (and value) is chosen."""
    team = current_team(contest, state)
    if team is None:
        return None
    rs = round_of(state)
    assert rs.settings is not None
    turn = rs.teams[team]
    package = rs.settings.package(turn.package)
    if package is None:
        return None
    if package.pick_points:
        if turn.value is None:
            return None
        return next_of_value(contest, package, turn.asked, turn.value)
    return next((qid for qid in package.questions if qid not in turn.asked), None)


# Folds of the round's own events (no question named): (contest, state, event) ----------


def _on_ordered(contest: Contest, state: ContestState, e: TurnsOrdered) -> None:
    rs = round_of(state)
    rs.settings = settings_of(contest, state)
    rs.order, rs.how, rs.seed = list(e.order), e.how, e.seed
    rs.teams = {team: TeamTurn() for team in e.order}
    if rs.settings.assign == "in_order":
        for team, package in zip(e.order, rs.settings.packages, strict=False):
            rs.teams[team].package = package.id


def _on_package(contest: Contest, state: ContestState, e: PackageChosen) -> None:
    round_of(state).teams[e.team].package = e.package


def _on_value(contest: Contest, state: ContestState, e: ValueChosen) -> None:
    round_of(state).teams[e.team].value = e.points


def _on_star(contest: Contest, state: ContestState, e: StarPlaced) -> None:
    turn = round_of(state).teams[e.team]
    turn.star_pending, turn.star_by = True, e.by


def _on_unstar(contest: Contest, state: ContestState, e: StarRemoved) -> None:
    turn = round_of(state).teams[e.team]
    turn.star_pending, turn.star_by = False, ""


def _on_skipped(contest: Contest, state: ContestState, e: TeamSkipped) -> None:
    round_of(state).teams[e.team].skipped = e.reason


RoundFold = Any  # Callable[[Contest, ContestState, <event>], None]

ROUND_FOLDS: dict[type[Any], RoundFold] = {
    TurnsOrdered: _on_ordered,
    PackageChosen: _on_package,
    ValueChosen: _on_value,
    StarPlaced: _on_star,
    StarRemoved: _on_unstar,
    TeamSkipped: _on_skipped,
}


# Folds of a question's events: (state, question state, event) --------------------------


def _on_shown(state: ContestState, q: QuestionState, e: QuestionShown) -> None:
    rs = round_of(state)
    owner = rs.owner_of(e.question) or ""
    turn = rs.teams.get(owner)
    tq = mine(q)
    tq.owner = owner
    if turn is None:
        return
    tq.package = turn.package or ""
    turn.asked.append(e.question)
    turn.value = None
    if turn.star_pending:
        tq.star, turn.star_pending, turn.star_on = True, False, e.question


def _on_turn_open(state: ContestState, q: QuestionState, e: TurnAnswerOpened) -> None:
    mine(q).attempts.append(b.Attempt(e.team, 0.0))
    state.phase = Phase.ANSWERING
    if q.opened_at is None:
        q.opened_at = e.at


def _on_judged(state: ContestState, q: QuestionState, e: BuzzJudged) -> None:
    b.FOLDS[BuzzJudged](state, q, e)
    if q.clock is not None:
        q.clock.stop(e.at)


def _on_time_up(state: ContestState, q: QuestionState, e: AnswerTimeUp) -> None:
    b.FOLDS[AnswerTimeUp](state, q, e)


FOLDS: dict[type[Any], Fold] = {
    QuestionShown: _on_shown,
    TurnAnswerOpened: _on_turn_open,
    AnswersClosed: b.FOLDS[AnswersClosed],
    BuzzersOpened: b.FOLDS[BuzzersOpened],
    BuzzRecorded: b.FOLDS[BuzzRecorded],
    BuzzWon: b.FOLDS[BuzzWon],
    BuzzJudged: _on_judged,
    AnswerTimeUp: _on_time_up,
    VerdictUndone: b.FOLDS[VerdictUndone],
}
