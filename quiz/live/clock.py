"""The contest clock: monotonic, in seconds that read like epoch seconds.

Deadlines, press times and round trips are differences of this clock, so a
change of the machine's wall clock (NTP, a hand edit, a laptop waking up)
moves nothing: the clock is the monotonic clock, shifted once, at start, so
that it reads the wall time then. Across a restart the monotonic clock does
not survive; the new run's clock starts at the wall time again, but never
before the journal's last entry, so journal times never go backwards. A
paused question keeps its remaining time as elapsed seconds (differences
within one run), and on resume every running question is paused at the last
moment the old run was known alive, so a restart neither adds nor takes
time, whatever the wall clock did (docs/security.md, "Clock and timing").
The wall time itself is only a label on each journal entry.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class ContestClock:
    def __init__(
        self,
        wall: Callable[[], float] = time.time,
        mono: Callable[[], float] = time.monotonic,
    ) -> None:
        self._wall = wall
        self._mono = mono
        self._base = wall()
        self._m0 = mono()

    def not_before(self, t: float) -> None:
        """Never read earlier than `t` (the journal's last time) from now on."""
        now = self()
        if now < t:
            self._base += t - now

    def __call__(self) -> float:
        return self._base + (self._mono() - self._m0)

    def wall(self) -> float:
        return self._wall()
