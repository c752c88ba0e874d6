"""Questions asked twice: the same question in two places, or nearly the same
(its text with its answer alike), among every bank reviewed together."""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quiz.files.bank import Problem
from quiz.files.review_where import _warn, _Where
from quiz.rules.answers import format_number, strip_diacritics
from quiz.rules.model import Question

# Two questions are nearly the same when their normalised texts with their
# answers are at least this alike (difflib's ratio) and hold the same numbers.
NEAR_RATIO = 0.9

_NOT_WORD = re.compile(r"[\W_]+")
_NUMBER = re.compile(r"\d+")


def normalise(text: str) -> str:
    """For comparing questions: NFC, case folded, no diacritics, no punctuation."""
    text = strip_diacritics(unicodedata.normalize("NFC", text).casefold())
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _answer_text(question: Question) -> str:
    """The correct answer as the board shows it, for comparing questions."""
    answer = question.answer
    options = dict(question.choices or question.items)
    if question.type == "single" and isinstance(answer, str):
        return options.get(answer, answer)
    if question.type == "multiple" and isinstance(answer, frozenset):
        return " ".join(sorted(options.get(letter, letter) for letter in answer))
    if question.type == "order" and isinstance(answer, tuple):
        return " ".join(options.get(letter, letter) for letter in answer)
    if question.type == "true_false":
        return "đúng" if answer is True else "sai"
    if question.type == "number" and isinstance(answer, float):
        return format_number(answer)
    if isinstance(answer, tuple) and answer:
        return str(answer[0])
    return ""


@dataclass(frozen=True)
class _Compared:
    question: Question
    shown: str  # what a team sees: text and the choices or items, in any order
    asked: str  # the text with its correct answer
    numbers: tuple[str, ...]
    trigrams: frozenset[str]


def _compared(question: Question) -> _Compared:
    options = sorted(normalise(text) for _, text in question.choices + question.items)
    asked = normalise(question.text + " " + _answer_text(question))
    return _Compared(
        question,
        " | ".join([normalise(question.text), *options]),
        asked,
        tuple(sorted(_NUMBER.findall(asked))),
        _trigrams(asked),
    )


def _duplicates(questions: Sequence[Question], where: _Where) -> list[Problem]:
    """The same question (same text and options), or nearly (text and answer alike).

    Nearly alike means difflib's ratio of the normalised text-with-answer is at
    least NEAR_RATIO, for questions of the same type holding the same numbers:
    real banks ask about Nghị quyết 30c and 76, or 2011-2020 and 2021-2030, in
    words that differ only in those numbers, and those are different questions.
    The warning goes to the later of the two, in the order the banks were given.
    """
    order = {id(question): position for position, question in enumerate(questions)}
    found: list[Problem] = []
    first_seen: dict[str, _Compared] = {}
    buckets: dict[tuple[str, tuple[str, ...]], list[_Compared]] = {}
    for question in questions:
        item = _compared(question)
        earlier = first_seen.get(item.shown)
        if earlier is None:
            first_seen[item.shown] = item
        else:
            tail = ""
            if _answer_text(earlier.question) != _answer_text(question):
                tail = ", with a different answer"
            found.append(_said_twice(item, earlier, "asks the same as", tail, where))
        buckets.setdefault((question.type, item.numbers), []).append(item)
    for bucket in buckets.values():
        for one, other, ratio in _near_pairs(bucket):
            earlier, later = sorted((one, other), key=lambda item: order[id(item.question)])
            what = f"asks nearly the same ({int(ratio * 100)}% alike) as"
            found.append(_said_twice(later, earlier, what, "", where))
    return found


def _near_pairs(bucket: list[_Compared]) -> Iterable[tuple[_Compared, _Compared, float]]:
    """Pairs of a bucket at least NEAR_RATIO alike, but not shown the same.

    difflib's ratio is 2 * M / S: M characters in matching blocks, S the two
    lengths together. Two cheap bounds rule most pairs out before it is
    computed: M is at most the shorter length; and each block of k characters
    holds k - 2 trigrams found in both texts, blocks being separated by
    unmatched characters, so NEAR_RATIO alike texts share at least
    `_shared_trigrams(S)` trigrams (a set intersection, done in C).
    """
    by_length = sorted(bucket, key=lambda item: len(item.asked))
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    stretch = (2 - NEAR_RATIO) / NEAR_RATIO  # the longest partner, as a share of a length
    for number, shorter in enumerate(by_length):
        size = len(shorter.asked)
        matcher.set_seq2(shorter.asked)
        for longer in by_length[number + 1 :]:
            if len(longer.asked) > size * stretch:
                break
            if shorter.shown == longer.shown:
                continue  # reported as the same question
            shared = len(shorter.trigrams & longer.trigrams)
            if shared < _shared_trigrams(size + len(longer.asked)):
                continue
            matcher.set_seq1(longer.asked)
            ratio = matcher.ratio()
            if ratio >= NEAR_RATIO:
                yield shorter, longer, ratio


def _shared_trigrams(sizes: int) -> int:
    """The fewest trigrams two texts of these lengths together share when NEAR_RATIO alike.

    M - 2 * (unmatched + 1), with M = r * S / 2 and unmatched = (1 - r) * S.
    """
    return math.floor((2.5 * NEAR_RATIO - 2) * sizes) - 2


def _trigrams(text: str) -> frozenset[str]:
    """The text's trigrams, each occurrence numbered, so that sets overlap as multisets do."""
    seen: Counter[str] = Counter()
    grams: list[str] = []
    for start in range(len(text) - 2):
        gram = text[start : start + 3]
        seen[gram] += 1
        grams.append(f"{gram}{seen[gram]}")
    return frozenset(grams)


def _said_twice(
    later: _Compared, earlier: _Compared, what: str, tail: str, where: _Where
) -> Problem:
    other = earlier.question
    return _warn(
        later.question,
        where.key(later.question, "text"),
        f"{what} question '{other.id}' ({other.file}:{other.line}){tail}",
    )
