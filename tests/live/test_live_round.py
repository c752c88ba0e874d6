"""A full knowledge round over real sockets: 17 tablets, a board and the MC."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from clients import Screen, mc_do, next_step
from conftest import TEAM_IDS, LiveServer, start_server, write_contest

pytestmark = pytest.mark.live

# (question, right answer, wrong answer) in the order of the `all` round
ALL_ROUND = [
    ("q-single", "B", "A"),
    ("q-tf", True, False),
    ("q-multi", ["A", "C"], ["A"]),
    ("q-text", "Mot cua", "hai cửa"),
    ("q-number", 41, "40,5"),
    ("q-order", ["B", "C", "A"], ["A", "B", "C"]),
]
SILENT = 16  # this team never answers: `missing` scores 0


def answers_for(q_index: int) -> dict[str, Any]:
    """What each team answers to the q_index-th question of the `all` round."""
    _, right, wrong = ALL_ROUND[q_index]
    return {
        team: (wrong if (i + q_index) % 3 == 0 else right)
        for i, team in enumerate(TEAM_IDS)
        if i != SILENT
    }


def expected_all_round() -> dict[str, int]:
    totals = dict.fromkeys(TEAM_IDS, 0)
    for q_index, (_, right, _) in enumerate(ALL_ROUND):
        for team, value in answers_for(q_index).items():
            totals[team] += 10 if value == right else 0
    return totals


@pytest.fixture
def hall(
    tmp_path: Path, async_mode: str
) -> Iterator[tuple[LiveServer, Screen, Screen, dict[str, Screen]]]:
    server = start_server(write_contest(tmp_path / "contest"), tmp_path / "data", async_mode)
    screens: list[Screen] = []
    try:
        mc = Screen(server.url, {"role": "mc", "pin": server.pin}, "mc")
        board = Screen(server.url, {"role": "board"}, "board")
        with ThreadPoolExecutor(8) as pool:
            teams = dict(
                zip(
                    TEAM_IDS,
                    pool.map(
                        lambda t: Screen(server.url, {"role": "team", "code": server.codes[t]}, t),
                        TEAM_IDS,
                    ),
                    strict=False,
                )
            )
        screens = [mc, board, *teams.values()]
        yield server, mc, board, teams
    finally:
        with ThreadPoolExecutor(8) as pool:  # some servers take seconds to close each one
            list(pool.map(Screen.close, screens))
        server.stop()


def play_all_question(mc: Screen, board: Screen, teams: dict[str, Screen], q_index: int) -> None:
    qid = ALL_ROUND[q_index][0]
    step = mc.view["next"]
    assert (step["command"], step["question"]) == ("show", qid)
    next_step(mc)
    next_step(mc)  # open: the clock starts
    for screen in teams.values():
        screen.wait(lambda v: v["phase"] == "open" and v["question"]["id"] == qid)

    def send(item: tuple[str, Any]) -> dict[str, Any]:
        team, value = item
        return teams[team].call("answer", {"question": qid, "value": value, "id": f"{team}-{qid}"})

    frames_before = len(board.frames)
    with ThreadPoolExecutor(8) as pool:
        acks = list(pool.map(send, answers_for(q_index).items()))
    assert all(a["ok"] and a["received"] for a in acks), acks
    mc.wait(lambda v: sum(1 for a in v["answers"] if a["answer"] is not None) == 16)
    seen = board.wait(lambda v: sum(1 for t in v["teams"] if t.get("answered")) == 16)
    assert seen["question"]["id"] == qid
    assert len(board.frames) - frames_before < 16  # answer pushes are coalesced
    next_step(mc)  # close early
    next_step(mc)  # reveal


def test_full_round_with_17_tablets(
    hall: tuple[LiveServer, Screen, Screen, dict[str, Screen]],
) -> None:
    server, mc, board, teams = hall
    mc.wait(lambda v: sum(v["connections"].values()) == 17)
    next_step(mc)  # start the `all` round
    for q_index in range(len(ALL_ROUND)):
        play_all_question(mc, board, teams, q_index)
    expected = expected_all_round()
    final = board.wait(lambda v: v["phase"] == "revealed" and v["question"]["id"] == "q-order")
    assert {row["team"]: row["total"] for row in final["scoreboard"]} == expected
    for team, screen in teams.items():
        view = screen.wait(lambda v: v["phase"] == "revealed" and v["question"]["id"] == "q-order")
        assert view["me"]["total"] == expected[team]

    # The buzzer round (wrong = -5, rebound on).
    next_step(mc)
    assert mc.view["phase"] == "intro"
    next_step(mc)  # show q-buzz-1
    early = teams[TEAM_IDS[0]]
    assert early.call("buzz", {"question": "q-buzz-1"})["status"] == "locked_out"
    next_step(mc)  # open the buzzers
    first, second = teams[TEAM_IDS[1]], teams[TEAM_IDS[2]]
    first.wait(lambda v: v["buzzer"] == "open")
    assert first.call("buzz", {"question": "q-buzz-1"})["status"] == "buzzed"
    mc.wait(lambda v: v["phase"] == "answering")
    assert (
        board.wait(lambda v: v["phase"] == "answering")["buzz"]["order"][0]["team"] == TEAM_IDS[1]
    )
    mc_do(mc, "judge", question="q-buzz-1", team=TEAM_IDS[1], correct=False)
    second.wait(lambda v: v["buzzer"] == "open")
    assert early.view["buzzer"] == "locked_out"
    second.call("buzz", {"question": "q-buzz-1"})
    mc.wait(lambda v: v["phase"] == "answering" and v["next"]["team"] == TEAM_IDS[2])
    mc_do(mc, "judge", question="q-buzz-1", team=TEAM_IDS[2], correct=True)
    next_step(mc)  # reveal
    expected[TEAM_IDS[1]] -= 5
    expected[TEAM_IDS[2]] += 10
    final = board.wait(lambda v: v["phase"] == "revealed" and v["question"]["id"] == "q-buzz-1")
    assert {row["team"]: row["total"] for row in final["scoreboard"]} == expected
    ranks = [row["rank"] for row in final["scoreboard"]]
    assert ranks == sorted(ranks) and ranks[0] == 1

    # Secrecy: no frame to a tablet or the board carried a key before its reveal.
    for screen in [board, *teams.values()]:
        for event, frame in screen.frames:
            if event != "state":
                continue
            assert "key" not in frame and "answers" not in frame
            question = frame["question"]
            if frame["reveal"] is None and question and question["id"] == "q-text":
                assert "một cửa" not in json.dumps(frame, ensure_ascii=False).lower()


def test_bad_messages_get_error_acks_and_change_nothing(
    hall: tuple[LiveServer, Screen, Screen, dict[str, Screen]],
) -> None:
    server, mc, board, teams = hall
    team = teams[TEAM_IDS[3]]
    next_step(mc)
    next_step(mc)
    next_step(mc)
    v = mc.view["v"]
    bad: list[tuple[Screen, str, Any, str]] = [
        (team, "answer", "not an object", "bad_request"),
        (team, "answer", {"question": "q-single"}, "bad_request"),
        (team, "answer", {"question": "q-single", "value": "B", "team": "doi-01"}, "bad_request"),
        (team, "answer", {"question": "x" * 1000, "value": "B"}, "bad_request"),
        (team, "answer", {"question": "q-single", "value": "Z"}, "bad_answer"),
        (team, "answer", {"question": "q-tf", "value": True}, "stale"),
        (team, "answer", {"question": "q-single", "value": "B", "press": "soon"}, "bad_request"),
        (team, "command", {"name": "reveal", "question": "q-single"}, "forbidden"),
        (team, "buzz", {"question": "q-single"}, "not_allowed"),
        (board, "answer", {"question": "q-single", "value": "B"}, "forbidden"),
        (mc, "command", {"name": "drop_tables"}, "unknown_command"),
        (mc, "command", {"name": "adjust", "team": "doi-01", "delta": 5}, "bad_request"),
        (
            mc,
            "command",
            {"name": "adjust", "team": "doi-01", "delta": 5, "reason": " "},
            "reason_required",
        ),
        (mc, "command", {"name": "reveal", "question": "q-single"}, "not_closed"),
        (team, "no_such_event", {}, "unknown_event"),
    ]
    for screen, event, payload, code in bad:
        ack = screen.call(event, payload)
        assert ack["ok"] is False and ack["error"] == code, (event, payload, ack)
        assert ack["message"]
    assert mc.view["v"] == v
    ok = team.call("answer", {"question": "q-single", "value": "B", "id": "n1"})
    assert ok["ok"] and ok["received"] and ok["answer"]["display"] == "B"
    again = team.call("answer", {"question": "q-single", "value": "B", "id": "n1"})
    assert again["ok"]  # the replay is harmless
    changed = team.call("answer", {"question": "q-single", "value": "A", "id": "n2"})
    assert changed == {
        "ok": True,
        "v": changed["v"],
        "received": True,
        "answer": {"display": "A", "time_ms": changed["answer"]["time_ms"], "nonce": "n2"},
    }


def test_wrong_credentials_are_refused(live_server: LiveServer) -> None:
    import socketio

    for auth in [
        {"role": "mc", "pin": "000000x"},
        {"role": "team", "code": "NOPE"},
        {"role": "god"},
    ]:
        client = socketio.Client(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(live_server.url, auth=auth, transports=["websocket"], wait_timeout=5)
        client.disconnect()
