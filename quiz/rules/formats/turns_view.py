"""The `turns` format's part of the views and the MC's next step.

Between questions every screen gets `turns` (the order, each team's package,
points so far, star, skip; the free packages; whose turn it is). While a
question runs it also gets `turn` (its owner, the star, the stage, and the
steal's buzz order with every press's time behind the first). Secrecy: a
package's points so far count revealed questions only, and no question of a
package is named before it is shown, except by id to the MC.
"""

from __future__ import annotations

from typing import Any

from quiz.rules.formats.base import CLOCK_PHASES, STEP_LABELS, Ctx, ViewCtx
from quiz.rules.formats.turns_state import (
    TeamTurn,
    TurnsSettings,
    current_team,
    finished,
    mine,
    next_question_id,
    round_of,
    settings_of,
    values_left,
)
from quiz.rules.model import Contest, Phase
from quiz.rules.state import ContestState
from quiz.rules.text import tr


def _ms(seconds: float | None) -> int | None:
    return None if seconds is None else int(round(seconds * 1000))


def _num(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 3)


def _name(contest: Contest, team: str | None) -> str:
    found = contest.team(team) if team else None
    return found.name if found else (team or "")


def _settings_part(s: TurnsSettings) -> dict[str, Any]:
    return {
        "assign": s.assign,
        "order": s.order,
        "answer_on": s.answer_on,
        "star": {"enabled": s.star, "correct": _num(s.star_correct), "wrong": _num(s.star_wrong)}
        if s.star
        else None,
        "steal": {
            "enabled": s.steal,
            "window": _num(s.steal_window),
            "correct": _num(s.steal_correct),
            "wrong": _num(s.steal_wrong),
            "take_from_owner": s.steal_take_from_owner,
        }
        if s.steal
        else None,
    }


def _package_points(contest: Contest, state: ContestState, team: str, asked: list[str]) -> float:
    from quiz.rules.scoring import question_results, voided  # scoring imports the formats

    void = voided(state)
    total = 0.0
    for qid in asked:
        q = state.questions.get(qid)
        if q is None or not q.revealed or qid in void:
            continue
        total += question_results(contest, state, qid)[team].points
    return total


def _order_rows(
    contest: Contest, state: ContestState, settings: TurnsSettings, now_team: str | None
) -> list[dict[str, Any]]:
    """Each team in the order of play: its package, progress, points and star."""
    rs = round_of(state)
    order = []
    for tid in rs.order or []:
        turn = rs.teams[tid]
        package = settings.package(turn.package)
        star = "pending" if turn.star_pending else ("used" if turn.star_on else None)
        order.append(
            {
                "team": tid,
                "name": _name(contest, tid),
                "package": turn.package,
                "asked": len(turn.asked),
                "size": package.size if package else None,
                "points": _num(_package_points(contest, state, tid, turn.asked)),
                "star": star,
                "star_question": turn.star_on,
                "skipped": turn.skipped is not None,
                "reason": turn.skipped,
                "done": finished(contest, settings, turn),
                "current": tid == now_team,
            }
        )
    return order


def _package_rows(
    contest: Contest, state: ContestState, settings: TurnsSettings
) -> list[dict[str, Any]]:
    """Each package: who took it, and the values (or points) it still offers."""
    rs = round_of(state)
    taken = {t.package: tid for tid, t in rs.teams.items() if t.package}
    packages = []
    for p in settings.packages:
        asked = rs.teams[taken[p.id]].asked if p.id in taken else []
        packages.append(
            {
                "id": p.id,
                "taken_by": taken.get(p.id),
                "size": p.size,
                "pick": [_num(v) for v in p.pick_points] or None,
                "values_left": [_num(v) for v in values_left(contest, p, asked)]
                if p.pick_points
                else None,
                "points": [contest.questions[qid].points for qid in p.questions]
                if not p.pick_points
                else None,
            }
        )
    return packages


def _me(
    state: ContestState, settings: TurnsSettings, team: str, now_team: str | None
) -> dict[str, Any]:
    """A tablet's own part: whether it is in turn and may place its star."""
    mine_turn = round_of(state).teams.get(team)
    between = state.phase in (Phase.INTRO, Phase.REVEALED)
    return {
        "in_turn": team == now_team,
        "can_star": bool(
            settings.star
            and between
            and team == now_team
            and mine_turn is not None
            and mine_turn.package is not None
            and not mine_turn.star_pending
            and mine_turn.star_on is None
        ),
        "star_pending": bool(mine_turn and mine_turn.star_pending),
    }


def round_view(contest: Contest, state: ContestState, team: str | None) -> dict[str, Any]:
    settings = settings_of(contest, state)
    rs = round_of(state)
    now_team = current_team(contest, state)
    current = rs.teams.get(now_team or "")
    view: dict[str, Any] = {
        "ordered": rs.order is not None,
        "how": rs.how or settings.order,
        "seed": rs.seed,
        "order": _order_rows(contest, state, settings, now_team),
        "packages": _package_rows(contest, state, settings),
        "current": now_team,
        "current_name": _name(contest, now_team) if now_team else None,
        "package": current.package if current else None,
        "value": _num(current.value) if current and current.value is not None else None,
        "star_pending": bool(current and current.star_pending),
        "settings": _settings_part(settings),
    }
    if team is not None:
        view["me"] = _me(state, settings, team, now_team)
    return {"turns": view}


def round_step(contest: Contest, state: ContestState) -> dict[str, Any] | None:
    """Between questions: order, package, value, then show (with the star beside it)."""
    settings = settings_of(contest, state)
    rs = round_of(state)
    if rs.order is None:
        label = tr("Bốc thăm thứ tự thi") if settings.order == "draw" else tr("Công bố thứ tự thi")
        return {"command": "turns_order", "label": label}
    team = current_team(contest, state)
    if team is None:
        return None  # every team has played: the round is over
    turn, name = rs.teams[team], _name(contest, team)
    skip_label = tr("Đội vắng — bỏ qua lượt {team}", team=name)
    skip = {"command": "turns_skip", "team": team, "label": skip_label}
    extra: dict[str, Any] = {"team": team, "skip": skip if not turn.asked else None}
    package = settings.package(turn.package)
    if package is None:
        free = [
            p.id for p in settings.packages if all(t.package != p.id for t in rs.teams.values())
        ]
        return {
            "command": "turns_package",
            "label": tr("Chọn gói câu hỏi — {team}", team=name),
            "choose": True,  # the MC picks one of `packages` (the format's panel)
            "packages": free,
            **extra,
        }
    star = _star_step(settings, team, turn)
    if package.pick_points and turn.value is None:
        return {
            "command": "turns_value",
            "label": tr("Chọn mức điểm — {team}", team=name),
            "choose": True,  # the MC picks one of `values`
            "values": [_num(v) for v in values_left(contest, package, turn.asked)],
            "star": star,
            **extra,
        }
    qid = next_question_id(contest, state)
    assert qid is not None
    label = tr(
        "Hiện câu hỏi — {team}, câu {n}/{of} ({points} điểm)",
        team=name,
        n=len(turn.asked) + 1,
        of=package.size,
        points=contest.questions[qid].points,
    )
    return {"command": "show", "label": label, "question": qid, "star": star, **extra}


def _star_step(settings: TurnsSettings, team: str, turn: TeamTurn) -> dict[str, Any] | None:
    """Beside the next step: place the star of hope, or take back one placed by mistake."""
    if not settings.star or turn.star_on is not None:
        return None
    if turn.star_pending:
        return {"command": "turns_unstar", "team": team, "label": tr("Bỏ ngôi sao (đặt nhầm)")}
    return {"command": "turns_star", "team": team, "label": tr("Đặt ngôi sao hy vọng")}


def _stage(state: ContestState, v: ViewCtx) -> str:
    """ready | answering | missed | steal | steal_answering | closed | revealed."""
    phase, tq = state.phase, mine(v.ctx.q)
    if phase == Phase.REVEALED:
        return "revealed"
    if phase == Phase.CLOSED:
        return "closed"
    if phase == Phase.SHOWN:
        return "ready"
    if phase == Phase.OPEN:
        return "steal"
    if len(tq.attempts) <= 1:
        return "answering" if tq.attempts and tq.attempts[0].verdict is None else "missed"
    return "steal_answering"


def turn_view(v: ViewCtx) -> dict[str, Any]:
    ctx = v.ctx
    contest, state, tq = ctx.contest, ctx.state, mine(ctx.q)
    owner = tq.attempts[0] if tq.attempts else None
    thief = tq.attempts[1] if len(tq.attempts) > 1 else None
    firsts = min((p.pressed for p in tq.presses), default=0.0)
    presses = [
        {
            "team": p.team,
            "name": _name(contest, p.team),
            "behind_ms": _ms(p.pressed - firsts),
            "time_ms": _ms(p.time),
            "late": p.late,
            "answered": thief is not None and thief.team == p.team,
        }
        for p in sorted(tq.presses, key=lambda p: p.pressed)
    ]
    rs = round_of(state)
    turn = rs.teams.get(tq.owner)
    package = settings_of(contest, state).package(tq.package)
    number = turn.asked.index(ctx.q.id) + 1 if turn and ctx.q.id in turn.asked else None
    return {
        "owner": tq.owner,
        "owner_name": _name(contest, tq.owner),
        "package": tq.package,
        "number": number,  # the question's place in its package, and the package's size
        "of": package.size if package else None,
        "star": tq.star,
        "stage": _stage(state, v),
        "owner_verdict": owner.verdict if owner and not owner.undone else None,
        "time_up": bool(
            tq.attempts and tq.attempts[-1].verdict is None and tq.attempts[-1].time_up_at
        ),
        "stealer": thief.team if thief else None,
        "stealer_name": _name(contest, thief.team) if thief else None,
        "stealer_verdict": thief.verdict if thief and not thief.undone else None,
        "presses": presses,
    }


def team_part(v: ViewCtx, team: str) -> dict[str, Any]:
    ctx = v.ctx
    state, tq = ctx.state, mine(ctx.q)
    settings = ctx.round.settings
    assert isinstance(settings, TurnsSettings)
    current = tq.attempts[-1] if tq.attempts else None
    answering = state.phase == Phase.ANSWERING and current is not None and current.verdict is None
    if team == tq.owner:
        buzzer = "owner"
    elif any(a.team == team for a in tq.attempts):
        buzzer = "won" if answering and current is not None and current.team == team else "done"
    elif state.phase == Phase.OPEN and tq.openings:
        buzzer = "buzzed" if any(r.team == team for r in tq.buzzes) else "open"
    elif state.phase == Phase.ANSWERING and tq.openings:
        buzzer = "lost"
    else:
        buzzer = "closed"
    can_answer = (
        settings.answer_on == "tablet"
        and answering
        and current is not None
        and current.team == team
    )
    return {
        "allow_change": False,
        "buzzer": None,
        "answer_on": settings.answer_on,
        "turn_me": {"owner": team == tq.owner, "steal": buzzer, "can_answer": can_answer},
    }


def mc_step(v: ViewCtx) -> dict[str, Any] | None:
    ctx = v.ctx
    contest, state, q, tq = ctx.contest, ctx.state, ctx.q, mine(ctx.q)
    phase = state.phase
    current = tq.attempts[-1] if tq.attempts else None
    time_up = bool(current and current.verdict is None and current.time_up_at is not None)
    stopped = q.clock is not None and not q.clock.running and phase in CLOCK_PHASES
    if stopped and not time_up and not (current is not None and current.verdict is not None):
        return {"command": "resume", "label": tr(STEP_LABELS["resume"]), "question": q.id}
    if phase == Phase.SHOWN:
        return {
            "command": "open",
            "label": f"{tr(STEP_LABELS['open'])} — {_name(contest, tq.owner)}",
            "question": q.id,
        }
    if phase == Phase.OPEN:
        return {
            "command": "close",
            "label": tr("Đang mở cướp điểm — dừng nếu không đội nào bấm"),
            "question": q.id,
        }
    if phase != Phase.ANSWERING or current is None:
        return None
    settings = ctx.round.settings
    assert isinstance(settings, TurnsSettings)
    if current.verdict is not None:  # the owner missed: the steal is the next step
        return {"command": "turns_steal", "label": tr("Mở quyền cướp điểm"), "question": q.id}
    who = _name(contest, current.team)
    stealing = len(tq.attempts) > 1
    if settings.answer_on == "tablet" and not time_up:
        return {
            "command": "wait",
            "label": tr("Đang chờ {team} trả lời trên máy", team=who),
            "question": q.id,
            "team": current.team,
        }
    label = tr("Chấm câu cướp điểm") if stealing else tr("Chấm Đúng / Sai")
    return {
        "command": "judge",
        "label": (tr("Hết giờ") + " — " if time_up else "") + f"{label} — {who}",
        "question": q.id,
        "team": current.team,
        "time_up": time_up,
    }


def verdict_points(ctx: Ctx, verdict: str, attempt: int | None = None) -> float:
    """What a judged turn with `verdict` scores (the notices' deltas): turn
    `attempt`, else the newest with that verdict. The steal's multipliers for a
    steal (any turn after the first), the star's for the team in turn."""
    settings = ctx.round.settings
    assert isinstance(settings, TurnsSettings)
    tq, points = mine(ctx.q), float(ctx.question.points)
    same = [i for i, a in enumerate(tq.attempts) if a.verdict == verdict]
    index = attempt if attempt is not None else (same[-1] if same else 0)
    if index > 0:
        return points * (settings.steal_correct if verdict == "correct" else settings.steal_wrong)
    if verdict == "correct":
        return points * (settings.star_correct if tq.star else 1)
    return points * settings.star_wrong if tq.star else 0.0
