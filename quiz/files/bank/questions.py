"""Reading one question bank (`bank-format.md`): the bank's keys, its defaults and
each question's common keys; the answer of each type is read by
`quiz.files.bank.answers`. An id used in two banks is reported here too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from quiz.files.bank.answers import _ANSWER_READERS, _read_letters
from quiz.files.bank.fields import (
    LoadError,
    Problem,
    StrPath,
    _as_text,
    _Fields,
    _read_root,
    _Report,
    _wrong,
)
from quiz.files.yamlsource import Map, Node
from quiz.rules.limits import (
    MAX_CHOICES,
    MAX_ITEMS,
    POINTS_MAX,
    POINTS_MIN,
    TIME_LIMIT_MAX,
    TIME_LIMIT_MIN,
)
from quiz.rules.model import (
    AnswerKey,
    Bank,
    Level,
    Question,
    QuestionType,
)

# --- Banks ---------------------------------------------------------------------

BANK_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
QUESTION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_BANK_ID_RULE = "an id of lower-case letters, digits and '-' (like cchc-2023)"
_QUESTION_ID_RULE = "an id of letters, digits, '_', '.' and '-' that starts with a letter or digit"

DEFAULT_TIME_LIMIT = 20
DEFAULT_POINTS = 10
TAG_MAX_LENGTH = 40
IMAGE_EXTENSIONS = ("png", "jpg", "jpeg", "gif", "svg", "webp")

_TYPES: tuple[QuestionType, ...] = ("single", "multiple", "true_false", "text", "number", "order")
_LEVELS: tuple[Level, ...] = ("easy", "medium", "hard")
_BANK_KEYS = ("bank", "title", "language", "as_of", "defaults", "questions")
_COMMON_QUESTION_KEYS = (
    "id",
    "type",
    "text",
    "answer",
    "time_limit",
    "points",
    "explanation",
    "source",
    "note",
    "image",
    "tags",
    "level",
)
# Keys that only some types may have.
_TYPE_KEYS: dict[str, tuple[QuestionType, ...]] = {
    "choices": ("single", "multiple"),
    "items": ("order",),
    "tolerance": ("number",),
    "unit": ("number",),
    "ignore_diacritics": ("text",),
}


@dataclass(frozen=True)
class _BankContext:
    file: str
    folder: Path
    bank_id: str
    time_limit: int
    points: int


@dataclass
class _BankRead:
    """What reading one bank file gave: the bank (valid questions only) and problems."""

    file: str
    bank: Bank | None
    problems: list[Problem]
    id_lines: dict[str, int] = field(default_factory=dict)  # every well-formed id written


def load_bank(path: StrPath) -> Bank:
    """Load one bank file; raise LoadError listing every problem."""
    return load_banks([path])[0]


def load_banks(paths: Sequence[StrPath]) -> tuple[Bank, ...]:
    """Load banks together: question ids must be unique across all of them."""
    reads = [_read_bank(os.fspath(path)) for path in paths]
    problems = [problem for read in reads for problem in read.problems]
    problems += _cross_bank_duplicates(reads)
    if problems:
        raise LoadError(problems)
    return tuple(read.bank for read in reads if read.bank is not None)


def _read_bank(path: str) -> _BankRead:
    report = _Report(path)
    return _bank_from_root(path, _read_root(path, report), report)


def _bank_from_root(path: str, root: Node | None, report: _Report) -> _BankRead:
    if root is None:
        return _BankRead(path, None, report.problems)
    if not isinstance(root, Map):
        report.add(root.line, "a bank must be a mapping with the keys bank, title and questions")
        return _BankRead(path, None, report.problems)
    top = _Fields(report, root, "")
    top.check_keys(_BANK_KEYS, required=("bank", "title", "questions"))
    bank_id = top.identifier("bank", BANK_ID, _BANK_ID_RULE)
    title = top.text("title")
    language = top.text("language") or "vi"
    as_of = top.iso_date("as_of")
    time_limit, points = _read_defaults(top)
    context = _BankContext(path, Path(path).parent, bank_id or "", time_limit, points)
    questions, id_lines = _read_questions(top, context)
    bank = Bank(bank_id or "", title or "", path, questions, language, as_of)
    return _BankRead(path, bank, report.problems, id_lines)


def _read_defaults(top: _Fields) -> tuple[int, int]:
    defaults = top.mapping("defaults")
    if defaults is None:
        return DEFAULT_TIME_LIMIT, DEFAULT_POINTS
    defaults.check_keys(("time_limit", "points"))
    time_limit = defaults.integer("time_limit", TIME_LIMIT_MIN, TIME_LIMIT_MAX)
    points = defaults.integer("points", POINTS_MIN, POINTS_MAX)
    return (
        DEFAULT_TIME_LIMIT if time_limit is None else time_limit,
        DEFAULT_POINTS if points is None else points,
    )


def _read_questions(
    top: _Fields, context: _BankContext
) -> tuple[tuple[Question, ...], dict[str, int]]:
    found = top.sequence("questions", "[- id: ..., type: ...]")
    if found is None:
        return (), {}
    questions: list[Question] = []
    id_lines: dict[str, int] = {}
    for index, node in enumerate(found[1].items, start=1):
        question_id, id_line, question = _read_question(top.report, node, index, context)
        if question_id is not None:
            if question_id in id_lines:
                top.report.add(
                    id_line,
                    f"question '{question_id}': id is already used in this bank "
                    f"(line {id_lines[question_id]})",
                )
                continue
            id_lines[question_id] = id_line
        if question is not None:
            questions.append(question)
    return tuple(questions), id_lines


def _question_prefix(node: Map, index: int) -> str:
    entry = node.get("id")
    text = _as_text(entry.value) if entry is not None else None
    return f"question '{text}': " if text is not None else f"question #{index}: "


def _read_question(
    report: _Report, node: Node, index: int, context: _BankContext
) -> tuple[str | None, int, Question | None]:
    """Validate one question; return its id (if well-formed), the id's line, the question."""
    if not isinstance(node, Map):
        report.add(node.line, _wrong(f"question #{index}", "a mapping (id: ..., type: ...)", node))
        return None, node.line, None
    problems_before = len(report.problems)
    q = _Fields(report, node, _question_prefix(node, index))
    question_type = q.one_of("type", _TYPES)
    _check_question_keys(q, question_type)
    question_id = q.identifier("id", QUESTION_ID, _QUESTION_ID_RULE)
    id_entry = node.get("id")
    id_line = id_entry.key_line if id_entry is not None else node.line
    text = q.text("text")
    time_limit = q.integer("time_limit", TIME_LIMIT_MIN, TIME_LIMIT_MAX)
    points = q.integer("points", POINTS_MIN, POINTS_MAX)
    explanation = q.text("explanation")
    source = q.text("source")
    note = q.text("note")
    image = _read_image(q, context.folder)
    tags = q.text_list("tags", "[nq76, mot-cua]", TAG_MAX_LENGTH)
    level = q.one_of("level", _LEVELS)
    details = _read_type_details(q, question_type)
    if len(report.problems) > problems_before or question_id is None or question_type is None:
        return question_id, id_line, None
    question = Question(
        id=question_id,
        type=question_type,
        text=text or "",
        answer=details.answer if details.answer is not None else "",
        time_limit=context.time_limit if time_limit is None else time_limit,
        points=context.points if points is None else points,
        choices=details.choices,
        items=details.items,
        tolerance=details.tolerance,
        unit=details.unit,
        ignore_diacritics=details.ignore_diacritics,
        explanation=explanation,
        source=source,
        note=note,
        image=image,
        tags=tags,
        level=level,
        bank=context.bank_id,
        file=context.file,
        line=node.line,
    )
    return question_id, id_line, question


def _check_question_keys(q: _Fields, question_type: QuestionType | None) -> None:
    all_keys = _COMMON_QUESTION_KEYS + tuple(_TYPE_KEYS)
    if question_type is None:  # unknown type: only unknown keys can be told apart
        q.check_keys(all_keys, required=("id", "type", "text", "answer"))
        return
    own = tuple(key for key, types in _TYPE_KEYS.items() if question_type in types)
    misplaced = {
        key: f"'{key}' does not belong to a {question_type} question "
        f"(only to {' and '.join(types)} questions)"
        for key, types in _TYPE_KEYS.items()
        if key not in own
    }
    required = ("id", "type", "text", "answer") + tuple(k for k in own if k in ("choices", "items"))
    q.check_keys(_COMMON_QUESTION_KEYS + own, required, misplaced)


def _read_image(q: _Fields, folder: Path) -> str | None:
    """The image's absolute path: inside the bank's folder, of a known kind, existing."""
    written = q.text("image")
    entry = q.entry("image")
    if written is None or entry is None:
        return None
    line = entry.key_line
    if os.path.isabs(written) or written.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", written):
        q.problem(line, f"image '{written}' must be a path relative to the bank file")
        return None
    if Path(written).suffix.lower().lstrip(".") not in IMAGE_EXTENSIONS:
        kinds = ", ".join(IMAGE_EXTENSIONS[:-1]) + " or " + IMAGE_EXTENSIONS[-1]
        q.problem(line, f"image '{written}' must be a {kinds} file")
        return None
    try:
        base = folder.resolve()
        target = (base / written).resolve()
        inside, exists = target.is_relative_to(base), target.is_file()
    except (OSError, ValueError, RuntimeError):
        q.problem(line, f"image '{written}' is not a usable path")
        return None
    if not inside:
        q.problem(line, f"image '{written}' points outside the bank's folder")
    elif not exists:
        q.problem(line, f"image '{written}' does not exist (looked for {target})")
    else:
        return str(target)
    return None


@dataclass
class _TypeDetails:
    answer: AnswerKey | None = None
    choices: tuple[tuple[str, str], ...] = ()
    items: tuple[tuple[str, str], ...] = ()
    tolerance: float = 0.0
    unit: str | None = None
    ignore_diacritics: bool = False


def _read_type_details(q: _Fields, question_type: QuestionType | None) -> _TypeDetails:
    details = _TypeDetails()
    letters: tuple[str, ...] | None = None
    if question_type in ("single", "multiple"):
        letters, details.choices = _read_letters(q, "choices", "choice", MAX_CHOICES)
    elif question_type == "order":
        letters, details.items = _read_letters(q, "items", "item", MAX_ITEMS)
    elif question_type == "number":
        details.tolerance = q.number("tolerance", 0) or 0.0
        details.unit = q.text("unit")
    elif question_type == "text":
        details.ignore_diacritics = bool(q.boolean("ignore_diacritics"))
    entry = q.entry("answer")
    if entry is not None and question_type is not None:
        details.answer = _ANSWER_READERS[question_type](q, entry, letters)
    return details


def _cross_bank_duplicates(reads: Sequence[_BankRead]) -> list[Problem]:
    """An id used in two banks is reported at its later use."""
    first: dict[str, tuple[str, int]] = {}
    problems: list[Problem] = []
    for read in reads:
        for question_id, line in read.id_lines.items():
            if question_id in first:
                other_file, other_line = first[question_id]
                problems.append(
                    Problem(
                        read.file,
                        line,
                        f"question '{question_id}': id is already used in "
                        f"{other_file}:{other_line}",
                    )
                )
            else:
                first[question_id] = (read.file, line)
    return problems


# --- Contests ------------------------------------------------------------------
