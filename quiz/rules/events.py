"""What happened, in the past tense: the facts the journal records.

Events are frozen, JSON-serialisable and replayed in order to rebuild the
state (engine.apply). Every field is plain data (str, float, bool, list,
dict). The events of corrections, appeals and devices are in
events_corrections.py, those of one round format each in events_formats.py;
all are registered and importable here. Imports nothing else from the
package.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from quiz.rules.events_base import Event
from quiz.rules.events_corrections import (
    AnswerSetByHand,
    AppealDecided,
    AppealFiled,
    CorrectionProposed,
    CorrectionReviewed,
    CorrectionUndone,
    DeviceApproved,
    DeviceRefused,
    QuestionVoided,
    ResultsReopened,
    ResultsSignedOff,
    ScoreAdjusted,
)
from quiz.rules.events_formats import (
    JudgeScored,
    JudgeScoreSetByHand,
    LotsDrawn,
    PackageChosen,
    PlayerReinstated,
    RescueCalled,
    StarPlaced,
    StarRemoved,
    TeamSkipped,
    TiebreakSelected,
    TurnAnswerOpened,
    TurnsOrdered,
    ValueChosen,
)


@dataclass(frozen=True)
class RoundStarted(Event):
    round: int  # index into contest.rounds


@dataclass(frozen=True)
class ContestFinished(Event):
    pass


@dataclass(frozen=True)
class QuestionShown(Event):
    question: str
    index: int  # position in the round


@dataclass(frozen=True)
class ClockStarted(Event):
    """A countdown of `limit` seconds starts; `kind` says what it times."""

    question: str
    kind: str  # read | answer | buzz | buzz_answer
    limit: float


@dataclass(frozen=True)
class ClockPaused(Event):
    question: str


@dataclass(frozen=True)
class ClockResumed(Event):
    question: str


@dataclass(frozen=True)
class TimeAdded(Event):
    question: str
    seconds: float


@dataclass(frozen=True)
class AnswersOpened(Event):
    question: str


@dataclass(frozen=True)
class AnswerAccepted(Event):
    question: str
    team: str
    value: Any
    pressed: float  # press time on the server clock
    time: float  # seconds of running clock from opening to the press
    nonce: str
    # For the jury (optional: older journals have none): when it arrived, the
    # press time the tablet claimed, and the earliest its measured link allowed.
    arrival: float | None = None
    claimed: float | None = None
    earliest: float | None = None


@dataclass(frozen=True)
class AnswersClosed(Event):
    question: str
    reason: str  # time | mc | answered | nobody


@dataclass(frozen=True)
class BuzzersOpened(Event):
    question: str


@dataclass(frozen=True)
class BuzzLockedOut(Event):
    question: str
    team: str


@dataclass(frozen=True)
class BuzzRecorded(Event):
    question: str
    team: str
    pressed: float
    time: float  # seconds from buzzers opening to the press
    decide_at: float  # when the winner of this opening will be named
    late: bool = False  # pressed while another team was answering: kept, cannot win
    arrival: float | None = None  # as AnswerAccepted's, for the jury
    claimed: float | None = None
    earliest: float | None = None


@dataclass(frozen=True)
class BuzzWon(Event):
    question: str
    team: str


@dataclass(frozen=True)
class BuzzJudged(Event):
    question: str
    team: str
    verdict: str  # correct | wrong | timeout
    value: Any = None  # the answer typed on the tablet, if any


@dataclass(frozen=True)
class AnswerTimeUp(Event):
    """A spoken buzz answer ran out of time: the clock stops, the MC still judges."""

    question: str
    team: str


@dataclass(frozen=True)
class VerdictUndone(Event):
    """A buzz verdict taken back: that attempt no longer scores."""

    question: str
    team: str
    attempt: int  # index into the question's attempts
    reason: str


@dataclass(frozen=True)
class Revealed(Event):
    question: str


@dataclass(frozen=True)
class ScoreboardToggled(Event):
    show: bool


@dataclass(frozen=True)
class CeremonyAdvanced(Event):
    step: int  # prizes revealed so far, counting this one


@dataclass(frozen=True)
class RoundSummaryToggled(Event):
    show: bool
    round: int  # index of the round summarised


__all__ = [
    "EVENT_TYPES",
    "Event",
    "RoundStarted",
    "ContestFinished",
    "QuestionShown",
    "ClockStarted",
    "ClockPaused",
    "ClockResumed",
    "TimeAdded",
    "AnswersOpened",
    "AnswerAccepted",
    "AnswersClosed",
    "BuzzersOpened",
    "BuzzLockedOut",
    "BuzzRecorded",
    "BuzzWon",
    "BuzzJudged",
    "AnswerTimeUp",
    "VerdictUndone",
    "Revealed",
    "ScoreboardToggled",
    "CeremonyAdvanced",
    "RoundSummaryToggled",
    "ScoreAdjusted",
    "AnswerSetByHand",
    "QuestionVoided",
    "CorrectionUndone",
    "CorrectionProposed",
    "CorrectionReviewed",
    "AppealFiled",
    "AppealDecided",
    "ResultsSignedOff",
    "ResultsReopened",
    "RescueCalled",
    "PlayerReinstated",
    "JudgeScored",
    "JudgeScoreSetByHand",
    "DeviceApproved",
    "DeviceRefused",
    "TiebreakSelected",
    "LotsDrawn",
    "TurnsOrdered",
    "PackageChosen",
    "ValueChosen",
    "StarPlaced",
    "StarRemoved",
    "TeamSkipped",
    "TurnAnswerOpened",
    "from_record",
    "to_record",
]

EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls
    for cls in (
        RoundStarted,
        ContestFinished,
        QuestionShown,
        ClockStarted,
        ClockPaused,
        ClockResumed,
        TimeAdded,
        AnswersOpened,
        AnswerAccepted,
        AnswersClosed,
        BuzzersOpened,
        BuzzLockedOut,
        BuzzRecorded,
        BuzzWon,
        BuzzJudged,
        AnswerTimeUp,
        VerdictUndone,
        Revealed,
        ScoreboardToggled,
        CeremonyAdvanced,
        RoundSummaryToggled,
        ScoreAdjusted,
        AnswerSetByHand,
        QuestionVoided,
        CorrectionUndone,
        CorrectionProposed,
        CorrectionReviewed,
        AppealFiled,
        AppealDecided,
        ResultsSignedOff,
        ResultsReopened,
        RescueCalled,
        PlayerReinstated,
        JudgeScored,
        JudgeScoreSetByHand,
        DeviceApproved,
        DeviceRefused,
        TiebreakSelected,
        LotsDrawn,
        TurnsOrdered,
        PackageChosen,
        ValueChosen,
        StarPlaced,
        StarRemoved,
        TeamSkipped,
        TurnAnswerOpened,
    )
}


def to_record(event: Event) -> dict[str, Any]:
    """An event as a JSON-ready mapping with its type name."""
    return {"type": type(event).__name__, **dataclasses.asdict(event)}


def from_record(record: dict[str, Any]) -> Event:
    """Rebuild an event from `to_record`'s mapping; raises ValueError if unknown."""
    data = dict(record)
    cls = EVENT_TYPES.get(str(data.pop("type", "")))
    if cls is None:
        raise ValueError(f"unknown event type in {record!r}")
    names = _FIELDS[cls]
    if not names.issuperset(data):
        data = {k: v for k, v in data.items() if k in names}
    return cls(**data)


_FIELDS: dict[type[Event], frozenset[str]] = {
    cls: frozenset(f.name for f in dataclasses.fields(cls)) for cls in EVENT_TYPES.values()
}
