"""The jury's powers (contest-format.md "Jury"): approving corrections,
appeals, signing off the results, and what it is shown of each press's timing.

- `approve_corrections: true`: an MC correction (adjust, set answer, void,
  undo) becomes a CorrectionProposed event holding the correction's own event;
  it counts only once the jury approves it (CorrectionReviewed, then that event,
  re-checked and re-numbered as of the approval); a rejection records why.
- `appeals: true`: a team's tablet may appeal a revealed question for
  `appeal_window` seconds (once per question); the MC or the jury may enter one
  for a team at any time. The jury accepts it with a correction (applied as the
  jury's own, so it never waits) or rejects it, with a reason either way.
- The jury signs off the results once the contest is finished and nothing
  waits for it; after that every correction, approval and appeal is refused
  until the jury reopens the results with a reason.

Pure rules: decide handlers and folds that engine.py registers. Imports
model, commands, events, state.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from quiz.rules.commands import (
    AdjustScore,
    Buzz,
    Command,
    DecideAppeal,
    FileAppeal,
    ReinstatePlayer,
    Reopen,
    ReviewCorrection,
    SetAnswer,
    SetJudgeScore,
    SetPlayerAnswer,
    SignOff,
    SubmitAnswer,
    Undo,
    VoidQuestion,
)
from quiz.rules.events import (
    AnswerAccepted,
    AnswerSetByHand,
    AppealDecided,
    AppealFiled,
    BuzzRecorded,
    CorrectionProposed,
    CorrectionReviewed,
    CorrectionUndone,
    Event,
    QuestionVoided,
    ResultsReopened,
    ResultsSignedOff,
    ScoreAdjusted,
    VerdictUndone,
    from_record,
    to_record,
)
from quiz.rules.formats.base import Rejected
from quiz.rules.model import Contest, Phase
from quiz.rules.state import Appeal, ContestState, PressTiming, Proposal
from quiz.rules.text import N_, tr

MAX_APPEAL = 500  # characters of an appeal's text
CORRECTIONS = (AdjustScore, SetAnswer, VoidQuestion, Undo)
# Corrections of other formats: refused after the sign-off too (they do not wait for approval)
SIGNED_OFF_TOO = (ReinstatePlayer, SetPlayerAnswer, SetJudgeScore)
APPEAL_KINDS = ("set_answer", "adjust", "void")

SIGNED_OFF = N_("Kết quả đã được Ban giám khảo xác nhận — cần mở lại kết quả trước")

Decide = Callable[[Contest, ContestState, Command, float], list[Event]]


def _jury(contest: Contest) -> Any:
    if contest.jury is None:
        raise Rejected("no_jury", tr("Hội thi này không có Ban giám khảo trên hệ thống"))
    return contest.jury


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Rejected("reason_required", tr("Cần nhập lý do"))
    if len(reason) > MAX_APPEAL:
        raise Rejected("reason_too_long", tr("Lý do dài quá {n} ký tự", n=MAX_APPEAL))
    return reason


def _open_results(state: ContestState) -> None:
    if state.signed_at is not None:
        raise Rejected("signed_off", tr(SIGNED_OFF))


# Gates around the engine's own decisions --------------------------------------------


def before(contest: Contest, state: ContestState, command: Command) -> None:
    """Refuse a correction while the results are signed off."""
    if isinstance(command, (*CORRECTIONS, *SIGNED_OFF_TOO)):
        _open_results(state)


def after(
    contest: Contest, state: ContestState, command: Command, events: list[Event], now: float
) -> list[Event]:
    """An MC correction waits for the jury when the contest says so; an answer
    or buzz carries its timing for the jury."""
    if isinstance(command, CORRECTIONS) and events:
        jury = contest.jury
        if command.by == "mc" and jury is not None and jury.approve_corrections:
            first = len(state.proposals) + 1
            return [
                CorrectionProposed(at=now, id=first + i, by="mc", change=to_record(e))
                for i, e in enumerate(events)
            ]
        return events
    if isinstance(command, SubmitAnswer | Buzz) and command.arrival is not None:
        stamped: list[Event] = []
        for e in events:
            if isinstance(e, AnswerAccepted | BuzzRecorded) and e.team == command.team:
                e = dataclasses.replace(
                    e, arrival=command.arrival, claimed=command.claimed, earliest=command.earliest
                )
            stamped.append(e)
        return stamped
    return events


# The jury's commands --------------------------------------------------------------


def _proposal(state: ContestState, proposal_id: int) -> Proposal:
    for p in state.proposals:
        if p.id == proposal_id:
            return p
    raise Rejected("unknown_proposal", tr("Không có điều chỉnh nào chờ duyệt với số này"))


def _still_valid(state: ContestState, change: Event) -> None:
    """A waiting correction may have been overtaken by then: refuse to apply it."""
    if isinstance(change, QuestionVoided) and any(
        c.kind == "void" and c.question == change.question and not c.undone
        for c in state.corrections
    ):
        raise Rejected("already_void", tr("Câu hỏi này đã bị hủy kết quả"))
    if isinstance(change, CorrectionUndone):
        target = state.correction(change.id)
        if target is None or target.undone:
            raise Rejected("already_undone", tr("Điều chỉnh này đã được hoàn tác"))
    if isinstance(change, VerdictUndone):
        q = state.questions.get(change.question)
        attempts = q.attempts if q is not None else []
        if change.attempt >= len(attempts) or attempts[change.attempt].undone:
            raise Rejected("already_undone", tr("Kết quả chấm này đã được hoàn tác"))


def next_correction_id(state: ContestState) -> int:
    return state.corrections[-1].id + 1 if state.corrections else 1


def _numbered(state: ContestState, change: Event, now: float) -> Event:
    """The correction's event as of now, with the next correction number."""
    if isinstance(change, ScoreAdjusted | AnswerSetByHand | QuestionVoided):
        return dataclasses.replace(change, at=now, id=next_correction_id(state))
    return dataclasses.replace(change, at=now)


def _review(
    contest: Contest, state: ContestState, cmd: ReviewCorrection, now: float
) -> list[Event]:
    _jury(contest)
    proposal = _proposal(state, cmd.id)
    if proposal.status != "pending":
        raise Rejected("already_decided", tr("Điều chỉnh này đã được xử lý"))
    reason = _reason(cmd.reason)
    if not cmd.approve:
        return [CorrectionReviewed(at=now, id=proposal.id, approved=False, reason=reason)]
    _open_results(state)
    change = from_record(proposal.change)
    _still_valid(state, change)
    change = _numbered(state, change, now)
    number = getattr(change, "id", None) if not isinstance(change, CorrectionUndone) else None
    return [
        CorrectionReviewed(at=now, id=proposal.id, approved=True, reason=reason, correction=number),
        change,
    ]


def _appeal_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise Rejected("appeal_text_required", tr("Cần nhập nội dung khiếu nại"))
    if len(text) > MAX_APPEAL:
        raise Rejected(
            "appeal_text_too_long", tr("Nội dung khiếu nại dài quá {n} ký tự", n=MAX_APPEAL)
        )
    return text


def appeal_until(contest: Contest, state: ContestState, question: str) -> float | None:
    """Until when a tablet may appeal `question` (None: it may not)."""
    jury = contest.jury
    q = state.questions.get(question)
    if jury is None or not jury.appeals or q is None or not q.revealed or q.revealed_at is None:
        return None
    return q.revealed_at + float(jury.appeal_window)


def _file(contest: Contest, state: ContestState, cmd: FileAppeal, now: float) -> list[Event]:
    jury = _jury(contest)
    if not jury.appeals:
        raise Rejected("no_appeals", tr("Hội thi này không nhận khiếu nại trên hệ thống"))
    if contest.team(cmd.team) is None:
        raise Rejected("unknown_team", tr("Không có đội này"))
    _open_results(state)
    q = state.questions.get(cmd.question)
    if q is None or not q.revealed:
        raise Rejected("not_revealed", tr("Chỉ khiếu nại được câu hỏi đã công bố đáp án"))
    text = _appeal_text(cmd.text)
    mine = [a for a in state.appeals if a.team == cmd.team and a.question == cmd.question]
    if cmd.by == "team":
        until = appeal_until(contest, state, cmd.question)
        if until is None or now > until:
            raise Rejected("appeal_closed", tr("Đã hết thời gian khiếu nại câu hỏi này"))
        if mine:
            raise Rejected("already_appealed", tr("Đội đã gửi khiếu nại cho câu hỏi này"))
    elif any(a.status == "pending" for a in mine):
        raise Rejected("already_appealed", tr("Đội đã có khiếu nại đang chờ xử lý cho câu hỏi này"))
    appeal = AppealFiled(
        at=now,
        id=len(state.appeals) + 1,
        team=cmd.team,
        question=cmd.question,
        text=text,
        by=cmd.by,
    )
    return [appeal]


def _appeal(state: ContestState, appeal_id: int) -> Appeal:
    for a in state.appeals:
        if a.id == appeal_id:
            return a
    raise Rejected("unknown_appeal", tr("Không có khiếu nại này"))


def _decide_appeal(
    contest: Contest, state: ContestState, cmd: DecideAppeal, now: float
) -> list[Event]:
    from quiz.rules import engine  # the corrections' own rules (engine imports this module)

    _jury(contest)
    appeal = _appeal(state, cmd.id)
    if appeal.status != "pending":
        raise Rejected("already_decided", tr("Khiếu nại này đã được xử lý"))
    reason = _reason(cmd.reason)
    if not cmd.accept:
        return [AppealDecided(at=now, id=appeal.id, accepted=False, reason=reason)]
    _open_results(state)
    correction: Command
    if cmd.kind == "set_answer":
        correction = SetAnswer(
            appeal.question, appeal.team, reason, cmd.value, cmd.correct, by="jury"
        )
    elif cmd.kind == "adjust":
        correction = AdjustScore(appeal.team, cmd.delta or 0.0, reason, by="jury")
    elif cmd.kind == "void":
        correction = VoidQuestion(appeal.question, reason, by="jury")
    else:
        raise Rejected("correction_required", tr("Chấp nhận khiếu nại cần kèm một điều chỉnh"))
    events = engine.decide(contest, state, correction, now)
    number = getattr(events[0], "id", None) if events else None
    return [
        AppealDecided(at=now, id=appeal.id, accepted=True, reason=reason, correction=number),
        *events,
    ]


def _sign_off(contest: Contest, state: ContestState, cmd: SignOff, now: float) -> list[Event]:
    _jury(contest)
    if state.signed_at is not None:
        raise Rejected("already_signed", tr("Kết quả đã được xác nhận"))
    if state.phase != Phase.FINISHED:
        raise Rejected("not_finished", tr("Chỉ xác nhận kết quả sau khi hội thi kết thúc"))
    if any(p.status == "pending" for p in state.proposals):
        raise Rejected("pending", tr("Còn điều chỉnh đang chờ duyệt"))
    if any(a.status == "pending" for a in state.appeals):
        raise Rejected("pending", tr("Còn khiếu nại chưa xử lý"))
    return [ResultsSignedOff(at=now)]


def _reopen(contest: Contest, state: ContestState, cmd: Reopen, now: float) -> list[Event]:
    _jury(contest)
    if state.signed_at is None:
        raise Rejected("not_signed", tr("Kết quả chưa được xác nhận"))
    return [ResultsReopened(at=now, reason=_reason(cmd.reason))]


HANDLERS: dict[type[Command], Callable[[Contest, ContestState, Any, float], list[Event]]] = {
    ReviewCorrection: _review,
    FileAppeal: _file,
    DecideAppeal: _decide_appeal,
    SignOff: _sign_off,
    Reopen: _reopen,
}


# Folds --------------------------------------------------------------------------


def _on_proposed(contest: Contest, state: ContestState, e: CorrectionProposed) -> None:
    state.proposals.append(Proposal(e.id, e.at, e.by, e.change))


def _on_reviewed(contest: Contest, state: ContestState, e: CorrectionReviewed) -> None:
    p = _proposal(state, e.id)
    p.status = "approved" if e.approved else "rejected"
    p.reason, p.decided_at, p.correction = e.reason, e.at, e.correction


def _on_filed(contest: Contest, state: ContestState, e: AppealFiled) -> None:
    state.appeals.append(Appeal(e.id, e.at, e.team, e.question, e.text, e.by))


def _on_decided(contest: Contest, state: ContestState, e: AppealDecided) -> None:
    a = _appeal(state, e.id)
    a.status = "accepted" if e.accepted else "rejected"
    a.reason, a.decided_at, a.correction = e.reason, e.at, e.correction


def _on_signed(contest: Contest, state: ContestState, e: ResultsSignedOff) -> None:
    state.signed_at = e.at
    state.signoffs.append(e.at)


def _on_reopened(contest: Contest, state: ContestState, e: ResultsReopened) -> None:
    state.signed_at = None
    state.reopenings.append((e.at, e.reason))


def _on_answer(contest: Contest, state: ContestState, e: AnswerAccepted) -> None:
    state.timings.append(
        PressTiming(
            e.question, e.team, "answer", e.pressed, e.time, e.arrival, e.claimed, e.earliest
        )
    )


def _on_buzz(contest: Contest, state: ContestState, e: BuzzRecorded) -> None:
    state.timings.append(
        PressTiming(e.question, e.team, "buzz", e.pressed, e.time, e.arrival, e.claimed, e.earliest)
    )


FOLDS: dict[type[Event], Callable[[Contest, ContestState, Any], None]] = {
    CorrectionProposed: _on_proposed,
    CorrectionReviewed: _on_reviewed,
    AppealFiled: _on_filed,
    AppealDecided: _on_decided,
    ResultsSignedOff: _on_signed,
    ResultsReopened: _on_reopened,
    AnswerAccepted: _on_answer,
    BuzzRecorded: _on_buzz,
}
