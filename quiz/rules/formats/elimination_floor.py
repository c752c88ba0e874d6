"""Rung chuông vàng: who is on the floor, derived from the state, never stored.

The floor is recomputed from the round's questions in the order they were
asked, each counted once revealed (a voided one not at all), with the
answers set by hand, the rescues called after each question and the players
brought back by a correction still in force. So a void, a hand-set answer or
an undo changes the floor at once, and replaying the journal gives the same
floor. The result is cached on the state, by what it depends on: one push builds
it once for the board, the MC and every phone, and answers arriving do not
rebuild it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quiz.rules.answers import is_correct
from quiz.rules.model import Contest, Question
from quiz.rules.state import ContestState, QuestionState

ALL_OUT = ("restore", "end")
RESCUE_MODES = ("all", "question", "pick")


@dataclass(frozen=True)
class EliminationSettings:
    """Settings of a round of format `elimination` (Rung chuông vàng). Flat, as
    every view sends a round's settings as they are."""

    all_out: str = "restore"  # restore | end
    rescue_max: int = 1
    rescue_when_below: int = 10
    rescue_modes: tuple[str, ...] = RESCUE_MODES
    rescue_questions: tuple[str, ...] = ()
    play_to_end: bool = False
    team_points: bool = False


@dataclass
class Answer:
    value: Any
    pressed: float
    time: float  # seconds of running clock from opening to the press
    nonce: str = ""


@dataclass
class ElimQuestion:
    """One question of an elimination round: each player's answer, whether it is
    a rescue question, and the rescues called after it."""

    answers: dict[str, Answer] = field(default_factory=dict)
    ids: dict[str, set[str]] = field(default_factory=dict)  # every answer id, as in `all`
    rescue: bool = False
    rescues: list[Any] = field(default_factory=list)  # RescueCalled events, in order


@dataclass
class PlayerResult:
    correct: bool | None = None  # None: no answer
    time: float | None = None
    value: Any = None
    by_hand: bool = False


@dataclass
class Standing:
    """One player's place on the floor and in the round's ranking."""

    number: str
    on: bool = True
    out_at: int | None = None  # the question number at which it last left the floor
    back: int = 0  # times it came back (rescue or correction)
    correct: int = 0
    time: float = 0.0
    rank: int = 0


@dataclass
class Floor:
    players: dict[str, Standing]
    asked: int = 0  # regular questions shown
    counted: int = 0  # regular questions revealed and not void
    rescues: int = 0  # rescues called
    rescue_asked: int = 0  # rescue questions shown
    ended: str | None = None  # "all_out" when all_out: end ended the round
    last_left: int = 0  # players who left at the latest counted question
    last_back: int = 0  # players who came back at the latest step
    restored: bool = False  # the latest counted question put everyone back (all_out: restore)
    bell: list[str] = field(default_factory=list)  # rung chuông vàng: who rang it
    out_before: frozenset[str] = frozenset()  # off the floor when the current question was shown

    @property
    def on_count(self) -> int:
        return sum(1 for s in self.players.values() if s.on)

    def on_floor(self) -> list[str]:
        return [n for n, s in self.players.items() if s.on]

    def off_floor(self) -> list[str]:
        return [n for n, s in self.players.items() if not s.on]


def mine(q: QuestionState) -> ElimQuestion:
    assert isinstance(q.fmt, ElimQuestion)
    return q.fmt


def settings_of(contest: Contest, round_index: int) -> EliminationSettings:
    settings = contest.rounds[round_index].settings
    assert isinstance(settings, EliminationSettings)
    return settings


def overrides(state: ContestState, qid: str) -> dict[str, tuple[Any, bool | None]]:
    """Answers set by hand in force for a question, by player: (value, correct)."""
    found: dict[str, tuple[Any, bool | None]] = {}
    for c in state.corrections:
        if c.kind == "set_answer" and not c.undone and c.question == qid and c.team:
            found[c.team] = (c.value, c.correct)
    return found


def results(
    question: Question, q: QuestionState, hand: dict[str, tuple[Any, bool | None]]
) -> dict[str, PlayerResult]:
    """Each player's result on a question once revealed (only those who have one)."""
    out: dict[str, PlayerResult] = {}
    for number, answer in mine(q).answers.items():
        out[number] = PlayerResult(is_correct(question, answer.value), answer.time, answer.value)
    for number, (value, correct) in hand.items():
        result = out.get(number) or PlayerResult(time=float(question.time_limit))
        result.by_hand = True
        if value is not None:
            result.value = value
            result.correct = is_correct(question, value)
        if correct is not None:
            result.correct = correct
        out[number] = result
    return out


def _voided(state: ContestState) -> set[str]:
    return {
        c.question for c in state.corrections if c.kind == "void" and not c.undone and c.question
    }


def _version(state: ContestState) -> tuple[int, ...]:
    """What the floor depends on, cheaply: the questions asked and revealed, the
    corrections and their undoing, the rescues. Not the answers to the question
    still running (they count only once it is revealed, and a revealed question
    takes no more answers), so 500 answers arriving do not rebuild the floor
    500 times."""
    revealed = rescues = 0
    for q in state.questions.values():
        revealed += q.revealed
        rescues += len(getattr(q.fmt, "rescues", ()))
    undone = sum(1 for c in state.corrections if c.undone)
    return (len(state.questions), revealed, rescues, len(state.corrections), undone)


def floor(contest: Contest, state: ContestState, round_index: int | None = None) -> Floor:
    """The floor of an elimination round (the current one by default), now."""
    index = state.round if round_index is None else round_index
    # Kept on the state object itself (not one of its fields: equality and the
    # journal never see it), so no other state can ever be answered from it.
    cache: dict[tuple[int, int], tuple[tuple[int, ...], Floor]]
    cache = vars(state).setdefault("_floors", {})
    key = (id(contest), index)
    version = _version(state)
    cached = cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    found = _derive(contest, state, index)
    cache[key] = (version, found)
    return found


def _derive(contest: Contest, state: ContestState, index: int) -> Floor:
    settings = settings_of(contest, index)
    players = {p.number: Standing(p.number) for p in contest.players}
    f = Floor(players)
    void = _voided(state)
    reinstated: dict[str, list[str]] = {}
    for c in state.corrections:
        if c.kind == "reinstate" and not c.undone and c.question and c.player:
            reinstated.setdefault(c.question, []).append(c.player)
    rnd = contest.rounds[index]
    for qid, q in state.questions.items():
        if q.round != index:
            continue
        fq = mine(q)
        if fq.rescue:
            f.rescue_asked += 1
        else:
            f.asked += 1
        f.out_before = frozenset(f.off_floor())
        if q.revealed and qid not in void and f.ended is None:
            question = contest.questions[qid]
            got = results(question, q, overrides(state, qid))
            if fq.rescue:
                _count_rescue(f, got)
            else:
                _count(f, settings, got, q.index + 1)
                if f.ended is None and q.index + 1 == len(rnd.question_ids):
                    f.bell = [n for n in f.on_floor() if got.get(n) and got[n].correct]
        for rescue in fq.rescues:
            f.rescues += 1
            back = [n for n in rescue.players if n in players and not players[n].on]
            _back(f, back)
        if qid in reinstated:
            _back(f, [n for n in reinstated[qid] if n in players and not players[n].on])
    _rank(f)
    return f


def _count(f: Floor, settings: EliminationSettings, got: dict[str, PlayerResult], n: int) -> None:
    """A regular question: wrong or missing answers leave the floor."""
    f.counted += 1
    on = f.on_floor()
    for number, result in got.items():
        standing = f.players.get(number)
        if standing is not None and result.correct and standing.on:
            standing.correct += 1
            standing.time += result.time or 0.0
    wrong = [number for number in on if not (got.get(number) and got[number].correct)]
    f.restored, f.last_back = False, 0
    if on and len(wrong) == len(on):
        if settings.all_out == "restore":
            f.restored, f.last_left = True, 0
            return
        f.ended = "all_out"
    for number in wrong:
        f.players[number].on = False
        f.players[number].out_at = n
    f.last_left = len(wrong)


def _count_rescue(f: Floor, got: dict[str, PlayerResult]) -> None:
    """A rescue question: those off the floor who answered right come back."""
    _back(f, [n for n, r in got.items() if r.correct and n in f.out_before and n in f.players])


def _back(f: Floor, numbers: list[str]) -> None:
    for number in numbers:
        standing = f.players[number]
        if not standing.on:
            standing.on, standing.back = True, standing.back + 1
    f.last_back = len(numbers)


def _rank(f: Floor) -> None:
    """Later elimination first (on the floor best), then more correct answers,
    then less total answer time; players still equal share a place."""

    def key(s: Standing) -> tuple[float, int, float]:
        out = float("inf") if s.on else float(s.out_at or 0)
        return (-out, -s.correct, round(s.time, 3))

    ordered = sorted(f.players.values(), key=key)
    previous: tuple[float, int, float] | None = None
    for position, standing in enumerate(ordered, start=1):
        k = key(standing)
        standing.rank = position if k != previous else ordered[position - 2].rank
        previous = k


def over(contest: Contest, state: ContestState, f: Floor) -> str | None:
    """Why the current elimination round is over, if it is: `all_out`,
    `winner` (one player left), or `questions` (none left to ask)."""
    settings = settings_of(contest, state.round)
    if f.ended:
        return f.ended
    if f.counted and f.on_count <= 1 and not settings.play_to_end:
        return "winner"
    if f.asked >= len(contest.rounds[state.round].question_ids):
        return "questions"
    return None
