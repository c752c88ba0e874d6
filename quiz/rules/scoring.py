"""Scores and ranking, derived from the state every time, never stored.

A team's total is the sum of its results on every question asked (as its
round's format scores them, with manual answers applied, voided questions
left out) plus the score adjustments still in force. Ranking orders totals,
then `ranking.tiebreak`; teams still equal share a rank (1, 2, 2, 4).
Imports model, state, formats; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quiz.rules.formats import FORMATS
from quiz.rules.formats.base import Ctx, TeamResult, Verdict
from quiz.rules.formats.tiebreak_state import places as tiebreak_places
from quiz.rules.model import Contest
from quiz.rules.state import ContestState


@dataclass
class Standing:
    team: str
    name: str
    total: float = 0.0
    correct_count: int = 0
    answer_time: float = 0.0  # sum of answer times over correct answers
    adjustments: float = 0.0
    rank: int = 0
    tiebreak_place: float = 0.0  # its place from the tiebreak rounds (inf: not played)
    results: dict[str, TeamResult] = field(default_factory=dict)  # by question id


def voided(state: ContestState) -> set[str]:
    return {
        c.question for c in state.corrections if c.kind == "void" and not c.undone and c.question
    }


def overrides_for(state: ContestState, question_id: str) -> dict[str, Verdict]:
    """The manual answers in force for a question, the latest per team."""
    found: dict[str, Verdict] = {}
    for c in state.corrections:
        if c.kind == "set_answer" and not c.undone and c.question == question_id and c.team:
            found[c.team] = Verdict(value=c.value, correct=c.correct)
    return found


def question_results(
    contest: Contest, state: ContestState, question_id: str
) -> dict[str, TeamResult]:
    """Every team's result on one asked question (ignoring voids)."""
    q = state.questions[question_id]
    rnd = contest.rounds[q.round]
    ctx = Ctx(contest, state, rnd, contest.questions[question_id], q)
    team_ids = [t.id for t in contest.teams]
    return FORMATS[rnd.format].score(ctx, overrides_for(state, question_id), team_ids)


def all_results(contest: Contest, state: ContestState) -> dict[str, dict[str, TeamResult]]:
    """Every asked question's results, by question id then team."""
    return {qid: question_results(contest, state, qid) for qid in state.questions}


def standings(
    contest: Contest,
    state: ContestState,
    exclude: frozenset[str] = frozenset(),
    results: dict[str, dict[str, TeamResult]] | None = None,
    before_tiebreak: bool = False,
) -> list[Standing]:
    """Every team's standing, ranked. Questions in `exclude` are left out;
    `results` (from all_results) saves scoring every question again;
    `before_tiebreak` ranks by the criteria before `tiebreak_round` only."""
    table = {t.id: Standing(t.id, t.name) for t in contest.teams}
    void = voided(state)
    for qid in state.questions:
        if qid in exclude:
            continue
        scored = results[qid] if results is not None else question_results(contest, state, qid)
        for team, result in scored.items():
            standing = table[team]
            standing.results[qid] = result
            if qid in void:
                continue
            standing.total += result.points
            if result.correct:
                standing.correct_count += 1
                standing.answer_time += result.time or 0.0
    for c in state.corrections:
        if c.kind == "adjust" and not c.undone and c.team in table:
            table[c.team].total += c.delta
            table[c.team].adjustments += c.delta
    placed = tiebreak_places(contest, state)
    for standing in table.values():
        standing.tiebreak_place = placed.get(standing.team, float("inf"))
    criteria = ranking_criteria(contest)
    if before_tiebreak:
        criteria = (
            criteria[: criteria.index("tiebreak_round")]
            if "tiebreak_round" in criteria
            else criteria
        )
    return rank(list(table.values()), criteria)


def ranking_criteria(contest: Contest) -> tuple[str, ...]:
    """`ranking.tiebreak`, with `tiebreak_round` last if a contest that has a
    tiebreak round does not name it (the round would decide nothing otherwise)."""
    criteria = contest.tiebreak
    has_round = any(r.format == "tiebreak" for r in contest.rounds)
    if has_round and "tiebreak_round" not in criteria:
        criteria = (*criteria, "tiebreak_round")
    return criteria


def _sort_key(standing: Standing, tiebreak: tuple[str, ...]) -> tuple[float, ...]:
    key: list[float] = [-round(standing.total, 6)]
    for criterion in tiebreak:
        if criterion == "correct_count":
            key.append(-standing.correct_count)
        elif criterion == "answer_time":
            key.append(round(standing.answer_time, 3))
        elif criterion == "tiebreak_round":
            key.append(standing.tiebreak_place)
    return tuple(key)


def rank(table: list[Standing], tiebreak: tuple[str, ...]) -> list[Standing]:
    """Order standings and give ranks; equal keys share a rank (1, 2, 2, 4)."""
    keyed = sorted(((_sort_key(s, tiebreak), i, s) for i, s in enumerate(table)))
    previous: tuple[float, ...] | None = None
    for position, (key, _, standing) in enumerate(keyed, start=1):
        if key != previous:
            standing.rank = position
            previous = key
        else:
            standing.rank = keyed[position - 2][2].rank
    return [s for _, _, s in keyed]
