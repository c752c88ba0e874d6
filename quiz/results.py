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

from .answers import display, format_number
from .buzzview import buzz_points
from .ceremony import prize_groups
from .history import verdicts
from .model import Contest
from .notices import VERDICT_WORDS, effect, question_name
from .scoring import standings
from .state import ContestState
from .untrusted import SafeCsvWriter

KIND_NAMES = {
    "adjust": "Điều chỉnh điểm",
    "set_answer": "Nhập đáp án thay đội",
    "void": "Hủy kết quả câu hỏi",
    "verdict": "Chấm giành quyền trả lời",
}


def clock_time(at: float | None) -> str:
    """Server seconds as the hall's local time of day, HH:MM:SS."""
    return "" if at is None else time.strftime("%H:%M:%S", time.localtime(at))


def results_csv(
    contest: Contest, state: ContestState, journal: dict[str, Any] | None = None
) -> str:
    """The results as CSV; with `journal` (its status), its head hash closes the file."""
    table = standings(contest, state)
    asked = list(state.questions)
    prizes = {s.team: p.name for p, ts in prize_groups(contest, table) for s in ts}
    out = io.StringIO()
    # No cell starts a formula when the file is opened in a spreadsheet.
    writer = SafeCsvWriter(csv.writer(out, delimiter=";", lineterminator="\r\n"))
    fixed = ["Hạng", "Đội thi", "Tổng điểm", "Số câu đúng", "Tổng thời gian (giây)", "Điều chỉnh"]
    if contest.prizes:
        fixed.append("Giải")
    writer.writerow([*fixed, *(question_name(contest, state, q) for q in asked)])
    writer.writerow(["" for _ in fixed[:-1]] + ["Mã câu hỏi", *asked])
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
        per_question = [format_number(s.results[q].points) if q in s.results else "" for q in asked]
        writer.writerow([*row, *per_question])
    writer.writerow([])
    writer.writerow(["Nhật ký chấm điểm và điều chỉnh"])
    writer.writerow(
        [
            "#",
            "Thời gian",
            "Loại",
            "Đội thi",
            "Câu hỏi",
            "Mã câu hỏi",
            "Nội dung",
            "Điểm",
            "Lý do",
            "Hoàn tác lúc",
            "Lý do hoàn tác",
        ]
    )
    for _at, cells in sorted(_record(contest, state), key=lambda r: r[0]):
        writer.writerow(cells)
    if journal is not None:
        writer.writerow([])
        # The journal's head hash stands for the whole record (`quiz verify`).
        writer.writerow(["Mã kiểm tra nhật ký", journal["head"], f"{journal['entries']} mục"])
    return "\ufeff" + out.getvalue()


def _record(contest: Contest, state: ContestState) -> list[tuple[float, list[object]]]:
    names = {t.id: t.name for t in contest.teams}
    rows: list[tuple[float, list[object]]] = []
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
                    KIND_NAMES["verdict"],
                    names.get(a.team, a.team),
                    question_name(contest, state, v.question),
                    v.question,
                    VERDICT_WORDS.get(a.verdict, a.verdict),
                    format_number(buzz_points(contest, state, q, a.verdict)),
                    "",
                    clock_time(a.undone_at) if a.undone else "",
                    a.undo_reason if a.undone else "",
                ],
            )
        )
    for c in state.corrections:
        change = effect(contest, state, c)
        question = contest.questions.get(c.question) if c.question else None
        what = ""
        if c.kind == "set_answer":
            parts = []
            if c.value is not None and question is not None:
                parts.append(f"đáp án {display(question, c.value)}")
            if c.correct is not None:
                parts.append("chấm Đúng" if c.correct else "chấm Sai")
            what = ", ".join(parts)
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
                    KIND_NAMES.get(c.kind, c.kind),
                    names.get(c.team, c.team) if c.team else "Tất cả các đội",
                    question_name(contest, state, c.question),
                    c.question or "",
                    what,
                    points,
                    c.reason,
                    clock_time(c.undone_at) if c.undone else "",
                    c.undo_reason if c.undone else "",
                ],
            )
        )
    return rows
