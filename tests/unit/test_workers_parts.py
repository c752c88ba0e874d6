"""The pure parts of `quiz serve --workers N`: the edge's reading of the
authority's clock, presence records, and the refusals before anything starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI_CONTEST, ROOT

from quiz.web.authority import conn_from
from quiz.web.devices import DeviceError
from quiz.web.edge import EdgeDevices, EdgePractice
from quiz.web.hub import Conn
from quiz.web.practice import PracticeError
from quiz.web.rpc import AuthorityClock


class FakeMono:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_the_clock_takes_the_offset_of_the_quickest_round_trip() -> None:
    mono = FakeMono()
    clock = AuthorityClock(mono)
    assert not clock.known
    # The authority's clock reads 5000 s ahead; a slow reply is off by half its trip.
    assert clock.sample("run-1", sent=100.0, received=100.4, now=5100.0)  # a first run
    assert abs(clock() - (100.0 + 5100.0 - 100.2)) < 1e-9
    assert not clock.sample("run-1", sent=101.0, received=101.002, now=5101.001)
    mono.t = 102.0
    assert abs(clock() - 5102.0) < 1e-6  # the quick sample wins
    # A restarted authority: its clock starts afresh, the old samples go.
    assert clock.sample("run-2", sent=103.0, received=103.01, now=9000.0)
    mono.t = 103.005
    assert abs(clock() - 9000.0) < 1e-6


def test_a_presence_record_becomes_a_connection_with_its_links() -> None:
    conn = conn_from({"sid": "x", "role": "team", "team": "bo", "rtts": [0.02, "bad", 0.01]})
    assert (conn.role, conn.team, list(conn.link.rtts)) == ("team", "bo", [0.02, 0.01])
    assert conn.link.trust == 0.01
    board = conn_from({"sid": "y", "role": "board", "team": None, "sound": True})
    assert board.team is None and board.sound is True and not board.link.rtts


def test_a_presence_record_carries_what_the_readiness_grid_shows() -> None:
    record = {"sid": "x", "role": "team", "team": "bo", "device": "abcdefgh", "age": 5.0}
    conn = conn_from({**record, "address": "10.0.0.7", "info": {"version": "b1"}})
    assert (conn.device, conn.address, conn.info) == ("abcdefgh", "10.0.0.7", {"version": "b1"})
    assert conn.since > 0
    junk = conn_from({"sid": "y", "role": "team", "info": "not a dict", "age": "old"})
    assert junk.info == {} and junk.since == 0.0 and junk.device == ""


def test_an_edge_never_makes_a_device_wait_and_refuses_the_venue_commands() -> None:
    devices = EdgeDevices(None)  # type: ignore[arg-type]
    conn = Conn("team", "bo")
    assert devices.arrive("sid1", conn, {"device": "abcdefgh"}, "10.0.0.7") is False
    assert (conn.role, conn.device, conn.address) == ("team", "abcdefgh", "10.0.0.7")
    with pytest.raises(DeviceError) as refused:
        devices.decide("d1", True)
    assert refused.value.code == "not_available"
    practice = EdgePractice()
    for attempt in (
        lambda: practice.start("lobby"),
        practice.stop,
        lambda: practice.answer("bo", "A"),
    ):
        with pytest.raises(PracticeError) as exc:
            attempt()
        assert exc.value.code == "not_available"


def run_serve(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "quiz", "serve", str(MINI_CONTEST), "--data", str(tmp_path), *args],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    return proc.returncode, proc.stderr


def test_workers_need_an_async_runtime_and_redis(tmp_path: Path) -> None:
    code, err = run_serve(tmp_path, "--workers", "2", "--async-mode", "threading")
    assert code == 2 and "eventlet or gevent" in err
    env = {**os.environ, "PATH": str(tmp_path / "nothing-here")}
    code, err = run_serve(tmp_path, "--workers", "2", "--port", "0", env=env)
    assert code == 1 and "redis-server" in err and "--queue" in err
    assert not (tmp_path / "mini-contest" / "journal.jsonl").exists()  # nothing written
