"""What a question shows the hall, and what of its right answer must not be
shown elsewhere, as facts: dates, document numbers, numbers and phrases
(for `quiz.files.review_leaks`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from quiz.files.review_content import dates, documents, folded, issued
from quiz.rules.model import Question

# Numbers below this (that are whole) are too common to give anything away:
# "3 ngày", "2 lần", Điều 5.
NUMBER_MIN = 10
# Words that say nothing of a topic; a run with two of them is not one.
FUNCTION_WORDS = frozenset(
    "cua ve va trong cac nhung duoc la co cho theo nao gi bao nhieu khi nay do voi "
    "tai tu den mot hai ba ngay nam thang so thi se da dang boi hay hoac ai".split()
)
# A phrase answer must be at least this long (folded characters) to be told apart.
PHRASE_MIN = 4
# Leading words that are not part of an answer's content ("Ngày 15/7/2021").
_LEAD = re.compile(r"^(?:ngay|nam|thang|la|so|vao)\s+")
_NUMBER = re.compile(
    r"(?<![\w.,/])\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\w/])|(?<![\w.,/])\d+(?:,\d+)?(?![\w/])"
)
_WORD = re.compile(r"\w+")


@dataclass
class _Shown:
    """What a question shows the hall, by kind of fact."""

    parts: list[tuple[str, str]]  # (label, text): "its text", "its right choice C"
    dates: dict[tuple[int, int, int], str] = field(default_factory=dict)  # key -> label
    documents: dict[str, str] = field(default_factory=dict)  # folded number -> label
    numbers: dict[float, str] = field(default_factory=dict)
    folded: list[tuple[str, str]] = field(default_factory=list)  # (label, folded text)
    trigrams: set[tuple[str, ...]] = field(default_factory=set)


def _doc_key(number: str) -> str:
    return folded(number).replace(" ", "")


def _numbers(text: str) -> list[float]:
    """Standalone numbers, not those inside a date or a document number."""
    text = unicodedata.normalize("NFC", text)
    taken = [(d.start, d.end) for d in dates(text)] + [(d.start, d.end) for d in documents(text)]
    found: list[float] = []
    for match in _NUMBER.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        raw = match.group(0).replace(".", "").replace(",", ".")
        try:
            found.append(float(raw))
        except ValueError:
            continue
    return found


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(folded(text))
    runs = (tuple(words[i : i + 3]) for i in range(len(words) - 2))
    return {run for run in runs if sum(word in FUNCTION_WORDS for word in run) < 2}


def shown(question: Question) -> _Shown:
    parts = [("its text", question.text)]
    parts += [(f"its item {letter}", text) for letter, text in question.items]
    answer = question.answer
    if question.type in ("single", "multiple"):
        right = (
            {answer}
            if isinstance(answer, str)
            else set(answer)
            if isinstance(answer, frozenset)
            else set()
        )
        parts += [
            (f"its right choice {letter}", text)
            for letter, text in question.choices
            if letter in right
        ]
    result = _Shown(parts)
    for label, text in parts:
        for date in dates(text):
            result.dates.setdefault(date.key, label)
        for doc in documents(text):
            result.documents.setdefault(_doc_key(doc.number), label)
        for number in _numbers(text):
            result.numbers.setdefault(number, label)
        result.folded.append((label, folded(text)))
        result.trigrams |= _trigrams(text)
    return result


@dataclass(frozen=True)
class _Answer:
    """What of a question's right answer must not be shown elsewhere."""

    dates: dict[tuple[int, int, int], str]  # key -> as written
    documents: dict[str, str]
    numbers: dict[float, str]
    phrases: tuple[str, ...]  # folded
    dated: tuple[tuple[str, tuple[int, int, int], str], ...] = ()  # true/false: doc, date


def _facts(
    texts: Iterable[str],
) -> tuple[dict[tuple[int, int, int], str], dict[str, str], dict[float, str]]:
    ds: dict[tuple[int, int, int], str] = {}
    docs: dict[str, str] = {}
    nums: dict[float, str] = {}
    for text in texts:
        for date in dates(text):
            ds.setdefault(date.key, str(date))
        for doc in documents(text):
            docs.setdefault(_doc_key(doc.number), doc.number)
        for number in _numbers(text):
            if number >= NUMBER_MIN or not number.is_integer():
                nums.setdefault(number, _shown_number(number))
    return ds, docs, nums


def _shown_number(number: float) -> str:
    if number.is_integer():
        return str(int(number))
    return f"{number:g}".replace(".", ",")


def _phrase(text: str) -> str:
    plain = " ".join(_WORD.findall(folded(text)))
    return _LEAD.sub("", plain)


def answer_of(question: Question) -> _Answer | None:
    answer = question.answer
    kind = question.type
    if kind in ("single", "multiple"):
        right = (
            {answer}
            if isinstance(answer, str)
            else set(answer)
            if isinstance(answer, frozenset)
            else set()
        )
        right_texts = [text for letter, text in question.choices if letter in right]
        wrong_texts = [text for letter, text in question.choices if letter not in right]
    elif kind == "text" and isinstance(answer, tuple):
        right_texts, wrong_texts = list(answer), []
    elif kind == "number" and isinstance(answer, float):
        number = (
            {answer: _shown_number(answer)}
            if answer >= NUMBER_MIN or not answer.is_integer()
            else {}
        )
        own = set(_numbers(question.text))
        return _Answer({}, {}, {k: v for k, v in number.items() if k not in own}, ())
    elif kind == "true_false":
        return _true_false(question)
    else:
        return None
    ds, docs, nums = _facts(right_texts)
    ws, wdocs, wnums = _facts([*wrong_texts, question.text])
    phrases: list[str] = []
    wrong_folded = [_phrase(text) for text in wrong_texts]
    own_text = " " + _phrase(question.text) + " "
    for text in right_texts:
        if any(char.isdigit() for char in text):
            continue  # its dates, documents and numbers are the facts, not the words
        phrase = _phrase(text)
        if len(phrase) < PHRASE_MIN or f" {phrase} " in own_text:
            continue
        if any(f" {phrase} " in f" {other} " for other in wrong_folded):
            continue
        phrases.append(phrase)
    return _Answer(
        {k: v for k, v in ds.items() if k not in ws},
        {k: v for k, v in docs.items() if k not in wdocs},
        {k: v for k, v in nums.items() if k not in wnums},
        tuple(phrases),
    )


def _true_false(question: Question) -> _Answer | None:
    dated = tuple(
        (_doc_key(doc.number), date.key, doc.number) for doc, date in issued(question.text)
    )
    return _Answer({}, {}, {}, (), dated) if dated else None


def _dated_in(question: Question) -> dict[str, tuple[int, int, int]]:
    """Documents a question's text dates (when issued): folded number -> date."""
    found: dict[str, tuple[int, int, int]] = {}
    for doc, date in issued(question.text):
        found.setdefault(_doc_key(doc.number), date.key)
    return found
