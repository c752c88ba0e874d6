"""What a judge's device shows: the team being scored, the round's scale, and
the judge's own score (never another judge's before the board shows them).

A JSON-ready dict like the other views (views.py). Imports model, state,
engine, formats.judged.
"""

from __future__ import annotations

from typing import Any

from quiz.rules import engine
from quiz.rules.formats import judged
from quiz.rules.model import Contest, Phase
from quiz.rules.state import ContestState


def _ms(seconds: float) -> int:
    return int(round(seconds * 1000))


def judge_view(contest: Contest, state: ContestState, judge_id: str, now: float) -> dict[str, Any]:
    judge = contest.judge(judge_id)
    assert judge is not None
    view: dict[str, Any] = {
        "role": "judge",
        "v": state.seq,
        "now": _ms(now),
        "contest": {"id": contest.id, "title": contest.title},
        "phase": state.phase.value,
        "me": {"id": judge.id, "name": judge.name},
        "round": None,
        "turn": None,
    }
    if state.round < 0:
        return view
    rnd = contest.rounds[state.round]
    view["round"] = {
        "id": rnd.id,
        "title": rnd.title,
        "format": rnd.format,
        "number": state.round + 1,
        "of": len(contest.rounds),
    }
    if rnd.format != judged.JudgedFormat.name:
        return view
    view["round"]["settings"] = judged.settings_view(rnd)
    mine = judge_id in [j.id for j in judged.round_judges(contest, rnd)]
    view["round"]["mine"] = mine
    ctx = engine.context(contest, state)
    if ctx is None or ctx.round.id != rnd.id or state.phase in (Phase.INTRO, Phase.LOBBY):
        return view
    scores = judged.effective_scores(ctx)
    own = scores.get(judge_id)
    shown = ctx.q.revealed
    view["turn"] = {
        "question": ctx.q.id,
        "team": judged.team_of(ctx.q.id),
        "team_name": ctx.question.text,
        "number": ctx.q.index + 1,
        "of": len(rnd.question_ids),
        "may_score": mine and state.phase in (Phase.OPEN, Phase.CLOSED),
        "shown": shown,
        "mine": None if own is None else {"score": own.score, "parts": own.parts},
        # the hall's view of the turn once the board shows the scores
        "public": judged.public_turn(ctx, show=True) if state.phase != Phase.OPEN else None,
    }
    return view
