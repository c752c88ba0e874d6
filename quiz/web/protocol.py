"""The wire contract in one place: one pydantic model per client message.

Every inbound payload is validated here against its event's model (or, for
the MC's `command`, the model its `name` picks) and turned into an engine
command, or a ProtocolError that becomes an error ack. The models are strict,
as the contract is: a string field takes only a string, a number field an
integer or a finite float (never a boolean or a numeric string), a boolean
only true/false, and an unknown field is refused. pydantic's own error text
never reaches a client: `_message` maps the first error onto the contract's
message, in the contest's language. Nothing here decides contest rules. See
docs/protocol.md.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from quiz.rules import commands as c
from quiz.rules.text import N_, tr
from quiz.web.protocol_base import (
    BAD_PARTS,
    MAX_APPEAL,
    MAX_ID,
    MAX_NONCE,
    MAX_PARTS,
    MAX_REASON,
    NOT_AN_OBJECT,
    AnswerValue,
    CommandMsg,
    Message,
    Parts,
    PositiveWhole,
    ProtocolError,
    error_ack,
    parse,
    press_seconds,
    refusal,
)
from quiz.web.protocol_jury import JURY_COMMANDS, parse_jury
from quiz.web.protocol_mc import COMMANDS, parse_command

# What the handlers import from here: the events' models below, and the
# contract's ground, the MC's commands and the jury's from their modules.
__all__ = [
    "COMMANDS",
    "JURY_COMMANDS",
    "MAX_APPEAL",
    "MAX_ID",
    "MAX_NONCE",
    "MAX_PARTS",
    "MAX_REASON",
    "NOT_AN_OBJECT",
    "AnswerMsg",
    "AppealMsg",
    "BatteryMsg",
    "BuzzMsg",
    "CommandMsg",
    "DeviceInfoMsg",
    "DeviceMsg",
    "Message",
    "PracticeAnswerMsg",
    "ProtocolError",
    "ScoreMsg",
    "ScreenMsg",
    "StarMsg",
    "SwitchMsg",
    "SyncMsg",
    "TimelineMsg",
    "error_ack",
    "parse",
    "parse_command",
    "parse_jury",
    "press_seconds",
]


# Events ------------------------------------------------------------------------


class SyncMsg(Message):
    """`sync`: a clock sample."""

    t: float


class SwitchMsg(Message):
    """`board_sound` (a board's sound state) and `sound` (the MC's switch)."""

    field_messages: ClassVar[dict[str, str]] = {"on": N_("Cần {on: true|false}")}

    on: bool


class AnswerMsg(Message):
    """`answer`: a team's answer to `question`; `id` makes a replay harmless."""

    question: str = Field(max_length=MAX_ID)
    value: AnswerValue = Field(None, validate_default=True)
    press: float | None = None
    id: str | None = Field(None, max_length=MAX_NONCE)

    @field_validator("value")
    @classmethod
    def _required(cls, value: Any) -> Any:
        if value is None:
            raise refusal(tr("Thiếu đáp án"))
        return value


class BuzzMsg(Message):
    """`buzz`: a team presses its buzzer (an `id` is allowed and ignored)."""

    id: str | None = Field(None, max_length=MAX_NONCE)
    question: str = Field(max_length=MAX_ID)
    press: float | None = None


# The venue's hour before the first question (quiz/web/venue.py) ------------------

MAX_SCREEN = 20000  # px
MAX_OFFSET_MS = 10 * 365 * 86400 * 1000.0  # a tablet's clock may be years off; not more


class ScreenMsg(Message):
    w: float = Field(ge=1, le=MAX_SCREEN)
    h: float = Field(ge=1, le=MAX_SCREEN)


class BatteryMsg(Message):
    level: float = Field(ge=0, le=1)
    charging: bool | None = None


class DeviceInfoMsg(Message):
    """`device_info`: what a browser knows of its device (readiness grid)."""

    field_messages: ClassVar[dict[str, str]] = {
        "screen": N_("Trường 'screen' phải có dạng {w, h}, mỗi số từ 1 đến 20000"),
        "offset_ms": N_("Trường 'offset_ms' phải là số (mili giây)"),
        "sync_rtt_ms": N_("Trường 'sync_rtt_ms' phải là số từ 0 đến 60000"),
        "wake_lock": N_("Trường 'wake_lock' phải là on, off hoặc unsupported"),
        "battery": N_("Trường 'battery' phải có dạng {level: 0..1, charging} hoặc null"),
    }

    version: str | None = Field(None, max_length=64)
    screen: ScreenMsg | None = None
    offset_ms: float | None = Field(None, ge=-MAX_OFFSET_MS, le=MAX_OFFSET_MS)
    sync_rtt_ms: float | None = Field(None, ge=0, le=60000)
    wake_lock: Literal["on", "off", "unsupported"] | None = None
    battery: BatteryMsg | None = None
    sound: bool | None = None  # a board only
    fullscreen: bool | None = None  # a board only


class DeviceMsg(Message):
    """`device`: the MC approves or refuses a waiting device."""

    id: str = Field(max_length=20)
    approve: bool


class PracticeAnswerMsg(Message):
    """`practice_answer`: a team's choice on the practice question."""

    value: str = Field(max_length=8)


class ScoreMsg(Message):
    """`score`: a judge's score for the team called (judged rounds): `score`,
    or `parts` (criterion id -> points) when the round has criteria."""

    question: str = Field(max_length=MAX_ID)
    score: float | None = None
    parts: Parts = None
    id: str | None = Field(None, max_length=MAX_NONCE)
    field_messages: ClassVar[dict[str, str]] = {"parts": BAD_PARTS}

    def command(self, judge: str) -> c.ScoreTeam:
        if self.score is None and self.parts is None:
            raise ProtocolError(tr("Thiếu điểm ('score' hoặc 'parts')"))
        parts = None if self.parts is None else dict(self.parts)
        return c.ScoreTeam(question=self.question, judge=judge, score=self.score, parts=parts)


class StarMsg(Message):
    """`star`: the team in turn places its star of hope (its team is the connection's)."""


# A team's appeal (`appeal` event) ------------------------------------------------


class AppealMsg(Message):
    """`appeal`: the sender's team appeals `question` (the team is the connection's)."""

    question: str = Field(max_length=MAX_ID)
    text: str = Field(max_length=MAX_APPEAL)


class TimelineMsg(Message):
    """`timeline`: the jury asks for the journal, newest first, filtered."""

    team: str | None = Field(None, max_length=MAX_ID)
    question: str | None = Field(None, max_length=MAX_ID)
    limit: PositiveWhole = None
