"""The tiebreak round on the screens: the ties that decide a prize (the MC's
proposal), how far the round has ordered them, the lots, and how each tie was
settled (scoreboard, ceremony, results).

A place decides a prize (contest-format.md "Prizes") when teams level on total,
after the ranking's criteria before `tiebreak_round`, straddle the boundary
between two prizes or between a prize and none. Imports model, state,
scoring, formats.tiebreak_state.
"""

from __future__ import annotations

from typing import Any

from quiz.rules.formats.tiebreak_state import (
    Outcome,
    TiebreakRecord,
    is_tiebreak,
    outcome,
    settings_of,
)
from quiz.rules.model import Contest, Phase
from quiz.rules.scoring import Standing, standings
from quiz.rules.state import ContestState
from quiz.rules.text import N_, tr

# How a tie was settled, in words: tr() each where it is shown (_words).
WORDS = {"question": N_("câu hỏi phụ"), "lots": N_("bốc thăm"), "open": N_("chưa phân định")}


def _words() -> dict[str, str]:
    return {key: tr(word) for key, word in WORDS.items()}


def _how(contest: Contest, index: int, how: str, question: str | None) -> str:
    words = _words()
    questions = contest.rounds[index].question_ids
    if how == "lots":
        return words["lots"]
    text = words["question"]
    return f"{text} {questions.index(question) + 1}" if question in questions else text


def _boundaries(contest: Contest, teams: int) -> list[tuple[int, str, str | None]]:
    """(position after which a prize ends, that prize, the next one or None)."""
    found = []
    position = 0
    prizes = contest.prizes
    for i, prize in enumerate(prizes):
        if prize.count is None:
            break
        position += prize.count
        following = prizes[i + 1].name if i + 1 < len(prizes) else None
        if position < teams:
            found.append((position, prize.name, following))
    return found


def ties_deciding_prizes(contest: Contest, state: ContestState) -> list[dict[str, Any]]:
    """Each group of teams level (before the tiebreak round) across a prize boundary."""
    table = standings(contest, state, before_tiebreak=True)
    by_rank: dict[int, list[Standing]] = {}
    for s in table:
        by_rank.setdefault(s.rank, []).append(s)
    found = []
    for rank_, group in sorted(by_rank.items()):
        if len(group) < 2:
            continue
        start, end = rank_ - 1, rank_ - 1 + len(group)
        for position, prize, following in _boundaries(contest, len(table)):
            if start < position < end:
                found.append(
                    {
                        "teams": [s.team for s in group],
                        "names": [s.name for s in group],
                        "rank": rank_,
                        "total": _num(group[0].total),
                        "prize": prize,
                        "next_prize": following,
                    }
                )
                break
    return found


def ties_deciding_nothing(contest: Contest, state: ContestState) -> list[list[str]]:
    """Groups still level that no prize boundary cuts (shown, not proposed)."""
    table = standings(contest, state, before_tiebreak=True)
    deciding = {t for g in ties_deciding_prizes(contest, state) for t in g["teams"]}
    by_rank: dict[int, list[str]] = {}
    for s in table:
        by_rank.setdefault(s.rank, []).append(s.team)
    return [g for g in by_rank.values() if len(g) > 1 and not set(g) & deciding]


def _num(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 3)


def _name(contest: Contest, team: str) -> str:
    found = contest.team(team)
    return found.name if found else team


def _outcome_view(contest: Contest, result: Outcome) -> dict[str, Any]:
    settings = settings_of(contest, result.round)
    questions = contest.rounds[result.round].question_ids
    groups = []
    for g in result.groups:
        groups.append(
            {
                "teams": [{"id": t, "name": _name(contest, t)} for t in g.teams],
                "placed": [
                    {
                        "team": p.team,
                        "name": _name(contest, p.team),
                        "place": p.place,
                        "how": p.how,
                        "question": p.question,
                        "number": questions.index(p.question) + 1
                        if p.question in questions
                        else None,
                    }
                    for p in g.placed
                ],
                "remaining": [{"id": t, "name": _name(contest, t)} for t in g.remaining],
                "open": g.open,
            }
        )
    lots = None
    if result.lots is not None:
        lots = {
            "kind": result.lots.kind,
            "seed": result.lots.seed,
            "groups": [
                [{"id": t, "name": _name(contest, t)} for t in g] for g in result.lots.groups
            ],
        }
    return {
        "round": result.round,
        "round_id": contest.rounds[result.round].id,
        "title": contest.rounds[result.round].title,
        "mode": settings.mode,
        "lots_kind": settings.lots,
        "groups": groups,
        "lots": lots,
        "playing": result.playing,
        "done": result.done,
        "settled": settled_text(contest, result),
    }


def settled_text(contest: Contest, result: Outcome, lang: str | None = None) -> list[str]:
    """One line per tie: how the round ordered it (the record and the screens),
    in the installed language (`lang`, kept for callers, changes nothing)."""
    words = _words()
    lines = []
    for g in result.groups:
        parts = []
        for p in g.placed:
            how = _how(contest, result.round, p.how, p.question)
            if p.how == "lots" and result.lots is not None and result.lots.seed is not None:
                how += ", " + tr("số {seed}", seed=result.lots.seed)
            parts.append(f"{p.place}. {_name(contest, p.team)} ({how})")
        if g.remaining:
            names = ", ".join(_name(contest, t) for t in g.remaining)
            parts.append(f"{words['open']}: {names}")
        lines.append("; ".join(parts))
    return lines


def view(contest: Contest, state: ContestState, mc: bool = False) -> dict[str, Any] | None:
    """The current tiebreak round (the MC also gets the proposal), or None."""
    if not is_tiebreak(contest, state.round) or state.phase == Phase.FINISHED:
        return None
    result = outcome(contest, state, state.round)
    settings = settings_of(contest, state.round)
    data: dict[str, Any] = (
        _outcome_view(contest, result)
        if result is not None
        else {
            "round": state.round,
            "round_id": contest.rounds[state.round].id,
            "title": contest.rounds[state.round].title,
            "mode": settings.mode,
            "lots_kind": settings.lots,
            "groups": [],
            "lots": None,
            "playing": [],
            "done": False,
            "settled": [],
        }
    )
    data["selected"] = result is not None
    if mc:
        data["proposal"] = ties_deciding_prizes(contest, state)
        data["not_deciding"] = [
            [{"id": t, "name": _name(contest, t)} for t in g]
            for g in ties_deciding_nothing(contest, state)
        ]
    return data


def settled(contest: Contest, state: ContestState) -> list[dict[str, Any]]:
    """Every tiebreak round that has a selection: how it ordered its ties."""
    out = []
    for index in sorted(state.tiebreaks):
        result = outcome(contest, state, index)
        if result is not None:
            out.append(_outcome_view(contest, result))
    return out


def by_team(contest: Contest, state: ContestState, lang: str | None = None) -> dict[str, str]:
    """For each team a tiebreak round placed: how ("câu hỏi phụ 2", "bốc thăm"),
    in the installed language (`lang`, kept for callers, changes nothing)."""
    found: dict[str, str] = {}
    for index in sorted(state.tiebreaks):
        result = outcome(contest, state, index)
        if result is None:
            continue
        for g in result.groups:
            for p in g.placed:
                found[p.team] = _how(contest, index, p.how, p.question)
    return found


def by_group(
    contest: Contest, state: ContestState, lang: str | None = None
) -> list[tuple[set[str], str]]:
    """Each tie a tiebreak round played: its teams, and how it was settled (one
    line), in the installed language (`lang`, kept for callers, changes nothing)."""
    found = []
    for index in sorted(state.tiebreaks):
        result = outcome(contest, state, index)
        if result is None:
            continue
        lines = settled_text(contest, result, lang)
        for g, line in zip(result.groups, lines, strict=True):
            found.append((set(g.teams), f"{contest.rounds[index].title}: {line}"))
    return found


def next_step(contest: Contest, state: ContestState) -> dict[str, Any] | None:
    """The MC's next step in a tiebreak round, when it is the round's own."""
    if not is_tiebreak(contest, state.round) or state.phase not in (Phase.INTRO, Phase.REVEALED):
        return None
    rnd = contest.rounds[state.round]
    record = state.tiebreaks.get(state.round)
    if not isinstance(record, TiebreakRecord):
        if state.phase != Phase.INTRO:
            return None
        proposal = ties_deciding_prizes(contest, state)
        if proposal:
            return {
                "command": "tiebreak_select",
                "label": tr("Xác nhận các đội thi câu hỏi phụ"),
                "round": rnd.id,
                "groups": [g["teams"] for g in proposal],
            }
        following = state.round + 1
        label = tr("Không có đội đồng điểm ở ranh giới giải — bỏ qua phần thi phụ")
        if following < len(contest.rounds):
            nxt = contest.rounds[following]
            return {"command": "start_round", "label": label, "round": nxt.id, "skip": True}
        return {"command": "start_round", "label": label, "skip": True}
    result = outcome(contest, state, state.round)
    assert result is not None
    asked = sum(1 for q in state.questions.values() if q.round == state.round)
    if result.playing and asked >= len(rnd.question_ids) and result.lots is None:
        return {"command": "draw_lots", "label": tr("Hết câu hỏi phụ — bốc thăm"), "round": rnd.id}
    return None


def annotate(view: dict[str, Any], contest: Contest, state: ContestState) -> None:
    """Say on the scoreboard's and the ceremony's rows how a tie was settled."""
    if not state.tiebreaks:
        return
    how = by_team(contest, state)
    for row in view.get("scoreboard") or []:
        row["tiebreak"] = how.get(row["team"])
    ceremony = view.get("ceremony")
    if ceremony:
        for prize in ceremony.get("prizes", []):
            for row in prize["teams"]:
                row["tiebreak"] = how.get(row["team"])
        for row in ceremony.get("podium", []):
            row["tiebreak"] = how.get(row["team"])
