"""Percentiles and summaries of latency samples (seconds in, milliseconds out)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0..100), linearly interpolated between closest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary_ms(samples: Sequence[float], missing: int = 0) -> dict[str, Any]:
    """p50/p99/max (ms) of `samples` in seconds, with how many there were and lacked."""
    if not samples:
        return {"count": 0, "missing": missing, "p50": None, "p99": None, "max": None}
    return {
        "count": len(samples),
        "missing": missing,
        "p50": round(percentile(samples, 50) * 1000, 2),
        "p99": round(percentile(samples, 99) * 1000, 2),
        "max": round(max(samples) * 1000, 2),
    }


def latencies(sent: float, received: Sequence[float | None]) -> tuple[list[float], int]:
    """Receive times minus the send time, and how many never arrived."""
    got = [t - sent for t in received if t is not None]
    return got, len(received) - len(got)


def ratio(ours: float | None, base: float | None) -> float | None:
    if ours is None or not base:
        return None
    return round(ours / base, 2)
