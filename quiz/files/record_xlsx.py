"""The results as an Excel workbook (openpyxl), from the record (record.py).

Sheets, named in the contest's language (docs/record.md lists them):
the summary (rank, team, prize, total, each round's points, adjustments and
the tiebreak figures), every team's answer to every question (one row per
team and question), the corrections, the appeals (a header only when there
are none), the journal (the contest's details, the journal's head hash and
entry count), then one sheet per question asked with every team's answer and
time. Scores and times are numbers; times of day are text (HH:MM:SS).

Text from teams and banks (names, answers, reasons, question texts) never
becomes a formula: a cell that would start one (=, +, -, @, tab, CR) is
written as text with Excel's quote prefix, as a typed leading apostrophe
is; it shows as written. Imports record and untrusted.
"""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from quiz.files.record import QuestionRecord, Record
from quiz.files.record_words import clock_time, number
from quiz.files.untrusted import FORMULA_START

_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _put(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """One cell; text that would start a formula is stored as quoted text."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = text
        if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
            cell.data_type = "s"
            cell.quotePrefix = True
        return
    cell.value = value


def _row(ws: Worksheet, row: int, values: list[Any], bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        _put(ws, row, column, value)
        if bold:
            ws.cell(row=row, column=column).font = _BOLD


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def _table(ws: Worksheet, header: list[str], rows: list[list[Any]], start: int = 1) -> None:
    """A header row (bold, frozen, filterable) and its rows."""
    _row(ws, start, list(header), bold=True)
    for offset, values in enumerate(rows, start=1):
        _row(ws, start + offset, values)
    last = get_column_letter(max(1, len(header)))
    ws.auto_filter.ref = f"A{start}:{last}{start + max(1, len(rows))}"
    ws.freeze_panes = f"A{start + 1}"


def _judged(words: dict[str, str], correct: bool | None) -> str:
    if correct is None:
        return words["no_answer"]
    return words["right"] if correct else words["wrong"]


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def sheet_title(text: str) -> str:
    """A valid, at most 31-character sheet name."""
    return _SHEET_CHARS.sub("-", text).strip("'")[:31] or "-"


def workbook(record: Record) -> Workbook:
    """The results workbook of `record`: a summary, every answer, the corrections,
    the appeals, the devices decided, the journal's facts, then one sheet per question."""
    words = record.labels
    names = {q.id: record.question_name(q.id) for q in record.questions}
    book = Workbook()
    _summary_sheet(book, record, words)
    _answers_sheet(book, record, words, names)
    _corrections_sheet(book, record, words, names)
    _appeals_sheet(book, record, words, names)
    _devices_sheet(book, record, words)
    _journal_sheet(book, record, words)
    for q in record.questions:
        _question_sheet(book, q, words, names)
    return book


def _summary_sheet(book: Workbook, record: Record, words: dict[str, str]) -> None:
    summary = book.active
    assert summary is not None
    summary.title = sheet_title(words["sheet_summary"])
    round_heads = [
        words["round_points"].format(number=r.index + 1, title=r.title) for r in record.rounds
    ]
    header = [words["rank"], words["team"], words["prize"], words["total"], *round_heads]
    header += [words["adjustments"], words["correct_count"], words["answer_time"]]
    settled = any(s.tiebreak for s in record.standings)  # a tiebreak round placed some team
    if settled:
        header.append(words["tie_settled_column"])
    _table(
        summary,
        header,
        [
            [
                s.rank,
                s.name,
                s.prize,
                number(s.total),
                *(number(p) for p in s.rounds),
                number(s.adjustments),
                s.correct_count,
                _seconds(s.answer_time),
                *([s.tiebreak] if settled else []),
            ]
            for s in record.standings
        ],
    )
    _widths(summary, [7, 30, 20, 11, *(16 for _ in round_heads), 12, 12, 16, 28])


def _answers_sheet(
    book: Workbook, record: Record, words: dict[str, str], names: dict[str, str]
) -> None:
    answers = book.create_sheet(sheet_title(words["sheet_answers"]))
    rows = []
    order = {team: i for i, (team, _) in enumerate(record.teams)}
    for team, _name in sorted(record.teams, key=lambda t: order[t[0]]):
        for q in record.questions:
            a = next(x for x in q.answers if x.team == team)
            rows.append(
                [
                    a.name,
                    q.round + 1,
                    names[q.id],
                    q.id,
                    a.answer,
                    _judged(words, a.correct),
                    number(a.points),
                    _seconds(a.time),
                    clock_time(a.at),
                    words["yes"] if a.by_hand else "",
                    words["yes"] if q.voided else "",
                ]
            )
    _table(
        answers,
        [
            words["team"],
            words["round"],
            words["question"],
            words["question_id"],
            words["answer"],
            words["correct"],
            words["points"],
            words["time"],
            words["at"],
            words["by_hand"],
            words["voided"],
        ],
        rows,
    )
    _widths(answers, [28, 9, 18, 22, 28, 14, 8, 14, 10, 10, 14])


def _corrections_sheet(
    book: Workbook, record: Record, words: dict[str, str], names: dict[str, str]
) -> None:
    corrections = book.create_sheet(sheet_title(words["sheet_corrections"]))
    _table(
        corrections,
        [
            "#",
            words["at"],
            words["kind"],
            words["team"],
            words["question"],
            words["question_id"],
            words["what"],
            words["points"],
            words["reason"],
            words["undone_at"],
            words["undo_reason"],
        ],
        [
            [
                c.ref,
                clock_time(c.at),
                words.get(f"kind_{c.kind}", c.kind),
                c.team or words["all_teams"],
                names.get(c.question, ""),
                c.question,
                c.what,
                c.points,
                c.reason,
                clock_time(c.undone_at),
                c.undo_reason,
            ]
            for c in record.corrections
        ],
    )
    _widths(corrections, [5, 10, 26, 26, 18, 22, 26, 20, 40, 12, 30])


def _appeals_sheet(
    book: Workbook, record: Record, words: dict[str, str], names: dict[str, str]
) -> None:
    appeals = book.create_sheet(sheet_title(words["sheet_appeals"]))
    _table(
        appeals,
        [
            words["at"],
            words["team"],
            words["question"],
            words["question_id"],
            words["appeal_text"],
            words["outcome"],
            words["reason"],
            words["decided_at"],
        ],
        [
            [
                clock_time(a.at),
                a.team,
                names.get(a.question, ""),
                a.question,
                a.text,
                words.get(f"appeal_{a.outcome}", a.outcome),
                a.reason,
                clock_time(a.decided_at),
            ]
            for a in record.appeals
        ],
    )
    _widths(appeals, [10, 26, 18, 22, 50, 16, 40, 12])


def _devices_sheet(book: Workbook, record: Record, words: dict[str, str]) -> None:
    if not record.devices:  # a team's extra device, approved or refused by the MC
        return
    devices = book.create_sheet(sheet_title(words["sheet_devices"]))
    _table(
        devices,
        [
            words["at"],
            words["team"],
            words["device_decision"],
            words["device_address"],
            words["device_replaced"],
        ],
        [
            [
                clock_time(d.at),
                d.team,
                words["device_approved" if d.approved else "device_refused"],
                d.address,
                d.replaced,
            ]
            for d in record.devices
        ],
    )
    _widths(devices, [10, 26, 24, 20, 12])


def _journal_sheet(book: Workbook, record: Record, words: dict[str, str]) -> None:
    journal = book.create_sheet(sheet_title(words["sheet_journal"]))
    facts: list[tuple[str, Any]] = [
        (words["contest"], record.title),
        (words["contest_id"], record.contest_id),
        (words["date"], record.date),
        (words["venue"], record.venue),
        (words["organizer"], record.organizer),
        (words["entries"], record.entries),
        (words["head"], record.head),
        ("", words["journal_note"]),
    ]
    for row, (label, value) in enumerate(facts, start=1):
        _put(journal, row, 1, label)
        journal.cell(row=row, column=1).font = _BOLD
        _put(journal, row, 2, value)
    _widths(journal, [26, 80])


def _question_sheet(
    book: Workbook, q: QuestionRecord, words: dict[str, str], names: dict[str, str]
) -> None:
    title = words["sheet_question"].format(round=q.round + 1, index=q.index + 1)
    sheet = book.create_sheet(sheet_title(title))
    facts = [
        (words["question"], names[q.id]),
        (words["question_id"], q.id),
        (words["format"], words.get(f"format_{q.format}", q.format)),
        (words["text"], q.text),
        (words["key"], q.key),
        (words["voided"], words["yes"] if q.voided else ""),
    ]
    for row, (label, value) in enumerate(facts, start=1):
        _put(sheet, row, 1, label)
        sheet.cell(row=row, column=1).font = _BOLD
        _put(sheet, row, 2, value)
    sheet.cell(row=1, column=2).font = _TITLE
    sheet.cell(row=4, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    _table(
        sheet,
        [
            words["team"],
            words["answer"],
            words["correct"],
            words["points"],
            words["time"],
            words["at"],
            words["by_hand"],
        ],
        [
            [
                a.name,
                a.answer,
                _judged(words, a.correct),
                number(a.points),
                _seconds(a.time),
                clock_time(a.at),
                words["yes"] if a.by_hand else "",
            ]
            for a in q.answers
        ],
        start=len(facts) + 2,
    )
    _widths(sheet, [28, 60, 14, 8, 14, 10, 10])


def workbook_bytes(record: Record) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    out = io.BytesIO()
    workbook(record).save(out)
    return out.getvalue()
