"""`quiz import FILE -o BANK.yaml`: questions from Excel, CSV or Word, as a bank.

Owns the rules of `import-formats.md`: reading a spreadsheet (.xlsx through
openpyxl, .csv through the standard library) or a Word document (.docx through
python-docx), turning each row or question into a question of
`bank-format.md`, reporting every problem as `FILE:ROW: message` or
`FILE:paragraph N: message`, and writing the bank as YAML only when every
question converts and the written file loads (`quiz.bank.load_bank`), through
a temporary file renamed into place.

Also owns the spreadsheet's columns (`COLUMNS`), which `quiz.export` writes.
Imports openpyxl and python-docx only inside the functions that read those
files; never Flask, Socket.IO or the engine.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import difflib
import io
import math
import os
import re
import tempfile
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import yaml

from quiz.answers import strip_diacritics
from quiz.bank import BANK_ID, QUESTION_ID, TAG_MAX_LENGTH, LoadError, load_bank
from quiz.model import QUESTION_TYPES, Bank
from quiz.untrusted import MAX_PARAGRAPHS, Hostile, check_package, csv_uncell, sheet_size_problem

if TYPE_CHECKING:
    from docx.styles.style import CharacterStyle
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

# --- Problems ------------------------------------------------------------------


@dataclass(frozen=True)
class Located:
    """One problem of an input file: `FILE:ROW: message` or `FILE:paragraph N: message`."""

    file: str
    place: str  # "12" (a spreadsheet row) or "paragraph 4"
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.place}: {self.message}"


class ImportFailed(Exception):
    """The file cannot be imported; `problems` lists every reason."""

    def __init__(self, problems: Iterable[Located]) -> None:
        self.problems = sorted(problems, key=_position)  # stable: a row's problems keep order
        super().__init__("\n".join(str(problem) for problem in self.problems))


def _position(problem: Located) -> int:
    """Row N or paragraph N, as N (file-level problems are at 1)."""
    digits = "".join(char for char in problem.place if char.isdigit())
    return int(digits) if digits else 0


def _row(number: int) -> str:
    return str(number)


def _paragraph(number: int) -> str:
    return f"paragraph {number}"


# --- The spreadsheet's columns ---------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A spreadsheet column: the bank key it fills and the header names it goes by."""

    key: str  # the bank key, or a letter A-H for a choice or item
    names: tuple[str, ...]  # accepted header names; the first is the spec's own
    heading: str  # the header `quiz export-bank` and the template write


CHOICE_LETTERS = "ABCDEF"  # choices of single and multiple questions
ITEM_LETTERS = "ABCDEFGH"  # items of order questions (G and H: 7 and 8 items)

# In the order the template shows them. `unit`, `ignore_diacritics` and
# `image`, and the names `sai số` and `chủ đề`, go beyond import-formats.md so
# that every bank (with units, typed answers without diacritics, images) can
# be exported and imported back unchanged.
COLUMNS: tuple[Column, ...] = (
    Column("id", ("id", "mã"), "Mã"),
    Column("type", ("type", "loại"), "Loại"),
    Column("text", ("text", "câu hỏi"), "Câu hỏi"),
    *(Column(letter, (letter,), letter) for letter in ITEM_LETTERS),
    Column("answer", ("answer", "đáp án"), "Đáp án"),
    Column("explanation", ("explanation", "giải thích"), "Giải thích"),
    Column("source", ("source", "nguồn"), "Nguồn"),
    Column("note", ("note", "ghi chú"), "Ghi chú"),
    Column("level", ("level", "mức độ"), "Mức độ"),
    Column("tags", ("tags", "chủ đề"), "Chủ đề"),
    Column("time_limit", ("time_limit", "thời gian"), "Thời gian"),
    Column("points", ("points", "điểm"), "Điểm"),
    Column("tolerance", ("tolerance", "sai số"), "Sai số"),
    Column("unit", ("unit", "đơn vị"), "Đơn vị"),
    Column("ignore_diacritics", ("ignore_diacritics", "không dấu"), "Không dấu"),
    Column("image", ("image", "hình ảnh"), "Hình ảnh"),
)
ROW_NUMBER_NAMES = ("stt",)  # a row-number column, ignored
ROW_NUMBER_HEADING = "STT"

LEVEL_NAMES = {"easy": "dễ", "medium": "trung bình", "hard": "khó"}


def header_key(name: str) -> str:
    """A header as compared: no diacritics (đ as d), case folded, spaces and `_` as one space."""
    text = strip_diacritics(unicodedata.normalize("NFC", name)).casefold()
    return " ".join(text.replace("_", " ").split())


_BY_HEADER: dict[str, Column] = {
    header_key(name): column for column in COLUMNS for name in column.names
}
_HEADER_NAMES = {header_key(name): name for column in COLUMNS for name in column.names}


def _column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as the spreadsheet shows it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --- Cell values -------------------------------------------------------------------

Cell = str | int | float | bool | datetime.datetime | datetime.date | datetime.time | None


def cell_text(value: Cell) -> str | None:
    """A cell as text (None when empty): trimmed, NFC, line ends as `\\n`.

    Numbers keep their digits (`2019`, `1.5`); dates are written the
    Vietnamese way (`09/12/2019`), as an organiser typed them.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, datetime.datetime):
        text = f"{value.day:02d}/{value.month:02d}/{value.year}"
        if value.time() != datetime.time():
            text += f" {value.hour:02d}:{value.minute:02d}"
    elif isinstance(value, datetime.date):
        text = f"{value.day:02d}/{value.month:02d}/{value.year}"
    elif isinstance(value, datetime.time):
        text = f"{value.hour:02d}:{value.minute:02d}"
    else:
        text = str(value)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return text or None


def _shown(value: Cell) -> str:
    """A value quoted for a message."""
    text = cell_text(value) or ""
    return repr(text if len(text) <= 60 else text[:57] + "...")


_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")


def parse_number(value: Cell) -> float | None:
    """A spreadsheet number, or text with a decimal point or comma (`0,5`)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
        return number if math.isfinite(number) else None
    text = cell_text(value)
    if text is None or not _NUMBER.fullmatch(text.replace(" ", "")):
        return None
    return float(text.replace(" ", "").replace(",", "."))


def parse_whole(value: Cell) -> int | None:
    number = parse_number(value)
    if number is None or not number.is_integer():
        return None
    return int(number)


_TRUE_WORDS = ("dung", "true")
_FALSE_WORDS = ("sai", "false")


def parse_true_false(value: Cell) -> bool | None:
    """`Đúng`/`Sai`, `true`/`false` (any case) or a spreadsheet boolean."""
    if isinstance(value, bool):
        return value
    text = cell_text(value)
    if text is None:
        return None
    word = strip_diacritics(text.rstrip(".").strip()).casefold()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return None


def parse_yes_no(value: Cell) -> bool | None:
    """A yes/no cell: `có`/`không`, `x`, or anything `parse_true_false` reads."""
    text = cell_text(value)
    if text is not None and strip_diacritics(text).casefold() in ("co", "x", "yes"):
        return True
    if text is not None and strip_diacritics(text).casefold() in ("khong", "no"):
        return False
    return parse_true_false(value)


def split_letters(text: str) -> list[str] | None:
    """`A, c` -> [A, C] (`B.` -> [B]); None unless every comma-separated part is one letter."""
    parts = [part.strip().upper() for part in text.strip().rstrip(".").split(",")]
    if all(len(part) == 1 and "A" <= part <= "Z" for part in parts):
        return parts
    return None


def split_texts(text: str) -> list[str]:
    """`một cửa | cơ chế một cửa` -> the accepted texts, without empty ones."""
    return [part.strip() for part in text.split("|") if part.strip()]


def _span(letters: Sequence[str]) -> str:
    return f"{letters[0]}-{letters[-1]}" if letters else "(none)"


# --- A question being built ----------------------------------------------------------


@dataclass
class Draft:
    """A question as read: its bank keys in the order they are written, and where it was."""

    place: str
    keys: dict[str, object] = field(default_factory=dict)


class _Flow(list[str]):
    """A list written in flow style: `[A, C]`."""


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, lists of letters and tags in flow style."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    """Several lines as a `|` block; line breaks YAML would fold (`\\r`, NEL ...) escaped."""
    style = None
    if _OTHER_BREAKS.search(text):
        style = '"'
    elif "\n" in text:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_flow(dumper: yaml.SafeDumper, items: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(items), flow_style=True)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_Flow, _represent_flow)

_KEY_ORDER = (
    "id",
    "type",
    "text",
    "choices",
    "items",
    "answer",
    "tolerance",
    "unit",
    "ignore_diacritics",
    "time_limit",
    "points",
    "level",
    "tags",
    "explanation",
    "source",
    "note",
    "image",
)


def bank_yaml(
    bank_id: str, title: str, drafts: Sequence[Draft], *, as_of: str | None, origin: str
) -> tuple[str, list[int]]:
    """The bank as YAML text, and the line each question starts at.

    Strings YAML would read as something else (`2019`, `No`, `1.10`) are
    quoted by the emitter; Vietnamese is written as is; each question's keys
    come in a stable order: id, type, text, choices or items, answer, others.
    """
    top: dict[str, object] = {"bank": bank_id, "title": title}
    if as_of is not None:
        top["as_of"] = datetime.date.fromisoformat(as_of)
    lines = [f"# Imported by `quiz import` from {' '.join(Path(origin).name.split())}."]
    lines += _dump(top).rstrip("\n").split("\n")
    lines.append("questions:")
    starts: list[int] = []
    for draft in drafts:
        ordered = {key: draft.keys[key] for key in _KEY_ORDER if key in draft.keys}
        if starts:
            lines.append("")  # a blank line between questions
        starts.append(len(lines) + 1)
        lines += (
            "  " + line if line else line for line in _dump([ordered]).rstrip("\n").split("\n")
        )
    return "\n".join(lines) + "\n", starts


def _dump(data: object) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,
    )


# --- Rows of a spreadsheet ------------------------------------------------------------

Row = tuple[int, list[Cell]]  # the row number as the spreadsheet shows it, its cells


def read_csv(path: str) -> list[Row]:
    """The rows of a CSV file: UTF-8 with or without BOM, `;` or `,` by the header row."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ImportFailed([Located(path, "1", "file not found")]) from None
    except OSError as error:
        raise ImportFailed(
            [Located(path, "1", f"cannot read the file ({error.strerror})")]
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailed(
            [
                Located(
                    path,
                    _row(line),
                    f"the file is not UTF-8 text (byte 0x{data[error.start]:02x}); "
                    "save it as 'CSV UTF-8'",
                )
            ]
        ) from None
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # A cell our own export made inert ('=..., see quiz.untrusted) reads as written.
        return [
            (number, [csv_uncell(cell) for cell in cells])
            for number, cells in enumerate(reader, start=1)
        ]
    except csv.Error as error:
        raise ImportFailed(
            [Located(path, _row(reader.line_num), f"not readable as CSV: {error}")]
        ) from None


def read_xlsx(path: str) -> list[Row]:
    """The rows of the first sheet in tab order of an Excel workbook, from row 1."""
    from zipfile import BadZipFile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if not Path(path).exists():
        raise ImportFailed([Located(path, "1", "file not found")])
    try:
        check_package(path, "xlsx")
    except Hostile as error:
        raise ImportFailed([Located(path, "1", f"not read: {error}")]) from None
    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts of a workbook it does not keep (data
            # validation extensions, default styles): nothing the import reads.
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
            # Read-only: rows are streamed from the sheet, and empty cells are
            # never made, so the memory is that of the values alone.
            workbook = openpyxl.load_workbook(path, data_only=True, read_only=True)
    except FileNotFoundError:
        raise ImportFailed([Located(path, "1", "file not found")]) from None
    except (BadZipFile, InvalidFileException, KeyError, ValueError, OSError, SyntaxError) as error:
        # (SyntaxError: the XML parser's error, for a part that is not XML)
        raise ImportFailed(
            [Located(path, "1", f"cannot read the file as an Excel workbook (.xlsx): {error}")]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        problem = sheet_size_problem(sheet.max_row, sheet.max_column)
        if problem:
            raise ImportFailed([Located(path, "1", problem)])
        rows: list[Row] = []
        width = sheet.max_column or 0
        for number, cells in enumerate(
            sheet.iter_rows(
                min_row=1, max_row=sheet.max_row, max_col=max(1, width), values_only=True
            ),
            start=1,
        ):
            rows.append((number, [_from_workbook(cell) for cell in cells]))
        return rows
    except (KeyError, ValueError, SyntaxError) as error:
        raise ImportFailed(
            [Located(path, "1", f"cannot read the file as an Excel workbook (.xlsx): {error}")]
        ) from None
    finally:
        workbook.close()


def _from_workbook(value: object) -> Cell:
    """A workbook cell's value as a `Cell`: rich text and anything unusual as its text."""
    if value is None or isinstance(
        value, str | bool | int | float | datetime.datetime | datetime.date | datetime.time
    ):
        return value
    if isinstance(value, decimal.Decimal):
        return float(value)
    return str(value)


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
            matches = difflib.get_close_matches(found, sorted(_HEADER_NAMES), n=1, cutoff=0.6)
            hint = f" (did you mean '{_HEADER_NAMES[matches[0]]}'?)" if matches else ""
            problems.append(
                Located(
                    file,
                    _row(number),
                    f"unknown column '{name}' (column {_column_letter(index)}){hint}",
                )
            )
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


class _RowReport:
    def __init__(self, file: str, number: int, problems: list[Located]) -> None:
        self.file = file
        self.place = _row(number)
        self.problems = problems

    def add(self, message: str) -> None:
        self.problems.append(Located(self.file, self.place, message))


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


def _common_keys(values: dict[str, Cell], keys: dict[str, object], report: _RowReport) -> None:
    for key, low, high in (("time_limit", 3, 600), ("points", 0, 1000)):
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


# --- Word documents ---------------------------------------------------------------------

_QUESTION_START = re.compile(r"câu\s*\d+\s*[.:)]\s*(.*)", re.IGNORECASE | re.DOTALL)
_CHOICE = re.compile(r"([A-F])\s*[.):]\s*(.*)", re.DOTALL)
_CHOICE_LABEL = re.compile(r"\s*[A-F]\s*[.):]")
_ANSWER_LINE = re.compile(r"(?:đáp\s*án\s*đúng|đáp\s*án|đa)\s*:\s*(.*)", re.IGNORECASE | re.DOTALL)
_EXPLANATION_LINE = re.compile(r"giải\s*thích\s*:\s*(.*)", re.IGNORECASE | re.DOTALL)
_SOURCE_LINE = re.compile(r"nguồn\s*:\s*(.*)", re.IGNORECASE | re.DOTALL)
_NOTE_LINE = re.compile(r"ghi\s*chú\s*:\s*(.*)", re.IGNORECASE | re.DOTALL)
_ANSWER_WITH_TEXT = re.compile(r"([A-Fa-f])\s*[.):]\s*(.+)", re.DOTALL)


@dataclass
class _WordQuestion:
    """A question of a Word document as its paragraphs are read."""

    start: int  # the paragraph of `Câu N`
    text: list[str] = field(default_factory=list)
    choices: list[tuple[str, str, bool, int]] = field(default_factory=list)  # letter, text, marked
    answer: tuple[str, int] | None = None
    notes: dict[str, tuple[list[str], int]] = field(default_factory=dict)  # explanation, source
    open_note: str | None = None  # the note the next plain paragraph continues
    bad_choice: bool = False  # a choice was reported: do not count the choices again


def read_docx(path: str) -> list[tuple[int, Paragraph]]:
    """The body's paragraphs, numbered from 1, empty ones included; tables left out."""
    from zipfile import BadZipFile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not Path(path).exists():
        raise ImportFailed([Located(path, "1", "file not found")])
    try:
        check_package(path, "docx")
    except Hostile as error:
        raise ImportFailed([Located(path, "1", f"not read: {error}")]) from None
    try:
        document = docx.Document(path)
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError, SyntaxError) as error:
        raise ImportFailed(
            [Located(path, "1", f"cannot read the file as a Word document (.docx): {error}")]
        ) from None
    paragraphs = document.paragraphs
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise ImportFailed(
            [
                Located(
                    path,
                    "1",
                    f"not read: the document has {len(paragraphs)} paragraphs; at most "
                    f"{MAX_PARAGRAPHS} are read: split it into several files",
                )
            ]
        )
    return list(enumerate(paragraphs, start=1))


def questions_from_docx(file: str, paragraphs: Sequence[tuple[int, Paragraph]]) -> list[Draft]:
    """Convert the questions of a Word document; raise ImportFailed with every problem."""
    problems: list[Located] = []
    found: list[_WordQuestion] = []
    for number, paragraph in paragraphs:
        text = unicodedata.normalize("NFC", paragraph.text).strip()
        start = _QUESTION_START.match(text)
        if start:
            found.append(_WordQuestion(number))
            if start.group(1).strip():
                found[-1].text.append(start.group(1).strip())
        elif found and text:
            _read_paragraph(file, found[-1], number, text, paragraph, problems)
    if not found:
        problems.append(
            Located(
                file,
                _paragraph(1),
                "no questions: each question starts with a paragraph 'Câu 1.', 'Câu 2.' ...",
            )
        )
    drafts = [
        _word_draft(file, question, index, problems) for index, question in enumerate(found, 1)
    ]
    if problems:
        raise ImportFailed(problems)
    return drafts


def _read_paragraph(
    file: str,
    question: _WordQuestion,
    number: int,
    text: str,
    paragraph: Paragraph,
    problems: list[Located],
) -> None:
    def problem(message: str) -> None:
        problems.append(Located(file, _paragraph(number), message))

    answer = _ANSWER_LINE.match(text)
    if answer:
        question.open_note = None
        if question.answer is not None:
            problem(f"a second 'Đáp án:' line (the first is paragraph {question.answer[1]})")
        else:
            question.answer = (answer.group(1).strip(), number)
        return
    for key, pattern, label in (
        ("explanation", _EXPLANATION_LINE, "Giải thích:"),
        ("source", _SOURCE_LINE, "Nguồn:"),
        ("note", _NOTE_LINE, "Ghi chú:"),
    ):
        note = pattern.match(text)
        if note:
            if key in question.notes:
                problem(
                    f"a second '{label}' line (the first is paragraph {question.notes[key][1]})"
                )
            else:
                rest = note.group(1).strip()
                question.notes[key] = ([rest] if rest else [], number)
            question.open_note = key
            return
    choice = _CHOICE.match(text)
    if choice and not question.notes and question.answer is None:
        letter, rest = choice.group(1), choice.group(2).strip()
        expected = CHOICE_LETTERS[len(question.choices)] if len(question.choices) < 6 else None
        question.bad_choice = letter != expected or not rest
        if letter != expected:
            problem(
                f"choice {letter} where {expected or 'no more choices'} was expected "
                "(choices run A, B, C ... in order)"
            )
        elif not rest:
            problem(f"choice {letter} has no text")
        else:
            question.choices.append((letter, rest, _marked(paragraph), number))
        return
    if question.open_note is not None:
        question.notes[question.open_note][0].append(text)
    elif not question.choices and question.answer is None and not question.notes:
        question.text.append(text)
    else:
        shown = text if len(text) <= 40 else text[:37] + "..."
        after = "a choice, " if question.answer is None and not question.notes else ""
        problem(
            f"'{shown}' is not {after}an 'Đáp án:', 'Giải thích:', 'Nguồn:' or 'Ghi chú:' line, "
            "nor the next 'Câu'"
        )


def _word_draft(file: str, question: _WordQuestion, index: int, problems: list[Located]) -> Draft:
    def problem(number: int, message: str) -> None:
        problems.append(Located(file, _paragraph(number), message))

    draft = Draft(_paragraph(question.start))
    keys = draft.keys
    keys["id"] = f"q{index:03d}"
    if not question.text:
        problem(question.start, "the question has no text")
    text = "\n".join(question.text)
    if question.choices:
        letters = [letter for letter, _, _, _ in question.choices]
        if len(letters) < 2 and not question.bad_choice:
            problem(question.choices[0][3], "a question with choices needs at least two")
        chosen = _word_letters(question, letters, problem)
        keys["type"] = "multiple" if chosen is not None and len(chosen) > 1 else "single"
        keys["text"] = text
        keys["choices"] = {letter: choice for letter, choice, _, _ in question.choices}
        if chosen is not None:
            keys["answer"] = chosen[0] if len(chosen) == 1 else _Flow(chosen)
    elif question.answer is None:
        problem(question.start, "no answer: add a line 'Đáp án: ...' (Đúng or Sai, or the text)")
    else:
        written, number = question.answer
        value = _word_true_false(written)
        texts = split_texts(written)
        keys["type"] = "true_false" if value is not None else "text"
        keys["text"] = text
        if value is not None:
            keys["answer"] = value
        elif len(written) < 12 and split_letters(written) is not None:
            problem(
                number,
                f"the answer '{written}' names a choice, but the question has no paragraphs "
                "'A. ...' (choices numbered automatically by Word are not read: type A., B. ...)",
            )
        elif texts:
            keys["answer"] = texts[0] if len(texts) == 1 else _Flow(texts)
        else:
            problem(number, "the 'Đáp án:' line gives no answer")
    for key, label in (("explanation", "Giải thích:"), ("source", "Nguồn:"), ("note", "Ghi chú:")):
        if key in question.notes:
            lines, number = question.notes[key]
            if lines:
                keys[key] = "\n".join(lines)
            else:
                problem(number, f"the '{label}' line is empty")
    return draft


def _word_true_false(written: str) -> bool | None:
    word = written.rstrip(".").strip().casefold()
    if word == "đúng":
        return True
    if word == "sai":
        return False
    return None


def _word_letters(
    question: _WordQuestion, letters: list[str], problem: Callable[[int, str], None]
) -> list[str] | None:
    """The answer letters: from the `Đáp án` line, else the bold or underlined choices."""
    if question.answer is None:
        marked = [letter for letter, _, is_marked, _ in question.choices if is_marked]
        if not marked:
            problem(
                question.start,
                "no answer: add a line 'Đáp án: B', or make the correct choice bold or underlined",
            )
            return None
        if len(marked) == len(letters):
            problem(
                question.start,
                "every choice is bold or underlined, so none stands out as the answer; "
                "add a line 'Đáp án: B'",
            )
            return None
        return marked
    written, number = question.answer
    bare = written.rstrip(".").strip()
    chosen = split_letters(bare) if bare else None
    if chosen is None:
        with_text = _ANSWER_WITH_TEXT.fullmatch(written)
        if with_text:
            letter = with_text.group(1).upper()
            choices = {key: value for key, value, _, _ in question.choices}
            said = " ".join(with_text.group(2).casefold().split()).rstrip(".")
            if letter in choices and said != " ".join(choices[letter].casefold().split()).rstrip(
                "."
            ):
                problem(number, f"the answer names {letter}, but its text is not choice {letter}'s")
                return None
            chosen = [letter]
    if chosen is None:
        shown = written if len(written) <= 40 else written[:37] + "..."
        problem(number, f"the answer '{shown}' names no choice letter (like 'Đáp án: B')")
        return None
    unknown = [letter for letter in chosen if letter not in letters]
    if unknown:
        problem(
            number,
            f"the answer names {unknown[0]}, which is not one of the choices {_span(letters)}",
        )
        return None
    repeated = [letter for index, letter in enumerate(chosen) if letter in chosen[:index]]
    if repeated:
        problem(number, f"the answer names {repeated[0]} twice")
        return None
    return chosen


def _marked(paragraph: Paragraph) -> bool:
    """Whether a choice's text (after `A.`) is all bold or all underlined (directly or by style)."""
    from docx.text.hyperlink import Hyperlink

    chars: list[tuple[str, bool, bool]] = []
    for part in paragraph.iter_inner_content():
        runs = part.runs if isinstance(part, Hyperlink) else [part]
        for run in runs:
            bold = _effective(run, paragraph, "bold")
            underline = _effective(run, paragraph, "underline")
            chars.extend((char, bold, underline) for char in run.text)
    text = "".join(char for char, _, _ in chars)
    label = _CHOICE_LABEL.match(text)
    body = [char for char in chars[label.end() if label else 0 :] if not char[0].isspace()]
    if not body:
        return False
    return all(bold for _, bold, _ in body) or all(underline for _, _, underline in body)


def _effective(run: Run, paragraph: Paragraph, attribute: str) -> bool:
    """Bold or underline as shown: the run's own, else by its character or paragraph style."""
    value: object = getattr(run.font, attribute)
    styles: list[CharacterStyle | None] = [run.style, paragraph.style]
    for style in styles:
        while value is None and style is not None:
            value = getattr(style.font, attribute)
            style = style.base_style
    return bool(value)  # WD_UNDERLINE.NONE is 0


# --- The command ------------------------------------------------------------------


def default_bank_id(path: str) -> str:
    """The input's name, lower-cased, without diacritics, other characters made `-`."""
    name = strip_diacritics(unicodedata.normalize("NFC", Path(path).stem)).lower()
    return re.sub(r"[^a-z0-9]+", "-", name).strip("-")


def read_questions(path: str) -> list[Draft]:
    """The questions of a spreadsheet or Word file; raise ImportFailed with every problem."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return questions_from_rows(path, read_csv(path))
    if suffix == ".xlsx":
        return questions_from_rows(path, read_xlsx(path))
    if suffix == ".docx":
        return questions_from_docx(path, read_docx(path))
    raise ImportFailed(
        [
            Located(
                path,
                "1",
                "can only import .xlsx, .csv and .docx files (save .xls and .doc as those)",
            )
        ]
    )


@dataclass(frozen=True)
class Imported:
    """A bank written by `import_file`, and where its questions came from."""

    bank: Bank
    places: tuple[str, ...]  # the row or paragraph of each question
    starts: tuple[int, ...]  # the line each question starts at in the bank file

    def place_of(self, line: int) -> str | None:
        """The row or paragraph a line of the bank file came from (None: above the questions)."""
        return _place_of(line, self.places, self.starts)


def import_file(
    path: str,
    output: str,
    *,
    bank_id: str | None = None,
    title: str | None = None,
    as_of: str | None = None,
) -> Imported:
    """Import `path` into the bank file `output`; on a problem raise ImportFailed, write nothing."""
    problems: list[Located] = []
    bank_id = bank_id if bank_id is not None else default_bank_id(path)
    if not BANK_ID.fullmatch(bank_id):
        problems.append(
            Located(
                path,
                "1",
                f"the bank id '{bank_id}' must be lower-case letters, digits and '-' "
                "(give one with --bank)",
            )
        )
    title = title if title is not None else unicodedata.normalize("NFC", Path(path).stem)
    if not title.strip():
        problems.append(Located(path, "1", "the bank's title is empty (give one with --title)"))
    if as_of is not None and not _is_date(as_of):
        problems.append(Located(path, "1", f"--as-of '{as_of}' must be a date like 2023-08-29"))
    try:
        drafts = read_questions(path)
    except ImportFailed as error:
        raise ImportFailed(problems + error.problems) from None
    if problems:
        raise ImportFailed(problems)
    text, starts = bank_yaml(bank_id, title, drafts, as_of=as_of, origin=path)
    places = tuple(draft.place for draft in drafts)
    bank = _write_checked(path, output, text, places, starts)
    return Imported(bank, places, tuple(starts))


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None


def _write_checked(
    path: str, output: str, text: str, places: Sequence[str], starts: Sequence[int]
) -> Bank:
    """Write through a temporary file beside `output`, load it, then rename it into place."""
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        raise ImportFailed([Located(path, "1", f"cannot write {output}: no such folder")])
    temporary = ""
    try:
        handle, temporary = tempfile.mkstemp(prefix=".quiz-import-", suffix=".yaml", dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, new_file_mode())
        try:
            bank = load_bank(temporary)
        except LoadError as error:
            raise ImportFailed(
                Located(path, _place_of(problem.line, places, starts) or "1", problem.message)
                for problem in error.problems
            ) from None
        os.replace(temporary, output)
    except OSError as error:
        raise ImportFailed(
            [Located(path, "1", f"cannot write {output}: {error.strerror}")]
        ) from None
    finally:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
    return replace(
        bank, file=output, questions=tuple(replace(q, file=output) for q in bank.questions)
    )


def new_file_mode() -> int:
    """The mode a file created the usual way gets (mkstemp's are private to the owner)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _place_of(line: int, places: Sequence[str], starts: Sequence[int]) -> str | None:
    """The row or paragraph a line of the written YAML came from; None above the questions."""
    place = None
    for start, where in zip(starts, places, strict=True):
        if start <= line:
            place = where
    return place


def run_import(
    path: str,
    output: str,
    out: TextIO,
    err: TextIO,
    *,
    bank_id: str | None = None,
    title: str | None = None,
    as_of: str | None = None,
) -> int:
    """`quiz import`: 0 and a summary when written; 1 and every problem when not.

    The new bank's warnings (`quiz check`'s review) are shown too, at the row
    or paragraph of their question; they do not stop the import.
    """
    from quiz.check import summary
    from quiz.review import SourceLines, review

    try:
        imported = import_file(path, output, bank_id=bank_id, title=title, as_of=as_of)
    except ImportFailed as error:
        for problem in error.problems:
            print(problem, file=err)
        print(f"nothing written to {output}", file=err)
        return 1
    for warning in review([imported.bank], SourceLines()):
        place = imported.place_of(warning.line)
        print(warning if place is None else Located(path, place, warning.message), file=err)
    for line in summary(imported.bank):
        print(line, file=out)
    return 0
