"""The journal as a timeline a person reads: each event in words (what, which
team, which question, the detail and reason), filterable by team and question;
a proposal's or an appeal's decision names the team and question of what it
decides. Also the jury's words its console shares (who filed an appeal).
Imports model, events, answers, notices, views.
"""

from __future__ import annotations

from typing import Any

from quiz.rules import notices
from quiz.rules.answers import display
from quiz.rules.events import Event, to_record
from quiz.rules.model import Contest
from quiz.rules.text import N_, tr
from quiz.rules.views import ms

__all__ = ["BY_WORDS", "EVENT_WORDS", "team_name", "timeline", "word"]

# Words of the jury's screens: tr() each where it is shown (word).
BY_WORDS = {
    "team": N_("Đội gửi từ máy tính bảng"),
    "mc": N_("MC ghi thay đội"),
    "jury": N_("Ban giám khảo ghi"),
}


def word(table: dict[str, str], key: str) -> str:
    """A table's word for `key` in the installed language (the key if it has none)."""
    word = table.get(key)
    return tr(word) if word is not None else key


def team_name(contest: Contest, team: str | None) -> str:
    found = contest.team(team) if team else None
    return found.name if found else (team or "")


# The journal as a timeline -----------------------------------------------------------

EVENT_WORDS = {
    "RoundStarted": N_("Bắt đầu phần thi"),
    "ContestFinished": N_("Kết thúc hội thi"),
    "QuestionShown": N_("Hiện câu hỏi"),
    "ClockStarted": N_("Bắt đầu đồng hồ"),
    "ClockPaused": N_("Tạm dừng"),
    "ClockResumed": N_("Tiếp tục"),
    "TimeAdded": N_("Thêm giờ"),
    "AnswersOpened": N_("Bắt đầu tính giờ"),
    "AnswerAccepted": N_("Nhận đáp án"),
    "AnswersClosed": N_("Hết giờ trả lời"),
    "BuzzersOpened": N_("Mở bấm chuông"),
    "BuzzLockedOut": N_("Bấm sớm — mất quyền"),
    "BuzzRecorded": N_("Bấm chuông"),
    "BuzzWon": N_("Giành quyền trả lời"),
    "BuzzJudged": N_("Chấm giành quyền trả lời"),
    "AnswerTimeUp": N_("Hết giờ trả lời miệng"),
    "VerdictUndone": N_("Hoàn tác kết quả chấm"),
    "Revealed": N_("Công bố đáp án"),
    "ScoreboardToggled": N_("Bảng điểm"),
    "CeremonyAdvanced": N_("Công bố giải"),
    "RoundSummaryToggled": N_("Tổng kết phần thi"),
    "ScoreAdjusted": N_("Điều chỉnh điểm"),
    "AnswerSetByHand": N_("Nhập đáp án thay đội"),
    "QuestionVoided": N_("Hủy kết quả câu hỏi"),
    "CorrectionUndone": N_("Hoàn tác điều chỉnh"),
    "CorrectionProposed": N_("MC đề nghị điều chỉnh (chờ duyệt)"),
    "CorrectionReviewed": N_("Ban giám khảo xét điều chỉnh"),
    "AppealFiled": N_("Khiếu nại"),
    "AppealDecided": N_("Ban giám khảo xử lý khiếu nại"),
    "ResultsSignedOff": N_("Ban giám khảo xác nhận kết quả"),
    "ResultsReopened": N_("Ban giám khảo mở lại kết quả"),
}


def _question_of(qid: object, order: dict[str, tuple[int, int]]) -> str:
    if not isinstance(qid, str) or qid not in order:
        return ""
    r, i = order[qid]
    return tr("Phần {round} – Câu {n}", round=r + 1, n=i + 1)


def _detail(contest: Contest, record: dict[str, Any]) -> str:
    """What an event changed, in words: its play's part, its jury's part, its reason."""
    parts = _play_detail(contest, record) + _jury_detail(contest, record)
    if record.get("reason"):
        parts.append(tr("lý do: {reason}", reason=record["reason"]))
    return "; ".join(parts)


def _play_detail(contest: Contest, record: dict[str, Any]) -> list[str]:
    """An answer, a buzz, a verdict, a score or time added, an answer set by hand."""
    kind = record["type"]
    question = contest.questions.get(record.get("question") or "")
    parts: list[str] = []
    if kind == "AnswerAccepted" and question is not None:
        answer, seconds = display(question, record["value"]), f"{record['time']:.3f}"
        parts.append(tr("«{answer}» sau {seconds} giây", answer=answer, seconds=seconds))
    if kind in ("BuzzRecorded",):
        seconds = f"{record['time']:.3f}"
        late = record.get("late")
        parts.append(
            tr("sau {seconds} giây (muộn)", seconds=seconds)
            if late
            else tr("sau {seconds} giây", seconds=seconds)
        )
    if kind == "BuzzJudged":
        parts.append(notices.verdict_word(record["verdict"]))
    if kind == "ScoreAdjusted":
        points = f"{'+' if record['delta'] > 0 else ''}{notices._num(record['delta'])}"
        parts.append(tr("{points} điểm", points=points))
    if kind == "AnswerSetByHand" and question is not None and record.get("value") is not None:
        parts.append(tr("đáp án {answer}", answer=display(question, record["value"])))
    if kind == "AnswerSetByHand" and record.get("correct") is not None:
        parts.append(tr("chấm Đúng") if record["correct"] else tr("chấm Sai"))
    if kind == "TimeAdded":
        parts.append(tr("+{seconds} giây", seconds=notices._num(record["seconds"])))
    return parts


def _jury_detail(contest: Contest, record: dict[str, Any]) -> list[str]:
    """A proposal and its review, an appeal and its decision, an undone correction."""
    kind, number = record["type"], record.get("id")
    if kind == "CorrectionReviewed":
        if record["approved"]:
            return [tr("đề nghị số {id}: duyệt", id=number)]
        return [tr("đề nghị số {id}: bác", id=number)]
    if kind == "AppealDecided":
        if record["accepted"]:
            return [tr("khiếu nại số {id}: chấp nhận", id=number)]
        return [tr("khiếu nại số {id}: không chấp nhận", id=number)]
    if kind == "AppealFiled":
        by = word(BY_WORDS, record["by"])
        return [tr("số {id} ({by}): {text}", id=number, by=by, text=record["text"])]
    if kind == "CorrectionUndone":
        return [tr("điều chỉnh số {id}", id=number)]
    if kind == "CorrectionProposed":
        change = record["change"]
        what = word(EVENT_WORDS, change["type"]).lower()
        inner = _detail(contest, change)
        proposed = tr("đề nghị số {id}: {what}", id=number, what=what)
        return [proposed + (f" ({inner})" if inner else "")]
    return []


class _Subjects:
    """A decision names its team and question through what it decides: the
    proposals' changes and the appeals seen so far, by number."""

    def __init__(self) -> None:
        self.proposals: dict[int, dict[str, Any]] = {}
        self.appeals: dict[int, dict[str, Any]] = {}

    def of(self, record: dict[str, Any]) -> dict[str, Any]:
        kind = record["type"]
        if kind == "CorrectionProposed":
            self.proposals[record["id"]] = record["change"]
            return dict(record["change"])
        if kind == "AppealFiled":
            self.appeals[record["id"]] = record
        elif kind == "CorrectionReviewed":
            return self.proposals.get(record["id"], record)
        elif kind == "AppealDecided":
            return self.appeals.get(record["id"], record)
        return record


def _line(
    contest: Contest,
    seq: int,
    at: float,
    record: dict[str, Any],
    subject: dict[str, Any],
    order: dict[str, tuple[int, int]],
) -> dict[str, Any]:
    e_team, e_question = subject.get("team"), subject.get("question")
    line: dict[str, Any] = {
        "seq": seq,
        "at": ms(at),
        "type": record["type"],
        "what": word(EVENT_WORDS, record["type"]),
        "team": e_team,
        "team_name": team_name(contest, e_team) if e_team else "",
        "question": e_question,
        "question_name": _question_of(e_question, order),
        "detail": _detail(contest, record),
    }
    for key in ("arrival", "claimed", "earliest", "pressed"):
        if record.get(key) is not None:
            line[key] = ms(record[key])
    return line


def timeline(
    contest: Contest,
    events: list[Event],
    team: str | None = None,
    question: str | None = None,
    limit: int = 300,
) -> dict[str, Any]:
    """The journal's events as lines, newest first, those naming `team` and
    `question` when given (a proposal's team and question are its change's)."""
    order: dict[str, tuple[int, int]] = {}
    round_index = -1
    lines: list[dict[str, Any]] = []
    subjects = _Subjects()
    for seq, event in enumerate(events, start=1):
        record = to_record(event)
        if record["type"] == "RoundStarted":
            round_index = record["round"]
        if record["type"] == "QuestionShown":
            order[record["question"]] = (round_index, record["index"])
        subject = subjects.of(record)
        if team is not None and subject.get("team") != team:
            continue
        if question is not None and subject.get("question") != question:
            continue
        lines.append(_line(contest, seq, event.at, record, subject, order))
    matched = len(lines)
    lines.reverse()
    return {"entries": lines[:limit], "matched": matched, "total": len(events)}
