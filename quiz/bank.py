"""Loading and validating question banks and contest files.

Owns the rules of `bank-format.md` and `contest-format.md`: reading the YAML
(through `quiz.yamlsource`), checking every rule, collecting every problem as
`FILE:LINE: message`, and producing the frozen objects of `quiz.model`
(`Bank`, `Question`, `Contest`, `Round` ...). Also makes a contest's question
draws, which are deterministic for a given seed.

Imports only the standard library, `quiz.model` and `quiz.yamlsource`; never
Flask, Socket.IO or the engine.
"""

from __future__ import annotations

import difflib
import math
import os
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, TypeVar

from quiz.model import (
    AllSettings,
    AnswerKey,
    Bank,
    BuzzerSettings,
    Contest,
    Level,
    Prize,
    Question,
    QuestionType,
    Round,
    RoundSettings,
    ScoreValue,
    Team,
)
from quiz.yamlsource import Entry, Map, Node, Scalar, Seq, SourceError, describe, load_file

StrPath = str | os.PathLike[str]  # paths are kept as given, as text, in problems

# --- Problems ----------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One broken rule, located in a file: `FILE:LINE: message`."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class LoadError(Exception):
    """A bank or contest breaks rules; `problems` lists every one of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = _in_order(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def _in_order(problems: Iterable[Problem]) -> list[Problem]:
    """Problems without repeats, files in first-seen order, lines ascending."""
    files: dict[str, list[Problem]] = {}
    for problem in problems:
        bucket = files.setdefault(problem.file, [])
        if problem not in bucket:
            bucket.append(problem)
    ordered: list[Problem] = []
    for bucket in files.values():
        ordered.extend(sorted(bucket, key=lambda problem: problem.line))
    return ordered


class _Report:
    """Collects the problems of one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))


# --- Reading typed values from nodes ------------------------------------------

_S = TypeVar("_S", bound=str)


def _as_text(node: Node) -> str | None:
    """A scalar's text as written, or None if it is not a non-empty text."""
    if isinstance(node, Scalar) and not node.is_null and node.text.strip():
        return node.text
    return None


def _as_int(node: Node) -> int | None:
    if isinstance(node, Scalar) and node.kind == "int" and isinstance(node.value, int):
        return node.value
    return None


def _as_number(node: Node) -> float | None:
    """A finite int or float (never a boolean, never a quoted number)."""
    if isinstance(node, Scalar) and node.kind in ("int", "float"):
        value = node.value
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
            return number if math.isfinite(number) else None
    return None


def _as_bool(node: Node) -> bool | None:
    """Only unquoted `true` / `false`, in any case (not `yes`, `no`, `on` ...)."""
    if isinstance(node, Scalar) and node.plain and node.text.lower() in ("true", "false"):
        return node.text.lower() == "true"
    return None


def _wrong(name: str, expected: str, node: Node) -> str:
    if isinstance(node, Scalar) and node.is_null:
        return f"{name} is empty; expected {expected}"
    return f"{name} must be {expected}, not {describe(node)}"


def _did_you_mean(word: str, options: Iterable[str], prefix: str = "") -> str:
    """`(did you mean 'answer'?)` for a likely typo, else nothing."""
    matches = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return f" (did you mean '{prefix}{matches[0]}'?)" if matches else ""


def _span(letters: Sequence[str]) -> str:
    return f"{letters[0]}-{letters[-1]}" if letters else "(none)"


class _Fields:
    """One mapping being validated, reporting under a prefix like "question 'q1': ".

    `path` is put before key names in messages (`scoring.` gives
    `scoring.correct`). The accessors return None when a key is absent or
    its value is wrong (having reported why), so callers apply defaults.
    """

    def __init__(self, report: _Report, node: Map, prefix: str, path: str = "") -> None:
        self.report = report
        self.node = node
        self.prefix = prefix
        self.path = path
        for repeat in node.duplicates:
            first = node.get(repeat.key)
            first_line = first.key_line if first is not None else node.line
            self.problem(
                repeat.key_line,
                f"key '{self.name(repeat.key)}' is written twice (first at line {first_line})",
            )

    def name(self, key: str) -> str:
        return self.path + key

    def problem(self, line: int, message: str) -> None:
        self.report.add(line, self.prefix + message)

    def entry(self, key: str) -> Entry | None:
        return self.node.get(key)

    def check_keys(
        self,
        allowed: Iterable[str],
        required: Iterable[str] = (),
        misplaced: Mapping[str, str] | None = None,
    ) -> None:
        """Report unknown keys (with a likely one) and missing required keys.

        `misplaced` maps keys that are valid elsewhere to the reason they are
        not valid here, e.g. `choices` on a true_false question.
        """
        allowed = set(allowed)
        for entry in self.node.entries:
            if entry.key in allowed:
                continue
            if misplaced and entry.key in misplaced:
                self.problem(entry.key_line, misplaced[entry.key])
            else:
                hint = _did_you_mean(entry.key, allowed, self.path)
                self.problem(entry.key_line, f"unknown key '{self.name(entry.key)}'{hint}")
        for key in required:
            if self.entry(key) is None:
                self.problem(self.node.line, f"missing key '{self.name(key)}'")

    def text(self, key: str) -> str | None:
        entry = self.entry(key)
        if entry is None:
            return None
        node = entry.value
        text = _as_text(node)
        if text is None:
            self.problem(entry.key_line, _wrong(self.name(key), "a non-empty text", node))
        return text

    def integer(self, key: str, low: int | None = None, high: int | None = None) -> int | None:
        entry = self.entry(key)
        if entry is None:
            return None
        node = entry.value
        value = _as_int(node)
        if value is not None and (low is None or value >= low) and (high is None or value <= high):
            return value
        if low is not None and high is not None:
            expected = f"a whole number from {low} to {high}"
        elif low is not None:
            expected = f"a whole number >= {low}"
        else:
            expected = "a whole number"
        self.problem(entry.key_line, _wrong(self.name(key), expected, node))
        return None

    def number(self, key: str, minimum: float, *, strictly_above: bool = False) -> float | None:
        entry = self.entry(key)
        if entry is None:
            return None
        node = entry.value
        value = _as_number(node)
        if value is not None and (value > minimum if strictly_above else value >= minimum):
            return value
        bound = f"> {minimum:g}" if strictly_above else f">= {minimum:g}"
        self.problem(entry.key_line, _wrong(self.name(key), f"a number {bound}", node))
        return None

    def boolean(self, key: str) -> bool | None:
        entry = self.entry(key)
        if entry is None:
            return None
        node = entry.value
        value = _as_bool(node)
        if value is None:
            self.problem(entry.key_line, _wrong(self.name(key), "true or false", node))
        return value

    def one_of(self, key: str, options: Sequence[_S]) -> _S | None:
        entry = self.entry(key)
        if entry is None:
            return None
        node = entry.value
        text = _as_text(node)
        for option in options:
            if text == option:
                return option
        message = _wrong(self.name(key), "one of " + ", ".join(options), node)
        hint = _did_you_mean(text, options) if text is not None else ""
        self.problem(entry.key_line, message + hint)
        return None

    def identifier(self, key: str, pattern: re.Pattern[str], expected: str) -> str | None:
        entry = self.entry(key)
        if entry is None:
            return None
        node = entry.value
        text = _as_text(node)
        if text is not None and pattern.fullmatch(text):
            return text
        self.problem(entry.key_line, _wrong(self.name(key), expected, node))
        return None

    def iso_date(self, key: str) -> str | None:
        """A date, written as YAML writes it (`2023-08-29`); stored as ISO text."""
        entry = self.entry(key)
        if entry is None:
            return None
        node = entry.value
        if isinstance(node, Scalar) and isinstance(node.value, date) and node.kind == "date":
            return node.value.isoformat()
        if isinstance(node, Scalar) and _is_iso_date(node.text):  # a quoted date
            return node.text
        self.problem(entry.key_line, _wrong(self.name(key), "a date like 2023-08-29", node))
        return None

    def mapping(self, key: str) -> _Fields | None:
        entry = self.entry(key)
        if entry is None:
            return None
        node = entry.value
        if isinstance(node, Map):
            return _Fields(self.report, node, self.prefix, f"{self.path}{key}.")
        self.problem(entry.key_line, _wrong(self.name(key), "a mapping of keys", node))
        return None

    def sequence(self, key: str, example: str) -> tuple[Entry, Seq] | None:
        """A non-empty list; `example` shows one in the message, like `[A, C]`."""
        entry = self.entry(key)
        if entry is None:
            return None
        node = entry.value
        if isinstance(node, Seq) and node.items:
            return entry, node
        if isinstance(node, Seq):
            self.problem(entry.key_line, f"{self.name(key)} is an empty list")
        else:
            self.problem(entry.key_line, _wrong(self.name(key), f"a list, like {example}", node))
        return None

    def text_list(self, key: str, example: str, max_length: int | None = None) -> tuple[str, ...]:
        """A non-empty list of non-empty texts taken as written (tags, ids)."""
        found = self.sequence(key, example)
        if found is None:
            return ()
        texts: list[str] = []
        for item in found[1].items:
            text = _as_text(item)
            if text is None:
                self.problem(
                    item.line, _wrong(f"each of {self.name(key)}", "a non-empty text", item)
                )
            elif max_length is not None and len(text) > max_length:
                self.problem(
                    item.line,
                    f"{self.name(key)}: '{text}' is longer than {max_length} characters",
                )
            else:
                texts.append(text)
        return tuple(texts)


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None


def _read_root(path: str, report: _Report) -> Node | None:
    """Parse a file, reporting file-level failures and YAML-level issues."""
    try:
        document = load_file(path)
    except SourceError as error:
        report.add(error.line, error.message)
        return None
    for issue in document.issues:
        report.add(issue.line, issue.message)
    if document.root is None:
        report.add(1, "the file is empty")
    return document.root


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
    time_limit = defaults.integer("time_limit", 3, 600)
    points = defaults.integer("points", 0, 1000)
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
    time_limit = q.integer("time_limit", 3, 600)
    points = q.integer("points", 0, 1000)
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
        letters, details.choices = _read_letters(q, "choices", "choice", 6)
    elif question_type == "order":
        letters, details.items = _read_letters(q, "items", "item", 8)
    elif question_type == "number":
        details.tolerance = q.number("tolerance", 0) or 0.0
        details.unit = q.text("unit")
    elif question_type == "text":
        details.ignore_diacritics = bool(q.boolean("ignore_diacritics"))
    entry = q.entry("answer")
    if entry is not None and question_type is not None:
        details.answer = _ANSWER_READERS[question_type](q, entry, letters)
    return details


def _read_letters(
    q: _Fields, key: str, noun: str, most: int
) -> tuple[tuple[str, ...] | None, tuple[tuple[str, str], ...]]:
    """Letters `A`, `B` ... in order, without a gap, 2 to `most` of them.

    Returns the letters (None when they are not usable to check an answer
    against) and the (letter, text) pairs.
    """
    entry = q.entry(key)
    if entry is None:
        return None, ()
    node = entry.value
    if not isinstance(node, Map):
        q.problem(
            entry.key_line, _wrong(key, "a mapping of letters to texts (A: ..., B: ...)", node)
        )
        return None, ()
    for repeat in node.duplicates:
        q.problem(repeat.key_line, f"{key}: letter '{repeat.key}' is written twice")
    letters_ok = _check_letter_order(q, key, node.entries)
    pairs: list[tuple[str, str]] = []
    for item in node.entries:
        text = _as_text(item.value)
        if text is None:
            q.problem(item.key_line, _wrong(f"{noun} {item.key}", "a non-empty text", item.value))
        pairs.append((item.key, text or ""))
    if not 2 <= len(pairs) <= most:
        q.problem(entry.key_line, f"{key} has {len(pairs)} {noun}s; 2 to {most} are allowed")
    letters = tuple(letter for letter, _ in pairs)
    return (letters if letters_ok else None), tuple(pairs)


def _check_letter_order(q: _Fields, key: str, entries: Sequence[Entry]) -> bool:
    for index, item in enumerate(entries):
        expected = chr(ord("A") + index)
        if item.key != expected:
            q.problem(
                item.key_line,
                f"{key}: expected letter '{expected}' here, not '{item.key}' "
                "(letters run A, B, C ... in order, without a gap)",
            )
            return False
    return True


def _letter_list(
    q: _Fields, entry: Entry, letters: tuple[str, ...] | None, noun: str, example: str
) -> list[str] | None:
    """A non-empty list of distinct letters, each one of `letters` (when known)."""
    node = entry.value
    if not isinstance(node, Seq) or not node.items:
        q.problem(entry.key_line, _wrong("answer", f"a list of letters, like {example}", node))
        return None
    chosen: list[str] = []
    ok = True
    for item in node.items:
        letter = _as_text(item)
        if letter is None:
            q.problem(item.line, _wrong("each letter of answer", "a letter", item))
            ok = False
        elif letter in chosen:
            q.problem(item.line, f"answer names '{letter}' twice")
            ok = False
        elif letters is not None and letter not in letters:
            q.problem(item.line, f"answer '{letter}' is not one of the {noun} {_span(letters)}")
            ok = False
        else:
            chosen.append(letter)
    return chosen if ok else None


def _answer_single(q: _Fields, entry: Entry, letters: tuple[str, ...] | None) -> AnswerKey | None:
    node = entry.value
    letter = _as_text(node)
    if isinstance(node, Seq):
        q.problem(
            entry.key_line,
            "answer of a single question is one letter, like B "
            "(for several letters, use type: multiple)",
        )
    elif letter is None:
        q.problem(entry.key_line, _wrong("answer", "one choice letter, like B", node))
    elif letters is not None and letter not in letters:
        q.problem(entry.key_line, f"answer '{letter}' is not one of the choices {_span(letters)}")
    else:
        return letter
    return None


def _answer_multiple(q: _Fields, entry: Entry, letters: tuple[str, ...] | None) -> AnswerKey | None:
    chosen = _letter_list(q, entry, letters, "choices", "[A, C]")
    return frozenset(chosen) if chosen is not None else None


def _answer_order(q: _Fields, entry: Entry, letters: tuple[str, ...] | None) -> AnswerKey | None:
    order = _letter_list(q, entry, letters, "items", "[C, A, D, B]")
    if order is None:
        return None
    missing = [letter for letter in letters or () if letter not in order]
    if missing:
        q.problem(
            entry.key_line,
            f"answer must list every item once; missing {', '.join(missing)}",
        )
        return None
    return tuple(order)


def _answer_true_false(q: _Fields, entry: Entry, _: tuple[str, ...] | None) -> AnswerKey | None:
    node = entry.value
    value = _as_bool(node)
    if value is not None:
        return value
    message = _wrong("answer", "true or false", node)
    if isinstance(node, Scalar) and node.text.lower() in ("true", "false"):
        message += " (write it without quotes)"
    q.problem(entry.key_line, message)
    return None


def _answer_text(q: _Fields, entry: Entry, _: tuple[str, ...] | None) -> AnswerKey | None:
    node = entry.value
    if isinstance(node, Scalar):
        text = _as_text(node)
        if text is None:
            q.problem(entry.key_line, _wrong("answer", "a non-empty text", node))
            return None
        return (text,)
    if isinstance(node, Seq) and node.items:
        texts = [_as_text(item) for item in node.items]
        for item, text in zip(node.items, texts, strict=True):
            if text is None:
                q.problem(item.line, _wrong("each accepted answer", "a non-empty text", item))
        return tuple(text for text in texts if text is not None)
    expected = "a non-empty text or a list of them, like [một cửa, cơ chế một cửa]"
    if isinstance(node, Seq):
        q.problem(entry.key_line, "answer is an empty list; expected " + expected)
    else:
        q.problem(entry.key_line, _wrong("answer", expected, node))
    return None


def _answer_number(q: _Fields, entry: Entry, _: tuple[str, ...] | None) -> AnswerKey | None:
    node = entry.value
    value = _as_number(node)
    if value is not None:
        return value
    message = _wrong("answer", "a number, like 12 or 0.5", node)
    if isinstance(node, Scalar) and "," in node.text:
        message += " (use a decimal point)"
    q.problem(entry.key_line, message)
    return None


_ANSWER_READERS = {
    "single": _answer_single,
    "multiple": _answer_multiple,
    "true_false": _answer_true_false,
    "text": _answer_text,
    "number": _answer_number,
    "order": _answer_order,
}


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

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_SLUG_RULE = "an id of lower-case letters, digits and '-'"
MIN_TEAMS, MAX_TEAMS = 2, 60
SUPPORTED_FORMATS = ("all", "buzzer")
PLANNED_FORMATS = ("turns", "tiebreak", "elimination", "judged")
TIEBREAK_CRITERIA = ("correct_count", "answer_time", "tiebreak_round")
DEFAULT_TIEBREAK = ("correct_count", "answer_time")

SpeedKind = Literal["none", "linear", "ranked"]
_EARLY_BUZZ: tuple[Literal["lockout", "ignore"], ...] = ("lockout", "ignore")
_ANSWER_ON: tuple[Literal["voice", "tablet"], ...] = ("voice", "tablet")

_CONTEST_KEYS = (
    "contest",
    "title",
    "subtitle",
    "organizer",
    "date",
    "venue",
    "banks",
    "teams",
    "rounds",
    "ranking",
    "prizes",
)
# Keys of the v2 contest format that this version cannot act on yet: refused
# with that reason rather than as unknown (a contest run without them would not
# be the contest its organiser wrote).
_PLANNED_CONTEST_KEYS = {
    key: f"'{key}' (contest format v2) is not supported yet by this version"
    for key in ("language", "jury", "devices_per_team", "players", "judges")
}
_ROUND_KEYS = ("id", "title", "format")
# The keys each format adds to a round.
_FORMAT_KEYS: dict[str, tuple[str, ...]] = {
    "all": ("questions", "draw", "allow_change", "show_distribution", "scoring"),
    "buzzer": (
        "questions",
        "draw",
        "read_time",
        "buzz_window",
        "early_buzz",
        "answer_time",
        "answer_on",
        "rebound",
        "scoring",
    ),
    "turns": ("packages", "assign", "star", "steal"),
    "tiebreak": ("questions", "draw"),
    "elimination": ("questions", "draw"),
}
_SCORING_KEYS: dict[str, tuple[str, ...]] = {
    "all": ("correct", "wrong", "missing", "speed"),
    "buzzer": ("correct", "wrong"),
}


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
    settings: RoundSettings
    line: int
    named: list[tuple[str, int]] = field(default_factory=list)  # (question id, line)
    draw: _Draw | None = None
    question_ids: list[str] = field(default_factory=list)  # named, then drawn


@dataclass(frozen=True)
class _Catalogue:
    """Every question the contest's banks hold, in load order."""

    questions: tuple[Question, ...]
    known_ids: frozenset[str]  # including ids of questions that failed to load
    all_read: bool  # every bank listed was found and parsed: an unknown id is really unknown
    complete: bool  # ... and loaded without a problem: draws can be made


def load_contest(path: StrPath) -> Contest:
    """Load a contest file and the banks it lists; raise LoadError listing every problem."""
    contest, problems = _read_contest(os.fspath(path))
    if problems or contest is None:
        raise LoadError(problems)
    return contest


def _read_contest(path: str) -> tuple[Contest | None, list[Problem]]:
    report = _Report(path)
    return _contest_from_root(path, _read_root(path, report), report)


def _contest_from_root(
    path: str, root: Node | None, report: _Report
) -> tuple[Contest | None, list[Problem]]:
    if root is None:
        return None, report.problems
    if not isinstance(root, Map):
        report.add(root.line, "a contest must be a mapping with the keys contest, title, banks ...")
        return None, report.problems
    top = _Fields(report, root, "")
    top.check_keys(
        _CONTEST_KEYS,
        required=("contest", "title", "banks", "teams", "rounds"),
        misplaced=_PLANNED_CONTEST_KEYS,
    )
    contest_id = top.identifier("contest", SLUG, _SLUG_RULE)
    title = top.text("title")
    subtitle, organizer, venue = top.text("subtitle"), top.text("organizer"), top.text("venue")
    contest_date = top.iso_date("date")
    reads, catalogue, bank_problems = _read_contest_banks(top, path)
    teams = _read_teams(top)
    tiebreak = _read_ranking(top)
    prizes = _read_prizes(top)
    rounds = _read_rounds(top, catalogue)
    problems = report.problems + bank_problems
    if problems:
        return None, problems
    contest = Contest(
        id=contest_id or "",
        title=title or "",
        teams=teams,
        rounds=rounds,
        questions={q.id: q for q in catalogue.questions},
        subtitle=subtitle,
        organizer=organizer,
        date=contest_date,
        venue=venue,
        tiebreak=tiebreak,
        prizes=prizes,
        file=path,
        banks=tuple(read.bank for read in reads if read.bank is not None),
    )
    return contest, []


def _read_contest_banks(
    top: _Fields, contest_path: str
) -> tuple[list[_BankRead], _Catalogue, list[Problem]]:
    """Read the banks a contest lists; their problems are kept apart from the contest's."""
    problems_before = len(top.report.problems)
    paths = _read_bank_paths(top, contest_path)
    listed_ok = bool(paths) and len(top.report.problems) == problems_before
    reads = [_read_bank(bank_path) for bank_path in paths]
    problems = [problem for read in reads for problem in read.problems]
    problems += _cross_bank_duplicates(reads)
    all_read = listed_ok and all(read.bank is not None for read in reads)
    catalogue = _Catalogue(
        questions=tuple(q for read in reads if read.bank for q in read.bank.questions),
        known_ids=frozenset(qid for read in reads for qid in read.id_lines),
        all_read=all_read,
        complete=all_read and not problems,
    )
    return reads, catalogue, problems


def _read_bank_paths(top: _Fields, contest_path: str) -> list[str]:
    """The bank files, relative to the contest file, each one existing and listed once."""
    found = top.sequence("banks", "[cchc-2023.yaml]")
    if found is None:
        return []
    folder = os.path.dirname(contest_path)
    paths: list[str] = []
    seen: dict[str, int] = {}
    for item in found[1].items:
        written = _as_text(item)
        if written is None:
            top.problem(item.line, _wrong("each of banks", "a file name", item))
            continue
        if os.path.isabs(written):
            top.problem(item.line, f"bank '{written}' must be a path relative to the contest file")
            continue
        bank_path = os.path.join(folder, written)
        key = os.path.normpath(bank_path)
        if key in seen:
            top.problem(item.line, f"bank '{written}' is listed twice (first at line {seen[key]})")
        elif not os.path.isfile(bank_path):
            top.problem(item.line, f"bank file '{written}' not found (looked for {bank_path})")
        else:
            seen[key] = item.line
            paths.append(bank_path)
    return paths


def _read_teams(top: _Fields) -> tuple[Team, ...]:
    found = top.sequence("teams", "[{id: bo, name: Thị trấn Bo}, ...]")
    if found is None:
        return ()
    entry, node = found
    if not MIN_TEAMS <= len(node.items) <= MAX_TEAMS:
        top.problem(
            entry.key_line,
            f"teams lists {len(node.items)} team{'' if len(node.items) == 1 else 's'}; "
            f"a contest has {MIN_TEAMS} to {MAX_TEAMS}",
        )
    teams: list[Team] = []
    id_lines: dict[str, int] = {}
    for index, item in enumerate(node.items, start=1):
        if not isinstance(item, Map):
            top.problem(item.line, _wrong(f"team #{index}", "a mapping {id: ..., name: ...}", item))
            continue
        team = _Fields(top.report, item, _prefix("team", item, index))
        team.check_keys(("id", "name"), required=("id", "name"))
        team_id = team.identifier("id", SLUG, _SLUG_RULE)
        name = team.text("name")
        if team_id is not None and _is_repeat(team, team_id, id_lines):
            continue
        if team_id is not None and name is not None:
            teams.append(Team(team_id, name))
    return tuple(teams)


def _prefix(noun: str, node: Map, index: int) -> str:
    entry = node.get("id")
    text = _as_text(entry.value) if entry is not None else None
    return f"{noun} '{text}': " if text is not None else f"{noun} #{index}: "


def _is_repeat(fields: _Fields, item_id: str, id_lines: dict[str, int]) -> bool:
    """Report an id already used by a sibling (team, round); remember it otherwise."""
    entry = fields.entry("id")
    line = entry.key_line if entry is not None else fields.node.line
    if item_id in id_lines:
        fields.problem(line, f"id '{item_id}' is already used (line {id_lines[item_id]})")
        return True
    id_lines[item_id] = line
    return False


def _read_ranking(top: _Fields) -> tuple[str, ...]:
    ranking = top.mapping("ranking")
    if ranking is None:
        return DEFAULT_TIEBREAK
    ranking.check_keys(("tiebreak",))
    entry = ranking.entry("tiebreak")
    if entry is None:
        return DEFAULT_TIEBREAK
    if not isinstance(entry.value, Seq):
        example = "[correct_count, answer_time]"
        ranking.problem(
            entry.key_line, _wrong("ranking.tiebreak", f"a list like {example}", entry.value)
        )
        return DEFAULT_TIEBREAK
    criteria: list[str] = []
    for item in entry.value.items:
        text = _as_text(item)
        if text not in TIEBREAK_CRITERIA:
            expected = "one of " + ", ".join(TIEBREAK_CRITERIA)
            hint = _did_you_mean(text, TIEBREAK_CRITERIA) if text else ""
            ranking.problem(item.line, _wrong("each of ranking.tiebreak", expected, item) + hint)
        elif text in criteria:
            ranking.problem(item.line, f"ranking.tiebreak names '{text}' twice")
        else:
            criteria.append(text)
    return tuple(criteria)


def _read_prizes(top: _Fields) -> tuple[Prize, ...]:
    """`prizes:` best first, each {name, count} with a count >= 1 or `rest` (last)."""
    found = top.sequence("prizes", "[{name: Giải Nhất, count: 1}, ...]")
    if found is None:
        return ()
    prizes: list[Prize] = []
    names: dict[str, int] = {}
    items = found[1].items
    for index, item in enumerate(items, start=1):
        if not isinstance(item, Map):
            top.problem(
                item.line, _wrong(f"prize #{index}", "a mapping {name: ..., count: ...}", item)
            )
            continue
        prize = _Fields(top.report, item, f"prize #{index}: ")
        prize.check_keys(("name", "count"), required=("name", "count"))
        name = prize.text("name")
        entry = prize.entry("count")
        count: int | None = None
        ok = entry is not None
        if entry is not None:
            if isinstance(entry.value, Scalar) and entry.value.text == "rest":
                if index != len(items):
                    prize.problem(entry.key_line, "count 'rest' is only for the last prize")
                    ok = False
            else:
                number = _as_int(entry.value)
                if number is None or number < 1:
                    prize.problem(
                        entry.key_line, _wrong("count", "a whole number >= 1 or rest", entry.value)
                    )
                    ok = False
                count = number
        if name is not None and name in names:
            prize.problem(
                item.line, f"prize '{name}' is listed twice (first at line {names[name]})"
            )
            continue
        if name is not None and ok:
            names[name] = item.line
            prizes.append(Prize(name, count, item.line))
    return tuple(prizes)


def _read_rounds(top: _Fields, catalogue: _Catalogue) -> tuple[Round, ...]:
    found = top.sequence("rounds", "[- id: ..., title: ..., format: all]")
    if found is None:
        return ()
    plans: list[_RoundPlan] = []
    id_lines: dict[str, int] = {}
    for index, node in enumerate(found[1].items, start=1):
        plan = _read_round(top.report, node, index, id_lines)
        if plan is not None:
            plans.append(plan)
    named = _check_named_questions(top.report, plans, catalogue)
    if catalogue.complete:
        _make_draws(top.report, plans, catalogue, named)
    return tuple(
        Round(plan.id, plan.title, plan.format, tuple(plan.question_ids), plan.settings, plan.line)
        for plan in plans
    )


def _read_round(
    report: _Report, node: Node, index: int, id_lines: dict[str, int]
) -> _RoundPlan | None:
    """Read one round; None when it is not a mapping or its format is not playable."""
    if not isinstance(node, Map):
        report.add(node.line, _wrong(f"round #{index}", "a mapping (id: ..., format: ...)", node))
        return None
    r = _Fields(report, node, _prefix("round", node, index))
    round_format = _read_format(r)
    _check_round_keys(r, round_format)
    round_id = r.identifier("id", SLUG, _SLUG_RULE)
    if round_id is not None:
        _is_repeat(r, round_id, id_lines)
    title = r.text("title")
    if round_format not in SUPPORTED_FORMATS:
        return None
    settings = _read_all_settings(r) if round_format == "all" else _read_buzzer_settings(r)
    plan = _RoundPlan(round_id or "", r.prefix, title or "", round_format, settings, node.line)
    _read_question_source(r, plan)
    return plan


def _read_format(r: _Fields) -> str | None:
    entry = r.entry("format")
    if entry is None:
        return None
    text = _as_text(entry.value)
    if text in SUPPORTED_FORMATS:
        return text
    if text in PLANNED_FORMATS:
        message = (
            f"format '{text}' is not supported yet (supported: {', '.join(SUPPORTED_FORMATS)})"
        )
    else:
        valid = ", ".join(SUPPORTED_FORMATS + PLANNED_FORMATS)
        hint = _did_you_mean(text, SUPPORTED_FORMATS) if text else ""
        message = _wrong("format", f"one of {valid}", entry.value) + hint
    r.problem(entry.key_line, message)
    return None


def _check_round_keys(r: _Fields, round_format: str | None) -> None:
    every_key = {key for keys in _FORMAT_KEYS.values() for key in keys}
    if round_format is None:  # unknown or unsupported format: only unknown keys are sure
        r.check_keys(_ROUND_KEYS + tuple(every_key), required=_ROUND_KEYS)
        return
    own = _FORMAT_KEYS[round_format]
    misplaced = {
        key: f"'{key}' is a setting of "
        + " and ".join(f for f, keys in _FORMAT_KEYS.items() if key in keys)
        + f" rounds, not of {round_format} rounds"
        for key in every_key
        if key not in own
    }
    r.check_keys(_ROUND_KEYS + own, _ROUND_KEYS, misplaced)


def _read_question_source(r: _Fields, plan: _RoundPlan) -> None:
    """Exactly one of `questions:` (ids in order) and `draw:`; both are checked."""
    has_list, has_draw = r.entry("questions") is not None, r.entry("draw") is not None
    if has_list and has_draw:
        r.problem(r.node.line, "has both 'questions' and 'draw'; give only one of them")
    elif not has_list and not has_draw:
        r.problem(r.node.line, "missing key 'questions' (a list of question ids) or 'draw'")
    found = r.sequence("questions", "[nq76-van-ban, cong-dvc-khai-truong]")
    for item in found[1].items if found else ():
        question_id = _as_text(item)
        if question_id is None:
            r.problem(item.line, _wrong("each of questions", "a question id", item))
        else:
            plan.named.append((question_id, item.line))
    draw = _read_draw(r)
    plan.draw = None if has_list else draw


def _read_draw(r: _Fields) -> _Draw | None:
    entry = r.entry("draw")
    draw = r.mapping("draw")
    if draw is None or entry is None:
        return None
    problems_before = len(r.report.problems)
    draw.check_keys(("count", "tags", "level", "types", "seed"), required=("count",))
    count = draw.integer("count", 1)
    tags = draw.text_list("tags", "[mot-cua]", TAG_MAX_LENGTH)
    level = draw.one_of("level", _LEVELS)
    types = _draw_types(draw)
    seed = draw.integer("seed")
    if count is None or len(r.report.problems) > problems_before:
        return None
    return _Draw(count, tags, level, 0 if seed is None else seed, entry.key_line, types)


def _draw_types(draw: _Fields) -> tuple[QuestionType, ...]:
    """`types:` of a draw: a list of known question types, each at most once."""
    found = draw.sequence("types", "[single, true_false]")
    if found is None:
        return ()
    types: list[QuestionType] = []
    for item in found[1].items:
        name = _as_text(item)
        known = next((t for t in _TYPES if t == name), None)
        if name is None:
            draw.problem(
                item.line, _wrong("each of " + draw.name("types"), "a question type", item)
            )
        elif known is None:
            draw.problem(
                item.line,
                f"{draw.name('types')}: unknown question type '{name}'"
                f"{_did_you_mean(name, _TYPES)}; expected one of {', '.join(_TYPES)}",
            )
        elif known in types:
            draw.problem(item.line, f"{draw.name('types')}: '{name}' is listed twice")
        else:
            types.append(known)
    return tuple(types)


def _score(scoring: _Fields, key: str, *, may_be_negative: bool) -> ScoreValue | None:
    """`question` (the question's points) or a number."""
    entry = scoring.entry(key)
    if entry is None:
        return None
    if isinstance(entry.value, Scalar) and entry.value.text == "question":
        return "question"
    value = _as_number(entry.value)
    if value is not None and (may_be_negative or value >= 0):
        return value
    expected = "'question' or a number" + ("" if may_be_negative else " >= 0")
    scoring.problem(entry.key_line, _wrong(scoring.name(key), expected, entry.value))
    return None


def _scoring(r: _Fields, round_format: str) -> _Fields | None:
    scoring = r.mapping("scoring")
    if scoring is not None:
        own = _SCORING_KEYS[round_format]
        misplaced = {
            key: f"'scoring.{key}' is not a scoring key of {round_format} rounds "
            f"(only {', '.join(own)})"
            for key in _SCORING_KEYS["all"]
            if key not in own
        }
        scoring.check_keys(own, misplaced=misplaced)
    return scoring


def _read_all_settings(r: _Fields) -> AllSettings:
    defaults = AllSettings()
    allow_change = r.boolean("allow_change")
    show_distribution = r.boolean("show_distribution")
    settings = AllSettings(
        allow_change=defaults.allow_change if allow_change is None else allow_change,
        show_distribution=(
            defaults.show_distribution if show_distribution is None else show_distribution
        ),
    )
    scoring = _scoring(r, "all")
    if scoring is None:
        return settings
    correct = _score(scoring, "correct", may_be_negative=False)
    wrong = _score(scoring, "wrong", may_be_negative=True)
    missing = _score(scoring, "missing", may_be_negative=True)
    speed, ranked = _read_speed(scoring)
    return AllSettings(
        allow_change=settings.allow_change,
        show_distribution=settings.show_distribution,
        correct=defaults.correct if correct is None else correct,
        wrong=defaults.wrong if wrong is None else wrong,
        missing=defaults.missing if missing is None else missing,
        speed=speed,
        ranked=ranked,
    )


def _read_speed(scoring: _Fields) -> tuple[SpeedKind, tuple[float, ...]]:
    entry = scoring.entry("speed")
    if entry is None:
        return "none", ()
    node = entry.value
    expected = "none, linear or {ranked: [40, 30, 20, 10]}"
    if isinstance(node, Scalar) and node.text in ("none", "linear"):
        return ("none" if node.text == "none" else "linear"), ()
    if not isinstance(node, Map):
        scoring.problem(entry.key_line, _wrong("scoring.speed", expected, node))
        return "none", ()
    speed = _Fields(scoring.report, node, scoring.prefix, "scoring.speed.")
    speed.check_keys(("ranked",), required=("ranked",))
    found = speed.sequence("ranked", "[40, 30, 20, 10]")
    if found is None:
        return "none", ()
    values: list[float] = []
    for item in found[1].items:
        value = _as_number(item)
        if value is None or value < 0:
            speed.problem(item.line, _wrong("each of scoring.speed.ranked", "a number >= 0", item))
        else:
            values.append(value)
    return "ranked", tuple(values)


def _read_buzzer_settings(r: _Fields) -> BuzzerSettings:
    defaults = BuzzerSettings()
    read_time = r.number("read_time", 0)
    buzz_window = r.number("buzz_window", 0, strictly_above=True)
    early_buzz = r.one_of("early_buzz", _EARLY_BUZZ)
    answer_time = r.number("answer_time", 0, strictly_above=True)
    answer_on = r.one_of("answer_on", _ANSWER_ON)
    rebound = r.boolean("rebound")
    scoring = _scoring(r, "buzzer")
    correct = wrong = None
    if scoring is not None:
        correct = _score(scoring, "correct", may_be_negative=False)
        wrong = _score(scoring, "wrong", may_be_negative=True)
    return BuzzerSettings(
        read_time=defaults.read_time if read_time is None else read_time,
        buzz_window=defaults.buzz_window if buzz_window is None else buzz_window,
        early_buzz=early_buzz or defaults.early_buzz,
        answer_time=defaults.answer_time if answer_time is None else answer_time,
        answer_on=answer_on or defaults.answer_on,
        rebound=defaults.rebound if rebound is None else rebound,
        correct=defaults.correct if correct is None else correct,
        wrong=defaults.wrong if wrong is None else wrong,
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


# --- Several files at once (quiz check) ---------------------------------------


def load_files(paths: Sequence[StrPath]) -> tuple[Bank | Contest, ...]:
    """Load banks and contests named together, as `quiz check` does.

    A contest is a file whose top level has a `contest:` key. The banks given
    are checked together (an id used in two of them is a problem); each
    contest is checked with its own banks. A file named twice is loaded once.
    Raise LoadError with every problem of every file.
    """
    by_file: dict[str, str] = {}  # the real file -> the path first given for it
    for given in paths:
        path = os.fspath(given)
        by_file.setdefault(os.path.realpath(path), path)
    unique = list(by_file.values())
    loaded: dict[str, Bank | Contest] = {}
    bank_reads: list[_BankRead] = []
    problems: list[Problem] = []
    for path in unique:
        report = _Report(path)
        root = _read_root(path, report)
        if isinstance(root, Map) and root.get("contest") is not None:
            contest, contest_problems = _contest_from_root(path, root, report)
            problems += contest_problems
            if contest is not None:
                loaded[path] = contest
        else:
            read = _bank_from_root(path, root, report)
            bank_reads.append(read)
            problems += read.problems
    problems += _cross_bank_duplicates(bank_reads)
    if problems:
        raise LoadError(problems)
    for read in bank_reads:
        if read.bank is not None:
            loaded[read.file] = read.bank
    return tuple(loaded[path] for path in unique if path in loaded)
