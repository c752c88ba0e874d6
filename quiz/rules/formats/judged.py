"""Format `judged` (phần thi do Ban giám khảo chấm): judges score each team.

Rules (contest-format.md, `judged`): the round has no questions from a bank;
each team's turn plays the part of a question (its id `<round>:<team>`, made
by `turns` when the contest is loaded, in the teams' order). The MC calls the
next team (ShowQuestion): scoring opens at once, without a clock. Every judge
of the round sends a score (ScoreTeam: one number, or one per criterion, each
between 0 and its maximum in steps of `step`); a later score replaces the
judge's own earlier one. When every judge has scored, scoring closes by
itself (AnswersClosed "scored") and the board shows each judge's score and the
result; the MC may close early when a judge is missing (reason "mc", at least
one score needed). Judges may still change a score until the MC shows it
(Reveal): then the result is added to the team's total, and only a correction
(SetJudgeScore, with a reason) changes a judge's score.

The result: `combine` of the scores given: `mean`, `trimmed_mean` (the highest
and the lowest dropped when at least 5 judges scored) or `sum`, rounded to two
decimals (halves up), times `weight`, rounded again. The settings, a turn's
state and this arithmetic are in judged_state (their names importable from
here); this module is the format's flow, its views and its corrections.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quiz.rules.commands import Command, ScoreTeam, SetJudgeScore
from quiz.rules.events import AnswersClosed, AnswersOpened, Event, JudgeScored, JudgeScoreSetByHand
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
from quiz.rules.formats.judged_state import (
    COMBINES,
    MAX_POINTS,
    Combine,
    Criterion,
    JudgedSettings,
    JudgedTurn,
    JudgeScore,
    Outcome,
    check_score,
    combine,
    effective_scores,
    num_text,
    on_scored,
    on_set_by_hand,
    outcome,
    round_judges,
    step_ok,
    team_of,
    turn_id,
)
from quiz.rules.formats.judged_state import mine as _mine
from quiz.rules.formats.judged_state import settings_of as _settings
from quiz.rules.model import Contest, Judge, Phase, Question, Round, Team
from quiz.rules.state import ContestState, Correction
from quiz.rules.text import N_, tr

__all__ = [
    "COMBINES",
    "COMBINE_WORDS",
    "Combine",
    "Criterion",
    "JudgeScore",
    "JudgedFormat",
    "JudgedSettings",
    "JudgedTurn",
    "Outcome",
    "check_score",
    "combine",
    "correction_effect",
    "decide_set_score",
    "effective_scores",
    "outcome",
    "public_turn",
    "round_judges",
    "scores_text",
    "settings_view",
    "team_of",
    "turn_id",
]


class JudgedFormat(FormatBase):
    name = "judged"
    team_devices = False  # the judges score; the team performs on stage
    title = N_("Ban giám khảo chấm điểm")
    round_keys = ("max", "step", "criteria", "combine", "weight", "judges")
    folds: Mapping[type[Event], Fold] = {
        JudgeScored: on_scored,
        JudgeScoreSetByHand: on_set_by_hand,
    }

    # the contest file ------------------------------------------------------------

    def read_settings(self, fields: Fields) -> JudgedSettings:
        defaults = JudgedSettings()
        step = fields.number("step", 0, strictly_above=True) or defaults.step
        criteria = self._criteria(fields, step)
        top = fields.number("max", 0, strictly_above=True)
        if top is not None and top > MAX_POINTS:
            fields.problem("max", f"max must be at most {MAX_POINTS:g}")
            top = None
        if criteria:
            total = sum(c.max for c in criteria)
            if top is not None and abs(top - total) > 1e-9:
                fields.problem(
                    "max", f"max is {top:g} but the criteria add up to {total:g}; give one"
                )
            top = total
        top = top if top is not None else defaults.max
        if not criteria and not step_ok(top, step):
            fields.problem("step", f"max {top:g} is not a whole number of steps of {step:g}")
        how = fields.one_of("combine", COMBINES) or defaults.combine
        weight = fields.number("weight", 0, strictly_above=True)
        judges = fields.texts("judges", "[gk-1, gk-2, gk-3]") or ()
        if len(set(judges)) != len(judges):
            fields.problem("judges", "judges names a judge twice")
        return JudgedSettings(
            max=top,
            step=step,
            criteria=criteria,
            combine=how,
            weight=defaults.weight if weight is None else weight,
            judges=judges,
        )

    def _criteria(self, fields: Fields, step: float) -> tuple[Criterion, ...]:
        items = fields.mappings("criteria", "{id: noi-dung, title: Nội dung, max: 5}")
        out: list[Criterion] = []
        seen: set[str] = set()
        for item in items or []:
            item.check_keys(("id", "title", "max"), required=("id", "title", "max"))
            cid, title = item.text("id"), item.text("title")
            top = item.number("max", 0, strictly_above=True)
            if cid is not None and cid in seen:
                item.problem("id", f"criterion id '{cid}' is used twice")
                continue
            if top is not None and not step_ok(top, step):
                item.problem("max", f"max {top:g} is not a whole number of steps of {step:g}")
                continue
            if cid is not None and title is not None and top is not None:
                seen.add(cid)
                out.append(Criterion(cid, title, top))
        return tuple(out)

    def contest_problems(
        self, settings: object, judges: tuple[Judge, ...]
    ) -> list[tuple[str, str]]:
        """What is wrong with the round given the contest's judges: (key, message)."""
        assert isinstance(settings, JudgedSettings)
        if not judges:
            return [("format", "a judged round needs the contest's judges: (a list of {id, name})")]
        known = {j.id for j in judges}
        unknown = [j for j in settings.judges if j not in known]
        if unknown:
            names = ", ".join(f"'{j}'" for j in unknown)
            return [("judges", f"judges names {names}, not in the contest's judges")]
        return []

    def turns(
        self, rnd_id: str, teams: tuple[Team, ...], settings: object, line: int, file: str
    ) -> list[Question]:
        """One stand-in question per team: its turn, in the teams' order."""
        assert isinstance(settings, JudgedSettings)
        points = int(round(settings.max * settings.weight))
        return [
            Question(
                id=turn_id(rnd_id, t.id),
                type="number",
                text=t.name,
                answer=0.0,
                time_limit=0,
                points=points,
                file=file,
                line=line,
            )
            for t in teams
        ]

    def show_label(self, contest: Contest, question_id: str, index: int) -> str | None:
        team = contest.team(team_of(question_id))
        of = len(contest.teams)
        name = team.name if team else team_of(question_id)
        return tr("Mời đội: {team} ({n}/{of})", team=name, n=index + 1, of=of)

    # state and flow ---------------------------------------------------------------

    def new_question_state(self) -> JudgedTurn:
        return JudgedTurn()

    def may_act(self, ctx: Ctx, team: str) -> bool:
        return False  # teams do not answer; judges score

    def on_show(self, ctx: Ctx, now: float) -> list[Event]:
        return [AnswersOpened(at=now, question=ctx.question.id)]  # scoring opens at once

    def open(self, ctx: Ctx, now: float) -> list[Event]:
        raise Rejected("not_allowed", tr("Phần thi chấm điểm mở chấm ngay khi mời đội"))

    def close_early(self, ctx: Ctx, now: float) -> list[Event]:
        if not _mine(ctx.q).scores:
            raise Rejected("no_scores", tr("Chưa có giám khảo nào chấm điểm"))
        return [AnswersClosed(at=now, question=ctx.question.id, reason="mc")]

    def decide(self, ctx: Ctx, command: Command, now: float) -> list[Event]:
        if not isinstance(command, ScoreTeam):
            raise Rejected("not_allowed", tr("Phần thi này không có thao tác đó"))
        judges = [j.id for j in round_judges(ctx.contest, ctx.round)]
        if command.judge not in judges:
            raise Rejected("not_a_judge", tr("Giám khảo này không chấm phần thi này"))
        phase = ctx.state.phase
        if phase == Phase.REVEALED:
            raise Rejected(
                "shown", tr("Điểm đã công bố — chỉ Ban tổ chức sửa được bằng điều chỉnh")
            )
        if phase not in (Phase.OPEN, Phase.CLOSED):
            raise Rejected("not_open", tr("Chưa mời đội lên chấm"))
        score, parts = check_score(_settings(ctx.round), command.score, command.parts)
        own = _mine(ctx.q).scores
        previous = own.get(command.judge)
        if previous is not None and previous.score == score and previous.parts == parts:
            return []  # the same score again (a resend)
        qid = ctx.question.id
        events: list[Event] = [JudgeScored(now, qid, command.judge, score, parts)]
        if phase == Phase.OPEN and all(j in own or j == command.judge for j in judges):
            events.append(AnswersClosed(at=now, question=qid, reason="scored"))
        return events

    def tick(self, ctx: Ctx, now: float) -> list[Event]:
        return []

    def alarm(self, ctx: Ctx) -> float | None:
        return None

    def score(
        self, ctx: Ctx, overrides: dict[str, Verdict], team_ids: list[str]
    ) -> dict[str, TeamResult]:
        results = {team: TeamResult() for team in team_ids}
        team = team_of(ctx.q.id)
        if ctx.q.revealed and team in results:
            points = outcome(ctx).points
            results[team] = TeamResult(points=points or 0.0, value=points)
        return results

    # views ----------------------------------------------------------------------------

    def common(self, v: ViewCtx) -> dict[str, Any]:
        """The turn as the hall sees it: the scores only once scoring is closed."""
        return {"judged": public_turn(v.ctx, show=v.ctx.state.phase != Phase.OPEN)}

    def mc(self, v: ViewCtx) -> dict[str, Any]:
        return {"judged_scores": public_turn(v.ctx, show=True)}

    def mc_step(self, v: ViewCtx) -> dict[str, Any] | None:
        qid = v.ctx.question.id
        if v.ctx.state.phase == Phase.OPEN:
            turn = public_turn(v.ctx, show=False)
            waiting = sum(1 for j in turn["judges"] if not j["scored"])
            if turn["scored"] == 0:
                return {"command": None, "label": tr("Chờ giám khảo chấm ({n})", n=waiting)}
            return {
                "command": "close",
                "label": tr("Dừng chấm (còn {n} giám khảo chưa chấm)", n=waiting),
                "question": qid,
            }
        if v.ctx.state.phase == Phase.CLOSED:
            return {"command": "reveal", "label": tr("Công bố điểm"), "question": qid}
        return None


def _n(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def settings_view(rnd: Round) -> dict[str, Any]:
    s = _settings(rnd)
    return {
        "max": _n(s.max),
        "step": _n(s.step),
        "combine": s.combine,
        "weight": _n(s.weight),
        "criteria": [{"id": c.id, "title": c.title, "max": _n(c.max)} for c in s.criteria],
    }


def public_turn(ctx: Ctx, show: bool) -> dict[str, Any]:
    """The team called, each judge (scored or not, the score when `show`), the result."""
    out = outcome(ctx)
    team = team_of(ctx.q.id)
    found = ctx.contest.team(team)
    rnd = ctx.round
    judges = []
    for j in out.judges:
        given = out.scores.get(j.id)
        row: dict[str, Any] = {"id": j.id, "name": j.name, "scored": given is not None}
        if show:
            row["score"] = _n(given.score) if given else None
            row["parts"] = dict(given.parts) if given and given.parts else None
            row["dropped"] = j.id in out.dropped
        judges.append(row)
    return {
        "team": team,
        "team_name": found.name if found else team,
        "number": ctx.q.index + 1,
        "of": len(rnd.question_ids),
        "judges": judges,
        "scored": sum(1 for j in judges if j["scored"]),
        "show": show,
        "shown": ctx.q.revealed,
        "result": _n(out.result) if show else None,
        "points": _n(out.points) if show else None,
        "settings": settings_view(rnd),
        "close_reason": ctx.q.close_reason,
    }


COMBINE_WORDS = {
    "mean": N_("trung bình"),
    "trimmed_mean": N_("trung bình bỏ cao nhất, thấp nhất"),
    "sum": N_("tổng"),
}


def scores_text(contest: Contest, state: ContestState, turn: str) -> str:
    """Every judge's score on a turn and the result, as the record writes it."""
    q = state.questions[turn]
    rnd = contest.rounds[q.round]
    out = outcome(Ctx(contest, state, rnd, contest.questions[turn], q))
    parts = []
    for j in out.judges:
        given = out.scores.get(j.id)
        value = num_text(given.score) if given else "—"
        dropped = " " + tr("(không tính)") if j.id in out.dropped else ""
        parts.append(f"{j.name}: {value}{dropped}")
    word = COMBINE_WORDS.get(_settings(rnd).combine)
    how = tr(word) if word else ""
    result = "—" if out.points is None else num_text(out.points)
    return "; ".join(parts) + "; " + tr("kết quả ({how}): {result}", how=how, result=result)


def correction_effect(contest: Contest, state: ContestState, c: Correction) -> dict[str, float]:
    """How a judge_score correction changed its team's points when it was made."""
    assert c.question is not None and c.team is not None
    q = state.questions[c.question]
    rnd = contest.rounds[q.round]
    ctx = Ctx(contest, state, rnd, contest.questions[c.question], q)
    after = outcome(ctx, until=c.id).points or 0.0
    before = outcome(ctx, until=c.id - 1).points or 0.0
    return {c.team: after - before}


def decide_set_score(
    contest: Contest, state: ContestState, cmd: SetJudgeScore, now: float, reason: str, next_id: int
) -> list[Event]:
    """The correction "set a judge's score by hand", on a turn already shown."""
    q = state.questions.get(cmd.question)
    if q is None:
        raise Rejected("not_asked", tr("Đội này chưa lên chấm"))
    rnd = contest.rounds[q.round]
    if rnd.format != JudgedFormat.name:
        raise Rejected("not_judged", tr("Câu này không thuộc phần thi chấm điểm"))
    if cmd.judge not in [j.id for j in round_judges(contest, rnd)]:
        raise Rejected("not_a_judge", tr("Giám khảo này không chấm phần thi này"))
    if not q.revealed:
        raise Rejected("not_shown", tr("Điểm chưa công bố — giám khảo tự sửa điểm của mình"))
    score, parts = check_score(_settings(rnd), cmd.score, cmd.parts)
    return [
        JudgeScoreSetByHand(
            at=now,
            id=next_id,
            question=cmd.question,
            team=team_of(cmd.question),
            judge=cmd.judge,
            score=score,
            reason=reason,
            parts=parts,
        )
    ]
