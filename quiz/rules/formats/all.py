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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from quiz.rules.answers import BadAnswer, is_correct, parse
from quiz.rules.commands import Command, SubmitAnswer
from quiz.rules.events import AnswerAccepted, AnswersClosed, AnswersOpened, ClockStarted, Event
from quiz.rules.formats import all_view
from quiz.rules.formats.base import (
    Ctx,
    Fold,
    FormatBase,
    Rejected,
    TeamResult,
    Verdict,
    ViewCtx,
)
from quiz.rules.formats.fields import Fields
from quiz.rules.formats.presses import close_at_time_up, elapsed_at_press, time_up_alarm
from quiz.rules.formats.settings import read_speed
from quiz.rules.model import AllSettings, Phase, score_value
from quiz.rules.state import ContestState, QuestionState
from quiz.rules.text import N_, tr


@dataclass
class AnswerRecord:
    value: Any
    pressed: float
    time: float  # seconds of running clock from opening to the press
    nonce: str = ""


@dataclass
class AllQuestion:
    """The state of one question of an `all` round: each team's answer."""

    answers: dict[str, AnswerRecord] = field(default_factory=dict)
    # Every answer id each team's answers carried: a message that arrives late (sent
    # on a connection since lost, then resent and overtaken) never reverts a newer one.
    ids: dict[str, set[str]] = field(default_factory=dict)


def _mine(q: QuestionState) -> AllQuestion:
    assert isinstance(q.fmt, AllQuestion)
    return q.fmt


def _on_answer(state: ContestState, q: QuestionState, e: AnswerAccepted) -> None:
    _mine(q).answers[e.team] = AnswerRecord(e.value, e.pressed, e.time, e.nonce)
    if e.nonce:
        _mine(q).ids.setdefault(e.team, set()).add(e.nonce)


class AllFormat(FormatBase):
    name = "all"
    title = N_("Câu hỏi chung")
    round_keys = ("questions", "draw", "allow_change", "show_distribution", "scoring")
    scoring_keys = ("correct", "wrong", "missing", "speed")
    folds: Mapping[type[Event], Fold] = {AnswerAccepted: _on_answer}

    def read_settings(self, fields: Fields) -> AllSettings:
        defaults = AllSettings()
        allow_change = fields.boolean("allow_change")
        show_distribution = fields.boolean("show_distribution")
        settings = AllSettings(
            allow_change=defaults.allow_change if allow_change is None else allow_change,
            show_distribution=(
                defaults.show_distribution if show_distribution is None else show_distribution
            ),
        )
        scoring = fields.section("scoring", self.scoring_keys)
        if scoring is None:
            return settings
        correct = scoring.score("correct", may_be_negative=False)
        wrong = scoring.score("wrong", may_be_negative=True)
        missing = scoring.score("missing", may_be_negative=True)
        speed, ranked = read_speed(scoring)
        return AllSettings(
            allow_change=settings.allow_change,
            show_distribution=settings.show_distribution,
            correct=defaults.correct if correct is None else correct,
            wrong=defaults.wrong if wrong is None else wrong,
            missing=defaults.missing if missing is None else missing,
            speed=speed,
            ranked=ranked,
        )

    def new_question_state(self) -> AllQuestion:
        return AllQuestion()

    def board(self, v: ViewCtx) -> dict[str, Any]:
        return {"boards": all_view.boards(v)}

    def board_reveal(self, v: ViewCtx) -> dict[str, Any]:
        return {"distribution": all_view.distribution(v)}

    def team(self, v: ViewCtx, team: str) -> dict[str, Any]:
        return all_view.team(v, team)

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
            raise Rejected("not_allowed", tr("Phần thi này không có thao tác đó"))
        return self._submit(ctx, command)

    def _submit(self, ctx: Ctx, cmd: SubmitAnswer) -> list[Event]:
        phase = ctx.state.phase
        if phase == Phase.SHOWN:
            raise Rejected("not_open", tr("Chưa bắt đầu tính giờ"))
        if phase == Phase.REVEALED:
            raise Rejected("revealed", tr("Đã công bố đáp án"))
        if phase not in (Phase.OPEN, Phase.CLOSED):
            raise Rejected("not_open", tr("Chưa được trả lời"))
        previous = _mine(ctx.q).answers.get(cmd.team)
        if cmd.nonce and cmd.nonce in _mine(ctx.q).ids.get(cmd.team, ()):
            return []  # a replay of an answer already recorded (the latest or an older one)
        try:
            value = parse(ctx.question, cmd.value)
        except BadAnswer as exc:
            raise Rejected("bad_answer", tr("Đáp án không hợp lệ: {error}", error=exc)) from exc
        elapsed = elapsed_at_press(ctx.q, cmd.at)
        if previous is not None:
            settings = ctx.round.settings
            assert isinstance(settings, AllSettings)
            if not settings.allow_change:
                raise Rejected("locked", tr("Đáp án đã chốt"))
            if cmd.at < previous.pressed:
                raise Rejected("superseded", tr("Đội đã gửi một đáp án mới hơn"))
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
        return close_at_time_up(ctx, now)

    def alarm(self, ctx: Ctx) -> float | None:
        return time_up_alarm(ctx)

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
            record = _mine(ctx.q).answers.get(team)
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
