"""The pauses and the end: the round summary between rounds, and the prize
ceremony after the last round.

Prizes (contest-format.md "Prizes") go down the ranking, best first: each
takes `count` teams, `rest` takes every team left. Teams sharing a rank share
the better prize (the ranking's tiebreak criteria, or a tiebreak round, should
have separated them; docs/rules-notes.md). The ceremony reveals one prize per
step, from the last prize to the first; nothing about a prize not yet revealed
leaves the server (the board and the tablets get only revealed prizes).
Decisions and folds are registered into engine's tables. Imports model,
state, events, commands, scoring, formats.base.
"""

from __future__ import annotations

from typing import Any

from quiz.rules.commands import CeremonyNext, ShowRoundSummary
from quiz.rules.events import CeremonyAdvanced, Event, RoundSummaryToggled
from quiz.rules.formats.base import Rejected
from quiz.rules.model import Contest, Phase, Prize
from quiz.rules.scoring import Standing, standings
from quiz.rules.state import ContestState
from quiz.rules.text import tr


def prize_groups(contest: Contest, table: list[Standing]) -> list[tuple[Prize, list[Standing]]]:
    """Each prize with the teams that win it, best first; prizes nobody wins are left out."""
    ranked = sorted(table, key=lambda s: s.rank)
    groups: list[tuple[Prize, list[Standing]]] = []
    position = 0
    for prize in contest.prizes:
        if position >= len(ranked):
            break
        end = len(ranked) if prize.count is None else min(len(ranked), position + prize.count)
        # A tie at the boundary: the tied teams share this (the better) prize.
        while end < len(ranked) and ranked[end].rank == ranked[end - 1].rank:
            end += 1
        groups.append((prize, ranked[position:end]))
        position = end
    return groups


def steps(contest: Contest, state: ContestState) -> int:
    return len(prize_groups(contest, standings(contest, state))) if contest.prizes else 0


def _row(s: Standing, prize: str | None) -> dict[str, Any]:
    total = int(s.total) if float(s.total).is_integer() else round(s.total, 3)
    return {"team": s.team, "name": s.name, "total": total, "rank": s.rank, "prize": prize}


def ceremony_view(
    contest: Contest, state: ContestState, table: list[Standing], everything: bool = False
) -> dict[str, Any] | None:
    """The ceremony as far as it has gone (`everything`: the MC sees what comes next)."""
    if state.phase != Phase.FINISHED or not contest.prizes:
        return None
    groups = prize_groups(contest, table)
    total = len(groups)
    shown = min(state.ceremony, total)
    first_shown = total - shown  # groups[first_shown:] are revealed
    revealed = []
    for index, (prize, teams) in enumerate(groups):
        if index >= first_shown or everything:
            revealed.append(
                {
                    "name": prize.name,
                    "revealed": index >= first_shown,
                    "teams": [_row(s, prize.name) for s in teams],
                }
            )
    won = {s.team: p.name for i, (p, ts) in enumerate(groups) if i >= first_shown for s in ts}
    top = sorted(table, key=lambda s: s.rank)[:3]
    podium = [_row(s, won[s.team]) for s in top if s.team in won]
    nxt = groups[first_shown - 1] if shown < total else None
    view: dict[str, Any] = {
        "steps": total,
        "shown": shown,
        "done": shown >= total,
        "prizes": revealed,  # best first
        "podium": podium,  # the top three whose prize is revealed, best first
        "current": groups[first_shown][0].name if shown else None,
    }
    if everything:
        view["next"] = {"name": nxt[0].name, "teams": len(nxt[1])} if nxt else None
    return view


def prize_of(contest: Contest, state: ContestState, table: list[Standing], team: str) -> str | None:
    """The team's prize once the ceremony has revealed it."""
    view = ceremony_view(contest, state, table)
    if view is None:
        return None
    for prize in view["prizes"]:
        if any(t["team"] == team for t in prize["teams"]):
            return str(prize["name"])
    return None


def summary_view(contest: Contest, state: ContestState) -> dict[str, Any] | None:
    """The round summary on the board: each team's points in the round, its
    total, and how its rank moved over the round."""
    if state.summary is None:
        return None
    index = state.summary
    rnd = contest.rounds[index]
    in_round = frozenset(qid for qid, q in state.questions.items() if q.round == index)
    later = frozenset(qid for qid, q in state.questions.items() if q.round > index)
    after = standings(contest, state, exclude=later)
    before = {s.team: s for s in standings(contest, state, exclude=later | in_round)}
    rows = []
    for s in after:
        prior = before[s.team]
        points = s.total - prior.total
        rows.append(
            {
                "team": s.team,
                "name": s.name,
                "round_points": int(points) if float(points).is_integer() else round(points, 3),
                "total": int(s.total) if float(s.total).is_integer() else round(s.total, 3),
                "rank": s.rank,
                # before the first round every team was level: no move to show
                "previous_rank": None if index == 0 else prior.rank,
            }
        )
    return {"round": index, "number": index + 1, "title": rnd.title, "rows": rows}


# Decisions and folds (registered in engine) ------------------------------------------


def decide_ceremony(
    contest: Contest, state: ContestState, cmd: CeremonyNext, now: float
) -> list[Event]:
    if state.phase != Phase.FINISHED:
        raise Rejected("not_finished", tr("Lễ trao giải bắt đầu sau phần thi cuối cùng"))
    total = steps(contest, state)
    if total == 0:
        raise Rejected("no_prizes", tr("Hội thi không có cơ cấu giải thưởng"))
    if state.ceremony >= total:
        raise Rejected("ceremony_done", tr("Đã công bố tất cả các giải"))
    if cmd.step is not None and cmd.step != state.ceremony + 1:
        raise Rejected("stale", tr("Bước trao giải đã thay đổi"))
    return [CeremonyAdvanced(at=now, step=state.ceremony + 1)]


def decide_summary(
    contest: Contest, state: ContestState, cmd: ShowRoundSummary, now: float
) -> list[Event]:
    if state.round < 0:
        raise Rejected("no_round", tr("Chưa có phần thi nào"))
    if state.phase not in (Phase.REVEALED, Phase.INTRO, Phase.FINISHED):
        raise Rejected("busy", tr("Chỉ tổng kết phần thi khi không có câu hỏi đang diễn ra"))
    if cmd.show == (state.summary is not None):
        return []
    index = state.round
    if state.phase == Phase.INTRO and index > 0:
        index -= 1  # the round just begun has no points yet: the one before it
    return [RoundSummaryToggled(at=now, show=cmd.show, round=index)]


def apply_ceremony(contest: Contest, state: ContestState, e: CeremonyAdvanced) -> None:
    state.ceremony = e.step
    state.show_scoreboard = False


def apply_summary(contest: Contest, state: ContestState, e: RoundSummaryToggled) -> None:
    state.summary = e.round if e.show else None
