"""A tie at a prize boundary settled by a `tiebreak` round, over real sockets:
17 tablets, a board and the MC.

Hand-computed figures. Round 1 (`all`, two single questions of 10 points,
answer B): doi-01 answers both right (20); doi-02, doi-03, doi-04 only the
first (10 each); the other 13 teams answer wrong (0). Ranking: [correct_count,
tiebreak_round]; prizes Nhất 1, Nhì 1, Ba 1, Khuyến khích rest. So doi-02..04
are level on 10 points and 1 correct answer at places 2-4, across the
Nhì/Ba and Ba/Khuyến khích boundaries: proposed. The 13 teams on 0 (places
5-17) are all in Khuyến khích: not proposed.

Round 2 (`tiebreak`, mode closest, lots server):
- p1 (key 1987.5): doi-03 answers 1997.5 first, doi-02 1977.5 (both 10 away;
  doi-03 pressed earlier), doi-04 1900 (87.5 away): doi-03 takes place 1.
- p2 (key 63): doi-02 answers 60 (3 away), doi-04 63 (0 away): doi-04 takes
  place 2 and doi-02, the last left, place 3.
Final order: doi-01 (Nhất), doi-03 (Nhì), doi-04 (Ba), doi-02 (Khuyến
khích), then the 13 teams sharing rank 5; totals unchanged: 20, 10, 10, 10, 0.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from clients import Screen, mc_do, next_step
from conftest import TEAM_IDS, LiveServer, start_server

pytestmark = pytest.mark.live

TIED = ["doi-02", "doi-03", "doi-04"]
ZERO = TEAM_IDS[4:]


def write_tiebreak_contest(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    choices = {"A": "Một", "B": "Hai", "C": "Ba", "D": "Bốn"}
    bank = {
        "bank": "phu",
        "title": "Câu hỏi kiểm thử",
        "defaults": {"time_limit": 30, "points": 10},
        "questions": [
            {"id": "q1", "type": "single", "text": "Câu 1?", "choices": choices, "answer": "B"},
            {"id": "q2", "type": "single", "text": "Câu 2?", "choices": choices, "answer": "B"},
            {"id": "p1", "type": "number", "text": "Số phụ 1?", "answer": 1987.5},
            {"id": "p2", "type": "number", "text": "Số phụ 2?", "answer": 63},
        ],
    }
    (folder / "bank.yaml").write_text(yaml.safe_dump(bank, allow_unicode=True), encoding="utf-8")
    contest = {
        "contest": "phu-live",
        "title": "Hội thi kiểm thử câu hỏi phụ",
        "banks": ["bank.yaml"],
        "teams": [{"id": t, "name": f"Xã số {i + 1}"} for i, t in enumerate(TEAM_IDS)],
        "ranking": {"tiebreak": ["correct_count", "tiebreak_round"]},
        "prizes": [
            {"name": "Giải Nhất", "count": 1},
            {"name": "Giải Nhì", "count": 1},
            {"name": "Giải Ba", "count": 1},
            {"name": "Giải Khuyến khích", "count": "rest"},
        ],
        "rounds": [
            {"id": "chung", "title": "Câu hỏi chung", "format": "all", "questions": ["q1", "q2"]},
            {
                "id": "phu",
                "title": "Câu hỏi phụ",
                "format": "tiebreak",
                "mode": "closest",
                "lots": "server",
                "questions": ["p1", "p2"],
            },
        ],
    }
    path = folder / "phu-live.yaml"
    path.write_text(yaml.safe_dump(contest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def hall(
    tmp_path: Path, async_mode: str
) -> Iterator[tuple[LiveServer, Screen, Screen, dict[str, Screen]]]:
    server = start_server(write_tiebreak_contest(tmp_path / "c"), tmp_path / "data", async_mode)
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
                    strict=True,
                )
            )
        screens = [mc, board, *teams.values()]
        yield server, mc, board, teams
    finally:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(Screen.close, screens))
        server.stop()


def round_one_answer(team: str, qid: str) -> str:
    if team == "doi-01" or (team in TIED and qid == "q1"):
        return "B"
    return "A"


def play_round_one(mc: Screen, teams: dict[str, Screen]) -> None:
    for qid in ("q1", "q2"):
        assert mc.view["next"]["command"] == "show"
        next_step(mc)  # show
        next_step(mc)  # open
        for screen in teams.values():
            screen.wait(lambda v, q=qid: v["phase"] == "open" and v["question"]["id"] == q)

        def send(team: str, q: str = qid) -> dict[str, Any]:
            value = round_one_answer(team, q)
            return teams[team].call("answer", {"question": q, "value": value, "id": team + q})

        with ThreadPoolExecutor(8) as pool:
            acks = list(pool.map(send, TEAM_IDS))
        assert all(a["ok"] for a in acks), acks
        mc.wait(lambda v: sum(1 for a in v["answers"] if a["answer"] is not None) == 17)
        next_step(mc)  # close early
        next_step(mc)  # reveal


def answer(screen: Screen, qid: str, value: Any) -> dict[str, Any]:
    ack: dict[str, Any] = screen.call("answer", {"question": qid, "value": value, "id": qid})
    return ack


def test_a_tie_at_a_prize_boundary_is_settled_by_the_closest_answers(
    hall: tuple[LiveServer, Screen, Screen, dict[str, Screen]],
) -> None:
    server, mc, board, teams = hall
    mc.wait(lambda v: sum(v["connections"].values()) == 17)
    next_step(mc)  # start round 1
    play_round_one(mc, teams)
    totals = {t: 20 if t == "doi-01" else 10 if t in TIED else 0 for t in TEAM_IDS}
    seen = board.wait(lambda v: v["phase"] == "revealed" and v["question"]["id"] == "q2")
    assert {r["team"]: r["total"] for r in seen["scoreboard"]} == totals

    next_step(mc)  # the tiebreak round's title
    step = mc.wait(lambda v: v["phase"] == "intro" and v["next"]["command"] == "tiebreak_select")
    assert step["next"]["groups"] == [TIED]
    assert [p["prize"] for p in step["tiebreak"]["proposal"]] == ["Giải Nhì"]
    assert [[t["id"] for t in g] for g in step["tiebreak"]["not_deciding"]] == [ZERO]
    mc_do(mc, "tiebreak_select", groups=step["next"]["groups"], round="phu")
    for team in TIED:
        teams[team].wait(lambda v: bool(v["tiebreak"]) and v["tiebreak"]["selected"])

    # p1: doi-03 and doi-02 are both 10 away; doi-03 answered first
    next_step(mc)  # show p1
    next_step(mc)  # open
    teams["doi-02"].wait(lambda v: v["phase"] == "open" and v["question"]["id"] == "p1")
    refused = answer(teams["doi-05"], "p1", 1987.5)
    assert (refused["ok"], refused["error"]) == (False, "not_playing")
    assert answer(teams["doi-03"], "p1", "1997,5")["ok"]
    assert answer(teams["doi-02"], "p1", 1977.5)["ok"]
    assert answer(teams["doi-04"], "p1", 1900)["ok"]
    mc.wait(lambda v: v["phase"] == "closed")  # every team still level answered
    next_step(mc)  # reveal
    shown = board.wait(lambda v: v["phase"] == "revealed" and v["question"]["id"] == "p1")
    assert [r["team"] for r in shown["closest"]] == ["doi-03", "doi-02", "doi-04"]
    assert [r["distance"] for r in shown["closest"]] == [10, 10, 87.5]
    placed = shown["tiebreak"]["groups"][0]["placed"]
    assert [(p["team"], p["place"]) for p in placed] == [("doi-03", 1)]

    # p2: doi-04 exact, doi-02 3 away; doi-03 no longer plays
    next_step(mc)  # show p2
    next_step(mc)  # open
    teams["doi-02"].wait(lambda v: v["phase"] == "open" and v["question"]["id"] == "p2")
    assert teams["doi-03"].view["tiebreak"]["playing"] == ["doi-02", "doi-04"]
    assert answer(teams["doi-03"], "p2", 63)["error"] == "not_playing"
    assert answer(teams["doi-02"], "p2", 60)["ok"]
    assert answer(teams["doi-04"], "p2", 63)["ok"]
    mc.wait(lambda v: v["phase"] == "closed")
    next_step(mc)  # reveal
    final = board.wait(lambda v: v["phase"] == "revealed" and v["question"]["id"] == "p2")
    assert final["tiebreak"]["done"] is True
    rows = final["scoreboard"]
    assert [r["team"] for r in rows[:4]] == ["doi-01", "doi-03", "doi-04", "doi-02"]
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, *([5] * 13)]
    assert {r["team"]: r["total"] for r in rows} == totals  # nothing added to totals
    how = {r["team"]: r.get("tiebreak") for r in rows}
    assert (how["doi-03"], how["doi-04"], how["doi-02"]) == (
        "câu hỏi phụ 1",
        "câu hỏi phụ 2",
        "câu hỏi phụ 2",
    )

    # the end: the ceremony names the prizes in the settled order
    assert mc.wait(lambda v: v["phase"] == "revealed")["next"]["command"] == "start_round"
    mc_do(mc, "start_round")
    for _ in range(4):
        mc_do(mc, "ceremony_next")
    ceremony = board.wait(lambda v: bool(v["ceremony"]) and v["ceremony"]["done"])["ceremony"]
    won = {p["name"]: [t["team"] for t in p["teams"]] for p in ceremony["prizes"]}
    assert won["Giải Nhất"] == ["doi-01"] and won["Giải Nhì"] == ["doi-03"]
    assert won["Giải Ba"] == ["doi-04"] and won["Giải Khuyến khích"][0] == "doi-02"

    # the results file says how the tie was settled
    session = requests.Session()
    session.post(f"{server.url}/mc", data={"pin": server.pin}, timeout=10)  # the MC's login
    response = session.get(f"{server.url}/results.csv", timeout=10)
    assert response.status_code == 200, response.text[:300]
    csv_text = response.content.decode("utf-8-sig")
    lines = csv_text.split("\r\n")
    column = lines[0].split(";").index("Phân định hòa điểm")
    settled = {line.split(";")[1]: line.split(";")[column] for line in lines[2:19]}
    assert settled["Xã số 3"] == "câu hỏi phụ 1" and settled["Xã số 1"] == ""

    # secrecy: no tablet or board frame carried a tiebreak key before its reveal
    for screen in [board, *teams.values()]:
        for event, frame in screen.frames:
            if event != "state" or not frame.get("question"):
                continue
            assert "key" not in frame and "answers" not in frame
            if frame["reveal"] is None and frame["question"]["id"] == "p1":
                assert "1987.5" not in json.dumps(frame)
                assert "closest" not in frame or frame["closest"] is None
