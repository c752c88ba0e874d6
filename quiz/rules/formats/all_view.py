"""The `all` format's part of the views: raised boards, the distribution of
choices after the reveal, and a tablet's own answer."""

from __future__ import annotations

from typing import Any

from quiz.rules.answers import display, true_false_text
from quiz.rules.formats.base import ViewCtx
from quiz.rules.model import AllSettings, Phase

TYPES = ("single", "multiple", "true_false")


def _ms(seconds: float | None) -> int | None:
    return None if seconds is None else int(round(seconds * 1000))


def shown_answers(v: ViewCtx) -> dict[str, Any]:
    """Each team's answer as the hall sees it: its own, or the one set by hand."""
    values: dict[str, Any] = {team: r.value for team, r in v.ctx.q.answers.items()}
    for team, override in v.overrides.items():
        if override.value is not None:
            values[team] = override.value
    return values


def boards(v: ViewCtx) -> list[dict[str, Any]] | None:
    """The raised boards: every team's answer side by side, once time is up."""
    if v.ctx.state.phase not in (Phase.CLOSED, Phase.REVEALED):
        return None
    question = v.ctx.question
    values = shown_answers(v)
    return [
        {
            "team": t.id,
            "name": t.name,
            "answer": display(question, values[t.id]) if t.id in values else None,
        }
        for t in v.ctx.contest.teams
    ]


def team(v: ViewCtx, team_id: str) -> dict[str, Any]:
    record = v.ctx.q.answers.get(team_id)
    mine = None
    if record is not None:
        mine = {
            "value": record.value,
            "display": display(v.ctx.question, record.value),
            "time_ms": _ms(record.time),
            "nonce": record.nonce,
        }
    settings = v.ctx.round.settings
    assert isinstance(settings, AllSettings)
    return {"my_answer": mine, "allow_change": settings.allow_change}


def distribution(v: ViewCtx) -> dict[str, Any] | None:
    """How many teams chose each option, after the reveal (`show_distribution`).

    Counts the answers as the hall saw them (a hand-set answer replaces the
    team's own). Before the reveal nothing is given: the counts would hint
    at what the hall thinks.
    """
    question, q = v.ctx.question, v.ctx.q
    if question.type not in TYPES or not q.revealed:
        return None
    if not getattr(v.ctx.round.settings, "show_distribution", True):
        return None
    teams = {t.id for t in v.ctx.contest.teams}
    chosen = [value for t, value in shown_answers(v).items() if t in teams]
    if question.type == "true_false":
        options: list[tuple[Any, str]] = [
            (True, true_false_text(True)),
            (False, true_false_text(False)),
        ]
        counts = [sum(1 for c in chosen if c is key) for key, _ in options]
    else:
        options = [(letter, text) for letter, text in question.choices]
        counts = [sum(1 for c in chosen if _picked(c, letter)) for letter, _ in options]
    return {
        "options": [
            {"key": key, "text": text, "count": n}
            for (key, text), n in zip(options, counts, strict=True)
        ],
        "answered": len(chosen),
        "none": len(teams) - len(chosen),
        "teams": len(teams),
    }


def _picked(value: Any, letter: str) -> bool:
    """Whether an answer (a letter, or several for `multiple`) includes `letter`."""
    if isinstance(value, list | tuple | set | frozenset):
        return letter in value
    return bool(value == letter)
