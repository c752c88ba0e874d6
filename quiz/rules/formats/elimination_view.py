"""Rung chuông vàng's part of the views: the floor, the MC's list and rescue
controls, and a player's own few keys.

The floor is built from elimination_floor.floor (cached per state version),
so one push builds it once. Before a question is revealed nothing here says
who was right: the floor changes only at the reveal.
"""

from __future__ import annotations

from typing import Any

from quiz.rules.answers import display, is_correct
from quiz.rules.formats.base import ViewCtx
from quiz.rules.formats.elimination_floor import Floor, floor, mine, over, settings_of
from quiz.rules.model import Phase


def _ms(seconds: float | None) -> int | None:
    return None if seconds is None else int(round(seconds * 1000))


def _status(f: Floor, number: str) -> str:
    s = f.players[number]
    return ("back" if s.back else "on") if s.on else "out"


def summary(v: ViewCtx) -> dict[str, Any]:
    """What every screen shows of the floor: counts, the end, the golden bell."""
    ctx = v.ctx
    f = floor(ctx.contest, ctx.state, ctx.q.round)
    settings = settings_of(ctx.contest, ctx.q.round)
    rescue = mine(ctx.q).rescue
    eligible = len(f.out_before) if rescue else f.on_count
    if ctx.q.revealed:
        eligible = len(ctx.q.answers) if rescue else eligible
    current_round = ctx.state.round == ctx.q.round
    ended = over(ctx.contest, ctx.state, f) if current_round else None
    winners = f.on_floor() if ended == "winner" and f.on_count == 1 else []
    return {
        "total": len(f.players),
        "on": f.on_count,
        "out": len(f.players) - f.on_count,
        "answered": len(ctx.q.answers),
        "eligible": eligible,
        "rescue_question": rescue,
        "revealed": ctx.q.revealed,
        "left": f.last_left if ctx.q.revealed and not rescue else None,
        "back": f.last_back if ctx.q.revealed else None,
        "restored": f.restored and ctx.q.revealed and not rescue,
        "over": ended,
        "winners": [_who(v, n) for n in winners],
        "bell": [_who(v, n) for n in f.bell],
        "rescues": f.rescues,
        "rescue_max": settings.rescue_max,
        "question_number": ctx.q.index + 1,
    }


def _who(v: ViewCtx, number: str) -> dict[str, Any]:
    player = v.ctx.contest.player(number)
    return {"number": number, "name": player.name if player else number}


def floor_view(v: ViewCtx, tiles: bool) -> dict[str, Any]:
    """The board's floor: the summary and, with `tiles`, every player's tile."""
    out = summary(v)
    if tiles:
        f = floor(v.ctx.contest, v.ctx.state, v.ctx.q.round)
        out["tiles"] = [{"n": n, "s": _status(f, n), "q": s.out_at} for n, s in f.players.items()]
    return out


def mc_part(v: ViewCtx, allowed: bool, why: str) -> dict[str, Any]:
    """The MC: the players with their status and answer (with its verdict: the
    MC sees the key), and the rescue controls with their rules."""
    ctx = v.ctx
    f = floor(ctx.contest, ctx.state, ctx.q.round)
    settings = settings_of(ctx.contest, ctx.q.round)
    question = ctx.question
    answers = mine(ctx.q).answers
    rows = []
    for player in ctx.contest.players:
        s = f.players[player.number]
        answer = answers.get(player.number)
        rows.append(
            {
                "number": player.number,
                "name": player.name,
                "team": player.team,
                "unit": player.unit,
                "status": _status(f, player.number),
                "out_at": s.out_at,
                "rank": s.rank,
                "correct_count": s.correct,
                "answer": display(question, answer.value) if answer else None,
                "correct": is_correct(question, answer.value) if answer else None,
                "time_ms": _ms(answer.time) if answer else None,
            }
        )
    used_questions = f.rescue_asked
    return {
        "players": rows,
        "rescue": {
            "allowed": allowed,
            "why": why,
            "modes": list(settings.rescue_modes),
            "used": f.rescues,
            "max": settings.rescue_max,
            "when_below": settings.rescue_when_below,
            "questions_left": max(0, len(settings.rescue_questions) - used_questions),
        },
    }


def player_part(v: ViewCtx, number: str) -> dict[str, Any]:
    """One phone's own keys: its status, its answer, its result after the reveal."""
    ctx = v.ctx
    f = floor(ctx.contest, ctx.state, ctx.q.round)
    s = f.players.get(number)
    if s is None:
        return {}
    rescue = mine(ctx.q).rescue
    may = (number in f.out_before) if rescue else s.on
    if ctx.q.revealed:
        may = False
    answer = mine(ctx.q).answers.get(number)
    result = None
    if ctx.q.revealed and answer is not None:
        result = {"correct": is_correct(ctx.question, answer.value)}
    return {
        "status": _status(f, number),
        "out_at": s.out_at,
        "rank": s.rank,
        "may_answer": may and ctx.state.phase in (Phase.SHOWN, Phase.OPEN),
        "my_answer": (
            {
                "display": display(ctx.question, answer.value),
                "time_ms": _ms(answer.time),
                "nonce": answer.nonce,
            }
            if answer
            else None
        ),
        "result": result,
    }
