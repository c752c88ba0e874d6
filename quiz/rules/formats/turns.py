"""Format `turns` (câu hỏi riêng, gói câu hỏi): each team in turn answers its package.

Rules (contest-format.md, and the readings in docs/contest-format.md):
- The MC first fixes the order (`order: contest | reverse_rank | draw`; a draw
  is seeded by the round's `seed` and journalled with its result). Then, team
  by team: the team's package is chosen (`assign: pick`, the MC records it) or
  given (`in_order`: the n-th team to play gets the n-th package); with `pick`,
  the team chooses a value before each question and the next unused question
  of that value in its package is asked.
- Before a question is shown the team may place its one star of hope (from the
  MC console or its tablet); a star placed by mistake may be taken back until
  the question is shown. With the star the question scores
  `points x star.correct` if right and `points x star.wrong` if wrong or
  unanswered; without it, `points` if right and nothing otherwise.
- The MC starts the clock (the question's `time_limit`): the team answers aloud
  (`answer_on: voice`, the MC judges; time running out only stops the clock) or
  on its tablet (scored at once; time running out scores as wrong).
- Wrong or silent, with `steal.enabled`: the MC opens the steal; the other
  teams' buzzers are open `steal.window` seconds, timed as in `buzzer` (press
  times corrected for the link, a settle wait before the winner is named,
  every press kept with its time). The winner answers within
  `steal.answer_time` seconds: right scores `points x steal.correct` (taken
  from the team in turn too with `take_from_owner`), wrong
  `points x steal.wrong`.
- The MC may skip an absent team (with a reason) whenever no question is shown.

Here: a question's flow and its scores. The settings are read in turns_file,
the steps between questions decided in turns_round, the screens in turns_view.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quiz.rules.answers import BadAnswer, is_correct, parse
from quiz.rules.commands import (
    Buzz,
    ChoosePackage,
    ChooseValue,
    Command,
    DecideOrder,
    Judge,
    OpenSteal,
    PlaceStar,
    RemoveStar,
    SkipTeam,
    SubmitAnswer,
)
from quiz.rules.events import (
    AnswersClosed,
    AnswerTimeUp,
    BuzzersOpened,
    BuzzJudged,
    BuzzRecorded,
    BuzzWon,
    ClockStarted,
    Event,
    TurnAnswerOpened,
)
from quiz.rules.formats import turns_file, turns_round, turns_view
from quiz.rules.formats.base import (
    Ctx,
    Fold,
    FormatBase,
    Rejected,
    RoundFold,
    TeamResult,
    Verdict,
    ViewCtx,
    apply_overrides,
)
from quiz.rules.formats.fields import Fields
from quiz.rules.formats.presses import elapsed_at_press, expired
from quiz.rules.formats.turns_state import (
    FOLDS,
    ROUND_FOLDS,
    Package,
    TurnsQuestion,
    TurnsRound,
    TurnsSettings,
    mine,
    next_question_id,
)
from quiz.rules.model import Contest, Phase
from quiz.rules.state import ContestState
from quiz.rules.text import N_, tr

__all__ = ["TurnsFormat", "TurnsSettings", "Package"]


def _settings(ctx: Ctx) -> TurnsSettings:
    settings = ctx.round.settings
    assert isinstance(settings, TurnsSettings)
    return settings


class TurnsFormat(FormatBase):
    name = "turns"
    title = N_("Câu hỏi riêng — gói câu hỏi")
    round_keys = ("packages", "assign", "order", "seed", "star", "steal", "answer_on")
    folds: Mapping[type[Event], Fold] = FOLDS
    round_folds: Mapping[type[Event], RoundFold] = ROUND_FOLDS
    round_commands = (DecideOrder, ChoosePackage, ChooseValue, PlaceStar, RemoveStar, SkipTeam)

    # the contest file (turns_file) ----------------------------------------------

    def read_settings(self, fields: Fields) -> TurnsSettings:
        return turns_file.read_settings(fields)

    def check_teams(self, settings: object, teams: int) -> str | None:
        """A contest-level rule: at least as many packages as teams."""
        return turns_file.check_teams(settings, teams)

    # state ---------------------------------------------------------------------

    def new_question_state(self) -> TurnsQuestion:
        return TurnsQuestion()

    def new_round_state(self) -> TurnsRound:
        return TurnsRound()

    def next_question(self, contest: Contest, state: ContestState) -> int | None:
        qid = next_question_id(contest, state)
        if qid is None:
            return None
        return contest.rounds[state.round].question_ids.index(qid)

    def may_act(self, ctx: Ctx, team: str) -> bool:
        tq = mine(ctx.q)
        return team != tq.owner and all(a.team != team for a in tq.attempts)

    # between questions (turns_round) ---------------------------------------------

    def decide_round(
        self, contest: Contest, state: ContestState, command: Command, now: float
    ) -> list[Event]:
        return turns_round.decide_round(contest, state, command, now)

    def round_step(self, contest: Contest, state: ContestState) -> dict[str, Any] | None:
        return turns_view.round_step(contest, state)

    def round_view(self, contest: Contest, state: ContestState, team: str | None) -> dict[str, Any]:
        return turns_view.round_view(contest, state, team)

    # a question ----------------------------------------------------------------

    def open(self, ctx: Ctx, now: float) -> list[Event]:
        owner = mine(ctx.q).owner
        return [
            TurnAnswerOpened(at=now, question=ctx.q.id, team=owner),
            ClockStarted(
                at=now, question=ctx.q.id, kind="answer", limit=float(ctx.question.time_limit)
            ),
        ]

    def close_early(self, ctx: Ctx, now: float) -> list[Event]:
        tq = mine(ctx.q)
        if ctx.state.phase != Phase.OPEN or tq.openings == 0:
            raise Rejected("not_open", tr("Chỉ dừng sớm được khi đang mở quyền cướp điểm"))
        if tq.buzzes:
            raise Rejected("buzz_pending", tr("Đã có đội bấm chuông"))
        return [AnswersClosed(at=now, question=ctx.q.id, reason="nobody")]

    def decide(self, ctx: Ctx, command: Command, now: float) -> list[Event]:
        if isinstance(command, Judge):
            return self._judge(ctx, command, now)
        if isinstance(command, SubmitAnswer):
            return self._answer(ctx, command, now)
        if isinstance(command, Buzz):
            return self._buzz(ctx, command, now)
        if isinstance(command, OpenSteal):
            return self._open_steal(ctx, now)
        raise Rejected("not_allowed", tr("Phần thi này không có thao tác đó"))

    def _answering(self, ctx: Ctx, team: str) -> None:
        tq = mine(ctx.q)
        if ctx.state.phase != Phase.ANSWERING or not tq.attempts:
            raise Rejected("not_answering", tr("Chưa đến lúc trả lời"))
        current = tq.attempts[-1]
        if current.verdict is not None or current.team != team:
            raise Rejected("not_your_turn", tr("Không phải lượt trả lời của đội này"))

    def _judge(self, ctx: Ctx, cmd: Judge, now: float) -> list[Event]:
        self._answering(ctx, cmd.team)
        verdict = cmd.verdict or ("correct" if cmd.correct else "wrong")
        if verdict not in ("correct", "wrong", "timeout"):
            raise Rejected("bad_verdict", tr("Kết quả phải là Đúng, Sai hoặc Hết giờ"))
        return self._after(ctx, now, BuzzJudged(now, ctx.q.id, cmd.team, verdict))

    def _answer(self, ctx: Ctx, cmd: SubmitAnswer, now: float) -> list[Event]:
        if _settings(ctx).answer_on != "tablet":
            raise Rejected("voice", tr("Đội trả lời trực tiếp, không gửi trên máy"))
        self._answering(ctx, cmd.team)
        try:
            value = parse(ctx.question, cmd.value)
        except BadAnswer as exc:
            raise Rejected("bad_answer", tr("Đáp án không hợp lệ: {error}", error=exc)) from exc
        elapsed_at_press(ctx.q, cmd.at)
        verdict = "correct" if is_correct(ctx.question, value) else "wrong"
        return self._after(ctx, now, BuzzJudged(now, ctx.q.id, cmd.team, verdict, value))

    def _after(self, ctx: Ctx, now: float, judged: BuzzJudged) -> list[Event]:
        """The verdict, then the end of the question, or (the owner missed) the
        MC's choice to open the steal."""
        tq = mine(ctx.q)
        events: list[Event] = [judged]
        if judged.verdict == "correct":
            return events + [AnswersClosed(at=now, question=ctx.q.id, reason="answered")]
        if judged.team == tq.owner and _settings(ctx).steal and self._thieves(ctx):
            return events  # the MC opens the steal (OpenSteal)
        return events + [AnswersClosed(at=now, question=ctx.q.id, reason="wrong")]

    def _thieves(self, ctx: Ctx) -> list[str]:
        return [t.id for t in ctx.contest.teams if self.may_act(ctx, t.id)]

    def _open_steal(self, ctx: Ctx, now: float) -> list[Event]:
        tq = mine(ctx.q)
        owner_missed = (
            ctx.state.phase == Phase.ANSWERING
            and len(tq.attempts) == 1
            and tq.attempts[0].verdict in ("wrong", "timeout")
        )
        if not _settings(ctx).steal:
            raise Rejected("no_steal", tr("Phần thi này không có quyền cướp điểm"))
        if not owner_missed or tq.openings:
            raise Rejected(
                "not_missed", tr("Chỉ mở cướp điểm khi đội trả lời sai hoặc không trả lời")
            )
        window = _settings(ctx).steal_window
        return [
            BuzzersOpened(at=now, question=ctx.q.id),
            ClockStarted(at=now, question=ctx.q.id, kind="buzz", limit=window),
        ]

    def _buzz(self, ctx: Ctx, cmd: Buzz, now: float) -> list[Event]:
        q, tq, phase, team = ctx.q, mine(ctx.q), ctx.state.phase, cmd.team
        if team == tq.owner:
            raise Rejected("owner", tr("Đội đang trong lượt không bấm chuông cướp điểm"))
        if any(a.team == team for a in tq.attempts):
            raise Rejected("had_turn", tr("Đội đã trả lời câu này"))
        if tq.openings == 0:
            raise Rejected("steal_closed", tr("Chưa mở quyền cướp điểm"))
        if phase == Phase.ANSWERING:  # another team is answering: kept, cannot win
            if any(r.team == team for r in tq.presses):
                return []
            since = tq.opening_at if tq.opening_at is not None else cmd.at
            return [
                BuzzRecorded(
                    now, q.id, team, cmd.at, max(0.0, cmd.at - since), decide_at=now, late=True
                )
            ]
        if phase != Phase.OPEN:
            raise Rejected("closed", tr("Đã hết thời gian cướp điểm"))
        if any(r.team == team for r in tq.buzzes):
            return []  # pressed twice, or a replay: the first press stands
        elapsed = elapsed_at_press(q, cmd.at)
        decide_at = tq.decide_at if tq.decide_at is not None else now + max(0.0, cmd.settle)
        return [BuzzRecorded(now, q.id, team, cmd.at, elapsed, decide_at=decide_at)]

    def tick(self, ctx: Ctx, now: float) -> list[Event]:
        phase, q, tq = ctx.state.phase, ctx.q, mine(ctx.q)
        if phase == Phase.OPEN and tq.buzzes and tq.decide_at is not None:
            if tq.decide_at > now:
                return []
            first = sorted(enumerate(tq.buzzes), key=lambda ib: (ib[1].pressed, ib[0]))[0][1]
            limit = _settings(ctx).steal_answer_time
            return [
                BuzzWon(at=now, question=q.id, team=first.team),
                ClockStarted(at=now, question=q.id, kind="buzz_answer", limit=limit),
            ]
        deadline = expired(q, now)
        if deadline is None:
            return []
        if phase == Phase.OPEN:
            return [AnswersClosed(at=deadline, question=q.id, reason="nobody")]
        if phase == Phase.ANSWERING and tq.attempts and tq.attempts[-1].verdict is None:
            team = tq.attempts[-1].team
            if _settings(ctx).answer_on == "voice":
                return [AnswerTimeUp(at=deadline, question=q.id, team=team)]
            return self._after(ctx, deadline, BuzzJudged(deadline, q.id, team, "timeout"))
        return []

    def alarm(self, ctx: Ctx) -> float | None:
        phase, q, tq = ctx.state.phase, ctx.q, mine(ctx.q)
        if phase == Phase.OPEN and tq.buzzes and tq.decide_at is not None:
            return tq.decide_at
        if phase in (Phase.OPEN, Phase.ANSWERING) and q.clock:
            return q.clock.deadline()
        return None

    # scoring -------------------------------------------------------------------

    def score(
        self, ctx: Ctx, overrides: dict[str, Verdict], team_ids: list[str]
    ) -> dict[str, TeamResult]:
        settings, question, q, tq = _settings(ctx), ctx.question, ctx.q, mine(ctx.q)
        points = float(question.points)
        results = {team: TeamResult() for team in team_ids}
        for index, attempt in enumerate(tq.attempts):
            if attempt.verdict is None or attempt.undone or attempt.team not in results:
                continue
            result = results[attempt.team]
            result.value, result.correct = attempt.value, attempt.verdict == "correct"
            if index == 0 and attempt.judged_at is not None and q.opened_at is not None:
                result.time = max(0.0, attempt.judged_at - q.opened_at)
            else:
                result.time = attempt.buzz_time
        apply_overrides(results, overrides, question, float(question.time_limit))
        owner = results.get(tq.owner)
        if owner is not None:
            if owner.correct:
                owner.points = points * (settings.star_correct if tq.star else 1)
            elif tq.star and (owner.correct is False or q.closed_at is not None):
                owner.points = points * settings.star_wrong  # wrong, or never answered
        for team, result in results.items():
            if team == tq.owner or result.correct is None:
                continue
            if result.correct:
                result.points = points * settings.steal_correct
                if settings.steal_take_from_owner and owner is not None:
                    owner.points -= result.points
            else:
                result.points = points * settings.steal_wrong
        for result in results.values():
            if not result.correct:
                result.time = None
        return results

    def verdict_points(
        self, ctx: Ctx, verdict: str | None, attempt: int | None = None
    ) -> float | None:
        if verdict is None:
            return None
        return turns_view.verdict_points(ctx, verdict, attempt)

    # views ---------------------------------------------------------------------

    def common(self, v: ViewCtx) -> dict[str, Any]:
        return {"turn": turns_view.turn_view(v)}

    def team(self, v: ViewCtx, team: str) -> dict[str, Any]:
        return turns_view.team_part(v, team)

    def mc_step(self, v: ViewCtx) -> dict[str, Any] | None:
        return turns_view.mc_step(v)
