"""Readers of settings that more than one format may share, over `Fields`."""

from __future__ import annotations

from typing import Literal

from quiz.rules.formats.fields import Fields

SpeedKind = Literal["none", "linear", "ranked"]


def read_speed(scoring: Fields) -> tuple[SpeedKind, tuple[float, ...]]:
    """`speed: none | linear | {ranked: [40, 30, 20, 10]}` of a scoring section."""
    if not scoring.has("speed"):
        return "none", ()
    text = scoring.scalar("speed")
    if text == "none":
        return "none", ()
    if text == "linear":
        return "linear", ()
    if not scoring.is_mapping("speed"):
        scoring.wrong("speed", "none, linear or {ranked: [40, 30, 20, 10]}")
        return "none", ()
    speed = scoring.mapping("speed")
    assert speed is not None
    speed.check_keys(("ranked",), required=("ranked",))
    values = speed.numbers("ranked", "[40, 30, 20, 10]", 0)
    if values is None:
        return "none", ()
    return "ranked", values
