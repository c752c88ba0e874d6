"""Device decisions (contest-format.md "Devices"): kept for the record only.

A team's second device waits for the MC, who approves or refuses it; the
journal records either (DeviceApproved, DeviceRefused). Neither changes the
contest: folding one only adds a line to `state.devices`, which the results
file's record lists.
"""

from __future__ import annotations

from quiz.rules.events import DeviceApproved, DeviceRefused
from quiz.rules.model import Contest
from quiz.rules.state import ContestState, DeviceDecision


def on_device(contest: Contest, state: ContestState, e: DeviceApproved | DeviceRefused) -> None:
    replaced = e.replaced if isinstance(e, DeviceApproved) else 0
    state.devices.append(
        DeviceDecision(e.at, e.team, isinstance(e, DeviceApproved), e.address, replaced)
    )
