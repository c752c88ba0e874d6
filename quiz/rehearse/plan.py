"""What the simulated teams will do, decided before the rehearsal starts.

For every question and team: the answer it gives (right with the chosen
accuracy, else a wrong one of the right shape) and after how long; in buzzer
rounds, which teams buzz, in what order (presses a second apart, so that no
network delay of the rehearsal can swap them) and whether each spoken answer
is right (the MC's verdict). The same plan is played twice: with faults, then
without; the totals must agree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from quiz.rules.model import Contest, Question

BUZZ_GAP = 2.5  # seconds between two planned presses: wider than any simulated delay or drop


@dataclass(frozen=True)
class Answer:
    team: str
    value: Any  # as the wire carries it (docs/protocol.md `answer`)
    delay: float  # seconds after answering opens
    correct: bool


@dataclass(frozen=True)
class Press:
    team: str
    delay: float  # seconds after the buzzers open
    correct: bool  # the MC's verdict on its spoken answer


@dataclass
class QuestionPlan:
    question: str
    buzzer: bool
    answers: dict[str, Answer] = field(default_factory=dict)
    presses: list[Press] = field(default_factory=list)

    def verdict(self, team: str) -> bool:
        return any(p.team == team and p.correct for p in self.presses)


@dataclass
class Plan:
    teams: list[str]
    questions: dict[str, QuestionPlan]


def wire_key(q: Question) -> Any:
    """The right answer as a tablet would send it."""
    key = q.answer
    if q.type == "multiple":
        return sorted(key) if isinstance(key, frozenset) else key
    if q.type == "order":
        return list(key) if isinstance(key, tuple) else key
    if q.type == "text":
        return key[0] if isinstance(key, tuple) else key
    return key


def wrong_value(q: Question, rng: random.Random) -> Any:
    """A wrong answer of the right shape."""
    key = wire_key(q)
    if q.type == "single":
        return rng.choice([letter for letter in q.letters if letter != key])
    if q.type == "true_false":
        return not key
    if q.type == "multiple":
        others = [letter for letter in q.letters if letter not in key]
        return sorted(set(key[:-1]) | set(others[:1])) if others else key[:-1] or [q.letters[0]]
    if q.type == "order":
        return list(reversed(key))
    if q.type == "number":
        return float(key) + max(1.0, abs(q.tolerance) * 3 + 1)
    return "không biết"


def make_plan(
    contest: Contest,
    teams: list[str],
    accuracy: float,
    seed: int,
    fastest: float = 1.0,
    slowest: float = 6.0,
) -> Plan:
    rng = random.Random(seed)
    questions: dict[str, QuestionPlan] = {}
    for rnd in contest.rounds:
        buzzer = rnd.format == "buzzer"
        for qid in rnd.question_ids:
            q = contest.questions[qid]
            plan = QuestionPlan(qid, buzzer)
            if buzzer:
                buzzing = rng.sample(teams, k=min(len(teams), rng.randint(1, 2)))
                for order, team in enumerate(buzzing):
                    delay = 0.5 + order * BUZZ_GAP + rng.uniform(0, 0.2)
                    plan.presses.append(Press(team, delay, rng.random() < accuracy))
            else:
                latest = max(0.2, min(slowest, q.time_limit * 0.4))
                for team in teams:
                    right = rng.random() < accuracy
                    value = wire_key(q) if right else wrong_value(q, rng)
                    delay = rng.uniform(min(fastest, latest) * 0.5, latest)
                    plan.answers[team] = Answer(team, value, delay, right)
            questions[qid] = plan
    return Plan(teams, questions)
