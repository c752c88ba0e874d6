"""When a press or an answer counts: the running clock at the moment it was
made (every format that times answers uses these)."""

from __future__ import annotations

from quiz.rules.events import AnswersClosed, Event
from quiz.rules.formats.base import Ctx, Rejected
from quiz.rules.model import Phase
from quiz.rules.state import QuestionState
from quiz.rules.text import tr


def elapsed_at_press(q: QuestionState, at: float) -> float:
    """Seconds of running clock at press time `at`; Rejected if not in time.

    A press is in time when the clock had not run out at the moment of the
    press: while the clock runs, its elapsed time at `at` is within the limit;
    while it is paused (or stopped at time up), the press came before it
    stopped. A press stamped before the clock started counts as at the start.
    """
    clock = q.clock
    if clock is None:
        raise Rejected("not_open", tr("Chưa bắt đầu tính giờ"))
    if q.closed_at is not None and at > q.closed_at + 1e-9:
        raise Rejected("late", tr("Hết giờ — đáp án gửi sau thời hạn"))
    if not clock.running:
        if clock.paused_at is not None and at > clock.paused_at + 1e-9:
            if clock.remaining(at) <= 0:
                raise Rejected("late", tr("Hết giờ — đáp án gửi sau thời hạn"))
            raise Rejected("paused", tr("Đồng hồ đang tạm dừng"))
    elapsed = max(0.0, clock.elapsed_at(at))
    if elapsed > clock.limit + 1e-9:
        raise Rejected("late", tr("Hết giờ — đáp án gửi sau thời hạn"))
    return elapsed


def expired(q: QuestionState, now: float) -> float | None:
    """The deadline of the running clock, if it has passed by `now`."""
    deadline = q.clock.deadline() if q.clock else None
    if deadline is not None and deadline <= now:
        return deadline
    return None


def close_at_time_up(ctx: Ctx, now: float) -> list[Event]:
    """Answering that is open closes when its clock runs out (a format's tick)."""
    deadline = expired(ctx.q, now) if ctx.state.phase == Phase.OPEN else None
    if deadline is None:
        return []
    return [AnswersClosed(at=deadline, question=ctx.question.id, reason="time")]


def time_up_alarm(ctx: Ctx) -> float | None:
    """When open answering's clock runs out (a format's alarm)."""
    if ctx.state.phase == Phase.OPEN and ctx.q.clock:
        return ctx.q.clock.deadline()
    return None
