"""The shared pieces of importing: problems located by row or paragraph, the
spreadsheet's columns (`COLUMNS`, which `quiz.files.export` writes too), cell values,
and a question being built (`Draft`) with its YAML writer (`bank_yaml`).
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from quiz.rules.answers import strip_diacritics
from quiz.rules.limits import ITEM_LETTERS

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
