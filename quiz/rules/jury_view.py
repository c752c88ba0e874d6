"""What the jury's powers add to each audience's view, and the journal as a
readable timeline.

- jury_view: everything the MC sees, plus every press's timing (arrival, the
  tablet's claim, the time accepted, the bound its link allowed), the
  corrections waiting for approval, every appeal, and the sign-off.
- mc_part: the MC sees what waits for the jury (not counted yet).
- team_part: a tablet's appeal offer (a revealed question inside its window)
  and its own appeals with their outcomes; never another team's.
- board_part: the accepted appeals, for the hall.
- timeline (timeline_view, importable from here): journal events as lines a
  person reads, filterable by team and question.

Secrecy: appeals exist only on revealed questions (jury.py), so none of
this tells a tablet or the board an answer before its reveal.
Imports model, state, events, notices, jury, views.
"""

from __future__ import annotations

from typing import Any

from quiz.rules import notices
from quiz.rules.answers import display
from quiz.rules.events import Event, from_record, to_record
from quiz.rules.jury import appeal_until
from quiz.rules.model import Contest
from quiz.rules.state import Appeal, ContestState, Proposal
from quiz.rules.text import N_, tr
from quiz.rules.timeline_view import BY_WORDS, team_name, timeline, word
from quiz.rules.views import Tables, mc_view, ms

__all__ = ["board_part", "change_label", "jury_view", "mc_part", "team_part", "timeline", "timings"]

# An appeal's or a proposal's status in words: tr() each where it is shown (word).
STATUS_WORDS = {
    "pending": N_("Chờ xử lý"),
    "accepted": N_("Chấp nhận"),
    "rejected": N_("Không chấp nhận"),
    "approved": N_("Đã duyệt"),
}


def change_label(contest: Contest, state: ContestState, change: Event) -> str:
    """A waiting correction in words, like the MC's list of corrections."""
    record = to_record(change)
    kind = record["type"]
    team = team_name(contest, record.get("team"))
    where = notices.question_name(contest, state, record.get("question"))
    if kind == "ScoreAdjusted":
        delta = record["delta"]
        sign = "+" if delta > 0 else ""
        points = f"{sign}{notices._num(delta)}"
        return tr("Điều chỉnh điểm — {team}: {points} điểm", team=team, points=points)
    if kind == "AnswerSetByHand":
        question = contest.questions.get(record["question"])
        parts = []
        if record.get("value") is not None and question is not None:
            parts.append(tr("đáp án {answer}", answer=display(question, record["value"])))
        if record.get("correct") is not None:
            parts.append(tr("chấm Đúng") if record["correct"] else tr("chấm Sai"))
        return tr(
            "Nhập đáp án thay đội — {question}, {team}: {what}",
            question=where,
            team=team,
            what=", ".join(parts),
        )
    if kind == "QuestionVoided":
        return tr("Hủy kết quả câu hỏi — {question}", question=where)
    if kind == "CorrectionUndone":
        target = state.correction(record["id"])
        label = notices.describe(contest, state, target) if target is not None else ""
        undo = tr("Hoàn tác điều chỉnh số {id}", id=record["id"])
        return undo + (f" ({label})" if label else "")
    if kind == "VerdictUndone":
        return tr("Hoàn tác kết quả chấm — {question}, {team}", question=where, team=team)
    return str(kind)


def _proposal(contest: Contest, state: ContestState, p: Proposal) -> dict[str, Any]:
    change = from_record(p.change)
    return {
        "id": p.id,
        "at": ms(p.at),
        "by": p.by,
        "label": change_label(contest, state, change),
        "reason": getattr(change, "reason", ""),
        "status": p.status,
        "status_text": word(STATUS_WORDS, p.status),
        "review_reason": p.reason,
        "decided_at": ms(p.decided_at),
        "correction": p.correction,
    }


def _appeal(contest: Contest, state: ContestState, a: Appeal) -> dict[str, Any]:
    return {
        "id": a.id,
        "at": ms(a.at),
        "team": a.team,
        "team_name": team_name(contest, a.team),
        "question": a.question,
        "question_name": notices.question_name(contest, state, a.question),
        "text": a.text,
        "by": a.by,
        "by_text": word(BY_WORDS, a.by),
        "status": a.status,
        "status_text": word(STATUS_WORDS, a.status),
        "reason": a.reason,
        "decided_at": ms(a.decided_at),
        "correction": a.correction,
    }


def _signoff(state: ContestState) -> dict[str, Any]:
    return {
        "signed": state.signed_at is not None,
        "at": ms(state.signed_at),
        "signoffs": [ms(at) for at in state.signoffs],
        "reopenings": [{"at": ms(at), "reason": reason} for at, reason in state.reopenings],
    }


def timings(contest: Contest, state: ContestState, question: str | None) -> list[dict[str, Any]]:
    """Every answer and buzz on `question` (all questions if None), as timed."""
    rows = []
    for t in state.timings:
        if question is not None and t.question != question:
            continue
        rows.append(
            {
                "question": t.question,
                "team": t.team,
                "name": team_name(contest, t.team),
                "kind": t.kind,
                "time_ms": ms(t.time),
                "arrival": ms(t.arrival),
                "claimed": ms(t.claimed),
                "accepted": ms(t.accepted),
                "earliest": ms(t.earliest),
                # how far before its arrival the press was dated, and what the
                # tablet claimed beyond what its link allowed (clamped)
                "before_arrival_ms": ms(t.arrival - t.accepted) if t.arrival is not None else None,
                "clamped": (
                    t.claimed is not None
                    and t.arrival is not None
                    and abs(t.claimed - t.accepted) > 0.0005
                ),
            }
        )
    return rows


def jury_view(
    contest: Contest, state: ContestState, now: float, t: Tables | None = None
) -> dict[str, Any]:
    """The jury's console: the MC's view, and what only the jury decides."""
    view = mc_view(contest, state, now, t)
    view["role"] = "jury"
    jury = contest.jury
    view["jury"] = {
        "approve_corrections": bool(jury and jury.approve_corrections),
        "appeals": bool(jury and jury.appeals),
        "appeal_window": jury.appeal_window if jury else None,
    }
    q = state.question
    view["timings"] = timings(contest, state, q.id if q is not None else None)
    by_id = {c.id: c for c in state.corrections}
    for item in view["corrections"]:  # what each changed, for the jury's list
        item["label"] = notices.what_changed(contest, state, by_id[item["id"]])
    view["proposals"] = [_proposal(contest, state, p) for p in state.proposals]
    view["appeals"] = [_appeal(contest, state, a) for a in state.appeals]
    view["signoff"] = _signoff(state)
    return view


def mc_part(contest: Contest, state: ContestState) -> dict[str, Any]:
    """What the MC console shows of the jury's work: what waits, and the sign-off."""
    return {
        "jury_on": contest.jury is not None,
        "proposals": [
            _proposal(contest, state, p) for p in state.proposals if p.status == "pending"
        ],
        "appeals_pending": [
            _appeal(contest, state, a) for a in state.appeals if a.status == "pending"
        ],
        "signoff": _signoff(state),
    }


def team_part(contest: Contest, state: ContestState, team: str, now: float) -> dict[str, Any]:
    """A tablet's appeal offer and its own appeals (never another team's)."""
    offer = None
    mine = [a for a in state.appeals if a.team == team]
    appealed = {a.question for a in mine}
    if state.signed_at is None:
        for qid in reversed(list(state.questions)):
            until = appeal_until(contest, state, qid)
            if until is None or now > until:
                continue
            if qid not in appealed:
                offer = {
                    "question": qid,
                    "question_name": notices.question_name(contest, state, qid),
                    "until": ms(until),
                    "max_length": 500,
                }
            break  # only the latest revealed question still in its window
    return {
        "appeal_offer": offer,
        "my_appeals": [
            {k: v for k, v in _appeal(contest, state, a).items() if k not in ("team", "correction")}
            for a in mine
        ],
    }


def board_part(contest: Contest, state: ContestState) -> dict[str, Any]:
    """The accepted appeals, newest first, for the hall."""
    accepted = [a for a in state.appeals if a.status == "accepted"]
    accepted.sort(key=lambda a: a.decided_at or 0.0, reverse=True)
    return {
        "appeals": [
            {
                "id": a.id,
                "team_name": team_name(contest, a.team),
                "question_name": notices.question_name(contest, state, a.question),
                "reason": a.reason,
                "decided_at": ms(a.decided_at),
            }
            for a in accepted[: notices.LIMIT]
        ]
    }
