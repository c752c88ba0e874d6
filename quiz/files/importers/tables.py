"""Reading the rows of a spreadsheet: .csv through the standard library, .xlsx
through openpyxl (imported only here, when a workbook is read).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import warnings
from pathlib import Path

from quiz.files.importers.common import Cell, ImportFailed, Located, _row
from quiz.files.untrusted import (
    Hostile,
    check_package,
    csv_uncell,
    sheet_size_problem,
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
        # A cell our own export made inert ('=..., see quiz.files.untrusted) reads as written.
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
