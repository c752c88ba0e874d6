"""Events of one round format each: elimination's rescue and reinstatement,
judged rounds' scores, tiebreak's selection and lots, and the turns format's
packages, values, stars and skips. Part of quiz/rules/events.py, which
registers them."""

from __future__ import annotations

from dataclasses import dataclass

from quiz.rules.events_base import Event


@dataclass(frozen=True)
class RescueCalled(Event):
    """Rung chuông vàng: the MC calls a rescue after `question`. `all` and
    `pick` name who came back (`players`); `question` asks `rescue_question`."""

    question: str
    mode: str  # all | question | pick
    players: list[str]
    reason: str = ""
    rescue_question: str | None = None


@dataclass(frozen=True)
class PlayerReinstated(Event):
    """A correction: an eliminated player is brought back to the floor after `question`."""

    id: int
    question: str
    player: str
    reason: str


@dataclass(frozen=True)
class JudgeScored(Event):
    """A judge's score for the team called in a `judged` round (a later one replaces it)."""

    question: str  # the team's turn (formats/judged.py)
    judge: str
    score: float  # the sum of `parts` when the round has criteria
    parts: dict[str, float] | None = None  # criterion id -> points


@dataclass(frozen=True)
class JudgeScoreSetByHand(Event):
    """A correction: a judge's score on a turn already shown, set by hand with a reason."""

    id: int
    question: str
    team: str
    judge: str
    score: float
    reason: str
    parts: dict[str, float] | None = None


@dataclass(frozen=True)
class TiebreakSelected(Event):
    """The MC settles which teams a `tiebreak` round plays: one list per tie."""

    round: int  # index into contest.rounds
    groups: list[list[str]]  # team ids, each group a tie at a place that decides a prize


@dataclass(frozen=True)
class LotsDrawn(Event):
    """The drawing of lots that orders the teams a `tiebreak` round left level."""

    round: int
    kind: str  # server | hall
    seed: int | None  # the server's seed (lots: server); None when drawn in the hall
    groups: list[list[str]]  # each group's undecided teams in the order drawn, best first


# Format `turns` (packages, the star of hope, the steal) ------------------------------


@dataclass(frozen=True)
class TurnsOrdered(Event):
    """The order the teams play a `turns` round in (`draw`: seeded, shown on the board)."""

    order: tuple[str, ...]
    how: str  # contest | reverse_rank | draw
    seed: int | None = None


@dataclass(frozen=True)
class PackageChosen(Event):
    team: str
    package: str


@dataclass(frozen=True)
class ValueChosen(Event):
    """A team picks the value of its next question (`pick` packages)."""

    team: str
    points: float


@dataclass(frozen=True)
class StarPlaced(Event):
    """The team's star of hope goes on its next question (`by`: mc | team)."""

    team: str
    by: str


@dataclass(frozen=True)
class StarRemoved(Event):
    """A star placed by mistake, taken back before the question is shown."""

    team: str
    reason: str


@dataclass(frozen=True)
class TeamSkipped(Event):
    """An absent team's turn is skipped, with the MC's reason."""

    team: str
    reason: str


@dataclass(frozen=True)
class TurnAnswerOpened(Event):
    """The team in turn starts answering its question (its clock starts with it)."""

    question: str
    team: str
