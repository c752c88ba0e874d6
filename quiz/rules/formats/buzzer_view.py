"""The `buzzer` format's part of the views: the buzz order as the board, the
MC and the tablets see it, and a tablet's own buzzer.

Every press of every opening of the buzzers (a rebound adds to the order,
never clears it), each with its time behind the first press of its opening,
and each attempt's verdict and points. The verdict shown is the one in force:
a verdict undone, or an answer set by hand, changes it.
"""

from __future__ import annotations

from typing import Any

from quiz.rules.formats.base import Ctx, TeamResult, ViewCtx
from quiz.rules.formats.buzzer_state import BuzzerQuestion, attempt_points, mine
from quiz.rules.model import Contest, Phase
from quiz.rules.state import ContestState, QuestionState


def _ms(seconds: float | None) -> int | None:
    return None if seconds is None else int(round(seconds * 1000))


def _num(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 3)


def _final(results: dict[str, TeamResult], team: str) -> str | None:
    """The verdict in force for a team: its result, after corrections."""
    result = results.get(team)
    if result is None or result.correct is None:
        return None
    return "correct" if result.correct else "wrong"


def _order(q: BuzzerQuestion, names: dict[str, str]) -> list[dict[str, Any]]:
    """Every press of every opening, in press order within each opening."""
    firsts: dict[int, float] = {}
    for press in q.presses:
        firsts[press.opening] = min(firsts.get(press.opening, press.pressed), press.pressed)
    by_turn = {(a.team, a.opening): a for a in q.attempts}
    order = []
    for press in sorted(q.presses, key=lambda p: (p.opening, p.pressed)):
        attempt = by_turn.get((press.team, press.opening))
        order.append(
            {
                "team": press.team,
                "name": names.get(press.team, press.team),
                "opening": press.opening,
                "behind_ms": _ms(press.pressed - firsts[press.opening]),
                "time_ms": _ms(press.time),
                "late": press.late,
                "answered": attempt is not None,
                "verdict": attempt.verdict if attempt and not attempt.undone else None,
            }
        )
    return order


def _attempts(v: ViewCtx, q: BuzzerQuestion, names: dict[str, str]) -> list[dict[str, Any]]:
    """Each judged turn, its verdict and points, and what stands after corrections."""
    attempts = []
    for a in q.attempts:
        if a.verdict is None:
            continue
        result = v.results.get(a.team)
        attempts.append(
            {
                "team": a.team,
                "name": names.get(a.team, a.team),
                "opening": a.opening,
                "verdict": a.verdict,
                "points": _num(attempt_points(v.ctx, a.verdict)),
                "undone": a.undone,
                "undo_reason": a.undo_reason,
                "final": _final(v.results, a.team),
                "final_points": _num(result.points) if result is not None else None,
                "by_hand": bool(result and result.by_hand),
            }
        )
    return attempts


def buzz_view(v: ViewCtx) -> dict[str, Any]:
    ctx, results = v.ctx, v.results
    contest, state, q = ctx.contest, ctx.state, mine(ctx.q)
    names = {t.id: t.name for t in contest.teams}
    current = q.attempts[-1] if q.attempts else None
    winner = current.team if current and current.verdict is None else None
    scored = [
        {
            "team": t.id,
            "name": t.name,
            "verdict": _final(results, t.id),
            "points": _num(results[t.id].points),
            "by_hand": results[t.id].by_hand,
        }
        for t in contest.teams
        if _final(results, t.id) is not None
    ]
    right = [s for s in scored if s["verdict"] == "correct"]
    outcome = right[0] if right else None
    if outcome is None and current is not None and current.verdict is not None:
        outcome = next((s for s in scored if s["team"] == current.team), None)
    return {
        "open": state.phase == Phase.OPEN,
        "opening": q.openings,
        "order": _order(q, names),
        "winner": winner,
        "time_up": bool(winner and current and current.time_up_at is not None),
        "answer_on": getattr(ctx.round.settings, "answer_on", "voice"),
        "locked_out": sorted(q.locked_out),
        "attempts": _attempts(v, q, names),
        "scored": scored,
        "outcome": outcome,
    }


def buzzer_state(state: ContestState, q: QuestionState, team_id: str) -> str:
    """A tablet's buzzer: closed | open | buzzed | won | locked_out | done | lost."""
    b = mine(q)
    if team_id in b.locked_out:
        return "locked_out"
    current = b.attempts[-1] if b.attempts else None
    if current is not None and current.verdict is None and current.team == team_id:
        return "won"
    if any(a.team == team_id for a in b.attempts):
        return "done"
    if state.phase == Phase.OPEN:
        return "buzzed" if any(r.team == team_id for r in b.buzzes) else "open"
    if state.phase == Phase.ANSWERING:
        return "lost"
    return "closed"


def buzz_points(contest: Contest, state: ContestState, q: QuestionState, verdict: str) -> float:
    """What a judged turn's verdict scores on question q, by its round's format
    (a buzz, or a `turns` answer or steal)."""
    from quiz.rules.formats import FORMATS  # the registry imports this module

    ctx = Ctx(contest, state, contest.rounds[q.round], contest.questions[q.id], q)
    return FORMATS[ctx.round.format].verdict_points(ctx, verdict) or 0.0
