"""`quiz import FILE -o BANK.yaml`: questions from Excel, CSV or Word, as a bank.

Owns the rules of `import-formats.md`: reading a spreadsheet (.xlsx through
openpyxl, .csv through the standard library) or a Word document (.docx through
python-docx), turning each row or question into a question of
`bank-format.md`, reporting every problem as `FILE:ROW: message` or
`FILE:paragraph N: message`, and writing the bank as YAML only when every
question converts and the written file loads (`quiz.files.bank.load_bank`), through
a temporary file renamed into place.

Also owns the spreadsheet's columns (`COLUMNS`), which `quiz.files.export` writes.
Imports openpyxl and python-docx only inside the functions that read those
files; never Flask, Socket.IO or the engine.
The package's modules: `common` (problems, columns, cells, the draft and its
YAML), `tables` (.csv and .xlsx rows), `rows` and `row_keys` (rows to questions),
`word` (.docx) and `command` (the whole import). This module is their public face.
"""

from __future__ import annotations

from quiz.files.importers.command import (
    Imported,
    default_bank_id,
    import_file,
    new_file_mode,
    read_questions,
    run_import,
)
from quiz.files.importers.common import (
    COLUMNS,
    LEVEL_NAMES,
    ROW_NUMBER_HEADING,
    Cell,
    Column,
    Draft,
    ImportFailed,
    Located,
    bank_yaml,
    cell_text,
    header_key,
)
from quiz.files.importers.rows import questions_from_rows
from quiz.files.importers.tables import Row, read_csv, read_xlsx
from quiz.files.importers.word import questions_from_docx, read_docx
from quiz.rules.limits import CHOICE_LETTERS, ITEM_LETTERS

__all__ = [
    "CHOICE_LETTERS",
    "COLUMNS",
    "ITEM_LETTERS",
    "LEVEL_NAMES",
    "ROW_NUMBER_HEADING",
    "Cell",
    "Column",
    "Draft",
    "ImportFailed",
    "Imported",
    "Located",
    "Row",
    "bank_yaml",
    "cell_text",
    "header_key",
    "default_bank_id",
    "import_file",
    "new_file_mode",
    "questions_from_docx",
    "questions_from_rows",
    "read_csv",
    "read_docx",
    "read_questions",
    "read_xlsx",
    "run_import",
]
