"""The keys of one spreadsheet row that depend on its question's type: choices
or items, the answer, and the keys only some types have (for rows.py)."""

from __future__ import annotations

from quiz.files.importers.common import (
    Cell,
    Located,
    _Flow,
    _row,
    _shown,
    _span,
    cell_text,
    parse_number,
    parse_true_false,
    parse_yes_no,
    split_letters,
    split_texts,
)
from quiz.rules.limits import ITEM_LETTERS


class _RowReport:
    def __init__(self, file: str, number: int, problems: list[Located]) -> None:
        self.file = file
        self.place = _row(number)
        self.problems = problems

    def add(self, message: str) -> None:
        self.problems.append(Located(self.file, self.place, message))


def _type_keys(
    kind: str,
    values: dict[str, Cell],
    letters: dict[str, str],
    answer: Cell,
    answer_text: str | None,
    keys: dict[str, object],
    report: _RowReport,
) -> None:
    """Choices or items, the answer, and the keys only some types have."""
    for key, types in (
        ("tolerance", ("number",)),
        ("unit", ("number",)),
        ("ignore_diacritics", ("text",)),
    ):
        if kind not in types and cell_text(values.get(key)) is not None:
            report.add(f"{key} is only for {' and '.join(types)} questions, not {kind}")
    if kind in ("single", "multiple", "order"):
        _lettered(kind, letters, answer_text, keys, report)
        return
    if letters:
        report.add(f"a {kind} question has no choices; empty the columns {', '.join(letters)}")
    if kind == "true_false":
        value = parse_true_false(answer)
        if value is None and answer_text is not None:
            report.add(
                f"the answer {_shown(answer)} of a true_false question must be Đúng or Sai "
                "(or true/false)"
            )
        keys["answer"] = value
    elif kind == "text":
        texts = split_texts(answer_text or "")
        if answer_text is not None and not texts:
            report.add("the answer (đáp án) holds no text between its '|'")
        keys["answer"] = texts[0] if len(texts) == 1 else _Flow(texts)
        _yes_no(values, "ignore_diacritics", keys, report)
    elif kind == "number":
        _number_keys(values, answer, answer_text, keys, report)


def _number_keys(
    values: dict[str, Cell],
    answer: Cell,
    answer_text: str | None,
    keys: dict[str, object],
    report: _RowReport,
) -> None:
    """A number question's answer, tolerance and unit."""
    number = parse_number(answer)
    if number is None and answer_text is not None:
        report.add(f"the answer {_shown(answer)} is not a number (like 12, 0.5 or 0,5)")
    keys["answer"] = _plain_number(number)
    tolerance = values.get("tolerance")
    if cell_text(tolerance) is not None:
        found = parse_number(tolerance)
        if found is None or found < 0:
            report.add(f"tolerance {_shown(tolerance)} must be a number >= 0")
        else:
            keys["tolerance"] = _plain_number(found)
    unit = cell_text(values.get("unit"))
    if unit is not None:
        keys["unit"] = unit


def _plain_number(number: float | None) -> int | float | None:
    """12.0 is written 12."""
    if number is not None and number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def _lettered(
    kind: str,
    letters: dict[str, str],
    answer_text: str | None,
    keys: dict[str, object],
    report: _RowReport,
) -> None:
    noun, most, key = ("item", 8, "items") if kind == "order" else ("choice", 6, "choices")
    given = list(letters)
    if len(given) < 2 or len(given) > most:
        first = "A-" + ITEM_LETTERS[most - 1]
        report.add(
            f"a {kind} question needs 2 to {most} {noun}s in columns {first}; it has {len(given)}"
        )
    keys[key] = dict(letters)
    if answer_text is None:
        return
    chosen = split_letters(answer_text)
    if chosen is None:
        example = {"single": "B", "multiple": "A, C", "order": "C, A, D, B"}[kind]
        report.add(f"the answer {_shown(answer_text)} must be {noun} letters like {example}")
        return
    unknown = [letter for letter in chosen if letter not in letters]
    if unknown:
        report.add(f"the answer names {unknown[0]}, which is not one of the {noun}s {_span(given)}")
        return
    repeated = [letter for index, letter in enumerate(chosen) if letter in chosen[:index]]
    if repeated:
        report.add(f"the answer names {repeated[0]} twice")
        return
    if kind == "single":
        if len(chosen) > 1:
            report.add(
                "a single question has one answer letter; for several letters, "
                "write the type multiple (or leave the type empty)"
            )
            return
        keys["answer"] = chosen[0]
    elif kind == "multiple":
        keys["answer"] = _Flow(chosen)
    else:
        missing = [letter for letter in given if letter not in chosen]
        if missing:
            report.add(
                "the answer of an order question lists every item once; "
                f"missing {', '.join(missing)}"
            )
            return
        keys["answer"] = _Flow(chosen)


def _yes_no(values: dict[str, Cell], key: str, keys: dict[str, object], report: _RowReport) -> None:
    value = values.get(key)
    if cell_text(value) is None:
        return
    found = parse_yes_no(value)
    if found is None:
        report.add(f"{key} {_shown(value)} must be có or không (or Đúng/Sai, true/false)")
    elif found:
        keys[key] = True
