"""Turning a spreadsheet's rows into questions: the header, then one question per
row, every problem as `FILE:ROW: message`.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from quiz.files.bank import QUESTION_ID, TAG_MAX_LENGTH
from quiz.files.importers.common import (
    _BY_HEADER,
    _HEADER_NAMES,
    LEVEL_NAMES,
    ROW_NUMBER_NAMES,
    Cell,
    Draft,
    ImportFailed,
    Located,
    _column_letter,
    _Flow,
    _row,
    _shown,
    cell_text,
    header_key,
    parse_whole,
    split_letters,
)
from quiz.files.importers.row_keys import _RowReport, _type_keys
from quiz.files.importers.tables import Row
from quiz.rules.limits import ITEM_LETTERS, POINTS_MAX, POINTS_MIN, TIME_LIMIT_MAX, TIME_LIMIT_MIN
from quiz.rules.model import QUESTION_TYPES


def questions_from_rows(file: str, rows: Sequence[Row]) -> list[Draft]:
    """Convert a header row and question rows; raise ImportFailed with every problem."""
    if not rows or all(cell_text(cell) is None for _, cells in rows for cell in cells):
        raise ImportFailed([Located(file, "1", "the file is empty")])
    columns, problems = _read_header(file, rows[0])
    questions: list[tuple[int, dict[str, Cell]]] = []
    for number, cells in rows[1:]:
        values: dict[str, Cell] = {}
        for index, cell in enumerate(cells):
            if cell_text(cell) is None:
                continue
            key = columns.get(index)
            if key is None and index not in columns:
                problems.append(
                    Located(
                        file,
                        _row(number),
                        f"a value in column {_column_letter(index)}, which has no header",
                    )
                )
            elif key is not None:
                values[key] = cell
        if values:
            questions.append((number, values))
    if not questions and not problems:
        problems.append(Located(file, "1", "no questions: every row below the header is empty"))
    if problems:
        raise ImportFailed(problems)
    drafts = [_row_question(file, number, values, problems) for number, values in questions]
    _assign_ids(file, drafts, [number for number, _ in questions], problems)
    if problems:
        raise ImportFailed(problems)
    return drafts


def _read_header(file: str, header: Row) -> tuple[dict[int, str | None], list[Located]]:
    """{column index: key, or None for STT}; problems with the header row."""
    number, cells = header
    columns: dict[int, str | None] = {}
    seen: dict[str, int] = {}
    problems: list[Located] = []
    for index, cell in enumerate(cells):
        name = cell_text(cell)
        if name is None:
            continue
        found = header_key(name)
        if found in ROW_NUMBER_NAMES:
            columns[index] = None
            continue
        column = _BY_HEADER.get(found)
        if column is None:
            problems.append(_unknown_column(file, number, name, index, found))
            continue
        if column.key in seen:
            problems.append(
                Located(
                    file,
                    _row(number),
                    f"column '{name}' (column {_column_letter(index)}) repeats column "
                    f"{_column_letter(seen[column.key])}",
                )
            )
            continue
        seen[column.key] = index
        columns[index] = column.key
    if not columns and not problems:
        problems.append(
            Located(
                file,
                _row(number),
                "row 1 must be the header row (câu hỏi, A, B, C, D, đáp án ...)",
            )
        )
        return columns, problems
    for key, name in (("text", "text (câu hỏi)"), ("answer", "answer (đáp án)")):
        if key not in seen:
            problems.append(Located(file, _row(number), f"no column {name}"))
    return columns, problems


def _unknown_column(file: str, number: int, name: str, index: int, found: str) -> Located:
    """A header naming no column, with the closest column name as a hint."""
    matches = difflib.get_close_matches(found, sorted(_HEADER_NAMES), n=1, cutoff=0.6)
    hint = f" (did you mean '{_HEADER_NAMES[matches[0]]}'?)" if matches else ""
    return Located(
        file, _row(number), f"unknown column '{name}' (column {_column_letter(index)}){hint}"
    )


def _row_question(
    file: str, number: int, values: dict[str, Cell], problems: list[Located]
) -> Draft:
    report = _RowReport(file, number, problems)
    draft = Draft(_row(number))
    keys = draft.keys
    given_id = cell_text(values.get("id"))
    if given_id is not None:
        if QUESTION_ID.fullmatch(given_id):
            keys["id"] = given_id
        else:
            report.add(
                f"id {_shown(given_id)} must be letters, digits, '_', '.' and '-', "
                "starting with a letter or digit"
            )
    letters = _letters(values, report)
    answer = values.get("answer")
    answer_text = cell_text(answer)
    kind = _question_type(values, answer, report)
    if kind is not None:
        keys["type"] = kind
    text = cell_text(values.get("text"))
    if text is None:
        report.add("the question's text (câu hỏi) is empty")
    else:
        keys["text"] = text
    if answer_text is None:
        report.add("the answer (đáp án) is empty")
    if kind is not None and cell_text(values.get("type")) is None and not letters:
        report.add(
            "no type and no choices: write the type (true_false, text, number or order), "
            "or the choices in columns A, B ..."
        )
    elif kind is not None:
        _type_keys(kind, values, letters, answer, answer_text, keys, report)
    _common_keys(values, keys, report)
    return draft


def _letters(values: dict[str, Cell], report: _RowReport) -> dict[str, str]:
    """The filled choice or item columns, which must run from A without a gap."""
    filled = {letter: cell_text(values.get(letter)) for letter in ITEM_LETTERS}
    used = [letter for letter, text in filled.items() if text is not None]
    if used:
        last = ITEM_LETTERS.index(used[-1])
        gaps = [letter for letter in ITEM_LETTERS[:last] if filled[letter] is None]
        if gaps:
            report.add(
                f"column {gaps[0]} is empty but column {used[-1]} is filled; "
                "fill the choices from A without a gap"
            )
    return {letter: text for letter, text in filled.items() if text is not None}


def _question_type(values: dict[str, Cell], answer: Cell, report: _RowReport) -> str | None:
    written = cell_text(values.get("type"))
    if written is None:
        text = cell_text(answer)
        several = split_letters(text) if text is not None else None
        return "multiple" if several is not None and len(several) > 1 else "single"
    kind = written.casefold().replace(" ", "_").replace("-", "_")
    if kind in QUESTION_TYPES:
        return kind
    matches = difflib.get_close_matches(kind, QUESTION_TYPES, n=1, cutoff=0.6)
    hint = f" (did you mean '{matches[0]}'?)" if matches else ""
    report.add(f"type {_shown(written)} is not one of {', '.join(QUESTION_TYPES)}{hint}")
    return None


def _common_keys(values: dict[str, Cell], keys: dict[str, object], report: _RowReport) -> None:
    for key, low, high in (
        ("time_limit", TIME_LIMIT_MIN, TIME_LIMIT_MAX),
        ("points", POINTS_MIN, POINTS_MAX),
    ):
        value = values.get(key)
        if cell_text(value) is None:
            continue
        number = parse_whole(value)
        if number is None or not low <= number <= high:
            unit = " seconds" if key == "time_limit" else ""
            report.add(f"{key} {_shown(value)} must be a whole number from {low} to {high}{unit}")
        else:
            keys[key] = number
    level = cell_text(values.get("level"))
    if level is not None:
        found = _LEVELS.get(header_key(level))
        if found is None:
            report.add(f"level {_shown(level)} must be easy, medium or hard (dễ, trung bình, khó)")
        else:
            keys["level"] = found
    tags_text = cell_text(values.get("tags"))
    if tags_text is not None:
        tags = [tag.strip() for tag in tags_text.split(",") if tag.strip()]
        long = [tag for tag in tags if len(tag) > TAG_MAX_LENGTH]
        if long:
            report.add(f"tag {_shown(long[0])} is longer than {TAG_MAX_LENGTH} characters")
        elif tags:
            keys["tags"] = _Flow(tags)
    for key in ("explanation", "source", "note", "image"):
        text = cell_text(values.get(key))
        if text is not None:
            keys[key] = text


_LEVELS = {
    **{level: level for level in LEVEL_NAMES},
    **{header_key(name): level for level, name in LEVEL_NAMES.items()},
}


def _assign_ids(
    file: str, drafts: Sequence[Draft], numbers: Sequence[int], problems: list[Located]
) -> None:
    """Given ids stay (each once); the nth question without one gets q001, q002 ..."""
    given: dict[str, int] = {}
    for draft, number in zip(drafts, numbers, strict=True):
        found = draft.keys.get("id")
        if not isinstance(found, str):
            continue
        if found in given:
            problems.append(
                Located(file, _row(number), f"id '{found}' is already used at row {given[found]}")
            )
        else:
            given[found] = number
    for index, (draft, number) in enumerate(zip(drafts, numbers, strict=True), start=1):
        if "id" in draft.keys:
            continue
        made = f"q{index:03d}"
        if made in given:
            problems.append(
                Located(
                    file,
                    _row(number),
                    f"this row has no id and would get '{made}', which row {given[made]} "
                    "already has; give this row an id",
                )
            )
        draft.keys = {"id": made, **draft.keys}
