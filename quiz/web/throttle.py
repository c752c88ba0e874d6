"""Failed guesses of a secret (the MC's PIN, a team's join code), throttled.

Each client address may fail FREE times in a row; after that each further try
must wait twice as long as the one before (1 s, 2 s, 4 s ... up to CAP), and an
address with BURST failures in the last WINDOW seconds waits WINDOW seconds.
Overall, once OVERALL failures from all addresses fell in the last WINDOW, every
address that has failed at least once waits for the window to clear (an
address that never failed is still checked, so a tablet with the right code
rejoins). While an address must wait, its tries get no verdict at all, right
or wrong: the secret is not even compared. A success ends the address's
streak. docs/security.md gives the rates this allows.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

FREE = 5
BASE = 1.0
CAP = 60.0
BURST = 20
WINDOW = 60.0
MAX_ADDRESSES = 10_000  # forget the quietest addresses beyond this many


@dataclass
class _Address:
    streak: int = 0  # failures since the last success
    last: float = 0.0  # when it last failed
    total: int = 0  # failures since the server started
    recent: deque[float] = field(default_factory=deque)


class Throttle:
    """Counts failures per address and overall; says how long an address must wait."""

    def __init__(
        self,
        overall: int,
        free: int = FREE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.overall = overall
        self.free = free
        self.clock = clock
        self._lock = threading.Lock()
        self._addresses: dict[str, _Address] = {}
        self._recent: deque[float] = deque()

    def wait(self, address: str) -> float:
        """Seconds before `address` may try again; 0 if it may try now."""
        now = self.clock()
        with self._lock:
            entry = self._addresses.get(address)
            if entry is None or entry.streak == 0:
                return 0.0
            self._expire(now, entry)
            waits = [0.0]
            if entry.streak >= self.free:
                waits.append(entry.last + min(CAP, BASE * 2 ** (entry.streak - self.free)) - now)
            if len(entry.recent) >= BURST:
                waits.append(entry.last + WINDOW - now)
            if len(self._recent) >= self.overall:
                waits.append(self._recent[-self.overall] + WINDOW - now)
            return max(waits)

    def failed(self, address: str) -> None:
        now = self.clock()
        with self._lock:
            entry = self._addresses.pop(address, None) or _Address()
            self._addresses[address] = entry  # the most recent last: pruned last
            entry.streak += 1
            entry.total += 1
            entry.last = now
            entry.recent.append(now)
            self._recent.append(now)
            self._expire(now, entry)
            while len(self._addresses) > MAX_ADDRESSES:
                del self._addresses[next(iter(self._addresses))]

    def succeeded(self, address: str) -> None:
        with self._lock:
            entry = self._addresses.get(address)
            if entry is not None:
                entry.streak = 0

    def failures(self) -> dict[str, int]:
        """Failures per address since the server started, the most first."""
        with self._lock:
            counts = {a: e.total for a, e in self._addresses.items() if e.total}
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def _expire(self, now: float, entry: _Address) -> None:
        for times in (self._recent, entry.recent):
            while times and times[0] <= now - WINDOW:
                times.popleft()
