"""Fair timing: how far a tablet's own press time may be trusted.

Each connection's round-trip time is measured by the server itself (pings it
sends and times on its monotonic clock), so a tablet cannot shrink it; it can
only make it longer, by answering pings late. A tablet stamps each press with
its estimate of server time; the server accepts the stamp only inside what
the link allows: never later than arrival, never earlier than arrival minus
the link's *best* recent round trip, capped at MAX_TRUST. The best, not the
worst: a press's one-way trip cannot honestly take longer than a whole round
trip the link has shown it can do, while a tablet that delays its pongs only
makes its worst round trip worse. So a tablet that lies about its press time
and answers pings late gains at most MAX_TRUST (docs/security.md, "Clock and
timing"). Links whose delay is odd (high, or jumping) are flagged for the MC.
Pure: no clock reads, no I/O.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

SAMPLES = 12  # round trips remembered per connection
# Seconds: the most a press may be dated before its arrival. A venue LAN's
# round trip is a few ms; this covers an honest tablet on a bad Wi-Fi link
# (one way up to ~200 ms, as tests/test_fairness.py's far tablet: 150 ± 40 ms
# each way), and bounds what a lying tablet can gain.
MAX_TRUST = 0.25
UNMEASURED = 0.05  # seconds trusted before any round trip was measured
MAX_SETTLE = 0.6  # seconds: the longest wait for in-flight buzzes
MIN_SETTLE = 0.02
ODD_HIGH = 0.15  # seconds: a best round trip above this is a slow link
ODD_JUMP = 0.2  # seconds: recent round trips spread wider than this jump about
ODD_MIN_SAMPLES = 3


@dataclass
class Link:
    """Round trips measured on one connection, newest last."""

    rtts: deque[float] = field(default_factory=lambda: deque(maxlen=SAMPLES))

    def add(self, rtt: float) -> None:
        if 0 <= rtt < 30:
            self.rtts.append(rtt)

    @property
    def trust(self) -> float:
        """How much earlier than its arrival a press from this link may be dated:
        the best recent round trip, capped."""
        if not self.rtts:
            return UNMEASURED
        return min(MAX_TRUST, min(self.rtts))

    @property
    def rtt(self) -> float | None:
        return min(self.rtts) if self.rtts else None

    @property
    def odd(self) -> str | None:
        """What the MC console flags about this link: "high" (even its best round
        trip is slow), "jumpy" (round trips vary widely), or None."""
        if len(self.rtts) < ODD_MIN_SAMPLES:
            return None
        best = min(self.rtts)
        if best > ODD_HIGH:
            return "high"
        if max(self.rtts) - best > ODD_JUMP:
            return "jumpy"
        return None


def trusted_press_at(claimed: object, arrival: float, link: Link | None) -> float:
    """The press time to record: the tablet's stamp, bounded by what its link allows."""
    if isinstance(claimed, bool) or not isinstance(claimed, int | float):
        return arrival
    trust = link.trust if link is not None else UNMEASURED
    return min(arrival, max(float(claimed), arrival - trust))


def settle_time(links: list[Link]) -> float:
    """How long to wait after a first buzz for presses still on their way."""
    worst = max((link.trust for link in links), default=UNMEASURED)
    return max(MIN_SETTLE, min(MAX_SETTLE, worst))


def odd_links(links: dict[str, list[Link]]) -> dict[str, str]:
    """team -> "high" | "jumpy", over each team's connected tablets (high first)."""
    flagged: dict[str, str] = {}
    for team, team_links in links.items():
        kinds = {link.odd for link in team_links} - {None}
        if kinds:
            flagged[team] = "high" if "high" in kinds else "jumpy"
    return flagged
