"""The rules of the contest as a pure state machine: decide, then apply.

`decide(contest, state, command, now)` returns the events a command causes, or
raises Rejected (code, Vietnamese message) and changes nothing.
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

from . import ceremony
from .answers import BadAnswer, parse
from .commands import (
    AddTime,
    AdjustScore,
    CeremonyNext,
    CloseEarly,
    Command,
    OpenAnswers,
    PauseClock,
    ResumeClock,
    Reveal,
    SetAnswer,
    ShowQuestion,
    ShowRoundSummary,
    ShowScoreboard,
    StartRound,
    Tick,
    Undo,
    VoidQuestion,
)
from .events import (
    AnswerAccepted,
    AnswersClosed,
    AnswerSetByHand,
    AnswersOpened,
    AnswerTimeUp,
    BuzzersOpened,
    BuzzJudged,
    BuzzLockedOut,
    BuzzRecorded,
    BuzzWon,
    CeremonyAdvanced,
    ClockPaused,
    ClockResumed,
    ClockStarted,
    ContestFinished,
    CorrectionUndone,
    Event,
    QuestionShown,
    QuestionVoided,
    Revealed,
    RoundStarted,
    RoundSummaryToggled,
    ScoreAdjusted,
    ScoreboardToggled,
    TimeAdded,
    VerdictUndone,
)
from .formats import FORMATS
from .formats.base import Ctx, Rejected
from .history import undoable
from .model import Contest, Phase
from .state import AnswerRecord, Attempt, BuzzRecord, Clock, ContestState, Correction, QuestionState

__all__ = ["Rejected", "decide", "apply", "next_alarm", "context", "replay"]

MAX_ADD_TIME = 600.0
MAX_ADJUST = 10000.0
MAX_REASON = 500
CLOCK_PHASES = (Phase.SHOWN, Phase.OPEN, Phase.ANSWERING)


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
        raise Rejected("no_question", "Chưa có câu hỏi nào đang diễn ra")
    if question is not None and question != ctx.question.id:
        raise Rejected("stale", "Câu hỏi đã thay đổi — thao tác này dành cho câu trước")
    return ctx


def decide(contest: Contest, state: ContestState, command: Command, now: float) -> list[Event]:
    """The events `command` causes at time `now`; raises Rejected if not allowed."""
    if isinstance(command, Tick):
        ctx = context(contest, state)
        return FORMATS[ctx.round.format].tick(ctx, now) if ctx else []
    handler = _HANDLERS.get(type(command))
    if handler is not None:
        return handler(contest, state, command, now)
    ctx = _current(contest, state, getattr(command, "question", None))
    return FORMATS[ctx.round.format].decide(ctx, command, now)


def next_alarm(contest: Contest, state: ContestState) -> float | None:
    """When a Tick will next have something to do, if ever."""
    ctx = context(contest, state)
    return FORMATS[ctx.round.format].alarm(ctx) if ctx else None


# The flow of the round --------------------------------------------------------


def _start_round(contest: Contest, state: ContestState, cmd: StartRound, now: float) -> list[Event]:
    if state.phase not in (Phase.LOBBY, Phase.INTRO, Phase.REVEALED):
        raise Rejected("busy", "Hãy kết thúc câu hỏi đang diễn ra trước")
    following = state.round + 1
    if following >= len(contest.rounds):
        if cmd.round is not None:
            raise Rejected("stale", "Không còn phần thi nào")
        return [ContestFinished(at=now)]
    if cmd.round is not None and cmd.round != contest.rounds[following].id:
        raise Rejected("stale", "Phần thi đã thay đổi")
    return [RoundStarted(at=now, round=following)]


def _next_index(contest: Contest, state: ContestState) -> int:
    q = state.question
    return q.index + 1 if q is not None and q.round == state.round else 0


def _show(contest: Contest, state: ContestState, cmd: ShowQuestion, now: float) -> list[Event]:
    if state.phase not in (Phase.INTRO, Phase.REVEALED):
        raise Rejected("busy", "Chưa thể chuyển câu hỏi lúc này")
    rnd = contest.rounds[state.round]
    index = _next_index(contest, state)
    if index >= len(rnd.question_ids):
        raise Rejected("round_over", "Đã hết câu hỏi của phần thi này")
    qid = rnd.question_ids[index]
    if cmd.question is not None and cmd.question != qid:
        raise Rejected("stale", "Câu hỏi đã thay đổi")
    shown = QuestionShown(at=now, question=qid, index=index)
    fmt = FORMATS[rnd.format]
    preview = ContestState(phase=Phase.SHOWN, round=state.round, current=qid)
    preview.questions[qid] = QuestionState(qid, state.round, index, now)
    ctx = Ctx(contest, preview, rnd, contest.questions[qid], preview.questions[qid])
    return [shown, *fmt.on_show(ctx, now)]


def _open(contest: Contest, state: ContestState, cmd: OpenAnswers, now: float) -> list[Event]:
    ctx = _current(contest, state, cmd.question)
    if state.phase != Phase.SHOWN:
        raise Rejected("not_shown", "Chỉ bắt đầu tính giờ khi câu hỏi vừa hiện")
    return FORMATS[ctx.round.format].open(ctx, now)


def _close(contest: Contest, state: ContestState, cmd: CloseEarly, now: float) -> list[Event]:
    ctx = _current(contest, state, cmd.question)
    if state.phase != Phase.OPEN:
        raise Rejected("not_open", "Chỉ dừng sớm được khi đang tính giờ")
    return FORMATS[ctx.round.format].close_early(ctx, now)


def _reveal(contest: Contest, state: ContestState, cmd: Reveal, now: float) -> list[Event]:
    ctx = _current(contest, state, cmd.question)
    if state.phase != Phase.CLOSED:
        raise Rejected("not_closed", "Chỉ công bố đáp án sau khi hết giờ")
    return [Revealed(at=now, question=ctx.question.id)]


def _clock_ctx(contest: Contest, state: ContestState, question: str) -> Ctx:
    ctx = _current(contest, state, question)
    if state.phase not in CLOCK_PHASES or ctx.q.clock is None:
        raise Rejected("no_clock", "Không có đồng hồ đang chạy")
    return ctx


def _pause(contest: Contest, state: ContestState, cmd: PauseClock, now: float) -> list[Event]:
    ctx = _clock_ctx(contest, state, cmd.question)
    assert ctx.q.clock is not None
    if not ctx.q.clock.running:
        raise Rejected("paused", "Đồng hồ đang tạm dừng")
    return [ClockPaused(at=now, question=ctx.question.id)]


def _resume(contest: Contest, state: ContestState, cmd: ResumeClock, now: float) -> list[Event]:
    ctx = _clock_ctx(contest, state, cmd.question)
    assert ctx.q.clock is not None
    if ctx.q.clock.running:
        raise Rejected("running", "Đồng hồ đang chạy")
    if ctx.q.clock.remaining(now) <= 0:
        raise Rejected("time_up", "Đã hết giờ — hãy thêm giờ trước khi tiếp tục")
    return [ClockResumed(at=now, question=ctx.question.id)]


def _add_time(contest: Contest, state: ContestState, cmd: AddTime, now: float) -> list[Event]:
    ctx = _clock_ctx(contest, state, cmd.question)
    if not 0 < cmd.seconds <= MAX_ADD_TIME:
        raise Rejected("bad_seconds", f"Số giây thêm phải từ 1 đến {int(MAX_ADD_TIME)}")
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
        raise Rejected("reason_required", "Cần nhập lý do")
    if len(reason) > MAX_REASON:
        raise Rejected("reason_too_long", f"Lý do dài quá {MAX_REASON} ký tự")
    return reason


def _next_id(state: ContestState) -> int:
    return state.corrections[-1].id + 1 if state.corrections else 1


def _team(contest: Contest, team: str) -> str:
    if contest.team(team) is None:
        raise Rejected("unknown_team", "Không có đội này")
    return team


def _adjust(contest: Contest, state: ContestState, cmd: AdjustScore, now: float) -> list[Event]:
    reason = _reason(cmd.reason)
    team = _team(contest, cmd.team)
    if cmd.delta == 0 or abs(cmd.delta) > MAX_ADJUST:
        raise Rejected("bad_delta", "Số điểm điều chỉnh không hợp lệ")
    return [ScoreAdjusted(at=now, id=_next_id(state), team=team, delta=cmd.delta, reason=reason)]


def _set_answer(contest: Contest, state: ContestState, cmd: SetAnswer, now: float) -> list[Event]:
    reason = _reason(cmd.reason)
    team = _team(contest, cmd.team)
    if cmd.question not in state.questions:
        raise Rejected("not_asked", "Câu hỏi này chưa được hỏi")
    value = None
    if cmd.value is not None:
        try:
            value = parse(contest.questions[cmd.question], cmd.value)
        except BadAnswer as exc:
            raise Rejected("bad_answer", f"Đáp án không hợp lệ: {exc}") from exc
    elif cmd.correct is None:
        raise Rejected("no_answer", "Cần nhập đáp án hoặc kết quả đúng/sai")
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


def _void(contest: Contest, state: ContestState, cmd: VoidQuestion, now: float) -> list[Event]:
    reason = _reason(cmd.reason)
    if cmd.question not in state.questions:
        raise Rejected("not_asked", "Câu hỏi này chưa được hỏi")
    if any(
        c.kind == "void" and c.question == cmd.question and not c.undone for c in state.corrections
    ):
        raise Rejected("already_void", "Câu hỏi này đã bị hủy kết quả")
    return [QuestionVoided(at=now, id=_next_id(state), question=cmd.question, reason=reason)]


def _undo(contest: Contest, state: ContestState, cmd: Undo, now: float) -> list[Event]:
    reason = _reason(cmd.reason)
    if cmd.id is not None:
        correction = state.correction(cmd.id)
        if correction is None:
            raise Rejected("unknown_correction", "Không có điều chỉnh này")
        if correction.undone:
            raise Rejected("already_undone", "Điều chỉnh này đã được hoàn tác")
        return [CorrectionUndone(at=now, id=correction.id, reason=reason)]
    items = undoable(state)
    if cmd.question is not None or cmd.team is not None:
        items = [i for i in items if i.question == cmd.question and i.attempt is not None]
        items = [i for i in items if i.attempt is not None and i.attempt.team == cmd.team]
        if not items:
            raise Rejected("nothing_to_undo", "Đội này không có kết quả chấm nào để hoàn tác")
    if not items:
        raise Rejected("nothing_to_undo", "Không có điều chỉnh nào để hoàn tác")
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
    VoidQuestion: _void,
    Undo: _undo,
}


# Folding events into the state ------------------------------------------------------


def apply(contest: Contest, state: ContestState, event: Event) -> None:
    """Fold one event into `state` (in place)."""
    _APPLY[type(event)](contest, state, event)
    state.seq += 1


def replay(contest: Contest, events: list[Event]) -> ContestState:
    """The state after `events`, from the start."""
    state = ContestState()
    for event in events:
        apply(contest, state, event)
    return state


def _q(state: ContestState, qid: str) -> QuestionState:
    return state.questions[qid]


def _on_round(contest: Contest, state: ContestState, e: RoundStarted) -> None:
    state.phase, state.round, state.show_scoreboard = Phase.INTRO, e.round, False
    state.summary = None


def _on_finished(contest: Contest, state: ContestState, e: ContestFinished) -> None:
    state.phase, state.show_scoreboard, state.summary = Phase.FINISHED, True, None


def _on_shown(contest: Contest, state: ContestState, e: QuestionShown) -> None:
    state.questions[e.question] = QuestionState(e.question, state.round, e.index, e.at)
    state.phase, state.current, state.show_scoreboard = Phase.SHOWN, e.question, False
    state.summary = None


def _on_clock(contest: Contest, state: ContestState, e: ClockStarted) -> None:
    _q(state, e.question).clock = Clock(kind=e.kind, limit=e.limit, since=e.at)


def _on_paused(contest: Contest, state: ContestState, e: ClockPaused) -> None:
    clock = _q(state, e.question).clock
    assert clock is not None
    clock.stop(e.at)


def _on_resumed(contest: Contest, state: ContestState, e: ClockResumed) -> None:
    clock = _q(state, e.question).clock
    assert clock is not None
    clock.since = e.at


def _on_time_added(contest: Contest, state: ContestState, e: TimeAdded) -> None:
    clock = _q(state, e.question).clock
    assert clock is not None
    clock.limit += e.seconds


def _on_opened(contest: Contest, state: ContestState, e: AnswersOpened) -> None:
    q = _q(state, e.question)
    state.phase, q.opened_at = Phase.OPEN, e.at


def _on_answer(contest: Contest, state: ContestState, e: AnswerAccepted) -> None:
    _q(state, e.question).answers[e.team] = AnswerRecord(e.value, e.pressed, e.time, e.nonce)


def _on_closed(contest: Contest, state: ContestState, e: AnswersClosed) -> None:
    q = _q(state, e.question)
    state.phase, q.closed_at, q.close_reason, q.decide_at = Phase.CLOSED, e.at, e.reason, None
    if q.clock is not None:
        q.clock.stop(e.at)


def _on_buzzers(contest: Contest, state: ContestState, e: BuzzersOpened) -> None:
    q = _q(state, e.question)
    state.phase = Phase.OPEN
    q.openings += 1
    q.buzzes, q.decide_at, q.opening_at = [], None, e.at  # `presses` keeps every opening's
    if q.opened_at is None:
        q.opened_at = e.at


def _on_lockout(contest: Contest, state: ContestState, e: BuzzLockedOut) -> None:
    _q(state, e.question).locked_out.add(e.team)


def _on_buzz(contest: Contest, state: ContestState, e: BuzzRecorded) -> None:
    q = _q(state, e.question)
    record = BuzzRecord(e.team, e.pressed, e.time, opening=q.openings, late=e.late)
    q.presses.append(record)
    if not e.late:
        q.buzzes.append(record)
        q.decide_at = e.decide_at


def _on_won(contest: Contest, state: ContestState, e: BuzzWon) -> None:
    q = _q(state, e.question)
    buzz = next(b for b in q.buzzes if b.team == e.team)
    q.attempts.append(Attempt(e.team, buzz.time, opening=q.openings))
    q.decide_at = None
    state.phase = Phase.ANSWERING


def _on_judged(contest: Contest, state: ContestState, e: BuzzJudged) -> None:
    attempt = _q(state, e.question).attempts[-1]
    attempt.verdict, attempt.value, attempt.judged_at = e.verdict, e.value, e.at


def _on_time_up(contest: Contest, state: ContestState, e: AnswerTimeUp) -> None:
    q = _q(state, e.question)
    if q.clock is not None:
        q.clock.stop(e.at)
    q.attempts[-1].time_up_at = e.at


def _on_verdict_undone(contest: Contest, state: ContestState, e: VerdictUndone) -> None:
    attempt = _q(state, e.question).attempts[e.attempt]
    attempt.undone, attempt.undo_reason, attempt.undone_at = True, e.reason, e.at


def _on_revealed(contest: Contest, state: ContestState, e: Revealed) -> None:
    _q(state, e.question).revealed = True
    state.phase = Phase.REVEALED


def _on_scoreboard(contest: Contest, state: ContestState, e: ScoreboardToggled) -> None:
    state.show_scoreboard = e.show


def _on_adjusted(contest: Contest, state: ContestState, e: ScoreAdjusted) -> None:
    state.corrections.append(Correction(e.id, "adjust", e.at, e.reason, team=e.team, delta=e.delta))


def _on_set_answer(contest: Contest, state: ContestState, e: AnswerSetByHand) -> None:
    state.corrections.append(
        Correction(
            e.id,
            "set_answer",
            e.at,
            e.reason,
            team=e.team,
            question=e.question,
            value=e.value,
            correct=e.correct,
        )
    )


def _on_voided(contest: Contest, state: ContestState, e: QuestionVoided) -> None:
    state.corrections.append(Correction(e.id, "void", e.at, e.reason, question=e.question))


def _on_undone(contest: Contest, state: ContestState, e: CorrectionUndone) -> None:
    correction = state.correction(e.id)
    assert correction is not None
    correction.undone, correction.undo_reason, correction.undone_at = True, e.reason, e.at


_APPLY: dict[type[Event], Callable[[Contest, ContestState, Any], None]] = {
    CeremonyAdvanced: ceremony.apply_ceremony,
    RoundSummaryToggled: ceremony.apply_summary,
    RoundStarted: _on_round,
    ContestFinished: _on_finished,
    QuestionShown: _on_shown,
    ClockStarted: _on_clock,
    ClockPaused: _on_paused,
    ClockResumed: _on_resumed,
    TimeAdded: _on_time_added,
    AnswersOpened: _on_opened,
    AnswerAccepted: _on_answer,
    AnswersClosed: _on_closed,
    BuzzersOpened: _on_buzzers,
    BuzzLockedOut: _on_lockout,
    BuzzRecorded: _on_buzz,
    BuzzWon: _on_won,
    BuzzJudged: _on_judged,
    AnswerTimeUp: _on_time_up,
    VerdictUndone: _on_verdict_undone,
    Revealed: _on_revealed,
    ScoreboardToggled: _on_scoreboard,
    ScoreAdjusted: _on_adjusted,
    AnswerSetByHand: _on_set_answer,
    QuestionVoided: _on_voided,
    CorrectionUndone: _on_undone,
}
