"""The shared folds of the events into the state: the round and question
flow, the clock, the scoreboard and the corrections, with the ceremony's,
the tie-break's, the devices' and the jury's. engine.apply runs these, then
the fold of the event's format. Imports model, state, events, formats, and
ceremony, jury, devices for their folds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from quiz.rules import ceremony, jury
from quiz.rules.devices import on_device
from quiz.rules.events import (
    AnswersClosed,
    AnswerSetByHand,
    AnswersOpened,
    CeremonyAdvanced,
    ClockPaused,
    ClockResumed,
    ClockStarted,
    ContestFinished,
    CorrectionUndone,
    DeviceApproved,
    DeviceRefused,
    Event,
    LotsDrawn,
    QuestionShown,
    QuestionVoided,
    Revealed,
    RoundStarted,
    RoundSummaryToggled,
    ScoreAdjusted,
    ScoreboardToggled,
    TiebreakSelected,
    TimeAdded,
)
from quiz.rules.formats import FORMATS, tiebreak_state
from quiz.rules.model import Contest, Phase
from quiz.rules.state import Clock, ContestState, Correction, QuestionState

__all__ = ["FOLDS"]


def _q(state: ContestState, qid: str) -> QuestionState:
    return state.questions[qid]


def _on_round(contest: Contest, state: ContestState, e: RoundStarted) -> None:
    state.phase, state.round, state.show_scoreboard = Phase.INTRO, e.round, False
    state.summary = None
    state.round_fmt = FORMATS[contest.rounds[e.round].format].new_round_state()


def _on_finished(contest: Contest, state: ContestState, e: ContestFinished) -> None:
    state.phase, state.show_scoreboard, state.summary = Phase.FINISHED, True, None


def _on_shown(contest: Contest, state: ContestState, e: QuestionShown) -> None:
    fmt = FORMATS[contest.rounds[state.round].format].new_question_state()
    state.questions[e.question] = QuestionState(e.question, state.round, e.index, e.at, fmt=fmt)
    state.phase, state.current, state.show_scoreboard = Phase.SHOWN, e.question, False
    state.summary = None


def _on_clock(contest: Contest, state: ContestState, e: ClockStarted) -> None:
    _q(state, e.question).clock = Clock(kind=e.kind, limit=e.limit, since=e.at, started_at=e.at)


def _on_paused(contest: Contest, state: ContestState, e: ClockPaused) -> None:
    clock = _q(state, e.question).clock
    assert clock is not None
    clock.stop(e.at)


def _on_resumed(contest: Contest, state: ContestState, e: ClockResumed) -> None:
    clock = _q(state, e.question).clock
    assert clock is not None
    clock.since = e.at


def _on_time_added(contest: Contest, state: ContestState, e: TimeAdded) -> None:
    clock = _q(state, e.question).clock
    assert clock is not None
    clock.limit += e.seconds


def _on_opened(contest: Contest, state: ContestState, e: AnswersOpened) -> None:
    q = _q(state, e.question)
    state.phase, q.opened_at = Phase.OPEN, e.at


def _on_closed(contest: Contest, state: ContestState, e: AnswersClosed) -> None:
    q = _q(state, e.question)
    state.phase, q.closed_at, q.close_reason = Phase.CLOSED, e.at, e.reason
    if q.clock is not None:
        q.clock.stop(e.at)


def _on_revealed(contest: Contest, state: ContestState, e: Revealed) -> None:
    _q(state, e.question).revealed = True
    _q(state, e.question).revealed_at = e.at
    state.phase = Phase.REVEALED


def _on_scoreboard(contest: Contest, state: ContestState, e: ScoreboardToggled) -> None:
    state.show_scoreboard = e.show


def _on_adjusted(contest: Contest, state: ContestState, e: ScoreAdjusted) -> None:
    state.corrections.append(Correction(e.id, "adjust", e.at, e.reason, team=e.team, delta=e.delta))


def _on_set_answer(contest: Contest, state: ContestState, e: AnswerSetByHand) -> None:
    state.corrections.append(
        Correction(
            e.id,
            "set_answer",
            e.at,
            e.reason,
            team=e.team,
            question=e.question,
            value=e.value,
            correct=e.correct,
        )
    )


def _on_voided(contest: Contest, state: ContestState, e: QuestionVoided) -> None:
    state.corrections.append(Correction(e.id, "void", e.at, e.reason, question=e.question))


def _on_undone(contest: Contest, state: ContestState, e: CorrectionUndone) -> None:
    correction = state.correction(e.id)
    assert correction is not None
    correction.undone, correction.undo_reason, correction.undone_at = True, e.reason, e.at


# Event type -> its fold into the contest's state (a format's own folds are its own).
FOLDS: dict[type[Event], Callable[[Contest, ContestState, Any], None]] = {
    CeremonyAdvanced: ceremony.apply_ceremony,
    RoundSummaryToggled: ceremony.apply_summary,
    RoundStarted: _on_round,
    ContestFinished: _on_finished,
    QuestionShown: _on_shown,
    ClockStarted: _on_clock,
    ClockPaused: _on_paused,
    ClockResumed: _on_resumed,
    TimeAdded: _on_time_added,
    AnswersOpened: _on_opened,
    AnswersClosed: _on_closed,
    Revealed: _on_revealed,
    ScoreboardToggled: _on_scoreboard,
    ScoreAdjusted: _on_adjusted,
    AnswerSetByHand: _on_set_answer,
    QuestionVoided: _on_voided,
    CorrectionUndone: _on_undone,
    TiebreakSelected: tiebreak_state.apply_selected,
    LotsDrawn: tiebreak_state.apply_lots,
    DeviceApproved: on_device,
    DeviceRefused: on_device,
    **jury.FOLDS,
}
