"""The pieces every audience's view is built from: the contest, the round and
the question as anyone may see them (never the key), the clock, the
scoreboard, the reveal, and the standings computed once per push (Tables).
views.py composes them per audience. Imports model, state, answers, scoring,
engine, formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quiz.rules import engine
from quiz.rules.answers import key_display, key_for_wire
from quiz.rules.formats import FORMATS, RoundFormat
from quiz.rules.formats.base import ViewCtx
from quiz.rules.model import Contest, Phase
from quiz.rules.scoring import (
    Standing,
    all_results,
    overrides_for,
    question_results,
    standings,
    voided,
)
from quiz.rules.state import ContestState, QuestionState
from quiz.rules.text import tr


def ms(seconds: float | None) -> int | None:
    return None if seconds is None else int(round(seconds * 1000))


def plain_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 3)


def _contest(contest: Contest) -> dict[str, Any]:
    return {
        "id": contest.id,
        "title": contest.title,
        "subtitle": contest.subtitle,
        "organizer": contest.organizer,
        "date": contest.date,
        "venue": contest.venue,
    }


def _round(contest: Contest, state: ContestState) -> dict[str, Any] | None:
    if state.round < 0:
        return None
    rnd = contest.rounds[state.round]
    return {
        "id": rnd.id,
        "title": rnd.title,
        "format": rnd.format,
        "format_title": tr(FORMATS[rnd.format].title) if FORMATS[rnd.format].title else rnd.format,
        "number": state.round + 1,
        "of": len(contest.rounds),
        "questions": len(rnd.question_ids),
        "settings": _settings(rnd.settings),
    }


def _settings(settings: object) -> dict[str, Any]:
    data = dict(vars(settings)) if hasattr(settings, "__dict__") else {}
    return {k: (_plain(list(v)) if isinstance(v, tuple) else v) for k, v in data.items()}


def _plain(items: list[Any]) -> list[Any]:
    """A settings list as JSON data: a record in it (a criterion) becomes a dict."""
    return [dict(vars(item)) if hasattr(item, "__dict__") else item for item in items]


def _question(contest: Contest, state: ContestState, q: QuestionState) -> dict[str, Any]:
    """The question as anyone may see it: never the key."""
    return public_question(contest, q.id, q.round, q.index)


def public_question(contest: Contest, qid: str, round_index: int, index: int) -> dict[str, Any]:
    """A question's text, options and settings, without its answer."""
    question = contest.questions[qid]
    rnd = contest.rounds[round_index]
    return {
        "id": question.id,
        "number": index + 1,
        "of": len(rnd.question_ids),
        "round": round_index,
        "type": question.type,
        "text": question.text,
        "choices": [{"key": k, "text": t} for k, t in question.choices],
        "items": [{"key": k, "text": t} for k, t in question.items],
        "unit": question.unit,
        "image": f"/media/{question.id}" if question.image else None,
        "points": question.points,
        "time_limit": question.time_limit,
    }


def _clock(state: ContestState, q: QuestionState, now: float) -> dict[str, Any] | None:
    clock = q.clock
    if clock is None or state.phase not in engine.CLOCK_PHASES:
        return None
    return {
        "kind": clock.kind,
        "running": clock.running,
        "limit_ms": ms(clock.limit),
        "remaining_ms": ms(clock.remaining(now)),
        "deadline": ms(clock.deadline()),
        "opened_at": ms(clock.started_at),
    }


def view_ctx(contest: Contest, state: ContestState, q: QuestionState, now: float) -> ViewCtx:
    """What the format of q's round needs to add its part to a view."""
    ctx = engine.context(contest, state, q.id)
    assert ctx is not None
    return ViewCtx(
        ctx,
        now,
        lambda: question_results(contest, state, q.id),
        lambda: overrides_for(state, q.id),
    )


def format_of(contest: Contest, q: QuestionState) -> RoundFormat:
    return FORMATS[contest.rounds[q.round].format]


def scoreboard_rows(table: list[Standing], before: list[Standing] | None) -> list[dict[str, Any]]:
    prior = {s.team: s.rank for s in before} if before else {}
    return [
        {
            "team": s.team,
            "name": s.name,
            "total": plain_number(s.total),
            "rank": s.rank,
            "previous_rank": prior.get(s.team),
            "correct": s.correct_count,
            "answer_time_ms": ms(s.answer_time),
        }
        for s in table
    ]


def _scored_last(state: ContestState) -> frozenset[str]:
    """The question whose points came last, to show rank changes against."""
    q = state.question
    return frozenset({q.id}) if q is not None else frozenset()


def base_view(
    contest: Contest, state: ContestState, now: float, role: str, for_team: str | None = None
) -> dict[str, Any]:
    q = state.question
    view: dict[str, Any] = {
        "role": role,
        "v": state.seq,
        "now": ms(now),
        "contest": _contest(contest),
        "phase": state.phase.value,
        "round": _round(contest, state),
        "question": None,
        "clock": None,
        "buzz": None,
        "reveal": None,
        "show_scoreboard": state.show_scoreboard or state.phase == Phase.FINISHED,
        "teams": [{"id": t.id, "name": t.name} for t in contest.teams],
    }
    if state.round >= 0 and state.phase != Phase.FINISHED:  # the round's own part, if any
        rnd_fmt = FORMATS[contest.rounds[state.round].format]
        view.update(rnd_fmt.round_view(contest, state, for_team))
    if q is not None and state.phase not in (Phase.INTRO, Phase.LOBBY, Phase.FINISHED):
        view["question"] = _question(contest, state, q)
        view["clock"] = _clock(state, q, now)
        view.update(format_of(contest, q).common(view_ctx(contest, state, q, now)))
        # Why answering ended: "time" (Hết giờ!) or "mc" (Dừng sớm), ...; None while open.
        view["close_reason"] = q.close_reason
        answered = set(_shown_answers(contest, state, q))
        for team in view["teams"]:
            team["answered"] = team["id"] in answered
    return view


def reveal_view(contest: Contest, state: ContestState, q: QuestionState) -> dict[str, Any]:
    question = contest.questions[q.id]
    results = question_results(contest, state, q.id)
    return {
        "answer": key_display(question),
        "key": key_for_wire(question),
        "explanation": question.explanation,
        "source": question.source,
        "void": q.id in voided(state),
        "results": [
            {
                "team": t.id,
                "name": t.name,
                "correct": results[t.id].correct,
                "points": plain_number(results[t.id].points),
            }
            for t in contest.teams
        ],
    }


def revealed_question(state: ContestState) -> QuestionState | None:
    q = state.question
    return q if q is not None and q.revealed and state.phase == Phase.REVEALED else None


@dataclass(frozen=True)
class Tables:
    """The standings now and before the latest question, computed once per push."""

    now: list[Standing]
    before: list[Standing]


def tables(contest: Contest, state: ContestState) -> Tables:
    results = all_results(contest, state)
    return Tables(
        standings(contest, state, results=results),
        standings(contest, state, exclude=_scored_last(state), results=results),
    )


def _shown_answers(contest: Contest, state: ContestState, q: QuestionState) -> dict[str, Any]:
    """Each team's answer as the hall sees it: its own, or the one set by hand."""
    values: dict[str, Any] = {team: record.value for team, record in q.answers.items()}
    for team, override in overrides_for(state, q.id).items():
        if override.value is not None:
            values[team] = override.value
    return values
