"""What each audience may see: mc_view, team_view(team), board_view.

Views are plain JSON-ready dicts computed from the contest and the state at
time `now`. They are the only way state leaves the server, so secrecy lives
here: until a question is revealed, no team or board view contains its
answer key, or anything derived from it (correctness, points). The MC view
alone carries the key. Built from view_parts (whose `ms`, `public_question`,
`Tables` and `tables` are importable from here). Imports model, state,
answers, scoring, engine.
"""

from __future__ import annotations

from typing import Any

from quiz.rules import ceremony, engine, notices, tiebreak_view
from quiz.rules.answers import display, is_correct, key_display, key_for_wire
from quiz.rules.formats import FORMATS
from quiz.rules.formats.base import STEP_LABELS
from quiz.rules.history import undoable
from quiz.rules.model import Contest, Phase, Question
from quiz.rules.scoring import (
    overrides_for,
    standings,
    voided,
)
from quiz.rules.state import ContestState, QuestionState
from quiz.rules.text import tr
from quiz.rules.view_parts import (
    Tables,
    base_view,
    format_of,
    ms,
    plain_number,
    public_question,
    reveal_view,
    revealed_question,
    scoreboard_rows,
    tables,
    view_ctx,
)

__all__ = [
    "NEXT_LABELS",
    "Tables",
    "board_view",
    "mc_view",
    "ms",
    "next_step",
    "player_shared",
    "player_view",
    "public_question",
    "tables",
    "team_view",
    "undo_list",
]

NEXT_LABELS = STEP_LABELS


def board_view(
    contest: Contest, state: ContestState, now: float, t: Tables | None = None
) -> dict[str, Any]:
    """The projector: question, clock, who answered, raised boards, reveal, scores."""
    t = t or tables(contest, state)
    view = base_view(contest, state, now, "board")
    q = state.question
    if q is not None and view["question"] is not None:
        fmt, part = format_of(contest, q), view_ctx(contest, state, q, now)
        view["boards"] = None
        view.update(fmt.board(part))
        revealed = revealed_question(state)
        if revealed is not None:
            view["reveal"] = reveal_view(contest, state, revealed)
            view["reveal"]["distribution"] = None
            view["reveal"].update(fmt.board_reveal(part))
    view["scoreboard"] = scoreboard_rows(t.now, t.before)
    view["notices"] = notices.for_board(contest, state)
    view["ceremony"] = ceremony.ceremony_view(contest, state, t.now)
    view["summary"] = ceremony.summary_view(contest, state)
    view["tiebreak"] = tiebreak_view.view(contest, state)
    view["tiebreaks"] = tiebreak_view.settled(contest, state)
    tiebreak_view.annotate(view, contest, state)
    return view


def team_view(
    contest: Contest, state: ContestState, team_id: str, now: float, t: Tables | None = None
) -> dict[str, Any]:
    """One team's tablet: the question, its own answer and buzzer, its result."""
    t = t or tables(contest, state)
    view = base_view(contest, state, now, "team", team_id)
    team = contest.team(team_id)
    assert team is not None
    mine = next(s for s in t.now if s.team == team_id)
    scored = any(s.total or s.correct_count for s in t.now)
    rank = mine.rank if scored else None  # no rank before any point is scored
    view["me"] = {"id": team.id, "name": team.name, "total": plain_number(mine.total), "rank": rank}
    view["teams"] = []  # a tablet needs no other team's progress
    view["notices"] = notices.for_team(contest, state, team_id)
    view["prize"] = ceremony.prize_of(contest, state, t.now, team_id)
    view["tiebreak"] = tiebreak_view.view(contest, state)
    q = state.question
    view["my_answer"] = None
    view["buzzer"] = None
    view["result"] = None
    if q is None or view["question"] is None:
        return view
    question = contest.questions[q.id]
    view["allow_change"] = False
    view.update(format_of(contest, q).team(view_ctx(contest, state, q, now), team_id))
    revealed = revealed_question(state)
    if revealed is not None:
        result = mine.results.get(q.id)
        view["reveal"] = {
            "answer": key_display(question),
            "key": key_for_wire(question),
            "explanation": question.explanation,
            "source": question.source,
        }
        if result is not None:
            view["result"] = {"correct": result.correct, "points": plain_number(result.points)}
    return view


def next_step(contest: Contest, state: ContestState) -> dict[str, Any]:
    """The one obvious next step for the MC."""
    phase, q = state.phase, state.question
    if phase == Phase.FINISHED:
        return _ceremony_step(contest, state)
    if phase == Phase.LOBBY:
        return {
            "command": "start_round",
            "label": tr(NEXT_LABELS["start_round"]),
            "round": contest.rounds[0].id,
        }
    if (own_step := tiebreak_view.next_step(contest, state)) is not None:
        return own_step
    if phase in (Phase.INTRO, Phase.REVEALED):
        rnd = contest.rounds[state.round]
        if (between := FORMATS[rnd.format].round_step(contest, state)) is not None:
            return between
        following = FORMATS[rnd.format].next_question(contest, state)
        if following is not None:
            qid = rnd.question_ids[following]
            label = FORMATS[rnd.format].show_label(contest, qid, following)
            return {
                "command": "show",
                "label": label
                or tr("Hiện câu hỏi (Câu {n}/{of})", n=following + 1, of=len(rnd.question_ids)),
                "question": qid,
            }
        if state.round + 1 < len(contest.rounds):
            nxt = contest.rounds[state.round + 1]
            return {
                "command": "start_round",
                "label": tr("Sang phần thi: {title}", title=nxt.title),
                "round": nxt.id,
            }
        return {"command": "start_round", "label": tr(NEXT_LABELS["finish"])}
    assert q is not None
    own = format_of(contest, q).mc_step(view_ctx(contest, state, q, 0.0))
    if own is not None:
        return own
    if q.clock is not None and not q.clock.running and phase in engine.CLOCK_PHASES:
        return {"command": "resume", "label": tr(NEXT_LABELS["resume"]), "question": q.id}
    if phase == Phase.SHOWN:
        return {"command": "open", "label": tr(NEXT_LABELS["open"]), "question": q.id}
    if phase == Phase.OPEN:
        return {"command": "close", "label": tr(NEXT_LABELS["close"]), "question": q.id}
    return {"command": "reveal", "label": tr(NEXT_LABELS["reveal"]), "question": q.id}


def _ceremony_step(contest: Contest, state: ContestState) -> dict[str, Any]:
    """After the last round: the next prize to reveal, the last prize first."""
    view = ceremony.ceremony_view(contest, state, standings(contest, state), everything=True)
    if view is None or view["next"] is None:
        return {"command": None, "label": tr("Hội thi đã kết thúc")}
    nxt = view["next"]
    return {
        "command": "ceremony_next",
        "label": tr("Công bố {prize} ({teams} đội)", prize=nxt["name"], teams=nxt["teams"]),
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
        "delta": plain_number(c.delta),
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
        view.update(format_of(contest, q).mc(view_ctx(contest, state, q, now)))
    view["corrections"] = [_correction(contest, c) for c in state.corrections]
    view["undoable"] = undo_list(contest, state)
    view["ceremony"] = ceremony.ceremony_view(contest, state, t.now, everything=True)
    view["offer"] = _offer(contest, state)
    view["tiebreak"] = tiebreak_view.view(contest, state, mc=True)
    tiebreak_view.annotate(view, contest, state)
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
        "label": tr("Ẩn tổng kết phần thi") if showing else tr("Tổng kết phần thi trên màn hình"),
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
        word = notices.verdict_word(attempt.verdict)
        out.append(
            {
                "key": item.key,
                "id": None,
                "kind": "verdict",
                "at": ms(item.at),
                "team": attempt.team,
                "question": item.question,
                "label": tr(
                    "Chấm {question} — {team}: {verdict}",
                    question=where,
                    team=team.name if team else attempt.team,
                    verdict=word,
                ),
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


def player_shared(contest: Contest, state: ContestState, now: float) -> dict[str, Any]:
    """What every player's phone sees alike, built once per push: the question,
    the clock, the floor's counts, and the key only once revealed."""
    view = base_view(contest, state, now, "player")
    view["teams"] = []
    view["notices"] = []
    q = state.question
    view["floor"] = None
    if q is None or view["question"] is None:
        return view
    part = view_ctx(contest, state, q, now)
    view.update(format_of(contest, q).team(part, ""))
    view["my_answer"] = None
    revealed = revealed_question(state)
    if revealed is not None:
        question = contest.questions[q.id]
        view["reveal"] = {
            "answer": key_display(question),
            "key": key_for_wire(question),
            "explanation": question.explanation,
            "source": question.source,
        }
    return view


def player_view(
    contest: Contest,
    state: ContestState,
    number: str,
    now: float,
    shared: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One player's phone: the shared part and its own few keys."""
    base = shared if shared is not None else player_shared(contest, state, now)
    player = contest.player(number)
    assert player is not None
    team = contest.team(player.team) if player.team else None
    view = dict(base)
    view["me"] = {
        "number": player.number,
        "name": player.name,
        "unit": team.name if team else player.unit,
    }
    q = state.question
    if q is not None and base["question"] is not None:
        view.update(format_of(contest, q).player(view_ctx(contest, state, q, now), number))
    return view
