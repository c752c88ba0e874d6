"""One opening instant for everyone (docs/protocol.md "Opening time").

A push reaches a far device later than a near one; answering therefore opens a
little ahead of the MC's command, at one server instant (`opens_at`), and every
device unlocks and counts down from it. A near and a far device (the delay
proxy) get the same answering window, within 50 ms: tablets in an `all` round
(one process here; tests/live/test_workers.py runs the same check against
`quiz serve --workers 2`) and players' phones in an `elimination` round.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import pytest
from clients import JsClock, Screen, Tablet, mc_do
from conftest import LiveServer, start_server
from netem import Delay, NetEm

pytestmark = pytest.mark.live

NEAR = Delay(0.005, 0.0)  # one way, seconds
FAR = Delay(0.300, 0.020)
WINDOW_BOUND_MS = 50
SYNC_WAIT = 20.0  # seconds for the devices' clock sync and the server's first pings


def same_window(
    server: LiveServer,
    auths: dict[str, dict[str, Any]],
    question: str,
    settle: float,
    start: tuple[tuple[str, dict[str, Any]], ...] = (("start_round", {}),),
) -> None:
    """Two devices, one near and one far (in `auths` order), see `question`
    opened; both must unlock at one instant and get the same window."""
    net = NetEm()
    rng = random.Random(15)
    screens: list[Screen] = []
    try:
        mc = Screen(server.url, {"role": "mc", "pin": server.pin}, "mc")
        screens.append(mc)
        target = ("127.0.0.1", int(server.info["port"]))
        devices: dict[str, Tablet] = {}
        for (name, auth), delay in zip(auths.items(), (NEAR, FAR), strict=True):
            proxy = net.proxy(target, delay, delay, seed=rng.randrange(2**32), name=name)
            devices[name] = Tablet(
                proxy.url,
                auth,
                name,
                skew_ms=rng.uniform(-5000, 5000),  # each device's own clock is off
                sync_burst=(10, 0.05),
            )
            screens.append(devices[name])
        deadline = time.monotonic() + SYNC_WAIT
        while not all(len(t.clock.samples) >= 5 for t in devices.values()):
            assert time.monotonic() < deadline, "devices not synced"
            time.sleep(0.05)
        time.sleep(settle)  # the server has timed each link (its pings)
        for name, fields in start:
            mc_do(mc, name, **fields)
        mc_do(mc, "show", question=question)
        for t in devices.values():
            t.wait(lambda v: v["phase"] == "shown")
        mc_do(mc, "open", question=question)
        windows: dict[str, tuple[float, float, float]] = {}
        for name, t in devices.items():
            view = t.wait(lambda v: v["phase"] == "open")
            arrived = next(at for at, v in t.timeline if v["phase"] == "open")
            clock = view["clock"]
            assert clock["opens_at"] is not None

            # True time at which this device's estimate of server time reaches
            # an instant (same machine: server ms are wall ms).
            def true_at(server_ms: float, c: JsClock = t.clock) -> float:
                return (server_ms - c.skew_ms - c.offset) / 1000

            unlock = max(arrived, true_at(clock["opens_at"]))
            end = true_at(clock["deadline"])
            windows[name] = (arrived, unlock, end - unlock)
        (near_arr, near_unlock, near_win), (far_arr, far_unlock, far_win) = windows.values()
        print(
            f"\nfar push later by {1000 * (far_arr - near_arr):.0f} ms; "
            f"windows near {1000 * near_win:.0f} ms, far {1000 * far_win:.0f} ms"
        )
        assert far_arr - near_arr > 0.2  # the far device really got the push late
        assert abs(near_win - far_win) * 1000 <= WINDOW_BOUND_MS, windows
        assert abs(near_unlock - far_unlock) * 1000 <= WINDOW_BOUND_MS, windows
    finally:
        for s in screens:
            s.close()
        net.close()


def test_near_and_far_tablets_get_the_same_answering_window(live_server: LiveServer) -> None:
    codes = live_server.codes
    auths = {team: {"role": "team", "code": codes[team]} for team in sorted(codes)[:2]}
    same_window(live_server, auths, "q-single", settle=1.0)


FLOOR = """\
players:
  - {number: "001", name: Lê Văn An}
  - {number: "002", name: Trần Bình}
rounds:
  - id: rcv
    title: Rung chuông vàng
    format: elimination
    questions: [q-single, q-tf]
    play_to_end: true
"""


def test_near_and_far_phones_get_the_same_answering_window(tmp_path: Path, async_mode: str) -> None:
    from conftest import write_contest

    path = write_contest(tmp_path / "contest")
    text = path.read_text("utf-8")
    path.write_text(text[: text.index("rounds:\n")] + FLOOR, encoding="utf-8")
    server = start_server(path, tmp_path / "data", async_mode)
    try:
        codes = server.info["player_codes"]
        auths = {n: {"role": "player", "code": codes[n]} for n in ("001", "002")}
        start = (("start_round", {"round": "rcv"}),)
        same_window(server, auths, "q-single", settle=1.0, start=start)
    finally:
        server.stop()
