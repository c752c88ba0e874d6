"""`quiz export-bank BANK.yaml -o FILE.xlsx`, and the template spreadsheet organisers fill in.

Owns writing a bank in the layout `quiz import` reads (`quiz.files.importers.COLUMNS`):
one row per question under a header row, so that importing the file again
gives the same questions, and the template `question_banks/templates/
mau-cau-hoi.xlsx` (with `mau-cau-hoi.csv`): example rows of every type and a
second sheet, "Hướng dẫn", explaining each column in Vietnamese.

`python -m quiz.files.export --template FOLDER` writes the template files again.
Imports openpyxl only inside the functions that write workbooks; never
Flask, Socket.IO or the engine.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shlex
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from quiz.files.bank import LoadError, Problem, load_bank
from quiz.files.export_template import EXAMPLES, add_guide
from quiz.files.export_template import GUIDE_SHEET as GUIDE_SHEET
from quiz.files.importers import (
    COLUMNS,
    LEVEL_NAMES,
    ROW_NUMBER_HEADING,
    Cell,
    cell_text,
    new_file_mode,
)
from quiz.files.untrusted import csv_cell
from quiz.rules.limits import (
    CHOICE_LETTERS,
    ITEM_LETTERS,
)
from quiz.rules.model import Bank, Question

if TYPE_CHECKING:
    from openpyxl import Workbook

TEMPLATE_NAME = "mau-cau-hoi"
QUESTIONS_SHEET = "Câu hỏi"
CHOICE_COLUMNS = CHOICE_LETTERS  # always written; G and H only for banks with 7 or 8 order items

# Column widths in characters, by bank key (letters share one width).
WIDTHS = {
    "row": 6,
    "id": 20,
    "type": 12,
    "text": 60,
    "letter": 28,
    "answer": 16,
    "explanation": 45,
    "source": 36,
    "note": 36,
    "level": 12,
    "tags": 22,
    "time_limit": 10,
    "points": 8,
    "tolerance": 9,
    "unit": 10,
    "ignore_diacritics": 11,
    "image": 18,
}
# Columns an organiser types text into: formatted as text (`@`), so that Excel
# keeps `09/12/2019` and `1.10` as typed instead of making them a date or 1.1.
TEXT_KEYS = {"id", "type", "text", "answer", "explanation", "source", "note", "level", "tags"}
TEXT_KEYS |= {"unit"}
TEXT_KEYS |= {"ignore_diacritics", "image"} | set(ITEM_LETTERS)
TYPE_CHOICES = ("single", "multiple", "true_false", "text", "number", "order")
TEMPLATE_ROWS = 500  # rows below the header given text format and the drop-down lists

# --- Rows ----------------------------------------------------------------------------


def columns_for(questions: Sequence[Question]) -> list[str]:
    """The keys of the columns written, in order: STT first, G and H only when needed."""
    most = max((len(q.items) for q in questions), default=0)
    letters = ITEM_LETTERS[: max(len(CHOICE_COLUMNS), most)]
    keys = ["row"]
    for column in COLUMNS:
        if len(column.key) == 1 and column.key not in letters:
            continue
        keys.append(column.key)
    return keys


def heading(key: str) -> str:
    if key == "row":
        return ROW_NUMBER_HEADING
    return next(column.heading for column in COLUMNS if column.key == key)


def question_row(number: int, question: Question, folder: Path) -> dict[str, Cell]:
    """A question as template cells, by column key."""
    row: dict[str, Cell] = {
        "row": number,
        "id": question.id,
        "type": question.type,
        "text": question.text,
        "answer": answer_cell(question),
        "explanation": question.explanation,
        "source": question.source,
        "note": question.note,
        "level": LEVEL_NAMES[question.level] if question.level else None,
        "tags": ", ".join(question.tags) or None,
        "time_limit": question.time_limit,
        "points": question.points,
    }
    for letter, text in question.choices + question.items:
        row[letter] = text
    if question.type == "number":
        row["tolerance"] = _number(question.tolerance) if question.tolerance else None
        row["unit"] = question.unit
    if question.ignore_diacritics:
        row["ignore_diacritics"] = "có"
    if question.image:
        row["image"] = Path(os.path.relpath(question.image, folder)).as_posix()
    return row


def answer_cell(question: Question) -> Cell:
    answer = question.answer
    if isinstance(answer, bool):
        return "Đúng" if answer else "Sai"
    if isinstance(answer, float):
        return _number(answer)
    if isinstance(answer, frozenset):
        return ", ".join(sorted(answer))
    if isinstance(answer, tuple):
        return (" | " if question.type == "text" else ", ").join(answer)
    return answer


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def unwritable(question: Question, row: dict[str, Cell]) -> list[str]:
    """Why a question would not come back the same from the spreadsheet, if it would not."""
    reasons: list[str] = []
    texts = (
        question.answer if question.type == "text" and isinstance(question.answer, tuple) else ()
    )
    for text in texts:
        if "|" in text:
            reasons.append(f"accepted answer '{text}' holds '|'")
        elif cell_text(text) != text:
            reasons.append(f"accepted answer '{text}' has spaces at its ends")
    reasons += [f"tag '{tag}' holds ','" for tag in question.tags if "," in tag]
    for key, value in row.items():
        if isinstance(value, str) and key != "answer" and cell_text(value) != value:
            reasons.append(f"{key} has spaces at its ends or characters a cell does not keep")
    if _illegal(row):
        reasons.append("it holds control characters a spreadsheet cannot store")
    return reasons


def _illegal(row: dict[str, Cell]) -> bool:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return any(isinstance(v, str) and ILLEGAL_CHARACTERS_RE.search(v) for v in row.values())


def bank_rows(bank: Bank) -> tuple[list[str], list[dict[str, Cell]]]:
    """The column keys and one row per question; raise LoadError if one cannot be written."""
    folder = Path(bank.file).resolve().parent
    rows: list[dict[str, Cell]] = []
    problems: list[Problem] = []
    for number, question in enumerate(bank.questions, start=1):
        row = question_row(number, question, folder)
        for reason in unwritable(question, row):
            problems.append(
                Problem(
                    question.file,
                    question.line,
                    f"question '{question.id}': cannot be written to a spreadsheet: {reason}",
                )
            )
        rows.append(row)
    if problems:
        raise LoadError(problems)
    return columns_for(bank.questions), rows


# --- Files ---------------------------------------------------------------------------------


def write_xlsx(path: str, keys: Sequence[str], rows: Sequence[dict[str, Cell]]) -> None:
    """The questions sheet (and the guide) as an Excel workbook, through a temporary file."""
    workbook = build_workbook(keys, rows)
    _replace(path, lambda temporary: workbook.save(temporary))


def build_workbook(keys: Sequence[str], rows: Sequence[dict[str, Cell]]) -> Workbook:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = QUESTIONS_SHEET
    sheet.append([heading(key) for key in keys])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    sheet.freeze_panes = "A2"
    wrap = Alignment(vertical="top", wrap_text=True)
    last = max(TEMPLATE_ROWS, len(rows) + 1)
    for index, key in enumerate(keys, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS["letter" if len(key) == 1 else key]
    for number, row in enumerate(rows, start=2):
        for index, key in enumerate(keys, start=1):
            value = row.get(key)
            if value is None:
                continue
            cell = sheet.cell(row=number, column=index, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, even when it starts with '='
            cell.alignment = wrap
    for index, key in enumerate(keys, start=1):
        if key in TEXT_KEYS:
            for number in range(2, last + 1):
                sheet.cell(row=number, column=index).number_format = "@"
    lists = {
        "type": ",".join(TYPE_CHOICES),
        "level": ",".join(LEVEL_NAMES.values()),
    }
    for key, options in lists.items():
        column = get_column_letter(keys.index(key) + 1)
        validation = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
        validation.add(f"{column}2:{column}{last}")
        sheet.add_data_validation(validation)
    add_guide(workbook)
    return workbook


def write_csv(path: str, keys: Sequence[str], rows: Sequence[dict[str, Cell]]) -> None:
    """The questions as CSV: UTF-8 with a BOM and `;`, as Excel opens it in Vietnam."""
    text = csv_text(keys, rows)

    def write(temporary: str) -> None:
        Path(temporary).write_bytes(text.encode("utf-8-sig"))

    _replace(path, write)


def csv_text(keys: Sequence[str], rows: Sequence[dict[str, Cell]]) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow([heading(key) for key in keys])
    for row in rows:
        writer.writerow([_csv_cell(row.get(key)) for key in keys])
    return stream.getvalue()


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return csv_cell(value)  # never a formula when opened in a spreadsheet
    return str(value)


def _replace(path: str, write: Callable[[str], None]) -> None:
    """Write with `write(temporary)` beside `path`, then rename it into place."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(
        prefix=".quiz-export-", suffix=Path(path).suffix, dir=folder
    )
    os.close(handle)
    try:
        write(temporary)
        os.chmod(temporary, new_file_mode())
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def export_bank(bank_path: str, output: str) -> Bank:
    """Write the bank's questions to `output` (.xlsx or .csv); raise LoadError on problems."""
    bank = load_bank(bank_path)
    keys, rows = bank_rows(bank)
    if Path(output).suffix.lower() == ".csv":
        write_csv(output, keys, rows)
    else:
        write_xlsx(output, keys, rows)
    return bank


def run_export(bank_path: str, output: str, out: TextIO, err: TextIO) -> int:
    """`quiz export-bank`: 0 when written, 1 and every problem when not."""
    if Path(output).suffix.lower() not in (".xlsx", ".csv"):
        print(f"{output}: can only export to .xlsx or .csv", file=err)
        return 2
    try:
        bank = export_bank(bank_path, output)
    except LoadError as error:
        for problem in error.problems:
            print(problem, file=err)
        print(f"nothing written to {output}", file=err)
        return 1
    except OSError as error:
        print(f"{output}: cannot write the file ({error.strerror})", file=err)
        return 1
    command = ["quiz", "import", output, "-o", bank_path, "--bank", bank.id, "--title", bank.title]
    if bank.as_of:
        command += ["--as-of", bank.as_of]
    print(f"{output}: {len(bank.questions)} questions of bank '{bank.id}'", file=out)
    print(f"  import it back with: {shlex.join(command)}", file=out)
    return 0


# --- The template --------------------------------------------------------------------------


def template_rows() -> tuple[list[str], list[dict[str, Cell]]]:
    keys = columns_for(())
    rows = [{"row": number, **example} for number, example in enumerate(EXAMPLES, start=1)]
    return keys, rows


def write_template(folder: str) -> list[str]:
    """Write mau-cau-hoi.xlsx and mau-cau-hoi.csv into `folder`; return their paths."""
    os.makedirs(folder, exist_ok=True)
    keys, rows = template_rows()
    xlsx = os.path.join(folder, TEMPLATE_NAME + ".xlsx")
    csv_path = os.path.join(folder, TEMPLATE_NAME + ".csv")
    write_xlsx(xlsx, keys, rows)
    write_csv(csv_path, keys, rows)
    return [xlsx, csv_path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m quiz.files.export", description="Write the question template spreadsheet."
    )
    parser.add_argument(
        "--template",
        metavar="FOLDER",
        default=str(Path(__file__).resolve().parent.parent / "question_banks" / "templates"),
        help="the folder to write mau-cau-hoi.xlsx and mau-cau-hoi.csv into",
    )
    args = parser.parse_args(argv)
    for path in write_template(args.template):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
