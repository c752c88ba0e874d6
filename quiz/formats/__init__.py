"""Round formats, one module each, behind one interface (formats.base.RoundFormat).

The engine asks the format of the current round to decide the commands that
depend on it, and to score its questions. A new format (turns, tiebreak) is a
new module registered here; the others do not change.
"""

from __future__ import annotations

from .all import AllFormat
from .base import RoundFormat
from .buzzer import BuzzerFormat

FORMATS: dict[str, RoundFormat] = {"all": AllFormat(), "buzzer": BuzzerFormat()}

__all__ = ["FORMATS", "RoundFormat"]
