"""Reviewer checks of a bank's content: what a legal reviewer and a jury would catch.

Owns the warnings about what questions say rather than how they fit the
board: a `source` that is a draft note or names no document, true/false
statements that refute themselves, shapes of answers a team can guess from
(true/false balance, `multiple` questions that always have the same number of
right options), and text questions that accept one long wording only. Each
warning is a `quiz.files.bank.Problem` starting `warning: `.

Pure functions over loaded banks; lines come from a `Locate` like the one in
`quiz.files.review`. Imports only the standard library, `quiz.rules.answers`, `quiz.files.bank`
and `quiz.rules.model`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from quiz.files.bank import Problem
from quiz.rules.answers import strip_diacritics
from quiz.rules.model import Bank, Question

# --- Sources ---------------------------------------------------------------------

# Wording of a reviewer's working note, not of a citation (compared without
# diacritics or case). It belongs in `note`: the board shows `source` to the hall.
DRAFT_WORDS = (
    "can doi chieu",
    "doi chieu lai",
    "can kiem tra",
    "kiem tra lai",
    "can xac minh",
    "chua xac minh",
    "chua kiem chung",
    "chua ro",
    "khong ro",
    "nguon thu cap",
    "suy ra",
    "theo tom tat",
    "ban tom tat",
    "dich tom tat",
    "theo tong hop",
    "uoc tinh",
    "tam tinh",
    "co le",
    "todo",
    "???",
)
# A press source on purpose: the question carries this tag, or its source
# starts with one of these words (a newspaper or magazine named first).
PRESS_TAG = "bao-chi"
PRESS_STARTS = ("báo ", "tạp chí ")

# A document number as Vietnamese legal texts write it: 76/NQ-CP, 30c/NQ-CP,
# 61/2018/NĐ-CP, 876/QĐ-BNV, 77/2015/QH13, 01/2023/TT-VPCP.
DOCUMENT_NUMBER = re.compile(
    r"(?<![\w/])(\d{1,5}[a-zđ]?)/(?:((?:19|20)\d{2})/)?"
    r"([A-ZĐ][A-ZĐa-zđ]{0,5}\d{0,2}(?:-[A-ZĐ][A-ZĐa-zđ]{0,7}\d{0,2}){0,3})(?![\w/])"
)
# A date: 15/7/2021, 15-7-2021, 15.07.2021, or "ngày 15 tháng 7 năm 2021".
DATE = re.compile(
    r"(?<![\w/.-])(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})(?![\w/])"
    r"|ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d{2})",
    re.IGNORECASE,
)


def folded(text: str) -> str:
    """For matching words: NFC, case folded, no diacritics, runs of space as one."""
    return " ".join(strip_diacritics(unicodedata.normalize("NFC", text).casefold()).split())


@dataclass(frozen=True)
class Document:
    number: str  # as written, e.g. 61/2018/NĐ-CP
    year: int | None  # the year inside the number, if any
    start: int
    end: int


def documents(text: str) -> list[Document]:
    """The document numbers a text cites, in order."""
    found: list[Document] = []
    for match in DOCUMENT_NUMBER.finditer(unicodedata.normalize("NFC", text)):
        year, kind = match.group(2), match.group(3)
        if year is None and "-" not in kind:
            continue  # "5/A" is not a document; 77/2015/QH13 and 76/NQ-CP are
        found.append(Document(match.group(0), int(year) if year else None, *match.span()))
    return found


@dataclass(frozen=True)
class Date:
    day: int
    month: int
    year: int
    start: int
    end: int

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.day, self.month, self.year)

    def __str__(self) -> str:
        return f"{self.day}/{self.month}/{self.year}"


def dates(text: str) -> list[Date]:
    """The calendar dates in a text, in order (impossible days and months left out)."""
    found: list[Date] = []
    for match in DATE.finditer(unicodedata.normalize("NFC", text)):
        groups = match.groups()
        day, month, year = (int(g) for g in (groups[:3] if groups[0] else groups[3:]))
        if 1 <= day <= 31 and 1 <= month <= 12:
            found.append(Date(day, month, year, *match.span()))
    return found


def is_press(question: Question) -> bool:
    source = unicodedata.normalize("NFC", question.source or "").strip().casefold()
    return PRESS_TAG in question.tags or source.startswith(PRESS_STARTS)


def draft_words(text: str) -> list[str]:
    plain = folded(text)
    return [word for word in DRAFT_WORDS if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", plain)]


# A kind of document and a short number with its year: "Nghị định 61/2018".
SHORT_CITATION = re.compile(
    r"(?:nghị định|quyết định|nghị quyết|thông tư|luật|chỉ thị|thông báo|công văn|kế hoạch)"
    r"\s+(?:số\s+)?\d{1,5}[a-zđ]?/(?:19|20)\d{2}(?!\d)",
    re.IGNORECASE,
)


def names_a_document(source: str) -> bool:
    """A number like 61/2018/NĐ-CP (its year in it), or one like 76/NQ-CP with a date."""
    cited = documents(source)
    if any(doc.year is not None for doc in cited) or (cited and dates(source)):
        return True
    return bool(SHORT_CITATION.search(unicodedata.normalize("NFC", source)))


Locate = Callable[[Question, str], int]
Warn = Callable[[Question, int, str], Problem]


def source_warnings(question: Question, line_of: Locate, warn: Warn) -> list[Problem]:
    source = question.source
    if not source:
        return []  # quiz.files.review reports a missing source
    line = line_of(question, "source")
    found: list[Problem] = []
    drafty = draft_words(source)
    if drafty:
        shown = ", ".join(f"'{word}'" for word in drafty)
        found.append(
            warn(
                question,
                line,
                f"source reads as a reviewer's note ({shown}); the board shows it to the "
                "hall: keep the citation there and move the rest to 'note'",
            )
        )
    if not is_press(question) and not names_a_document(source):
        found.append(
            warn(
                question,
                line,
                "source names no document: cite its number and date (like 'Nghị định "
                "61/2018/NĐ-CP' or 'Quyết định 876/QĐ-BNV ngày 10/11/2022'), or mark a "
                f"press source with the tag '{PRESS_TAG}' or a source starting 'Báo'",
            )
        )
    return found


# --- True/false statements that refute themselves -----------------------------------


_ISSUE_WORDS = re.compile(r"(?:ban hành|ký|thông qua)\s*(?:vào\s+)?(?:ngày\s*)?$", re.IGNORECASE)
_IN_FORCE_WORDS = re.compile(r"hiệu lực|thi hành|áp dụng|từ ngày|kể từ", re.IGNORECASE)


def issued(text: str) -> list[tuple[Document, Date]]:
    """Documents a text dates, with the date it says each was issued (signed, passed).

    The date is the first after the number and before the next number cited,
    when it is written right after it (`61/2018/NĐ-CP ngày 23/4/2018`) or after
    "ban hành", "ký" or "thông qua"; a date it comes into force is not one.
    """
    text = unicodedata.normalize("NFC", text)
    cited = documents(text)
    every = dates(text)
    found: list[tuple[Document, Date]] = []
    for index, doc in enumerate(cited):
        bound = cited[index + 1].start if index + 1 < len(cited) else len(text)
        date = next((d for d in every if doc.end <= d.start < bound), None)
        if date is None:
            continue
        gap = text[doc.end : date.start]
        if _IN_FORCE_WORDS.search(gap):
            continue
        if re.fullmatch(r"[\s,(]*(?:ngày)?\s*", gap, re.IGNORECASE) or _ISSUE_WORDS.search(gap):
            found.append((doc, date))
    return found


def self_refuting(question: Question, line_of: Locate, warn: Warn) -> list[Problem]:
    """A statement dating a document's issue in another year than the one in its number.

    `61/2018/NĐ-CP ngày 23/4/2019` cannot be right (the date it comes into
    force may be later, and is not compared).
    """
    if question.type != "true_false":
        return []
    found: list[Problem] = []
    for doc, date in issued(question.text):
        if doc.year is None or date.year == doc.year:
            continue
        if question.answer is False:
            why = "so the statement refutes itself: the number gives the answer away"
        else:
            why = "yet the answer is 'Đúng': one of them is wrong"
        found.append(
            warn(
                question,
                line_of(question, "text"),
                f"the statement dates {doc.number} {date}, but its number says {doc.year}, {why}",
            )
        )
    return found


# --- Text answers ---------------------------------------------------------------------

TEXT_ANSWER_WORDS = 3


def long_single_text(question: Question, line_of: Locate, warn: Warn) -> list[Problem]:
    """A typed answer of more than three words with no variant: right answers get refused."""
    if question.type != "text" or not isinstance(question.answer, tuple):
        return []
    if len(question.answer) != 1:
        return []
    words = len(question.answer[0].split())
    if words <= TEXT_ANSWER_WORDS:
        return []
    return [
        warn(
            question,
            line_of(question, "answer"),
            f"the only accepted answer has {words} words; teams will type it other ways "
            "(word order, abbreviations, a document's short number): list the variants a "
            "jury would accept",
        )
    ]


# --- Shapes a team can guess from -------------------------------------------------

TRUE_SHARE = (0.35, 0.65)
TRUE_FALSE_MIN = 4  # fewer true/false questions than this say nothing about balance
SHAPE_SHARE = 0.7
MULTIPLE_MIN = 3


def true_false_balance(questions: Sequence[Question]) -> str | None:
    """`27 of 43 ... (63%)` when the share of true statements is outside 35-65%."""
    answers = [q.answer for q in questions if q.type == "true_false"]
    if len(answers) < TRUE_FALSE_MIN:
        return None
    true = sum(1 for answer in answers if answer is True)
    share = true / len(answers)
    low, high = TRUE_SHARE
    if low <= share <= high:
        return None
    return (
        f"{true} of its {len(answers)} true/false statements are true ({share:.0%}); "
        f"keep it within {low:.0%}-{high:.0%}, or always answering "
        f"'{'Đúng' if share > high else 'Sai'}' scores {max(share, 1 - share):.0%}"
    )


def multiple_shape(questions: Sequence[Question]) -> str | None:
    """When over 70% of `multiple` questions have the same number of right options."""
    shapes = Counter(
        (len(q.answer), len(q.choices))
        for q in questions
        if q.type == "multiple" and isinstance(q.answer, frozenset)
    )
    total = sum(shapes.values())
    if total < MULTIPLE_MIN:
        return None
    rights = Counter[int]()
    for (right, _), count in shapes.items():
        rights[right] += count
    right, count = max(sorted(rights.items()), key=lambda item: item[1])
    if count <= SHAPE_SHARE * total:
        return None
    spread = ", ".join(
        f"{r} of {n}: {shapes[(r, n)]}" for r, n in sorted(shapes, key=lambda s: (s[1], s[0]))
    )
    return (
        f"{count} of its {total} multiple questions have {right} right options "
        f"({count / total:.0%}; at most {SHAPE_SHARE:.0%} should), so the shape is a cue; "
        f"vary it (2, 3 or 4 right of 4-6): {spread}"
    )


def bank_content(bank: Bank, line_of: Locate, warn: Warn, bank_line: int) -> list[Problem]:
    """Every content warning of one bank."""
    found: list[Problem] = []
    for question in bank.questions:
        found += source_warnings(question, line_of, warn)
        found += self_refuting(question, line_of, warn)
        found += long_single_text(question, line_of, warn)
    for message in (true_false_balance(bank.questions), multiple_shape(bank.questions)):
        if message is not None:
            found.append(Problem(bank.file, bank_line, f"warning: bank '{bank.id}': {message}"))
    return found
