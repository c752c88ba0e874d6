"""A contest's questions across its rounds: the rounds as read (plans), the
questions named checked against the banks, and the draws, which are
deterministic for a given seed."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from quiz.files.bank.fields import _did_you_mean, _Report
from quiz.rules.model import Level, Question, QuestionType


@dataclass(frozen=True)
class _Draw:
    count: int
    tags: tuple[str, ...]
    level: Level | None
    seed: int
    line: int
    types: tuple[QuestionType, ...] = ()


@dataclass
class _RoundPlan:
    """A round as read, before its draw is made."""

    id: str
    prefix: str  # for messages: "round 'chung': "
    title: str
    format: str
    settings: object
    line: int
    named: list[tuple[str, int]] = field(default_factory=list)  # (question id, line)
    draw: _Draw | None = None
    question_ids: list[str] = field(default_factory=list)  # named, then drawn
    extra_lines: list[int] = field(default_factory=list)  # each rescue question's line


@dataclass(frozen=True)
class _Catalogue:
    """Every question the contest's banks hold, in load order."""

    questions: tuple[Question, ...]
    known_ids: frozenset[str]  # including ids of questions that failed to load
    all_read: bool  # every bank listed was found and parsed: an unknown id is really unknown
    complete: bool  # ... and loaded without a problem: draws can be made


def _check_closest(report: _Report, plans: Sequence[_RoundPlan], catalogue: _Catalogue) -> None:
    """A `tiebreak` round in `mode: closest` asks `number` questions only."""
    by_id = {q.id: q for q in catalogue.questions}
    for plan in plans:
        if getattr(plan.settings, "mode", None) != "closest":
            continue
        lines = dict(plan.named)
        for question_id in plan.question_ids:
            question = by_id.get(question_id)
            if question is None or question.type == "number":
                continue
            line = lines.get(question_id, plan.draw.line if plan.draw else plan.line)
            report.add(
                line,
                f"{plan.prefix}question '{question_id}' is of type '{question.type}': "
                "mode: closest asks number questions only",
            )


def _check_named_questions(
    report: _Report, plans: Sequence[_RoundPlan], catalogue: _Catalogue
) -> set[str]:
    """Check `questions:` lists: known ids, each asked once. Returns the ids named."""
    named: dict[str, tuple[str, int]] = {}
    for plan in plans:
        prefix = plan.prefix
        for question_id, line in plan.named:
            if question_id not in catalogue.known_ids:
                if not catalogue.all_read:
                    continue  # the id may be in the bank that could not be read
                hint = _did_you_mean(question_id, catalogue.known_ids)
                report.add(line, f"{prefix}question '{question_id}' is not in the banks{hint}")
            elif question_id in named:
                other_round, other_line = named[question_id]
                where = "this round" if other_round == plan.id else f"round '{other_round}'"
                report.add(
                    line,
                    f"{prefix}question '{question_id}' is already asked in {where} "
                    f"(line {other_line})",
                )
            else:
                named[question_id] = (plan.id, line)
                plan.question_ids.append(question_id)
    return set(named)


def _check_extra_questions(
    report: _Report, plans: Sequence[_RoundPlan], catalogue: _Catalogue, named: set[str]
) -> set[str]:
    """Questions a round's settings name besides its own (rescue questions):
    known, asked at most once in the contest, never drawn."""
    taken: set[str] = set()
    for plan in plans:
        for index, question_id in enumerate(getattr(plan.settings, "rescue_questions", ())):
            line = plan.extra_lines[index] if index < len(plan.extra_lines) else plan.line
            if question_id not in catalogue.known_ids:
                if catalogue.all_read:
                    hint = _did_you_mean(question_id, catalogue.known_ids)
                    report.add(
                        line,
                        f"{plan.prefix}rescue question '{question_id}' is not in the banks{hint}",
                    )
            elif question_id in named or question_id in taken:
                report.add(
                    line,
                    f"{plan.prefix}rescue question '{question_id}' is already asked in the contest",
                )
            else:
                taken.add(question_id)
    return taken


def _make_draws(
    report: _Report, plans: Sequence[_RoundPlan], catalogue: _Catalogue, named: set[str]
) -> None:
    """Draw in round order, never a question named by a round or drawn before."""
    taken = set(named)
    for plan in plans:
        draw = plan.draw
        if draw is None:
            continue
        candidates = [q for q in catalogue.questions if q.id not in taken and _matches(q, draw)]
        if draw.count > len(candidates):
            report.add(
                draw.line,
                f"{plan.prefix}draw asks for {draw.count} questions but only "
                f"{len(candidates)} can be drawn ({_draw_filter(draw)}"
                "not named or drawn by another round)",
            )
            continue
        picked = random.Random(draw.seed).sample(candidates, draw.count)
        plan.question_ids = [q.id for q in picked]
        taken.update(plan.question_ids)


def _matches(question: Question, draw: _Draw) -> bool:
    if draw.tags and not set(draw.tags) & set(question.tags):
        return False
    if draw.types and question.type not in draw.types:
        return False
    return draw.level is None or question.level == draw.level


def _draw_filter(draw: _Draw) -> str:
    parts: list[str] = []
    if draw.tags:
        parts.append("tags: " + ", ".join(draw.tags))
    if draw.level:
        parts.append("level: " + draw.level)
    if draw.types:
        parts.append("types: " + ", ".join(draw.types))
    return f"matching {'; '.join(parts)}; " if parts else ""
