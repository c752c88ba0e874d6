"""`quiz check [--strict] FILE...`: report every problem of banks and contests, or summarise them.

Owns only the terminal side of checking: which stream gets what and the exit
code. The rules themselves live in `quiz.files.bank` (errors) and `quiz.files.review`
(warnings). Imports nothing from Flask or Socket.IO.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TextIO

from quiz.files.bank import LoadError, load_files
from quiz.files.review import SourceLines, bank_leak_notes, review
from quiz.rules.model import QUESTION_TYPES, Bank, Contest, Question


def run_check(paths: list[str], out: TextIO, err: TextIO, *, strict: bool = False) -> int:
    """Check the files; print problems to `err` (exit 1) or a summary to `out` (exit 0).

    Files that load are also reviewed: warnings go to `err` and leave the exit
    code 0, unless `strict`, when any warning makes it 1.
    """
    if not paths:
        print("usage: quiz check [--strict] FILE...", file=err)
        return 2
    try:
        loaded = load_files(paths)
    except LoadError as error:
        for problem in error.problems:
            print(problem, file=err)
        return 1
    locate = SourceLines()
    warnings = review(banks_of(loaded), locate, contests=contests_of(loaded))
    for warning in warnings:
        print(warning, file=err)
    for item in loaded:
        for line in summary(item):
            print(line, file=out)
    for line in notes(banks_of(loaded), locate):
        print(line, file=out)
    for leak in bank_leak_notes(banks_of(loaded), locate, contests=contests_of(loaded)):
        print(leak, file=out)
    return 1 if strict and warnings else 0


def contests_of(loaded: Iterable[Bank | Contest]) -> list[Contest]:
    return [item for item in loaded if isinstance(item, Contest)]


def notes(banks: Iterable[Bank], locate: SourceLines) -> list[str]:
    """Reviewers' notes, `FILE:LINE: note: question 'id': ...`, each bank file once."""
    lines: list[str] = []
    seen: set[str] = set()
    for bank in banks:
        if bank.file in seen:
            continue
        seen.add(bank.file)
        for question in bank.questions:
            if question.note:
                line = locate(question.file, question.line, "note") or question.line
                text = " ".join(question.note.split())
                lines.append(f"{question.file}:{line}: note: question '{question.id}': {text}")
    return lines


def banks_of(loaded: Iterable[Bank | Contest]) -> list[Bank]:
    """The banks given and the banks of the contests given, in order."""
    banks: list[Bank] = []
    for item in loaded:
        banks.extend([item] if isinstance(item, Bank) else item.banks)
    return banks


def summary(item: Bank | Contest) -> list[str]:
    """A few lines describing a loaded bank or contest."""
    if isinstance(item, Bank):
        return [f"{item.file}: bank '{item.id}', {_questions(item.questions)}"]
    lines = [
        f"{item.file}: contest '{item.id}', {_plural(len(item.teams), 'team')}, "
        f"{_plural(len(item.banks), 'bank')} with "
        f"{_questions(q for bank in item.banks for q in bank.questions)}"
    ]
    if item.players:
        lines.append(f"  {_plural(len(item.players), 'player')} (players:)")
    for played in item.rounds:
        count = _plural(len(played.question_ids), "question")
        if played.format == "judged":  # a judged round's "questions" are the teams' turns
            judges = getattr(played.settings, "judges", ()) or item.judges
            count = f"{_plural(len(played.question_ids), 'team')}, {_plural(len(judges), 'judge')}"
        lines.append(f"  round '{played.id}' ({played.format}): {count}")
    return lines


def _questions(questions: Iterable[Question]) -> str:
    """`6 questions (single 4, true_false 2)`."""
    counts: Counter[str] = Counter(question.type for question in questions)
    by_type = ", ".join(f"{kind} {counts[kind]}" for kind in QUESTION_TYPES if counts[kind])
    text = _plural(sum(counts.values()), "question")
    return f"{text} ({by_type})" if by_type else text


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
