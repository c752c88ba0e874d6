"""What the screens are told about every press, verdict and score change."""

from __future__ import annotations

import pytest
from support import T0, Game, contest, q_single

from quiz.rules.commands import (
    AdjustScore,
    Buzz,
    Judge,
    OpenAnswers,
    Reveal,
    SetAnswer,
    ShowQuestion,
    StartRound,
    SubmitAnswer,
    Undo,
    VoidQuestion,
)
from quiz.rules.model import AllSettings, BuzzerSettings
from quiz.rules.views import board_view, mc_view, team_view


def buzzer_game(**settings: object) -> Game:
    s = BuzzerSettings(wrong=-5, **settings)  # type: ignore[arg-type]
    game = Game(contest(("buzzer", [q_single("b1"), q_single("b2")], s)))
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    game.at(1).do(OpenAnswers("b1"))
    return game


def press(game: Game, team: str, at: float) -> None:
    game.at(at).do(Buzz("b1", team, T0 + at, 0.1))


def test_every_press_is_shown_with_its_ms_behind_the_first_and_survives_a_rebound() -> None:
    game = buzzer_game()
    press(game, "t1", 2.0)
    press(game, "t2", 2.035)
    game.at(2.2).tick()
    press(game, "t3", 2.5)  # while t1 answers: kept, late
    game.at(3).do(Judge("b1", "t1", False))
    press(game, "t2", 4.0)
    game.at(4.2).tick()
    buzz = board_view(game.contest, game.state, game.now)["buzz"]
    rows = [(r["team"], r["opening"], r["behind_ms"], r["late"]) for r in buzz["order"]]
    assert rows == [
        ("t1", 1, 0, False),
        ("t2", 1, 35, False),
        ("t3", 1, 500, True),
        ("t2", 2, 0, False),
    ]
    assert buzz["winner"] == "t2"
    assert buzz["attempts"][0]["verdict"] == "wrong" and buzz["attempts"][0]["points"] == -5


def test_each_attempt_shows_its_points_on_board_mc_and_tablet() -> None:
    game = buzzer_game()
    press(game, "t1", 2.0)
    game.at(2.2).tick()
    game.at(3).do(Judge("b1", "t1", False))
    press(game, "t2", 4.0)
    game.at(4.2).tick()
    game.at(5).do(Judge("b1", "t2", True))
    for view in (
        board_view(game.contest, game.state, game.now),
        mc_view(game.contest, game.state, game.now),
        team_view(game.contest, game.state, "t1", game.now),
    ):
        got = [(a["team"], a["verdict"], a["points"]) for a in view["buzz"]["attempts"]]
        assert got == [("t1", "wrong", -5), ("t2", "correct", 10)]


def test_the_board_verdict_follows_an_answer_set_by_hand() -> None:
    game = buzzer_game(rebound=False)
    press(game, "t1", 2.0)
    game.at(2.2).tick()
    game.at(3).do(Judge("b1", "t1", False))
    assert board_view(game.contest, game.state, game.now)["buzz"]["outcome"]["verdict"] == "wrong"
    game.at(4).do(SetAnswer("b1", "t1", "Đáp án đúng theo văn bản mới", correct=True))
    buzz = board_view(game.contest, game.state, game.now)["buzz"]
    assert buzz["outcome"] == {
        "team": "t1",
        "name": "Xã 1",
        "verdict": "correct",
        "points": 10,
        "by_hand": True,
    }
    assert buzz["attempts"][0]["final"] == "correct"


def test_voice_time_up_is_shown_and_the_mc_is_asked_to_judge() -> None:
    game = buzzer_game(answer_time=5)
    press(game, "t1", 2.0)
    game.at(2.2).tick()
    game.at(8).tick()
    board = board_view(game.contest, game.state, game.now)
    assert board["buzz"]["time_up"] is True and board["buzz"]["winner"] == "t1"
    assert board["clock"]["remaining_ms"] == 0 and board["clock"]["running"] is False
    nxt = mc_view(game.contest, game.state, game.now)["next"]
    assert nxt["command"] == "judge" and nxt["time_up"] is True
    assert board["scoreboard"][0]["total"] == 0  # nothing scored by itself


def test_every_score_change_is_a_notice_on_the_board_and_the_team_tablet() -> None:
    game = buzzer_game(rebound=False)
    press(game, "t1", 2.0)
    game.at(2.2).tick()
    game.at(3).do(Judge("b1", "t1", False))
    game.at(4).do(Reveal("b1"))
    game.at(5).do(AdjustScore("t2", 3, "Trả lời phụ"))
    game.at(6).do(SetAnswer("b1", "t1", "Xem lại băng ghi hình", correct=True))
    game.at(7).do(VoidQuestion("b1", "Câu hỏi có sai sót"))
    game.at(8).do(Undo("Hủy nhầm câu"))
    board = board_view(game.contest, game.state, game.now)["notices"]
    got = [(n["kind"], n["team"], n["points"], n["reason"]) for n in board]
    assert got == [
        ("undo_void", None, None, "Hủy nhầm câu"),
        ("void", None, None, "Câu hỏi có sai sót"),
        ("set_answer", "t1", 15, "Xem lại băng ghi hình"),
        ("adjust", "t2", 3, "Trả lời phụ"),
        ("verdict", "t1", -5, "Trả lời sai"),
    ]
    assert board[0]["points_by_team"] == [{"team": "t1", "name": "Xã 1", "points": 10}]
    assert board[1]["points_by_team"] == [{"team": "t1", "name": "Xã 1", "points": -10}]
    assert board[2]["label"] == "Sửa kết quả Phần 1 – Câu 1"
    mine = team_view(game.contest, game.state, "t1", game.now)["notices"]
    assert [(n["kind"], n["points"]) for n in mine] == [
        ("undo_void", 10),
        ("void", -10),
        ("set_answer", 15),
        ("verdict", -5),
    ]
    other = team_view(game.contest, game.state, "t2", game.now)["notices"]
    assert [(n["kind"], n["points"]) for n in other] == [("adjust", 3)]


def test_undoing_a_verdict_is_a_notice_too() -> None:
    game = buzzer_game(rebound=False)
    press(game, "t1", 2.0)
    game.at(2.2).tick()
    game.at(3).do(Judge("b1", "t1", False))
    game.at(4).do(Undo("Bấm nhầm nút", question="b1", team="t1"))
    notice = board_view(game.contest, game.state, game.now)["notices"][0]
    assert (notice["kind"], notice["team"], notice["points"]) == ("undo_verdict", "t1", 5)
    assert notice["reason"] == "Bấm nhầm nút"


def test_a_hand_set_answer_before_reveal_keeps_its_points_secret() -> None:
    game = Game(contest(("all", [q_single("s1")], AllSettings())))
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    game.at(1).do(OpenAnswers("s1"))
    game.at(2).do(SubmitAnswer("s1", "t1", "A", T0 + 2))
    game.at(3).do(SetAnswer("s1", "t1", "Đội giơ bảng B", value="B"))
    for view in (
        board_view(game.contest, game.state, game.now),
        team_view(game.contest, game.state, "t1", game.now),
    ):
        assert view["notices"][0]["points"] is None


def test_the_mc_undo_list_says_what_each_was_newest_first() -> None:
    game = buzzer_game(rebound=False)
    press(game, "t1", 2.0)
    game.at(2.2).tick()
    game.at(3).do(Judge("b1", "t1", False))
    game.at(5).do(AdjustScore("t2", 3, "Trả lời phụ"))
    items = mc_view(game.contest, game.state, game.now)["undoable"]
    assert [(i["key"], i["label"]) for i in items] == [
        ("c1", "Điều chỉnh điểm — Xã 2: +3 điểm (lý do: Trả lời phụ)"),
        ("v:b1:0", "Chấm Phần 1 – Câu 1 — Xã 1: Trả lời sai"),
    ]


def test_the_wire_names_verdicts_undo_targets_and_ceremony_steps() -> None:
    from quiz.rules.commands import CeremonyNext, ShowRoundSummary
    from quiz.web.protocol import ProtocolError, parse_command

    judge = parse_command({"name": "judge", "question": "b1", "team": "t1", "verdict": "timeout"})
    assert judge == Judge("b1", "t1", False, verdict="timeout")
    old = parse_command({"name": "judge", "question": "b1", "team": "t1", "correct": True})
    assert old == Judge("b1", "t1", True, verdict="correct")
    undo = parse_command({"name": "undo", "reason": "nhầm", "id": 3})
    assert undo == Undo("nhầm", id=3)
    assert parse_command({"name": "ceremony_next", "step": 2}) == CeremonyNext(step=2)
    assert parse_command({"name": "summary"}) == ShowRoundSummary(True)
    for bad in (
        {"name": "judge", "question": "b1", "team": "t1", "verdict": "maybe"},
        {"name": "judge", "question": "b1", "team": "t1"},
        {"name": "undo", "reason": "x", "id": 1.5},
        {"name": "undo", "reason": "x", "id": -1},
        {"name": "undo"},
        {"name": "ceremony_next", "step": 0},
        {"name": "summary", "show": "yes"},
    ):
        with pytest.raises(ProtocolError):
            parse_command(bad)
