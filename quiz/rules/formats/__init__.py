"""Round formats, one module each, behind one interface (formats.base.RoundFormat).

This is the one place a format is registered. The engine asks the format of
the current round to decide the commands that depend on it, folds its events
through it, asks it which question comes next, and scores with it; the views
merge its part of each screen; the contest loader asks it to read its keys.
Adding a format: a module with a class implementing RoundFormat (FormatBase
gives the defaults), registered here with `register` (or listed in FORMATS).
"""

from __future__ import annotations

from quiz.rules.formats.all import AllFormat
from quiz.rules.formats.base import FormatBase, RoundFormat
from quiz.rules.formats.buzzer import BuzzerFormat
from quiz.rules.formats.elimination import EliminationFormat
from quiz.rules.formats.judged import JudgedFormat
from quiz.rules.formats.tiebreak import TiebreakFormat
from quiz.rules.formats.turns import TurnsFormat

FORMATS: dict[str, RoundFormat] = {"all": AllFormat(), "buzzer": BuzzerFormat()}
FORMATS["tiebreak"] = TiebreakFormat()
FORMATS["turns"] = TurnsFormat()
FORMATS["elimination"] = EliminationFormat()
FORMATS["judged"] = JudgedFormat()

# Formats of the contest file (v2) not playable yet, with the keys each adds to
# a round: a file naming one is refused as "not supported yet", not as unknown.
PLANNED: dict[str, tuple[str, ...]] = {}


def register(fmt: RoundFormat) -> None:
    """Make `fmt` playable under `fmt.name` (it stops being only planned)."""
    FORMATS[fmt.name] = fmt
    PLANNED.pop(fmt.name, None)


def unregister(name: str) -> None:
    """Take a registered format away again (tests that register their own)."""
    FORMATS.pop(name, None)


__all__ = ["FORMATS", "PLANNED", "FormatBase", "RoundFormat", "register", "unregister"]
