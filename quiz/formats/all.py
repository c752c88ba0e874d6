"""Format `all` (câu hỏi chung): every team answers the same question.

Rules (contest-format.md): the MC shows the question (answering closed), opens
answering (the clock starts), each team submits one answer (with
`allow_change`, the last one pressed in time counts, timed from its press);
at time up (or when the MC closes early) the raised boards are shown; the MC
reveals the answer and the points are added, by `scoring` with `speed`
none | linear | ranked.
"""

from __future__ import annotations

import math

from ..answers import BadAnswer, is_correct, parse
from ..commands import Command, SubmitAnswer
from ..events import AnswerAccepted, AnswersClosed, AnswersOpened, ClockStarted, Event
from ..model import AllSettings, Phase, score_value
from .base import Ctx, Rejected, TeamResult, Verdict, expired, press_time


class AllFormat:
    name = "all"

    def on_show(self, ctx: Ctx, now: float) -> list[Event]:
        return []

    def open(self, ctx: Ctx, now: float) -> list[Event]:
        qid = ctx.question.id
        return [
            AnswersOpened(at=now, question=qid),
            ClockStarted(at=now, question=qid, kind="answer", limit=ctx.question.time_limit),
        ]

    def close_early(self, ctx: Ctx, now: float) -> list[Event]:
        return [AnswersClosed(at=now, question=ctx.question.id, reason="mc")]

    def decide(self, ctx: Ctx, command: Command, now: float) -> list[Event]:
        if not isinstance(command, SubmitAnswer):
            raise Rejected("not_allowed", "Phần thi này không có thao tác đó")
        return self._submit(ctx, command)

    def _submit(self, ctx: Ctx, cmd: SubmitAnswer) -> list[Event]:
        phase = ctx.state.phase
        if phase == Phase.SHOWN:
            raise Rejected("not_open", "Chưa bắt đầu tính giờ")
        if phase == Phase.REVEALED:
            raise Rejected("revealed", "Đã công bố đáp án")
        if phase not in (Phase.OPEN, Phase.CLOSED):
            raise Rejected("not_open", "Chưa được trả lời")
        previous = ctx.q.answers.get(cmd.team)
        if previous is not None and cmd.nonce and previous.nonce == cmd.nonce:
            return []  # a replay of the answer already recorded
        try:
            value = parse(ctx.question, cmd.value)
        except BadAnswer as exc:
            raise Rejected("bad_answer", f"Đáp án không hợp lệ: {exc}") from exc
        elapsed = press_time(ctx.q, cmd.at)
        if previous is not None:
            settings = ctx.round.settings
            assert isinstance(settings, AllSettings)
            if not settings.allow_change:
                raise Rejected("locked", "Đáp án đã chốt")
            if cmd.at < previous.pressed:
                raise Rejected("superseded", "Đội đã gửi một đáp án mới hơn")
        return [
            AnswerAccepted(
                at=cmd.at,
                question=ctx.question.id,
                team=cmd.team,
                value=value,
                pressed=cmd.at,
                time=elapsed,
                nonce=cmd.nonce,
            )
        ]

    def tick(self, ctx: Ctx, now: float) -> list[Event]:
        deadline = expired(ctx.q, now) if ctx.state.phase == Phase.OPEN else None
        if deadline is None:
            return []
        return [AnswersClosed(at=deadline, question=ctx.question.id, reason="time")]

    def alarm(self, ctx: Ctx) -> float | None:
        if ctx.state.phase == Phase.OPEN and ctx.q.clock:
            return ctx.q.clock.deadline()
        return None

    def score(
        self, ctx: Ctx, overrides: dict[str, Verdict], team_ids: list[str]
    ) -> dict[str, TeamResult]:
        settings = ctx.round.settings
        assert isinstance(settings, AllSettings)
        question = ctx.question
        results: dict[str, TeamResult] = {}
        if not ctx.q.revealed:
            return {team: TeamResult() for team in team_ids}
        for team in team_ids:
            record = ctx.q.answers.get(team)
            override = overrides.get(team)
            result = TeamResult()
            if record is not None:
                result.value, result.time = record.value, record.time
            if override is not None:
                result.by_hand = True
                if override.value is not None:
                    result.value = override.value
                    if result.time is None:
                        result.time = float(question.time_limit)
            if result.value is not None or (override and override.correct is not None):
                if override is not None and override.correct is not None:
                    result.correct = override.correct
                else:
                    result.correct = is_correct(question, result.value)
                if result.time is None:
                    result.time = float(question.time_limit)
            results[team] = result
        self._points(settings, ctx, results)
        return results

    def _points(self, settings: AllSettings, ctx: Ctx, results: dict[str, TeamResult]) -> None:
        question = ctx.question
        full = score_value(settings.correct, question)
        for result in results.values():
            if result.correct is None:
                result.points = score_value(settings.missing, question)
                result.time = None
            elif not result.correct:
                result.points = score_value(settings.wrong, question)
                result.time = None
            elif settings.speed == "linear":
                t = min(max(result.time or 0.0, 0.0), float(question.time_limit))
                result.points = (
                    full if t < 0.5 else round_half_up(full * (1 - t / (2 * question.time_limit)))
                )
            else:
                result.points = full
        if settings.speed == "ranked" and settings.ranked:
            right = sorted((r for r in results.values() if r.correct), key=lambda r: r.time or 0.0)
            values = settings.ranked
            for position, result in enumerate(right):
                first = position
                while first > 0 and right[first - 1].time == result.time:
                    first -= 1
                result.points = float(values[min(first, len(values) - 1)])


def round_half_up(value: float) -> float:
    """Round to a whole number, halves up (what a scorekeeper does by hand)."""
    return float(math.floor(value + 0.5))
