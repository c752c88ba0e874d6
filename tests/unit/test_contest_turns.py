"""A `turns` round in a contest file: packages, pick, star and steal read, and
every mistake reported at its FILE:LINE."""

from __future__ import annotations

from pathlib import Path

from test_contest import contest_with, expect_one, problems_of

from quiz.files.bank import load_contest
from quiz.rules.formats.turns import Package, TurnsSettings

TURNS = """\
  - id: goi
    title: Gói câu hỏi
    format: turns
    order: draw
    seed: 7
    star: {enabled: true, correct: 3, wrong: -2}
    steal: {enabled: true, window: 4, correct: 0.5, wrong: -0.25, take_from_owner: true}
    packages:
      - {id: goi-1, questions: [a1, a2]}
      - id: goi-2
        questions: [a3, a4, a5]
        pick: {points: [10], count: 2}
"""  # the round starts at line 8; goi-1 is at line 16


def test_a_turns_round_reads_every_setting(tmp_path: Path) -> None:
    contest = load_contest(contest_with(tmp_path, TURNS))
    (rnd,) = contest.rounds
    assert rnd.question_ids == ("a1", "a2", "a3", "a4", "a5")
    assert rnd.settings == TurnsSettings(
        packages=(
            Package("goi-1", ("a1", "a2")),
            Package("goi-2", ("a3", "a4", "a5"), (10.0,), 2),
        ),
        order="draw",
        seed=7,
        star=True,
        star_correct=3,
        star_wrong=-2,
        steal=True,
        steal_window=4,
        steal_correct=0.5,
        steal_wrong=-0.25,
        steal_take_from_owner=True,
    )


def test_defaults_are_the_spec_s(tmp_path: Path) -> None:
    rounds = (
        "  - id: g\n    title: G\n    format: turns\n"
        "    packages: [{id: p1, questions: [a1]}, {id: p2, questions: [a2]}]\n"
    )
    (rnd,) = load_contest(contest_with(tmp_path, rounds)).rounds
    s = rnd.settings
    assert isinstance(s, TurnsSettings)
    assert (s.assign, s.order, s.answer_on, s.star, s.steal) == (
        "pick",
        "contest",
        "voice",
        False,
        False,
    )
    assert (s.star_correct, s.star_wrong) == (2, -1)
    assert (s.steal_window, s.steal_correct, s.steal_wrong, s.steal_take_from_owner) == (
        5,
        1,
        -0.5,
        False,
    )


def test_an_unknown_question_of_a_package_is_reported_at_its_line(tmp_path: Path) -> None:
    path = contest_with(tmp_path, TURNS.replace("[a1, a2]", "[a1, a9]"))
    expect_one(path, 16, "round 'goi'", "question 'a9' is not in the banks")


def test_a_question_in_two_packages_is_reported(tmp_path: Path) -> None:
    path = contest_with(tmp_path, TURNS.replace("[a3, a4, a5]", "[a3, a4, a1]"))
    expect_one(path, 18, "question 'a1' is already asked in this round (line 16)")


def test_pick_count_above_the_package_size_is_reported(tmp_path: Path) -> None:
    path = contest_with(tmp_path, TURNS.replace("count: 2", "count: 4"))
    expect_one(path, 19, "packages 'goi-2': pick.count is 4 but the package has only 3 questions")


def test_a_package_id_listed_twice_is_reported(tmp_path: Path) -> None:
    path = contest_with(tmp_path, TURNS.replace("id: goi-2", "id: goi-1"))
    expect_one(path, 17, "package 'goi-1' is listed twice")


def test_fewer_packages_than_teams_is_reported(tmp_path: Path) -> None:
    path = contest_with(tmp_path, TURNS.replace("      - {id: goi-1, questions: [a1, a2]}\n", ""))
    expect_one(path, 8, "needs at least as many packages as teams (1 packages for 2 teams)")


def test_bad_settings_are_reported_at_their_lines(tmp_path: Path) -> None:
    text = (
        TURNS.replace("order: draw", "order: random")
        .replace("take_from_owner: true", "take_from_owner: true, steal_all: 1")
        .replace("wrong: -2", "wrong: -2, right: 1")
    )
    problems = problems_of(contest_with(tmp_path, text))
    assert len(problems) == 3, problems
    assert (
        ":11: " in problems[0] and "order must be one of contest, reverse_rank, draw" in problems[0]
    )
    assert ":13: " in problems[1] and "unknown key 'star.right'" in problems[1]
    assert ":14: " in problems[2] and "unknown key 'steal.steal_all'" in problems[2]


def test_a_turns_round_takes_no_questions_key(tmp_path: Path) -> None:
    path = contest_with(tmp_path, TURNS.replace("    order: draw\n", "    questions: [a6]\n"))
    problem = expect_one(path, 11, "round 'goi'")
    assert "'questions' is a setting of" in problem and "not of turns rounds" in problem
