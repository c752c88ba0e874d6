"""SIGKILL in the middle of a question: every acknowledged answer survives,
and the final scores equal those of the same round played without a crash."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from clients import Screen, mc_do, next_step
from conftest import TEAM_IDS, LiveServer, start_server, write_contest

pytestmark = pytest.mark.live

# q-single (answer B): everyone answers; t0, t3, t6... answer wrong.
SCRIPT_SINGLE = {t: ("A" if i % 3 == 0 else "B") for i, t in enumerate(TEAM_IDS)}
# q-tf (answer true): even teams answer right, odd teams wrong.
SCRIPT_TF = {t: i % 2 == 0 for i, t in enumerate(TEAM_IDS)}


def connect_all(server: LiveServer) -> tuple[Screen, dict[str, Screen]]:
    mc = Screen(server.url, {"role": "mc", "pin": server.pin}, "mc")
    with ThreadPoolExecutor(8) as pool:
        screens = pool.map(
            lambda t: Screen(server.url, {"role": "team", "code": server.codes[t]}, t), TEAM_IDS
        )
        return mc, dict(zip(TEAM_IDS, screens, strict=True))


def close_all(mc: Screen, teams: dict[str, Screen]) -> None:
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(Screen.close, [mc, *teams.values()]))


def send_answers(
    teams: dict[str, Screen], qid: str, script: dict[str, Any], timeout: float = 10.0
) -> dict[str, Any]:
    """Each team sends its answer; returns the acks that arrived (by team)."""
    acks: dict[str, Any] = {}
    lock = threading.Lock()

    def send(team: str) -> None:
        try:
            ack = teams[team].call(
                "answer", {"question": qid, "value": script[team], "id": f"{team}-{qid}"}, timeout
            )
        except Exception:
            return  # in flight when the server died: never acknowledged
        with lock:
            acks[team] = ack

    with ThreadPoolExecutor(17) as pool:
        list(pool.map(send, list(script)))
    return acks


def finish_question(mc: Screen, qid: str) -> None:
    mc.wait(lambda v: v["question"]["id"] == qid)
    if mc.view["next"]["command"] == "resume":
        next_step(mc)
    if mc.view["phase"] == "open":
        mc_do(mc, "close", question=qid)
    mc_do(mc, "reveal", question=qid)


def final_scores(mc: Screen) -> dict[str, Any]:
    view = mc.wait(lambda v: v["phase"] == "revealed" and v["question"]["id"] == "q-tf")
    # totals and correct counts; ranks among equal totals follow real answer times
    return {row["team"]: (row["total"], row["correct"]) for row in view["scoreboard"]}


def play(contest: Path, data: Path, async_mode: str, crash: bool) -> dict[str, Any]:
    server = start_server(contest, data, async_mode)
    mc, teams = connect_all(server)
    try:
        next_step(mc)  # start the round
        next_step(mc)  # show q-single
        next_step(mc)  # open
        for screen in teams.values():
            screen.wait(lambda v: v["phase"] == "open")
        if crash:
            acked: dict[str, Any] = {}
            killer = threading.Timer(0.03, server.kill)  # dies while answers are in flight
            killer.start()
            acked = send_answers(teams, "q-single", SCRIPT_SINGLE, timeout=2.0)
            killer.join()
            acked = {t: a for t, a in acked.items() if a.get("ok")}
            close_all(mc, teams)
            server = start_server(contest, data, async_mode)  # the same journal
            mc, teams = connect_all(server)
            view = mc.wait(lambda v: v["question"] is not None)
            assert view["phase"] == "open" and view["next"]["command"] == "resume"
            assert view["clock"]["running"] is False  # resumed paused
            recorded = {a["team"]: a["answer"] for a in view["answers"]}
            for team in acked:  # every acknowledged answer is there
                assert recorded[team] == SCRIPT_SINGLE[team], team
            # Tablets resend what was never acknowledged (same id: harmless if it got in).
            missing = {t: v for t, v in SCRIPT_SINGLE.items() if t not in acked}
            next_step(mc)  # the MC resumes the clock
            again = send_answers(teams, "q-single", missing)
            assert all(a["ok"] for a in again.values()), again
            crash_stats = (len(acked), len(missing))
        else:
            send_answers(teams, "q-single", SCRIPT_SINGLE)
            crash_stats = (17, 0)
        mc.wait(lambda v: sum(1 for a in v["answers"] if a["answer"]) == 17)
        finish_question(mc, "q-single")
        next_step(mc)  # show q-tf
        next_step(mc)  # open
        send_answers(teams, "q-tf", SCRIPT_TF)
        mc_do(mc, "close", question="q-tf")
        if crash:  # a second crash between time up and the reveal
            close_all(mc, teams)
            server.kill()
            server = start_server(contest, data, async_mode)
            mc, teams = connect_all(server)
            assert mc.wait(lambda v: v["question"] is not None)["phase"] == "closed"
        mc_do(mc, "reveal", question="q-tf")
        scores = final_scores(mc)
        scores["_stats"] = crash_stats
        return scores
    finally:
        close_all(mc, teams)
        server.stop()


def test_sigkill_mid_question_loses_nothing_acknowledged(tmp_path: Path, async_mode: str) -> None:
    contest = write_contest(tmp_path / "contest")
    calm = play(contest, tmp_path / "calm", async_mode, crash=False)
    stormy = play(contest, tmp_path / "stormy", async_mode, crash=True)
    calm.pop("_stats")
    acked, resent = stormy.pop("_stats")
    print(f"crash: {acked} answers acknowledged before SIGKILL, {resent} resent after")
    assert stormy == calm
    assert acked + resent == 17
    expected_b = sum(1 for v in SCRIPT_SINGLE.values() if v == "B")
    assert sorted(t for t, (total, _) in calm.items() if total >= 10)  # someone scored
    assert sum(total for total, _ in calm.values()) == 10 * (
        expected_b + sum(1 for v in SCRIPT_TF.values() if v)
    )
