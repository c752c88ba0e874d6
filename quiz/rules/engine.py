"""The rules of the contest as a pure state machine: decide, then apply.

`decide(contest, state, command, now)` returns the events a command causes, or
raises Rejected (code, message in the contest's language) and changes nothing.
`apply(contest, state, event)` folds one event into the state; replaying the
journal's events through it rebuilds the state exactly. No Flask, no
Socket.IO, no clock reads: `now` is always given.

Phases and what moves between them (format-specific steps in formats/):

    LOBBY    --StartRound-->  INTRO (round 1)
    INTRO    --ShowQuestion-> SHOWN (question 1 of the round)
    SHOWN    --OpenAnswers--> OPEN (clock runs)      [buzzer: also read_time]
    OPEN     --time up / CloseEarly--> CLOSED         [buzzer: BuzzWon -> ANSWERING]
    ANSWERING --Judge / answer / time up--> CLOSED or OPEN (rebound)
    CLOSED   --Reveal-------> REVEALED
    REVEALED --ShowQuestion-> SHOWN (next question) | --StartRound--> INTRO (next round)
    INTRO | REVEALED --StartRound after the last round--> FINISHED

Clock controls (pause, resume, add time) act while a clock exists in SHOWN,
OPEN or ANSWERING. The scoreboard and the corrections are allowed in any
phase once the contest has started.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from quiz.rules import ceremony, jury
from quiz.rules.answers import BadAnswer, parse
from quiz.rules.commands import (
    AddTime,
    AdjustScore,
    CeremonyNext,
    CloseEarly,
    Command,
    DrawLots,
    OpenAnswers,
    PauseClock,
    ResumeClock,
    Reveal,
    SelectTiebreak,
    SetAnswer,
    SetJudgeScore,
    ShowQuestion,
    ShowRoundSummary,
    ShowScoreboard,
    StartRound,
    Tick,
    Undo,
    VoidQuestion,
)
from quiz.rules.events import (
    AnswerSetByHand,
    ClockPaused,
    ClockResumed,
    ContestFinished,
    CorrectionUndone,
    Event,
    QuestionShown,
    QuestionVoided,
    Revealed,
    RoundStarted,
    ScoreAdjusted,
    ScoreboardToggled,
    TimeAdded,
    VerdictUndone,
)
from quiz.rules.folds import FOLDS
from quiz.rules.formats import FORMATS, judged, tiebreak_state
from quiz.rules.formats.base import CLOCK_PHASES, Ctx, Rejected
from quiz.rules.history import undoable
from quiz.rules.limits import EXTRA_TIME_MAX
from quiz.rules.model import Contest, Phase
from quiz.rules.state import ContestState, QuestionState
from quiz.rules.text import tr

__all__ = ["CLOCK_PHASES", "Rejected", "decide", "apply", "next_alarm", "context", "replay"]

MAX_ADD_TIME = float(EXTRA_TIME_MAX)
MAX_ADJUST = 10000.0
MAX_REASON = 500


def context(contest: Contest, state: ContestState, question_id: str | None = None) -> Ctx | None:
    """The format context of a question (the current one by default)."""
    qid = question_id or state.current
    if qid is None or qid not in state.questions:
        return None
    q = state.questions[qid]
    rnd = contest.rounds[q.round]
    return Ctx(contest, state, rnd, contest.questions[qid], q)


def _current(contest: Contest, state: ContestState, question: str | None) -> Ctx:
    ctx = context(contest, state)
    if ctx is None:
        raise Rejected("no_question", tr("Chưa có câu hỏi nào đang diễn ra"))
    if question is not None and question != ctx.question.id:
        raise Rejected("stale", tr("Câu hỏi đã thay đổi — thao tác này dành cho câu trước"))
    return ctx


def decide(contest: Contest, state: ContestState, command: Command, now: float) -> list[Event]:
    """The events `command` causes at time `now`; raises Rejected if not allowed."""
    if isinstance(command, Tick):
        ctx = context(contest, state)
        return FORMATS[ctx.round.format].tick(ctx, now) if ctx else []
    handler = _HANDLERS.get(type(command))
    jury.before(contest, state, command)
    if handler is not None:
        return jury.after(contest, state, command, handler(contest, state, command, now), now)
    if state.round >= 0:
        fmt = FORMATS[contest.rounds[state.round].format]
        if type(command) in fmt.round_commands:
            return fmt.decide_round(contest, state, command, now)
    ctx = _current(contest, state, getattr(command, "question", None))
    return jury.after(
        contest, state, command, FORMATS[ctx.round.format].decide(ctx, command, now), now
    )


def next_alarm(contest: Contest, state: ContestState) -> float | None:
    """When a Tick will next have something to do, if ever."""
    ctx = context(contest, state)
    return FORMATS[ctx.round.format].alarm(ctx) if ctx else None


# The flow of the round --------------------------------------------------------


def _start_round(contest: Contest, state: ContestState, cmd: StartRound, now: float) -> list[Event]:
    if state.phase not in (Phase.LOBBY, Phase.INTRO, Phase.REVEALED):
        raise Rejected("busy", tr("Hãy kết thúc câu hỏi đang diễn ra trước"))
    following = state.round + 1
    if following >= len(contest.rounds):
        if cmd.round is not None:
            raise Rejected("stale", tr("Không còn phần thi nào"))
        return [ContestFinished(at=now)]
    if cmd.round is not None and cmd.round != contest.rounds[following].id:
        raise Rejected("stale", tr("Phần thi đã thay đổi"))
    return [RoundStarted(at=now, round=following)]


def _show(contest: Contest, state: ContestState, cmd: ShowQuestion, now: float) -> list[Event]:
    if state.phase not in (Phase.INTRO, Phase.REVEALED):
        raise Rejected("busy", tr("Chưa thể chuyển câu hỏi lúc này"))
    rnd = contest.rounds[state.round]
    fmt = FORMATS[rnd.format]
    if tiebreak_state.is_tiebreak(contest, state.round) and state.round not in state.tiebreaks:
        raise Rejected("no_selection", tr("Hãy chọn các đội thi câu hỏi phụ trước"))
    index = fmt.next_question(contest, state)
    if index is None:
        raise Rejected("round_over", tr("Đã hết câu hỏi của phần thi này"))
    qid = rnd.question_ids[index]
    if cmd.question is not None and cmd.question != qid:
        raise Rejected("stale", tr("Câu hỏi đã thay đổi"))
    shown = QuestionShown(at=now, question=qid, index=index)
    preview = ContestState(phase=Phase.SHOWN, round=state.round, current=qid)
    preview.round_fmt = state.round_fmt
    preview.questions[qid] = QuestionState(
        qid, state.round, index, now, fmt=fmt.new_question_state()
    )
    ctx = Ctx(contest, preview, rnd, contest.questions[qid], preview.questions[qid])
    return [shown, *fmt.on_show(ctx, now)]


def _open(contest: Contest, state: ContestState, cmd: OpenAnswers, now: float) -> list[Event]:
    ctx = _current(contest, state, cmd.question)
    if state.phase != Phase.SHOWN:
        raise Rejected("not_shown", tr("Chỉ bắt đầu tính giờ khi câu hỏi vừa hiện"))
    return FORMATS[ctx.round.format].open(ctx, now)


def _close(contest: Contest, state: ContestState, cmd: CloseEarly, now: float) -> list[Event]:
    ctx = _current(contest, state, cmd.question)
    if state.phase != Phase.OPEN:
        raise Rejected("not_open", tr("Chỉ dừng sớm được khi đang tính giờ"))
    return FORMATS[ctx.round.format].close_early(ctx, now)


def _reveal(contest: Contest, state: ContestState, cmd: Reveal, now: float) -> list[Event]:
    ctx = _current(contest, state, cmd.question)
    if state.phase != Phase.CLOSED:
        raise Rejected("not_closed", tr("Chỉ công bố đáp án sau khi hết giờ"))
    return [Revealed(at=now, question=ctx.question.id)]


def _clock_ctx(contest: Contest, state: ContestState, question: str) -> Ctx:
    ctx = _current(contest, state, question)
    if state.phase not in CLOCK_PHASES or ctx.q.clock is None:
        raise Rejected("no_clock", tr("Không có đồng hồ đang chạy"))
    return ctx


def _pause(contest: Contest, state: ContestState, cmd: PauseClock, now: float) -> list[Event]:
    ctx = _clock_ctx(contest, state, cmd.question)
    assert ctx.q.clock is not None
    if not ctx.q.clock.running:
        raise Rejected("paused", tr("Đồng hồ đang tạm dừng"))
    return [ClockPaused(at=now, question=ctx.question.id)]


def _resume(contest: Contest, state: ContestState, cmd: ResumeClock, now: float) -> list[Event]:
    ctx = _clock_ctx(contest, state, cmd.question)
    assert ctx.q.clock is not None
    if ctx.q.clock.running:
        raise Rejected("running", tr("Đồng hồ đang chạy"))
    if ctx.q.clock.remaining(now) <= 0:
        raise Rejected("time_up", tr("Đã hết giờ — hãy thêm giờ trước khi tiếp tục"))
    return [ClockResumed(at=now, question=ctx.question.id)]


def _add_time(contest: Contest, state: ContestState, cmd: AddTime, now: float) -> list[Event]:
    ctx = _clock_ctx(contest, state, cmd.question)
    if not 0 < cmd.seconds <= MAX_ADD_TIME:
        raise Rejected("bad_seconds", tr("Số giây thêm phải từ 1 đến {n}", n=int(MAX_ADD_TIME)))
    return [TimeAdded(at=now, question=ctx.question.id, seconds=float(cmd.seconds))]


def _scoreboard(
    contest: Contest, state: ContestState, cmd: ShowScoreboard, now: float
) -> list[Event]:
    if state.show_scoreboard == cmd.show:
        return []
    return [ScoreboardToggled(at=now, show=cmd.show)]


# Corrections ------------------------------------------------------------------------


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Rejected("reason_required", tr("Cần nhập lý do"))
    if len(reason) > MAX_REASON:
        raise Rejected("reason_too_long", tr("Lý do dài quá {n} ký tự", n=MAX_REASON))
    return reason


def _next_id(state: ContestState) -> int:
    return jury.next_correction_id(state)


def _team(contest: Contest, team: str) -> str:
    if contest.team(team) is None:
        raise Rejected("unknown_team", tr("Không có đội này"))
    return team


def _adjust(contest: Contest, state: ContestState, cmd: AdjustScore, now: float) -> list[Event]:
    reason = _reason(cmd.reason)
    team = _team(contest, cmd.team)
    if cmd.delta == 0 or abs(cmd.delta) > MAX_ADJUST:
        raise Rejected("bad_delta", tr("Số điểm điều chỉnh không hợp lệ"))
    return [ScoreAdjusted(at=now, id=_next_id(state), team=team, delta=cmd.delta, reason=reason)]


def _set_answer(contest: Contest, state: ContestState, cmd: SetAnswer, now: float) -> list[Event]:
    reason = _reason(cmd.reason)
    team = _team(contest, cmd.team)
    if cmd.question not in state.questions:
        raise Rejected("not_asked", tr("Câu hỏi này chưa được hỏi"))
    if contest.rounds[state.questions[cmd.question].round].format == judged.JudgedFormat.name:
        raise Rejected("judged", tr("Phần thi chấm điểm: hãy sửa điểm của giám khảo"))
    value = None
    if cmd.value is not None:
        try:
            value = parse(contest.questions[cmd.question], cmd.value)
        except BadAnswer as exc:
            raise Rejected("bad_answer", tr("Đáp án không hợp lệ: {error}", error=exc)) from exc
    elif cmd.correct is None:
        raise Rejected("no_answer", tr("Cần nhập đáp án hoặc kết quả đúng/sai"))
    return [
        AnswerSetByHand(
            at=now,
            id=_next_id(state),
            question=cmd.question,
            team=team,
            reason=reason,
            value=value,
            correct=cmd.correct,
        )
    ]


def _set_judge_score(
    contest: Contest, state: ContestState, cmd: SetJudgeScore, now: float
) -> list[Event]:
    reason = _reason(cmd.reason)
    return judged.decide_set_score(contest, state, cmd, now, reason, _next_id(state))


def _void(contest: Contest, state: ContestState, cmd: VoidQuestion, now: float) -> list[Event]:
    reason = _reason(cmd.reason)
    if cmd.question not in state.questions:
        raise Rejected("not_asked", tr("Câu hỏi này chưa được hỏi"))
    if any(
        c.kind == "void" and c.question == cmd.question and not c.undone for c in state.corrections
    ):
        raise Rejected("already_void", tr("Câu hỏi này đã bị hủy kết quả"))
    return [QuestionVoided(at=now, id=_next_id(state), question=cmd.question, reason=reason)]


def _undo(contest: Contest, state: ContestState, cmd: Undo, now: float) -> list[Event]:
    reason = _reason(cmd.reason)
    if cmd.id is not None:
        correction = state.correction(cmd.id)
        if correction is None:
            raise Rejected("unknown_correction", tr("Không có điều chỉnh này"))
        if correction.undone:
            raise Rejected("already_undone", tr("Điều chỉnh này đã được hoàn tác"))
        return [CorrectionUndone(at=now, id=correction.id, reason=reason)]
    items = undoable(state)
    if cmd.question is not None or cmd.team is not None:
        items = [i for i in items if i.question == cmd.question and i.attempt is not None]
        items = [i for i in items if i.attempt is not None and i.attempt.team == cmd.team]
        if not items:
            raise Rejected("nothing_to_undo", tr("Đội này không có kết quả chấm nào để hoàn tác"))
    if not items:
        raise Rejected("nothing_to_undo", tr("Không có điều chỉnh nào để hoàn tác"))
    item = items[0]
    if item.correction is not None:
        return [CorrectionUndone(at=now, id=item.correction.id, reason=reason)]
    assert item.attempt is not None and item.question is not None
    return [VerdictUndone(now, item.question, item.attempt.team, item.index, reason)]


_HANDLERS: dict[type[Command], Callable[[Contest, ContestState, Any, float], list[Event]]] = {
    CeremonyNext: ceremony.decide_ceremony,
    ShowRoundSummary: ceremony.decide_summary,
    StartRound: _start_round,
    ShowQuestion: _show,
    OpenAnswers: _open,
    CloseEarly: _close,
    Reveal: _reveal,
    PauseClock: _pause,
    ResumeClock: _resume,
    AddTime: _add_time,
    ShowScoreboard: _scoreboard,
    AdjustScore: _adjust,
    SetAnswer: _set_answer,
    SetJudgeScore: _set_judge_score,
    VoidQuestion: _void,
    Undo: _undo,
    **jury.HANDLERS,
    SelectTiebreak: tiebreak_state.decide_select,
    DrawLots: tiebreak_state.decide_lots,
}


# Folding events into the state (the shared folds are in folds.py) --------------------


def apply(contest: Contest, state: ContestState, event: Event) -> None:
    """Fold one event into `state` (in place): the shared fold, then the fold
    of the format of the round the event's question belongs to."""
    kind = type(event)
    shared = FOLDS.get(kind)
    if shared is not None:
        shared(contest, state, event)
    qid = getattr(event, "question", None)
    q = state.questions.get(qid) if isinstance(qid, str) else None
    own = FORMATS[contest.rounds[q.round].format].folds.get(kind) if q is not None else None
    of_round = FORMATS[contest.rounds[state.round].format].round_folds if state.round >= 0 else {}
    if own is not None:
        assert q is not None
        own(state, q, event)
    elif q is None and kind in of_round:
        of_round[kind](contest, state, event)  # an event of the round, naming no question
    elif shared is None:
        raise KeyError(f"no fold for {kind.__name__}")
    state.seq += 1


def replay(contest: Contest, events: list[Event]) -> ContestState:
    """The state after `events`, from the start."""
    state = ContestState()
    for event in events:
        apply(contest, state, event)
    return state
