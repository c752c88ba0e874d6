"""The rehearsal's plan and its final check, without a server."""

from __future__ import annotations

import io

import pytest
from conftest import MINI_CONTEST

from quiz.files.bank import load_contest
from quiz.rehearse.plan import BUZZ_GAP, make_plan, wire_key, wrong_value
from quiz.rehearse.play import Log, Result, compare, parse_faults


def test_the_plan_is_the_same_for_the_same_seed_and_right_as_often_as_asked() -> None:
    contest = load_contest(MINI_CONTEST)
    teams = [t.id for t in contest.teams]
    one = make_plan(contest, teams, 0.5, seed=7)
    assert one == make_plan(contest, teams, 0.5, seed=7)
    assert one != make_plan(contest, teams, 0.5, seed=8)
    always = make_plan(contest, teams, 1.0, seed=1)
    never = make_plan(contest, teams, 0.0, seed=1)
    for qid, plan in always.questions.items():
        q = contest.questions[qid]
        for answer in plan.answers.values():
            assert answer.correct and answer.value == wire_key(q)
        for wrong in never.questions[qid].answers.values():
            assert not wrong.correct and wrong.value != wire_key(q)
        presses = [p.delay for p in plan.presses]
        assert all(b - a >= BUZZ_GAP - 0.2 for a, b in zip(presses, presses[1:], strict=False))
        assert plan.buzzer == (not plan.answers)


@pytest.mark.parametrize("qid", ["q-single", "q-tf", "q-multi", "q-text", "q-number", "q-order"])
def test_a_wrong_answer_is_scored_wrong_by_the_rules(qid: str) -> None:
    import random

    from quiz.rules.answers import is_correct, parse

    q = load_contest(MINI_CONTEST).questions[qid]
    value = wrong_value(q, random.Random(0))
    assert is_correct(q, parse(q, value)) is False
    assert is_correct(q, parse(q, wire_key(q))) is True


def test_the_check_names_every_total_that_differs() -> None:
    log = Log(io.StringIO())
    run = Result({"a": 10, "b": 0}, 3, log)
    same = Result({"a": 10, "b": 0}, 3, log)
    assert compare(run, same, {}) == []
    other = Result({"a": 10, "b": 5}, 4, log)
    assert compare(run, other, {"b": "Xã B"}) == [
        "3 questions played with faults, 4 without",
        "Xã B: 0 with faults, 5 without",
    ]


def test_faults_are_named() -> None:
    assert parse_faults("drops, slow,restart") == {"drops", "slow", "restart"}
    assert parse_faults("") == set()
    with pytest.raises(ValueError, match="unknown fault"):
        parse_faults("drops,flood")
