"""The interface every round format implements, and the shared context.

A format owns everything about itself: its keys in the contest file
(`round_keys`, `read_settings`), its per-question and per-round state
(`new_question_state`, `new_round_state`), its commands' decisions (`decide`,
`open`, `tick`, ...), the folds of its events (`folds`, run by engine.apply),
which question comes next and who may act, its score, and its part of each
view (`board`, `team`, `mc`, and the `jury` and `player` hooks). `decide`
never mutates state; only the folds do. `FormatBase` gives the defaults a
format may keep. Imports model, state, events, commands, formats.fields only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from quiz.rules.answers import is_correct
from quiz.rules.commands import Command
from quiz.rules.events import Event
from quiz.rules.formats.fields import Fields
from quiz.rules.model import Contest, Judge, Phase, Question, Round, Team
from quiz.rules.state import ContestState, QuestionState
from quiz.rules.text import N_, tr

CLOCK_PHASES = (Phase.SHOWN, Phase.OPEN, Phase.ANSWERING)  # where a clock may run

# The MC's next step, as the console labels it (tr() each where it is shown).
STEP_LABELS = {
    "start_round": N_("Bắt đầu phần thi"),
    "show": N_("Hiện câu hỏi"),
    "open": N_("Bắt đầu tính giờ"),
    "close": N_("Dừng sớm"),
    "reveal": N_("Công bố đáp án"),
    "judge": N_("Chấm đúng / sai"),
    "finish": N_("Kết thúc hội thi"),
    "resume": N_("Tiếp tục"),
    "wait": N_("Đang chờ"),
}


class Rejected(Exception):
    """A command that is not allowed now. `message` is shown to the sender."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Ctx:
    """What a format needs to decide about the current question."""

    contest: Contest
    state: ContestState
    round: Round
    question: Question
    q: QuestionState


@dataclass(frozen=True)
class Verdict:
    """How a manual correction changes one team's answer to one question."""

    value: object = None
    correct: bool | None = None


@dataclass
class TeamResult:
    """One team's outcome on one question."""

    points: float = 0.0
    correct: bool | None = None  # None: did not answer (or not judged)
    time: float | None = None  # answer time that counts for the tiebreak, if correct
    value: object = None  # what the team answered, if anything
    by_hand: bool = False


def apply_overrides(
    results: dict[str, TeamResult],
    overrides: Mapping[str, Verdict],
    question: Question,
    time: float,
) -> None:
    """The manual corrections in force over the buzz formats' results: a value
    set by hand is scored, a verdict set by hand wins; `time` where none was."""
    for team, override in overrides.items():
        if (result := results.get(team)) is None:
            continue
        result.by_hand = True
        if override.value is not None:
            result.value, result.correct = override.value, is_correct(question, override.value)
        if override.correct is not None:
            result.correct = override.correct
        if result.time is None:
            result.time = time


# How an event changes the state: the whole state, and the question it names.
Fold = Callable[[ContestState, QuestionState, Any], None]
# How an event of the round itself (naming no question) changes the state.
RoundFold = Callable[[Contest, ContestState, Any], None]


class ViewCtx:
    """What a format's view hooks get: the question's context, its results
    (computed on first use), the manual answers in force, and the time."""

    def __init__(
        self,
        ctx: Ctx,
        now: float,
        results: Callable[[], dict[str, TeamResult]],
        overrides: Callable[[], dict[str, Verdict]],
    ) -> None:
        self.ctx, self.now = ctx, now
        self._results, self._overrides = results, overrides

    @cached_property
    def results(self) -> dict[str, TeamResult]:
        return self._results()

    @cached_property
    def overrides(self) -> dict[str, Verdict]:
        return self._overrides()


class RoundFormat(Protocol):
    @property
    def name(self) -> str:
        """The `format:` of a round in the contest file."""
        ...

    @property
    def title(self) -> str:
        """The round's format as the screens name it."""
        ...

    @property
    def team_devices(self) -> bool:
        """Whether the teams play this round on their own devices (the readiness
        grid waits for them): not when players or judges are the ones who act."""
        ...

    @property
    def round_keys(self) -> tuple[str, ...]:
        """The keys it adds to a round (`questions` and `draw` included)."""
        ...

    @property
    def scoring_keys(self) -> tuple[str, ...]:
        """The keys of its `scoring:` section, if it has one."""
        ...

    @property
    def folds(self) -> Mapping[type[Event], Fold]:
        """The events it folds into its state, and how (engine.apply runs them
        after the shared fold of the same event, if any)."""
        ...

    # the contest file ---------------------------------------------------------

    def read_settings(self, fields: Fields) -> object:
        """Its settings from the round's mapping, problems reported at FILE:LINE."""
        ...

    # state --------------------------------------------------------------------

    def new_question_state(self) -> object:
        """Its own state of a question just shown (QuestionState.fmt)."""
        ...

    def new_round_state(self) -> object | None:
        """Its state across the questions of a round (ContestState.round_fmt)."""
        ...

    # the flow -----------------------------------------------------------------

    def next_question(self, contest: Contest, state: ContestState) -> int | None:
        """The index in the round's list of the question to show next; None when over."""
        ...

    def may_act(self, ctx: Ctx, team: str) -> bool:
        """Whether `team` may answer or buzz on the current question now."""
        ...

    def on_show(self, ctx: Ctx, now: float) -> list[Event]:
        """Events that follow showing a question (e.g. a reading clock)."""
        ...

    def open(self, ctx: Ctx, now: float) -> list[Event]:
        """The MC opens answering or the buzzers."""
        ...

    def close_early(self, ctx: Ctx, now: float) -> list[Event]:
        """The MC closes answering or the buzzers before time is up."""
        ...

    def decide(self, ctx: Ctx, command: Command, now: float) -> list[Event]:
        """Decide a format-specific command; raise Rejected if not allowed."""
        ...

    def tick(self, ctx: Ctx, now: float) -> list[Event]:
        """Whatever is due by `now`: deadlines, naming a buzz winner."""
        ...

    def alarm(self, ctx: Ctx) -> float | None:
        """The next moment at which `tick` would have something to do."""
        ...

    def score(
        self, ctx: Ctx, overrides: dict[str, Verdict], team_ids: list[str]
    ) -> dict[str, TeamResult]:
        """Every team's result on this question, with manual corrections applied."""
        ...

    def verdict_points(
        self, ctx: Ctx, verdict: str | None, attempt: int | None = None
    ) -> float | None:
        """What a judged turn (QuestionState.attempts) scores: the verdict notices.
        `attempt`: which turn (its index), when not the newest with `verdict`."""
        ...

    def turns(
        self, rnd_id: str, teams: tuple[Team, ...], settings: object, line: int, file: str
    ) -> list[Question] | None:
        """Stand-in questions for a round asking none from a bank (judged: one per team)."""
        ...

    def contest_problems(
        self, settings: object, judges: tuple[Judge, ...]
    ) -> list[tuple[str, str]]:
        """Problems of the round's settings against the contest's judges: (key, message)."""
        ...

    def show_label(self, contest: Contest, question_id: str, index: int) -> str | None:
        """The MC's label for showing the question next, if the format words it."""
        ...

    # its part of each view (merged into the dict views.py builds) ---------------

    def common(self, v: ViewCtx) -> dict[str, Any]:
        """Keys every audience sees (e.g. the buzz order)."""
        ...

    def board(self, v: ViewCtx) -> dict[str, Any]:
        """The projector's keys (the board part of the MC view too)."""
        ...

    def board_reveal(self, v: ViewCtx) -> dict[str, Any]:
        """Keys added to the board's `reveal` once the answer is shown."""
        ...

    def team(self, v: ViewCtx, team: str) -> dict[str, Any]:
        """One team's tablet keys."""
        ...

    def mc(self, v: ViewCtx) -> dict[str, Any]:
        """The MC console's own keys."""
        ...

    def mc_step(self, v: ViewCtx) -> dict[str, Any] | None:
        """The MC's next step while the question runs, if the format has its own."""
        ...

    def jury(self, v: ViewCtx) -> dict[str, Any]:
        """The jury console's keys (the jury issue fills it)."""
        ...

    def player(self, v: ViewCtx, player: str) -> dict[str, Any]:
        """One individual player's keys (the players issue fills it)."""
        ...

    # between questions: commands, events and views of the round itself --------

    @property
    def round_commands(self) -> tuple[type[Command], ...]:
        """Commands about the round, not one question (engine.decide sends them
        to `decide_round`, even while no question is shown)."""
        ...

    @property
    def round_folds(self) -> Mapping[type[Event], RoundFold]:
        """How its events that name no question fold into the state."""
        ...

    def decide_round(
        self, contest: Contest, state: ContestState, command: Command, now: float
    ) -> list[Event]:
        """Decide one of `round_commands`; raise Rejected if not allowed."""
        ...

    def round_view(self, contest: Contest, state: ContestState, team: str | None) -> dict[str, Any]:
        """Keys every view of the round gets, question shown or not (`team`: a tablet's)."""
        ...

    def round_step(self, contest: Contest, state: ContestState) -> dict[str, Any] | None:
        """The MC's next step between questions, if the format has its own."""
        ...

    def check_teams(self, settings: object, teams: int) -> str | None:
        """A problem of its settings for a contest of `teams` teams, if any."""
        ...


class FormatBase:
    """The defaults: no settings, no per-round state, questions in list order,
    every team may act, nothing added to the views. A format overrides what it
    needs; `folds` is always its own."""

    title = ""
    team_devices = True
    round_keys: tuple[str, ...] = ("questions", "draw")
    scoring_keys: tuple[str, ...] = ()

    def read_settings(self, fields: Fields) -> object:
        return None

    def new_round_state(self) -> object | None:
        return None

    def next_question(self, contest: Contest, state: ContestState) -> int | None:
        """The next in the round's list ("all" and "buzzer" keep this)."""
        q = state.question
        index = q.index + 1 if q is not None and q.round == state.round else 0
        return index if index < len(contest.rounds[state.round].question_ids) else None

    def may_act(self, ctx: Ctx, team: str) -> bool:
        return True

    def verdict_points(
        self, ctx: Ctx, verdict: str | None, attempt: int | None = None
    ) -> float | None:
        return None  # a format without judged turns

    def turns(
        self, rnd_id: str, teams: tuple[Team, ...], settings: object, line: int, file: str
    ) -> list[Question] | None:
        """Stand-in questions for a round that asks none from a bank (`judged`:
        one per team's turn); None: the round's questions come from the banks."""
        return None

    def contest_problems(
        self, settings: object, judges: tuple[Judge, ...]
    ) -> list[tuple[str, str]]:
        """Problems of the round's settings against the contest's judges: (key, message)."""
        return []

    def show_label(self, contest: Contest, question_id: str, index: int) -> str | None:
        """The MC's label for showing the question next; None: "Hiện câu hỏi (Câu n/N)"."""
        return None

    def on_show(self, ctx: Ctx, now: float) -> list[Event]:
        return []

    def common(self, v: ViewCtx) -> dict[str, Any]:
        return {}

    def board(self, v: ViewCtx) -> dict[str, Any]:
        return {}

    def board_reveal(self, v: ViewCtx) -> dict[str, Any]:
        return {}

    def team(self, v: ViewCtx, team: str) -> dict[str, Any]:
        return {}

    def mc(self, v: ViewCtx) -> dict[str, Any]:
        return {}

    def mc_step(self, v: ViewCtx) -> dict[str, Any] | None:
        return None

    def jury(self, v: ViewCtx) -> dict[str, Any]:
        return {}

    def player(self, v: ViewCtx, player: str) -> dict[str, Any]:
        return {}

    round_commands: tuple[type[Command], ...] = ()
    round_folds: Mapping[type[Event], RoundFold] = {}

    def decide_round(
        self, contest: Contest, state: ContestState, command: Command, now: float
    ) -> list[Event]:
        raise Rejected("not_allowed", tr("Phần thi này không có thao tác đó"))

    def round_view(self, contest: Contest, state: ContestState, team: str | None) -> dict[str, Any]:
        return {}

    def round_step(self, contest: Contest, state: ContestState) -> dict[str, Any] | None:
        return None

    def check_teams(self, settings: object, teams: int) -> str | None:
        return None
