"""`quiz rehearse`: a short rehearsal with every fault, against a real server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI_CONTEST, ROOT

pytestmark = pytest.mark.live


def rehearse(*args: str, timeout: float = 150) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quiz", "rehearse", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(ROOT),
    )


def test_a_short_rehearsal_with_drops_slow_links_and_a_restart_keeps_every_total() -> None:
    done = rehearse(
        str(MINI_CONTEST),
        "--faults", "drops,slow,restart",
        "--questions", "3",
        "--answer-within", "1.5",
        "--seed", "3",
    )  # fmt: skip
    out = done.stdout
    assert done.returncode == 0, (out, done.stderr)
    assert "Played 3 questions. Totals:" in out
    for name in ("Thị trấn Bo", "Xã Bình Sơn", "Xã Cuối Hạ"):
        assert name in out.split("Totals:")[1]
    faults = out.split("Faults and how they were survived:")[1]
    assert faults.count("drop: ") == 3  # one per question
    assert "restart: server killed during q-single" in faults
    assert "the question paused" in faults
    assert "reconnected" in faults
    assert "OK: every total equals the run without faults." in out


def test_rehearse_refuses_bad_options(tmp_path: Path) -> None:
    bad = rehearse(str(MINI_CONTEST), "--faults", "fire")
    assert bad.returncode == 2 and "unknown fault(s): fire" in bad.stderr
    many = rehearse(str(MINI_CONTEST), "--teams", "9")
    assert many.returncode == 2 and "--teams must be from 1 to 3" in many.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("contest: x\n", "utf-8")
    failed = rehearse(str(broken))
    assert failed.returncode == 1 and str(broken) in failed.stderr
