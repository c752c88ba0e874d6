"""Scenarios for format `all` (câu hỏi chung): given events, when command, then events."""

from __future__ import annotations

import pytest
from support import T0, Game, contest, q_multiple, q_number, q_order, q_single, q_text, q_tf

from quiz.rules.commands import (
    AddTime,
    CloseEarly,
    OpenAnswers,
    PauseClock,
    ResumeClock,
    Reveal,
    ShowQuestion,
    StartRound,
    SubmitAnswer,
)
from quiz.rules.events import AnswerAccepted, AnswersClosed, ContestFinished, RoundStarted
from quiz.rules.model import AllSettings, Phase


def started(settings: AllSettings | None = None, *questions) -> Game:  # type: ignore[no-untyped-def]
    qs = list(questions) or [q_single("s1"), q_single("s2", "C")]
    game = Game(contest(("all", qs, settings or AllSettings())))
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    return game


def answer(team: str, value: object, at: float, qid: str = "s1", nonce: str = "") -> SubmitAnswer:
    return SubmitAnswer(question=qid, team=team, value=value, at=T0 + at, nonce=nonce)


def test_flow_show_open_answer_time_up_reveal_scores() -> None:
    game = started()
    assert game.state.phase == Phase.SHOWN
    game.at(1).do(OpenAnswers("s1"))
    assert game.state.phase == Phase.OPEN
    game.at(3).do(answer("t1", "B", 3))
    game.at(4).do(answer("t2", "A", 4))
    assert game.totals()["t1"] == 0  # nothing counts before the reveal
    events = game.at(21.5).tick()
    assert [type(e) for e in events] == [AnswersClosed]
    assert events[0].at == T0 + 21  # closed at the deadline, not when noticed
    assert game.state.phase == Phase.CLOSED
    game.do(Reveal("s1"))
    assert game.state.phase == Phase.REVEALED
    assert game.totals() == {"t1": 10, "t2": 0, "t3": 0, "t4": 0}


def test_answer_before_open_is_refused() -> None:
    game = started()
    game.refuse(answer("t1", "B", 0.5), "not_open")


def test_press_after_deadline_is_late_even_if_open_still() -> None:
    game = started()
    game.at(1).do(OpenAnswers("s1"))
    game.at(20.9)
    game.refuse(answer("t1", "B", 21.2), "late")


def test_press_before_deadline_arriving_after_close_counts() -> None:
    game = started()
    game.at(1).do(OpenAnswers("s1"))
    game.at(21.1).tick()
    assert game.state.phase == Phase.CLOSED
    events = game.at(21.2).do(answer("t1", "B", 20.95))
    assert isinstance(events[-1], AnswerAccepted)
    assert events[-1].time == pytest.approx(19.95)
    game.do(Reveal("s1"))
    game.refuse(answer("t2", "B", 20.9), "revealed")


def test_one_answer_unless_allow_change_and_replays_are_harmless() -> None:
    game = started()
    game.at(1).do(OpenAnswers("s1"))
    game.at(2).do(answer("t1", "A", 2, nonce="n1"))
    assert game.at(2.5).do(answer("t1", "A", 2, nonce="n1")) == []  # a replay: no change
    game.refuse(answer("t1", "B", 3, nonce="n2"), "locked")


def test_allow_change_keeps_last_press_in_time() -> None:
    game = started(AllSettings(allow_change=True))
    game.at(1).do(OpenAnswers("s1"))
    game.at(2).do(answer("t1", "A", 2, nonce="a"))
    game.at(5).do(answer("t1", "B", 5, nonce="b"))
    game.refuse(answer("t1", "C", 4, nonce="c"), "superseded")  # older press arrives late
    assert game.state.questions["s1"].answers["t1"].value == "B"
    assert game.state.questions["s1"].answers["t1"].time == pytest.approx(4.0)
    game.at(22).tick()
    game.do(Reveal("s1"))
    assert game.totals()["t1"] == 10


def test_an_older_answer_arriving_again_never_reverts_a_newer_one() -> None:
    """A tablet sent A on a connection it then lost, resent A, then changed to B; the
    first A, held up on the dead connection, arrives last (no press stamp: timed on
    arrival). It is a replay of an answer already recorded, not a new answer."""
    game = started(AllSettings(allow_change=True))
    game.at(1).do(OpenAnswers("s1"))
    game.at(2).do(answer("t1", "A", 2, nonce="a"))
    game.at(3).do(answer("t1", "B", 3, nonce="b"))
    assert game.at(4).do(answer("t1", "A", 4, nonce="a")) == []
    assert game.state.questions["s1"].answers["t1"].value == "B"
    game.at(5).do(answer("t1", "A", 5, nonce="a2"))  # a new choice of A is a new answer
    assert game.state.questions["s1"].answers["t1"].value == "A"


def test_bad_answers_are_refused_per_type() -> None:
    game = started(None, q_single("s1"))
    game.at(1).do(OpenAnswers("s1"))
    for bad in ["E", 1, None, ["B"], "b"]:
        game.refuse(answer("t1", bad, 2), "bad_answer")


@pytest.mark.parametrize(
    ("question", "right", "wrong"),
    [
        (q_multiple("s1"), ["C", "A"], ["A"]),
        (q_tf("s1", False), False, True),
        (q_text("s1", ("một cửa",), ignore_diacritics=True), "  Mot Cua. ", "hai cửa"),
        (q_number("s1", 41.0, tolerance=0.5), "41,4", 42),
        (q_order("s1"), ["C", "A", "B"], ["A", "B", "C"]),
    ],
)
def test_every_type_is_judged(question, right, wrong) -> None:  # type: ignore[no-untyped-def]
    game = started(None, question)
    game.at(1).do(OpenAnswers("s1"))
    game.do(answer("t1", right, 1))
    game.do(answer("t2", wrong, 1))
    game.at(30).tick()
    game.do(Reveal("s1"))
    totals = game.totals()
    assert (totals["t1"], totals["t2"]) == (10, 0)


def test_linear_speed_scoring() -> None:
    game = started(AllSettings(speed="linear"))
    game.at(0).do(OpenAnswers("s1"))
    game.do(answer("t1", "B", 0.3))  # under half a second: full points
    game.do(answer("t2", "B", 10))  # 10 * (1 - 10/40) = 7.5 -> 8
    game.do(answer("t3", "B", 19.9))  # 10 * (1 - 19.9/40) = 5.025 -> 5
    game.do(answer("t4", "A", 1))
    game.at(21).tick()
    game.do(Reveal("s1"))
    assert game.totals() == {"t1": 10, "t2": 8, "t3": 5, "t4": 0}


def test_ranked_speed_scoring_ties_share_the_higher_value() -> None:
    game = started(AllSettings(speed="ranked", ranked=(40, 30, 20)))
    game.at(0).do(OpenAnswers("s1"))
    game.do(answer("t1", "B", 3))
    game.do(answer("t2", "B", 1))
    game.do(answer("t3", "B", 1))  # same time as t2: shares 40
    game.do(answer("t4", "B", 5))  # past the end of the list: its last value
    game.at(21).tick()
    game.do(Reveal("s1"))
    assert game.totals() == {"t2": 40, "t3": 40, "t1": 20, "t4": 20}


def test_wrong_and_missing_may_be_negative() -> None:
    game = started(AllSettings(correct=15, wrong=-5, missing=-2))
    game.at(0).do(OpenAnswers("s1"))
    game.do(answer("t1", "B", 1))
    game.do(answer("t2", "A", 1))
    game.at(21).tick()
    game.do(Reveal("s1"))
    assert game.totals() == {"t1": 15, "t2": -5, "t3": -2, "t4": -2}


def test_pause_resume_and_add_time_move_the_deadline() -> None:
    game = started()
    game.at(0).do(OpenAnswers("s1"))
    game.at(5).do(PauseClock("s1"))
    game.refuse(answer("t1", "B", 6), "paused")
    game.do(answer("t2", "B", 4.9))  # pressed before the pause: counts
    game.at(60).tick()
    assert game.state.phase == Phase.OPEN  # paused clocks do not run out
    game.do(ResumeClock("s1"))
    game.do(AddTime("s1", 10))
    q = game.state.questions["s1"]
    assert q.clock is not None and q.clock.deadline() == pytest.approx(T0 + 60 + 15 + 10)
    game.at(84).do(answer("t1", "B", 84))
    assert game.state.questions["s1"].answers["t1"].time == pytest.approx(29)
    game.at(85.01).tick()
    assert game.state.phase == Phase.CLOSED


def test_clock_commands_are_refused_when_they_make_no_sense() -> None:
    game = started()
    game.refuse(PauseClock("s1"), "no_clock")
    game.at(0).do(OpenAnswers("s1"))
    game.refuse(ResumeClock("s1"), "running")
    game.refuse(AddTime("s1", 0), "bad_seconds")
    game.refuse(AddTime("s1", 601), "bad_seconds")


def test_close_early_closes_at_the_mc_press() -> None:
    game = started()
    game.at(0).do(OpenAnswers("s1"))
    game.at(5).do(CloseEarly("s1"))
    assert game.state.phase == Phase.CLOSED
    game.refuse(answer("t1", "B", 5.5), "late")


def test_stale_commands_name_the_wrong_question() -> None:
    game = started()
    game.refuse(OpenAnswers("s2"), "stale")
    game.at(0).do(OpenAnswers("s1"))
    game.refuse(answer("t1", "B", 1, qid="s2"), "stale")


def test_mc_flow_is_enforced() -> None:
    game = started()
    game.refuse(ShowQuestion(), "busy")
    game.refuse(Reveal("s1"), "not_closed")
    game.refuse(StartRound(), "busy")
    game.at(0).do(OpenAnswers("s1"))
    game.refuse(OpenAnswers("s1"), "not_shown")
    game.at(21).tick()
    game.do(Reveal("s1"))
    game.refuse(ShowQuestion("s1"), "stale")  # the MC expected to show s1 again
    game.do(ShowQuestion("s2"))
    game.at(22).do(OpenAnswers("s2"))
    game.at(43).tick()
    game.do(Reveal("s2"))
    game.refuse(ShowQuestion(), "round_over")
    assert isinstance(game.do(StartRound())[-1], ContestFinished)
    assert game.state.phase == Phase.FINISHED


def test_rounds_follow_in_order() -> None:
    game = Game(contest(("all", [q_single("a")], None), ("all", [q_single("b")], None)))
    events = game.do(StartRound("r1"))
    assert events == [RoundStarted(at=game.now, round=0)]
    game.refuse(StartRound("r1"), "stale")
    assert game.do(StartRound("r2"))[-1] == RoundStarted(at=game.now, round=1)  # skipping ahead


@pytest.mark.parametrize(
    ("typed", "value"),
    [("4.200", 4200.0), ("4,5", 4.5), ("1.5", 1.5), ("1.234.567,5", 1234567.5), ("4 200", 4200.0)],
)
def test_numbers_are_read_the_vietnamese_way(typed: str, value: float) -> None:
    from quiz.rules.answers import parse

    assert parse(q_number(), typed) == value
