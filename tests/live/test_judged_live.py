"""A contest day over real sockets: a judged round (two judges, 17 teams), the
`all` round on the tablets, and a judged round with criteria; the totals and
the ranking on the board are the day's. Every figure is worked out by hand.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from clients import Screen, mc_do, next_step
from conftest import TEAM_IDS, LiveServer, start_server, write_contest

pytestmark = pytest.mark.live

JUDGED_HEAD = """\
judges:
  - {id: gk-a, name: Giám khảo A}
  - {id: gk-b, name: Giám khảo B}
rounds:
  - id: chao-hoi
    title: Chào hỏi
    format: judged
    combine: mean
"""
JUDGED_TAIL = """\
  - id: tieu-pham
    title: Tiểu phẩm
    format: judged
    combine: sum
    criteria:
      - {id: nd, title: Nội dung, max: 6}
      - {id: dx, title: Diễn xuất, max: 4}
"""


def day_contest(folder: Path) -> Path:
    """The 17-team mini contest with a judged round before and after its rounds."""
    path = write_contest(folder)
    text = path.read_text(encoding="utf-8").replace("rounds:\n", JUDGED_HEAD, 1)
    path.write_text(text + JUDGED_TAIL, encoding="utf-8")
    return path


def greeting(i: int) -> tuple[float, float]:
    """Judges A and B on team i in chào hỏi: 5 + (i mod 10) / 2, and one more."""
    a = 5 + (i % 10) / 2
    return a, min(10.0, a + 1)


def sketch(i: int) -> tuple[dict[str, float], dict[str, float]]:
    """A's and B's criteria in tiểu phẩm: nd = i mod 7 (max 6), dx = 2 or 3."""
    nd = float(min(6, i % 7))
    return {"nd": nd, "dx": 2.0}, {"nd": nd, "dx": 3.0}


def expected() -> dict[str, float]:
    totals: dict[str, float] = {}
    for i, team in enumerate(TEAM_IDS):
        a, b = greeting(i)
        parts_a, parts_b = sketch(i)
        # chào hỏi: mean of A and B; tiểu phẩm: sum of both judges' criteria
        totals[team] = (a + b) / 2 + sum(parts_a.values()) + sum(parts_b.values())
    # the knowledge round: doi-01 alone answers q-single right (10 points)
    totals["doi-01"] += 10
    return totals


@pytest.fixture
def day(tmp_path: Path, async_mode: str) -> Iterator[tuple[LiveServer, dict[str, Screen]]]:
    server = start_server(day_contest(tmp_path / "contest"), tmp_path / "data", async_mode)
    screens: dict[str, Screen] = {}
    try:
        codes = server.info["judge_codes"]
        assert set(codes) == {"gk-a", "gk-b"}
        screens["mc"] = Screen(server.url, {"role": "mc", "pin": server.pin}, "mc")
        screens["board"] = Screen(server.url, {"role": "board"}, "board")
        for judge, code in codes.items():
            screens[judge] = Screen(server.url, {"role": "judge", "code": code}, judge)
        with ThreadPoolExecutor(8) as pool:
            made = pool.map(
                lambda t: Screen(server.url, {"role": "team", "code": server.codes[t]}, t),
                TEAM_IDS[:3],
            )
            screens.update(zip(TEAM_IDS[:3], made, strict=True))
        yield server, screens
    finally:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(Screen.close, screens.values()))
        server.stop()


def turn_of(screen: Screen, team: str) -> dict[str, object]:
    return screen.wait(lambda v: bool(v.get("turn")) and v["turn"]["team"] == team)["turn"]


def test_a_contest_day_with_two_judges_and_17_teams(
    day: tuple[LiveServer, dict[str, Screen]],
) -> None:
    server, s = day
    mc, board, gk_a, gk_b = s["mc"], s["board"], s["gk-a"], s["gk-b"]
    mc.wait(lambda v: v.get("judges_connected") == ["gk-a", "gk-b"])
    next_step(mc)  # the round chào hỏi
    for i, team in enumerate(TEAM_IDS):
        assert mc.view["next"]["command"] == "show"
        next_step(mc)  # call the team
        turn = turn_of(gk_a, team)
        qid = str(turn["question"])
        assert qid == f"chao-hoi:{team}" and turn["may_score"]
        a, b = greeting(i)
        if i == 0:  # a bad score is refused and changes nothing; a judge changes a score
            bad = gk_a.call("score", {"question": qid, "score": 10.5})
            assert bad["ok"] is False and bad["error"] == "bad_score"
            assert "từ 0 đến 10" in bad["message"]
            bad = gk_a.call("score", {"question": qid, "score": 7.3})
            assert bad["error"] == "bad_score"
            assert gk_a.call("score", {"question": qid, "score": 1})["ok"]
            seen = board.wait(lambda v: bool(v.get("judged")) and v["judged"]["scored"] == 1)
            assert "score" not in seen["judged"]["judges"][0]  # not before all have scored
            mc.wait(lambda v: v["judged_scores"]["judges"][0]["score"] == 1)
        ack = gk_a.call("score", {"question": qid, "score": a})
        assert ack["ok"] and ack["received"] and ack["score"] == a
        assert gk_b.call("score", {"question": qid, "score": b})["ok"]
        shown = board.wait(
            lambda v, qid=qid: v.get("phase") == "closed" and v["question"]["id"] == qid
        )
        assert [j["score"] for j in shown["judged"]["judges"]] == [a, b]
        assert shown["judged"]["result"] == round((a + b) / 2, 2)
        assert mc.wait(lambda v: v["phase"] == "closed")["next"]["command"] == "reveal"
        next_step(mc)  # Công bố điểm
        board.wait(lambda v, qid=qid: v["phase"] == "revealed" and v["question"]["id"] == qid)
        if i == 0:
            late = gk_a.call("score", {"question": qid, "score": 9})
            assert late["ok"] is False and late["error"] == "shown"
    assert s["doi-01"].wait(lambda v: v["me"]["total"] == 5.5)["me"]["total"] == 5.5  # (5 + 6) / 2

    # the knowledge round, as the tablets play it: one question is enough here
    next_step(mc)  # Sang phần thi: Câu hỏi chung
    next_step(mc)  # show q-single
    next_step(mc)  # open
    tablet = s["doi-01"]
    tablet.wait(lambda v: v["phase"] == "open")
    assert tablet.call("answer", {"question": "q-single", "value": "B"})["ok"]
    mc_do(mc, "close", question="q-single")
    mc_do(mc, "reveal", question="q-single")
    # skip to the next round: the rest of `chung` and the buzzer round are not played
    rounds = ["chung", "bam-chuong"]
    while mc.view["round"]["id"] in rounds:
        step = mc.view["next"]
        if step["command"] == "start_round":
            next_step(mc)
            mc.wait(lambda v: v["phase"] == "intro")
            if mc.view["round"]["id"] not in rounds:
                break
            continue
        mc_do(mc, "show", question=step["question"])
        mc.wait(lambda v: v["phase"] == "shown")
        mc_do(mc, "open", question=step["question"])
        mc.wait(lambda v: v["phase"] in ("open", "closed"))
        if mc.view["phase"] == "open":
            mc_do(mc, "close", question=step["question"])
        mc.wait(lambda v: v["phase"] == "closed")
        mc_do(mc, "reveal", question=step["question"])
        mc.wait(lambda v: v["phase"] == "revealed")

    assert mc.view["round"]["id"] == "tieu-pham"
    for i, team in enumerate(TEAM_IDS):
        next_step(mc)
        qid = str(turn_of(gk_b, team)["question"])
        parts_a, parts_b = sketch(i)
        if i == 0:
            bad = gk_a.call("score", {"question": qid, "score": 8})
            assert bad["error"] == "bad_score"  # criteria are asked for
        assert gk_a.call("score", {"question": qid, "parts": parts_a})["ok"]
        assert gk_b.call("score", {"question": qid, "parts": parts_b})["ok"]
        mc.wait(lambda v, qid=qid: v["phase"] == "closed" and v["question"]["id"] == qid)
        next_step(mc)
        mc.wait(lambda v, qid=qid: v["phase"] == "revealed" and v["question"]["id"] == qid)

    # a judge's score set by hand after it was shown: a correction with a reason
    refused = mc.call(
        "command",
        {"name": "set_judge_score", "question": "chao-hoi:doi-02", "judge": "gk-b", "reason": ""},
    )
    assert refused["ok"] is False
    mc_do(
        mc,
        "set_judge_score",
        question="chao-hoi:doi-02",
        judge="gk-b",
        score=10,
        reason="Giám khảo B ghi nhầm điểm trên phiếu",
    )
    want = expected()
    # doi-02 (i = 1): A 5.5, B 6.5 -> 10: mean 6 -> 7.75, so +1.75
    want["doi-02"] += 1.75
    final = board.wait(lambda v: v["v"] == mc.view["v"])
    totals = {row["team"]: row["total"] for row in final["scoreboard"]}
    assert totals == pytest.approx(want)
    assert final["scoreboard"][0]["team"] == max(want, key=lambda t: want[t])
    # hand-checked figures: doi-01 5.5 + 10 + (0 + 2 + 0 + 3) = 20.5;
    # doi-17 (i = 16): A 8, B 9 -> 8.5; nd = 16 mod 7 = 2: 4 + 5 = 9 -> 17.5
    assert totals["doi-01"] == 20.5 and totals["doi-17"] == 17.5
    json.dumps(final)
    assert server.proc.poll() is None


def test_the_demo_day_opens_with_the_judged_greeting(tmp_path: Path, async_mode: str) -> None:
    from conftest import DEMO_CONTEST

    server = start_server(DEMO_CONTEST, tmp_path / "data", async_mode)
    screens: list[Screen] = []
    try:
        assert len(server.info["judge_codes"]) == 5
        mc = Screen(server.url, {"role": "mc", "pin": server.pin}, "mc")
        code = server.info["judge_codes"]["gk-truong-ban"]
        judge = Screen(server.url, {"role": "judge", "code": code}, "gk")
        screens = [mc, judge]
        assert mc.view["next"]["command"] == "start_round"
        next_step(mc)
        first = mc.wait(lambda v: v["phase"] == "intro")["round"]
        assert (first["title"], first["number"], first["of"]) == ("Chào hỏi", 1, 5)
        next_step(mc)
        turn = turn_of(judge, "bo")
        assert turn["team_name"] == "Thị trấn Bo" and turn["may_score"]
        assert judge.call("score", {"question": turn["question"], "score": 9})["ok"]
        scores = mc.wait(lambda v: v["judged_scores"]["scored"] == 1)["judged_scores"]
        assert [j["id"] for j in scores["judges"]] == ["gk-truong-ban", "gk-noi-vu", "gk-van-hoa"]
    finally:
        for s in screens:
            s.close()
        server.stop()
