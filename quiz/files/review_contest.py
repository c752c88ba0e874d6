"""Reviewer checks of a contest's rounds: what the contest asks together.

Owns the warnings that need the contest: answer leaks among the questions of
its rounds (`quiz.files.review_leaks`), the true/false balance of a round, and a
buzzer round answered by voice that can ask `multiple` or `order` questions,
which nobody answers aloud in a few seconds. Draw filters are read again from
the contest file (with `quiz.files.yamlsource`) to know what a draw *can* pick, not
only what it picked with its seed.

Imports only the standard library, `quiz.files.bank`, `quiz.rules.model`,
`quiz.files.review_content`, `quiz.files.review_leaks` and `quiz.files.yamlsource`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from quiz.files.bank import Problem
from quiz.files.review_content import true_false_balance
from quiz.files.review_leaks import contest_pool, leak_warnings
from quiz.files.yamlsource import Map, Scalar, Seq, SourceError, load_file
from quiz.rules.model import BuzzerSettings, Contest, Question, Round

Locate = Callable[[Question, str], int]
UNSPOKEN = ("multiple", "order")  # types a team cannot answer aloud


@dataclass(frozen=True)
class DrawFilter:
    tags: tuple[str, ...]
    level: str | None
    types: tuple[str, ...]

    def matches(self, question: Question) -> bool:
        if self.tags and not set(self.tags) & set(question.tags):
            return False
        if self.types and question.type not in self.types:
            return False
        return self.level is None or question.level == self.level


def _texts(node: object) -> tuple[str, ...]:
    if isinstance(node, Seq):
        return tuple(item.text for item in node.items if isinstance(item, Scalar))
    return ()


def draw_filters(contest_file: str) -> dict[str, DrawFilter]:
    """Each drawn round's filter, by round id, as the contest file writes it."""
    try:
        root = load_file(contest_file).root
    except SourceError:
        return {}
    rounds = root.get("rounds") if isinstance(root, Map) else None
    if rounds is None or not isinstance(rounds.value, Seq):
        return {}
    found: dict[str, DrawFilter] = {}
    for node in rounds.value.items:
        if not isinstance(node, Map):
            continue
        round_id, draw = node.get("id"), node.get("draw")
        if round_id is None or draw is None or not isinstance(draw.value, Map):
            continue
        if not isinstance(round_id.value, Scalar):
            continue
        level, tags, types = (draw.value.get(key) for key in ("level", "tags", "types"))
        found[round_id.value.text] = DrawFilter(
            _texts(tags.value) if tags is not None else (),
            level.value.text if level is not None and isinstance(level.value, Scalar) else None,
            _texts(types.value) if types is not None else (),
        )
    return found


def _voice_buzzer(contest: Contest, played: Round, draw: DrawFilter | None) -> str | None:
    settings = played.settings
    if not isinstance(settings, BuzzerSettings) or settings.answer_on != "voice":
        return None
    asked = [contest.questions[q] for q in played.question_ids if q in contest.questions]
    picked = [q.id for q in asked if q.type in UNSPOKEN]
    possible: list[Question] = []
    if draw is not None:
        possible = [q for q in contest.questions.values() if draw.matches(q) and q.type in UNSPOKEN]
    if not picked and not possible:
        return None
    parts: list[str] = []
    if possible:
        kinds = sorted({q.type for q in possible})
        parts.append(f"its draw can pick {len(possible)} {' or '.join(kinds)} questions")
    if picked:
        parts.append(f"it asks {', '.join(picked)}")
    return (
        f"round '{played.id}' is a buzzer round answered by voice in "
        f"{settings.answer_time:g} s, but {' and '.join(parts)}, which nobody can answer "
        "aloud in time: name other questions, or give the draw "
        "'types: [single, true_false, number, text]'"
    )


def contest_warnings(contest: Contest, line_of: Locate) -> list[Problem]:
    """Leaks among the contest's rounds, and each round's balance and fitness for voice."""
    found = leak_warnings(contest_pool(contest), line_of, f" in contest '{contest.id}'")
    filters = draw_filters(contest.file) if contest.file else {}
    for played in contest.rounds:
        line = played.line or 1
        asked = [contest.questions[q] for q in played.question_ids if q in contest.questions]
        balance = true_false_balance(asked)
        if balance is not None:
            found.append(Problem(contest.file, line, f"warning: round '{played.id}': {balance}"))
        voice = _voice_buzzer(contest, played, filters.get(played.id))
        if voice is not None:
            found.append(Problem(contest.file, line, f"warning: {voice}"))
    return found
