"""Device decisions (contest-format.md "Devices"): kept for the record only.

A team's (player's, judge's) second device waits for the MC, who approves or
refuses it; the journal records either (DeviceApproved, DeviceRefused). Neither changes the
contest: folding one only adds a line to `state.devices`, which the results
file's record lists.
"""

from __future__ import annotations

from quiz.rules.events import DeviceApproved, DeviceRefused
from quiz.rules.model import Contest
from quiz.rules.state import ContestState, DeviceDecision
from quiz.rules.text import tr


def on_device(contest: Contest, state: ContestState, e: DeviceApproved | DeviceRefused) -> None:
    replaced = e.replaced if isinstance(e, DeviceApproved) else 0
    state.devices.append(
        DeviceDecision(e.at, e.team, isinstance(e, DeviceApproved), e.address, replaced, e.holder)
    )


def holder_name(contest: Contest, holder: str, ident: str) -> str:
    """The team's name, the player's number and name, or the judge's name."""
    if holder == "player":
        player = contest.player(ident)
        return f"{player.number} {player.name}" if player else ident
    if holder == "judge":
        judge = contest.judge(ident)
        return judge.name if judge else ident
    found = contest.team(ident)
    return found.name if found else ident


def holder_label(contest: Contest, holder: str, ident: str) -> str:
    """Whose device, for the record: a team's name, "Thí sinh 012 Lê Văn An",
    "Giám khảo Trần Bình"."""
    name = holder_name(contest, holder, ident)
    if holder == "player":
        return tr("Thí sinh {name}", name=name)
    if holder == "judge":
        return tr("Giám khảo {name}", name=name)
    return name
