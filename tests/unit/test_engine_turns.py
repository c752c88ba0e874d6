"""Scenarios for format `turns` (câu hỏi riêng, gói câu hỏi): packages, the star
of hope, the steal, and their corrections. Given events, when a command, then
events and totals, on a fake clock."""

from __future__ import annotations

import json
from typing import Any

import pytest
from support import T0, Game, contest, q_single

from quiz.rules import engine
from quiz.rules.commands import (
    Buzz,
    ChoosePackage,
    ChooseValue,
    DecideOrder,
    Judge,
    OpenAnswers,
    OpenSteal,
    PlaceStar,
    RemoveStar,
    Reveal,
    SetAnswer,
    ShowQuestion,
    SkipTeam,
    StartRound,
    SubmitAnswer,
    Undo,
    VoidQuestion,
)
from quiz.rules.events import (
    AnswersClosed,
    AnswerTimeUp,
    BuzzersOpened,
    BuzzJudged,
    BuzzWon,
    StarPlaced,
    TurnsOrdered,
    ValueChosen,
    from_record,
    to_record,
)
from quiz.rules.formats.turns import Package, TurnsSettings
from quiz.rules.model import Phase, Question, Team
from quiz.rules.views import board_view, mc_view, next_step, team_view

TEAMS3 = tuple(Team(f"t{i}", f"Xã {i}") for i in range(1, 4))


def q(qid: str, points: int, answer: str = "B") -> Question:
    return q_single(qid, answer, points=points, time_limit=10 + points // 2)


# three fixed packages of 10/20/30, one per team
FIXED = [q(f"{p}{v}", v) for p in "abc" for v in (10, 20, 30)]
FIXED_PACKAGES = tuple(Package(f"goi-{p}", (f"{p}10", f"{p}20", f"{p}30")) for p in "abc")


def game(settings: TurnsSettings, questions: list[Question] = FIXED) -> Game:
    g = Game(contest(("turns", questions, settings), teams=TEAMS3))
    g.at(0).do(StartRound())
    return g


def fixed(**kw: Any) -> Game:
    settings = TurnsSettings(packages=FIXED_PACKAGES, assign="in_order", **kw)
    g = game(settings)
    g.do(DecideOrder())
    return g


def ask(g: Game, t: float) -> str:
    """Show the next question and start its clock; returns its id."""
    step = next_step(g.contest, g.state)
    assert step["command"] == "show", step
    g.at(t).do(ShowQuestion(step["question"]))
    g.at(t + 1).do(OpenAnswers(step["question"]))
    return str(step["question"])


def judge(g: Game, qid: str, team: str, verdict: str) -> list[Any]:
    return g.do(Judge(qid, team, verdict == "correct", verdict))


def finish(g: Game, qid: str) -> None:
    g.do(Reveal(qid))
    assert g.state.phase == Phase.REVEALED


# order ---------------------------------------------------------------------------


def test_order_contest_is_the_order_of_teams_and_packages_go_in_order() -> None:
    g = fixed()
    rs = g.state.round_fmt
    assert rs.order == ["t1", "t2", "t3"]
    assert [rs.teams[t].package for t in rs.order] == ["goi-a", "goi-b", "goi-c"]
    step = next_step(g.contest, g.state)
    assert step["command"] == "show" and step["question"] == "a10" and step["team"] == "t1"


def test_order_draw_is_seeded_shown_and_the_same_on_every_replay() -> None:
    settings = TurnsSettings(packages=FIXED_PACKAGES, assign="in_order", order="draw", seed=7)
    one, two = game(settings), game(settings)
    assert next_step(one.contest, one.state)["label"] == "Bốc thăm thứ tự thi"
    first = one.do(DecideOrder())
    second = two.do(DecideOrder())
    assert first == second and isinstance(first[0], TurnsOrdered) and first[0].seed == 7
    assert sorted(first[0].order) == ["t1", "t2", "t3"]
    board = board_view(one.contest, one.state, one.now)
    assert board["turns"]["how"] == "draw" and board["turns"]["seed"] == 7
    assert [row["team"] for row in board["turns"]["order"]] == list(first[0].order)
    one.refuse(DecideOrder(), "ordered")


def test_order_reverse_rank_puts_the_lowest_total_first() -> None:
    settings = TurnsSettings(packages=FIXED_PACKAGES, assign="in_order", order="reverse_rank")
    c = contest(("all", [q("x1", 10)], None), ("turns", FIXED, settings), teams=TEAMS3)
    g = Game(c)
    g.at(0).do(StartRound())
    g.do(ShowQuestion("x1"))
    g.do(OpenAnswers("x1"))
    g.at(2).do(SubmitAnswer("x1", "t2", "B", T0 + 2))
    g.at(3).do(SubmitAnswer("x1", "t3", "A", T0 + 3))
    g.at(40).tick()
    g.do(Reveal("x1"))
    g.do(StartRound())
    events = g.do(DecideOrder())
    assert isinstance(events[0], TurnsOrdered)
    assert events[0].order == ("t1", "t3", "t2")  # 0, 0 (teams order), then 10


# the team in turn ----------------------------------------------------------------


def test_right_scores_the_points_wrong_and_silent_score_nothing() -> None:
    g = fixed()
    qid = ask(g, 1)
    judge(g, qid, "t1", "correct")
    finish(g, qid)
    qid = ask(g, 10)
    judge(g, qid, "t1", "wrong")
    finish(g, qid)
    qid = ask(g, 20)
    events = g.at(60).tick()  # the 30-point question's 25 s ran out, answering aloud
    assert [type(e) for e in events] == [AnswerTimeUp]
    judge(g, qid, "t1", "timeout")
    finish(g, qid)
    assert g.totals() == {"t1": 10, "t2": 0, "t3": 0}
    assert next_step(g.contest, g.state)["team"] == "t2"  # t1's package is done


def test_only_the_team_in_turn_is_judged() -> None:
    g = fixed()
    qid = ask(g, 1)
    g.refuse(Judge(qid, "t2", True, "correct"), "not_your_turn")


def test_tablet_answer_is_scored_at_once_and_time_up_scores_as_wrong() -> None:
    g = fixed(answer_on="tablet")
    qid = ask(g, 1)
    g.refuse(SubmitAnswer(qid, "t2", "B", T0 + 2), "not_your_turn")
    events = g.at(3).do(SubmitAnswer(qid, "t1", "B", T0 + 3))
    assert isinstance(events[0], BuzzJudged) and events[0].verdict == "correct"
    assert isinstance(events[1], AnswersClosed)
    finish(g, qid)
    qid = ask(g, 10)
    events = g.at(40).tick()
    assert isinstance(events[0], BuzzJudged) and events[0].verdict == "timeout"
    assert g.state.phase == Phase.CLOSED
    finish(g, qid)
    assert g.totals()["t1"] == 10


# the star of hope ------------------------------------------------------------------


def star_game(**kw: Any) -> Game:
    return fixed(star=True, star_correct=2, star_wrong=-1, **kw)


def test_star_right_doubles_the_points() -> None:
    g = star_game()
    qid = ask(g, 1)
    judge(g, qid, "t1", "correct")
    finish(g, qid)
    assert g.do(PlaceStar("t1", by="team")) == [StarPlaced(g.now, "t1", "team")]
    qid = ask(g, 10)
    assert g.state.questions[qid].fmt.star
    judge(g, qid, "t1", "correct")
    finish(g, qid)
    assert g.totals()["t1"] == 10 + 20 * 2
    board = board_view(g.contest, g.state, g.now)
    row = board["turns"]["order"][0]
    assert row["star"] == "used" and row["star_question"] == "a20" and row["points"] == 50


def test_star_wrong_takes_points_times_wrong() -> None:
    g = star_game()
    g.do(PlaceStar("t1"))
    qid = ask(g, 1)
    judge(g, qid, "t1", "wrong")
    finish(g, qid)
    assert g.totals()["t1"] == -10


def test_star_unanswered_takes_points_times_wrong() -> None:
    g = star_game(answer_on="tablet")
    g.do(PlaceStar("t1"))
    qid = ask(g, 1)
    g.at(30).tick()  # nothing typed before the 15 s ran out
    finish(g, qid)
    assert g.totals()["t1"] == -10


def test_star_is_placed_once_per_package_and_never_on_a_shown_question() -> None:
    g = star_game()
    qid = ask(g, 1)
    g.refuse(PlaceStar("t1"), "busy")  # the question is shown: the star cannot move
    judge(g, qid, "t1", "correct")
    finish(g, qid)
    g.refuse(PlaceStar("t2"), "not_your_turn")
    g.do(PlaceStar("t1"))
    g.refuse(PlaceStar("t1"), "star_used")


def test_star_placed_by_mistake_is_taken_back_before_the_question_is_shown() -> None:
    g = star_game()
    g.do(PlaceStar("t1"))
    g.refuse(RemoveStar("t1", " "), "reason_required")
    g.do(RemoveStar("t1", "Đội báo nhầm"))
    qid = ask(g, 1)
    assert not g.state.questions[qid].fmt.star
    judge(g, qid, "t1", "wrong")
    finish(g, qid)
    assert g.totals()["t1"] == 0
    g.do(PlaceStar("t1"))  # still unused: it may go on a later question


def test_star_disabled_is_refused() -> None:
    g = fixed()
    g.refuse(PlaceStar("t1"), "no_star")


# the steal ----------------------------------------------------------------------


def steal_game(**kw: Any) -> Game:
    return fixed(steal=True, steal_window=5, steal_correct=1, steal_wrong=-0.5, **kw)


def missed(g: Game) -> str:
    qid = ask(g, 1)
    events = judge(g, qid, "t1", "wrong")
    assert [type(e) for e in events] == [BuzzJudged]  # the MC opens the steal next
    assert next_step(g.contest, g.state)["command"] == "turns_steal"
    g.refuse(Buzz(qid, "t2", T0 + 2.5), "steal_closed")
    g.at(3).do(OpenSteal(qid))
    return qid


def test_steal_right_scores_without_taking_from_the_owner() -> None:
    g = steal_game()
    qid = missed(g)
    g.refuse(Buzz(qid, "t1", T0 + 3.2), "owner")
    g.at(3.50).do(Buzz(qid, "t2", T0 + 3.50, settle=0.2))
    g.at(3.60).do(Buzz(qid, "t3", T0 + 3.45, settle=0.2))  # pressed 50 ms earlier, slower link
    events = g.at(3.8).tick()
    assert isinstance(events[0], BuzzWon) and events[0].team == "t3"
    presses = board_view(g.contest, g.state, g.now)["turn"]["presses"]
    assert [(p["team"], p["behind_ms"]) for p in presses] == [("t3", 0), ("t2", 50)]
    judge(g, qid, "t3", "correct")
    finish(g, qid)
    assert g.totals() == {"t1": 0, "t2": 0, "t3": 10}


def test_steal_right_with_take_from_owner_takes_the_same_from_the_owner() -> None:
    g = steal_game(steal_take_from_owner=True)
    qid = missed(g)
    g.at(3.5).do(Buzz(qid, "t2", T0 + 3.5))
    g.at(4).tick()
    judge(g, qid, "t2", "correct")
    finish(g, qid)
    assert g.totals() == {"t1": -10, "t2": 10, "t3": 0}


def test_steal_wrong_scores_points_times_wrong_and_nothing_from_the_owner() -> None:
    for take in (False, True):
        g = steal_game(steal_take_from_owner=take)
        qid = missed(g)
        g.at(3.5).do(Buzz(qid, "t2", T0 + 3.5))
        g.at(4).tick()
        judge(g, qid, "t2", "wrong")
        assert g.state.phase == Phase.CLOSED  # the first valid buzz answers: no rebound
        finish(g, qid)
        assert g.totals() == {"t1": 0, "t2": -5, "t3": 0}


def test_each_turn_s_notice_is_priced_as_its_own_turn() -> None:
    # The owner's miss scores 0 and the steal's miss points × wrong: the owner's
    # notice must not take the steal's price because a later turn has its verdict.
    from quiz.rules.notices import for_team

    g = steal_game()
    qid = missed(g)
    g.at(3.5).do(Buzz(qid, "t2", T0 + 3.5))
    g.at(4).tick()
    judge(g, qid, "t2", "wrong")
    finish(g, qid)
    owner = [n for n in for_team(g.contest, g.state, "t1") if n["kind"] == "verdict"]
    stealer = [n for n in for_team(g.contest, g.state, "t2") if n["kind"] == "verdict"]
    assert [n["points"] for n in owner] == [0]
    assert [n["points"] for n in stealer] == [-5]


def test_steal_nobody_buzzes_closes_after_the_window() -> None:
    g = steal_game()
    qid = missed(g)
    events = g.at(8.5).tick()
    assert events == [AnswersClosed(at=T0 + 8, question=qid, reason="nobody")]
    g.refuse(Buzz(qid, "t2", T0 + 8.6), "closed")


def test_steal_late_press_while_another_answers_is_kept_and_cannot_win() -> None:
    g = steal_game()
    qid = missed(g)
    g.at(3.5).do(Buzz(qid, "t2", T0 + 3.5))
    g.at(4).tick()
    g.at(4.2).do(Buzz(qid, "t3", T0 + 4.2))
    presses = mc_view(g.contest, g.state, g.now)["turn"]["presses"]
    assert [(p["team"], p["late"], p["behind_ms"]) for p in presses] == [
        ("t2", False, 0),
        ("t3", True, 700),
    ]


def test_star_and_steal_together_with_take_from_owner() -> None:
    g = fixed(star=True, steal=True, steal_take_from_owner=True)
    g.do(PlaceStar("t1"))
    qid = missed(g)
    g.at(3.5).do(Buzz(qid, "t2", T0 + 3.5))
    g.at(4).tick()
    judge(g, qid, "t2", "correct")
    finish(g, qid)
    assert g.totals() == {"t1": -10 - 10, "t2": 10, "t3": 0}


def test_steal_on_a_tablet_is_scored() -> None:
    g = steal_game(answer_on="tablet")
    qid = ask(g, 1)
    g.at(2).do(SubmitAnswer(qid, "t1", "A", T0 + 2))
    g.at(3).do(OpenSteal(qid))
    g.at(3.5).do(Buzz(qid, "t2", T0 + 3.5))
    g.at(4).tick()
    assert team_view(g.contest, g.state, "t2", g.now)["turn_me"]["can_answer"]
    assert team_view(g.contest, g.state, "t3", g.now)["turn_me"]["steal"] == "lost"
    events = g.at(5).do(SubmitAnswer(qid, "t2", "B", T0 + 5))
    assert isinstance(events[0], BuzzJudged) and events[0].verdict == "correct"
    finish(g, qid)
    assert g.totals() == {"t1": 0, "t2": 10, "t3": 0}


# pick by value, packages chosen, skipped teams ----------------------------------------


PICK_QS = [q("p10a", 10), q("p10b", 10), q("p20a", 20), q("p30a", 30)] + [
    q(f"{p}{v}", v) for p in "xy" for v in (10, 20, 30)
]
PICK = (
    Package("goi-pick", ("p10a", "p10b", "p20a", "p30a"), (10, 20, 30), 3),
    Package("goi-x", ("x10", "x20", "x30")),
    Package("goi-y", ("y10", "y20", "y30")),
)


def test_pick_by_value_asks_the_next_of_that_value_until_it_runs_out() -> None:
    g = game(TurnsSettings(packages=PICK, assign="pick"), PICK_QS)
    g.do(DecideOrder())
    assert next_step(g.contest, g.state)["command"] == "turns_package"
    g.refuse(ChoosePackage("t1", "goi-z"), "unknown_package")
    g.do(ChoosePackage("t1", "goi-pick"))
    step = next_step(g.contest, g.state)
    assert step["command"] == "turns_value" and step["values"] == [10, 20, 30]
    g.refuse(ChooseValue("t1", 40), "bad_value")
    assert g.do(ChooseValue("t1", 10)) == [ValueChosen(T0, "t1", 10.0)]
    assert ask(g, 1) == "p10a"
    judge(g, "p10a", "t1", "correct")
    finish(g, "p10a")
    g.do(ChooseValue("t1", 10))
    assert ask(g, 10) == "p10b"
    judge(g, "p10b", "t1", "correct")
    finish(g, "p10b")
    assert next_step(g.contest, g.state)["values"] == [20, 30]
    g.refuse(ChooseValue("t1", 10), "value_used_up")
    g.do(ChooseValue("t1", 30))
    assert ask(g, 20) == "p30a"
    judge(g, "p30a", "t1", "wrong")
    finish(g, "p30a")
    # three questions asked: the package is done, p20a stays unasked
    step = next_step(g.contest, g.state)
    assert step["command"] == "turns_package" and step["team"] == "t2"
    assert step["packages"] == ["goi-x", "goi-y"]
    g.refuse(ChoosePackage("t2", "goi-pick"), "package_taken")
    assert g.totals()["t1"] == 20


def test_skipped_team_is_passed_over_with_its_reason() -> None:
    g = game(TurnsSettings(packages=PICK, assign="pick"), PICK_QS)
    g.do(DecideOrder())
    g.refuse(SkipTeam("t1", ""), "reason_required")
    g.do(SkipTeam("t1", "Đội vắng mặt"))
    step = next_step(g.contest, g.state)
    assert step["team"] == "t2"
    row = board_view(g.contest, g.state, g.now)["turns"]["order"][0]
    assert row["skipped"] and row["reason"] == "Đội vắng mặt"
    g.do(ChoosePackage("t2", "goi-x"))
    ask(g, 1)
    g.refuse(SkipTeam("t3", "Vắng"), "busy")  # not while a question runs


def test_the_round_ends_after_the_last_team() -> None:
    g = fixed()
    for team in ("t1", "t2", "t3"):
        for i in range(3):
            qid = ask(g, 1 + i)
            judge(g, qid, team, "correct")
            finish(g, qid)
    assert next_step(g.contest, g.state)["label"] == "Kết thúc hội thi"
    assert g.totals() == {"t1": 60, "t2": 60, "t3": 60}


# corrections ----------------------------------------------------------------------


def test_void_a_question_of_a_package_takes_back_its_points() -> None:
    g = steal_game(steal_take_from_owner=True)
    qid = missed(g)
    g.at(3.5).do(Buzz(qid, "t2", T0 + 3.5))
    g.at(4).tick()
    judge(g, qid, "t2", "correct")
    finish(g, qid)
    g.do(VoidQuestion(qid, "Câu hỏi có sai sót"))
    assert g.totals() == {"t1": 0, "t2": 0, "t3": 0}


def test_set_a_steal_answer_by_hand() -> None:
    g = steal_game()
    qid = missed(g)
    g.at(3.5).do(Buzz(qid, "t2", T0 + 3.5))
    g.at(4).tick()
    judge(g, qid, "t2", "wrong")
    finish(g, qid)
    assert g.totals()["t2"] == -5
    g.do(SetAnswer(qid, "t2", "Giám khảo nghe lại: đúng", value="B"))
    assert g.totals() == {"t1": 0, "t2": 10, "t3": 0}
    g.do(Undo("Nhầm"))
    assert g.totals()["t2"] == -5


def test_an_owner_verdict_is_undone_like_a_buzz_verdict() -> None:
    g = fixed()
    qid = ask(g, 1)
    judge(g, qid, "t1", "correct")
    finish(g, qid)
    g.do(Undo("Chấm nhầm"))
    assert g.totals()["t1"] == 0


# the screens' parts and secrecy ---------------------------------------------------------


def test_views_name_the_turn_and_never_carry_the_key_before_reveal() -> None:
    g = steal_game(star=True)
    g.do(PlaceStar("t1", by="team"))
    missed(g)
    for view in (
        board_view(g.contest, g.state, g.now),
        team_view(g.contest, g.state, "t1", g.now),
        team_view(g.contest, g.state, "t2", g.now),
    ):
        assert view["turn"]["owner"] == "t1" and view["turn"]["star"]
        assert view["turn"]["stage"] == "steal"
        assert view["reveal"] is None and "key" not in view
        assert '"answer": "B"' not in json.dumps(view)
    assert team_view(g.contest, g.state, "t2", g.now)["turn_me"]["steal"] == "open"
    assert team_view(g.contest, g.state, "t1", g.now)["turn_me"]["steal"] == "owner"
    assert mc_view(g.contest, g.state, g.now)["key"]["key"] == "B"


def test_the_tablet_in_turn_may_place_its_star_between_questions() -> None:
    g = star_game()
    mine = team_view(g.contest, g.state, "t1", g.now)["turns"]["me"]
    other = team_view(g.contest, g.state, "t2", g.now)["turns"]["me"]
    assert mine["can_star"] and mine["in_turn"] and not other["can_star"]


def test_replay_of_the_journal_rebuilds_the_same_state() -> None:
    g = fixed(star=True, steal=True)
    g.do(PlaceStar("t1"))
    qid = missed(g)
    g.at(3.5).do(Buzz(qid, "t2", T0 + 3.5))
    g.at(4).tick()
    judge(g, qid, "t2", "correct")
    finish(g, qid)
    records = [json.loads(json.dumps(to_record(e))) for e in g.log]
    rebuilt = engine.replay(g.contest, [from_record(r) for r in records])
    assert rebuilt == g.state


@pytest.mark.parametrize("bad", [DecideOrder(), ChooseValue("t1", 10)])
def test_round_commands_outside_a_turns_round_are_refused(bad: Any) -> None:
    g = Game(contest(("all", [q("x1", 10)], None), teams=TEAMS3))
    g.at(0).do(StartRound())
    g.refuse(bad)


def test_steal_opened_only_after_a_miss() -> None:
    g = steal_game()
    qid = ask(g, 1)
    g.refuse(OpenSteal(qid), "not_missed")
    judge(g, qid, "t1", "correct")
    assert g.state.phase == Phase.CLOSED
    assert not any(isinstance(e, BuzzersOpened) for e in g.log)


def test_results_and_the_record_take_a_turns_round() -> None:
    from quiz.files.record import build_record
    from quiz.files.results import results_csv

    g = steal_game(star=True, steal_take_from_owner=True)
    g.do(PlaceStar("t1"))
    qid = missed(g)
    g.at(3.5).do(Buzz(qid, "t2", T0 + 3.5))
    g.at(4).tick()
    judge(g, qid, "t2", "correct")
    finish(g, qid)
    csv = results_csv(g.contest, g.state)
    assert "Xã 1" in csv and "-20" in csv and "10" in csv
    record = build_record(g.contest, g.state, "0" * 64, len(g.log))
    assert record is not None
