"""Files from outside: the limits that keep reading them bounded, and CSV cells
that a spreadsheet will not run.

A bank, a spreadsheet or a Word document may come from anyone's e-mail. Before
openpyxl or python-docx sees a workbook or a document, `check_package` looks
at the zip itself, without unpacking it into memory: how many parts, how big
unpacked (read in chunks, never trusting the sizes the zip claims), and
whether any XML part declares a DOCTYPE (Office never writes one; it is how an
entity bomb or an external entity gets in). The readers then stop at the
sizes below. A YAML file's aliases are counted the same way: the tree they
expand to must stay under MAX_YAML_NODES (a "billion laughs" file expands to
billions). Each limit is far above any real bank (the shipped ones and the
template use a few percent of them) and gives a clear message naming it.

`csv_cell` neutralises a CSV cell that Excel or LibreOffice would read as a
formula (starting with =, +, -, @, a tab or a carriage return): it is written
with a leading apostrophe, which a spreadsheet shows as text. Imports nothing
from the rest of the package.
"""

from __future__ import annotations

import re
import zipfile
from typing import Any

MAX_PARTS = 2_000  # files inside an .xlsx or .docx
MAX_UNPACKED = 48 * 1024 * 1024  # bytes: all the parts together, unpacked
MAX_ROWS = 20_000  # rows of the questions sheet
MAX_COLUMNS = 200  # columns of the questions sheet
MAX_PARAGRAPHS = 50_000  # paragraphs of a Word document
MAX_YAML_NODES = 500_000  # values a YAML file expands to, aliases followed
_CHUNK = 1024 * 1024
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_PARAGRAPH = re.compile(rb"<w:p[\s/>]")
_KEEP = 16  # bytes carried over between chunks, so a match across two is found

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


class Hostile(Exception):
    """A file beyond what this program reads; the message says which limit."""


def check_package(path: str, what: str) -> None:
    """Raise Hostile if the zip at `path` is too big unpacked, has too many parts,
    declares XML entities, or (a .docx) has too many paragraphs. `what` is
    "xlsx" or "docx". A file that is not a zip at all is left to the reader."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        members = archive.infolist()
        if len(members) > MAX_PARTS:
            raise Hostile(f"the file holds {len(members)} parts; at most {MAX_PARTS} are read")
        total = 0
        for member in members:
            if member.is_dir():
                continue
            xml = member.filename.endswith((".xml", ".rels", ".vml"))
            body = what == "docx" and member.filename == "word/document.xml"
            paragraphs = 0
            tail = b""
            try:
                with archive.open(member) as part:
                    while chunk := part.read(_CHUNK):
                        total += len(chunk)
                        if total > MAX_UNPACKED:
                            raise Hostile(
                                f"the file unpacks to more than {MAX_UNPACKED // 2**20} MB "
                                "(a zip bomb?); a bank's file is far smaller"
                            )
                        if xml or body:
                            window = tail + chunk
                            if xml and _DOCTYPE.search(window):
                                raise Hostile(
                                    f"{member.filename} declares XML entities (a DOCTYPE), "
                                    "which Office never writes (an entity bomb?); refused"
                                )
                            if body:
                                paragraphs += len(_PARAGRAPH.findall(window))
                                paragraphs -= len(_PARAGRAPH.findall(tail))
                                if paragraphs > MAX_PARAGRAPHS:
                                    raise Hostile(
                                        f"the document has more than {MAX_PARAGRAPHS} "
                                        "paragraphs; split it into several files"
                                    )
                            tail = window[-_KEEP:]
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as error:
                raise Hostile(f"{member.filename} cannot be unpacked: {error}") from None


def sheet_size_problem(max_row: int | None, max_column: int | None) -> str | None:
    """Why a sheet whose used range ends at (max_row, max_column) is not read."""
    rows, columns = max_row or 0, max_column or 0
    if rows <= MAX_ROWS and columns <= MAX_COLUMNS:
        return None
    from openpyxl.utils import get_column_letter

    corner = f"{get_column_letter(min(max(columns, 1), 18278))}{rows}"
    return (
        f"the sheet's used range reaches cell {corner} ({rows} rows, {columns} columns); "
        f"a question sheet may have at most {MAX_ROWS} rows and {MAX_COLUMNS} columns: "
        "delete the empty rows and columns after the questions and save again"
    )


def yaml_size(root: Any, limit: int = MAX_YAML_NODES) -> int:
    """How many nodes a composed PyYAML tree expands to with its aliases followed,
    counted without expanding them (each shared node's size once); stops past
    `limit`. A node inside itself counts once."""
    sizes: dict[int, int] = {}
    busy: set[int] = set()

    def size(node: Any) -> int:
        key = id(node)
        known = sizes.get(key)
        if known is not None:
            return known
        if key in busy:
            return 1
        busy.add(key)
        total = 1
        value = node.value
        if isinstance(value, list):
            for item in value:
                if isinstance(item, tuple):  # a mapping's (key, value)
                    total += size(item[0]) + size(item[1])
                else:
                    total += size(item)
                if total > limit:
                    break
        busy.discard(key)
        sizes[key] = total
        return total

    return size(root)


def csv_cell(text: str) -> str:
    """`text`, made inert for a spreadsheet if it would start a formula."""
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_uncell(text: str) -> str:
    """The inverse of `csv_cell` for a cell read back from our own CSV."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


class SafeCsvWriter:
    """A csv.writer whose text cells go through `csv_cell`."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: list[Any]) -> None:
        self._writer.writerow([csv_cell(c) if isinstance(c, str) else c for c in row])
