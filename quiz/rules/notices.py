"""Every change to a score, as a short notice for the board and the team's tablet.

A notice says which team, how many points and why: a buzz verdict, a score
adjustment, an answer set by hand, a voided question, or any of these taken
back. Notices are derived from the state (never stored), newest first, and
each has a stable id so a screen shows it once. The points of a change to a
question not yet revealed are left out (they would tell its answer).
Imports model, state, scoring, formats, history.
"""

from __future__ import annotations

from typing import Any

from quiz.rules.formats import FORMATS, judged
from quiz.rules.formats.base import Ctx, Verdict
from quiz.rules.history import verdicts
from quiz.rules.model import Contest, Phase
from quiz.rules.scoring import overrides_for
from quiz.rules.state import ContestState, Correction
from quiz.rules.text import N_, tr

LIMIT = 8  # the newest notices a view carries
# Words for verdicts and corrections: tr() each where it is shown (verdict_word, kind_word).
VERDICT_WORDS = {
    "correct": N_("Trả lời đúng"),
    "wrong": N_("Trả lời sai"),
    "timeout": N_("Hết giờ"),
}
KIND_WORDS = {
    "adjust": N_("Điều chỉnh điểm"),
    "set_answer": N_("Sửa kết quả"),
    "void": N_("Hủy kết quả câu hỏi"),
    "verdict": N_("Chấm giành quyền trả lời"),
    "reinstate": N_("Đưa thí sinh trở lại sàn thi đấu"),
    "judge_score": N_("Sửa điểm giám khảo"),
}

_cache: dict[int, tuple[int, str, list[dict[str, Any]]]] = {}


def verdict_word(verdict: str) -> str:
    """A buzz verdict ("correct", "wrong", "timeout") in the installed language."""
    word = VERDICT_WORDS.get(verdict)
    return tr(word) if word is not None else verdict


def kind_word(kind: str) -> str:
    """A correction's kind in the installed language."""
    word = KIND_WORDS.get(kind)
    return tr(word) if word is not None else kind


def question_name(contest: Contest, state: ContestState, qid: str | None) -> str:
    """ "Phần 1 – Câu 3" for an asked question."""
    if qid is None or qid not in state.questions:
        return ""
    q = state.questions[qid]
    return tr("Phần {round} – Câu {n}", round=q.round + 1, n=q.index + 1)


def _num(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 3)


def _ms(seconds: float) -> int:
    return int(round(seconds * 1000))


def _secret(state: ContestState, qid: str | None) -> bool:
    """The question's result is not public yet: it is current and not revealed."""
    if qid is None or qid != state.current or qid not in state.questions:
        return False
    return not state.questions[qid].revealed and state.phase != Phase.REVEALED


def _points_on(
    contest: Contest, state: ContestState, qid: str, team: str, overrides: dict[str, Verdict]
) -> float:
    q = state.questions[qid]
    rnd = contest.rounds[q.round]
    ctx = Ctx(contest, state, rnd, contest.questions[qid], q)
    return FORMATS[rnd.format].score(ctx, overrides, [team])[team].points


def _overrides(state: ContestState, c: Correction, including: bool) -> dict[str, Verdict]:
    """The hand-set answers in force for c's question and team just before (or after) c."""
    found: dict[str, Verdict] = {}
    for other in state.corrections:
        if other.kind != "set_answer" or other.question != c.question or other.team != c.team:
            continue
        if other.id < c.id and not other.undone or (including and other.id == c.id):
            found[other.team or ""] = Verdict(value=other.value, correct=other.correct)
    return found


def effect(contest: Contest, state: ContestState, c: Correction) -> dict[str, float]:
    """How correction c changed each team's total when it was made."""
    if c.kind == "adjust" and c.team:
        return {c.team: c.delta}
    if c.kind == "set_answer" and c.team and c.question in state.questions:
        after = _points_on(contest, state, c.question, c.team, _overrides(state, c, True))
        before = _points_on(contest, state, c.question, c.team, _overrides(state, c, False))
        return {c.team: after - before}
    if c.kind == "judge_score" and c.question in state.questions:
        return judged.correction_effect(contest, state, c)
    if c.kind == "void" and c.question in state.questions:
        q = state.questions[c.question]
        rnd = contest.rounds[q.round]
        ctx = Ctx(contest, state, rnd, contest.questions[c.question], q)
        teams = [t.id for t in contest.teams]
        scored = FORMATS[rnd.format].score(ctx, overrides_for(state, c.question), teams)
        return {team: -r.points for team, r in scored.items() if r.points}
    return {}


def _label(contest: Contest, state: ContestState, c: Correction) -> str:
    where = question_name(contest, state, c.question)
    word = kind_word(c.kind)
    if c.kind == "adjust" or not where:
        return word
    return tr("{what} {question}", what=word, question=where)


def describe(contest: Contest, state: ContestState, c: Correction) -> str:
    """What a correction was, in a line the MC reads before undoing it."""
    return f"{what_changed(contest, state, c)} " + tr("(lý do: {reason})", reason=c.reason)


def what_changed(contest: Contest, state: ContestState, c: Correction) -> str:
    """A correction's kind, team or player and the change itself, without its reason."""
    team = contest.team(c.team) if c.team else None
    who = f" — {team.name}" if team else ""
    player = contest.player(c.player or c.team or "") if contest.players else None
    if player is not None and team is None:  # Rung chuông vàng: a player's answer or return
        who = " — " + tr("SBD {number} {name}", number=player.number, name=player.name)
    extra = ""
    if c.kind == "adjust":
        points = f"{'+' if c.delta > 0 else ''}{_num(c.delta)}"
        extra = ": " + tr("{points} điểm", points=points)
    elif c.kind == "set_answer":
        if c.correct is not None:
            extra = ": " + (tr("Đúng") if c.correct else tr("Sai"))
        elif c.value is not None:
            extra = ": " + tr("đáp án nhập tay")
    elif c.kind == "judge_score":
        judge = contest.judge(c.judge) if c.judge else None
        name = judge.name if judge else c.judge
        extra = ": " + tr("điểm của {judge} là {score}", judge=name, score=_num(float(c.value)))
    return f"{_label(contest, state, c)}{who}{extra}"


def all_notices(contest: Contest, state: ContestState) -> list[dict[str, Any]]:
    """The newest LIMIT notices, newest first; `points` is by team (`deltas`)."""
    language = tr("Hoàn tác: {label}")  # the notices' words change with the installed language
    cached = _cache.get(id(state))
    if cached is not None and cached[0] == state.seq and cached[1] == language:
        return cached[2]
    raw: list[tuple[float, str, Any]] = []
    for c in state.corrections:
        raw.append((c.at, "c", c))
        if c.undone and c.undone_at is not None:
            raw.append((c.undone_at, "uc", c))
    for v in verdicts(state):
        raw.append((v.at, "v", v))
        if v.attempt is not None and v.attempt.undone and v.attempt.undone_at is not None:
            raw.append((v.attempt.undone_at, "uv", v))
    raw.sort(key=lambda r: r[0], reverse=True)
    out = [_notice(contest, state, at, kind, item) for at, kind, item in raw[:LIMIT]]
    _cache.clear()
    _cache[id(state)] = (state.seq, language, out)
    return out


def _notice(
    contest: Contest, state: ContestState, at: float, kind: str, item: Any
) -> dict[str, Any]:
    names = {t.id: t.name for t in contest.teams}
    if kind in ("c", "uc"):
        c: Correction = item
        secret = _secret(state, c.question)
        change = effect(contest, state, c)
        sign = -1.0 if kind == "uc" else 1.0
        label = _label(contest, state, c)
        return {
            "id": f"{'u' if kind == 'uc' else ''}c{c.id}",
            "at": _ms(at),
            "kind": ("undo_" if kind == "uc" else "") + c.kind,
            "question": c.question,
            "team": c.team,
            "team_name": names.get(c.team or "", None),
            "label": tr("Hoàn tác: {label}", label=label) if kind == "uc" else label,
            "reason": c.undo_reason if kind == "uc" else c.reason,
            "deltas": None if secret else {t: _num(sign * d) for t, d in change.items()},
        }
    v = item
    attempt = v.attempt
    q = state.questions[v.question]
    rnd = contest.rounds[q.round]
    ctx = Ctx(contest, state, rnd, contest.questions[v.question], q)
    points = FORMATS[rnd.format].verdict_points(ctx, attempt.verdict, v.index) or 0.0
    where = question_name(contest, state, v.question)
    undo = kind == "uv"
    word = verdict_word(attempt.verdict)
    return {
        "id": f"{'u' if undo else ''}v:{v.question}:{v.index}",
        "at": _ms(at),
        "kind": "undo_verdict" if undo else "verdict",
        "question": v.question,
        "team": attempt.team,
        "team_name": names.get(attempt.team),
        "label": tr("Hoàn tác kết quả chấm {question}", question=where)
        if undo
        else f"{where}: {word}",
        "reason": attempt.undo_reason if undo else word,
        "verdict": attempt.verdict,
        "deltas": {attempt.team: _num(-points if undo else points)},
    }


def for_board(contest: Contest, state: ContestState) -> list[dict[str, Any]]:
    """Each notice with the points of the team it names (a void names none)."""
    names = {t.id: t.name for t in contest.teams}
    out = []
    for n in all_notices(contest, state):
        deltas = n["deltas"]
        team = n["team"]
        points = deltas.get(team) if deltas is not None and team else None
        out.append({**{k: v for k, v in n.items() if k != "deltas"}, "points": points})
        if deltas is not None and not team:
            out[-1]["points_by_team"] = [
                {"team": t, "name": names.get(t, t), "points": p} for t, p in deltas.items()
            ]
    return out


def for_team(contest: Contest, state: ContestState, team: str) -> list[dict[str, Any]]:
    """The notices that change this team's score, with its own points."""
    out = []
    for n in all_notices(contest, state):
        deltas = n["deltas"]
        if n["team"] not in (None, team):
            continue
        if n["team"] is None and (deltas is None or team not in deltas):
            continue
        points = deltas.get(team) if deltas is not None else None
        out.append({**{k: v for k, v in n.items() if k != "deltas"}, "points": points})
    return out


__all__ = [
    "all_notices",
    "for_board",
    "for_team",
    "describe",
    "question_name",
    "verdict_word",
    "kind_word",
]
