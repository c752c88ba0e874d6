"""The buzz order as the board, the MC and the tablets see it.

Every press of every opening of the buzzers (a rebound adds to the order,
never clears it), each with its time behind the first press of its opening,
and each attempt's verdict and points. The verdict shown is the one in force:
a verdict undone, or an answer set by hand, changes it. Imports model, state,
scoring, formats.
"""

from __future__ import annotations

from typing import Any

from .formats.base import Ctx
from .formats.buzzer import attempt_points
from .model import Contest, Phase
from .scoring import question_results
from .state import ContestState, QuestionState


def _ms(seconds: float | None) -> int | None:
    return None if seconds is None else int(round(seconds * 1000))


def _num(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 3)


def buzz_view(contest: Contest, state: ContestState, q: QuestionState) -> dict[str, Any]:
    names = {t.id: t.name for t in contest.teams}
    ctx = Ctx(contest, state, contest.rounds[q.round], contest.questions[q.id], q)
    results = question_results(contest, state, q.id)
    current = q.attempts[-1] if q.attempts else None
    winner = current.team if current and current.verdict is None else None
    firsts: dict[int, float] = {}
    for press in q.presses:
        firsts[press.opening] = min(firsts.get(press.opening, press.pressed), press.pressed)
    by_turn = {(a.team, a.opening): a for a in q.attempts}

    def final(team: str) -> str | None:
        result = results.get(team)
        if result is None or result.correct is None:
            return None
        return "correct" if result.correct else "wrong"

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
    attempts = []
    for a in q.attempts:
        if a.verdict is None:
            continue
        result = results.get(a.team)
        attempts.append(
            {
                "team": a.team,
                "name": names.get(a.team, a.team),
                "opening": a.opening,
                "verdict": a.verdict,
                "points": _num(attempt_points(ctx, a.verdict)),
                "undone": a.undone,
                "undo_reason": a.undo_reason,
                "final": final(a.team),
                "final_points": _num(result.points) if result is not None else None,
                "by_hand": bool(result and result.by_hand),
            }
        )
    scored = [
        {
            "team": t.id,
            "name": t.name,
            "verdict": final(t.id),
            "points": _num(results[t.id].points),
            "by_hand": results[t.id].by_hand,
        }
        for t in contest.teams
        if final(t.id) is not None
    ]
    right = [s for s in scored if s["verdict"] == "correct"]
    outcome = right[0] if right else None
    if outcome is None and current is not None and current.verdict is not None:
        outcome = next((s for s in scored if s["team"] == current.team), None)
    return {
        "open": state.phase == Phase.OPEN,
        "opening": q.openings,
        "order": order,
        "winner": winner,
        "time_up": bool(winner and current and current.time_up_at is not None),
        "answer_on": getattr(ctx.round.settings, "answer_on", "voice"),
        "locked_out": sorted(q.locked_out),
        "attempts": attempts,
        "scored": scored,
        "outcome": outcome,
    }


def buzz_points(contest: Contest, state: ContestState, q: QuestionState, verdict: str) -> float:
    """What a buzz verdict scores on question q."""
    ctx = Ctx(contest, state, contest.rounds[q.round], contest.questions[q.id], q)
    return attempt_points(ctx, verdict) or 0.0
