"""The benchmark harness in quick mode: it runs end to end and reports sane numbers.

Runs `python -m bench --quick` in a subprocess (the harness starts servers
under eventlet and client processes of its own) and checks that every figure
is present and positive, every answer was acknowledged and none was lost.
It asserts no speed threshold: the figures are for people (docs/performance.md).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
QUICK_TIMEOUT = 600  # seconds; a quick run takes about 60 (30 without the --workers stages)


def positive(summary: dict[str, Any], *keys: str) -> None:
    for key in keys:
        value = summary[key]
        assert isinstance(value, int | float) and value > 0, (key, summary)


def check_latencies(summary: dict[str, Any], count: int) -> None:
    assert summary["count"] == count, summary
    assert summary["missing"] == 0, summary
    positive(summary, "p50", "p99", "max")
    assert summary["p50"] <= summary["p99"] <= summary["max"], summary


def check_answers(summary: dict[str, Any], sent: int) -> None:
    assert summary["sent"] == sent, summary
    assert summary["acked_ok"] == summary["acked"] == sent, summary
    assert summary["lost"] == 0, summary
    assert summary["journal_accepted"] == sent and summary["journal_matches"], summary
    check_latencies(summary, sent)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    out = tmp_path_factory.mktemp("bench-results")
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        timeout=QUICK_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr[-5000:]
    files = list(out.glob("*.json"))
    assert len(files) == 1, files
    return json.loads(files[0].read_text(encoding="utf-8")), proc.stdout


def test_push_and_baseline_figures(quick_run: tuple[dict[str, Any], str]) -> None:
    result, _ = quick_run
    reps = result["plan"]["reps"]
    assert [p["n"] for p in result["push"]] == [17, 50]
    for push in result["push"]:
        check_latencies(push["ours"], push["n"] * reps)
        check_latencies(push["baseline"], push["n"] * reps)
        positive(push, "ratio_p99", "ratio_p50")
        positive(push["memory"], "ours_mb", "baseline_mb")
        assert set(push["payload_bytes"]) >= {"team", "mc"}
        assert push["disconnects"] == 0


def test_every_answer_acked_and_journalled(quick_run: tuple[dict[str, Any], str]) -> None:
    result, _ = quick_run
    check_answers(result["ack"], 17 * result["plan"]["ack_rounds"])
    check_answers(result["burst"], result["plan"]["burst"])
    assert result["burst"]["disconnects"] == 0


def test_buzz_resume_and_memory(quick_run: tuple[dict[str, Any], str]) -> None:
    result, stdout = quick_run
    buzz = result["buzz"]
    check_latencies(buzz, result["plan"]["buzz_reps"])
    positive(buzz["settle"], "p50", "p99")
    assert buzz["settle"]["p50"] < buzz["p99"]
    resume = result["resume"]
    assert resume["entries"] >= result["plan"]["resume_entries"]
    positive(resume, "service_s", "json_s", "ratio")
    positive(result["memory"], "ours_mb", "baseline_mb", "ratio")
    positive(result, "runtime_s")
    assert result["machine"]["nproc"] >= 1
    assert "question push" in stdout and "resume" in stdout


def test_players_push_memory_and_answers(quick_run: tuple[dict[str, Any], str]) -> None:
    result, stdout = quick_run
    players = result["players"]
    count = result["plan"]["players"] + 1  # the phones and the board
    check_latencies(players["push"]["ours"], count * players["reps"])
    check_latencies(players["push"]["baseline"], count * players["reps"])
    positive(players["push"], "ratio_p99")
    positive(players["memory"], "ours_mb", "baseline_mb", "ratio")
    assert set(players["payload_bytes"]) >= {"player", "board", "mc"}
    check_answers(players["answers"], result["plan"]["players"])
    assert "players (" in stdout


def test_workers_figures(quick_run: tuple[dict[str, Any], str]) -> None:
    """`quiz serve --workers 2` beside the single process, each against the baseline."""
    result, _ = quick_run
    if shutil.which("redis-server") is None and not os.environ.get("CI"):
        pytest.skip("redis-server is not installed")
    reps = result["plan"]["reps"]
    assert [(s["n"], s["server_workers"]) for s in result["scale"]] == [(50, 1), (50, 2)]
    for stage in result["scale"]:
        check_latencies(stage["ours"], stage["n"] * reps)
        check_latencies(stage["baseline"], stage["n"] * reps)
        positive(stage["cpu"], "ours_s", "load_generator_s", "wall_s")
        assert stage["disconnects"] == 0
    check_answers(result["scale_burst"], result["plan"]["burst"])
    assert result["scale_burst"]["server_workers"] == 2
