"""The results an organiser reads: standings, every question's points, and
the record of every score change, as CSV (UTF-8 with BOM, `;` separated, as
spreadsheet programs in Vietnamese locales open it).

Two header rows: the first names each question column "Phần 1 – Câu 1", the
second gives the question's id. Then one row per team (rank, name, totals,
prize, points per question), then the record: buzz verdicts and corrections
in time order, with Vietnamese names, team names, times, the points each
changed (a hand-set answer's points included) and any undo with its reason.
Imports model, state, scoring, notices, ceremony, history.
"""

from __future__ import annotations

import csv
import io
import time
from typing import Any

from quiz.files.untrusted import SafeCsvWriter
from quiz.rules.answers import display, format_number
from quiz.rules.ceremony import prize_groups
from quiz.rules.devices import holder_label
from quiz.rules.formats.buzzer_view import buzz_points
from quiz.rules.history import verdicts
from quiz.rules.model import Contest
from quiz.rules.notices import VERDICT_WORDS, effect, question_name
from quiz.rules.scoring import standings
from quiz.rules.state import ContestState, Correction
from quiz.rules.text import N_, tr
from quiz.rules.tiebreak_view import by_team

KIND_NAMES = {
    "adjust": N_("Điều chỉnh điểm"),
    "set_answer": N_("Nhập đáp án thay đội"),
    "void": N_("Hủy kết quả câu hỏi"),
    "verdict": N_("Chấm giành quyền trả lời"),
}


def clock_time(at: float | None) -> str:
    """Server seconds as the hall's local time of day, HH:MM:SS."""
    return "" if at is None else time.strftime("%H:%M:%S", time.localtime(at))


# The record's columns (message ids, shown with tr()).
RECORD_COLUMNS = (
    "#",
    N_("Thời gian"),
    N_("Loại"),
    N_("Đội thi"),
    N_("Câu hỏi"),
    N_("Mã câu hỏi"),
    N_("Nội dung"),
    N_("Điểm"),
    N_("Lý do"),
    N_("Hoàn tác lúc"),
    N_("Lý do hoàn tác"),
)
Rows = list[tuple[float, list[object]]]  # (time, cells), sorted by time when written


def results_csv(
    contest: Contest, state: ContestState, journal: dict[str, Any] | None = None
) -> str:
    """The results as CSV; with `journal` (its status), its head hash closes the file."""
    out = io.StringIO()
    # No cell starts a formula when the file is opened in a spreadsheet.
    writer = SafeCsvWriter(csv.writer(out, delimiter=";", lineterminator="\r\n"))
    _standings(contest, state, writer)
    writer.writerow([])
    writer.writerow([tr("Nhật ký chấm điểm và điều chỉnh")])
    writer.writerow([tr(column) for column in RECORD_COLUMNS])
    names = {t.id: t.name for t in contest.teams}
    rows = _verdicts(contest, state, names) + _corrections(contest, state, names)
    for _at, cells in sorted(rows + _devices(contest, state), key=lambda r: r[0]):
        writer.writerow(cells)
    if journal is not None:
        writer.writerow([])
        # The journal's head hash stands for the whole record (`quiz verify`).
        entries = tr("{count} mục", count=journal["entries"])
        writer.writerow([tr("Mã kiểm tra nhật ký"), journal["head"], entries])
    return "\ufeff" + out.getvalue()


def _standings(contest: Contest, state: ContestState, writer: SafeCsvWriter) -> None:
    """The two header rows (questions' names, then their ids) and a row per team."""
    table = standings(contest, state)
    asked = list(state.questions)
    prizes = {s.team: p.name for p, ts in prize_groups(contest, table) for s in ts}
    fixed = [
        tr("Hạng"),
        tr("Đội thi"),
        tr("Tổng điểm"),
        tr("Số câu đúng"),
        tr("Tổng thời gian (giây)"),
        tr("Điều chỉnh"),
    ]
    if contest.prizes:
        fixed.append(tr("Giải"))
    settled = by_team(contest, state)  # how a tiebreak round placed a team
    if settled:
        fixed.append(tr("Phân định hòa điểm"))
    writer.writerow([*fixed, *(question_name(contest, state, q) for q in asked)])
    writer.writerow(["" for _ in fixed[:-1]] + [tr("Mã câu hỏi"), *asked])
    for s in table:
        row = [
            s.rank,
            s.name,
            format_number(s.total),
            s.correct_count,
            format_number(round(s.answer_time, 3)),
            format_number(s.adjustments),
        ]
        if contest.prizes:
            row.append(prizes.get(s.team, ""))
        if settled:
            row.append(settled.get(s.team, ""))
        per_question = [format_number(s.results[q].points) if q in s.results else "" for q in asked]
        writer.writerow([*row, *per_question])


def _verdicts(contest: Contest, state: ContestState, names: dict[str, str]) -> Rows:
    """Every buzz verdict (and its undoing)."""
    rows: Rows = []
    for v in verdicts(state):
        a = v.attempt
        assert a is not None and a.verdict is not None and v.question is not None
        q = state.questions[v.question]
        rows.append(
            (
                v.at,
                [
                    "",
                    clock_time(v.at),
                    tr(KIND_NAMES["verdict"]),
                    names.get(a.team, a.team),
                    question_name(contest, state, v.question),
                    v.question,
                    tr(VERDICT_WORDS.get(a.verdict, a.verdict)),
                    format_number(buzz_points(contest, state, q, a.verdict)),
                    "",
                    clock_time(a.undone_at) if a.undone else "",
                    a.undo_reason if a.undone else "",
                ],
            )
        )
    return rows


def _corrections(contest: Contest, state: ContestState, names: dict[str, str]) -> Rows:
    """Every correction, with the points it changed and any undoing."""
    rows: Rows = []
    for c in state.corrections:
        change = effect(contest, state, c)
        if c.team:
            points = format_number(change.get(c.team, 0.0))
        else:
            points = ", ".join(f"{names.get(t, t)} {format_number(d)}" for t, d in change.items())
        rows.append(
            (
                c.at,
                [
                    c.id,
                    clock_time(c.at),
                    tr(KIND_NAMES.get(c.kind, c.kind)),
                    names.get(c.team, c.team) if c.team else tr("Tất cả các đội"),
                    question_name(contest, state, c.question),
                    c.question or "",
                    _set_answer(contest, c) if c.kind == "set_answer" else "",
                    points,
                    c.reason,
                    clock_time(c.undone_at) if c.undone else "",
                    c.undo_reason if c.undone else "",
                ],
            )
        )
    return rows


def _set_answer(contest: Contest, c: Correction) -> str:
    """What an answer set by hand set: the value, the verdict, or both."""
    question = contest.questions.get(c.question) if c.question else None
    parts = []
    if c.value is not None and question is not None:
        parts.append(tr("đáp án {value}", value=display(question, c.value)))
    if c.correct is not None:
        parts.append(tr("chấm Đúng") if c.correct else tr("chấm Sai"))
    return ", ".join(parts)


def _devices(contest: Contest, state: ContestState) -> Rows:
    """The MC's answer to each team's (player's, judge's) extra device."""
    rows: Rows = []
    for d in state.devices:
        what = tr("Duyệt thiết bị mới") if d.approved else tr("Từ chối thiết bị")
        if d.approved and d.replaced:
            detail = tr(
                "từ {address}, thay {count} thiết bị cũ", address=d.address, count=d.replaced
            )
        else:
            detail = tr("từ {address}", address=d.address)
        empty = ["", ""]
        who = holder_label(contest, d.holder, d.team)
        cells: list[object] = ["", clock_time(d.at), what, who, *empty]
        rows.append((d.at, [*cells, detail, *empty, *empty]))
    return rows
