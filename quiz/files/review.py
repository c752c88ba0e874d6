"""The bank reviewer behind `quiz check`: what makes a bad contest, as warnings.

Owns the rules that do not stop a bank from loading but make a poor contest:
text too long for the board, questions asked twice, a missing source,
unbalanced answer letters, a correct choice that gives itself away by its
length, a time limit too short to read the question. Each warning is a
`quiz.files.bank.Problem` whose message starts with `warning: `, so it prints as
`FILE:LINE: warning: ...`.

`review` is pure: it takes loaded banks and returns warnings. Lines are the
question's own line unless a `Locate` function says where a key is written;
`SourceLines` (quiz/files/review_where.py) is one that reads the bank files again
with `quiz.files.yamlsource`. Questions asked twice are found by
`quiz.files.review_twice`.
Imports only the standard library and `quiz.files.bank`, `quiz.rules.model`,
`quiz.rules.answers`, `quiz.files.yamlsource`; never Flask, Socket.IO or the engine.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Sequence

from quiz.files.bank import Problem
from quiz.files.review_twice import NEAR_RATIO, _duplicates, normalise
from quiz.files.review_where import Locate, SourceLines, _warn, _Where
from quiz.rules.model import Bank, Contest, Question

__all__ = [
    "ANSWER_SECONDS",
    "CHOICE_LIMIT",
    "EXPLANATION_LIMIT",
    "ITEM_LIMIT",
    "LETTER_SHARE",
    "NEAR_RATIO",
    "TEXT_LIMIT",
    "Locate",
    "SourceLines",
    "bank_leak_notes",
    "normalise",
    "reading_time",
    "review",
]

# --- Limits, and why ------------------------------------------------------------
#
# The board is a 16:9 projector seen from the back of a hall. At a size readable
# from about 15 m (some 44 px of 1080), a line holds about 48 characters, and
# the question may take five lines above its choices and clock: 240 characters.
TEXT_LIMIT = 240
# Choices share a 2 x 2 grid, each cell about 40 characters wide at a smaller
# size; two and a half lines each is the most that still reads at a glance.
CHOICE_LIMIT = 100
# Order items are a column of up to 8 rows; each must fit about two short lines.
ITEM_LIMIT = 80
# The explanation is shown below the answer at reveal, in smaller type, while
# the MC reads it out: about six lines of 50 characters.
EXPLANATION_LIMIT = 300

# Reading a projected question as a team, in Vietnamese, with its choices:
# about 200 syllables a minute, at some 4.5 characters a syllable with its
# space, is 15 characters a second.
READING_CHARS_PER_SECOND = 15
# Then answering on the tablet: a tap or two for a choice or true/false; a few
# taps and a confirmation for several choices; typing a number or a text on a
# tablet keyboard, or dragging items into order, takes longer.
ANSWER_SECONDS = {
    "single": 5,
    "true_false": 5,
    "multiple": 8,
    "number": 8,
    "text": 10,
    "order": 10,
}

# Answer letters: no letter may answer more than this share of a bank's
# single questions, once it has enough of them for the share to mean anything.
LETTER_SHARE = 0.35
LETTER_MIN_SINGLES = 8
# A correct choice this much longer than every wrong one stands out.
LONG_ANSWER_FACTOR = 1.5
LONG_ANSWER_MIN_EXTRA = 20


def review(
    banks: Sequence[Bank], locate: Locate | None = None, contests: Sequence[Contest] = ()
) -> list[Problem]:
    """Every warning about the banks, reviewed together; files in order, lines ascending.

    Content checks are in `quiz.files.review_content`; answer leaks are warnings
    only among a contest's rounds (`quiz.files.review_contest`): within a bank checked
    alone they are notes (`bank_leak_notes`), since a topic bank's questions on
    one document naturally name it and only a contest asks them together.
    """
    from quiz.files import review_content, review_contest

    unique = _unique(banks)
    where = _Where(locate)
    warnings: list[Problem] = []
    for bank in unique:
        for question in bank.questions:
            warnings += _lengths(question, where)
            warnings += _missing_source(question)
            warnings += _long_answer(question, where)
            warnings += _short_time(question, where)
        warnings += _letter_balance(bank, where)
        warnings += review_content.bank_content(bank, where.key, _warn, where.top(bank, "bank"))
    for contest in contests:
        warnings += review_contest.contest_warnings(contest, where.key)
    warnings += _duplicates([q for bank in unique for q in bank.questions], where)
    order = {bank.file: index for index, bank in enumerate(unique)}
    order.update({c.file: len(order) + i for i, c in enumerate(contests) if c.file not in order})
    return sorted(set(warnings), key=lambda w: (order.get(w.file, len(order)), w.line, w.message))


def bank_leak_notes(
    banks: Sequence[Bank], locate: Locate | None = None, contests: Sequence[Contest] = ()
) -> list[Problem]:
    """Answer leaks within each bank that no contest given includes, as notes.

    They never fail `--strict`: they say which questions a contest should not
    ask together. A contest's own rounds are checked as warnings by `review`.
    """
    from quiz.files import review_leaks

    where = _Where(locate)
    in_contest = {_bank_key(bank) for contest in contests for bank in contest.banks}
    found: list[Problem] = []
    for bank in _unique(banks):
        if _bank_key(bank) in in_contest:
            continue
        pool = review_leaks.bank_pool(bank.questions, bank.id)
        for leak in review_leaks.leak_warnings(pool, where.key, ""):
            message = leak.message.removeprefix("warning: ")
            found.append(Problem(leak.file, leak.line, f"note: {message} (if both are asked)"))
    return sorted(set(found), key=lambda p: (p.file, p.line, p.message))


def _bank_key(bank: Bank) -> str:
    return os.path.realpath(bank.file) if bank.file else bank.id


def _unique(banks: Sequence[Bank]) -> list[Bank]:
    """Each bank file once (a bank named on its own and by a contest)."""
    seen: set[str] = set()
    unique: list[Bank] = []
    for bank in banks:
        key = _bank_key(bank)
        if key not in seen:
            seen.add(key)
            unique.append(bank)
    return unique


# --- One question at a time -----------------------------------------------------


def _lengths(question: Question, where: _Where) -> list[Problem]:
    found: list[Problem] = []
    if len(question.text) > TEXT_LIMIT:
        found.append(
            _warn(
                question,
                where.key(question, "text"),
                f"text is {len(question.text)} characters; at most {TEXT_LIMIT} "
                "fit on the board at a readable size",
            )
        )
    for key, noun, pairs, limit in (
        ("choices", "choice", question.choices, CHOICE_LIMIT),
        ("items", "item", question.items, ITEM_LIMIT),
    ):
        for letter, text in pairs:
            if len(text) > limit:
                found.append(
                    _warn(
                        question,
                        where.key(question, f"{key}.{letter}"),
                        f"{noun} {letter} is {len(text)} characters; at most {limit} "
                        "fit on the board at a readable size",
                    )
                )
    explanation = question.explanation or ""
    if len(explanation) > EXPLANATION_LIMIT:
        found.append(
            _warn(
                question,
                where.key(question, "explanation"),
                f"explanation is {len(explanation)} characters; at most {EXPLANATION_LIMIT} "
                "fit below the answer on the board",
            )
        )
    return found


def _missing_source(question: Question) -> list[Problem]:
    if question.source:
        return []
    return [
        _warn(
            question,
            question.line,
            "no source: cite the document, its number and date "
            "(like 'Nghị định 61/2018/NĐ-CP ngày 23/4/2018')",
        )
    ]


def _long_answer(question: Question, where: _Where) -> list[Problem]:
    if question.type != "single" or not isinstance(question.answer, str):
        return []
    choices = dict(question.choices)
    right = choices.get(question.answer, "")
    wrong = max(
        (len(text) for letter, text in question.choices if letter != question.answer), default=0
    )
    if len(right) > LONG_ANSWER_FACTOR * wrong and len(right) - wrong >= LONG_ANSWER_MIN_EXTRA:
        return [
            _warn(
                question,
                where.key(question, f"choices.{question.answer}"),
                f"the correct choice {question.answer} is {len(right)} characters, much "
                f"longer than the longest other choice ({wrong}); its length gives it away",
            )
        ]
    return []


def reading_time(question: Question) -> tuple[int, float]:
    """The characters a team reads for a question, and the seconds it needs to answer."""
    chars = len(question.text) + sum(len(text) for _, text in question.choices + question.items)
    return chars, chars / READING_CHARS_PER_SECOND + ANSWER_SECONDS.get(question.type, 5)


def _short_time(question: Question, where: _Where) -> list[Problem]:
    chars, needed = reading_time(question)
    if needed <= question.time_limit:
        return []
    answering = ANSWER_SECONDS.get(question.type, 5)
    return [
        _warn(
            question,
            where.key(question, "time_limit"),
            f"time limit {question.time_limit} s is too short: reading {chars} characters "
            f"at {READING_CHARS_PER_SECOND} a second and {answering} s to answer need "
            f"{math.ceil(needed)} s",
        )
    ]


# --- A bank as a whole ----------------------------------------------------------


def _letter_balance(bank: Bank, where: _Where) -> list[Problem]:
    letters = Counter(
        q.answer for q in bank.questions if q.type == "single" and isinstance(q.answer, str)
    )
    singles = sum(letters.values())
    if singles < LETTER_MIN_SINGLES:
        return []
    top, count = max(sorted(letters.items()), key=lambda item: item[1])
    if count <= LETTER_SHARE * singles:
        return []
    every = sorted({letter for q in bank.questions for letter in q.letters if q.type == "single"})
    spread = ", ".join(f"{letter} {letters[letter]}" for letter in every)
    return [
        Problem(
            bank.file,
            where.top(bank, "bank"),
            f"warning: bank '{bank.id}': letter {top} is the answer of {count} of its "
            f"{singles} single questions ({count / singles:.0%}; at most "
            f"{LETTER_SHARE:.0%} should be): {spread}",
        )
    ]
