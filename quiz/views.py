"""What each audience may see: mc_view, team_view(team), board_view.

Views are plain JSON-ready dicts computed from the contest and the state at
time `now`. They are the only way state leaves the server, so secrecy lives
here: until a question is revealed, no team or board view contains its
answer key, or anything derived from it (correctness, points). The MC view
alone carries the key. Imports model, state, answers, scoring, engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import ceremony, engine, notices
from .answers import display, is_correct, key_display, key_for_wire
from .buzzview import buzz_view
from .distribution import distribution
from .history import undoable
from .model import Contest, Phase, Question
from .scoring import Standing, all_results, overrides_for, question_results, standings, voided
from .state import ContestState, QuestionState

FORMAT_TITLES = {"all": "Câu hỏi chung", "buzzer": "Giành quyền trả lời"}


def ms(seconds: float | None) -> int | None:
    return None if seconds is None else int(round(seconds * 1000))


def _num(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 3)


def _contest(contest: Contest) -> dict[str, Any]:
    return {
        "id": contest.id,
        "title": contest.title,
        "subtitle": contest.subtitle,
        "organizer": contest.organizer,
        "date": contest.date,
        "venue": contest.venue,
    }


def _round(contest: Contest, state: ContestState) -> dict[str, Any] | None:
    if state.round < 0:
        return None
    rnd = contest.rounds[state.round]
    return {
        "id": rnd.id,
        "title": rnd.title,
        "format": rnd.format,
        "format_title": FORMAT_TITLES.get(rnd.format, rnd.format),
        "number": state.round + 1,
        "of": len(contest.rounds),
        "questions": len(rnd.question_ids),
        "settings": _settings(rnd.settings),
    }


def _settings(settings: object) -> dict[str, Any]:
    data = dict(vars(settings)) if hasattr(settings, "__dict__") else {}
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items()}


def _question(contest: Contest, state: ContestState, q: QuestionState) -> dict[str, Any]:
    """The question as anyone may see it: never the key."""
    return public_question(contest, q.id, q.round, q.index)


def public_question(contest: Contest, qid: str, round_index: int, index: int) -> dict[str, Any]:
    """A question's text, options and settings, without its answer."""
    question = contest.questions[qid]
    rnd = contest.rounds[round_index]
    return {
        "id": question.id,
        "number": index + 1,
        "of": len(rnd.question_ids),
        "round": round_index,
        "type": question.type,
        "text": question.text,
        "choices": [{"key": k, "text": t} for k, t in question.choices],
        "items": [{"key": k, "text": t} for k, t in question.items],
        "unit": question.unit,
        "image": f"/media/{question.id}" if question.image else None,
        "points": question.points,
        "time_limit": question.time_limit,
    }


def _clock(state: ContestState, q: QuestionState, now: float) -> dict[str, Any] | None:
    clock = q.clock
    if clock is None or state.phase not in engine.CLOCK_PHASES:
        return None
    return {
        "kind": clock.kind,
        "running": clock.running,
        "limit_ms": ms(clock.limit),
        "remaining_ms": ms(clock.remaining(now)),
        "deadline": ms(clock.deadline()),
    }


def _buzz(contest: Contest, state: ContestState, q: QuestionState) -> dict[str, Any] | None:
    if contest.rounds[q.round].format != "buzzer":
        return None
    return buzz_view(contest, state, q)


def _scoreboard(table: list[Standing], before: list[Standing] | None) -> list[dict[str, Any]]:
    prior = {s.team: s.rank for s in before} if before else {}
    return [
        {
            "team": s.team,
            "name": s.name,
            "total": _num(s.total),
            "rank": s.rank,
            "previous_rank": prior.get(s.team),
            "correct": s.correct_count,
            "answer_time_ms": ms(s.answer_time),
        }
        for s in table
    ]


def _scored_last(state: ContestState) -> frozenset[str]:
    """The question whose points came last, to show rank changes against."""
    q = state.question
    return frozenset({q.id}) if q is not None else frozenset()


def _base(contest: Contest, state: ContestState, now: float, role: str) -> dict[str, Any]:
    q = state.question
    view: dict[str, Any] = {
        "role": role,
        "v": state.seq,
        "now": ms(now),
        "contest": _contest(contest),
        "phase": state.phase.value,
        "round": _round(contest, state),
        "question": None,
        "clock": None,
        "buzz": None,
        "reveal": None,
        "show_scoreboard": state.show_scoreboard or state.phase == Phase.FINISHED,
        "teams": [{"id": t.id, "name": t.name} for t in contest.teams],
    }
    if q is not None and state.phase not in (Phase.INTRO, Phase.LOBBY, Phase.FINISHED):
        view["question"] = _question(contest, state, q)
        view["clock"] = _clock(state, q, now)
        view["buzz"] = _buzz(contest, state, q)
        # Why answering ended: "time" (Hết giờ!) or "mc" (Dừng sớm), ...; None while open.
        view["close_reason"] = q.close_reason
        answered = set(_shown_answers(contest, state, q))
        for team in view["teams"]:
            team["answered"] = team["id"] in answered
    return view


def _reveal(contest: Contest, state: ContestState, q: QuestionState) -> dict[str, Any]:
    question = contest.questions[q.id]
    results = question_results(contest, state, q.id)
    return {
        "answer": key_display(question),
        "key": key_for_wire(question),
        "explanation": question.explanation,
        "source": question.source,
        "void": q.id in voided(state),
        "results": [
            {
                "team": t.id,
                "name": t.name,
                "correct": results[t.id].correct,
                "points": _num(results[t.id].points),
            }
            for t in contest.teams
        ],
    }


def _boards(contest: Contest, state: ContestState, q: QuestionState) -> list[dict[str, Any]] | None:
    """The raised boards: every team's answer side by side, once time is up."""
    if contest.rounds[q.round].format != "all" or state.phase not in (Phase.CLOSED, Phase.REVEALED):
        return None
    question = contest.questions[q.id]
    values = _shown_answers(contest, state, q)
    return [
        {
            "team": t.id,
            "name": t.name,
            "answer": display(question, values[t.id]) if t.id in values else None,
        }
        for t in contest.teams
    ]


def _revealed(state: ContestState) -> QuestionState | None:
    q = state.question
    return q if q is not None and q.revealed and state.phase == Phase.REVEALED else None


@dataclass(frozen=True)
class Tables:
    """The standings now and before the latest question, computed once per push."""

    now: list[Standing]
    before: list[Standing]


def tables(contest: Contest, state: ContestState) -> Tables:
    results = all_results(contest, state)
    return Tables(
        standings(contest, state, results=results),
        standings(contest, state, exclude=_scored_last(state), results=results),
    )


def board_view(
    contest: Contest, state: ContestState, now: float, t: Tables | None = None
) -> dict[str, Any]:
    """The projector: question, clock, who answered, raised boards, reveal, scores."""
    t = t or tables(contest, state)
    view = _base(contest, state, now, "board")
    q = state.question
    if q is not None and view["question"] is not None:
        view["boards"] = _boards(contest, state, q)
        revealed = _revealed(state)
        if revealed is not None:
            view["reveal"] = _reveal(contest, state, revealed)
            view["reveal"]["distribution"] = distribution(contest, state, revealed)
    view["scoreboard"] = _scoreboard(t.now, t.before)
    view["notices"] = notices.for_board(contest, state)
    view["ceremony"] = ceremony.ceremony_view(contest, state, t.now)
    view["summary"] = ceremony.summary_view(contest, state)
    return view


def team_view(
    contest: Contest, state: ContestState, team_id: str, now: float, t: Tables | None = None
) -> dict[str, Any]:
    """One team's tablet: the question, its own answer and buzzer, its result."""
    t = t or tables(contest, state)
    view = _base(contest, state, now, "team")
    team = contest.team(team_id)
    assert team is not None
    mine = next(s for s in t.now if s.team == team_id)
    scored = any(s.total or s.correct_count for s in t.now)
    rank = mine.rank if scored else None  # no rank before any point is scored
    view["me"] = {"id": team.id, "name": team.name, "total": _num(mine.total), "rank": rank}
    view["teams"] = []  # a tablet needs no other team's progress
    view["notices"] = notices.for_team(contest, state, team_id)
    view["prize"] = ceremony.prize_of(contest, state, t.now, team_id)
    q = state.question
    view["my_answer"] = None
    view["buzzer"] = None
    view["result"] = None
    if q is None or view["question"] is None:
        return view
    question = contest.questions[q.id]
    record = q.answers.get(team_id)
    if record is not None:
        view["my_answer"] = {
            "value": record.value,
            "display": display(question, record.value),
            "time_ms": ms(record.time),
            "nonce": record.nonce,
        }
    rnd = contest.rounds[q.round]
    view["allow_change"] = bool(getattr(rnd.settings, "allow_change", False))
    if rnd.format == "buzzer":
        view["buzzer"] = _buzzer_state(state, q, team_id)
        view["answer_on"] = getattr(rnd.settings, "answer_on", "voice")
    revealed = _revealed(state)
    if revealed is not None:
        result = mine.results.get(q.id)
        view["reveal"] = {
            "answer": key_display(question),
            "key": key_for_wire(question),
            "explanation": question.explanation,
            "source": question.source,
        }
        if result is not None:
            view["result"] = {"correct": result.correct, "points": _num(result.points)}
    return view


def _buzzer_state(state: ContestState, q: QuestionState, team_id: str) -> str:
    """closed | open | buzzed | won | locked_out | done | lost."""
    if team_id in q.locked_out:
        return "locked_out"
    current = q.attempts[-1] if q.attempts else None
    if current is not None and current.verdict is None and current.team == team_id:
        return "won"
    if any(a.team == team_id for a in q.attempts):
        return "done"
    if state.phase == Phase.OPEN:
        return "buzzed" if any(b.team == team_id for b in q.buzzes) else "open"
    if state.phase == Phase.ANSWERING:
        return "lost"
    return "closed"


NEXT_LABELS = {
    "start_round": "Bắt đầu phần thi",
    "show": "Hiện câu hỏi",
    "open": "Bắt đầu tính giờ",
    "close": "Dừng sớm",
    "reveal": "Công bố đáp án",
    "judge": "Chấm đúng / sai",
    "finish": "Kết thúc hội thi",
    "resume": "Tiếp tục",
    "wait": "Đang chờ",
}


def next_step(contest: Contest, state: ContestState) -> dict[str, Any]:
    """The one obvious next step for the MC."""
    phase, q = state.phase, state.question
    if phase == Phase.FINISHED:
        return _ceremony_step(contest, state)
    if phase == Phase.LOBBY:
        return {
            "command": "start_round",
            "label": NEXT_LABELS["start_round"],
            "round": contest.rounds[0].id,
        }
    if phase in (Phase.INTRO, Phase.REVEALED):
        rnd = contest.rounds[state.round]
        following = q.index + 1 if q is not None and q.round == state.round else 0
        if following < len(rnd.question_ids):
            return {
                "command": "show",
                "label": f"{NEXT_LABELS['show']} (Câu {following + 1}/{len(rnd.question_ids)})",
                "question": rnd.question_ids[following],
            }
        if state.round + 1 < len(contest.rounds):
            nxt = contest.rounds[state.round + 1]
            return {
                "command": "start_round",
                "label": f"Sang phần thi: {nxt.title}",
                "round": nxt.id,
            }
        return {"command": "start_round", "label": NEXT_LABELS["finish"]}
    assert q is not None
    time_up = (
        phase == Phase.ANSWERING and bool(q.attempts) and q.attempts[-1].time_up_at is not None
    )
    stopped = q.clock is not None and not q.clock.running and phase in engine.CLOCK_PHASES
    if stopped and not (time_up and q.clock is not None and q.clock.elapsed >= q.clock.limit):
        return {"command": "resume", "label": NEXT_LABELS["resume"], "question": q.id}
    if phase == Phase.SHOWN:
        label = "Mở chuông" if contest.rounds[q.round].format == "buzzer" else NEXT_LABELS["open"]
        return {"command": "open", "label": label, "question": q.id}
    if phase == Phase.OPEN:
        return {"command": "close", "label": NEXT_LABELS["close"], "question": q.id}
    if phase == Phase.ANSWERING:
        return {
            "command": "judge",
            "label": "Hết giờ — chấm Đúng / Sai / Hết giờ" if time_up else NEXT_LABELS["judge"],
            "question": q.id,
            "team": q.attempts[-1].team,
            "time_up": time_up,
        }
    return {"command": "reveal", "label": NEXT_LABELS["reveal"], "question": q.id}


def _ceremony_step(contest: Contest, state: ContestState) -> dict[str, Any]:
    """After the last round: the next prize to reveal, the last prize first."""
    view = ceremony.ceremony_view(contest, state, standings(contest, state), everything=True)
    if view is None or view["next"] is None:
        return {"command": None, "label": "Hội thi đã kết thúc"}
    nxt = view["next"]
    return {
        "command": "ceremony_next",
        "label": f"Công bố {nxt['name']} ({nxt['teams']} đội)",
        "step": view["shown"] + 1,
        "of": view["steps"],
    }


def _correction(contest: Contest, c: Any) -> dict[str, Any]:
    question = contest.questions.get(c.question) if c.question else None
    value = display(question, c.value) if question is not None and c.value is not None else None
    team = contest.team(c.team) if c.team else None
    return {
        "id": c.id,
        "kind": c.kind,
        "at": ms(c.at),
        "reason": c.reason,
        "team": c.team,
        "team_name": team.name if team else None,
        "question": c.question,
        "delta": _num(c.delta),
        "value": value,
        "correct": c.correct,
        "undone": c.undone,
        "undo_reason": c.undo_reason,
    }


def mc_view(
    contest: Contest, state: ContestState, now: float, t: Tables | None = None
) -> dict[str, Any]:
    """The MC console: everything, the answer key included."""
    t = t or tables(contest, state)
    view = board_view(contest, state, now, t)
    view["role"] = "mc"
    view["next"] = next_step(contest, state)
    q = state.question
    if q is not None and view["question"] is not None:
        question = contest.questions[q.id]
        view["key"] = {
            "answer": key_display(question),
            "key": key_for_wire(question),
            "explanation": question.explanation,
            "source": question.source,
            "note": question.note,
            "tolerance": question.tolerance or None,
        }
        view["answers"] = _live_answers(contest, state, q, question)
    view["corrections"] = [_correction(contest, c) for c in state.corrections]
    view["undoable"] = undo_list(contest, state)
    view["ceremony"] = ceremony.ceremony_view(contest, state, t.now, everything=True)
    view["offer"] = _offer(contest, state)
    void = voided(state)
    view["asked"] = [
        {
            **public_question(contest, qid, qs.round, qs.index),
            "text": contest.questions[qid].text[:80],
            "void": qid in void,
        }
        for qid, qs in state.questions.items()
    ]
    return view


def _offer(contest: Contest, state: ContestState) -> dict[str, Any] | None:
    """A step the MC may take besides the next one: the round summary on the board."""
    if state.round < 0 or state.phase not in (Phase.REVEALED, Phase.INTRO):
        return None
    if state.phase == Phase.INTRO and state.round == 0:
        return None
    q = state.question
    if state.phase == Phase.REVEALED:
        rnd = contest.rounds[state.round]
        if q is None or q.round != state.round or q.index + 1 < len(rnd.question_ids):
            return None  # the round is not over yet
    showing = state.summary is not None
    return {
        "command": "summary",
        "show": not showing,
        "label": "Ẩn tổng kết phần thi" if showing else "Tổng kết phần thi trên màn hình",
    }


def undo_list(contest: Contest, state: ContestState) -> list[dict[str, Any]]:
    """What the MC may take back, newest first, each saying what it was."""
    out = []
    for item in undoable(state):
        if item.correction is not None:
            out.append(
                {
                    "key": item.key,
                    "id": item.correction.id,
                    "kind": item.correction.kind,
                    "at": ms(item.at),
                    "team": item.correction.team,
                    "question": item.correction.question,
                    "label": notices.describe(contest, state, item.correction),
                }
            )
            continue
        attempt = item.attempt
        assert attempt is not None and attempt.verdict is not None
        team = contest.team(attempt.team)
        where = notices.question_name(contest, state, item.question)
        word = notices.VERDICT_WORDS.get(attempt.verdict, attempt.verdict)
        out.append(
            {
                "key": item.key,
                "id": None,
                "kind": "verdict",
                "at": ms(item.at),
                "team": attempt.team,
                "question": item.question,
                "label": f"Chấm {where} — {team.name if team else attempt.team}: {word}",
            }
        )
    return out


def _live_answers(
    contest: Contest, state: ContestState, q: QuestionState, question: Question
) -> list[dict[str, Any]]:
    """Every team's answer so far, with whether it matches the key (MC only)."""
    overrides = overrides_for(state, q.id)
    rows = []
    for t in contest.teams:
        record = q.answers.get(t.id)
        value = record.value if record else None
        correct = is_correct(question, value) if record else None
        override = overrides.get(t.id)
        if override is not None:
            if override.value is not None:
                value, correct = override.value, is_correct(question, override.value)
            if override.correct is not None:
                correct = override.correct
        rows.append(
            {
                "team": t.id,
                "name": t.name,
                "answer": display(question, value) if value is not None else None,
                "correct": correct,
                "time_ms": ms(record.time) if record else None,
                "by_hand": override is not None,
            }
        )
    return rows


def _shown_answers(contest: Contest, state: ContestState, q: QuestionState) -> dict[str, Any]:
    """Each team's answer as the hall sees it: its own, or the one set by hand."""
    values: dict[str, Any] = {team: record.value for team, record in q.answers.items()}
    for team, override in overrides_for(state, q.id).items():
        if override.value is not None:
            values[team] = override.value
    return values
