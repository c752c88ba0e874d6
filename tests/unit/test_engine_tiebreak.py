"""Scenarios for format `tiebreak` (câu hỏi phụ) and the prizes' ties."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest
from support import T0, Game, contest, q_number, q_single, q_text

from quiz.files.bank import LoadError, load_contest
from quiz.rules import engine, views
from quiz.rules.commands import (
    Buzz,
    DrawLots,
    Judge,
    OpenAnswers,
    Reveal,
    SelectTiebreak,
    ShowQuestion,
    StartRound,
    SubmitAnswer,
)
from quiz.rules.events import LotsDrawn, TiebreakSelected, from_record, to_record
from quiz.rules.formats.tiebreak_state import TiebreakSettings
from quiz.rules.model import AllSettings, Contest, Phase, Prize, Team
from quiz.rules.scoring import standings

TEAMS = tuple(Team(f"t{i}", f"Xã {i}") for i in range(1, 7))
PRIZES = (Prize("Giải Nhất", 1), Prize("Giải Nhì", 1), Prize("Giải Ba", 1))


def build(tiebreak: TiebreakSettings, questions: list, prizes: tuple = PRIZES) -> Contest:
    first = [q_single("s1"), q_single("s2")]
    c = contest(
        ("all", first, AllSettings()),
        ("tiebreak", questions, tiebreak),
        teams=TEAMS,
        tiebreak=("correct_count", "tiebreak_round"),
    )
    return replace(c, prizes=prizes)


def after_round_one(c: Contest, right: dict[str, int]) -> Game:
    """Round 1 played: each team answers `right[team]` of the two questions right."""
    game = Game(c)
    game.at(0).do(StartRound())
    for n, qid in enumerate(("s1", "s2")):
        base = 10 * n
        game.at(base + 1).do(ShowQuestion())
        game.at(base + 2).do(OpenAnswers(qid))
        for team in (t.id for t in TEAMS):
            value = "B" if right.get(team, 0) > n else "A"
            game.at(base + 3).do(SubmitAnswer(qid, team, value, T0 + base + 3))
        game.at(base + 30).tick()
        game.at(base + 31).do(Reveal(qid))
    game.at(100).do(StartRound())
    return game


# t1 20 points; t2, t3, t4 10 (places 2-4: across Nhì/Ba and Ba/none); t5, t6 0 (decides nothing)
THREE_WAY = {"t1": 2, "t2": 1, "t3": 1, "t4": 1}
BUZZER = TiebreakSettings(rebound=False)


def order(game: Game) -> list[str]:
    return [s.team for s in standings(game.contest, game.state)]


def test_tie_across_a_prize_boundary_is_proposed_and_a_tie_deciding_nothing_is_not() -> None:
    game = after_round_one(build(BUZZER, [q_text("x1")]), THREE_WAY)
    mc = views.mc_view(game.contest, game.state, game.now)
    assert mc["next"]["command"] == "tiebreak_select"
    assert mc["next"]["groups"] == [["t2", "t3", "t4"]]
    proposal = mc["tiebreak"]["proposal"]
    assert [(p["teams"], p["rank"], p["prize"]) for p in proposal] == [
        (["t2", "t3", "t4"], 2, "Giải Nhì")
    ]
    assert [[t["id"] for t in g] for g in mc["tiebreak"]["not_deciding"]] == [["t5", "t6"]]
    game.refuse(ShowQuestion(), "no_selection")


def test_no_tie_at_a_prize_boundary_proposes_skipping_the_round() -> None:
    # t1 20, t2 10, t3..t6 0: the 0-point tie sits wholly outside the prizes
    game = after_round_one(build(BUZZER, [q_text("x1")]), {"t1": 2, "t2": 1, "t3": 1})
    game_no_tie = after_round_one(
        build(BUZZER, [q_text("x1")], prizes=(Prize("Giải Nhất", 1), Prize("Giải Nhì", 2))),
        {"t1": 2, "t2": 1, "t3": 1},
    )
    assert views.next_step(game.contest, game.state)["command"] == "tiebreak_select"
    step = views.next_step(game_no_tie.contest, game_no_tie.state)
    assert step["command"] == "start_round" and step["skip"] is True
    assert "bỏ qua" in step["label"]
    game_no_tie.at(101).do(StartRound())
    assert game_no_tie.state.phase == Phase.FINISHED
    assert game_no_tie.state.tiebreaks == {}


def test_sudden_death_over_several_questions_in_buzzer_mode() -> None:
    qs = [q_text("x1", ("một",)), q_text("x2", ("hai",)), q_text("x3", ("ba",))]
    game = after_round_one(build(BUZZER, qs), THREE_WAY)
    totals = game.totals()
    game.at(101).do(SelectTiebreak((("t2", "t3", "t4"),)))
    # question 1: t2 buzzes first and is wrong; no rebound: nobody is placed
    game.at(102).do(ShowQuestion())
    game.at(103).do(OpenAnswers("x1"))
    game.refuse(Buzz("x1", "t1", T0 + 103.5, 0.1), "not_playing")
    game.at(104).do(Buzz("x1", "t2", T0 + 104, 0.1))
    game.at(104.2).tick()
    game.at(105).do(Judge("x1", "t2", False))
    game.at(106).do(Reveal("x1"))
    assert order(game)[1:4] == ["t2", "t3", "t4"]  # still level (contest order)
    assert game.ranks()["t3"] == 2 and game.ranks()["t4"] == 2
    # question 2: t3 right -> first of the three
    game.at(110).do(ShowQuestion())
    game.at(111).do(OpenAnswers("x2"))
    game.at(112).do(Buzz("x2", "t3", T0 + 112, 0.1))
    game.at(112.2).tick()
    game.at(113).do(Judge("x2", "t3", True))
    game.at(114).do(Reveal("x2"))
    assert order(game)[1] == "t3"
    # question 3: only t2 and t4 play; t4 right -> t2 last
    game.at(120).do(ShowQuestion())
    game.at(121).do(OpenAnswers("x3"))
    game.refuse(Buzz("x3", "t3", T0 + 121.5, 0.1), "not_playing")
    game.at(122).do(Buzz("x3", "t4", T0 + 122, 0.1))
    game.at(122.2).tick()
    game.at(123).do(Judge("x3", "t4", True))
    game.at(124).do(Reveal("x3"))
    assert order(game) == ["t1", "t3", "t4", "t2", "t5", "t6"]
    ranks = game.ranks()
    assert [ranks[t] for t in ("t1", "t3", "t4", "t2")] == [1, 2, 3, 4]
    assert game.totals() == totals  # the round's points never add to totals
    board = views.board_view(game.contest, game.state, game.now)
    rows = {r["team"]: r for r in board["scoreboard"]}
    assert rows["t3"]["tiebreak"] == "câu hỏi phụ 2"
    assert rows["t4"]["tiebreak"] == "câu hỏi phụ 3" and rows["t2"]["tiebreak"] == "câu hỏi phụ 3"
    assert rows["t1"]["tiebreak"] is None
    assert board["tiebreaks"][0]["done"] is True
    # every tie ordered: nothing more to show; the MC moves on
    assert views.next_step(game.contest, game.state)["command"] == "start_round"
    assert engine.replay(game.contest, game.log) == game.state


def test_closest_answer_wins_and_equal_distance_goes_to_the_earlier_answer() -> None:
    settings = TiebreakSettings(mode="closest")
    c = build(settings, [q_number("n1", 41.0), q_number("n2", 100.0)])
    game = after_round_one(c, {"t1": 2, "t2": 1, "t3": 1})
    game.at(101).do(SelectTiebreak((("t2", "t3"),)))
    game.at(102).do(ShowQuestion())
    game.at(103).do(OpenAnswers("n1"))
    game.refuse(SubmitAnswer("n1", "t4", "41", T0 + 103.2), "not_playing")
    game.at(104).do(SubmitAnswer("n1", "t2", "40", T0 + 104.0))  # distance 1, later
    events = game.at(104.5).do(SubmitAnswer("n1", "t3", "42", T0 + 103.5))  # distance 1, earlier
    assert game.state.phase == Phase.CLOSED  # every selected team answered
    assert events[-1].reason == "all_answered"
    team_view = views.team_view(game.contest, game.state, "t2", game.now)
    assert team_view["playing"] is True and "closest" not in team_view
    game.at(106).do(Reveal("n1"))
    assert order(game)[:3] == ["t1", "t3", "t2"]
    board = views.board_view(game.contest, game.state, game.now)
    assert [r["team"] for r in board["closest"]] == ["t3", "t2"]
    assert views.team_view(game.contest, game.state, "t5", game.now)["playing"] is False
    # all ordered: the round has nothing left to ask
    game.refuse(ShowQuestion(), "round_over")


def test_an_answer_set_by_hand_changes_who_won_and_undo_restores_it() -> None:
    # A tablet failed and the jury enters the answer the team wrote on paper.
    from quiz.rules.commands import SetAnswer, Undo

    settings = TiebreakSettings(mode="closest")
    c = build(settings, [q_number("n1", 41.0), q_number("n2", 100.0)])
    game = after_round_one(c, {"t1": 2, "t2": 1, "t3": 1})
    game.at(101).do(SelectTiebreak((("t2", "t3"),)))
    game.at(102).do(ShowQuestion())
    game.at(103).do(OpenAnswers("n1"))
    game.at(104).do(SubmitAnswer("n1", "t2", "30", T0 + 104.0))
    game.at(104.5).do(SubmitAnswer("n1", "t3", "45", T0 + 103.5))
    game.at(106).do(Reveal("n1"))
    assert order(game)[:3] == ["t1", "t3", "t2"]
    game.at(107).do(SetAnswer("n1", "t2", "viết trên giấy: 41", value=41))
    assert order(game)[:3] == ["t1", "t2", "t3"]
    correction = game.state.corrections[-1].id
    game.at(108).do(Undo(reason="nhầm", id=correction))
    assert order(game)[:3] == ["t1", "t3", "t2"]


def test_lots_drawn_by_the_server_are_seeded_journalled_and_final() -> None:
    qs = [q_text("x1", ("một",))]
    game = after_round_one(build(BUZZER, qs), THREE_WAY)
    game.at(101).do(SelectTiebreak((("t2", "t3", "t4"),)))
    game.refuse(DrawLots(), "questions_left")
    game.at(102).do(ShowQuestion())
    game.at(103).do(OpenAnswers("x1"))
    game.at(103.5).do(Buzz("x1", "t4", T0 + 103.5, 0.1))
    game.at(103.7).tick()
    game.at(104).do(Judge("x1", "t4", True))  # t4 first; t2, t3 still level
    game.at(105).do(Reveal("x1"))
    assert views.next_step(game.contest, game.state)["command"] == "draw_lots"
    game.refuse(DrawLots(order=(("t2", "t3"),)), "server_lots")
    events = game.at(106).do(DrawLots(seed=7))
    drawn = [e for e in events if isinstance(e, LotsDrawn)]
    expected = ["t2", "t3"]
    random.Random(7).shuffle(expected)
    assert drawn[0].seed == 7 and drawn[0].groups == [expected] and drawn[0].kind == "server"
    assert order(game)[1:4] == ["t4", *expected]
    game.refuse(DrawLots(seed=8), "lots_drawn")
    board = views.board_view(game.contest, game.state, game.now)
    assert board["tiebreak"]["lots"]["seed"] == 7
    # journalled as JSON: replay rebuilds the same state
    records = [json.loads(json.dumps(to_record(e))) for e in game.log]
    assert engine.replay(game.contest, [from_record(r) for r in records]) == game.state


def test_lots_without_a_seed_take_one_from_the_time_and_journal_it() -> None:
    game = after_round_one(build(BUZZER, [q_text("x1")]), {"t1": 2, "t2": 1, "t3": 1})
    game.at(101).do(SelectTiebreak((("t2", "t3"),)))
    game.at(102).do(ShowQuestion())
    game.at(103).do(OpenAnswers("x1"))
    game.at(120).tick()  # nobody buzzes
    game.at(121).do(Reveal("x1"))
    (event,) = game.at(122.345).do(DrawLots())
    assert isinstance(event, LotsDrawn) and event.seed == int((T0 + 122.345) * 1000) % 10**6


def test_lots_drawn_in_the_hall_are_recorded_as_given() -> None:
    settings = TiebreakSettings(lots="hall", rebound=False)
    game = after_round_one(build(settings, [q_text("x1")]), THREE_WAY)
    game.at(101).do(SelectTiebreak((("t2", "t3", "t4"),)))
    game.at(102).do(ShowQuestion())
    game.at(103).do(OpenAnswers("x1"))
    game.at(120).tick()
    game.at(121).do(Reveal("x1"))
    game.refuse(DrawLots(), "order_required")
    game.refuse(DrawLots(order=(("t2", "t3"),)), "bad_order")
    game.refuse(DrawLots(order=(("t2", "t3", "t3"),)), "bad_order")
    game.at(122).do(DrawLots(order=(("t4", "t2", "t3"),)))
    assert order(game) == ["t1", "t4", "t2", "t3", "t5", "t6"]
    how = views.board_view(game.contest, game.state, game.now)["scoreboard"]
    assert {r["team"]: r.get("tiebreak") for r in how}["t2"] == "bốc thăm"
    step = views.next_step(game.contest, game.state)
    assert step["command"] == "start_round"


def test_the_mc_may_change_the_selection_before_the_first_question() -> None:
    qs = [q_text("x1", ("một",)), q_text("x2", ("hai",))]
    game = after_round_one(build(BUZZER, qs), THREE_WAY)
    game.refuse(SelectTiebreak((("t2",),)), "group_too_small")
    game.refuse(SelectTiebreak((("t2", "t9"),)), "unknown_team")
    game.refuse(SelectTiebreak((("t2", "t3"), ("t3", "t4"))), "team_twice")
    game.refuse(SelectTiebreak(()), "no_teams")
    game.at(101).do(SelectTiebreak((("t2", "t3", "t4"),)))
    events = game.at(101.5).do(SelectTiebreak((("t2", "t3"),)))  # t4 left out
    assert events == [TiebreakSelected(at=T0 + 101.5, round=1, groups=[["t2", "t3"]])]
    game.at(102).do(ShowQuestion())
    game.refuse(SelectTiebreak((("t2", "t4"),)), "started")
    game.at(103).do(OpenAnswers("x1"))
    game.refuse(Buzz("x1", "t4", T0 + 103.2, 0.1), "not_playing")
    game.at(103.5).do(Buzz("x1", "t2", T0 + 103.5, 0.1))
    game.at(103.7).tick()
    game.at(104).do(Judge("x1", "t2", True))
    game.at(105).do(Reveal("x1"))
    # t2 first, t3 second (last left); t4, not played, comes after the teams it decided
    assert order(game)[:4] == ["t1", "t2", "t3", "t4"]
    assert game.ranks()["t4"] == 4
    game.refuse(ShowQuestion(), "round_over")  # every selected team is ordered


def test_outside_a_tiebreak_round_its_commands_are_refused() -> None:
    game = Game(build(BUZZER, [q_text("x1")]))
    game.at(0).do(StartRound())
    game.refuse(SelectTiebreak((("t1", "t2"),)), "not_tiebreak")
    game.refuse(DrawLots(), "not_tiebreak")


# --- the contest file ---------------------------------------------------------------

LOAD_BANK = """\
bank: demo
title: Demo
questions:
  - {id: a1, type: true_false, text: T1, answer: true}
  - {id: n1, type: number, text: N1, answer: 41}
  - {id: a2, type: true_false, text: T2, answer: false}
"""


def _contest_file(tmp_path: Path, round_text: str) -> str:
    (tmp_path / "bank.yaml").write_text(LOAD_BANK, encoding="utf-8")
    text = (
        "contest: c\ntitle: Hội thi\nbanks: [bank.yaml]\n"
        "teams:\n  - {id: a, name: A}\n  - {id: b, name: B}\n"
        "ranking:\n  tiebreak: [correct_count, tiebreak_round]\n"
        "rounds:\n"
        "  - {id: chung, title: Chung, format: all, questions: [a1]}\n" + round_text
    )  # the tiebreak round starts at line 11
    path = tmp_path / "contest.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_tiebreak_round_loads_with_its_mode_and_lots(tmp_path: Path) -> None:
    path = _contest_file(
        tmp_path,
        "  - id: phu\n    title: Câu hỏi phụ\n    format: tiebreak\n"
        "    mode: closest\n    lots: hall\n    questions: [n1]\n",
    )
    loaded = load_contest(path)
    settings = loaded.rounds[1].settings
    assert isinstance(settings, TiebreakSettings)
    assert (settings.mode, settings.lots) == ("closest", "hall")
    assert loaded.tiebreak == ("correct_count", "tiebreak_round")


def test_a_closest_round_refuses_a_question_that_is_not_a_number(tmp_path: Path) -> None:
    path = _contest_file(
        tmp_path,
        "  - id: phu\n    title: Câu hỏi phụ\n    format: tiebreak\n"
        "    mode: closest\n    questions:\n      - n1\n      - a2\n",
    )
    with pytest.raises(LoadError) as info:
        load_contest(path)
    problems = [str(p) for p in info.value.problems]
    assert any(
        p.startswith(f"{path}:17: ") and "'a2'" in p and "number questions only" in p
        for p in problems
    ), problems


def test_a_bad_mode_is_refused_at_its_line(tmp_path: Path) -> None:
    path = _contest_file(
        tmp_path,
        "  - id: phu\n    title: Câu hỏi phụ\n    format: tiebreak\n"
        "    mode: fastest\n    questions: [n1]\n",
    )
    with pytest.raises(LoadError) as info:
        load_contest(path)
    problems = [str(p) for p in info.value.problems]
    assert len(problems) == 1 and problems[0].startswith(f"{path}:14: "), problems
    assert "mode" in problems[0]


# --- the results say how each tie was settled -------------------------------------------


def _settled_by_lots() -> Game:
    settings = TiebreakSettings(lots="hall", rebound=False)
    game = after_round_one(build(settings, [q_text("x1", ("một",))]), THREE_WAY)
    game.at(101).do(SelectTiebreak((("t2", "t3", "t4"),)))
    game.at(102).do(ShowQuestion())
    game.at(103).do(OpenAnswers("x1"))
    game.at(103.5).do(Buzz("x1", "t3", T0 + 103.5, 0.1))
    game.at(103.7).tick()
    game.at(104).do(Judge("x1", "t3", True))
    game.at(105).do(Reveal("x1"))
    game.at(106).do(DrawLots(order=(("t4", "t2"),)))
    return game


def test_record_csv_and_xlsx_say_how_each_tie_was_settled() -> None:
    from openpyxl import load_workbook

    from quiz.files.minutes import render_minutes
    from quiz.files.record import build_record
    from quiz.files.record_xlsx import workbook_bytes
    from quiz.files.results import results_csv

    game = _settled_by_lots()
    record = build_record(game.contest, game.state, head="h", entries=len(game.log), made_at=T0)
    rows = {r.team: r for r in record.standings}
    assert [r.team for r in record.standings][:4] == ["t1", "t3", "t4", "t2"]
    assert (rows["t3"].tiebreak, rows["t4"].tiebreak, rows["t1"].tiebreak) == (
        "câu hỏi phụ 1",
        "bốc thăm",
        "",
    )
    (tie,) = [t for t in record.ties if {s.team for s in t.teams} == {"t2", "t3", "t4"}]
    assert tie.by_round == "Vòng 2: 1. Xã 3 (câu hỏi phụ 1); 2. Xã 4 (bốc thăm); 3. Xã 2 (bốc thăm)"
    (other,) = [t for t in record.ties if {s.team for s in t.teams} == {"t5", "t6"}]
    assert other.by_round == ""
    lines = results_csv(game.contest, game.state).lstrip("\ufeff").split("\r\n")
    header = lines[0].split(";")
    column = header.index("Phân định hòa điểm")
    by_name = {line.split(";")[1]: line.split(";") for line in lines[2:8]}
    assert by_name["Xã 4"][column] == "bốc thăm" and by_name["Xã 3"][column] == "câu hỏi phụ 1"
    import io

    sheet = load_workbook(io.BytesIO(workbook_bytes(record))).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][-1] == "Phân định hòa điểm"
    assert [v[-1] for v in values[1:5]] == [None, "câu hỏi phụ 1", "bốc thăm", "bốc thăm"]
    minutes = render_minutes(record)
    assert "Phân định bằng phần thi phụ" in minutes and "2. Xã 4 (bốc thăm)" in minutes
