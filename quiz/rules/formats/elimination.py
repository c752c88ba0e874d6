"""Format `elimination` (Rung chuông vàng): individual players on one floor.

Rules (contest-format.md): every player on the floor answers the same
question, as in `all` (one answer, timed from its press); at the reveal
every player on the floor whose answer is wrong or missing leaves it.
`all_out: restore` puts everyone back when the whole floor is wrong;
`all_out: end` ends the round there. Between questions the MC may call a
rescue (`all`, `question`, `pick`) within `rescue.max` and `rescue.when_below`.
The round ends when one player is left (unless `play_to_end`), or when its
questions run out; answering the final question right rings the golden bell.

A player acts as `SubmitAnswer.team` = its number (SBD): the same command,
replay guard and coalesced push as a team's answer. The floor itself is
derived (elimination_floor.py); only answers, rescues and corrections are
events. Team results (`team_points: true`) add each right answer's points
to the player's team.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quiz.rules.answers import BadAnswer, parse
from quiz.rules.commands import (
    CallRescue,
    Command,
    ReinstatePlayer,
    SetPlayerAnswer,
    SubmitAnswer,
)
from quiz.rules.events import (
    AnswerAccepted,
    AnswersClosed,
    AnswerSetByHand,
    AnswersOpened,
    ClockStarted,
    Event,
    PlayerReinstated,
    QuestionShown,
    RescueCalled,
)
from quiz.rules.formats import elimination_file
from quiz.rules.formats import elimination_view as view
from quiz.rules.formats.base import (
    Ctx,
    Fold,
    FormatBase,
    Rejected,
    TeamResult,
    Verdict,
    ViewCtx,
)
from quiz.rules.formats.elimination_floor import (
    Answer,
    EliminationSettings,
    ElimQuestion,
    floor,
    mine,
    over,
    results,
    settings_of,
)
from quiz.rules.formats.fields import Fields
from quiz.rules.formats.presses import close_at_time_up, elapsed_at_press, time_up_alarm
from quiz.rules.model import Contest, Phase
from quiz.rules.state import ContestState, Correction, QuestionState
from quiz.rules.text import N_, tr

MAX_REASON = 500
MAX_PICK = 1000


def _on_answer(state: ContestState, q: QuestionState, e: AnswerAccepted) -> None:
    mine(q).answers[e.team] = Answer(e.value, e.pressed, e.time, e.nonce)
    if e.nonce:
        mine(q).ids.setdefault(e.team, set()).add(e.nonce)


def _on_shown(state: ContestState, q: QuestionState, e: QuestionShown) -> None:
    pending = getattr(state.round_fmt, "rescue_question", None)
    mine(q).rescue = pending is not None and e.question == pending


def _on_rescue(state: ContestState, q: QuestionState, e: RescueCalled) -> None:
    mine(q).rescues.append(e)
    if isinstance(state.round_fmt, ElimRound):
        state.round_fmt.rescue_question = e.rescue_question


def _on_reinstated(state: ContestState, q: QuestionState, e: PlayerReinstated) -> None:
    state.corrections.append(
        Correction(e.id, "reinstate", e.at, e.reason, question=e.question, player=e.player)
    )


@dataclass
class ElimRound:
    """Across the round: the rescue question just called, which the next
    QuestionShown shows (read by its fold)."""

    rescue_question: str | None = None


def _reason(text: str) -> str:
    text = text.strip()
    if not text:
        raise Rejected("reason_required", tr("Cần nhập lý do"))
    if len(text) > MAX_REASON:
        raise Rejected("reason_too_long", tr("Lý do dài quá {n} ký tự", n=MAX_REASON))
    return text


def _next_id(state: ContestState) -> int:
    return state.corrections[-1].id + 1 if state.corrections else 1


class EliminationFormat(FormatBase):
    name = "elimination"
    team_devices = False  # the players' phones
    title = N_("Rung chuông vàng")
    round_keys = ("questions", "draw", "all_out", "rescue", "play_to_end", "team_points")
    scoring_keys = ()
    folds: Mapping[type[Event], Fold] = {
        AnswerAccepted: _on_answer,
        QuestionShown: _on_shown,
        RescueCalled: _on_rescue,
        PlayerReinstated: _on_reinstated,
    }

    # the contest file (elimination_file) --------------------------------------

    def read_settings(self, fields: Fields) -> EliminationSettings:
        return elimination_file.read_settings(fields)

    # state ---------------------------------------------------------------------

    def new_question_state(self) -> ElimQuestion:
        return ElimQuestion()

    def new_round_state(self) -> ElimRound:
        return ElimRound()

    # the flow ------------------------------------------------------------------

    def next_question(self, contest: Contest, state: ContestState) -> int | None:
        f = floor(contest, state)
        if over(contest, state, f):
            return None
        return f.asked

    def may_act(self, ctx: Ctx, team: str) -> bool:
        f = floor(ctx.contest, ctx.state, ctx.q.round)
        standing = f.players.get(team)
        if standing is None:
            return False
        if mine(ctx.q).rescue:
            return team in f.out_before
        return standing.on

    def open(self, ctx: Ctx, now: float) -> list[Event]:
        qid = ctx.question.id
        return [
            AnswersOpened(at=now, question=qid),
            ClockStarted(at=now, question=qid, kind="answer", limit=ctx.question.time_limit),
        ]

    def close_early(self, ctx: Ctx, now: float) -> list[Event]:
        return [AnswersClosed(at=now, question=ctx.question.id, reason="mc")]

    def tick(self, ctx: Ctx, now: float) -> list[Event]:
        return close_at_time_up(ctx, now)

    def alarm(self, ctx: Ctx) -> float | None:
        return time_up_alarm(ctx)

    def verdict_points(
        self, ctx: Ctx, verdict: str | None, attempt: int | None = None
    ) -> float | None:
        return None

    def decide(self, ctx: Ctx, command: Command, now: float) -> list[Event]:
        if isinstance(command, SubmitAnswer):
            return self._answer(ctx, command)
        if isinstance(command, CallRescue):
            return self._rescue(ctx, command, now)
        if isinstance(command, ReinstatePlayer):
            return self._reinstate(ctx, command, now)
        if isinstance(command, SetPlayerAnswer):
            return self._set_answer(ctx, command, now)
        raise Rejected("not_allowed", tr("Phần thi này không có thao tác đó"))

    def _answer(self, ctx: Ctx, cmd: SubmitAnswer) -> list[Event]:
        if ctx.contest.player(cmd.team) is None:
            raise Rejected("forbidden", tr("Phần thi này dành cho thí sinh"))
        phase = ctx.state.phase
        if phase == Phase.SHOWN:
            raise Rejected("not_open", tr("Chưa bắt đầu tính giờ"))
        if phase == Phase.REVEALED:
            raise Rejected("revealed", tr("Đã công bố đáp án"))
        if phase not in (Phase.OPEN, Phase.CLOSED):
            raise Rejected("not_open", tr("Chưa được trả lời"))
        previous = mine(ctx.q).answers.get(cmd.team)
        if cmd.nonce and cmd.nonce in mine(ctx.q).ids.get(cmd.team, ()):
            return []  # a replay of an answer already recorded (the latest or an older one)
        if not self.may_act(ctx, cmd.team):
            if mine(ctx.q).rescue:
                raise Rejected(
                    "on_floor", tr("Câu hỏi cứu trợ dành cho thí sinh đã rời sàn thi đấu")
                )
            raise Rejected("eliminated", tr("Bạn đã rời sàn thi đấu — chỉ trả lời câu hỏi cứu trợ"))
        try:
            value = parse(ctx.question, cmd.value)
        except BadAnswer as exc:
            raise Rejected("bad_answer", tr("Đáp án không hợp lệ: {error}", error=exc)) from exc
        elapsed = elapsed_at_press(ctx.q, cmd.at)
        if previous is not None:
            raise Rejected("locked", tr("Đáp án đã chốt"))
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

    def rescue_status(self, contest: Contest, state: ContestState) -> tuple[bool, str]:
        """Whether the MC may call a rescue now, and if not, why (shown on the console)."""
        rnd = contest.rounds[state.round] if state.round >= 0 else None
        if rnd is None or rnd.format != self.name:
            return False, tr("Không phải phần thi Rung chuông vàng")
        settings = settings_of(contest, state.round)
        q = state.question
        if state.phase != Phase.REVEALED or q is None or q.round != state.round:
            return False, tr("Chỉ cứu trợ giữa hai câu hỏi (sau khi công bố đáp án)")
        f = floor(contest, state)
        reason = over(contest, state, f)
        if reason in ("all_out", "questions"):
            return False, tr("Phần thi đã kết thúc")
        if f.rescues >= settings.rescue_max:
            return False, tr("Đã dùng hết {n} lượt cứu trợ", n=settings.rescue_max)
        if f.on_count >= settings.rescue_when_below:
            below = settings.rescue_when_below
            return False, tr("Chỉ cứu trợ khi trên sàn còn dưới {n} thí sinh", n=below)
        if not f.off_floor():
            return False, tr("Chưa có thí sinh nào rời sàn")
        return True, ""

    def _rescue(self, ctx: Ctx, cmd: CallRescue, now: float) -> list[Event]:
        contest, state = ctx.contest, ctx.state
        allowed, why = self.rescue_status(contest, state)
        if not allowed:
            raise Rejected("rescue_not_allowed", why)
        settings = settings_of(contest, state.round)
        if cmd.mode not in settings.rescue_modes:
            raise Rejected("rescue_mode", tr("Phần thi này không cho hình thức cứu trợ đó"))
        f = floor(contest, state)
        qid = ctx.question.id
        if cmd.mode == "all":
            return [RescueCalled(now, qid, "all", f.off_floor(), cmd.reason.strip()[:MAX_REASON])]
        if cmd.mode == "pick":
            reason = _reason(cmd.reason)
            if not cmd.players or len(cmd.players) > MAX_PICK:
                raise Rejected("no_players", tr("Hãy chọn thí sinh được cứu trợ"))
            picked: list[str] = []
            for number in cmd.players:
                standing = f.players.get(number)
                if standing is None:
                    raise Rejected(
                        "unknown_player",
                        tr("Không có thí sinh số báo danh {number}", number=number),
                    )
                if standing.on:
                    raise Rejected(
                        "on_floor", tr("Thí sinh {number} đang trên sàn thi đấu", number=number)
                    )
                if number not in picked:
                    picked.append(number)
            return [RescueCalled(now, qid, "pick", picked, reason)]
        if f.rescue_asked >= len(settings.rescue_questions):
            raise Rejected("no_rescue_question", tr("Đã hết câu hỏi cứu trợ"))
        rescue_qid = settings.rescue_questions[f.rescue_asked]
        return [
            RescueCalled(now, qid, "question", [], cmd.reason.strip()[:MAX_REASON], rescue_qid),
            QuestionShown(at=now, question=rescue_qid, index=ctx.q.index),
        ]

    def _player(self, ctx: Ctx, number: str) -> str:
        if ctx.contest.player(number) is None:
            raise Rejected(
                "unknown_player", tr("Không có thí sinh số báo danh {number}", number=number)
            )
        return number

    def _reinstate(self, ctx: Ctx, cmd: ReinstatePlayer, now: float) -> list[Event]:
        reason = _reason(cmd.reason)
        number = self._player(ctx, cmd.player)
        if ctx.state.phase not in (Phase.REVEALED, Phase.INTRO):
            raise Rejected("busy", tr("Chỉ đưa thí sinh trở lại giữa hai câu hỏi"))
        f = floor(ctx.contest, ctx.state, ctx.q.round)
        if f.players[number].on:
            raise Rejected("on_floor", tr("Thí sinh {number} đang trên sàn thi đấu", number=number))
        return [PlayerReinstated(now, _next_id(ctx.state), ctx.question.id, number, reason)]

    def _set_answer(self, ctx: Ctx, cmd: SetPlayerAnswer, now: float) -> list[Event]:
        reason = _reason(cmd.reason)
        number = self._player(ctx, cmd.player)
        q = ctx.state.questions.get(cmd.target)
        if q is None:
            raise Rejected("not_asked", tr("Câu hỏi này chưa được hỏi"))
        if ctx.contest.rounds[q.round].format != self.name:
            raise Rejected("not_allowed", tr("Câu hỏi này không thuộc phần thi Rung chuông vàng"))
        value = None
        if cmd.value is not None:
            try:
                value = parse(ctx.contest.questions[cmd.target], cmd.value)
            except BadAnswer as exc:
                raise Rejected("bad_answer", tr("Đáp án không hợp lệ: {error}", error=exc)) from exc
        elif cmd.correct is None:
            raise Rejected("no_answer", tr("Cần nhập đáp án hoặc kết quả đúng/sai"))
        return [
            AnswerSetByHand(
                now, _next_id(ctx.state), cmd.target, number, reason, value, cmd.correct
            )
        ]

    # scoring -------------------------------------------------------------------

    def score(
        self, ctx: Ctx, overrides: dict[str, Verdict], team_ids: list[str]
    ) -> dict[str, TeamResult]:
        """Teams score only with `team_points`: each right answer of a player on
        the floor adds the question's points to its team (rescue questions not)."""
        out = {team: TeamResult() for team in team_ids}
        settings = ctx.round.settings
        assert isinstance(settings, EliminationSettings)
        if not ctx.q.revealed or not settings.team_points or mine(ctx.q).rescue:
            return out
        hand = {n: (v.value, v.correct) for n, v in overrides.items()}
        for number, result in results(ctx.question, ctx.q, hand).items():
            player = ctx.contest.player(number)
            if player is None or not player.team or player.team not in out or not result.correct:
                continue
            team = out[player.team]
            team.points += float(ctx.question.points)
            team.correct = True
        return out

    # views ---------------------------------------------------------------------

    def board(self, v: ViewCtx) -> dict[str, Any]:
        return {"boards": None, "floor": view.floor_view(v, tiles=True)}

    def board_reveal(self, v: ViewCtx) -> dict[str, Any]:
        return {}

    def team(self, v: ViewCtx, team: str) -> dict[str, Any]:
        return {"my_answer": None, "floor": view.floor_view(v, tiles=False)}

    def mc(self, v: ViewCtx) -> dict[str, Any]:
        allowed, why = self.rescue_status(v.ctx.contest, v.ctx.state)
        return view.mc_part(v, allowed, why)

    def player(self, v: ViewCtx, player: str) -> dict[str, Any]:
        return view.player_part(v, player)
