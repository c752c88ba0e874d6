"""`players:` of a contest: a YAML list, a csv or xlsx roster, each problem by
row; the demo Rung chuông vàng contest loads with a strict check."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from quiz.files.bank import LoadError, load_contest
from quiz.files.check import run_check

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "question_banks" / "rung-chuong-vang" / "duy-xuyen.yaml"

BANK = """\
bank: b
title: B
questions:
  - {id: a1, type: true_false, text: "Một?", answer: true}
  - {id: a2, type: true_false, text: "Hai?", answer: false}
  - {id: a3, type: true_false, text: "Ba?", answer: true}
"""

HEAD = """\
contest: rcv
title: Rung chuông vàng
banks: [bank.yaml]
"""

ROUND = """\
rounds:
  - id: rcv
    title: Rung chuông vàng
    format: elimination
    questions: [a1, a2]
"""


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def contest(folder: Path, players: str, teams: str = "", rounds: str = ROUND) -> str:
    write(folder, "bank.yaml", BANK)
    return write(folder, "contest.yaml", HEAD + teams + players + rounds)


def problems(path: str) -> list[str]:
    with pytest.raises(LoadError) as info:
        load_contest(path)
    return [str(p) for p in info.value.problems]


def test_a_yaml_list_of_players_without_teams(tmp_path: Path) -> None:
    path = contest(
        tmp_path,
        "players:\n  - {number: '001', name: Lê Văn An}\n"
        "  - {number: '002', name: Trần Thị Hoa, team: Xã A}\n",
    )
    c = load_contest(path)
    assert [(p.number, p.name, p.team, p.unit) for p in c.players] == [
        ("001", "Lê Văn An", None, None),
        ("002", "Trần Thị Hoa", None, "Xã A"),
    ]
    assert c.teams == ()


def test_a_csv_roster_matches_units_to_teams_by_id_or_name(tmp_path: Path) -> None:
    write(
        tmp_path, "ts.csv", "STT;SBD;Họ và tên;Đơn vị\n1;001;Lê Văn An;Xã A\n2;002;Trần Thị Hoa;b\n"
    )
    teams = "teams:\n  - {id: a, name: Xã A}\n  - {id: b, name: Xã B}\n"
    c = load_contest(contest(tmp_path, "players: ts.csv\n", teams))
    assert [(p.number, p.team, p.row) for p in c.players] == [("001", "a", 2), ("002", "b", 3)]


def test_every_roster_problem_is_named_by_its_row(tmp_path: Path) -> None:
    roster = write(
        tmp_path,
        "ts.csv",
        "SBD,Họ và tên,Đơn vị\n001,Lê Văn An,Xã A\n001,Trần Thị Hoa,Xã A\n,Không số,Xã A\n"
        "004,,Xã A\n005,Phạm Văn Tư,Xã Không Có\n",
    )
    teams = "teams:\n  - {id: a, name: Xã A}\n"
    found = problems(contest(tmp_path, "players: ts.csv\n", teams))
    assert found == [
        f"{roster}:3: SBD '001' is already used (row 2)",
        f"{roster}:4: SBD is empty",
        f"{roster}:5: SBD '004': Họ và tên is empty",
        f"{roster}:6: player '005': Đơn vị 'Xã Không Có' is not a team id or team name "
        "of this contest",
    ]


def test_a_roster_without_its_columns_is_refused_at_the_header(tmp_path: Path) -> None:
    roster = write(tmp_path, "ts.csv", "Số thứ tự,Tên\n1,An\n")
    found = problems(contest(tmp_path, "players: ts.csv\n"))
    assert f"{roster}:1: missing column 'SBD'" in found
    assert f"{roster}:1: missing column 'Họ và tên'" in found


def test_an_xlsx_roster(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["SBD", "Họ và tên", "Đơn vị"])
    sheet.append([1, "Lê Văn An", None])
    sheet.append(["002", "Trần Thị Hoa", None])
    book.save(tmp_path / "ts.xlsx")
    c = load_contest(contest(tmp_path, "players: ts.xlsx\n"))
    assert [p.number for p in c.players] == ["1", "002"]


def test_a_missing_roster_file_and_an_elimination_round_without_players(tmp_path: Path) -> None:
    path = contest(tmp_path, "players: nowhere.csv\n")
    assert any("players file 'nowhere.csv' not found" in p for p in problems(path))
    teams = "teams:\n  - {id: a, name: Xã A}\n  - {id: b, name: Xã B}\n"
    path = contest(tmp_path, "", teams)
    assert any("(elimination) needs the contest's players:" in p for p in problems(path))


def test_rescue_settings_are_checked_at_their_line(tmp_path: Path) -> None:
    rounds = ROUND + "    rescue: {max: 1, modes: [all, save], questions: [a2, zz]}\n"
    found = problems(contest(tmp_path, "players:\n  - {number: '1', name: An}\n", rounds=rounds))
    assert any(":11: " in p and "rescue mode 'save'" in p for p in found), found
    assert any("rescue question 'a2' is already asked" in p for p in found), found
    assert any("rescue question 'zz' is not in the banks" in p for p in found), found


def test_a_rescue_question_s_problem_is_at_its_own_line(tmp_path: Path) -> None:
    rounds = ROUND + "    rescue:\n      questions:\n        - a3\n        - zz\n        - a3\n"
    path = contest(tmp_path, "players:\n  - {number: '1', name: An}\n", rounds=rounds)
    found = problems(path)
    assert f"{path}:14: round 'rcv': rescue question 'zz' is not in the banks" in found, found
    assert f"{path}:15: round 'rcv': rescue question 'a3' is already asked in the contest" in (
        found
    ), found


def test_unwritten_rescue_modes_leave_out_question_when_there_are_no_rescue_questions(
    tmp_path: Path,
) -> None:
    players = "players:\n  - {number: '1', name: An}\n"
    for rescue, modes in (
        ("", ("all", "pick")),
        ("    rescue: {}\n", ("all", "pick")),
        ("    rescue: {max: 2}\n", ("all", "pick")),
        ("    rescue: {questions: [a3]}\n", ("all", "question", "pick")),
    ):
        c = load_contest(contest(tmp_path, players, rounds=ROUND + rescue))
        assert c.rounds[0].settings.rescue_modes == modes, rescue  # type: ignore[attr-defined]
    written = ROUND + "    rescue: {modes: [question]}\n"
    found = problems(contest(tmp_path, players, rounds=written))
    assert any("rescue mode 'question' needs rescue.questions" in p for p in found), found


def test_players_make_teams_optional_only_with_an_elimination_round(tmp_path: Path) -> None:
    players = "players:\n  - {number: '1', name: An}\n"
    plain = "rounds:\n  - {id: chung, title: Chung, format: all, questions: [a1, a2]}\n"
    path = contest(tmp_path, players, rounds=plain)
    assert problems(path) == [f"{path}:1: missing key 'teams'"]
    assert load_contest(contest(tmp_path, players)).teams == ()


def test_a_listed_player_s_number_follows_the_roster_s_sbd_rule(tmp_path: Path) -> None:
    path = contest(
        tmp_path, "players:\n  - {number: '001', name: An}\n  - {number: TS 02, name: B}\n"
    )
    assert problems(path) == [
        f"{path}:6: player #2: number 'TS 02' must be up to 20 letters or digits"
    ]


def test_the_demo_contest_has_120_players_and_passes_a_strict_check() -> None:
    c = load_contest(DEMO)
    assert len(c.players) == 120
    assert all(p.team for p in c.players)
    assert len({p.number for p in c.players}) == 120
    out, err = io.StringIO(), io.StringIO()
    assert run_check([str(DEMO)], out, err, strict=True) == 0, err.getvalue()
    assert "120 players" in out.getvalue()
