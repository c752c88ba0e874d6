"""`quiz import FILE -o BANK.yaml`: reading any supported file, checking the
questions, and writing the bank only when it loads, through a temporary file
renamed into place.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from quiz.files.bank import BANK_ID, LoadError, load_bank
from quiz.files.importers.common import Draft, ImportFailed, Located, bank_yaml
from quiz.files.importers.rows import questions_from_rows
from quiz.files.importers.tables import read_csv, read_xlsx
from quiz.files.importers.word import questions_from_docx, read_docx
from quiz.rules.answers import strip_diacritics
from quiz.rules.model import Bank

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
    from quiz.files.check import summary
    from quiz.files.review import SourceLines, review

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
