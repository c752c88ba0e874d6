"""The `tiebreak` format's state: the selection and the lots of each tiebreak
round (ContestState.tiebreaks, kept after the round ends: the ranking reads
them), a question's state, and the outcome derived from them.

The outcome is never stored: it is computed from the revealed questions of the
round, in order (each one's winner takes the best place left in its group;
the last team left takes the last place), then the drawing of lots. Decisions
and folds of the round-level commands (SelectTiebreak, DrawLots) are
registered in the engine's tables, like the ceremony's. Imports model, state,
events, commands, formats.base, formats.buzzer_state.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Literal

from quiz.rules.commands import DrawLots, SelectTiebreak
from quiz.rules.events import AnswerAccepted, Event, LotsDrawn, TiebreakSelected
from quiz.rules.formats.base import Fold, Rejected
from quiz.rules.formats.buzzer_state import FOLDS as BUZZER_FOLDS
from quiz.rules.formats.buzzer_state import BuzzerQuestion
from quiz.rules.model import BuzzerSettings, Contest, Phase
from quiz.rules.state import ContestState, Correction, QuestionState
from quiz.rules.text import tr

NAME = "tiebreak"
MAX_SEED = 10**6


@dataclass(frozen=True)
class TiebreakSettings(BuzzerSettings):
    """A `tiebreak` round: `mode` buzzer (the buzzer settings apply) or closest,
    and how the lots are drawn."""

    mode: Literal["buzzer", "closest"] = "buzzer"
    lots: Literal["server", "hall"] = "server"


@dataclass
class Answer:
    """A `closest` answer, as `all` keeps it (QuestionState.answers reads it)."""

    value: Any
    pressed: float
    time: float
    nonce: str = ""


@dataclass
class TiebreakQuestion(BuzzerQuestion):
    """Either mode's state of one question: the buzzer's, and the typed answers."""

    answers: dict[str, Answer] = field(default_factory=dict)


@dataclass
class Lots:
    kind: str  # server | hall
    seed: int | None
    groups: list[list[str]]
    at: float


@dataclass
class TiebreakRecord:
    """What the MC settled for one tiebreak round."""

    groups: list[list[str]]
    selected_at: float
    lots: Lots | None = None


@dataclass
class Placed:
    team: str
    place: int  # 1-based within its group
    how: str  # question | last | lots
    question: str | None = None


@dataclass
class GroupOutcome:
    teams: list[str]
    placed: list[Placed]
    remaining: list[str]  # not ordered yet, in the contest's order

    @property
    def open(self) -> bool:
        return len(self.remaining) >= 2


@dataclass
class Outcome:
    round: int
    groups: list[GroupOutcome]
    lots: Lots | None

    @property
    def playing(self) -> list[str]:
        return [t for g in self.groups if g.open for t in g.remaining]

    @property
    def done(self) -> bool:
        return not any(g.remaining for g in self.groups)


def mine(q: QuestionState) -> TiebreakQuestion:
    assert isinstance(q.fmt, TiebreakQuestion)
    return q.fmt


def settings_of(contest: Contest, round_index: int) -> TiebreakSettings:
    settings = contest.rounds[round_index].settings
    assert isinstance(settings, TiebreakSettings)
    return settings


def is_tiebreak(contest: Contest, round_index: int) -> bool:
    return 0 <= round_index < len(contest.rounds) and contest.rounds[round_index].format == NAME


def _voided(state: ContestState) -> set[str]:
    return {
        c.question for c in state.corrections if c.kind == "void" and not c.undone and c.question
    }


def _set_by_hand(state: ContestState, qid: str) -> dict[str, Correction]:
    """The answers set by hand on question `qid` and still in force, the last per team."""
    found: dict[str, Correction] = {}
    for c in state.corrections:
        if c.kind == "set_answer" and not c.undone and c.question == qid and c.team:
            found[c.team] = c
    return found


def winners(
    contest: Contest, q: QuestionState, remaining: list[str], state: ContestState | None = None
) -> list[str]:
    """Who won a revealed question among `remaining`: the correct buzz, or the
    closest answer (equal distance: the earlier press). An answer set by hand
    counts as the team's: a value replaces its answer (its press time kept, or
    last if it had none); `correct: true` wins, `correct: false` cannot."""
    own = mine(q)
    by_hand = _set_by_hand(state, q.id) if state is not None else {}
    if settings_of(contest, q.round).mode == "buzzer":
        right = [t for t, c in by_hand.items() if c.correct is True and t in remaining]
        buzzed = [
            a.team
            for a in own.attempts
            if a.verdict == "correct" and not a.undone and a.team in remaining
            if by_hand.get(a.team) is None or by_hand[a.team].correct is not False
        ]
        return (buzzed + right)[:1]
    key = contest.questions[q.id].answer
    assert isinstance(key, float | int)
    ranked = []
    for i, team in enumerate([*own.answers, *[t for t in by_hand if t not in own.answers]]):
        if team not in remaining:
            continue
        answer, hand = own.answers.get(team), by_hand.get(team)
        pressed = answer.pressed if answer is not None else float("inf")
        value = answer.value if answer is not None else None
        if hand is not None and hand.correct is False:
            continue
        if hand is not None and hand.correct is True:
            ranked.append((-1.0, pressed, i, team))
            continue
        if hand is not None and isinstance(hand.value, int | float):
            value = hand.value
        if value is not None:
            ranked.append((abs(float(value) - float(key)), pressed, i, team))
    ranked.sort()
    return [ranked[0][3]] if ranked else []


def outcome(contest: Contest, state: ContestState, round_index: int) -> Outcome | None:
    """How far the tiebreak round has ordered its teams (None before the selection)."""
    record = state.tiebreaks.get(round_index)
    if not isinstance(record, TiebreakRecord):
        return None
    order = {t.id: i for i, t in enumerate(contest.teams)}
    groups = [
        GroupOutcome(list(g), [], sorted(g, key=lambda t: order.get(t, 0))) for g in record.groups
    ]
    void = _voided(state)
    asked = sorted(
        (q for q in state.questions.values() if q.round == round_index), key=lambda q: q.index
    )
    for q in asked:
        if not q.revealed or q.id in void:
            continue
        for group in groups:
            if not group.open:
                continue
            for team in winners(contest, q, group.remaining, state):
                group.remaining.remove(team)
                group.placed.append(Placed(team, len(group.placed) + 1, "question", q.id))
            if len(group.remaining) == 1:
                last = group.remaining.pop()
                group.placed.append(Placed(last, len(group.placed) + 1, "last", q.id))
    if record.lots is not None:
        for drawn in record.lots.groups:
            for group in groups:
                if set(drawn) == set(group.remaining) and group.remaining:
                    for team in drawn:
                        group.placed.append(Placed(team, len(group.placed) + 1, "lots"))
                    group.remaining = []
    return Outcome(round_index, groups, record.lots)


def places(contest: Contest, state: ContestState) -> dict[str, float]:
    """Each team's place from the tiebreak rounds (the ranking's `tiebreak_round`):
    1, 2, ... within its tie; teams a round has not ordered yet share the next
    place; a team no tiebreak round played comes after those it did (inf)."""
    found: dict[str, float] = {}
    for index in sorted(state.tiebreaks):
        result = outcome(contest, state, index)
        if result is None:
            continue
        for group in result.groups:
            for p in group.placed:
                found[p.team] = float(p.place)
            for team in group.remaining:
                found[team] = float(len(group.placed) + 1)
    return found


# Round-level decisions and folds (registered in engine) ------------------------------


def _here(contest: Contest, state: ContestState, round_id: str | None) -> int:
    if not is_tiebreak(contest, state.round):
        raise Rejected("not_tiebreak", tr("Phần thi hiện tại không phải phần thi câu hỏi phụ"))
    if round_id is not None and round_id != contest.rounds[state.round].id:
        raise Rejected("stale", tr("Phần thi đã thay đổi"))
    return state.round


def decide_select(
    contest: Contest, state: ContestState, cmd: SelectTiebreak, now: float
) -> list[Event]:
    index = _here(contest, state, cmd.round)
    if state.phase != Phase.INTRO or any(q.round == index for q in state.questions.values()):
        raise Rejected("started", tr("Chỉ chọn đội trước câu hỏi phụ đầu tiên"))
    groups = [list(g) for g in cmd.groups if g]
    if not groups:
        raise Rejected("no_teams", tr("Cần chọn ít nhất một nhóm hai đội đồng điểm"))
    seen: set[str] = set()
    for group in groups:
        if len(group) < 2:
            raise Rejected("group_too_small", tr("Mỗi nhóm đồng điểm cần ít nhất hai đội"))
        for team in group:
            if contest.team(team) is None:
                raise Rejected("unknown_team", tr("Không có đội này"))
            if team in seen:
                raise Rejected("team_twice", tr("Một đội chỉ ở trong một nhóm"))
            seen.add(team)
    return [TiebreakSelected(at=now, round=index, groups=groups)]


def decide_lots(contest: Contest, state: ContestState, cmd: DrawLots, now: float) -> list[Event]:
    index = _here(contest, state, cmd.round)
    result = outcome(contest, state, index)
    if result is None:
        raise Rejected("no_selection", tr("Chưa chọn các đội thi câu hỏi phụ"))
    if result.lots is not None:
        raise Rejected("lots_drawn", tr("Đã bốc thăm"))
    if state.phase not in (Phase.INTRO, Phase.REVEALED):
        raise Rejected("busy", tr("Hãy kết thúc câu hỏi đang diễn ra trước"))
    asked = sum(1 for q in state.questions.values() if q.round == index)
    undecided = [g for g in result.groups if g.open]
    if not undecided:
        raise Rejected("all_ordered", tr("Các đội đã được phân định thứ hạng"))
    if asked < len(contest.rounds[index].question_ids):
        raise Rejected("questions_left", tr("Còn câu hỏi phụ — chỉ bốc thăm khi đã hết câu hỏi"))
    kind = settings_of(contest, index).lots
    if kind == "server":
        if cmd.order:
            raise Rejected("server_lots", tr("Phần thi này bốc thăm trên máy chủ"))
        seed = cmd.seed if cmd.seed is not None else int(now * 1000) % MAX_SEED
        rng = random.Random(seed)
        drawn = []
        for group in undecided:
            order = list(group.remaining)
            rng.shuffle(order)
            drawn.append(order)
        return [LotsDrawn(at=now, round=index, kind="server", seed=seed, groups=drawn)]
    if not cmd.order:
        raise Rejected("order_required", tr("Cần nhập thứ tự bốc thăm tại hội trường"))
    given = [list(o) for o in cmd.order]
    wanted = sorted(sorted(g.remaining) for g in undecided)
    if sorted(sorted(o) for o in given) != wanted or any(len(set(o)) != len(o) for o in given):
        raise Rejected("bad_order", tr("Thứ tự bốc thăm phải gồm đúng các đội còn đồng hạng"))
    return [LotsDrawn(at=now, round=index, kind="hall", seed=None, groups=given)]


def apply_selected(contest: Contest, state: ContestState, e: TiebreakSelected) -> None:
    state.tiebreaks[e.round] = TiebreakRecord([list(g) for g in e.groups], e.at)


def apply_lots(contest: Contest, state: ContestState, e: LotsDrawn) -> None:
    record = state.tiebreaks[e.round]
    assert isinstance(record, TiebreakRecord)
    record.lots = Lots(e.kind, e.seed, [list(g) for g in e.groups], e.at)


# Question-level folds ---------------------------------------------------------------


def _on_answer(state: ContestState, q: QuestionState, e: AnswerAccepted) -> None:
    mine(q).answers[e.team] = Answer(e.value, e.pressed, e.time, e.nonce)


FOLDS: dict[type[Any], Fold] = {**BUZZER_FOLDS, AnswerAccepted: _on_answer}
