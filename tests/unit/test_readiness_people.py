"""The readiness grid counts judges and players, not only teams (issue 13: "for
every team (and player and judge, where the contest has them)")."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT

from quiz.web import Config, create_app, readiness
from quiz.web.conn import Conn

DEMO_DAY = ROOT / "question_banks" / "kim-boi-2023.yaml"
PLAYERS = ROOT / "question_banks" / "rung-chuong-vang" / "duy-xuyen.yaml"


def _hub(contest: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    return create_app(Config(contest, tmp_path, async_mode="threading", pin="246810")).hub


def test_judges_have_rows_like_the_teams(tmp_path: Path) -> None:
    hub = _hub(DEMO_DAY, tmp_path)
    judges = hub.service.contest.judges
    conns = [Conn("judge", judges[0].id, judge=judges[0].id, address="10.0.0.9")]
    grid = readiness.section(hub, conns)
    rows = {row["id"]: row for row in grid["judges"]}
    assert list(rows) == [j.id for j in judges]
    assert rows[judges[0].id]["ready"] and rows[judges[0].id]["count"] == 1
    assert not any(rows[j.id]["ready"] for j in judges[1:])
    assert grid["players"] is None


def test_players_are_counted_and_the_missing_listed(tmp_path: Path) -> None:
    hub = _hub(PLAYERS, tmp_path)
    players = hub.service.contest.players
    here = [Conn("player", p.number) for p in players[:100]]
    grid = readiness.section(hub, here)
    summary = grid["players"]
    assert (summary["joined"], summary["of"]) == (100, len(players))
    assert [m["number"] for m in summary["missing"]] == [p.number for p in players[100:130]]
    assert summary["line"].startswith(f"Thí sinh đã vào: 100/{len(players)} — chưa vào: ")
    # Its teams only collect points (no tablets): the players are the hall.
    assert grid["team_devices"] is False
    assert grid["line"] == summary["line"]
