"""Events outside the play of a question: corrections (by the MC, or proposed
to the jury), appeals, the jury's sign-off, and the MC's decisions on a team's
devices. Part of quiz/rules/events.py, which registers them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quiz.rules.events_base import Event


@dataclass(frozen=True)
class ScoreAdjusted(Event):
    id: int
    team: str
    delta: float
    reason: str


@dataclass(frozen=True)
class AnswerSetByHand(Event):
    id: int
    question: str
    team: str
    reason: str
    value: Any = None
    correct: bool | None = None


@dataclass(frozen=True)
class QuestionVoided(Event):
    id: int
    question: str
    reason: str


@dataclass(frozen=True)
class CorrectionUndone(Event):
    id: int  # the correction taken back
    reason: str


@dataclass(frozen=True)
class CorrectionProposed(Event):
    """An MC correction waiting for the jury (`jury.approve_corrections`):
    `change` is the correction's own event (to_record) it becomes if approved."""

    id: int  # the proposal's number
    by: str  # mc
    change: dict[str, Any]


@dataclass(frozen=True)
class CorrectionReviewed(Event):
    """The jury approves (then the correction's event follows) or rejects a proposal."""

    id: int
    approved: bool
    reason: str
    correction: int | None = None  # the correction's id, when approved


@dataclass(frozen=True)
class AppealFiled(Event):
    """A team's appeal (khiếu nại) on a revealed question."""

    id: int
    team: str
    question: str
    text: str
    by: str  # team | mc | jury: who entered it


@dataclass(frozen=True)
class AppealDecided(Event):
    """The jury's decision; an accepted appeal's correction event follows."""

    id: int
    accepted: bool
    reason: str
    correction: int | None = None


@dataclass(frozen=True)
class ResultsSignedOff(Event):
    """The jury signs off the results: corrections now need a reopening first."""


@dataclass(frozen=True)
class ResultsReopened(Event):
    reason: str


@dataclass(frozen=True)
class DeviceApproved(Event):
    """The MC let a team's (player's, judge's) waiting device in
    (contest-format.md "Devices")."""

    team: str  # the team's id; the player's number or the judge's id (holder)
    device: str  # the id the device keeps (docs/protocol.md `auth.device`)
    address: str  # the device's network address
    replaced: int = 0  # the holder's devices sent back to the join page
    holder: str = "team"  # whose device: team, player or judge


@dataclass(frozen=True)
class DeviceRefused(Event):
    """The MC turned a team's (player's, judge's) waiting device away."""

    team: str  # as in DeviceApproved
    device: str
    address: str
    holder: str = "team"
