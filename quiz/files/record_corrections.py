"""The record's corrections: every correction (and every buzz verdict taken
back) with its reason and time, and the jury's part in them (its approvals,
the appeals they settled, the MC's corrections it did not approve), as rows
of the record (record.py). Imports model, state, answers, notices, history,
buzzer_view, jury_view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quiz.files.record_words import clock_time
from quiz.rules.answers import display, format_number
from quiz.rules.events import from_record
from quiz.rules.formats.buzzer_view import buzz_points
from quiz.rules.history import verdicts
from quiz.rules.jury_view import change_label
from quiz.rules.model import Contest
from quiz.rules.notices import effect
from quiz.rules.state import ContestState


@dataclass
class CorrectionRow:
    ref: str  # "3" for correction 3, "" for a buzz verdict taken back
    at: float
    kind: str  # adjust | set_answer | void | verdict_undone
    team: str  # a team's name, or "" for every team
    question: str  # question id, or ""
    what: str
    points: str  # the change it made, as text (by team when it touched several)
    reason: str
    undone_at: float | None = None
    undo_reason: str = ""


def answer_text(question: Any, value: Any) -> str:
    try:
        return display(question, value)
    except (TypeError, ValueError):
        return str(value)


def names_of(contest: Contest, team: str | None) -> str:
    found = contest.team(team) if team else None
    return found.name if found else ""


def _points_text(change: dict[str, float], names: dict[str, str], team: str | None) -> str:
    if team:
        value = change.get(team, 0.0)
        return ("+" if value > 0 else "") + format_number(value)
    return ", ".join(
        f"{names.get(t, t)} {'+' if d > 0 else ''}{format_number(d)}" for t, d in change.items()
    )


def corrections(
    contest: Contest, state: ContestState, names: dict[str, str], words: dict[str, str]
) -> list[CorrectionRow]:
    rows: list[CorrectionRow] = []
    for c in state.corrections:
        question = contest.questions.get(c.question) if c.question else None
        parts = []
        if c.kind == "set_answer":
            if c.value is not None and question is not None:
                parts.append(words["set_value"].format(value=answer_text(question, c.value)))
            if c.correct is not None:
                parts.append(words["set_right"] if c.correct else words["set_wrong"])
        if c.kind == "judge_score" and c.judge:
            judge = contest.judge(c.judge)
            parts.append(f"{judge.name if judge else c.judge}: {format_number(float(c.value))}")
        rows.append(
            CorrectionRow(
                ref=str(c.id),
                at=c.at,
                kind=c.kind,
                team=names.get(c.team, c.team) if c.team else "",
                question=c.question or "",
                what=", ".join(parts),
                points=_points_text(effect(contest, state, c), names, c.team),
                reason=c.reason,
                undone_at=c.undone_at if c.undone else None,
                undo_reason=c.undo_reason if c.undone else "",
            )
        )
    for v in verdicts(state):
        a = v.attempt
        if a is None or not a.undone or v.question is None:
            continue
        word = {"correct": words["right"], "wrong": words["wrong"]}.get(a.verdict or "", "")
        lost = -buzz_points(contest, state, state.questions[v.question], a.verdict or "")
        rows.append(
            CorrectionRow(
                ref="",
                at=a.undone_at if a.undone_at is not None else v.at,
                kind="verdict_undone",
                team=names.get(a.team, a.team),
                question=v.question,
                what=words["verdict_undone"].format(verdict=word or a.verdict),
                points=_points_text({a.team: lost}, names, a.team) if lost else "",
                reason=a.undo_reason,
            )
        )
    _jury_notes(contest, state, rows, words)
    rows.sort(key=lambda r: r.at)
    return rows


def _jury_notes(
    contest: Contest, state: ContestState, rows: list[CorrectionRow], words: dict[str, str]
) -> None:
    """The jury's part in each correction: its approval or the appeal it settled,
    and the MC's corrections it did not approve, as rows of their own."""
    approved = {p.correction: p for p in state.proposals if p.correction is not None}
    appealed = {a.correction: a for a in state.appeals if a.correction is not None}
    for row in rows:
        ref = int(row.ref) if row.ref.isdigit() else None
        if ref in approved:
            p = approved[ref]
            note = words["approved_note"].format(at=clock_time(p.decided_at), reason=p.reason)
            row.reason = f"{row.reason} ({note})"
        if ref in appealed:
            row.reason = f"{row.reason} ({words['appeal_note'].format(id=appealed[ref].id)})"
    for p in state.proposals:
        if p.status != "rejected" or p.decided_at is None:
            continue
        change = from_record(p.change)
        rows.append(
            CorrectionRow(
                ref="",
                at=p.decided_at,
                kind="rejected",
                team=names_of(contest, getattr(change, "team", None)),
                question=str(getattr(change, "question", "") or ""),
                what=change_label(contest, state, change)
                + " — "
                + words["rejected_note"].format(
                    at=clock_time(p.at), reason=getattr(change, "reason", "")
                ),
                points="",
                reason=p.reason,
            )
        )
