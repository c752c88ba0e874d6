"""The base of every event (quiz/rules/events.py): when it happened."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    at: float  # server time the event happened, seconds since the epoch
