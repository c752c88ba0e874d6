"""The MC's `command` messages of two round formats: `turns` (individual
questions, packages and the star of hope) and Rung chuông vàng (`elimination`:
rescues and corrections of one player). Their names are in COMMANDS
(protocol_mc.py); docs/protocol.md, "Format turns" and the elimination section.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from quiz.rules import commands as c
from quiz.rules.text import N_
from quiz.web.protocol_base import (
    MAX_ID,
    MAX_REASON,
    AnswerValue,
    CommandMsg,
)

# Format `turns` (docs/protocol.md, "Format turns") ------------------------------------


class TurnsOrderMsg(CommandMsg):
    name: Literal["turns_order"]

    def command(self) -> c.Command:
        return c.DecideOrder()


class TurnsPackageMsg(CommandMsg):
    name: Literal["turns_package"]
    team: str = Field(max_length=MAX_ID)
    package: str = Field(max_length=MAX_ID)

    def command(self) -> c.Command:
        return c.ChoosePackage(team=self.team, package=self.package)


class TurnsValueMsg(CommandMsg):
    name: Literal["turns_value"]
    team: str = Field(max_length=MAX_ID)
    points: float

    def command(self) -> c.Command:
        return c.ChooseValue(team=self.team, points=self.points)


class TurnsStarMsg(CommandMsg):
    name: Literal["turns_star"]
    team: str = Field(max_length=MAX_ID)

    def command(self) -> c.Command:
        return c.PlaceStar(team=self.team, by="mc")


class TurnsUnstarMsg(CommandMsg):
    name: Literal["turns_unstar"]
    team: str = Field(max_length=MAX_ID)
    reason: str = Field(max_length=MAX_REASON)

    def command(self) -> c.Command:
        return c.RemoveStar(team=self.team, reason=self.reason)


class TurnsSkipMsg(CommandMsg):
    name: Literal["turns_skip"]
    team: str = Field(max_length=MAX_ID)
    reason: str = Field(max_length=MAX_REASON)

    def command(self) -> c.Command:
        return c.SkipTeam(team=self.team, reason=self.reason)


class TurnsStealMsg(CommandMsg):
    name: Literal["turns_steal"]
    question: str = Field(max_length=MAX_ID)

    def command(self) -> c.Command:
        return c.OpenSteal(question=self.question)


# Rung chuông vàng (elimination) --------------------------------------------------

MAX_PICKED = 1000


class RescueMsg(CommandMsg):
    """A rescue between questions: `all`, `question`, or `pick` (its `players`, a reason)."""

    field_messages: ClassVar[dict[str, str]] = {
        "mode": N_("Hình thức cứu trợ phải là all, question hoặc pick"),
        "players": N_("Trường 'players' phải là danh sách số báo danh"),
    }

    name: Literal["rescue"]
    mode: Literal["all", "question", "pick"]
    players: list[Annotated[str, Field(min_length=1, max_length=MAX_ID)]] = Field(
        default_factory=list, max_length=MAX_PICKED
    )
    reason: str = Field("", max_length=MAX_REASON)

    def command(self) -> c.Command:
        return c.CallRescue(mode=self.mode, players=tuple(self.players), reason=self.reason)


class ReinstateMsg(CommandMsg):
    """A correction: bring an eliminated player back to the floor."""

    name: Literal["reinstate"]
    player: str = Field(max_length=MAX_ID)
    reason: str = Field(max_length=MAX_REASON)

    def command(self) -> c.Command:
        return c.ReinstatePlayer(player=self.player, reason=self.reason)


class SetPlayerAnswerMsg(CommandMsg):
    """A correction: a player's answer (`value`) or verdict (`correct`) set by hand."""

    name: Literal["set_player_answer"]
    question: str = Field(max_length=MAX_ID)
    player: str = Field(max_length=MAX_ID)
    reason: str = Field(max_length=MAX_REASON)
    value: AnswerValue = None
    correct: bool | None = None

    def command(self) -> c.Command:
        return c.SetPlayerAnswer(
            target=self.question,
            player=self.player,
            reason=self.reason,
            value=self.value,
            correct=self.correct,
        )
