"""What someone asks the engine to do, in the imperative.

Commands are built at the edge (the socket handlers, the timer) from parsed
input; the engine decides whether they are allowed. Every command that acts on
a question names it (`question`), so a stale command, such as one a tablet
replays after reconnecting, is refused instead of acting on the wrong
question. Imports nothing from the rest of the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Command:
    """Base class. `question` is the question the sender believes is current."""


# MC: the flow of the round ---------------------------------------------------


@dataclass(frozen=True)
class StartRound(Command):
    """Show the next round's title (or finish the contest after the last)."""

    round: str | None = None  # the round the MC expects to start, if given


@dataclass(frozen=True)
class ShowQuestion(Command):
    """Show the next question of the current round."""

    question: str | None = None  # the question the MC expects to show, if given


@dataclass(frozen=True)
class OpenAnswers(Command):
    """Start the clock: open answering (all) or the buzzers (buzzer)."""

    question: str


@dataclass(frozen=True)
class PauseClock(Command):
    question: str


@dataclass(frozen=True)
class ResumeClock(Command):
    question: str


@dataclass(frozen=True)
class AddTime(Command):
    question: str
    seconds: float


@dataclass(frozen=True)
class CloseEarly(Command):
    question: str


@dataclass(frozen=True)
class Reveal(Command):
    question: str


@dataclass(frozen=True)
class Judge(Command):
    """The MC marks the buzz winner's spoken answer right or wrong, or out of
    time (`verdict: timeout`, scored as wrong); `verdict`, when given, wins."""

    question: str
    team: str
    correct: bool
    verdict: str | None = None  # correct | wrong | timeout


@dataclass(frozen=True)
class ShowScoreboard(Command):
    show: bool


@dataclass(frozen=True)
class CeremonyNext(Command):
    """After the last round: reveal the next prize (the last prize first)."""

    step: int | None = None  # the step the MC expects to reveal, if given


@dataclass(frozen=True)
class ShowRoundSummary(Command):
    """Between rounds: show (or hide) the round's summary on the board."""

    show: bool = True


# Teams --------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmitAnswer(Command):
    """A team's answer. `at` is the press time on the server's clock, already
    bounded by the measured network delay; `nonce` makes a replay harmless."""

    question: str
    team: str
    value: Any
    at: float
    nonce: str = ""


@dataclass(frozen=True)
class Buzz(Command):
    """A team presses its buzzer. `settle` is how long to wait after the first
    buzz for presses still in flight on slower links before naming a winner."""

    question: str
    team: str
    at: float
    settle: float = 0.0


# The clock ------------------------------------------------------------------------


@dataclass(frozen=True)
class Tick(Command):
    """Time has passed: apply whatever was due by `now` (deadlines, buzz decision)."""


# Corrections (MC or jury), each with a reason --------------------------------------


@dataclass(frozen=True)
class AdjustScore(Command):
    team: str
    delta: float
    reason: str


@dataclass(frozen=True)
class SetAnswer(Command):
    """Set a team's answer by hand (`value`), or the verdict (`correct`)."""

    question: str
    team: str
    reason: str
    value: Any = None
    correct: bool | None = None


@dataclass(frozen=True)
class VoidQuestion(Command):
    question: str
    reason: str


@dataclass(frozen=True)
class Undo(Command):
    """Take back a correction (`id`) or a buzz verdict (`question`, `team`);
    with neither, the newest of them still in force. Always with a reason."""

    reason: str = ""
    id: int | None = None
    question: str | None = None
    team: str | None = None
