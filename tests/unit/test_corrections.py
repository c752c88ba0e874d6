"""Corrections (adjust, manual answer, void, undo) and the ranking."""

from __future__ import annotations

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
from quiz.rules.history import undoable
from quiz.rules.model import AllSettings, BuzzerSettings
from quiz.rules.scoring import Standing, rank


def played() -> Game:
    """Two `all` questions played: t1 right on both, t2 right on the first."""
    game = Game(contest(("all", [q_single("s1"), q_single("s2", "C")], AllSettings())))
    game.at(0).do(StartRound())
    for i, (qid, answers) in enumerate([("s1", {"t1": "B", "t2": "B"}), ("s2", {"t1": "C"})]):
        base = i * 100
        game.at(base).do(ShowQuestion(qid))
        game.do(OpenAnswers(qid))
        for team, value in answers.items():
            game.at(base + 2).do(SubmitAnswer(qid, team, value, T0 + base + 2))
        game.at(base + 21).tick()
        game.do(Reveal(qid))
    return game


def test_adjust_needs_a_reason_and_changes_the_total() -> None:
    game = played()
    game.refuse(AdjustScore("t3", 5, "  "), "reason_required")
    game.refuse(AdjustScore("nobody", 5, "x"), "unknown_team")
    game.refuse(AdjustScore("t3", 0, "x"), "bad_delta")
    game.do(AdjustScore("t3", 5, "Ban giám khảo chấp nhận khiếu nại"))
    assert game.totals()["t3"] == 5
    correction = game.state.corrections[-1]
    assert (correction.kind, correction.reason) == ("adjust", "Ban giám khảo chấp nhận khiếu nại")


def test_set_answer_by_hand_is_scored_by_the_rules() -> None:
    game = played()
    game.do(SetAnswer("s2", "t2", "Máy tính bảng hỏng, đội giơ bảng giấy", value="C"))
    assert game.totals()["t2"] == 20
    game.do(SetAnswer("s1", "t1", "Khiếu nại", correct=False))  # a verdict overrides the key
    assert game.totals()["t1"] == 10
    game.refuse(SetAnswer("s2", "t2", "x", value="Z"), "bad_answer")
    game.refuse(SetAnswer("s2", "t2", "x"), "no_answer")
    game.refuse(SetAnswer("zz", "t2", "x", value="A"), "not_asked")


def test_void_takes_back_every_point_of_a_question() -> None:
    game = played()
    game.do(VoidQuestion("s1", "Câu hỏi có sai sót"))
    assert game.totals() == {"t1": 10, "t2": 0, "t3": 0, "t4": 0}
    game.refuse(VoidQuestion("s1", "again"), "already_void")


def test_undo_takes_back_the_last_correction_in_force() -> None:
    game = played()
    game.refuse(Undo("x"), "nothing_to_undo")
    game.do(AdjustScore("t3", 7, "a"))
    game.do(VoidQuestion("s1", "b"))
    game.do(Undo("nhầm"))
    assert game.totals() == {"t1": 20, "t2": 10, "t3": 7, "t4": 0}
    game.do(Undo("cũng nhầm"))
    assert game.totals()["t3"] == 0
    assert [c.undone for c in game.state.corrections] == [True, True]
    assert [c.undo_reason for c in game.state.corrections] == ["cũng nhầm", "nhầm"]
    game.refuse(Undo("x"), "nothing_to_undo")


def test_every_undo_needs_a_reason() -> None:
    game = played()
    game.do(AdjustScore("t3", 7, "a"))
    game.refuse(Undo(), "reason_required")
    game.refuse(Undo("   "), "reason_required")


def test_undo_any_correction_by_its_id() -> None:
    game = played()
    game.do(AdjustScore("t3", 7, "a"))
    game.do(AdjustScore("t4", 3, "b"))
    game.do(Undo("chọn nhầm đội", id=1))
    assert game.totals()["t3"] == 0 and game.totals()["t4"] == 3
    game.refuse(Undo("again", id=1), "already_undone")
    game.refuse(Undo("none", id=99), "unknown_correction")


def buzzed_wrong() -> Game:
    game = Game(contest(("buzzer", [q_single("b1")], BuzzerSettings(wrong=-5))))
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    game.at(1).do(OpenAnswers("b1"))
    game.at(2).do(Buzz("b1", "t1", T0 + 2, 0.1))
    game.at(2.2).tick()
    game.at(3).do(Judge("b1", "t1", False))
    return game


def test_a_buzz_verdict_can_be_undone_with_a_reason() -> None:
    game = buzzed_wrong()
    assert game.totals()["t1"] == -5
    assert [u.key for u in undoable(game.state)] == ["v:b1:0"]
    game.at(4).do(Undo("MC bấm nhầm nút Sai", question="b1", team="t1"))
    assert game.totals()["t1"] == 0
    attempt = game.state.questions["b1"].attempts[0]
    assert attempt.undone and attempt.undo_reason == "MC bấm nhầm nút Sai"
    game.refuse(Undo("again", question="b1", team="t1"), "nothing_to_undo")


def test_undo_list_is_newest_first_over_verdicts_and_corrections() -> None:
    game = buzzed_wrong()
    game.at(5).do(AdjustScore("t2", 4, "thưởng"))
    game.at(6).do(SetAnswer("b1", "t1", "MC chấm nhầm", correct=True))
    assert [u.key for u in undoable(game.state)] == ["c2", "c1", "v:b1:0"]
    game.at(7).do(Undo("xem lại băng"))  # the newest: the answer set by hand
    assert game.totals()["t1"] == -5


def test_buzzer_verdict_can_be_corrected() -> None:
    game = buzzed_wrong()
    assert game.totals()["t1"] == -5
    game.do(SetAnswer("b1", "t1", "MC chấm nhầm", correct=True))
    assert game.totals()["t1"] == 10


def test_ranking_ties_share_a_rank() -> None:
    table = [
        Standing("a", "A", total=10),
        Standing("b", "B", total=20),
        Standing("c", "C", total=10),
        Standing("d", "D", total=5),
    ]
    ranked = rank(table, ())
    assert [(s.team, s.rank) for s in ranked] == [("b", 1), ("a", 2), ("c", 2), ("d", 4)]


def test_ranking_tiebreak_correct_count_then_answer_time() -> None:
    table = [
        Standing("a", "A", total=20, correct_count=2, answer_time=9.0),
        Standing("b", "B", total=20, correct_count=2, answer_time=7.5),
        Standing("c", "C", total=20, correct_count=3, answer_time=30.0),
    ]
    ranked = rank(table, ("correct_count", "answer_time"))
    assert [(s.team, s.rank) for s in ranked] == [("c", 1), ("b", 2), ("a", 3)]
    assert [s.rank for s in rank(table, ())] == [1, 1, 1]


def test_standings_use_answer_times_of_correct_answers() -> None:
    game = played()
    ranks = game.ranks()
    assert ranks == {"t1": 1, "t2": 2, "t3": 3, "t4": 3}
