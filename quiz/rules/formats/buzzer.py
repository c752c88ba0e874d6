"""Format `buzzer` (giành quyền trả lời): the first team to buzz answers.

Rules (contest-format.md): the MC shows the question with the buzzers closed;
they open when the MC opens them or after `read_time` seconds, and stay open
`buzz_window` seconds (nobody buzzing closes the question). A press before
they open locks the team out (`early_buzz: lockout`) or is dropped (`ignore`).
The first valid buzz wins, judged by press time: after the first buzz
arrives, the engine waits `settle` seconds (given by the service from the
measured network delays) for earlier presses still in flight, then names the
winner. The winner has `answer_time` seconds, answering aloud (the MC judges)
or on its tablet (judged automatically). Answering aloud, the end of
`answer_time` only stops the clock (AnswerTimeUp): the MC still judges, and
"hết giờ" scores as wrong; on a tablet, running out of time scores `wrong` at
once. With `rebound` the buzzers reopen for the teams that have not yet had a
turn to answer (a team that buzzed but lost the race keeps its chance).
Every press while the buzzers are open or a team is answering is kept
(`late` when another team was answering); a rebound adds to them. A verdict
taken back (VerdictUndone) no longer scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from quiz.rules.answers import BadAnswer, is_correct, parse
from quiz.rules.commands import Buzz, Command, Judge, SubmitAnswer
from quiz.rules.events import (
    AnswersClosed,
    AnswerTimeUp,
    BuzzersOpened,
    BuzzJudged,
    BuzzLockedOut,
    BuzzRecorded,
    BuzzWon,
    ClockStarted,
    Event,
)
from quiz.rules.formats import buzzer_view
from quiz.rules.formats.base import (
    CLOCK_PHASES,
    STEP_LABELS,
    Ctx,
    Fold,
    FormatBase,
    Rejected,
    TeamResult,
    Verdict,
    ViewCtx,
    apply_overrides,
)
from quiz.rules.formats.buzzer_state import FOLDS, BuzzerQuestion, attempt_points, mine
from quiz.rules.formats.buzzer_state import settings_of as _settings
from quiz.rules.formats.fields import Fields
from quiz.rules.formats.presses import elapsed_at_press, expired
from quiz.rules.model import BuzzerSettings, Phase, score_value
from quiz.rules.text import N_, tr

__all__ = ["BuzzerFormat", "attempt_points"]

_EARLY_BUZZ: tuple[Literal["lockout", "ignore"], ...] = ("lockout", "ignore")
_ANSWER_ON: tuple[Literal["voice", "tablet"], ...] = ("voice", "tablet")


class BuzzerFormat(FormatBase):
    name = "buzzer"
    title = N_("Giành quyền trả lời")
    round_keys = (
        "questions",
        "draw",
        "read_time",
        "buzz_window",
        "early_buzz",
        "answer_time",
        "answer_on",
        "rebound",
        "scoring",
    )
    scoring_keys = ("correct", "wrong")
    folds: Mapping[type[Event], Fold] = FOLDS

    def read_settings(self, fields: Fields) -> BuzzerSettings:
        defaults = BuzzerSettings()
        read_time = fields.number("read_time", 0)
        buzz_window = fields.number("buzz_window", 0, strictly_above=True)
        early_buzz = fields.one_of("early_buzz", _EARLY_BUZZ)
        answer_time = fields.number("answer_time", 0, strictly_above=True)
        answer_on = fields.one_of("answer_on", _ANSWER_ON)
        rebound = fields.boolean("rebound")
        scoring = fields.section("scoring", self.scoring_keys)
        correct = wrong = None
        if scoring is not None:
            correct = scoring.score("correct", may_be_negative=False)
            wrong = scoring.score("wrong", may_be_negative=True)
        return BuzzerSettings(
            read_time=defaults.read_time if read_time is None else read_time,
            buzz_window=defaults.buzz_window if buzz_window is None else buzz_window,
            early_buzz=early_buzz or defaults.early_buzz,
            answer_time=defaults.answer_time if answer_time is None else answer_time,
            answer_on=answer_on or defaults.answer_on,
            rebound=defaults.rebound if rebound is None else rebound,
            correct=defaults.correct if correct is None else correct,
            wrong=defaults.wrong if wrong is None else wrong,
        )

    def new_question_state(self) -> BuzzerQuestion:
        return BuzzerQuestion()

    def verdict_points(
        self, ctx: Ctx, verdict: str | None, attempt: int | None = None
    ) -> float | None:
        return attempt_points(ctx, verdict)

    def may_act(self, ctx: Ctx, team: str) -> bool:
        """Not locked out, and not yet had a turn to answer this question."""
        b = mine(ctx.q)
        return team not in b.locked_out and all(a.team != team for a in b.attempts)

    # views ---------------------------------------------------------------------

    def common(self, v: ViewCtx) -> dict[str, Any]:
        return {"buzz": buzzer_view.buzz_view(v)}

    def team(self, v: ViewCtx, team: str) -> dict[str, Any]:
        return {
            "allow_change": False,
            "buzzer": buzzer_view.buzzer_state(v.ctx.state, v.ctx.q, team),
            "answer_on": _settings(v.ctx).answer_on,
        }

    def mc_step(self, v: ViewCtx) -> dict[str, Any] | None:
        phase, q = v.ctx.state.phase, v.ctx.q
        attempts = mine(q).attempts
        time_up = (
            phase == Phase.ANSWERING and bool(attempts) and attempts[-1].time_up_at is not None
        )
        stopped = q.clock is not None and not q.clock.running and phase in CLOCK_PHASES
        if stopped and not (time_up and q.clock is not None and q.clock.elapsed >= q.clock.limit):
            return {"command": "resume", "label": tr(STEP_LABELS["resume"]), "question": q.id}
        if phase == Phase.SHOWN:
            return {"command": "open", "label": tr("Mở chuông"), "question": q.id}
        if phase == Phase.ANSWERING:
            return {
                "command": "judge",
                "label": tr("Hết giờ — chấm Đúng / Sai / Hết giờ")
                if time_up
                else tr(STEP_LABELS["judge"]),
                "question": q.id,
                "team": attempts[-1].team,
                "time_up": time_up,
            }
        return None

    # the flow ------------------------------------------------------------------

    def on_show(self, ctx: Ctx, now: float) -> list[Event]:
        read_time = _settings(ctx).read_time
        if read_time <= 0:
            return []
        return [ClockStarted(at=now, question=ctx.question.id, kind="read", limit=read_time)]

    def open(self, ctx: Ctx, now: float) -> list[Event]:
        return self._open_buzzers(ctx, now)

    def _open_buzzers(self, ctx: Ctx, at: float) -> list[Event]:
        qid = ctx.question.id
        window = _settings(ctx).buzz_window
        return [
            BuzzersOpened(at=at, question=qid),
            ClockStarted(at=at, question=qid, kind="buzz", limit=window),
        ]

    def close_early(self, ctx: Ctx, now: float) -> list[Event]:
        if ctx.state.phase != Phase.OPEN:
            raise Rejected("not_open", tr("Chỉ dừng sớm được khi đang mở chuông"))
        if mine(ctx.q).buzzes:
            raise Rejected("buzz_pending", tr("Đã có đội bấm chuông"))
        return [AnswersClosed(at=now, question=ctx.question.id, reason="mc")]

    def decide(self, ctx: Ctx, command: Command, now: float) -> list[Event]:
        if isinstance(command, Buzz):
            return self._buzz(ctx, command, now)
        if isinstance(command, Judge):
            return self._judge(ctx, command, now)
        if isinstance(command, SubmitAnswer):
            return self._answer(ctx, command, now)
        raise Rejected("not_allowed", tr("Phần thi này không có thao tác đó"))

    # buzzing -------------------------------------------------------------------

    def _buzz(self, ctx: Ctx, cmd: Buzz, now: float) -> list[Event]:
        q, b, phase, team = ctx.q, mine(ctx.q), ctx.state.phase, cmd.team
        if team in b.locked_out:
            raise Rejected("locked_out", tr("Bấm sớm — mất quyền trả lời câu này"))
        if any(a.team == team for a in b.attempts):
            raise Rejected("had_turn", tr("Đội đã trả lời câu này"))
        if phase == Phase.SHOWN:
            if _settings(ctx).early_buzz == "lockout":
                return [BuzzLockedOut(at=now, question=q.id, team=team)]
            raise Rejected("early", tr("Chưa được bấm chuông"))
        if phase == Phase.ANSWERING:
            return self._late_buzz(ctx, cmd, now)
        if phase != Phase.OPEN:
            raise Rejected("closed", tr("Đã hết thời gian bấm chuông"))
        if any(r.team == team for r in b.buzzes):
            return []  # pressed twice, or a replay: the first press stands
        elapsed = elapsed_at_press(q, cmd.at)
        decide_at = b.decide_at if b.decide_at is not None else now + max(0.0, cmd.settle)
        return [
            BuzzRecorded(
                at=now, question=q.id, team=team, pressed=cmd.at, time=elapsed, decide_at=decide_at
            )
        ]

    def _late_buzz(self, ctx: Ctx, cmd: Buzz, now: float) -> list[Event]:
        """A press while another team answers: kept in the order, it cannot win."""
        q, b = ctx.q, mine(ctx.q)
        if any(r.team == cmd.team and r.opening == b.openings for r in b.presses):
            return []  # already pressed in this opening: the first press stands
        since = b.opening_at if b.opening_at is not None else cmd.at
        elapsed = max(0.0, cmd.at - since)
        return [
            BuzzRecorded(
                at=now,
                question=q.id,
                team=cmd.team,
                pressed=cmd.at,
                time=elapsed,
                decide_at=now,
                late=True,
            )
        ]

    def _winner(self, ctx: Ctx) -> str:
        # Earliest press wins; equal presses go to the one that arrived first.
        ordered = sorted(enumerate(mine(ctx.q).buzzes), key=lambda ib: (ib[1].pressed, ib[0]))
        return ordered[0][1].team

    # answering -----------------------------------------------------------------

    def _judge(self, ctx: Ctx, cmd: Judge, now: float) -> list[Event]:
        attempt = self._current_attempt(ctx, cmd.team)
        verdict = cmd.verdict or ("correct" if cmd.correct else "wrong")
        if verdict not in ("correct", "wrong", "timeout"):
            raise Rejected("bad_verdict", tr("Kết quả phải là Đúng, Sai hoặc Hết giờ"))
        return self._after(ctx, now, BuzzJudged(now, ctx.q.id, attempt, verdict))

    def _answer(self, ctx: Ctx, cmd: SubmitAnswer, now: float) -> list[Event]:
        if _settings(ctx).answer_on != "tablet":
            raise Rejected("voice", tr("Đội trả lời trực tiếp, không gửi trên máy"))
        team = self._current_attempt(ctx, cmd.team)
        try:
            value = parse(ctx.question, cmd.value)
        except BadAnswer as exc:
            raise Rejected("bad_answer", tr("Đáp án không hợp lệ: {error}", error=exc)) from exc
        elapsed_at_press(ctx.q, cmd.at)
        verdict = "correct" if is_correct(ctx.question, value) else "wrong"
        return self._after(ctx, now, BuzzJudged(now, ctx.q.id, team, verdict, value))

    def _current_attempt(self, ctx: Ctx, team: str) -> str:
        if ctx.state.phase != Phase.ANSWERING or not mine(ctx.q).attempts:
            raise Rejected("not_answering", tr("Chưa có đội giành quyền trả lời"))
        if mine(ctx.q).attempts[-1].team != team:
            raise Rejected("not_your_turn", tr("Không phải lượt trả lời của đội này"))
        return team

    def _after(self, ctx: Ctx, now: float, judged: BuzzJudged) -> list[Event]:
        """The verdict, then either the end of the question or a rebound."""
        events: list[Event] = [judged]
        if judged.verdict == "correct":
            return events + [AnswersClosed(at=now, question=ctx.q.id, reason="answered")]
        if _settings(ctx).rebound and self._eligible(ctx, also_done=judged.team):
            return events + self._open_buzzers(ctx, now)
        return events + [AnswersClosed(at=now, question=ctx.q.id, reason="wrong")]

    def _eligible(self, ctx: Ctx, also_done: str) -> list[str]:
        done = {a.team for a in mine(ctx.q).attempts} | {also_done} | mine(ctx.q).locked_out
        return [t.id for t in ctx.contest.teams if t.id not in done]

    # time ----------------------------------------------------------------------

    def tick(self, ctx: Ctx, now: float) -> list[Event]:
        phase, q, b = ctx.state.phase, ctx.q, mine(ctx.q)
        if phase == Phase.OPEN and b.buzzes and b.decide_at is not None:
            if b.decide_at <= now:
                answer_time = _settings(ctx).answer_time
                return [
                    BuzzWon(at=now, question=q.id, team=self._winner(ctx)),
                    ClockStarted(at=now, question=q.id, kind="buzz_answer", limit=answer_time),
                ]
            return []
        deadline = expired(q, now)
        if deadline is None:
            return []
        if phase == Phase.SHOWN:
            return self._open_buzzers(ctx, deadline)
        if phase == Phase.OPEN:
            return [AnswersClosed(at=deadline, question=q.id, reason="nobody")]
        if phase == Phase.ANSWERING:
            team = b.attempts[-1].team
            if _settings(ctx).answer_on == "voice":
                return [AnswerTimeUp(at=deadline, question=q.id, team=team)]
            return self._after(ctx, deadline, BuzzJudged(deadline, q.id, team, "timeout"))
        return []

    def alarm(self, ctx: Ctx) -> float | None:
        phase, q, b = ctx.state.phase, ctx.q, mine(ctx.q)
        if phase == Phase.OPEN and b.buzzes and b.decide_at is not None:
            return b.decide_at
        if phase in (Phase.SHOWN, Phase.OPEN, Phase.ANSWERING) and q.clock:
            return q.clock.deadline()
        return None

    # scoring -------------------------------------------------------------------

    def score(
        self, ctx: Ctx, overrides: dict[str, Verdict], team_ids: list[str]
    ) -> dict[str, TeamResult]:
        settings = _settings(ctx)
        question = ctx.question
        results = {team: TeamResult() for team in team_ids}
        for attempt in mine(ctx.q).attempts:
            if attempt.verdict is None or attempt.undone or attempt.team not in results:
                continue
            result = results[attempt.team]
            result.value = attempt.value
            result.correct = attempt.verdict == "correct"
            result.time = attempt.buzz_time
        apply_overrides(results, overrides, question, settings.buzz_window)
        for result in results.values():
            if result.correct is None:
                continue
            if result.correct:
                result.points = score_value(settings.correct, question)
            else:
                result.points = score_value(settings.wrong, question)
                result.time = None
        return results
