"""Fair timing: how far a tablet's own press time may be trusted.

Each connection's round-trip time is measured by the server itself (pings it
sends and times), so a tablet cannot shrink it. A tablet stamps each press
with its estimate of server time; the server accepts the stamp only inside
what the measured delay allows: never later than arrival, never earlier than
arrival minus the recent worst round trip (capped). A tablet that lies about
its press time can gain at most that much. Pure: no clock reads, no I/O.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

SAMPLES = 12  # round trips remembered per connection
MAX_TRUST = 1.0  # seconds: the most a press may be dated before its arrival
UNMEASURED = 0.05  # seconds trusted before any round trip was measured
MAX_SETTLE = 0.6  # seconds: the longest wait for in-flight buzzes
MIN_SETTLE = 0.02


@dataclass
class Link:
    """Round trips measured on one connection, newest last."""

    rtts: deque[float] = field(default_factory=lambda: deque(maxlen=SAMPLES))

    def add(self, rtt: float) -> None:
        if 0 <= rtt < 30:
            self.rtts.append(rtt)

    @property
    def trust(self) -> float:
        """How much earlier than its arrival a press from this link may be dated."""
        if not self.rtts:
            return UNMEASURED
        return min(MAX_TRUST, max(self.rtts))

    @property
    def rtt(self) -> float | None:
        return min(self.rtts) if self.rtts else None


def press_time(claimed: object, arrival: float, link: Link | None) -> float:
    """The press time to record: the tablet's stamp, bounded by what its link allows."""
    if isinstance(claimed, bool) or not isinstance(claimed, int | float):
        return arrival
    trust = link.trust if link is not None else UNMEASURED
    return min(arrival, max(float(claimed), arrival - trust))


def settle_time(links: list[Link]) -> float:
    """How long to wait after a first buzz for presses still on their way."""
    worst = max((link.trust for link in links), default=UNMEASURED)
    return max(MIN_SETTLE, min(MAX_SETTLE, worst))
