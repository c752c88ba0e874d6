"""The MC's `command` messages: one pydantic model per `name` (docs/protocol.md).

Each model turns a valid payload into its engine command; `parse_command`
picks the model by `name` (COMMANDS) and validates the payload against it.
The jury's versions of the corrections subclass these (protocol_jury.py).
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal, get_args

from pydantic import Field, ValidationInfo, field_validator

from quiz.rules import commands as c
from quiz.rules.text import tr
from quiz.web.protocol_base import (
    BAD_PARTS,
    MAX_APPEAL,
    MAX_ID,
    MAX_REASON,
    NOT_AN_OBJECT,
    VERDICTS,
    AnswerValue,
    CommandMsg,
    Parts,
    PositiveWhole,
    ProtocolError,
    parse,
    refusal,
)
from quiz.web.protocol_formats import (
    ReinstateMsg,
    RescueMsg,
    SetPlayerAnswerMsg,
    TurnsOrderMsg,
    TurnsPackageMsg,
    TurnsSkipMsg,
    TurnsStarMsg,
    TurnsStealMsg,
    TurnsUnstarMsg,
    TurnsValueMsg,
)


class StartRoundMsg(CommandMsg):
    name: Literal["start_round"]
    round: str | None = Field(None, max_length=MAX_ID)

    def command(self) -> c.Command:
        return c.StartRound(round=self.round)


class ShowMsg(CommandMsg):
    name: Literal["show"]
    question: str | None = Field(None, max_length=MAX_ID)

    def command(self) -> c.Command:
        return c.ShowQuestion(question=self.question)


class OnQuestionMsg(CommandMsg):
    """A command that names the current question and nothing else."""

    question: str = Field(max_length=MAX_ID)


class OpenMsg(OnQuestionMsg):
    name: Literal["open"]

    def command(self) -> c.Command:
        return c.OpenAnswers(question=self.question)


class PauseMsg(OnQuestionMsg):
    name: Literal["pause"]

    def command(self) -> c.Command:
        return c.PauseClock(question=self.question)


class ResumeMsg(OnQuestionMsg):
    name: Literal["resume"]

    def command(self) -> c.Command:
        return c.ResumeClock(question=self.question)


class CloseMsg(OnQuestionMsg):
    name: Literal["close"]

    def command(self) -> c.Command:
        return c.CloseEarly(question=self.question)


class RevealMsg(OnQuestionMsg):
    name: Literal["reveal"]

    def command(self) -> c.Command:
        return c.Reveal(question=self.question)


class AddTimeMsg(CommandMsg):
    name: Literal["add_time"]
    seconds: float  # the range (1..EXTRA_TIME_MAX) is the engine's to check
    question: str = Field(max_length=MAX_ID)

    def command(self) -> c.Command:
        return c.AddTime(question=self.question, seconds=self.seconds)


class JudgeMsg(CommandMsg):
    """`verdict`, when given, wins over `correct`; one of them is needed."""

    name: Literal["judge"]
    verdict: str | None = Field(None, max_length=MAX_ID)
    correct: bool | None = Field(None, validate_default=True)
    question: str = Field(max_length=MAX_ID)
    team: str = Field(max_length=MAX_ID)

    @field_validator("verdict")
    @classmethod
    def _known(cls, verdict: str | None) -> str | None:
        if verdict is not None and verdict not in VERDICTS:
            raise refusal(tr("Kết quả phải là correct, wrong hoặc timeout"))
        return verdict

    @field_validator("correct")
    @classmethod
    def _needed(cls, correct: bool | None, info: ValidationInfo) -> bool | None:
        if correct is None and info.data.get("verdict") is None:
            raise refusal(tr("Trường 'correct' phải là true/false"))
        return correct

    def command(self) -> c.Command:
        verdict = self.verdict or ("correct" if self.correct else "wrong")
        return c.Judge(self.question, self.team, correct=verdict == "correct", verdict=verdict)


class ScoreboardMsg(CommandMsg):
    name: Literal["scoreboard"]
    show: bool

    def command(self) -> c.Command:
        return c.ShowScoreboard(show=self.show)


class AdjustMsg(CommandMsg):
    name: Literal["adjust"]
    delta: float
    team: str = Field(max_length=MAX_ID)
    reason: str = Field(max_length=MAX_REASON)

    def command(self) -> c.Command:
        return c.AdjustScore(team=self.team, delta=self.delta, reason=self.reason)


class SetAnswerMsg(CommandMsg):
    name: Literal["set_answer"]
    question: str = Field(max_length=MAX_ID)
    team: str = Field(max_length=MAX_ID)
    reason: str = Field(max_length=MAX_REASON)
    value: AnswerValue = None
    correct: bool | None = None

    def command(self) -> c.Command:
        return c.SetAnswer(
            question=self.question,
            team=self.team,
            reason=self.reason,
            value=self.value,
            correct=self.correct,
        )


class VoidMsg(CommandMsg):
    name: Literal["void"]
    question: str = Field(max_length=MAX_ID)
    reason: str = Field(max_length=MAX_REASON)

    def command(self) -> c.Command:
        return c.VoidQuestion(question=self.question, reason=self.reason)


class UndoMsg(CommandMsg):
    """A correction by `id`, a buzz verdict by `question` + `team`, or neither
    (the newest in force)."""

    name: Literal["undo"]
    id: PositiveWhole = None
    reason: str = Field(max_length=MAX_REASON)
    question: str | None = Field(None, max_length=MAX_ID)
    team: str | None = Field(None, max_length=MAX_ID)

    def command(self) -> c.Command:
        return c.Undo(
            reason=self.reason,
            id=None if self.id is None else int(self.id),
            question=self.question,
            team=self.team,
        )


class CeremonyNextMsg(CommandMsg):
    name: Literal["ceremony_next"]
    step: PositiveWhole = None

    def command(self) -> c.Command:
        return c.CeremonyNext(step=None if self.step is None else int(self.step))


class SummaryMsg(CommandMsg):
    name: Literal["summary"]
    show: bool | None = None

    def command(self) -> c.Command:
        return c.ShowRoundSummary(show=True if self.show is None else self.show)


MAX_GROUPS = 60  # no contest has more teams than this (bank.MAX_TEAMS)
TeamIds = list[Annotated[str, Field(max_length=MAX_ID)]]


class TiebreakSelectMsg(CommandMsg):
    """The teams a tiebreak round plays: one list of team ids per tie."""

    name: Literal["tiebreak_select"]
    groups: list[TeamIds] = Field(max_length=MAX_GROUPS)
    round: str | None = Field(None, max_length=MAX_ID)

    def command(self) -> c.Command:
        return c.SelectTiebreak(groups=tuple(tuple(g) for g in self.groups), round=self.round)


class DrawLotsMsg(CommandMsg):
    """The drawing of lots: the server draws (`seed` optional), or `order` is the hall's."""

    name: Literal["draw_lots"]
    order: list[TeamIds] | None = Field(None, max_length=MAX_GROUPS)
    seed: PositiveWhole = None
    round: str | None = Field(None, max_length=MAX_ID)

    def command(self) -> c.Command:
        return c.DrawLots(
            order=tuple(tuple(g) for g in self.order or []),
            seed=None if self.seed is None else int(self.seed),
            round=self.round,
        )


class AppealForMsg(CommandMsg):
    """The MC (`command`) or the jury (`jury`) enters an appeal for a team."""

    name: Literal["appeal"]
    team: str = Field(max_length=MAX_ID)
    question: str = Field(max_length=MAX_ID)
    text: str = Field(max_length=MAX_APPEAL)

    def command(self) -> c.Command:
        return c.FileAppeal(team=self.team, question=self.question, text=self.text, by="mc")


class SetJudgeScoreMsg(CommandMsg):
    """A judge's score on a judged turn set by hand (a correction): `score`, or
    `parts` when the round has criteria."""

    name: Literal["set_judge_score"]
    question: str = Field(max_length=MAX_ID)
    judge: str = Field(max_length=MAX_ID)
    reason: str = Field(max_length=MAX_REASON)
    score: float | None = None
    parts: Parts = None
    field_messages: ClassVar[dict[str, str]] = {"parts": BAD_PARTS}

    def command(self) -> c.Command:
        return c.SetJudgeScore(
            question=self.question,
            judge=self.judge,
            reason=self.reason,
            score=self.score,
            parts=None if self.parts is None else dict(self.parts),
        )


def _name_of(model: type[CommandMsg]) -> str:
    (name,) = get_args(model.model_fields["name"].annotation)
    return str(name)


COMMANDS: dict[str, type[CommandMsg]] = {
    _name_of(model): model
    for model in (
        StartRoundMsg,
        ShowMsg,
        OpenMsg,
        PauseMsg,
        ResumeMsg,
        AddTimeMsg,
        CloseMsg,
        RevealMsg,
        JudgeMsg,
        ScoreboardMsg,
        AdjustMsg,
        SetAnswerMsg,
        VoidMsg,
        UndoMsg,
        CeremonyNextMsg,
        SummaryMsg,
        TiebreakSelectMsg,
        DrawLotsMsg,
        TurnsOrderMsg,
        TurnsPackageMsg,
        TurnsValueMsg,
        TurnsStarMsg,
        TurnsUnstarMsg,
        TurnsSkipMsg,
        TurnsStealMsg,
        AppealForMsg,
        RescueMsg,
        ReinstateMsg,
        SetPlayerAnswerMsg,
        SetJudgeScoreMsg,
    )
}


def parse_command(payload: object) -> c.Command:
    """An MC `command` message as an engine command: its `name` picks the model."""
    if not isinstance(payload, dict):
        raise ProtocolError(tr(NOT_AN_OBJECT))
    name = payload.get("name")
    model = COMMANDS.get(name) if isinstance(name, str) else None
    if model is None:
        raise ProtocolError(tr("Lệnh không hợp lệ"), "unknown_command")
    return parse(model, payload).command()
