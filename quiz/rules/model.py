"""The contest's vocabulary as frozen data: questions, teams, rounds, contests.

Owns the static description of a contest once loaded and validated. Imports
nothing from the rest of the package, and nothing from Flask or Socket.IO.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

QuestionType = Literal["single", "multiple", "true_false", "text", "number", "order"]
QUESTION_TYPES: tuple[str, ...] = ("single", "multiple", "true_false", "text", "number", "order")
Level = Literal["easy", "medium", "hard"]

# The answer key, normalised by type:
#   single -> str (a letter); multiple -> frozenset[str]; true_false -> bool;
#   text -> tuple[str, ...] (accepted texts as written); number -> float;
#   order -> tuple[str, ...] (every item letter, in the right order).
AnswerKey = str | frozenset[str] | bool | tuple[str, ...] | float


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    text: str
    answer: AnswerKey
    time_limit: int = 20
    points: int = 10
    choices: tuple[tuple[str, str], ...] = ()  # (letter, text) for single/multiple
    items: tuple[tuple[str, str], ...] = ()  # (letter, text) for order
    tolerance: float = 0.0
    unit: str | None = None
    ignore_diacritics: bool = False
    explanation: str | None = None
    source: str | None = None
    note: str | None = None  # for reviewers and the MC only, never a board or tablet
    image: str | None = None  # absolute path on disk, checked at load time
    tags: tuple[str, ...] = ()
    level: Level | None = None
    bank: str = ""  # bank id
    file: str = ""  # the bank file it came from
    line: int = 0  # line of the question's mapping in that file

    @property
    def letters(self) -> tuple[str, ...]:
        """The option letters of a choice or order question, in order."""
        return tuple(letter for letter, _ in (self.choices or self.items))


@dataclass(frozen=True)
class Bank:
    id: str
    title: str
    file: str
    questions: tuple[Question, ...]
    language: str = "vi"
    as_of: str | None = None


@dataclass(frozen=True)
class Team:
    id: str
    name: str


@dataclass(frozen=True)
class Player:
    """One individual contestant (`players:`): its number (SBD) is its id."""

    number: str
    name: str
    team: str | None = None  # the id of its team in this contest, if any
    unit: str | None = None  # `Đơn vị` as written, when it names no team
    row: int = 0  # row (or line) of the roster it came from


@dataclass(frozen=True)
class Judge:
    """A member of the Ban giám khảo who scores `judged` rounds on a device."""

    id: str
    name: str


ScoreValue = Literal["question"] | float


@dataclass(frozen=True)
class AllSettings:
    """Settings of a round of format `all` (câu hỏi chung)."""

    allow_change: bool = False
    correct: ScoreValue = "question"
    wrong: ScoreValue = 0
    missing: ScoreValue = 0
    speed: Literal["none", "linear", "ranked"] = "none"
    ranked: tuple[float, ...] = ()
    show_distribution: bool = True  # after reveal, how many teams chose each option


@dataclass(frozen=True)
class BuzzerSettings:
    """Settings of a round of format `buzzer` (giành quyền trả lời)."""

    read_time: float = 0
    buzz_window: float = 10
    early_buzz: Literal["lockout", "ignore"] = "lockout"
    answer_time: float = 5
    answer_on: Literal["voice", "tablet"] = "voice"
    rebound: bool = True
    correct: ScoreValue = "question"
    wrong: ScoreValue = 0


RoundSettings = AllSettings | BuzzerSettings


@dataclass(frozen=True)
class JurySettings:
    """`jury:` of the contest (contest-format.md "Jury"): the Ban giám khảo's powers."""

    approve_corrections: bool = False  # an MC correction waits for the jury's approval
    appeals: bool = True  # teams may appeal (khiếu nại) from their tablet
    appeal_window: float = 120  # seconds after a question is revealed


@dataclass(frozen=True)
class Prize:
    """One prize of the contest: `count` teams win it, or None for the rest."""

    name: str
    count: int | None
    line: int = 0


@dataclass(frozen=True)
class Round:
    id: str
    title: str
    format: str
    question_ids: tuple[str, ...]
    settings: object  # the format's own settings, read by its read_settings
    line: int = 0


@dataclass(frozen=True)
class Contest:
    id: str
    title: str
    teams: tuple[Team, ...]
    rounds: tuple[Round, ...]
    questions: Mapping[str, Question]
    subtitle: str | None = None
    organizer: str | None = None
    date: str | None = None
    venue: str | None = None
    tiebreak: tuple[str, ...] = ("correct_count", "answer_time")
    file: str = ""
    banks: tuple[Bank, ...] = field(default=())
    prizes: tuple[Prize, ...] = ()  # best first (contest-format.md "Prizes")
    jury: JurySettings | None = None  # None: no jury console (contest-format.md "Jury")
    players: tuple[Player, ...] = ()  # individual players (`players:`), roster order
    judges: tuple[Judge, ...] = ()  # who scores `judged` rounds (contest-format.md)
    # Tablets a team may have connected at once; one more waits for the MC's
    # approval (contest-format.md "Devices").
    devices_per_team: int = 1
    language: str = "vi"  # the screens' language: "vi" or "en"

    def team(self, team_id: str) -> Team | None:
        for team in self.teams:
            if team.id == team_id:
                return team
        return None

    @cached_property
    def _players(self) -> dict[str, Player]:
        return {p.number: p for p in self.players}

    def player(self, number: str) -> Player | None:
        return self._players.get(number)

    def judge(self, judge_id: str) -> Judge | None:
        return next((j for j in self.judges if j.id == judge_id), None)


def score_value(value: ScoreValue, question: Question) -> float:
    """Resolve a scoring value: `question` means the question's points."""
    return float(question.points) if value == "question" else float(value)


class Phase(enum.StrEnum):
    """Where the contest stands. Transitions are listed in engine.py."""

    LOBBY = "lobby"  # before the first round
    INTRO = "intro"  # a round's title is shown
    SHOWN = "shown"  # a question is shown and read; answering closed
    OPEN = "open"  # answering (all) or buzzers (buzzer) open; the clock runs
    ANSWERING = "answering"  # buzzer: the winner of the buzz is answering
    CLOSED = "closed"  # time is up: raised boards (all) or buzzing over (buzzer)
    REVEALED = "revealed"  # the correct answer is shown and scored
    FINISHED = "finished"  # after the last round
