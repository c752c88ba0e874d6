"""Tablets that drop and come back: full state at once, nothing lost or doubled."""

from __future__ import annotations

import time

import pytest
from clients import Screen, mc_do, next_step
from conftest import LiveServer

pytestmark = pytest.mark.live


def test_a_tablet_back_from_a_drop_gets_the_current_state_at_once(
    live_server: LiveServer,
) -> None:
    mc = Screen(live_server.url, {"role": "mc", "pin": live_server.pin}, "mc")
    code = live_server.codes["bo"]
    tablet = Screen(live_server.url, {"role": "team", "code": code}, "bo")
    other = Screen(live_server.url, {"role": "team", "code": live_server.codes["cuoi-ha"]}, "ch")
    try:
        next_step(mc)
        next_step(mc)
        next_step(mc)  # q-single open
        first = tablet.call("answer", {"question": "q-single", "value": "B", "id": "a1"})
        assert first["ok"] and first["received"]
        tablet.close()
        mc.wait(lambda v: v["connections"]["bo"] == 0)
        mc_do(mc, "close", question="q-single")
        mc_do(mc, "reveal", question="q-single")
        next_step(mc)  # q-tf shown while the tablet is away
        # The tablet comes back (a new connection, as after a Wi-Fi drop).
        started = time.monotonic()
        back = Screen(live_server.url, {"role": "team", "code": code}, "bo-again")
        view = back.wait(lambda v: v["question"] is not None)
        assert time.monotonic() - started < 1.0
        assert view["question"]["id"] == "q-tf" and view["phase"] == "shown"
        assert view["me"]["total"] == 10  # its acknowledged answer counted
        # What it had buffered while offline is replayed: stale, refused, nothing changes.
        v = mc.view["v"]
        replay = back.call("answer", {"question": "q-single", "value": "A", "id": "a2"})
        assert replay["ok"] is False and replay["error"] == "stale"
        assert mc.view["v"] == v
        # An answer replayed with the id it already had is acknowledged once, not counted twice.
        next_step(mc)  # open q-tf
        back.wait(lambda v: v["phase"] == "open")
        one = back.call("answer", {"question": "q-tf", "value": True, "id": "b1"})
        two = back.call("answer", {"question": "q-tf", "value": True, "id": "b1"})
        assert one["ok"] and two["ok"] and one["v"] == two["v"]
        assert back.wait(lambda v: v["my_answer"] is not None)["my_answer"]["nonce"] == "b1"
        # Every frame a tablet received was its own: no other team's view.
        for screen, team in [(back, "bo"), (other, "cuoi-ha")]:
            for event, frame in screen.frames:
                if event == "state":
                    assert frame["role"] == "team" and frame["me"]["id"] == team
        back.close()
    finally:
        for screen in (mc, tablet, other):
            screen.close()
