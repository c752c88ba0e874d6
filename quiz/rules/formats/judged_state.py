"""Format `judged`: its settings, a turn's state (each judge's latest score),
the folds, and the arithmetic: the scores in force (corrections applied), their
combination (mean, trimmed mean, sum; rounded to two decimals, halves up)
times the weight, and the check of a judge's score against the round's maximum,
step and criteria. judged.py is the format's flow and views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from quiz.rules.answers import decimal_mark
from quiz.rules.events import JudgeScored, JudgeScoreSetByHand
from quiz.rules.formats.base import Ctx, Rejected
from quiz.rules.model import Contest, Judge, Round
from quiz.rules.state import ContestState, Correction, QuestionState
from quiz.rules.text import tr

Combine = Literal["mean", "trimmed_mean", "sum"]
COMBINES: tuple[Combine, ...] = ("mean", "trimmed_mean", "sum")
TRIM_FROM = 5  # judges who scored, at least, for trimmed_mean to drop two
MAX_POINTS = 1000.0
TURN_SEPARATOR = ":"  # never in a bank's question id, so a turn id is never one


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    max: float


@dataclass(frozen=True)
class JudgedSettings:
    """Settings of a round of format `judged`."""

    max: float = 10
    step: float = 0.5
    criteria: tuple[Criterion, ...] = ()
    combine: Combine = "mean"
    weight: float = 1
    judges: tuple[str, ...] = ()  # the round's own judges; empty: all the contest's


@dataclass
class JudgeScore:
    score: float
    parts: dict[str, float] | None
    at: float


@dataclass
class JudgedTurn:
    """One team's turn: every judge's score so far (the latest of each)."""

    scores: dict[str, JudgeScore] = field(default_factory=dict)


def turn_id(round_id: str, team_id: str) -> str:
    return f"{round_id}{TURN_SEPARATOR}{team_id}"


def team_of(turn: str) -> str:
    return turn.rsplit(TURN_SEPARATOR, 1)[-1]


def mine(q: QuestionState) -> JudgedTurn:
    assert isinstance(q.fmt, JudgedTurn)
    return q.fmt


def settings_of(rnd: Round) -> JudgedSettings:
    assert isinstance(rnd.settings, JudgedSettings)
    return rnd.settings


def round_judges(contest: Contest, rnd: Round) -> list[Judge]:
    """Who scores this round: its own `judges:` (in the contest's order), or all."""
    own = settings_of(rnd).judges
    return [j for j in contest.judges if not own or j.id in own]


def on_scored(state: ContestState, q: QuestionState, e: JudgeScored) -> None:
    mine(q).scores[e.judge] = JudgeScore(e.score, e.parts, e.at)


def on_set_by_hand(state: ContestState, q: QuestionState, e: JudgeScoreSetByHand) -> None:
    state.corrections.append(
        Correction(
            e.id,
            "judge_score",
            e.at,
            e.reason,
            team=e.team,
            question=e.question,
            value=e.score,
            judge=e.judge,
            parts=e.parts,
        )
    )


def _round2(value: float) -> float:
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def combine(how: str, scores: list[float], exact: bool = False) -> tuple[float | None, list[int]]:
    """The combined score of `scores` (None when there is none), to 2 decimals
    (unrounded with `exact`), and the positions of the scores trimmed_mean
    dropped (the highest and the lowest)."""
    if not scores:
        return None, []
    done = (lambda x: x) if exact else _round2
    if how == "sum":
        return done(sum(scores)), []
    dropped: list[int] = []
    kept = list(range(len(scores)))
    if how == "trimmed_mean" and len(scores) >= TRIM_FROM:
        low = min(kept, key=lambda i: (scores[i], i))
        high = max(kept, key=lambda i: (scores[i], -i))
        dropped = sorted({low, high})
        kept = [i for i in kept if i not in dropped]
    return done(sum(scores[i] for i in kept) / len(kept)), dropped


def effective_scores(ctx: Ctx, until: int | None = None) -> dict[str, JudgeScore]:
    """Each judge's score on this turn, with the corrections in force applied
    (only those up to correction `until`, when given)."""
    scores = dict(mine(ctx.q).scores)
    for c in ctx.state.corrections:
        if until is not None and c.id > until:
            continue
        if c.kind == "judge_score" and not c.undone and c.question == ctx.q.id and c.judge:
            scores[c.judge] = JudgeScore(float(c.value), c.parts, c.at)
    return scores


@dataclass(frozen=True)
class Outcome:
    judges: list[Judge]
    scores: dict[str, JudgeScore]
    result: float | None  # combined, before weight
    points: float | None  # after weight
    dropped: frozenset[str]


def outcome(ctx: Ctx, until: int | None = None) -> Outcome:
    settings = settings_of(ctx.round)
    judges = round_judges(ctx.contest, ctx.round)
    scores = effective_scores(ctx, until)
    given = [j.id for j in judges if j.id in scores]
    exact, dropped = combine(settings.combine, [scores[j].score for j in given], exact=True)
    result = None if exact is None else _round2(exact)
    # The weight multiplies the exact result (mean 23/3 with weight 3 is 23, not 23.01).
    points = None if exact is None else _round2(exact * settings.weight)
    return Outcome(judges, scores, result, points, frozenset(given[i] for i in dropped))


def step_ok(value: float, step: float) -> bool:
    ratio = value / step
    return abs(ratio - round(ratio)) < 1e-6


def num_text(value: float) -> str:
    return decimal_mark(f"{value:g}")


def check_score(
    settings: JudgedSettings, score: float | None, parts: dict[str, float] | None
) -> tuple[float, dict[str, float] | None]:
    """The total and the parts of a judge's score, or Rejected saying what is wrong."""
    if settings.criteria:
        if not isinstance(parts, dict):
            raise Rejected("bad_score", tr("Hãy chấm từng tiêu chí"))
        wanted = {c.id for c in settings.criteria}
        if set(parts) != wanted:
            missing = [c.title for c in settings.criteria if c.id not in parts]
            if missing:
                names = ", ".join(missing)
                raise Rejected("bad_score", tr("Chưa chấm tiêu chí: {names}", names=names))
            raise Rejected("bad_score", tr("Tiêu chí không có trong phần thi này"))
        clean: dict[str, float] = {}
        for c in settings.criteria:
            clean[c.id] = _check_one(parts[c.id], c.max, settings.step, c.title)
        if score is not None and abs(score - sum(clean.values())) > 1e-6:
            raise Rejected("bad_score", tr("Tổng điểm không khớp với điểm các tiêu chí"))
        return _round2(sum(clean.values())), clean
    if parts is not None:
        raise Rejected("bad_score", tr("Phần thi này chấm một điểm, không theo tiêu chí"))
    if score is None:
        raise Rejected("bad_score", tr("Hãy nhập điểm"))
    return _check_one(score, settings.max, settings.step, tr("Điểm")), None


def _check_one(value: object, top: float, step: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise Rejected("bad_score", tr("{what}: phải là một số", what=what))
    number = float(value)
    if not 0 <= number <= top + 1e-9:
        raise Rejected(
            "bad_score", tr("{what}: điểm phải từ 0 đến {top}", what=what, top=num_text(top))
        )
    if not step_ok(number, step):
        raise Rejected(
            "bad_score", tr("{what}: điểm chấm theo bước {step}", what=what, step=num_text(step))
        )
    return _round2(number)
