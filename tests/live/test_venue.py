"""The hour before the first question: readiness reports, one device per team
with swaps the MC approves, and the practice question (nothing scored)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clients import Screen, mc_do, next_step
from conftest import MINI_CONTEST, LiveServer, start_server

pytestmark = pytest.mark.live


def test_readiness_reports_are_kept_checked_and_summed_up(live_server: LiveServer) -> None:
    url = live_server.url
    mc = Screen(url, {"role": "mc", "pin": live_server.pin}, "mc")
    bo = Screen(url, {"role": "team", "code": live_server.codes["bo"]}, "bo")
    board = Screen(url, {"role": "board"}, "board")
    try:
        view = mc.wait(lambda v: v["readiness"]["ready"] == 1)
        r = view["readiness"]
        assert r["of"] == 3
        assert r["line"] == "Sẵn sàng: 1/3 — Xã Bình Sơn, Xã Cuối Hạ chưa kết nối"
        build = r["build"]
        assert len(build) == 12
        info = {
            "version": build,
            "screen": {"w": 1280, "h": 800},
            "offset_ms": -1234.4,
            "sync_rtt_ms": 3,
            "wake_lock": "on",
            "battery": {"level": 0.456, "charging": False},
        }
        ack = bo.call("device_info", info)
        assert ack == {"ok": True, "current": True}
        row = mc.wait(lambda v: v["readiness"]["teams"][0]["devices"][0]["screen"] is not None)[
            "readiness"
        ]["teams"][0]["devices"][0]
        assert row["screen"] == {"w": 1280, "h": 800} and row["offset_ms"] == -1234
        assert row["current"] is True and row["wake_lock"] == "on"
        assert row["battery"] == {"level": 0.46, "charging": False}
        assert row["rtt_ms"] is not None  # measured by the server's pings
        assert (
            board.call("device_info", {"version": "old", "sound": True, "fullscreen": False})[
                "current"
            ]
            is False
        )
        boards = mc.wait(lambda v: v["readiness"]["boards"][0]["fullscreen"] is False)
        assert boards["readiness"]["boards"][0]["current"] is False
        # Malformed reports are refused and change nothing.
        v = mc.view["v"]
        for bad in (
            "x",
            {"screen": {"w": 10**9, "h": 5}},
            {"screen": {"w": 5}},
            {"version": "x" * 65},
            {"wake_lock": "maybe"},
            {"battery": {"level": 2}},
            {"offset_ms": float("nan")},
            {"sound": True},  # a tablet has no board sound
            {"other": 1},
        ):
            ack = bo.call("device_info", bad)
            assert ack["ok"] is False and ack["error"] == "bad_request", (bad, ack)
        assert mc.view["readiness"]["teams"][0]["devices"][0]["screen"] == {"w": 1280, "h": 800}
        assert mc.view["v"] == v
    finally:
        for screen in (mc, bo, board):
            screen.close()


def test_a_second_tablet_waits_and_the_mc_approves_or_refuses(live_server: LiveServer) -> None:
    url = live_server.url
    code = live_server.codes["bo"]
    mc = Screen(url, {"role": "mc", "pin": live_server.pin}, "mc")
    first = Screen(url, {"role": "team", "code": code}, "first")
    intruder = Screen(url, {"role": "team", "code": code}, "intruder", wait_view=False)
    second = None
    try:
        wait = intruder.wait_frame("device_wait")
        assert wait["team"] == {"id": "bo", "name": "Thị trấn Bo"}
        assert "đang chờ người dẫn chương trình" in wait["message"]
        assert not intruder.views  # no view of the team while it waits
        # It can neither answer nor buzz.
        next_step(mc)
        next_step(mc)
        next_step(mc)  # q-single open
        ack = intruder.call("answer", {"question": "q-single", "value": "A", "id": "x1"})
        assert ack["ok"] is False and ack["error"] == "forbidden"
        waiting = mc.wait(lambda v: len(v["readiness"]["waiting"]) == 1)["readiness"]["waiting"]
        assert waiting[0]["team"] == "bo" and waiting[0]["address"] == "127.0.0.1"
        assert mc.view["connections"]["bo"] == 1
        # Only the MC decides; an unknown id is refused.
        assert first.call("device", {"id": waiting[0]["id"], "approve": True})["error"] == (
            "forbidden"
        )
        assert mc.call("device", {"id": "d999", "approve": True})["error"] == "unknown_device"
        assert mc.call("device", {"id": waiting[0]["id"]})["error"] == "bad_request"
        ack = mc.call("device", {"id": waiting[0]["id"], "approve": False})
        assert ack["ok"] and ack["approved"] is False
        assert "không duyệt" in intruder.wait_frame("device_refused")["message"]
        mc.wait(lambda v: not v["readiness"]["waiting"])
        # The same tablet reconnecting is not made to wait.
        again = Screen(url, {"role": "team", "code": code, "device": first.auth["device"]}, "again")
        again.close()
        # A replacement tablet (the first one's battery is dying): approved.
        second = Screen(url, {"role": "team", "code": code}, "second", wait_view=False)
        second.wait_frame("device_wait")
        wid = mc.wait(lambda v: len(v["readiness"]["waiting"]) == 1)["readiness"]["waiting"][0]
        ack = mc.call("device", {"id": wid["id"], "approve": True})
        assert ack["ok"] and ack["approved"] and ack["replaced"] == 1
        assert (
            "chuyển đội thi Thị trấn Bo sang thiết bị khác"
            in first.wait_frame("device_replaced")["message"]
        )
        view = second.wait(lambda v: v["role"] == "team")
        assert view["me"]["id"] == "bo" and view["question"]["id"] == "q-single"
        ack = second.call("answer", {"question": "q-single", "value": "B", "id": "s1"})
        assert ack["ok"] and ack["received"]
        assert mc.wait(lambda v: v["connections"]["bo"] == 1)
        # Both decisions are in the journal and in the results' record.
        journal = (live_server.data / "mini-contest" / "journal.jsonl").read_text("utf-8")
        assert journal.count('"DeviceRefused"') == 1 and journal.count('"DeviceApproved"') == 1
    finally:
        for screen in (mc, first, intruder, second):
            if screen is not None:
                screen.close()


def test_devices_per_team_above_one_lets_that_many_in(tmp_path: Path, async_mode: str) -> None:
    contest = tmp_path / "contest.yaml"
    text = MINI_CONTEST.read_text("utf-8") + "devices_per_team: 2\n"
    contest.write_text(text, "utf-8")
    (tmp_path / "mini-bank.yaml").write_text(
        (MINI_CONTEST.parent / "mini-bank.yaml").read_text("utf-8"), "utf-8"
    )
    server = start_server(contest, tmp_path / "data", async_mode)
    screens: list[Screen] = []
    try:
        code = server.codes["bo"]
        mc = Screen(server.url, {"role": "mc", "pin": server.pin}, "mc")
        screens.append(mc)
        screens += [Screen(server.url, {"role": "team", "code": code}, f"t{i}") for i in range(2)]
        third = Screen(server.url, {"role": "team", "code": code}, "t3", wait_view=False)
        screens.append(third)
        third.wait_frame("device_wait")
        view = mc.wait(lambda v: v["connections"]["bo"] == 2 and v["readiness"]["waiting"])
        assert view["readiness"]["devices_per_team"] == 2
        ack = mc.call("device", {"id": view["readiness"]["waiting"][0]["id"], "approve": True})
        assert ack["replaced"] == 1  # the oldest goes; two stay
        screens[1].wait_frame("device_replaced")
        mc.wait(lambda v: v["connections"]["bo"] == 2 and not v["readiness"]["waiting"])
    finally:
        for screen in screens:
            screen.close()
        server.stop()


def test_the_practice_question_is_answered_and_counts_nowhere(live_server: LiveServer) -> None:
    url = live_server.url
    mc = Screen(url, {"role": "mc", "pin": live_server.pin}, "mc")
    bo = Screen(url, {"role": "team", "code": live_server.codes["bo"]}, "bo")
    ch = Screen(url, {"role": "team", "code": live_server.codes["cuoi-ha"]}, "ch")
    try:
        assert bo.call("practice_answer", {"value": "A"})["error"] == "no_practice"
        assert bo.call("practice", {"on": True})["error"] == "forbidden"
        before = mc.view["v"]
        assert mc.call("practice", {"on": True}) == {"ok": True}
        view = bo.wait(lambda v: v["practice"] is not None)
        assert view["practice"]["answer"] is None and len(view["practice"]["choices"]) == 4
        assert bo.call("practice_answer", {"value": "Z"})["error"] == "bad_answer"
        ack = bo.call("practice_answer", {"value": "B"})
        assert ack["ok"] and ack["received"]
        assert bo.wait(lambda v: v["practice"]["answer"] == "B")
        grid = mc.wait(lambda v: v["readiness"]["practice"]["answered"] == 1)["readiness"]
        assert [t["practice"] for t in grid["teams"]] == [True, False, False]
        assert mc.view["v"] == before  # nothing journalled
        mc.call("practice", {"on": False})
        bo.wait(lambda v: v["practice"] is None)
        assert mc.view["readiness"]["practice"]["on"] is False
        next_step(mc)  # the first round starts
        assert mc.call("practice", {"on": True})["error"] == "not_lobby"
        totals = {row["team"]: row["total"] for row in mc.view["scoreboard"]}
        assert set(totals.values()) == {0}
        journal = (live_server.data / "mini-contest" / "journal.jsonl").read_text("utf-8")
        assert "practice" not in journal
        mc_do(mc, "scoreboard", show=True)
    finally:
        for screen in (mc, bo, ch):
            screen.close()


def test_a_player_s_or_judge_s_second_device_waits_for_the_mc_too(
    tmp_path: Path, async_mode: str
) -> None:
    """contest-format.md "Devices": the same holds for players and judges."""
    from conftest import write_people_contest

    path = write_people_contest(tmp_path / "contest")
    server = start_server(path, tmp_path / "data", async_mode)
    url = server.url
    player_code = server.info["player_codes"]["001"]
    judge_code = server.info["judge_codes"]["gk-a"]
    screens: list[Screen] = []
    try:
        mc = Screen(url, {"role": "mc", "pin": server.pin}, "mc")
        phone = Screen(url, {"role": "player", "code": player_code}, "phone")
        judge = Screen(url, {"role": "judge", "code": judge_code}, "judge")
        other_player = Screen(url, {"role": "player", "code": server.info["player_codes"]["002"]})
        screens += [mc, phone, judge, other_player]  # another player's phone never waits
        # The same phone reconnecting (its kept id) is not made to wait.
        again = Screen(url, {"role": "player", "code": player_code, "device": phone.auth["device"]})
        again.close()
        phone2 = Screen(url, {"role": "player", "code": player_code}, "phone2", wait_view=False)
        judge2 = Screen(url, {"role": "judge", "code": judge_code}, "judge2", wait_view=False)
        screens += [phone2, judge2]
        wait = phone2.wait_frame("device_wait")
        assert wait["holder"] == "player" and wait["who"] == {"id": "001", "name": "001 Lê Văn An"}
        assert "Thí sinh 001 Lê Văn An đã có thiết bị khác" in wait["message"]
        assert "team" not in wait
        assert judge2.wait_frame("device_wait")["who"]["name"] == "Giám khảo A"
        assert not phone2.views and not judge2.views  # nothing to see while waiting
        ack = phone2.call("answer", {"question": "q-single", "value": "A", "id": "x1"})
        assert ack["ok"] is False and ack["error"] == "forbidden"
        rows = mc.wait(lambda v: len(v["readiness"]["waiting"]) == 2)["readiness"]["waiting"]
        by_holder = {r["holder"]: r for r in rows}
        assert by_holder["player"]["team"] == "001" and by_holder["judge"]["team"] == "gk-a"
        # The judge's new device is refused; the player moves to the new phone.
        ack = mc.call("device", {"id": by_holder["judge"]["id"], "approve": False})
        assert ack["ok"] and ack["approved"] is False
        assert "cho giám khảo Giám khảo A" in judge2.wait_frame("device_refused")["message"]
        ack = mc.call("device", {"id": by_holder["player"]["id"], "approve": True})
        assert ack["ok"] and ack["approved"] and ack["replaced"] == 1
        assert "chuyển thí sinh 001 Lê Văn An" in phone.wait_frame("device_replaced")["message"]
        view = phone2.wait(lambda v: v["role"] == "player")
        assert view["me"]["number"] == "001"
        assert judge.call("sync", {"c": 1})  # the judge's own device stays connected
        mc.wait(lambda v: not v["readiness"]["waiting"])
        journal = server.data / "mini-contest" / "journal.jsonl"
        lines = journal.read_text("utf-8").splitlines()
        records = [json.loads(r) for r in lines if '"Device' in r]
        assert [(r["type"], r["holder"], r["team"]) for r in records] == [
            ("DeviceRefused", "judge", "gk-a"),
            ("DeviceApproved", "player", "001"),
        ]
        # The results' record names whose device it was.
        import requests

        session = requests.Session()
        session.post(f"{url}/mc", data={"pin": server.pin}, timeout=10)
        csv = session.get(f"{url}/results.csv", timeout=10).content.decode("utf-8-sig")
        assert "Thí sinh 001 Lê Văn An" in csv and "Giám khảo Giám khảo A" in csv
    finally:
        for screen in screens:
            screen.close()
        server.stop()
