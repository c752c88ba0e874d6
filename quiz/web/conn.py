"""One connection as the hub knows it: its role, its measured link and clock,
its message budget; and the room each audience's pushes go to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quiz.live.timing import Link

# What one tablet or board may send (every event counts): a burst of BURST
# messages, then RATE a second. A tablet sends a handful a minute (5 syncs on
# connect, an answer or two, a buzz); a flood beyond this is refused at once,
# before it can queue behind the lock and delay the other tablets. The MC,
# who holds the PIN, is not limited.
RATE = 10.0
BURST = 40.0


@dataclass
class Budget:
    """A token bucket: whether one more message may be handled now."""

    tokens: float = BURST
    at: float | None = None

    def take(self, now: float) -> bool:
        if self.at is not None:
            self.tokens = min(BURST, self.tokens + (now - self.at) * RATE)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


@dataclass
class Conn:
    role: str  # board | team | mc | player
    team: str | None = None  # the team (role team), or the player's number (role player)
    link: Link = field(default_factory=Link)
    budget: Budget = field(default_factory=Budget)
    sound: bool | None = None  # a board: whether it can play sound now (board_sound)
    offset: float | None = None  # a tablet: its clock's error against the server's (s)
    judge: str | None = None  # a judge's device: whose (judged rounds)
    # Readiness and devices (quiz/web/readiness.py, quiz/web/devices.py):
    device: str = ""  # the id the device keeps across reloads (auth.device)
    address: str = ""
    since: float = 0.0  # when it connected (time.monotonic)
    info: dict[str, Any] = field(default_factory=dict)  # its last device_info
    wait_id: str = ""  # while it waits for the MC's approval (role "waiting")
    holder: str = ""  # while it waits: the role it waits to take (team, player, judge)


def room_of(role: str, team: str | None = None) -> str:
    if role == "player":
        return f"player:{team}"
    if role == "judge":
        return f"judge:{team}"  # `team` is the judge's id here
    return f"team:{team}" if role == "team" else role


def clock_error(
    args: tuple[Any, ...], stamp: float, rtt: float, before: float | None
) -> float | None:
    """How far a tablet's estimate of the server clock (`s`, ms, in its pong)
    is from the server clock at the pong's middle: its clock offset's error, for
    the jury. Anything else in the pong keeps the last value."""
    data = args[0] if args else None
    claimed = data.get("s") if isinstance(data, dict) else None
    if isinstance(claimed, bool) or not isinstance(claimed, int | float):
        return before
    error = float(claimed) / 1000.0 - (stamp + rtt / 2)
    return error if abs(error) < 86400 else before
