"""Format `turns` between questions: the MC fixes the order, then team by team
its package is chosen, its value picked and its star placed (or taken back),
and an absent team is skipped. Each command is checked against the round's
state and becomes one event."""

from __future__ import annotations

import random

from quiz.rules.commands import (
    ChoosePackage,
    ChooseValue,
    Command,
    DecideOrder,
    PlaceStar,
    RemoveStar,
    SkipTeam,
)
from quiz.rules.events import (
    Event,
    PackageChosen,
    StarPlaced,
    StarRemoved,
    TeamSkipped,
    TurnsOrdered,
    ValueChosen,
)
from quiz.rules.formats.base import Rejected
from quiz.rules.formats.turns_state import (
    TeamTurn,
    TurnsRound,
    TurnsSettings,
    current_team,
    round_of,
    settings_of,
    values_left,
)
from quiz.rules.model import Contest, Phase
from quiz.rules.state import ContestState
from quiz.rules.text import tr

MAX_REASON = 500


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Rejected("reason_required", tr("Cần nhập lý do"))
    if len(reason) > MAX_REASON:
        raise Rejected("reason_too_long", tr("Lý do dài quá {n} ký tự", n=MAX_REASON))
    return reason


def decide_round(
    contest: Contest, state: ContestState, command: Command, now: float
) -> list[Event]:
    settings = settings_of(contest, state)
    rs = round_of(state)
    if isinstance(command, DecideOrder):
        return _order(contest, state, settings, rs, now)
    if state.phase not in (Phase.INTRO, Phase.REVEALED):
        raise Rejected("busy", tr("Hãy kết thúc câu hỏi đang diễn ra trước"))
    if rs.order is None:
        raise Rejected("no_order", tr("Chưa xác định thứ tự thi"))
    team = getattr(command, "team", "")
    if team not in rs.teams:
        raise Rejected("unknown_team", tr("Không có đội này"))
    turn = rs.teams[team]
    if isinstance(command, SkipTeam):
        reason = _reason(command.reason)
        if turn.skipped is not None:
            raise Rejected("already_skipped", tr("Đội này đã được bỏ qua"))
        if turn.asked:
            raise Rejected("started", tr("Đội đã bắt đầu phần thi — không thể bỏ qua"))
        return [TeamSkipped(at=now, team=team, reason=reason)]
    if team != current_team(contest, state):
        raise Rejected("not_your_turn", tr("Chưa đến lượt của đội này"))
    if isinstance(command, ChoosePackage):
        return _package(settings, rs, team, turn, command.package, now)
    if isinstance(command, ChooseValue):
        return _value(contest, settings, team, turn, command.points, now)
    if isinstance(command, PlaceStar):
        if not settings.star:
            raise Rejected("no_star", tr("Phần thi này không có ngôi sao hy vọng"))
        if turn.package is None:
            raise Rejected("no_package", tr("Đội chưa chọn gói câu hỏi"))
        if turn.star_pending or turn.star_on is not None:
            raise Rejected("star_used", tr("Đội đã đặt ngôi sao hy vọng trong gói này"))
        by = "team" if command.by == "team" else "mc"
        return [StarPlaced(at=now, team=team, by=by)]
    if isinstance(command, RemoveStar):
        reason = _reason(command.reason)
        if not turn.star_pending:
            raise Rejected("no_star", tr("Chưa có ngôi sao nào chờ câu hỏi tiếp theo"))
        return [StarRemoved(at=now, team=team, reason=reason)]
    raise Rejected("not_allowed", tr("Phần thi này không có thao tác đó"))


def _order(
    contest: Contest,
    state: ContestState,
    settings: TurnsSettings,
    rs: TurnsRound,
    now: float,
) -> list[Event]:
    if state.phase != Phase.INTRO:
        raise Rejected("busy", tr("Chỉ xác định thứ tự khi bắt đầu phần thi"))
    if rs.order is not None:
        raise Rejected("ordered", tr("Thứ tự thi đã được xác định"))
    teams = [t.id for t in contest.teams]
    seed: int | None = None
    if settings.order == "draw":
        seed = settings.seed
        random.Random(seed).shuffle(teams)
    elif settings.order == "reverse_rank":
        from quiz.rules.scoring import standings  # scoring imports the formats

        totals = {s.team: s.total for s in standings(contest, state)}
        position = {team: i for i, team in enumerate(teams)}
        teams.sort(key=lambda t: (totals[t], position[t]))
    return [TurnsOrdered(at=now, order=tuple(teams), how=settings.order, seed=seed)]


def _package(
    settings: TurnsSettings,
    rs: TurnsRound,
    team: str,
    turn: TeamTurn,
    package_id: str,
    now: float,
) -> list[Event]:
    if settings.assign != "pick":
        raise Rejected("assigned", tr("Gói câu hỏi được giao theo thứ tự"))
    if turn.package is not None:
        raise Rejected("has_package", tr("Đội đã chọn gói câu hỏi"))
    if settings.package(package_id) is None:
        raise Rejected("unknown_package", tr("Không có gói câu hỏi này"))
    if any(t.package == package_id for t in rs.teams.values()):
        raise Rejected("package_taken", tr("Gói câu hỏi này đã có đội chọn"))
    return [PackageChosen(at=now, team=team, package=package_id)]


def _value(
    contest: Contest,
    settings: TurnsSettings,
    team: str,
    turn: TeamTurn,
    points: float,
    now: float,
) -> list[Event]:
    package = settings.package(turn.package)
    if package is None:
        raise Rejected("no_package", tr("Đội chưa chọn gói câu hỏi"))
    if not package.pick_points:
        raise Rejected("fixed_package", tr("Gói này hỏi theo thứ tự, không chọn mức điểm"))
    if points not in package.pick_points:
        raise Rejected("bad_value", tr("Mức điểm không có trong gói"))
    if points not in values_left(contest, package, turn.asked):
        raise Rejected("value_used_up", tr("Đã hết câu hỏi ở mức điểm này"))
    return [ValueChosen(at=now, team=team, points=float(points))]
