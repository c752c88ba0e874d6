"""The bank reviewer behind `quiz check`: what makes a bad contest, as warnings.

Owns the rules that do not stop a bank from loading but make a poor contest:
text too long for the board, questions asked twice, a missing source,
unbalanced answer letters, a correct choice that gives itself away by its
length, a time limit too short to read the question. Each warning is a
`quiz.bank.Problem` whose message starts with `warning: `, so it prints as
`FILE:LINE: warning: ...`.

`review` is pure: it takes loaded banks and returns warnings. Lines are the
question's own line unless a `Locate` function says where a key is written;
`SourceLines` is one that reads the bank files again with `quiz.yamlsource`.
Imports only the standard library and `quiz.bank`, `quiz.model`,
`quiz.answers`, `quiz.yamlsource`; never Flask, Socket.IO or the engine.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from quiz.answers import format_number, strip_diacritics
from quiz.bank import Problem
from quiz.model import Bank, Contest, Question
from quiz.yamlsource import Map, Seq, SourceError, load_file

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

# Two questions are nearly the same when their normalised texts with their
# answers are at least this alike (difflib's ratio) and hold the same numbers.
NEAR_RATIO = 0.9
# Answer letters: no letter may answer more than this share of a bank's
# single questions, once it has enough of them for the share to mean anything.
LETTER_SHARE = 0.35
LETTER_MIN_SINGLES = 8
# A correct choice this much longer than every wrong one stands out.
LONG_ANSWER_FACTOR = 1.5
LONG_ANSWER_MIN_EXTRA = 20

# Where a key is written: (bank file, question line or 0 for the top level,
# key such as "text", "choices.B" or "bank") -> line, or None if not known.
Locate = Callable[[str, int, str], int | None]


def review(
    banks: Sequence[Bank], locate: Locate | None = None, contests: Sequence[Contest] = ()
) -> list[Problem]:
    """Every warning about the banks, reviewed together; files in order, lines ascending.

    Content checks are in `quiz.review_content`; answer leaks are warnings
    only among a contest's rounds (`quiz.review_contest`): within a bank checked
    alone they are notes (`bank_leak_notes`), since a topic bank's questions on
    one document naturally name it and only a contest asks them together.
    """
    from quiz import review_content, review_contest

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
    from quiz import review_leaks

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


class _Where:
    """Lines of keys, with the question's line when the key's is unknown."""

    def __init__(self, locate: Locate | None) -> None:
        self.locate = locate

    def key(self, question: Question, key: str) -> int:
        if self.locate is not None:
            line = self.locate(question.file, question.line, key)
            if line is not None:
                return line
        return question.line

    def top(self, bank: Bank, key: str) -> int:
        if self.locate is not None:
            line = self.locate(bank.file, 0, key)
            if line is not None:
                return line
        return 1


def _warn(question: Question, line: int, message: str) -> Problem:
    return Problem(question.file, line, f"warning: question '{question.id}': {message}")


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


# --- Questions asked twice ------------------------------------------------------

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


# --- Where keys are written -------------------------------------------------------


class SourceLines:
    """A `Locate` that reads each bank file once more to find its keys' lines."""

    def __init__(self) -> None:
        self._files: dict[str, dict[int, dict[str, int]]] = {}

    def __call__(self, file: str, question_line: int, key: str) -> int | None:
        lines = self._files.get(file)
        if lines is None:
            lines = self._files[file] = _key_lines(file)
        return lines.get(question_line, {}).get(key)


def _key_lines(file: str) -> dict[int, dict[str, int]]:
    """{0: top-level keys, question line: {key or 'choices.B': line}} of a bank file."""
    try:
        root = load_file(file).root
    except SourceError:
        return {}
    if not isinstance(root, Map):
        return {}
    found: dict[int, dict[str, int]] = {0: {entry.key: entry.key_line for entry in root.entries}}
    questions = root.get("questions")
    if questions is None or not isinstance(questions.value, Seq):
        return found
    for node in questions.value.items:
        if not isinstance(node, Map):
            continue
        keys = found.setdefault(node.line, {})
        for entry in node.entries:
            keys.setdefault(entry.key, entry.key_line)
            if isinstance(entry.value, Map):
                for inner in entry.value.entries:
                    keys.setdefault(f"{entry.key}.{inner.key}", inner.key_line)
    return found
