"""How many teams chose each option, shown on the board after the reveal.

For `single`, `multiple` and `true_false` questions of an `all` round with
`show_distribution: true` (the default). Counts the answers as the hall saw
them (a hand-set answer replaces the team's own). Before the reveal nothing
is given: the counts would hint at what the hall thinks. Imports model,
state, scoring.
"""

from __future__ import annotations

from typing import Any

from .model import Contest
from .scoring import overrides_for
from .state import ContestState, QuestionState

TYPES = ("single", "multiple", "true_false")


def distribution(contest: Contest, state: ContestState, q: QuestionState) -> dict[str, Any] | None:
    rnd = contest.rounds[q.round]
    question = contest.questions[q.id]
    if rnd.format != "all" or question.type not in TYPES or not q.revealed:
        return None
    if not getattr(rnd.settings, "show_distribution", True):
        return None
    values: dict[str, Any] = {team: record.value for team, record in q.answers.items()}
    for team, override in overrides_for(state, q.id).items():
        if override.value is not None:
            values[team] = override.value
    teams = {t.id for t in contest.teams}
    chosen = [v for t, v in values.items() if t in teams]
    if question.type == "true_false":
        options: list[tuple[Any, str]] = [(True, "Đúng"), (False, "Sai")]
        counts = [sum(1 for v in chosen if v is key) for key, _ in options]
    else:
        options = [(letter, text) for letter, text in question.choices]
        counts = [sum(1 for v in chosen if _picked(v, letter)) for letter, _ in options]
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
