"""The boards' sound on the wire: `board_sound` from a board, `sound` from the MC
(docs/protocol.md). Bad payloads and wrong roles get an error ack and change nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from clients import Screen

if TYPE_CHECKING:
    from conftest import LiveServer

pytestmark = pytest.mark.live


def test_board_reports_sound_and_the_mc_switches_it(live_server: LiveServer) -> None:
    url = live_server.url
    mc = Screen(url, {"role": "mc", "pin": live_server.pin}, "mc")
    board = Screen(url, {"role": "board"}, "board")
    team = Screen(url, {"role": "team", "code": live_server.codes["bo"]}, "team")
    try:
        view = mc.wait(lambda v: v.get("boards_connected") == 1)
        assert view["sound"] is True and view["boards_sound"] == 0

        for bad in (None, {}, {"on": "yes"}, [True], {"on": True, "extra": 1}):
            ack = board.call("board_sound", bad)
            assert ack["ok"] is False and ack["error"] == "bad_request", (bad, ack)
        assert team.call("board_sound", {"on": True})["error"] == "forbidden"
        assert team.call("sound", {"on": False})["error"] == "forbidden"
        assert board.call("sound", {"on": False})["error"] == "forbidden"
        assert mc.call("sound", {"on": 1})["error"] == "bad_request"

        assert board.call("board_sound", {"on": True}) == {"ok": True}
        mc.wait(lambda v: v["boards_sound"] == 1)

        assert mc.call("sound", {"on": False}) == {"ok": True}
        board.wait(lambda v: v.get("sound") is False)
        mc.wait(lambda v: v["sound"] is False)
        assert "sound" not in team.view  # a tablet has no sound

        board.close()
        mc.wait(lambda v: v["boards_connected"] == 0 and v["boards_sound"] == 0)
    finally:
        for s in (mc, board, team):
            s.close()
