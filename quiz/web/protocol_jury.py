"""The jury's `jury` messages: one pydantic model per `name` (docs/protocol.md).

The corrections are the MC's models (protocol_mc.py) made by the jury; the
rest (review, decide_appeal, sign_off, reopen) are the jury's own.
`parse_jury` picks the model by `name` (JURY_COMMANDS).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from quiz.rules import commands as c
from quiz.rules.text import tr
from quiz.web.protocol_base import (
    MAX_ID,
    MAX_REASON,
    NOT_AN_OBJECT,
    AnswerValue,
    CommandMsg,
    PositiveWhole,
    ProtocolError,
    parse,
    refusal,
)
from quiz.web.protocol_mc import (
    AdjustMsg,
    AppealForMsg,
    SetAnswerMsg,
    UndoMsg,
    VoidMsg,
)


class JuryAdjustMsg(AdjustMsg):
    def command(self) -> c.Command:
        return c.AdjustScore(team=self.team, delta=self.delta, reason=self.reason, by="jury")


class JurySetAnswerMsg(SetAnswerMsg):
    def command(self) -> c.Command:
        return c.SetAnswer(
            self.question, self.team, self.reason, self.value, self.correct, by="jury"
        )


class JuryVoidMsg(VoidMsg):
    def command(self) -> c.Command:
        return c.VoidQuestion(question=self.question, reason=self.reason, by="jury")


class JuryUndoMsg(UndoMsg):
    def command(self) -> c.Command:
        return c.Undo(
            reason=self.reason,
            id=None if self.id is None else int(self.id),
            question=self.question,
            team=self.team,
            by="jury",
        )


class JuryAppealForMsg(AppealForMsg):
    def command(self) -> c.Command:
        return c.FileAppeal(team=self.team, question=self.question, text=self.text, by="jury")


class ReviewMsg(CommandMsg):
    """Approve or reject the correction waiting with number `id`."""

    name: Literal["review"]
    id: PositiveWhole = Field(validate_default=True)
    approve: bool
    reason: str = Field(max_length=MAX_REASON)

    def command(self) -> c.Command:
        assert self.id is not None
        return c.ReviewCorrection(id=int(self.id), approve=self.approve, reason=self.reason)


APPEAL_CORRECTIONS = ("set_answer", "adjust", "void")


class DecideAppealMsg(CommandMsg):
    """Accept appeal `id` with a correction (`kind` and its fields) or reject it."""

    name: Literal["decide_appeal"]
    id: PositiveWhole = Field(validate_default=True)
    accept: bool
    reason: str = Field(max_length=MAX_REASON)
    kind: str | None = Field(None, max_length=MAX_ID)
    delta: float | None = None
    value: AnswerValue = None
    correct: bool | None = None

    @field_validator("kind")
    @classmethod
    def _known(cls, kind: str | None) -> str | None:
        if kind is not None and kind not in APPEAL_CORRECTIONS:
            raise refusal(tr("Điều chỉnh phải là set_answer, adjust hoặc void"))
        return kind

    def command(self) -> c.Command:
        assert self.id is not None
        return c.DecideAppeal(
            id=int(self.id),
            accept=self.accept,
            reason=self.reason,
            kind=self.kind,
            delta=self.delta,
            value=self.value,
            correct=self.correct,
        )


class SignOffMsg(CommandMsg):
    name: Literal["sign_off"]

    def command(self) -> c.Command:
        return c.SignOff()


class ReopenMsg(CommandMsg):
    name: Literal["reopen"]
    reason: str = Field(max_length=MAX_REASON)

    def command(self) -> c.Command:
        return c.Reopen(reason=self.reason)


JURY_COMMANDS: dict[str, type[CommandMsg]] = {
    "adjust": JuryAdjustMsg,
    "set_answer": JurySetAnswerMsg,
    "void": JuryVoidMsg,
    "undo": JuryUndoMsg,
    "appeal": JuryAppealForMsg,
    "review": ReviewMsg,
    "decide_appeal": DecideAppealMsg,
    "sign_off": SignOffMsg,
    "reopen": ReopenMsg,
}


def parse_jury(payload: object) -> c.Command:
    """A `jury` message as an engine command: its `name` picks the model."""
    if not isinstance(payload, dict):
        raise ProtocolError(tr(NOT_AN_OBJECT))
    name = payload.get("name")
    model = JURY_COMMANDS.get(name) if isinstance(name, str) else None
    if model is None:
        raise ProtocolError(tr("Lệnh không hợp lệ"), "unknown_command")
    return parse(model, payload).command()
