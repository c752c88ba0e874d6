"""Prizes from the contest file, the ceremony after the last round, and the
round summary between rounds."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from support import T0, Game, contest, q_single

from quiz.files.bank import LoadError, load_contest
from quiz.rules.commands import (
    AdjustScore,
    CeremonyNext,
    OpenAnswers,
    Reveal,
    ShowQuestion,
    ShowRoundSummary,
    StartRound,
    SubmitAnswer,
)
from quiz.rules.model import AllSettings, Prize, Team
from quiz.rules.views import board_view, mc_view, next_step, team_view

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TEAMS6 = tuple(Team(f"t{i}", f"Xã {i}") for i in range(1, 7))
PRIZES = (
    Prize("Giải Nhất", 1),
    Prize("Giải Nhì", 1),
    Prize("Giải Ba", 1),
    Prize("Giải Khuyến khích", None),
)


def finished(prizes: tuple[Prize, ...] = PRIZES) -> Game:
    c = replace(contest(("all", [q_single("s1")], AllSettings()), teams=TEAMS6), prizes=prizes)
    game = Game(c)
    game.at(0).do(StartRound())
    for i, team in enumerate(["t1", "t2", "t3", "t4", "t5", "t6"]):
        game.do(AdjustScore(team, 60 - 10 * i, "điểm phần trước"))
    game.do(StartRound())  # after the last round: finished
    return game


def test_the_ceremony_reveals_from_the_last_prize_to_the_first() -> None:
    game = finished()
    assert next_step(game.contest, game.state)["label"] == "Công bố Giải Khuyến khích (3 đội)"
    board = board_view(game.contest, game.state, game.now)
    assert board["ceremony"]["prizes"] == [] and board["ceremony"]["podium"] == []
    names = []
    for step in range(1, 5):
        game.do(CeremonyNext(step=step))
        board = board_view(game.contest, game.state, game.now)
        names.append(board["ceremony"]["current"])
        # only what has been revealed reaches the board
        assert len(board["ceremony"]["prizes"]) == step
    assert names == ["Giải Khuyến khích", "Giải Ba", "Giải Nhì", "Giải Nhất"]
    podium = board["ceremony"]["podium"]
    assert [(p["team"], p["prize"]) for p in podium] == [
        ("t1", "Giải Nhất"),
        ("t2", "Giải Nhì"),
        ("t3", "Giải Ba"),
    ]
    assert next_step(game.contest, game.state)["command"] is None
    game.refuse(CeremonyNext(), "ceremony_done")


def test_a_prize_not_yet_revealed_stays_secret_but_the_mc_sees_what_is_next() -> None:
    game = finished()
    game.do(CeremonyNext())
    board = board_view(game.contest, game.state, game.now)
    assert "Giải Nhất" not in str(board["ceremony"])
    assert team_view(game.contest, game.state, "t1", game.now)["prize"] is None
    assert team_view(game.contest, game.state, "t5", game.now)["prize"] == "Giải Khuyến khích"
    mc = mc_view(game.contest, game.state, game.now)["ceremony"]
    assert mc["next"] == {"name": "Giải Ba", "teams": 1}
    assert [p["revealed"] for p in mc["prizes"]] == [False, False, False, True]


def test_tied_teams_at_a_boundary_share_the_better_prize() -> None:
    game = finished()
    game.do(AdjustScore("t3", 10, "bằng điểm đội 2"))  # t2 and t3 both 50 now
    for _ in range(3):
        game.do(CeremonyNext())
    prizes = board_view(game.contest, game.state, game.now)["ceremony"]["prizes"]
    won = {p["name"]: [t["team"] for t in p["teams"]] for p in prizes}
    assert won["Giải Nhì"] == ["t2", "t3"]
    assert won["Giải Ba"] == ["t4"]


def test_the_ceremony_needs_the_end_of_the_contest_and_prizes() -> None:
    game = finished(prizes=())
    game.refuse(CeremonyNext(), "no_prizes")
    assert board_view(game.contest, game.state, game.now)["ceremony"] is None
    early = Game(replace(contest(("all", [q_single("s1")], AllSettings())), prizes=PRIZES))
    early.at(0).do(StartRound())
    early.refuse(CeremonyNext(), "not_finished")


def test_the_round_summary_shows_round_points_totals_and_rank_changes() -> None:
    c = contest(("all", [q_single("s1")], AllSettings()), ("all", [q_single("s2")], AllSettings()))
    game = Game(c)
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    game.at(1).do(OpenAnswers("s1"))
    game.at(2).do(SubmitAnswer("s1", "t1", "B", T0 + 2))
    game.at(30).do(Reveal("s1"))
    offer = mc_view(game.contest, game.state, game.now)["offer"]
    assert offer == {"command": "summary", "show": True, "label": "Tổng kết phần thi trên màn hình"}
    game.do(ShowRoundSummary(True))
    summary = board_view(game.contest, game.state, game.now)["summary"]
    assert summary["title"] == "Vòng 1"
    assert summary["rows"][0] == {
        "team": "t1",
        "name": "Xã 1",
        "round_points": 10,
        "total": 10,
        "rank": 1,
        "previous_rank": None,
    }
    game.do(StartRound())
    assert board_view(game.contest, game.state, game.now)["summary"] is None
    game.do(ShowQuestion())
    game.at(31).do(OpenAnswers("s2"))
    game.at(32).do(SubmitAnswer("s2", "t2", "B", T0 + 32))
    game.at(33).do(SubmitAnswer("s2", "t3", "B", T0 + 33))
    game.at(60).do(Reveal("s2"))
    game.do(ShowRoundSummary(True))
    rows = {r["team"]: r for r in board_view(game.contest, game.state, game.now)["summary"]["rows"]}
    assert rows["t2"]["round_points"] == 10 and rows["t2"]["total"] == 10
    assert rows["t1"]["round_points"] == 0 and rows["t1"]["previous_rank"] == 1
    # t2 answered as fast as t1 did in round 1 (1 s): they share rank 1
    assert (rows["t2"]["previous_rank"], rows["t2"]["rank"]) == (2, 1)
    assert (rows["t3"]["previous_rank"], rows["t3"]["rank"]) == (2, 3)


def _contest_file(tmp_path: Path, prizes: str) -> Path:
    text = (FIXTURES / "mini-contest.yaml").read_text(encoding="utf-8")
    folder = tmp_path / "c"
    folder.mkdir()
    for bank in FIXTURES.glob("*.yaml"):
        (folder / bank.name).write_text(bank.read_text(encoding="utf-8"), encoding="utf-8")
    path = folder / "mini-contest.yaml"
    path.write_text(text.rstrip("\n") + "\n" + prizes, encoding="utf-8")
    return path


def test_prizes_are_read_from_the_contest_file(tmp_path: Path) -> None:
    path = _contest_file(
        tmp_path,
        "prizes:\n  - {name: Giải Nhất, count: 1}\n  - {name: Giải Khuyến khích, count: rest}\n",
    )
    prizes = load_contest(path).prizes
    assert [(p.name, p.count) for p in prizes] == [("Giải Nhất", 1), ("Giải Khuyến khích", None)]


@pytest.mark.parametrize(
    ("prizes", "message"),
    [
        ("  - {name: Nhất, count: 0}\n", "count must be a whole number >= 1 or rest"),
        ("  - {name: Nhất, count: rest}\n  - {name: Nhì, count: 1}\n", "only for the last"),
        ("  - {name: Nhất}\n", "missing key 'count'"),
        ("  - {name: Nhất, count: 1, cup: yes}\n", "unknown key 'cup'"),
        ("  - {name: Nhất, count: 1}\n  - {name: Nhất, count: 2}\n", "listed twice"),
    ],
)
def test_a_bad_prize_names_its_file_and_line(tmp_path: Path, prizes: str, message: str) -> None:
    path = _contest_file(tmp_path, "prizes:\n" + prizes)
    with pytest.raises(LoadError) as info:
        load_contest(path)
    text = str(info.value)
    assert message in text, text
    assert re.search(rf"{re.escape(path.name)}:\d+", text), text
