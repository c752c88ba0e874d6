"""Tests of contest loading: contest-format.md's rules, settings and draws."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import pytest

from quiz.files.bank import LoadError, load_contest
from quiz.rules.formats import FORMATS, PLANNED
from quiz.rules.model import AllSettings, BuzzerSettings, Contest

BANK = """\
bank: demo
title: Demo
questions:
  - {id: a1, type: true_false, text: T1, answer: true, tags: [mot-cua], level: easy}
  - {id: a2, type: true_false, text: T2, answer: true, tags: [mot-cua], level: hard}
  - {id: a3, type: true_false, text: T3, answer: true, tags: [nq76], level: easy}
  - {id: a4, type: true_false, text: T4, answer: true, tags: [nq76, mot-cua]}
  - {id: a5, type: true_false, text: T5, answer: true, tags: [other]}
  - {id: a6, type: true_false, text: T6, answer: false}
"""
BANK_IDS = ["a1", "a2", "a3", "a4", "a5", "a6"]

HEAD = """\
contest: kim-boi-2023
title: Hội thi
banks: [bank.yaml]
teams:
  - {id: bo, name: Thị trấn Bo}
  - {id: binh-son, name: Xã Bình Sơn}
rounds:
"""  # rounds start at line 8

ALL_ROUND = "  - {id: chung, title: Chung, format: all, questions: [a1, a2]}\n"


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def contest_with(folder: Path, rounds: str, extra: str = "", head: str = HEAD) -> str:
    """A contest with BANK next to it; `rounds` start at line 8, then `extra` keys."""
    write(folder, "bank.yaml", BANK)
    return write(folder, "contest.yaml", head + textwrap.dedent(rounds) + textwrap.dedent(extra))


def problems_of(path: str) -> list[str]:
    with pytest.raises(LoadError) as info:
        load_contest(path)
    return [str(problem) for problem in info.value.problems]


def expect_one(path: str, line: int, *fragments: str) -> str:
    problems = problems_of(path)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.startswith(f"{path}:{line}: "), problem
    for fragment in fragments:
        assert fragment in problem, problem
    return problem


# --- a valid contest ----------------------------------------------------------------------


def test_spec_example_contest_loads(tmp_path: Path) -> None:
    path = contest_with(
        tmp_path,
        """\
          - id: chung
            title: Câu hỏi chung
            format: all
            questions: [a3, a1]
          - id: bam-chuong
            title: Giành quyền trả lời
            format: buzzer
            draw: {count: 2, tags: [mot-cua], seed: 2023}
        """,
        """\
        subtitle: Phần thi Hiểu biết
        organizer: UBND huyện Kim Bôi
        date: 2023-08-29
        venue: Hội trường
        ranking:
          tiebreak: [answer_time, correct_count]
        """,
    )
    contest = load_contest(path)
    assert isinstance(contest, Contest)
    assert (contest.id, contest.title, contest.file) == ("kim-boi-2023", "Hội thi", path)
    assert (contest.subtitle, contest.organizer, contest.venue) == (
        "Phần thi Hiểu biết",
        "UBND huyện Kim Bôi",
        "Hội trường",
    )
    assert contest.date == "2023-08-29"
    assert [(team.id, team.name) for team in contest.teams] == [
        ("bo", "Thị trấn Bo"),
        ("binh-son", "Xã Bình Sơn"),
    ]
    first, second = contest.rounds
    assert (first.id, first.title, first.format, first.line) == ("chung", "Câu hỏi chung", "all", 8)
    assert first.question_ids == ("a3", "a1")
    assert first.settings == AllSettings()
    assert (second.format, len(second.question_ids)) == ("buzzer", 2)
    assert second.settings == BuzzerSettings()
    assert contest.tiebreak == ("answer_time", "correct_count")
    assert list(contest.questions) == BANK_IDS  # every loaded question, not just the asked ones
    assert [bank.id for bank in contest.banks] == ["demo"]


def test_defaults_of_ranking_and_optional_keys(tmp_path: Path) -> None:
    contest = load_contest(contest_with(tmp_path, ALL_ROUND))
    assert contest.tiebreak == ("correct_count", "answer_time")
    assert (contest.subtitle, contest.organizer, contest.date, contest.venue) == (None,) * 4


def test_banks_are_relative_to_the_contest_file(tmp_path: Path) -> None:
    write(tmp_path / "banks", "cchc.yaml", BANK)
    head = HEAD.replace("[bank.yaml]", "[banks/cchc.yaml]")
    path = write(tmp_path, "contest.yaml", head + ALL_ROUND)
    contest = load_contest(path)
    assert contest.banks[0].file == str(tmp_path / "banks" / "cchc.yaml")
    assert contest.questions["a1"].file == str(tmp_path / "banks" / "cchc.yaml")


def test_bank_problems_name_the_bank_file_joined_to_the_contest_folder(tmp_path: Path) -> None:
    bad = BANK.replace("answer: false", "answer: maybe")
    write(tmp_path / "sub" / "banks", "cchc.yaml", bad)
    head = HEAD.replace("[bank.yaml]", "[banks/cchc.yaml]")
    write(tmp_path / "sub", "contest.yaml", head + ALL_ROUND)
    contest_path = str(tmp_path / "sub" / "contest.yaml")
    problems = problems_of(contest_path)
    bank_file = str(tmp_path / "sub" / "banks" / "cchc.yaml")
    assert problems == [f"{bank_file}:9: question 'a6': answer must be true or false, not 'maybe'"]


def test_bank_and_contest_problems_are_reported_together(tmp_path: Path) -> None:
    path = contest_with(tmp_path, ALL_ROUND, "venue: ''\n")
    write(tmp_path, "bank.yaml", BANK.replace("text: T2", "text: ''"))
    problems = problems_of(path)
    assert problems == [
        f"{path}:9: venue must be a non-empty text, not ''",
        f"{tmp_path / 'bank.yaml'}:5: question 'a2': text must be a non-empty text, not ''",
    ]


def test_ids_repeated_across_a_contests_banks_are_reported(tmp_path: Path) -> None:
    write(tmp_path, "other.yaml", "bank: other\ntitle: O\nquestions:\n" + BANK.split("\n", 3)[3])
    path = contest_with(
        tmp_path, ALL_ROUND, head=HEAD.replace("[bank.yaml]", "[bank.yaml, other.yaml]")
    )
    problems = problems_of(path)
    other = tmp_path / "other.yaml"
    assert len(problems) == 6
    assert (
        problems[0] == f"{other}:4: question 'a1': id is already used in {tmp_path / 'bank.yaml'}:4"
    )


def test_a_missing_or_repeated_bank_file_is_reported_in_the_contest(tmp_path: Path) -> None:
    head = HEAD.replace(
        "banks: [bank.yaml]", "banks:\n  - bank.yaml\n  - nope.yaml\n  - ./bank.yaml"
    )
    path = contest_with(tmp_path, "", head=head)
    problems = problems_of(path)
    assert (
        f"{path}:5: bank file 'nope.yaml' not found (looked for {tmp_path / 'nope.yaml'})"
        in problems
    )
    assert f"{path}:6: bank './bank.yaml' is listed twice (first at line 4)" in problems


def test_no_banks_is_a_problem(tmp_path: Path) -> None:
    path = contest_with(tmp_path, ALL_ROUND, head=HEAD.replace("[bank.yaml]", "[]"))
    problems = problems_of(path)
    assert f"{path}:3: banks is an empty list" in problems


# --- top level ------------------------------------------------------------------------------


def test_missing_top_level_keys_are_reported_at_line_1(tmp_path: Path) -> None:
    path = write(tmp_path, "contest.yaml", "contest: x\ntitle: T\n")
    assert problems_of(path) == [
        f"{path}:1: missing key 'banks'",
        f"{path}:1: missing key 'teams'",
        f"{path}:1: missing key 'rounds'",
    ]


def test_unknown_and_repeated_top_level_keys(tmp_path: Path) -> None:
    path = contest_with(tmp_path, ALL_ROUND, "titel: again\ntitle: again\n")
    assert problems_of(path) == [
        f"{path}:9: unknown key 'titel' (did you mean 'title'?)",
        f"{path}:10: key 'title' is written twice (first at line 2)",
    ]


def test_contest_id_pattern(tmp_path: Path) -> None:
    path = contest_with(tmp_path, ALL_ROUND, head=HEAD.replace("kim-boi-2023", "Kim Boi"))
    expect_one(path, 1, "contest must be an id")


def test_date_must_be_a_date(tmp_path: Path) -> None:
    expect_one(contest_with(tmp_path, ALL_ROUND, "date: 29/08/2023\n"), 9, "date must be a date")


# --- teams ------------------------------------------------------------------------------


def teams_head(count: int) -> str:
    teams = "".join(f"  - {{id: t{n}, name: Team {n}}}\n" for n in range(count))
    return HEAD.split("teams:\n")[0] + "teams:\n" + teams + "rounds:\n"


@pytest.mark.parametrize(("count", "ok"), [(1, False), (2, True), (60, True), (61, False)])
def test_a_contest_has_2_to_60_teams(tmp_path: Path, count: int, ok: bool) -> None:
    path = contest_with(tmp_path, ALL_ROUND, head=teams_head(count))
    if ok:
        assert len(load_contest(path).teams) == count
    else:
        expect_one(path, 4, f"teams lists {count} team", "2 to 60")


def test_team_ids_are_unique_and_well_formed(tmp_path: Path) -> None:
    head = HEAD.replace(
        "  - {id: binh-son, name: Xã Bình Sơn}\n",
        "  - {id: bo, name: Two}\n  - {id: Ba, name: Ba}\n",
    )
    path = contest_with(tmp_path, ALL_ROUND, head=head)
    problems = problems_of(path)
    assert problems == [
        f"{path}:6: team 'bo': id 'bo' is already used (line 5)",
        f"{path}:7: team 'Ba': id must be an id of lower-case letters, digits and '-', not 'Ba'",
    ]


def test_a_team_needs_a_name(tmp_path: Path) -> None:
    head = HEAD.replace("{id: binh-son, name: Xã Bình Sơn}", "{id: binh-son, nam: X}")
    problems = problems_of(contest_with(tmp_path, ALL_ROUND, head=head))
    assert sorted(p.split(": ", 1)[1] for p in problems) == [
        "team 'binh-son': missing key 'name'",
        "team 'binh-son': unknown key 'nam' (did you mean 'name'?)",
    ]


# --- rounds and formats -------------------------------------------------------------------


def test_every_v2_format_is_playable_and_none_is_only_planned() -> None:
    # (a format still only planned would be refused as "not supported yet")
    assert not PLANNED
    assert set(FORMATS) == {"all", "buzzer", "turns", "tiebreak", "elimination", "judged"}


def test_language_is_read_and_checked(tmp_path: Path) -> None:
    assert load_contest(contest_with(tmp_path, ALL_ROUND, "language: en\n")).language == "en"
    assert load_contest(contest_with(tmp_path, ALL_ROUND, "")).language == "vi"
    problems = problems_of(contest_with(tmp_path, ALL_ROUND, "language: fr\n"))
    assert any("language" in p and "one of vi, en" in p for p in problems), problems


def test_an_unknown_format_lists_the_valid_ones(tmp_path: Path) -> None:
    path = contest_with(tmp_path, "  - {id: x, title: X, format: buzz, questions: [a1]}\n")
    problem = expect_one(path, 8, "round 'x'", "format must be one of all, buzzer,")
    assert "did you mean 'buzzer'?" in problem


def test_a_round_needs_id_title_and_format(tmp_path: Path) -> None:
    path = contest_with(tmp_path, "  - {questions: [a1]}\n")
    assert [p.split(": ", 1)[1] for p in problems_of(path)] == [
        "round #1: missing key 'id'",
        "round #1: missing key 'title'",
        "round #1: missing key 'format'",
    ]


def test_round_ids_are_unique_and_well_formed(tmp_path: Path) -> None:
    path = contest_with(
        tmp_path,
        ALL_ROUND
        + "  - {id: chung, title: X, format: all, questions: [a3]}\n"
        + "  - {id: Vong_2, title: X, format: all, questions: [a4]}\n",
    )
    assert problems_of(path) == [
        f"{path}:9: round 'chung': id 'chung' is already used (line 8)",
        f"{path}:10: round 'Vong_2': id must be an id of lower-case letters, digits and '-', "
        "not 'Vong_2'",
    ]


@pytest.mark.parametrize(
    ("fmt", "setting", "owner"),
    [
        ("buzzer", "allow_change: true", "all"),
        ("all", "read_time: 3", "buzzer and tiebreak"),
        ("all", "rebound: false", "buzzer and tiebreak"),
        ("all", "lots: hall", "tiebreak"),
        ("all", "packages: []", "turns"),
    ],
)
def test_a_setting_of_another_format_is_an_error(
    tmp_path: Path, fmt: str, setting: str, owner: str
) -> None:
    rounds = f"  - id: r\n    title: R\n    format: {fmt}\n    questions: [a1]\n    {setting}\n"
    problem = expect_one(contest_with(tmp_path, rounds), 12, "round 'r'")
    key = setting.split(":")[0]
    assert problem.endswith(f"'{key}' is a setting of {owner} rounds, not of {fmt} rounds")


def test_all_round_settings_are_read(tmp_path: Path) -> None:
    rounds = """\
      - id: r
        title: R
        format: all
        questions: [a1]
        allow_change: true
        scoring: {correct: 20, wrong: -5, missing: -2.5, speed: linear}
      - id: s
        title: S
        format: all
        questions: [a2]
        scoring:
          correct: question
          speed: {ranked: [40, 30, 20, 10]}
    """
    first, second = load_contest(contest_with(tmp_path, rounds)).rounds
    assert first.settings == AllSettings(
        allow_change=True, correct=20.0, wrong=-5.0, missing=-2.5, speed="linear"
    )
    assert second.settings == AllSettings(speed="ranked", ranked=(40.0, 30.0, 20.0, 10.0))


@pytest.mark.parametrize(
    ("scoring", "fragment"),
    [
        ("{correct: -1}", "scoring.correct must be 'question' or a number >= 0, not '-1'"),
        ("{wrong: some}", "scoring.wrong must be 'question' or a number, not 'some'"),
        ("{missing: true}", "scoring.missing must be 'question' or a number, not 'true'"),
        ("{speed: fast}", "scoring.speed must be none, linear or {ranked: [40, 30, 20, 10]}"),
        ("{speed: ranked}", "scoring.speed must be none, linear or {ranked"),
        ("{speed: {ranked: []}}", "scoring.speed.ranked is an empty list"),
        ("{speed: {ranked: [10, x]}}", "each of scoring.speed.ranked must be a number >= 0"),
        ("{speed: {rank: [10]}}", "unknown key 'scoring.speed.rank'"),
        ("{corect: 1}", "unknown key 'scoring.corect' (did you mean 'scoring.correct'?)"),
        ("[1, 2]", "scoring must be a mapping of keys, not a list"),
    ],
)
def test_bad_all_scoring(tmp_path: Path, scoring: str, fragment: str) -> None:
    rounds = (
        f"  - id: r\n    title: R\n    format: all\n    questions: [a1]\n    scoring: {scoring}\n"
    )
    problems = problems_of(contest_with(tmp_path, rounds))
    assert any(fragment in problem for problem in problems), problems
    assert all(p.startswith(f"{tmp_path / 'contest.yaml'}:12: round 'r': ") for p in problems), (
        problems
    )


def test_buzzer_round_settings_are_read(tmp_path: Path) -> None:
    rounds = """\
      - id: r
        title: R
        format: buzzer
        questions: [a1]
        read_time: 0.5
        buzz_window: 8
        early_buzz: ignore
        answer_time: 7.5
        answer_on: tablet
        rebound: FALSE
        scoring: {correct: 15, wrong: -5}
    """
    (played,) = load_contest(contest_with(tmp_path, rounds)).rounds
    assert played.settings == BuzzerSettings(
        read_time=0.5,
        buzz_window=8.0,
        early_buzz="ignore",
        answer_time=7.5,
        answer_on="tablet",
        rebound=False,
        correct=15.0,
        wrong=-5.0,
    )


@pytest.mark.parametrize(
    ("setting", "fragment"),
    [
        ("read_time: -1", "read_time must be a number >= 0"),
        ("buzz_window: 0", "buzz_window must be a number > 0"),
        ("answer_time: 0", "answer_time must be a number > 0"),
        ("early_buzz: block", "early_buzz must be one of lockout, ignore"),
        ("answer_on: phone", "answer_on must be one of voice, tablet"),
        ("rebound: yes", "rebound must be true or false"),
        ("scoring: {missing: 0}", "'scoring.missing' is not a scoring key of buzzer rounds"),
        ("scoring: {speed: linear}", "'scoring.speed' is not a scoring key of buzzer rounds"),
    ],
)
def test_bad_buzzer_settings(tmp_path: Path, setting: str, fragment: str) -> None:
    rounds = f"  - id: r\n    title: R\n    format: buzzer\n    questions: [a1]\n    {setting}\n"
    expect_one(contest_with(tmp_path, rounds), 12, "round 'r'", fragment)


# --- questions of a round -------------------------------------------------------------------


def test_a_round_needs_questions_or_draw_but_not_both(tmp_path: Path) -> None:
    path = contest_with(
        tmp_path,
        "  - {id: r, title: R, format: all}\n"
        "  - {id: s, title: S, format: buzzer, questions: [a1], draw: {count: 1}}\n",
    )
    assert problems_of(path) == [
        f"{path}:8: round 'r': missing key 'questions' (a list of question ids) or 'draw'",
        f"{path}:9: round 's': has both 'questions' and 'draw'; give only one of them",
    ]


def test_an_unknown_question_id_is_reported_at_its_line(tmp_path: Path) -> None:
    rounds = "  - id: r\n    title: R\n    format: all\n    questions:\n      - a1\n      - A2\n"
    path = contest_with(tmp_path, rounds)
    expect_one(path, 13, "round 'r': question 'A2' is not in the banks")


def test_a_question_named_in_two_rounds_is_reported_at_the_second(tmp_path: Path) -> None:
    path = contest_with(
        tmp_path,
        ALL_ROUND + "  - id: b\n    title: B\n    format: buzzer\n    questions: [a3, a2]\n",
    )
    expect_one(path, 12, "round 'b': question 'a2' is already asked in round 'chung' (line 8)")


def test_a_question_asked_twice_in_a_round_is_reported(tmp_path: Path) -> None:
    path = contest_with(tmp_path, "  - {id: r, title: R, format: all, questions: [a1, a1]}\n")
    expect_one(path, 8, "round 'r': question 'a1' is already asked in this round")


def test_an_empty_question_list_is_reported(tmp_path: Path) -> None:
    path = contest_with(tmp_path, "  - {id: r, title: R, format: all, questions: []}\n")
    expect_one(path, 8, "round 'r': questions is an empty list")


# --- draws -------------------------------------------------------------------------------


def draw_round(round_id: str, draw: str, fmt: str = "buzzer") -> str:
    return f"  - id: {round_id}\n    title: T\n    format: {fmt}\n    draw: {draw}\n"


def test_a_draw_is_random_sample_with_the_seed_over_matching_questions(tmp_path: Path) -> None:
    path = contest_with(tmp_path, draw_round("d", "{count: 2, tags: [mot-cua], seed: 7}"))
    (played,) = load_contest(path).rounds
    candidates = ["a1", "a2", "a4"]  # any of the tags, in load order
    assert list(played.question_ids) == random.Random(7).sample(candidates, 2)


def test_a_draw_is_the_same_on_every_load(tmp_path: Path) -> None:
    path = contest_with(tmp_path, draw_round("d", "{count: 4}"))
    draws = {load_contest(path).rounds[0].question_ids for _ in range(5)}
    assert len(draws) == 1
    assert list(draws.pop()) == random.Random(0).sample(BANK_IDS, 4)  # the default seed is 0


def test_a_draw_never_picks_a_question_a_round_names_even_a_later_one(tmp_path: Path) -> None:
    rounds = draw_round("d", "{count: 4, seed: 3}") + (
        "  - {id: named, title: N, format: all, questions: [a2, a5]}\n"
    )
    drawn, named = load_contest(contest_with(tmp_path, rounds)).rounds
    assert set(drawn.question_ids) == {"a1", "a3", "a4", "a6"}
    assert named.question_ids == ("a2", "a5")


def test_draws_are_made_in_round_order_without_repeats(tmp_path: Path) -> None:
    rounds = draw_round("d1", "{count: 3, seed: 1}") + draw_round("d2", "{count: 3, seed: 2}")
    first, second = load_contest(contest_with(tmp_path, rounds)).rounds
    assert first.question_ids == tuple(random.Random(1).sample(BANK_IDS, 3))
    rest = [qid for qid in BANK_IDS if qid not in first.question_ids]
    assert second.question_ids == tuple(random.Random(2).sample(rest, 3))


def test_a_draw_filters_by_level_and_tags(tmp_path: Path) -> None:
    rounds = draw_round("d", "{count: 2, tags: [mot-cua, nq76], level: easy}")
    (played,) = load_contest(contest_with(tmp_path, rounds)).rounds
    assert sorted(played.question_ids) == ["a1", "a3"]


def test_drawing_more_than_there_are_is_an_error_at_the_draw(tmp_path: Path) -> None:
    rounds = ALL_ROUND + draw_round("d", "{count: 3, tags: [mot-cua]}")
    problem = expect_one(contest_with(tmp_path, rounds), 12, "round 'd'")
    assert "draw asks for 3 questions but only 1 can be drawn" in problem  # a1, a2 are named
    assert "mot-cua" in problem


@pytest.mark.parametrize(
    ("draw", "fragment"),
    [
        ("{count: 0}", "draw.count must be a whole number >= 1, not '0'"),
        ("{tags: [x]}", "missing key 'draw.count'"),
        ("{count: 1, seed: x}", "draw.seed must be a whole number, not 'x'"),
        ("{count: 1, level: hardest}", "draw.level must be one of easy, medium, hard"),
        ("{count: 1, tags: nq76}", "draw.tags must be a list"),
        ("{count: 1, tag: [x]}", "unknown key 'draw.tag' (did you mean 'draw.tags'?)"),
        ("5", "draw must be a mapping of keys, not '5'"),
    ],
)
def test_bad_draws(tmp_path: Path, draw: str, fragment: str) -> None:
    expect_one(contest_with(tmp_path, draw_round("d", draw)), 11, "round 'd'", fragment)


# --- ranking ----------------------------------------------------------------------------


def test_ranking_tiebreak_accepts_the_three_criteria(tmp_path: Path) -> None:
    extra = "ranking:\n  tiebreak: [tiebreak_round, answer_time, correct_count]\n"
    contest = load_contest(contest_with(tmp_path, ALL_ROUND, extra))
    assert contest.tiebreak == ("tiebreak_round", "answer_time", "correct_count")


@pytest.mark.parametrize(
    ("ranking", "line", "fragment"),
    [
        ("ranking:\n  tiebreak: [speed]\n", 10, "must be one of correct_count, answer_time"),
        ("ranking:\n  tiebreak: [answer_time, answer_time]\n", 10, "names 'answer_time' twice"),
        ("ranking:\n  tiebreak: correct_count\n", 10, "ranking.tiebreak must be a list"),
        ("ranking:\n  tie_break: [answer_time]\n", 10, "unknown key 'ranking.tie_break'"),
        ("ranking: first\n", 9, "ranking must be a mapping"),
    ],
)
def test_bad_ranking(tmp_path: Path, ranking: str, line: int, fragment: str) -> None:
    expect_one(contest_with(tmp_path, ALL_ROUND, ranking), line, fragment)


# --- never a crash ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "junk",
    [
        "rounds: 5\n",
        "rounds: [5, [1], {}]\n",
        "teams: {a: b}\n",
        "teams: [[], 3, {id: [x], name: {a: b}}]\n",
        "banks: [[a], {b: c}, ~, 3]\n",
        "banks: bank.yaml\n",
        "rounds:\n  - {id: r, title: [x], format: [all], questions: {a: b}, draw: [1]}\n",
        "rounds:\n  - {id: r, title: R, format: all, questions: [[a1], ~, {x: 1}]}\n",
        "rounds:\n  - {id: r, title: R, format: all, questions: [a1], "
        "scoring: {speed: {ranked: {a: 1}}}}\n",
    ],
)
def test_junk_shapes_become_problems(tmp_path: Path, junk: str) -> None:
    key = junk.split(":")[0]
    text = HEAD + ALL_ROUND
    start = text.index(f"{key}:")
    end = text.index("\n", start) + 1
    if key in ("rounds", "teams"):  # these keys run over several lines
        following = {"teams": "rounds:", "rounds": None}[key]
        end = text.index(following) if following else len(text)
    path = contest_with(tmp_path, "", head=text[:start] + junk + text[end:])
    problems = problems_of(path)
    assert problems and all(":" in problem for problem in problems)


MIXED_BANK = """\
bank: demo
title: Demo
questions:
  - {id: s1, type: single, text: S1, choices: {A: x, B: y}, answer: A, tags: [nq76], level: easy}
  - {id: s2, type: single, text: S2, choices: {A: x, B: y}, answer: B, tags: [nq76]}
  - {id: m1, type: multiple, text: M1, choices: {A: x, B: y}, answer: [A, B], tags: [nq76]}
  - {id: o1, type: order, text: O1, items: {A: x, B: y}, answer: [B, A], tags: [nq76]}
  - {id: t1, type: true_false, text: T1, answer: true, tags: [nq76], level: easy}
  - {id: t2, type: true_false, text: T2, answer: false, tags: [other], level: easy}
  - {id: x1, type: text, text: X1, answer: một cửa, tags: [nq76], level: easy}
"""


def test_a_draw_filters_by_types_with_tags_and_level(tmp_path: Path) -> None:
    rounds = draw_round("d", "{count: 4, tags: [nq76], types: [single, true_false, text]}")
    path = contest_with(tmp_path, rounds)
    write(tmp_path, "bank.yaml", MIXED_BANK)
    (played,) = load_contest(path).rounds
    assert sorted(played.question_ids) == ["s1", "s2", "t1", "x1"]
    easy = draw_round("d", "{count: 3, types: [single, true_false], level: easy}")
    path = contest_with(tmp_path, easy)
    write(tmp_path, "bank.yaml", MIXED_BANK)
    # s2 has no level; x1 is easy but text
    assert sorted(load_contest(path).rounds[0].question_ids) == ["s1", "t1", "t2"]


def test_a_draw_with_too_few_of_its_types_names_them(tmp_path: Path) -> None:
    path = contest_with(tmp_path, draw_round("d", "{count: 3, types: [multiple, order]}"))
    write(tmp_path, "bank.yaml", MIXED_BANK)
    problem = expect_one(path, 11, "round 'd'", "only 2 can be drawn", "types: multiple, order")
    assert problem


@pytest.mark.parametrize(
    ("types", "line", "fragment"),
    [
        ("[single, yes_no]", 12, "draw.types: unknown question type 'yes_no'"),
        ("[single, truefalse]", 12, "(did you mean 'true_false'?)"),
        ("[single, single]", 12, "draw.types: 'single' is listed twice"),
        ("single", 12, "draw.types must be a list"),
        ("[]", 12, "draw.types is an empty list"),
    ],
)
def test_draw_types_must_be_known_types(
    tmp_path: Path, types: str, line: int, fragment: str
) -> None:
    rounds = "  - id: d\n    title: T\n    format: all\n    draw:\n      count: 1\n"
    rounds += f"      types: {types}\n"
    path = contest_with(tmp_path, rounds)
    write(tmp_path, "bank.yaml", MIXED_BANK)
    expect_one(path, line + 1, "round 'd'", fragment)


def test_draw_types_errors_name_the_line_of_the_bad_item(tmp_path: Path) -> None:
    rounds = (
        "  - id: d\n    title: T\n    format: all\n    draw:\n      count: 1\n"
        "      types:\n        - single\n        - multi\n"
    )
    path = contest_with(tmp_path, rounds)
    expect_one(path, 15, "unknown question type 'multi'", "(did you mean 'multiple'?)")


def test_devices_per_team_defaults_to_one_and_is_read(tmp_path: Path) -> None:
    assert load_contest(contest_with(tmp_path, ALL_ROUND)).devices_per_team == 1
    path = contest_with(tmp_path, ALL_ROUND, "devices_per_team: 3\n")
    assert load_contest(path).devices_per_team == 3


@pytest.mark.parametrize("value", ["0", "-1", "2.5", "many", "1001"])
def test_devices_per_team_must_be_a_small_whole_number(tmp_path: Path, value: str) -> None:
    path = contest_with(tmp_path, ALL_ROUND, f"devices_per_team: {value}\n")
    problem = expect_one(path, 9, "devices_per_team")
    assert "a whole number from 1 to 1000" in problem, problem
