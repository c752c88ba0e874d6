"""The players of an individual format (`players:`): an xlsx or csv roster.

Columns `SBD` (the player's number, unique), `Họ và tên` and `Đơn vị` (a
team id or team name of the contest, optional), in any order, found by the
header row (case, spaces and diacritics ignored; `STT` is ignored). Rows are
read with the import code (quiz/files/importers.py) and its limits on
untrusted files; every problem is named by its row. An empty row is
skipped. Imports importers and model only.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from quiz.files.importers import Cell, ImportFailed, Row, cell_text, header_key, read_csv, read_xlsx

MAX_PLAYERS = 2000
MAX_ROSTER_BYTES = 8 * 1024 * 1024
MAX_NUMBER = 20
MAX_NAME = 120

COLUMNS = {
    "number": ("SBD", "Số báo danh", "number"),
    "name": ("Họ và tên", "Họ tên", "name"),
    "unit": ("Đơn vị", "team"),
}
IGNORED = ("STT",)
NUMBER_RULE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")


@dataclass(frozen=True)
class RosterRow:
    row: int
    number: str
    name: str
    unit: str | None


@dataclass(frozen=True)
class RosterProblem:
    row: int
    message: str


def read_roster(path: str) -> tuple[list[RosterRow], list[RosterProblem]]:
    """The roster's players in order, and every problem (by row)."""
    try:
        if os.path.getsize(path) > MAX_ROSTER_BYTES:
            return [], [RosterProblem(1, f"the roster is larger than {MAX_ROSTER_BYTES} bytes")]
    except OSError:
        return [], [RosterProblem(1, "file not found")]
    try:
        rows = read_xlsx(path) if path.lower().endswith(".xlsx") else read_csv(path)
    except ImportFailed as failed:
        return [], [RosterProblem(_row_of(p.place), p.message) for p in failed.problems]
    return players_from_rows(rows)


def _row_of(place: str) -> int:
    digits = "".join(ch for ch in place if ch.isdigit())
    return int(digits) if digits else 1


def players_from_rows(rows: list[Row]) -> tuple[list[RosterRow], list[RosterProblem]]:
    body = [(n, cells) for n, cells in rows if any(cell_text(c) for c in cells)]
    if not body:
        return [], [RosterProblem(1, "the roster is empty; its first row names SBD, Họ và tên")]
    header_row, header = body[0]
    where, problems = _columns(header_row, header)
    if problems:
        return [], problems
    if len(body) - 1 > MAX_PLAYERS:
        return [], [RosterProblem(1, f"the roster lists more than {MAX_PLAYERS} players")]
    players: list[RosterRow] = []
    seen: dict[str, int] = {}
    for number, cells in body[1:]:
        found = _player(number, cells, where, seen)
        if isinstance(found, RosterProblem):
            problems.append(found)
        else:
            players.append(found)
    return players, problems


def _columns(header_row: int, header: list[Cell]) -> tuple[dict[str, int], list[RosterProblem]]:
    """Which column holds each field, from the header row's names."""
    problems: list[RosterProblem] = []
    where: dict[str, int] = {}
    by_key = {header_key(name): field for field, names in COLUMNS.items() for name in names}
    ignored = {header_key(name) for name in IGNORED}
    for index, cell in enumerate(header):
        text = cell_text(cell)
        if text is None:
            continue
        key = header_key(text)
        field = by_key.get(key)
        if field is None:
            if key not in ignored:
                problems.append(
                    RosterProblem(header_row, f"unknown column '{text}' (SBD, Họ và tên, Đơn vị)")
                )
        elif field in where:
            problems.append(RosterProblem(header_row, f"column '{text}' is given twice"))
        else:
            where[field] = index
    for field in ("number", "name"):
        if field not in where:
            problems.append(RosterProblem(header_row, f"missing column '{COLUMNS[field][0]}'"))
    return where, problems


def _player(
    number: int, cells: list[Cell], where: dict[str, int], seen: dict[str, int]
) -> RosterRow | RosterProblem:
    """One row's player, or what is wrong with it; `seen`: SBD -> row, updated."""

    def get(field: str) -> str | None:
        index = where.get(field)
        return cell_text(cells[index]) if index is not None and index < len(cells) else None

    sbd, name, unit = get("number"), get("name"), get("unit")
    if sbd is None:
        return RosterProblem(number, "SBD is empty")
    if len(sbd) > MAX_NUMBER or not NUMBER_RULE.fullmatch(sbd):
        return RosterProblem(
            number, f"SBD '{sbd[:30]}' must be up to {MAX_NUMBER} letters or digits"
        )
    if sbd in seen:
        return RosterProblem(number, f"SBD '{sbd}' is already used (row {seen[sbd]})")
    seen[sbd] = number
    if name is None:
        return RosterProblem(number, f"SBD '{sbd}': Họ và tên is empty")
    if len(name) > MAX_NAME:
        return RosterProblem(number, f"SBD '{sbd}': Họ và tên is longer than {MAX_NAME}")
    return RosterRow(number, sbd, name, unit)
