"""The jury over real sockets: 17 tablets, a board, the MC and the jury.

One question is played (16 teams answer, one is silent), two appeals come
from tablets (one accepted, one rejected), the MC makes two corrections the
jury must approve (one approved, one rejected), the contest is finished, the
jury signs off, a correction is then refused until the jury reopens the
results. Hand-computed figures are in the comments.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from clients import Screen, mc_do, next_step
from conftest import COMMUNES, TEAM_IDS, LiveServer, start_server, write_contest

pytestmark = pytest.mark.live

JURY = "jury: {approve_corrections: true, appeals: true, appeal_window: 120}\n"
SILENT = TEAM_IDS[16]  # never answers q-single, then appeals: accepted
WRONG = TEAM_IDS[0]  # answers A (wrong), then appeals: rejected
CLAMPED = TEAM_IDS[1]  # claims a press an hour before it arrived
FUTURE = TEAM_IDS[2]  # claims a press after it arrived


SKEWED = TEAM_IDS[8]  # its estimate of the server clock runs 300 ms ahead
SKEW_MS = 300


class SkewedTablet(Screen):
    """A tablet whose pong says the server clock is SKEW_MS later than it is."""

    def _on_ping(self, data: Any) -> dict[str, int]:
        super()._on_ping(data)
        return {"c": int(time.time() * 1000), "s": int(data["s"]) + SKEW_MS}


def jury_contest(folder: Path) -> Path:
    path = write_contest(folder)
    path.write_text(path.read_text(encoding="utf-8") + JURY, encoding="utf-8")
    return path


Hall = tuple[LiveServer, Screen, Screen, Screen, dict[str, Screen]]


@pytest.fixture
def hall(tmp_path: Path, async_mode: str) -> Iterator[Hall]:
    server = start_server(jury_contest(tmp_path / "contest"), tmp_path / "data", async_mode)
    screens: list[Screen] = []
    try:
        mc = Screen(server.url, {"role": "mc", "pin": server.pin}, "mc")
        jury = Screen(server.url, {"role": "jury", "pin": server.info["jury_pin"]}, "jury")
        board = Screen(server.url, {"role": "board"}, "board")
        with ThreadPoolExecutor(8) as pool:
            teams = dict(
                zip(
                    TEAM_IDS,
                    pool.map(
                        lambda t: (SkewedTablet if t == SKEWED else Screen)(
                            server.url, {"role": "team", "code": server.codes[t]}, t
                        ),
                        TEAM_IDS,
                    ),
                    strict=True,
                )
            )
        screens = [mc, jury, board, *teams.values()]
        yield server, mc, jury, board, teams
    finally:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(Screen.close, screens))
        server.stop()


def jury_do(jury: Screen, name: str, **fields: Any) -> dict[str, Any]:
    ack = jury.call("jury", {"name": name, **fields})
    assert ack["ok"], (name, fields, ack)
    return ack


def totals(view: dict[str, Any]) -> dict[str, float]:
    return {row["team"]: row["total"] for row in view["scoreboard"]}


def test_a_jury_with_17_teams(hall: Hall) -> None:
    server, mc, jury, board, teams = hall
    mc.wait(lambda v: sum(v["connections"].values()) == 17)
    jury.wait(lambda v: sum(1 for d in v["devices"] if d["role"] == "team") == 17)
    # each device's round trip and clock error: the skewed one shows its 300 ms
    devices = jury.wait(
        lambda v: any(d["team"] == SKEWED and d["offset_ms"] is not None for d in v["devices"])
    )["devices"]
    skewed = next(d for d in devices if d["team"] == SKEWED)
    assert SKEW_MS - 60 <= skewed["offset_ms"] <= SKEW_MS, skewed  # minus half a round trip
    assert skewed["rtt_ms"] is not None and skewed["trust_ms"] is not None
    assert all(d["offset_ms"] is None for d in devices if d["team"] != SKEWED)  # no estimate sent
    next_step(mc)  # start the `all` round
    next_step(mc)  # show q-single
    next_step(mc)  # open
    for screen in teams.values():
        screen.wait(lambda v: v["phase"] == "open")

    def send(team: str) -> dict[str, Any]:
        value = "A" if team == WRONG else "B"
        payload: dict[str, Any] = {"question": "q-single", "value": value, "id": f"{team}-1"}
        if team == CLAMPED:
            payload["press"] = jury.view["now"] - 3_600_000
        if team == FUTURE:
            payload["press"] = jury.view["now"] + 3_600_000
        return teams[team].call("answer", payload)

    with ThreadPoolExecutor(8) as pool:
        acks = list(pool.map(send, [t for t in TEAM_IDS if t != SILENT]))
    assert all(a["ok"] for a in acks), acks
    rows = jury.wait(lambda v: len(v["timings"]) == 16)["timings"]
    by_team = {r["team"]: r for r in rows}
    clamped = by_team[CLAMPED]
    # the claim was an hour early: accepted at the earliest its link allowed
    assert clamped["clamped"] and clamped["accepted"] == clamped["earliest"]
    assert clamped["claimed"] < clamped["earliest"] <= clamped["arrival"]
    assert 0 <= clamped["arrival"] - clamped["accepted"] <= 250  # MAX_TRUST
    # a claim after arrival: accepted at arrival
    assert by_team[FUTURE]["clamped"] and by_team[FUTURE]["accepted"] == by_team[FUTURE]["arrival"]
    plain = by_team[TEAM_IDS[5]]
    assert plain["claimed"] is None and plain["accepted"] == plain["arrival"]
    assert not plain["clamped"]
    next_step(mc)  # close early
    next_step(mc)  # reveal
    # 15 teams right (10 each), WRONG and SILENT 0
    expected = {t: (0 if t in (WRONG, SILENT) else 10) for t in TEAM_IDS}
    assert totals(board.wait(lambda v: v["phase"] == "revealed")) == expected

    # Appeals from tablets ----------------------------------------------------------
    silent, wrong = teams[SILENT], teams[WRONG]
    offer = silent.wait(lambda v: v.get("appeal_offer") is not None)["appeal_offer"]
    assert offer["question"] == "q-single" and offer["until"] > offer_now(silent)
    text = "Đội đã giơ bảng B trước khi hết giờ nhưng máy tính bảng mất kết nối"
    ack = silent.call("appeal", {"question": "q-single", "text": text})
    assert ack["ok"] and ack["appeal"] == 1, ack
    # it reaches the jury at once, and the MC sees one is pending
    pending = jury.wait(lambda v: len(v["appeals"]) == 1)["appeals"][0]
    assert (pending["team"], pending["text"], pending["status"]) == (SILENT, text, "pending")
    assert mc.wait(lambda v: len(v["jury_work"]["appeals_pending"]) == 1)
    assert wrong.call("appeal", {"question": "q-single", "text": "Đáp án A cũng đúng"})["ok"]
    refused = wrong.call("appeal", {"question": "q-single", "text": "Lần nữa"})
    assert refused["error"] == "already_appealed", refused
    forged = wrong.call("appeal", {"question": "q-single", "text": "x", "team": SILENT})
    assert forged["error"] == "bad_request", forged  # the team is the connection's
    too_long = teams[TEAM_IDS[7]].call("appeal", {"question": "q-single", "text": "x" * 501})
    assert too_long["error"] == "bad_request", too_long
    assert mc.call("jury", {"name": "sign_off"})["error"] == "forbidden"
    assert (
        wrong.call("jury", {"name": "decide_appeal", "id": 2, "accept": True, "reason": "x"})[
            "error"
        ]
        == "forbidden"
    )

    jury_do(
        jury,
        "decide_appeal",
        id=1,
        accept=True,
        reason="Băng ghi hình cho thấy đội giơ bảng B đúng giờ",
        kind="set_answer",
        value="B",
    )
    jury_do(jury, "decide_appeal", id=2, accept=False, reason="Đáp án A trái với Nghị định 61")
    expected[SILENT] += 10  # the accepted appeal scores B for SILENT
    mine = silent.wait(lambda v: v["my_appeals"] and v["my_appeals"][0]["status"] == "accepted")
    assert mine["me"]["total"] == 10
    assert mine["my_appeals"][0]["reason"] == "Băng ghi hình cho thấy đội giơ bảng B đúng giờ"
    theirs = wrong.wait(lambda v: v["my_appeals"] and v["my_appeals"][0]["status"] == "rejected")
    assert theirs["my_appeals"][0]["reason"] == "Đáp án A trái với Nghị định 61"
    shown = board.wait(lambda v: len(v["appeals"]) == 1)
    assert shown["appeals"][0]["team_name"] == COMMUNES[16]
    assert totals(shown) == expected

    # MC corrections wait for the jury -------------------------------------------------
    mc_do(mc, "adjust", team=TEAM_IDS[3], delta=5, reason="Trả lời phụ đúng")
    mc_do(mc, "adjust", team=TEAM_IDS[4], delta=-3, reason="Nhắc bài")
    waiting = mc.wait(lambda v: len(v["jury_work"]["proposals"]) == 2)
    assert totals(waiting) == expected  # pending: not counted
    proposals = jury.wait(lambda v: len(v["proposals"]) == 2)["proposals"]
    assert [p["status"] for p in proposals] == ["pending", "pending"]
    jury_do(jury, "review", id=1, approve=True, reason="Đúng quy chế")
    jury_do(jury, "review", id=2, approve=False, reason="Không có căn cứ trừ điểm")
    expected[TEAM_IDS[3]] += 5  # approved; the -3 was rejected
    assert totals(board.wait(lambda v: totals(v) == expected)) == expected
    assert mc.wait(lambda v: v["jury_work"]["proposals"] == [])

    # Finish, sign off, a refused correction, reopen ---------------------------------------
    refused = jury.call("jury", {"name": "sign_off"})
    assert refused["error"] == "not_finished", refused
    for _ in range(60):
        if mc.view["phase"] == "finished":
            break
        before = mc.view["v"]
        next_step(mc)
        mc.wait(lambda v, before=before: v["v"] > before)  # type: ignore[misc]
    assert mc.view["phase"] == "finished"
    jury_do(jury, "sign_off")
    signed = mc.wait(lambda v: v["jury_work"]["signoff"]["signed"])
    assert totals(signed) == expected
    refused = mc.call("command", {"name": "adjust", "team": TEAM_IDS[5], "delta": 1, "reason": "x"})
    assert refused["error"] == "signed_off", refused
    refused = jury.call("jury", {"name": "adjust", "team": TEAM_IDS[5], "delta": 1, "reason": "x"})
    assert refused["error"] == "signed_off", refused
    jury_do(jury, "reopen", reason="Thư ký phát hiện cộng thiếu điểm đội Xã Hợp Tiến")
    jury_do(jury, "adjust", team=TEAM_IDS[5], delta=2, reason="Cộng bù câu hỏi phụ")
    expected[TEAM_IDS[5]] += 2  # the jury's own correction counts at once
    jury_do(jury, "sign_off")
    final = board.wait(lambda v: totals(v) == expected)
    # 14 teams on 10, SILENT on 10, doi-04 on 15, doi-06 on 12, WRONG on 0
    assert sorted(totals(final).values()) == [0, *[10] * 14, 12, 15]
    view = jury.wait(lambda v: len(v["signoff"]["signoffs"]) == 2)
    assert [r["reason"] for r in view["signoff"]["reopenings"]] == [
        "Thư ký phát hiện cộng thiếu điểm đội Xã Hợp Tiến"
    ]

    # The timeline, filtered ----------------------------------------------------------
    line = jury.call("timeline", {"team": SILENT})
    kinds = [e["type"] for e in line["entries"]]
    assert {"AppealFiled", "AppealDecided", "AnswerSetByHand"} <= set(kinds), kinds
    assert all(e["team"] == SILENT for e in line["entries"])
    answers = jury.call("timeline", {"question": "q-single", "team": CLAMPED})["entries"]
    accepted = next(e for e in answers if e["type"] == "AnswerAccepted")
    assert accepted["pressed"] == clamped["accepted"] and accepted["arrival"] == clamped["arrival"]
    assert teams[SILENT].call("timeline", {})["error"] == "forbidden"

    # The minutes and the workbook name every appeal and the jury's decisions
    with requests.Session() as http:
        login = http.post(f"{server.url}/jury", data={"pin": server.info["jury_pin"]}, timeout=5)
        assert login.status_code == 200
        page = http.get(f"{server.url}/minutes", timeout=10).text
    for fragment in (
        text,
        "Đáp án A trái với Nghị định 61",
        "Không có căn cứ trừ điểm",
        "Thư ký phát hiện cộng thiếu điểm đội Xã Hợp Tiến",
        "Ban giám khảo xác nhận kết quả lúc",
    ):
        assert fragment in page, fragment

    # Secrecy: the jury's room reaches the jury only; a tablet sees its own appeals only
    for screen in [board, mc, *teams.values()]:
        for event, frame in screen.frames:
            if event != "state":
                continue
            assert frame["role"] != "jury"
            assert "timings" not in frame and "devices" not in frame and "proposals" not in frame
    for team, screen in teams.items():
        for event, frame in screen.frames:
            if event == "state":
                assert "jury_work" not in frame
                blob = json.dumps(frame.get("my_appeals", []), ensure_ascii=False)
                if team != SILENT:
                    assert text not in blob


def offer_now(screen: Screen) -> int:
    return int(screen.view["now"])
