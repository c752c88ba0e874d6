"""Test helpers: contests built in memory, and a game driven with a fake clock."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import pytest

from quiz.rules import engine
from quiz.rules.commands import Command, Tick
from quiz.rules.events import Event
from quiz.rules.model import AllSettings, BuzzerSettings, Contest, Question, Round, Team
from quiz.rules.scoring import standings
from quiz.rules.state import ContestState

T0 = 1_700_000_000.0  # a fixed "now" for the fake clock


def q_single(qid: str = "s1", answer: str = "B", **kw: Any) -> Question:
    choices = (("A", "Một"), ("B", "Hai"), ("C", "Ba"), ("D", "Bốn"))
    return Question(id=qid, type="single", text=f"Câu {qid}?", answer=answer, choices=choices, **kw)


def q_text(qid: str = "t1", answers: tuple[str, ...] = ("một cửa",), **kw: Any) -> Question:
    return Question(id=qid, type="text", text="Cơ chế gì?", answer=answers, **kw)


def q_number(qid: str = "n1", answer: float = 41.0, **kw: Any) -> Question:
    return Question(id=qid, type="number", text="Bao nhiêu?", answer=answer, **kw)


def q_multiple(qid: str = "m1", answer: frozenset[str] = frozenset({"A", "C"})) -> Question:
    choices = (("A", "Một"), ("B", "Hai"), ("C", "Ba"), ("D", "Bốn"))
    return Question(id=qid, type="multiple", text="Chọn?", answer=answer, choices=choices)


def q_tf(qid: str = "tf1", answer: bool = True) -> Question:
    return Question(id=qid, type="true_false", text="Đúng hay sai?", answer=answer)


def q_order(qid: str = "o1", answer: tuple[str, ...] = ("C", "A", "B")) -> Question:
    items = (("A", "Hai"), ("B", "Ba"), ("C", "Một"))
    return Question(id=qid, type="order", text="Sắp xếp", answer=answer, items=items)


TEAMS = tuple(Team(f"t{i}", f"Xã {i}") for i in range(1, 5))


def contest(
    *rounds: tuple[str, list[Question], Any],
    teams: tuple[Team, ...] = TEAMS,
    tiebreak: tuple[str, ...] = ("correct_count", "answer_time"),
) -> Contest:
    """A contest from (format, questions, settings) triples."""
    questions: dict[str, Question] = {}
    built = []
    for i, (fmt, qs, settings) in enumerate(rounds):
        for q in qs:
            questions[q.id] = q
        if settings is None:
            settings = AllSettings() if fmt == "all" else BuzzerSettings()
        built.append(Round(f"r{i + 1}", f"Vòng {i + 1}", fmt, tuple(q.id for q in qs), settings))
    return Contest(
        id="test",
        title="Hội thi",
        teams=teams,
        rounds=tuple(built),
        questions=questions,
        tiebreak=tiebreak,
    )


class Game:
    """Drives the pure engine: decide at a given time, then apply."""

    def __init__(self, contest: Contest) -> None:
        self.contest = contest
        self.state = ContestState()
        self.log: list[Event] = []
        self.now = T0

    def at(self, seconds: float) -> Game:
        """Move the fake clock to T0 + seconds."""
        self.now = T0 + seconds
        return self

    def do(self, command: Command) -> list[Event]:
        due = engine.decide(self.contest, self.state, Tick(), self.now)
        self._apply(due)
        events = engine.decide(self.contest, self.state, command, self.now)
        self._apply(events)
        return due + events

    def tick(self) -> list[Event]:
        return self.do(Tick())

    def refuse(self, command: Command, code: str | None = None) -> engine.Rejected:
        """The command is refused, and refusing it changed nothing."""
        self.tick()
        before = copy.deepcopy(self.state)
        with pytest.raises(engine.Rejected) as info:
            engine.decide(self.contest, self.state, command, self.now)
        assert self.state == before
        if code is not None:
            assert info.value.code == code, info.value
        return info.value

    def _apply(self, events: list[Event]) -> None:
        for event in events:
            engine.apply(self.contest, self.state, event)
            self.log.append(event)

    def totals(self) -> dict[str, float]:
        return {s.team: s.total for s in standings(self.contest, self.state)}

    def ranks(self) -> dict[str, int]:
        return {s.team: s.rank for s in standings(self.contest, self.state)}


def with_settings(c: Contest, index: int, **settings: Any) -> Contest:
    rounds = list(c.rounds)
    old: Any = rounds[index].settings
    rounds[index] = replace(rounds[index], settings=replace(old, **settings))
    return replace(c, rounds=tuple(rounds))
