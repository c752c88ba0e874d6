"""Engine scenarios of `judged` rounds: given events, when a command, then events.

Judges score the team the MC calls; the result (mean, trimmed mean or sum of
the judges' scores, times the weight) is added to the team's total when the
MC shows it. Every figure below is worked out by hand in its comment.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from quiz.files.bank import LoadError, load_contest
from quiz.rules import engine, views
from quiz.rules.commands import (
    AdjustScore,
    CloseEarly,
    OpenAnswers,
    Reveal,
    ScoreTeam,
    SetJudgeScore,
    ShowQuestion,
    StartRound,
    Undo,
)
from quiz.rules.events import (
    AnswersClosed,
    AnswersOpened,
    JudgeScored,
    QuestionShown,
    from_record,
    to_record,
)
from quiz.rules.formats.judged import combine
from quiz.rules.judge_view import judge_view
from quiz.rules.model import Contest, Phase
from tests.support import Game

BANK = """\
bank: demo
title: Demo
questions:
  - {id: a1, type: true_false, text: "Một?", answer: true}
"""

JUDGES5 = "\n".join(f"  - {{id: gk{i}, name: Giám khảo {i}}}" for i in range(1, 6))


def write(folder: Path, round_keys: str, judges: str = JUDGES5, extra_rounds: str = "") -> str:
    (folder / "bank.yaml").write_text(BANK, encoding="utf-8")
    text = (
        textwrap.dedent(
            """\
            contest: thu
            title: Hội thi
            banks: [bank.yaml]
            teams:
              - {id: bo, name: Thị trấn Bo}
              - {id: binh-son, name: Xã Bình Sơn}
              - {id: tu-ne, name: Xã Tú Nê}
            judges:
            """
        )
        + judges
        + "\nrounds:\n  - id: chao-hoi\n    title: Chào hỏi\n    format: judged\n"
        + textwrap.indent(textwrap.dedent(round_keys), "    ")
        + extra_rounds
    )
    path = folder / "contest.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def game(tmp_path: Path, keys: str = "", **kw: Any) -> Game:
    return Game(load_contest(write(tmp_path, keys, **kw)))


def called(g: Game, at: float = 1) -> str:
    """Start the round if needed and call the next team; the turn's id."""
    if g.state.phase in (Phase.LOBBY,):
        g.at(at).do(StartRound())
    g.at(at).do(ShowQuestion())
    assert g.state.current is not None
    return g.state.current


def score_all(g: Game, turn: str, scores: list[float], at: float = 2) -> None:
    for i, s in enumerate(scores, start=1):
        g.at(at).do(ScoreTeam(turn, f"gk{i}", s))


# --- the contest file ------------------------------------------------------------------


def test_turns_are_the_teams_in_order_and_settings_are_read(tmp_path: Path) -> None:
    c = load_contest(write(tmp_path, "max: 20\nstep: 1\ncombine: sum\nweight: 2\n"))
    rnd = c.rounds[0]
    assert rnd.question_ids == ("chao-hoi:bo", "chao-hoi:binh-son", "chao-hoi:tu-ne")
    assert c.questions["chao-hoi:binh-son"].text == "Xã Bình Sơn"
    assert [j.id for j in c.judges] == ["gk1", "gk2", "gk3", "gk4", "gk5"]
    s: Any = rnd.settings
    assert (s.max, s.step, s.combine, s.weight) == (20, 1, "sum", 2)


def test_criteria_make_the_maximum(tmp_path: Path) -> None:
    keys = """\
    criteria:
      - {id: noi-dung, title: Nội dung, max: 6}
      - {id: the-hien, title: Thể hiện, max: 4}
    """
    s: Any = load_contest(write(tmp_path, keys)).rounds[0].settings
    assert s.max == 10 and [c.id for c in s.criteria] == ["noi-dung", "the-hien"]


@pytest.mark.parametrize(
    ("keys", "line", "message"),
    [
        ("combine: median\n", 18, "combine must be one of mean, trimmed_mean, sum"),
        ("judges: [gk1, gk9]\n", 18, "judges names 'gk9', not in the contest's judges"),
        ("max: 10\nstep: 3\n", 19, "max 10 is not a whole number of steps of 3"),
        ("questions: [a1]\n", 18, "'questions' is a setting of"),
        (
            "max: 12\ncriteria:\n  - {id: a, title: A, max: 5}\n",
            18,
            "max is 12 but the criteria add up to 5",
        ),
    ],
)
def test_bad_settings_name_file_and_line(
    tmp_path: Path, keys: str, line: int, message: str
) -> None:
    path = write(tmp_path, keys)
    with pytest.raises(LoadError) as info:
        load_contest(path)
    texts = [str(p) for p in info.value.problems]
    assert any(t.startswith(f"{path}:{line}: ") and message in t for t in texts), texts


def test_a_judged_round_needs_judges(tmp_path: Path) -> None:
    path = write(tmp_path, "", judges="  []")
    with pytest.raises(LoadError) as info:
        load_contest(path)
    assert any("judges" in str(p) for p in info.value.problems), info.value.problems


# --- the flow ----------------------------------------------------------------------------


def test_calling_a_team_opens_scoring_and_all_scores_close_it(tmp_path: Path) -> None:
    g = game(tmp_path)
    g.at(0).do(StartRound())
    events = g.at(1).do(ShowQuestion())
    assert [type(e) for e in events] == [QuestionShown, AnswersOpened]
    turn = g.state.current
    assert turn == "chao-hoi:bo" and g.state.phase == Phase.OPEN
    g.refuse(OpenAnswers(turn), "not_shown")  # scoring is open already
    for i in range(1, 5):
        assert [type(e) for e in g.at(2).do(ScoreTeam(turn, f"gk{i}", 8))] == [JudgeScored]
    events = g.at(3).do(ScoreTeam(turn, "gk5", 9))
    assert [type(e) for e in events] == [JudgeScored, AnswersClosed]
    assert g.state.phase == Phase.CLOSED
    assert g.totals()["bo"] == 0  # not shown yet
    g.at(4).do(Reveal(turn))
    # mean of 8, 8, 8, 8, 9 = 40 / 5 = 8.2
    assert g.totals() == {"bo": 8.2, "binh-son": 0, "tu-ne": 0}


@pytest.mark.parametrize(
    ("how", "scores", "expected"),
    [
        ("mean", [7, 8, 9, 9.5, 10], 8.7),  # 43.5 / 5
        ("trimmed_mean", [7, 8, 9, 9.5, 10], 8.83),  # drop 7 and 10: 26.5 / 3 = 8.833.. -> 8.83
        ("sum", [7, 8, 9, 9.5, 10], 43.5),
        ("trimmed_mean", [6, 8, 8.5, 9, 9.5], 8.5),  # drop 6 and 9.5: 25.5 / 3
    ],
)
def test_each_combine(tmp_path: Path, how: str, scores: list[float], expected: float) -> None:
    g = game(tmp_path, f"combine: {how}\n")
    turn = called(g)
    score_all(g, turn, scores)
    g.at(3).do(Reveal(turn))
    assert g.totals()["bo"] == expected


def test_trimmed_mean_keeps_every_score_below_five_judges(tmp_path: Path) -> None:
    assert combine("trimmed_mean", [5, 9, 10, 10]) == (8.5, [])  # 34 / 4
    assert combine("trimmed_mean", [5, 9, 10, 10, 10]) == (9.67, [0, 2])  # 29 / 3 = 9.666..
    g = game(tmp_path, "combine: trimmed_mean\njudges: [gk1, gk2, gk3]\n")
    turn = called(g)
    score_all(g, turn, [6, 7, 10])
    g.at(3).do(Reveal(turn))
    assert g.totals()["bo"] == 7.67  # 23 / 3 = 7.666.. -> 7.67


def test_weight_multiplies_the_result(tmp_path: Path) -> None:
    g = game(tmp_path, "weight: 2\njudges: [gk1, gk2]\n")
    turn = called(g)
    score_all(g, turn, [7.5, 8])
    g.at(3).do(Reveal(turn))
    assert g.totals()["bo"] == 15.5  # (7.5 + 8) / 2 = 7.75, times 2


def test_weight_multiplies_the_exact_result_not_its_rounding(tmp_path: Path) -> None:
    g = game(tmp_path, "weight: 3\njudges: [gk1, gk2, gk3]\n")
    turn = called(g)
    score_all(g, turn, [7, 8, 8])
    g.at(3).do(Reveal(turn))
    assert g.totals()["bo"] == 23  # 23 / 3 times 3, not 7.67 times 3 = 23.01


def test_criteria_scores_are_summed_and_checked(tmp_path: Path) -> None:
    keys = """\
    judges: [gk1, gk2]
    criteria:
      - {id: nd, title: Nội dung, max: 6}
      - {id: th, title: Thể hiện, max: 4}
    """
    g = game(tmp_path, keys)
    turn = called(g)
    g.refuse(ScoreTeam(turn, "gk1", 8), "bad_score")  # one number where criteria are asked
    g.refuse(ScoreTeam(turn, "gk1", parts={"nd": 5}), "bad_score")  # a criterion missing
    g.refuse(ScoreTeam(turn, "gk1", parts={"nd": 6.5, "th": 3}), "bad_score")  # above 6
    g.refuse(ScoreTeam(turn, "gk1", parts={"nd": 5.2, "th": 3}), "bad_score")  # not a step
    g.refuse(ScoreTeam(turn, "gk1", parts={"nd": 5, "th": 3, "x": 1}), "bad_score")
    g.at(2).do(ScoreTeam(turn, "gk1", parts={"nd": 5.5, "th": 3}))  # 8.5
    g.at(2).do(ScoreTeam(turn, "gk2", parts={"nd": 6, "th": 3.5}))  # 9.5
    g.at(3).do(Reveal(turn))
    assert g.totals()["bo"] == 9  # (8.5 + 9.5) / 2
    board = views.board_view(g.contest, g.state, g.now)
    assert [j["parts"] for j in board["judged"]["judges"]] == [
        {"nd": 5.5, "th": 3},
        {"nd": 6, "th": 3.5},
    ]


def test_scores_are_checked_against_max_and_step(tmp_path: Path) -> None:
    g = game(tmp_path)
    turn = called(g)
    for bad in (-1, 10.5, 7.3, float("nan")):
        error = g.refuse(ScoreTeam(turn, "gk1", bad), "bad_score")
        assert error.message
    assert "từ 0 đến 10" in g.refuse(ScoreTeam(turn, "gk1", 11)).message
    assert "bước 0,5" in g.refuse(ScoreTeam(turn, "gk1", 7.3)).message
    g.refuse(ScoreTeam(turn, "gk9", 8), "not_a_judge")
    g.refuse(ScoreTeam("chao-hoi:tu-ne", "gk1", 8), "stale")  # not the team called


def test_a_judge_changes_a_score_before_it_is_shown(tmp_path: Path) -> None:
    g = game(tmp_path, "judges: [gk1, gk2]\n")
    turn = called(g)
    g.at(2).do(ScoreTeam(turn, "gk1", 6))
    g.at(3).do(ScoreTeam(turn, "gk1", 7))  # changed while scoring is open
    assert g.at(4).do(ScoreTeam(turn, "gk1", 7)) == []  # the same again: nothing new
    g.at(5).do(ScoreTeam(turn, "gk2", 9))
    assert g.state.phase == Phase.CLOSED
    g.at(6).do(ScoreTeam(turn, "gk2", 8))  # after all have scored, before it is shown
    g.at(7).do(Reveal(turn))
    assert g.totals()["bo"] == 7.5  # (7 + 8) / 2
    error = g.refuse(ScoreTeam(turn, "gk2", 10), "shown")
    assert "điều chỉnh" in error.message


def test_after_it_is_shown_only_a_correction_changes_it(tmp_path: Path) -> None:
    g = game(tmp_path, "judges: [gk1, gk2]\n")
    turn = called(g)
    g.refuse(SetJudgeScore(turn, "gk1", "sai", 9), "not_shown")  # judges still may change it
    score_all(g, turn, [7, 8])
    g.at(3).do(Reveal(turn))
    g.refuse(SetJudgeScore(turn, "gk1", "", 9), "reason_required")
    g.refuse(SetJudgeScore(turn, "gk1", "nhập nhầm", 12), "bad_score")
    g.refuse(SetJudgeScore(turn, "gk7", "nhập nhầm", 9), "not_a_judge")
    g.at(4).do(SetJudgeScore(turn, "gk1", "Giám khảo 1 nhập nhầm 7 thay vì 9", 9))
    assert g.totals()["bo"] == 8.5  # (9 + 8) / 2
    correction = g.state.corrections[-1]
    assert (correction.kind, correction.judge, correction.value) == ("judge_score", "gk1", 9)
    board = views.board_view(g.contest, g.state, g.now)
    assert [j["score"] for j in board["judged"]["judges"]] == [9, 8]
    notice = board["notices"][0]
    assert notice["kind"] == "judge_score" and notice["points"] == 1  # 7.5 -> 8.5
    g.at(5).do(Undo(reason="sửa nhầm", id=correction.id))
    assert g.totals()["bo"] == 7.5
    again = engine.replay(
        g.contest, [from_record(json.loads(json.dumps(to_record(e)))) for e in g.log]
    )
    assert again == g.state


def test_a_missing_judge_and_the_mc_closing(tmp_path: Path) -> None:
    g = game(tmp_path, "combine: trimmed_mean\n")
    turn = called(g)
    g.refuse(CloseEarly(turn), "no_scores")  # nobody has scored yet
    score_all(g, turn, [6, 7, 8, 9])  # gk5 is missing
    assert g.state.phase == Phase.OPEN
    mc = views.mc_view(g.contest, g.state, g.now)
    assert mc["next"]["command"] == "close" and "1 giám khảo" in mc["next"]["label"]
    assert [j["scored"] for j in mc["judged_scores"]["judges"]] == [True] * 4 + [False]
    board = views.board_view(g.contest, g.state, g.now)
    assert "score" not in board["judged"]["judges"][0]  # not shown while scoring is open
    assert board["judged"]["result"] is None
    g.at(3).do(CloseEarly(turn))
    assert g.state.question is not None and g.state.question.close_reason == "mc"
    board = views.board_view(g.contest, g.state, g.now)
    assert [j["score"] for j in board["judged"]["judges"]] == [6, 7, 8, 9, None]
    assert board["judged"]["result"] == 7.5  # 4 scores: below 5, none dropped: 30 / 4
    g.at(4).do(ScoreTeam(turn, "gk5", 10))  # the late judge, before it is shown
    board = views.board_view(g.contest, g.state, g.now)
    # 5 scores now: 6 and 10 dropped, (7 + 8 + 9) / 3 = 8
    assert board["judged"]["result"] == 8
    assert [j["dropped"] for j in board["judged"]["judges"]] == [True, False, False, False, True]
    g.at(5).do(Reveal(turn))
    assert g.totals()["bo"] == 8


def test_results_add_to_totals_with_the_other_rounds(tmp_path: Path) -> None:
    more = (
        "  - id: chung\n    title: Kiến thức\n    format: all\n    questions: [a1]\n"
        "  - id: y-tuong\n    title: Ý tưởng\n    format: judged\n    combine: sum\n"
        "    judges: [gk1, gk2]\n"
    )
    g = game(tmp_path, "judges: [gk1, gk2]\n", extra_rounds=more)
    from quiz.rules.commands import SubmitAnswer

    expected = {"bo": [8, 9], "binh-son": [9, 9], "tu-ne": [6, 7]}
    g.at(0).do(StartRound())
    for team, scores in expected.items():
        turn = called(g)
        assert turn == f"chao-hoi:{team}"
        score_all(g, turn, scores)
        g.at(3).do(Reveal(turn))
    g.refuse(ShowQuestion(), "round_over")
    g.at(10).do(StartRound())
    g.at(11).do(ShowQuestion())
    g.at(12).do(OpenAnswers("a1"))
    g.at(13).do(SubmitAnswer("a1", "tu-ne", True, g.now))
    g.at(40).tick()
    g.at(41).do(Reveal("a1"))
    g.at(42).do(StartRound())
    for team in expected:
        turn = called(g, 43)
        score_all(g, turn, [5, 5] if team == "tu-ne" else [1, 1], at=44)
        g.at(45).do(Reveal(turn))
    g.at(46).do(AdjustScore("bo", 0.5, "thưởng"))
    # chào hỏi (mean): bo 8.5, binh-son 9, tu-ne 6.5; kiến thức: tu-ne 10;
    # ý tưởng (sum): bo 2, binh-son 2, tu-ne 10; adjustment: bo +0.5
    assert g.totals() == {"bo": 11, "binh-son": 11, "tu-ne": 26.5}
    assert g.ranks()["tu-ne"] == 1
    assert engine.replay(g.contest, g.log) == g.state


def test_the_views_keep_scores_secret_until_shown(tmp_path: Path) -> None:
    g = game(tmp_path, "judges: [gk1, gk2]\n")
    turn = called(g)
    g.at(2).do(ScoreTeam(turn, "gk1", 9.5))
    contest: Contest = g.contest
    board = views.board_view(contest, g.state, g.now)
    team = views.team_view(contest, g.state, "bo", g.now)
    other = judge_view(contest, g.state, "gk2", g.now)
    for view in (board, team, other):
        assert "9.5" not in json.dumps(view), view
    mine = judge_view(contest, g.state, "gk1", g.now)
    assert mine["turn"]["mine"] == {"score": 9.5, "parts": None}
    assert mine["turn"]["team_name"] == "Thị trấn Bo" and mine["turn"]["may_score"]
    assert views.mc_view(contest, g.state, g.now)["judged_scores"]["judges"][0]["score"] == 9.5


def test_the_record_has_judged_rounds_in_their_per_round_points(tmp_path: Path) -> None:
    from quiz.files.record import build_record

    g = game(tmp_path, "judges: [gk1, gk2]\n")
    for scores in ([8, 9], [6, 7], [10, 10]):
        turn = called(g)
        score_all(g, turn, scores)
        g.at(3).do(Reveal(turn))
    g.at(4).do(SetJudgeScore("chao-hoi:binh-son", "gk1", "phiếu ghi 7, nhập 6", 7))
    record = build_record(g.contest, g.state, "abc", len(g.log), made_at=0)
    rounds = {row.team: row.rounds for row in record.standings}
    # bo (8 + 9) / 2; binh-son (7 + 7) / 2 after the correction; tu-ne 10
    assert rounds == {"bo": [8.5], "binh-son": [7], "tu-ne": [10]}
    turn = next(q for q in record.questions if q.id == "chao-hoi:bo")
    assert turn.key == "Giám khảo 1: 8; Giám khảo 2: 9; kết quả (trung bình): 8,5"
    (fix,) = record.corrections
    assert (fix.kind, fix.what, fix.reason) == (
        "judge_score",
        "Giám khảo 1: 7",
        "phiếu ghi 7, nhập 6",
    )
    assert record.labels["kind_judge_score"] == "Sửa điểm giám khảo"


def test_a_hand_set_answer_is_refused_on_a_judged_turn(tmp_path: Path) -> None:
    from quiz.rules.commands import SetAnswer

    g = game(tmp_path, "judges: [gk1]\n")
    turn = called(g)
    score_all(g, turn, [7])
    g.at(3).do(Reveal(turn))
    g.refuse(SetAnswer(turn, "bo", "nhầm", value=9), "judged")
