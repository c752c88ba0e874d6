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
    arrival: float | None = None  # when it arrived (for the jury)
    claimed: float | None = None  # the press time the tablet claimed
    earliest: float | None = None  # the earliest press time its link allowed


@dataclass(frozen=True)
class Buzz(Command):
    """A team presses its buzzer. `settle` is how long to wait after the first
    buzz for presses still in flight on slower links before naming a winner."""

    question: str
    team: str
    at: float
    settle: float = 0.0
    arrival: float | None = None  # as SubmitAnswer's, for the jury
    claimed: float | None = None
    earliest: float | None = None


# The clock ------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreTeam(Command):
    """A judge scores the team called in a `judged` round: one `score`, or
    `parts` (criterion id -> points) when the round has criteria."""

    question: str
    judge: str
    score: float | None = None
    parts: dict[str, float] | None = None


@dataclass(frozen=True)
class Tick(Command):
    """Time has passed: apply whatever was due by `now` (deadlines, buzz decision)."""


# Corrections (MC or jury), each with a reason --------------------------------------


@dataclass(frozen=True)
class AdjustScore(Command):
    team: str
    delta: float
    reason: str
    by: str = "mc"  # mc | jury: who makes it (an MC's may wait for the jury)


@dataclass(frozen=True)
class SetAnswer(Command):
    """Set a team's answer by hand (`value`), or the verdict (`correct`)."""

    question: str
    team: str
    reason: str
    value: Any = None
    correct: bool | None = None
    by: str = "mc"


@dataclass(frozen=True)
class SetJudgeScore(Command):
    """Set one judge's score on a judged turn by hand (after it is shown)."""

    question: str
    judge: str
    reason: str
    score: float | None = None
    parts: dict[str, float] | None = None


@dataclass(frozen=True)
class VoidQuestion(Command):
    question: str
    reason: str
    by: str = "mc"


@dataclass(frozen=True)
class Undo(Command):
    """Take back a correction (`id`) or a buzz verdict (`question`, `team`);
    with neither, the newest of them still in force. Always with a reason."""

    reason: str = ""
    id: int | None = None
    question: str | None = None
    team: str | None = None
    by: str = "mc"


# The jury (Ban giám khảo) -----------------------------------------------------------


@dataclass(frozen=True)
class ReviewCorrection(Command):
    """Approve or reject a correction waiting for the jury, with a reason."""

    id: int
    approve: bool
    reason: str


@dataclass(frozen=True)
class FileAppeal(Command):
    """A team's appeal on a revealed question: from its tablet (`by` team,
    inside the appeal window) or entered for it by the MC or the jury."""

    team: str
    question: str
    text: str
    by: str = "team"  # team | mc | jury


@dataclass(frozen=True)
class DecideAppeal(Command):
    """Accept an appeal with a correction (`kind`: set_answer with `correct` /
    `value`, adjust with `delta`, or void), or reject it; always with a reason."""

    id: int
    accept: bool
    reason: str
    kind: str | None = None  # set_answer | adjust | void
    delta: float | None = None
    value: Any = None
    correct: bool | None = None


@dataclass(frozen=True)
class SignOff(Command):
    """The jury signs off the results at the end of the contest."""


@dataclass(frozen=True)
class Reopen(Command):
    """The jury reopens signed-off results, with a reason."""

    reason: str


# Rung chuông vàng (elimination): the MC ------------------------------------------


@dataclass(frozen=True)
class CallRescue(Command):
    """Call a rescue between questions: `all`, `question` or `pick` (`players`)."""

    mode: str
    players: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class ReinstatePlayer(Command):
    """A correction: bring an eliminated player back to the floor, with a reason."""

    player: str
    reason: str


@dataclass(frozen=True)
class SetPlayerAnswer(Command):
    """A correction: set a player's answer (`value`) or verdict (`correct`) to
    an asked question `target` by hand (its phone failed), with a reason."""

    target: str
    player: str
    reason: str
    value: Any = None
    correct: bool | None = None


# MC: the tiebreak round (câu hỏi phụ) ----------------------------------------------


@dataclass(frozen=True)
class SelectTiebreak(Command):
    """The teams a tiebreak round plays, one list per tie (the proposal, or changed)."""

    groups: tuple[tuple[str, ...], ...]
    round: str | None = None  # the round the MC believes is current, if given


@dataclass(frozen=True)
class DrawLots(Command):
    """Order the teams the tiebreak questions left level: by the server's seeded
    draw (`order` empty) or as drawn in the hall (`order`: each group's teams)."""

    order: tuple[tuple[str, ...], ...] = ()
    seed: int | None = None  # server draw: the seed (the service gives one)
    round: str | None = None


# Format `turns` -----------------------------------------------------------------------


@dataclass(frozen=True)
class DecideOrder(Command):
    """Fix the order the teams play the `turns` round in (the draw, if `order: draw`)."""


@dataclass(frozen=True)
class ChoosePackage(Command):
    team: str
    package: str


@dataclass(frozen=True)
class ChooseValue(Command):
    """The team in turn picks the value of its next question (`pick` packages)."""

    team: str
    points: float


@dataclass(frozen=True)
class PlaceStar(Command):
    """Place the team's star of hope on its next question (`by`: mc | team)."""

    team: str
    by: str = "mc"


@dataclass(frozen=True)
class RemoveStar(Command):
    """Take back a star placed by mistake, before the question is shown."""

    team: str
    reason: str


@dataclass(frozen=True)
class SkipTeam(Command):
    team: str
    reason: str


@dataclass(frozen=True)
class OpenSteal(Command):
    """Open the other teams' buzzers after the team in turn was wrong or silent."""

    question: str
