"""Format `tiebreak` (câu hỏi phụ): the round that settles a tie for a prize.

Rules (contest-format.md "tiebreak", docs/contest-format.md): only the teams
the MC selects play (proposed: teams tied on total, after the ranking's
criteria, across a prize boundary). `mode: buzzer` plays each question as the
`buzzer` format does, with only the teams still level allowed to buzz;
`mode: closest` asks a `number` question on their tablets, as `all`, and the
answer closest to the key wins (equal distance: the earlier press). Each
question's winner takes the best place left in its tie; sudden death goes on
until every tie is ordered or the questions run out, and then the drawing of
lots (`lots: server`, seeded and journalled, or `hall`, recorded by the MC)
orders the rest. The round's points never add to totals: its result is the
ranking's `tiebreak_round` criterion (formats/tiebreak_state.places).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from quiz.rules.answers import BadAnswer, parse
from quiz.rules.commands import Buzz, Command, Judge, SubmitAnswer
from quiz.rules.events import AnswerAccepted, AnswersClosed, AnswersOpened, ClockStarted, Event
from quiz.rules.formats.base import (
    Ctx,
    Fold,
    Rejected,
    TeamResult,
    Verdict,
    ViewCtx,
)
from quiz.rules.formats.buzzer import BuzzerFormat
from quiz.rules.formats.fields import Fields
from quiz.rules.formats.presses import close_at_time_up, elapsed_at_press, time_up_alarm
from quiz.rules.formats.tiebreak_state import (
    FOLDS,
    NAME,
    TiebreakQuestion,
    TiebreakSettings,
    mine,
    outcome,
)
from quiz.rules.model import Contest, Phase
from quiz.rules.state import ContestState
from quiz.rules.text import N_, tr

_MODES: tuple[Literal["buzzer", "closest"], ...] = ("buzzer", "closest")
_LOTS: tuple[Literal["server", "hall"], ...] = ("server", "hall")
NOT_PLAYING = N_("Đội không thi câu hỏi phụ")


def _settings(ctx: Ctx) -> TiebreakSettings:
    settings = ctx.round.settings
    assert isinstance(settings, TiebreakSettings)
    return settings


def playing(ctx: Ctx) -> list[str]:
    """The teams still level: the only ones who may buzz or answer."""
    result = outcome(ctx.contest, ctx.state, ctx.q.round)
    return result.playing if result is not None else []


class TiebreakFormat(BuzzerFormat):
    name = NAME
    title = N_("Câu hỏi phụ")
    # (BuzzerFormat's own tuples are typed by their length: these are other keys)
    round_keys: tuple[str, ...] = (  # type: ignore[assignment]
        "questions",
        "draw",
        "mode",
        "lots",
        "read_time",
        "buzz_window",
        "early_buzz",
        "answer_time",
        "answer_on",
        "rebound",
    )
    scoring_keys: tuple[str, ...] = ()  # type: ignore[assignment]
    folds: Mapping[type[Event], Fold] = FOLDS

    def read_settings(self, fields: Fields) -> TiebreakSettings:
        base = super().read_settings(fields)
        mode = fields.one_of("mode", _MODES) or "buzzer"
        lots = fields.one_of("lots", _LOTS) or "server"
        return TiebreakSettings(**vars(base), mode=mode, lots=lots)

    def new_question_state(self) -> TiebreakQuestion:
        return TiebreakQuestion()

    # the flow ------------------------------------------------------------------

    def next_question(self, contest: Contest, state: ContestState) -> int | None:
        """The next in list order, while a tie is still open (none before the selection)."""
        result = outcome(contest, state, state.round)
        if result is None or not result.playing:
            return None
        return super().next_question(contest, state)

    def may_act(self, ctx: Ctx, team: str) -> bool:
        if team not in playing(ctx):
            return False
        if _settings(ctx).mode == "closest":
            return team not in mine(ctx.q).answers
        return super().may_act(ctx, team)

    def on_show(self, ctx: Ctx, now: float) -> list[Event]:
        return [] if _settings(ctx).mode == "closest" else super().on_show(ctx, now)

    def open(self, ctx: Ctx, now: float) -> list[Event]:
        if _settings(ctx).mode == "buzzer":
            return super().open(ctx, now)
        qid = ctx.question.id
        return [
            AnswersOpened(at=now, question=qid),
            ClockStarted(at=now, question=qid, kind="answer", limit=ctx.question.time_limit),
        ]

    def close_early(self, ctx: Ctx, now: float) -> list[Event]:
        if _settings(ctx).mode == "buzzer":
            return super().close_early(ctx, now)
        return [AnswersClosed(at=now, question=ctx.question.id, reason="mc")]

    def decide(self, ctx: Ctx, command: Command, now: float) -> list[Event]:
        team = getattr(command, "team", None)
        if isinstance(command, Buzz | SubmitAnswer) and team not in playing(ctx):
            raise Rejected("not_playing", tr(NOT_PLAYING))
        if _settings(ctx).mode == "buzzer":
            return super().decide(ctx, command, now)
        if isinstance(command, SubmitAnswer):
            return self._closest(ctx, command, now)
        if isinstance(command, Buzz | Judge):
            raise Rejected("not_allowed", tr("Câu hỏi phụ này trả lời trên máy tính bảng"))
        raise Rejected("not_allowed", tr("Phần thi này không có thao tác đó"))

    def _closest(self, ctx: Ctx, cmd: SubmitAnswer, now: float) -> list[Event]:
        phase = ctx.state.phase
        if phase != Phase.OPEN:
            raise Rejected(
                "not_open", tr("Chưa được trả lời") if phase == Phase.SHOWN else tr("Hết giờ")
            )
        previous = mine(ctx.q).answers.get(cmd.team)
        if previous is not None:
            if cmd.nonce and previous.nonce == cmd.nonce:
                return []  # a replay of the answer already recorded
            raise Rejected("locked", tr("Đáp án đã chốt"))
        try:
            value = parse(ctx.question, cmd.value)
        except BadAnswer as exc:
            raise Rejected("bad_answer", tr("Đáp án không hợp lệ: {error}", error=exc)) from exc
        elapsed = elapsed_at_press(ctx.q, cmd.at)
        qid = ctx.question.id
        events: list[Event] = [
            AnswerAccepted(cmd.at, qid, cmd.team, value, cmd.at, elapsed, cmd.nonce)
        ]
        everyone = set(playing(ctx))
        if everyone <= set(mine(ctx.q).answers) | {cmd.team}:
            events.append(AnswersClosed(at=now, question=qid, reason="all_answered"))
        return events

    def _eligible(self, ctx: Ctx, also_done: str) -> list[str]:
        """A rebound reopens the buzzers only for the teams still level."""
        return [t for t in super()._eligible(ctx, also_done) if t in playing(ctx)]

    def tick(self, ctx: Ctx, now: float) -> list[Event]:
        if _settings(ctx).mode == "buzzer":
            return super().tick(ctx, now)
        return close_at_time_up(ctx, now)

    def alarm(self, ctx: Ctx) -> float | None:
        if _settings(ctx).mode == "buzzer":
            return super().alarm(ctx)
        return time_up_alarm(ctx)

    # scoring: nothing adds to totals ---------------------------------------------

    def score(
        self, ctx: Ctx, overrides: dict[str, Verdict], team_ids: list[str]
    ) -> dict[str, TeamResult]:
        return {team: TeamResult() for team in team_ids}

    def verdict_points(
        self, ctx: Ctx, verdict: str | None, attempt: int | None = None
    ) -> float | None:
        return 0.0 if verdict is not None else None

    # views ---------------------------------------------------------------------

    def common(self, v: ViewCtx) -> dict[str, Any]:
        return super().common(v) if _settings(v.ctx).mode == "buzzer" else {}

    def team(self, v: ViewCtx, team: str) -> dict[str, Any]:
        own = super().team(v, team)
        own["playing"] = team in playing(v.ctx)
        own["mode"] = _settings(v.ctx).mode
        record = mine(v.ctx.q).answers.get(team)
        if _settings(v.ctx).mode == "closest":
            own["buzzer"] = None
            own["my_answer"] = (
                None
                if record is None
                else {
                    "value": record.value,
                    "display": str(record.value),
                    "time_ms": int(round(record.time * 1000)),
                    "nonce": record.nonce,
                }
            )
        return own

    def board(self, v: ViewCtx) -> dict[str, Any]:
        if _settings(v.ctx).mode != "closest" or v.ctx.state.phase != Phase.REVEALED:
            return {}
        key = v.ctx.question.answer
        assert isinstance(key, float | int)
        rows = [
            {
                "team": team,
                "name": (t.name if (t := v.ctx.contest.team(team)) else team),
                "answer": a.value,
                "distance": round(abs(float(a.value) - float(key)), 6),
                "time_ms": int(round(a.time * 1000)),
            }
            for team, a in mine(v.ctx.q).answers.items()
        ]
        rows.sort(key=lambda r: (r["distance"], r["time_ms"]))
        return {"closest": rows}

    def mc_step(self, v: ViewCtx) -> dict[str, Any] | None:
        if _settings(v.ctx).mode == "buzzer":
            return super().mc_step(v)
        return None
