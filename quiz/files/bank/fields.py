"""The shared pieces of bank and contest loading: `Problem`, `LoadError`, the report
that collects problems as `FILE:LINE: message`, and `_Fields`, the typed reader of
one YAML mapping that reports every wrong value where it is written.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from quiz.files.yamlsource import Entry, Map, Node, Scalar, Seq, SourceError, describe, load_file

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


# YAML 1.2's exponent form that PyYAML (YAML 1.1) reads as text: 1e3, 2.5E-4.
_EXPONENT = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)[eE][-+]?\d+")


def _as_number(node: Node) -> float | None:
    """A finite int or float (never a boolean, never a quoted number)."""
    if isinstance(node, Scalar) and node.kind in ("int", "float"):
        value = node.value
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
            return number if math.isfinite(number) else None
    if isinstance(node, Scalar) and node.plain and _EXPONENT.fullmatch(node.text):
        number = float(node.text)
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


SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_SLUG_RULE = "an id of lower-case letters, digits and '-'"
