"""A `turns` round over real sockets: 17 tablets, a board and the MC; every
total checked against the hand-computed values of tests/turns_scenario.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from clients import Screen, mc_do, next_step
from conftest import TEAM_IDS, LiveServer, start_server
from turns_scenario import (
    EXPECTED,
    PLAYING,
    RIGHT,
    WRONG,
    q1_right,
    q2_right,
    star_from_tablet,
    starred,
    steal_right,
    stealer,
    write_turns_contest,
)

pytestmark = pytest.mark.live


@pytest.fixture
def hall(
    tmp_path: Path, async_mode: str
) -> Iterator[tuple[LiveServer, Screen, Screen, dict[str, Screen]]]:
    server = start_server(write_turns_contest(tmp_path / "contest"), tmp_path / "data", async_mode)
    screens: list[Screen] = []
    try:
        mc = Screen(server.url, {"role": "mc", "pin": server.pin}, "mc")
        board = Screen(server.url, {"role": "board"}, "board")
        with ThreadPoolExecutor(8) as pool:
            made = pool.map(
                lambda t: Screen(server.url, {"role": "team", "code": server.codes[t]}, t), TEAM_IDS
            )
            teams = dict(zip(TEAM_IDS, made, strict=True))
        screens = [mc, board, *teams.values()]
        yield server, mc, board, teams
    finally:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(Screen.close, screens))
        server.stop()


def newer(screen: Screen, seq: int) -> dict[str, Any]:
    return screen.wait(lambda v: v["v"] >= seq)


def play_question(
    mc: Screen, board: Screen, teams: dict[str, Screen], i: int, right: bool, steal: str | None
) -> str:
    """Show, start the clock, the owner answers on its tablet; when wrong the
    steal opens: `steal` is 'right' / 'wrong' (team stealer(i) buzzes first) or
    None (the MC closes it with no buzz). Then reveal."""
    owner = TEAM_IDS[i]
    step = mc.view["next"]
    assert step["command"] == "show" and step["team"] == owner, step
    qid = step["question"]
    next_step(mc)
    view = mc.wait(lambda v: v["phase"] == "shown" and v["question"]["id"] == qid)
    assert view["next"]["command"] == "open"
    # The others see the question but no steal buzzer yet; a press is refused.
    other = TEAM_IDS[stealer(i)]
    tablet = teams[other].wait(
        lambda v: (v.get("question") or {}).get("id") == qid and v["phase"] == "shown"
    )
    assert tablet["turn_me"] == {"owner": False, "steal": "closed", "can_answer": False}
    assert not teams[other].call("buzz", {"question": qid})["ok"]
    next_step(mc)  # start the clock
    teams[owner].wait(lambda v: (v.get("turn_me") or {}).get("can_answer") is True)
    ack = teams[owner].call(
        "answer", {"question": qid, "value": RIGHT if right else WRONG, "id": qid}
    )
    assert ack["ok"], ack
    if right:
        mc.wait(lambda v: v["phase"] == "closed")
    else:
        view = mc.wait(lambda v: v["next"]["command"] == "turns_steal")
        assert (
            board.wait(lambda v: (v.get("turn") or {}).get("stage") == "missed")["turn"][
                "owner_verdict"
            ]
            == "wrong"
        )
        next_step(mc)  # open the steal
        teams[other].wait(lambda v: (v.get("turn_me") or {}).get("steal") == "open")
        assert teams[owner].view["turn_me"]["steal"] == "owner"
        assert not teams[owner].call("buzz", {"question": qid})["ok"]  # not the team in turn
        if steal is None:
            mc_do(mc, "close", question=qid)
        else:
            assert teams[other].call("buzz", {"question": qid})["status"] == "buzzed"
            late = TEAM_IDS[(stealer(i) + 1) % PLAYING]
            if late == owner:
                late = TEAM_IDS[(stealer(i) + 2) % PLAYING]
            teams[late].call("buzz", {"question": qid})
            won = teams[other].wait(lambda v: (v.get("turn_me") or {}).get("steal") == "won")
            assert won["turn_me"]["can_answer"]
            shown = board.wait(lambda v: (v.get("turn") or {}).get("stealer") == other)
            presses = shown["turn"]["presses"]
            assert presses[0]["team"] == other and presses[0]["behind_ms"] == 0
            assert all(isinstance(p["time_ms"], int) for p in presses)
            value = RIGHT if steal == "right" else WRONG
            assert teams[other].call("answer", {"question": qid, "value": value, "id": qid})["ok"]
        mc.wait(lambda v: v["phase"] == "closed")
    # Before the reveal no board or tablet holds the key.
    for screen in (board, teams[owner], teams[other]):
        assert screen.view["reveal"] is None and "key" not in screen.view
    next_step(mc)  # reveal
    board.wait(lambda v: v["phase"] == "revealed" and v["question"]["id"] == qid)
    return str(qid)


def test_turns_round_with_17_tablets_star_steal_pick_and_skip(
    hall: tuple[LiveServer, Screen, Screen, dict[str, Screen]],
) -> None:
    server, mc, board, teams = hall
    mc.wait(lambda v: sum(v["connections"].values()) == 17)
    next_step(mc)  # start the round
    assert mc.view["next"]["command"] == "turns_order"
    next_step(mc)
    order = board.wait(lambda v: v["turns"]["ordered"])["turns"]["order"]
    assert [row["team"] for row in order] == TEAM_IDS
    assert [row["package"] for row in order] == [f"goi-{k:02d}" for k in range(1, 18)]

    for i in range(PLAYING):
        owner = TEAM_IDS[i]
        for q in (1, 2):
            step = mc.view["next"]
            if i == 0:  # the pick package: 20 first, then 10
                assert step["command"] == "turns_value" and step["values"] == (
                    [10, 20] if q == 1 else [10]
                )
                ack = mc.call("command", {"name": "turns_value", "team": owner, "points": 15})
                assert ack["error"] == "bad_value"
                mc_do(mc, "turns_value", team=owner, points=20 if q == 1 else 10)
                mc.wait(lambda v: v["next"]["command"] == "show")
            if q == 2 and starred(i):
                if star_from_tablet(i):
                    teams[owner].wait(lambda v: v["turns"]["me"]["can_star"])
                    assert teams[TEAM_IDS[i + 1]].call("star", {})["error"] == "not_your_turn"
                    assert teams[owner].call("star", {})["ok"]
                else:
                    mc_do(mc, "turns_star", team=owner)
                row = board.wait(lambda v: v["turns"]["star_pending"])["turns"]
                assert row["current"] == owner
            right = q1_right(i) if q == 1 else q2_right(i)
            steal = ("right" if steal_right(i) else "wrong") if q == 1 else None
            qid = play_question(mc, board, teams, i, right, None if right else steal)
            if q == 2 and starred(i):
                assert board.view["turn"]["star"] and board.view["question"]["id"] == qid
        if i == PLAYING - 1:
            break
    # The 17th team is absent: the MC skips it with a reason, and the round ends.
    step = mc.view["next"]
    assert step["command"] == "show" and step["team"] == TEAM_IDS[16] and step["skip"]
    assert (
        mc.call("command", {"name": "turns_skip", "team": TEAM_IDS[16]})["error"] == "bad_request"
    )
    mc_do(mc, "turns_skip", team=TEAM_IDS[16], reason="Đội vắng mặt")
    done = mc.wait(lambda v: v["next"]["command"] == "start_round")
    assert done["turns"]["order"][16]["skipped"] and done["turns"]["current"] is None

    final = board.wait(lambda v: v["turns"]["current"] is None)
    assert {row["team"]: row["total"] for row in final["scoreboard"]} == EXPECTED
    for team, screen in teams.items():
        assert screen.wait(lambda v: v["turns"]["current"] is None)["me"]["total"] == EXPECTED[team]
    # each package's points so far, on the board: the team's own two questions
    by_team = {row["team"]: row["points"] for row in final["turns"]["order"]}
    assert by_team[TEAM_IDS[6]] == 50 and by_team[TEAM_IDS[9]] == -30 and by_team[TEAM_IDS[16]] == 0

    # The journal replays to the same totals (a restart rebuilds the state).
    server.stop()
    again = start_server(server.contest, server.data, server.async_mode)
    try:
        screen = Screen(again.url, {"role": "board"}, "board")
        rows = screen.wait(lambda v: bool(v["scoreboard"]))["scoreboard"]
        assert {row["team"]: row["total"] for row in rows} == EXPECTED
        screen.close()
    finally:
        again.stop()
    assert json.dumps(EXPECTED)  # the figures the report quotes
