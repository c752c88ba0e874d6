"""Scenarios for format `buzzer` (giành quyền trả lời)."""

from __future__ import annotations

import pytest
from support import T0, Game, contest, q_single, q_text

from quiz.rules import engine
from quiz.rules.commands import (
    Buzz,
    CloseEarly,
    Judge,
    OpenAnswers,
    PauseClock,
    ResumeClock,
    Reveal,
    ShowQuestion,
    StartRound,
    SubmitAnswer,
)
from quiz.rules.events import (
    AnswersClosed,
    AnswerTimeUp,
    BuzzersOpened,
    BuzzJudged,
    BuzzLockedOut,
    BuzzRecorded,
    BuzzWon,
)
from quiz.rules.model import BuzzerSettings, Phase
from quiz.rules.views import next_step


def started(**settings: object) -> Game:
    s = BuzzerSettings(**settings)  # type: ignore[arg-type]
    game = Game(contest(("buzzer", [q_single("b1"), q_text("b2", ("SIPAS",))], s)))
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    return game


def buzz(team: str, pressed: float, settle: float = 0.2, qid: str = "b1") -> Buzz:
    return Buzz(question=qid, team=team, at=T0 + pressed, settle=settle)


def test_earliest_press_wins_even_if_it_arrives_later() -> None:
    game = started()
    game.at(1).do(OpenAnswers("b1"))
    game.at(2.000).do(buzz("t1", 1.995))  # fast link
    game.at(2.150).do(buzz("t2", 1.950))  # slow link, pressed 45 ms earlier
    assert game.state.phase == Phase.OPEN  # still waiting for presses in flight
    events = game.at(2.2).tick()
    assert isinstance(events[0], BuzzWon) and events[0].team == "t2"
    assert game.state.phase == Phase.ANSWERING
    q = game.state.questions["b1"]
    assert [b.team for b in sorted(q.fmt.buzzes, key=lambda b: b.pressed)] == ["t2", "t1"]


def test_buzz_twice_is_one_buzz() -> None:
    game = started()
    game.at(1).do(OpenAnswers("b1"))
    game.at(2).do(buzz("t1", 2))
    assert game.at(2.05).do(buzz("t1", 2.05)) == []


def test_early_buzz_locks_out_by_default() -> None:
    game = started()
    events = game.at(0.5).do(buzz("t1", 0.5))
    assert events == [BuzzLockedOut(at=T0 + 0.5, question="b1", team="t1")]
    game.at(1).do(OpenAnswers("b1"))
    game.refuse(buzz("t1", 1.5), "locked_out")


def test_early_buzz_ignore_just_drops_it() -> None:
    game = started(early_buzz="ignore")
    game.at(0.5).refuse(buzz("t1", 0.5), "early")
    game.at(1).do(OpenAnswers("b1"))
    game.at(1.5).do(buzz("t1", 1.5))
    game.at(2).tick()
    assert game.state.phase == Phase.ANSWERING


def test_right_answer_scores_and_closes() -> None:
    game = started()
    game.at(1).do(OpenAnswers("b1"))
    game.at(2).do(buzz("t3", 2))
    game.at(2.3).tick()
    game.refuse(Judge("b1", "t1", True), "not_your_turn")
    events = game.at(4).do(Judge("b1", "t3", True))
    assert [type(e) for e in events] == [BuzzJudged, AnswersClosed]
    assert game.totals()["t3"] == 10  # buzzer points count when judged
    game.do(Reveal("b1"))
    assert game.state.phase == Phase.REVEALED


def test_wrong_answer_rebounds_to_teams_that_have_not_answered() -> None:
    game = Game(contest(("buzzer", [q_single("b1")], BuzzerSettings(wrong=-5))))
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    game.at(1).do(OpenAnswers("b1"))
    game.at(2).do(buzz("t1", 2))
    game.at(2.05).do(buzz("t2", 2.04))  # lost the race: keeps its chance
    game.at(2.3).tick()
    events = game.at(3).do(Judge("b1", "t1", False))
    assert [type(e).__name__ for e in events] == ["BuzzJudged", "BuzzersOpened", "ClockStarted"]
    game.refuse(buzz("t1", 3.5), "had_turn")
    game.at(4).do(buzz("t2", 4))
    game.at(4.3).tick()
    game.at(5).do(Judge("b1", "t2", True))
    assert game.totals() == {"t1": -5, "t2": 10, "t3": 0, "t4": 0}
    assert game.state.phase == Phase.CLOSED


def test_without_rebound_a_wrong_answer_ends_the_question() -> None:
    game = started(rebound=False)
    game.at(1).do(OpenAnswers("b1"))
    game.at(2).do(buzz("t1", 2))
    game.at(2.3).tick()
    events = game.at(3).do(Judge("b1", "t1", False))
    assert isinstance(events[-1], AnswersClosed)


def test_voice_answer_time_running_out_never_scores_by_itself() -> None:
    game = started(answer_time=5, wrong=-5)
    game.at(1).do(OpenAnswers("b1"))
    game.at(2).do(buzz("t1", 2))
    game.at(2.3).tick()
    events = game.at(7.31).tick()
    assert events == [AnswerTimeUp(at=T0 + 7.3, question="b1", team="t1")]
    assert game.state.phase == Phase.ANSWERING  # the MC still judges
    assert game.at(30).tick() == []  # nothing more happens by itself
    assert game.totals()["t1"] == 0
    assert engine.next_alarm(game.contest, game.state) is None  # the ticker rests
    assert next_step(game.contest, game.state)["command"] == "judge"
    game.refuse(ResumeClock("b1"), "time_up")
    events = game.at(31).do(Judge("b1", "t1", False, verdict="timeout"))
    assert isinstance(events[0], BuzzJudged) and events[0].verdict == "timeout"
    assert isinstance(events[1], BuzzersOpened)  # rebound, as for a wrong answer
    assert game.totals()["t1"] == -5


def test_voice_judge_after_time_up_may_still_be_right() -> None:
    game = started(answer_time=5)
    game.at(1).do(OpenAnswers("b1"))
    game.at(2).do(buzz("t1", 2))
    game.at(2.3).tick()
    game.at(8).tick()
    game.at(9).do(Judge("b1", "t1", True))
    assert game.totals()["t1"] == 10
    assert game.state.phase == Phase.CLOSED


def test_tablet_answer_time_running_out_is_wrong() -> None:
    game = started(answer_time=5, answer_on="tablet")
    game.at(1).do(OpenAnswers("b1"))
    game.at(2).do(buzz("t1", 2))
    game.at(2.3).tick()
    events = game.at(7.31).tick()
    assert isinstance(events[0], BuzzJudged) and events[0].verdict == "timeout"
    assert events[0].at == pytest.approx(T0 + 7.3)
    assert isinstance(events[1], BuzzersOpened)


def test_bad_verdict_is_refused() -> None:
    game = started()
    game.at(1).do(OpenAnswers("b1"))
    game.at(2).do(buzz("t1", 2))
    game.at(2.3).tick()
    game.refuse(Judge("b1", "t1", False, verdict="maybe"), "bad_verdict")


def test_nobody_buzzing_closes_the_question() -> None:
    game = started(buzz_window=10)
    game.at(1).do(OpenAnswers("b1"))
    events = game.at(11.01).tick()
    assert events == [AnswersClosed(at=T0 + 11, question="b1", reason="nobody")]
    game.refuse(buzz("t1", 11.5), "closed")


def test_all_teams_wrong_closes_the_question() -> None:
    game = started()
    game.at(1).do(OpenAnswers("b1"))
    now = 1.0
    for team in ["t1", "t2", "t3", "t4"]:
        now += 1
        game.at(now).do(buzz(team, now))
        game.at(now + 0.3).tick()
        game.do(Judge("b1", team, False))
    assert game.state.phase == Phase.CLOSED


def test_read_time_opens_the_buzzers_by_itself() -> None:
    game = started(read_time=3)
    assert game.state.questions["b1"].clock is not None
    game.at(2).tick()
    assert game.state.phase == Phase.SHOWN
    events = game.at(3.05).tick()
    assert isinstance(events[0], BuzzersOpened) and events[0].at == T0 + 3
    assert game.state.phase == Phase.OPEN


def test_answer_on_tablet_is_judged_automatically() -> None:
    game = Game(contest(("buzzer", [q_text("b2", ("SIPAS",))], BuzzerSettings(answer_on="tablet"))))
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    game.at(1).do(OpenAnswers("b2"))
    game.at(2).do(buzz("t1", 2, qid="b2"))
    game.at(2.3).tick()
    game.refuse(SubmitAnswer("b2", "t2", "sipas", T0 + 2.5), "not_your_turn")
    events = game.at(3).do(SubmitAnswer("b2", "t1", " sipas ", T0 + 3))
    assert isinstance(events[0], BuzzJudged) and events[0].verdict == "correct"
    assert game.totals()["t1"] == 10


def test_voice_rounds_refuse_tablet_answers() -> None:
    game = started()
    game.at(1).do(OpenAnswers("b1"))
    game.at(2).do(buzz("t1", 2))
    game.at(2.3).tick()
    game.refuse(SubmitAnswer("b1", "t1", "B", T0 + 2.5), "voice")


def test_a_press_while_another_team_answers_is_kept_but_cannot_win() -> None:
    game = started(buzz_window=5)
    game.at(1).do(OpenAnswers("b1"))
    game.at(2).do(buzz("t1", 2))
    game.at(2.3).tick()
    events = game.at(2.4).do(buzz("t2", 2.4))
    assert len(events) == 1 and isinstance(events[0], BuzzRecorded) and events[0].late
    assert game.state.phase == Phase.ANSWERING
    assert game.state.questions["b1"].attempts[-1].team == "t1"
    assert game.at(2.5).do(buzz("t2", 2.5)) == []  # the first press stands
    game.refuse(buzz("t1", 2.6), "had_turn")
    order = [(p.team, p.late) for p in game.state.questions["b1"].fmt.presses]
    assert order == [("t1", False), ("t2", True)]


def test_a_rebound_adds_to_the_order_and_never_clears_it() -> None:
    game = started(wrong=-5)
    game.at(1).do(OpenAnswers("b1"))
    game.at(2).do(buzz("t1", 2))
    game.at(2.05).do(buzz("t2", 2.04))
    game.at(2.3).tick()
    game.at(3).do(Judge("b1", "t1", False))
    game.at(4).do(buzz("t3", 4))
    game.at(4.1).do(buzz("t2", 4.08))
    game.at(4.4).tick()
    q = game.state.questions["b1"]
    assert [(p.team, p.opening) for p in q.fmt.presses] == [
        ("t1", 1),
        ("t2", 1),
        ("t3", 2),
        ("t2", 2),
    ]
    assert q.attempts[-1].team == "t3"  # a late link does not change the race


def test_the_closed_window_refuses_a_press() -> None:
    game = started(buzz_window=5)
    game.at(1).do(OpenAnswers("b1"))
    game.at(6.1).tick()
    game.refuse(buzz("t2", 6.2), "closed")


def test_pause_holds_the_buzz_window() -> None:
    game = started(buzz_window=5)
    game.at(1).do(OpenAnswers("b1"))
    game.at(2).do(PauseClock("b1"))
    game.at(30).tick()
    assert game.state.phase == Phase.OPEN
    game.refuse(buzz("t1", 30), "paused")


def test_close_early_only_without_pending_buzz() -> None:
    game = started()
    game.at(1).do(OpenAnswers("b1"))
    game.at(2).do(buzz("t1", 2))
    game.refuse(CloseEarly("b1"), "buzz_pending")
