"""Where a reviewer's warning points: the line a key of a question is written on
(`Locate`, and `SourceLines`, which reads the bank files again), and the
warning of one question."""

from __future__ import annotations

from collections.abc import Callable

from quiz.files.bank import Problem
from quiz.files.yamlsource import Map, Seq, SourceError, load_file
from quiz.rules.model import Bank, Question

# Where a key is written: (bank file, question line or 0 for the top level,
# key such as "text", "choices.B" or "bank") -> line, or None if not known.
Locate = Callable[[str, int, str], int | None]


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
