"""What each audience sees: the key never reaches a team or the board before reveal."""

from __future__ import annotations

import json

import pytest
from support import T0, Game, contest, q_multiple, q_number, q_order, q_single, q_text, q_tf

from quiz.rules.commands import (
    AddTime,
    AdjustScore,
    Buzz,
    Judge,
    OpenAnswers,
    PauseClock,
    ResumeClock,
    Reveal,
    ShowQuestion,
    StartRound,
    SubmitAnswer,
)
from quiz.rules.model import AllSettings, BuzzerSettings, Phase, Question
from quiz.rules.views import board_view, mc_view, next_step, team_view

SECRET_TEXT = "bí-mật-đáp-án"
QUESTIONS = [
    q_single("s1", "C"),
    q_multiple("m1"),
    q_tf("tf1", False),
    q_text("t1", (SECRET_TEXT,)),
    q_number("n1", 987654.0),
    q_order("o1"),
]


def _views(game: Game) -> list[dict[str, object]]:
    out = [board_view(game.contest, game.state, game.now)]
    out += [team_view(game.contest, game.state, t.id, game.now) for t in game.contest.teams]
    return out


def _assert_secret(game: Game, question: Question) -> None:
    for view in _views(game):
        assert "key" not in view
        assert view.get("reveal") is None
        text = json.dumps(view, ensure_ascii=False)
        assert SECRET_TEXT not in text
        assert "987654" not in text
        for result in view.get("result") or []:
            raise AssertionError(f"result before reveal: {result}")
        assert view.get("result") is None


@pytest.mark.parametrize("fmt", ["all", "buzzer"])
@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.type)
def test_no_view_but_the_mc_carries_the_key_before_reveal(fmt: str, question: Question) -> None:
    settings = AllSettings() if fmt == "all" else BuzzerSettings()
    game = Game(contest((fmt, [question], settings)))
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    _assert_secret(game, question)
    game.at(1).do(OpenAnswers(question.id))
    _assert_secret(game, question)
    if fmt == "all":
        game.do(
            SubmitAnswer(
                question.id,
                "t2",
                {
                    "single": "A",
                    "multiple": ["B"],
                    "true_false": True,
                    "text": "sai",
                    "number": 1,
                    "order": ["A", "B", "C"],
                }[question.type],
                T0 + 1.5,
            )
        )
        _assert_secret(game, question)
        game.at(60).tick()
    else:
        game.at(2).do(Buzz(question.id, "t1", T0 + 2, 0.1))
        game.at(2.2).tick()
        assert game.state.phase == Phase.ANSWERING
        _assert_secret(game, question)
        game.at(60).tick()  # a spoken answer's time up: the MC still judges
        _assert_secret(game, question)
        game.do(Judge(question.id, "t1", False, verdict="timeout"))
        game.at(120).tick()  # the rebound's buzz window ends with nobody buzzing
    assert game.state.phase == Phase.CLOSED
    _assert_secret(game, question)
    mc = mc_view(game.contest, game.state, game.now)
    assert mc["key"]["answer"]  # the MC alone sees it
    game.do(Reveal(question.id))
    for view in _views(game):
        assert view["reveal"] is not None and view["reveal"]["answer"]


NOTE = "ghi-chú-thẩm-định-bí-mật"


@pytest.mark.parametrize("fmt", ["all", "buzzer"])
def test_a_reviewer_note_reaches_the_mc_only_even_after_reveal(fmt: str) -> None:
    settings = AllSettings() if fmt == "all" else BuzzerSettings()
    question = q_single("s1", "C", note=NOTE, source="Nghị quyết 76/NQ-CP")
    game = Game(contest((fmt, [question], settings)))
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    assert mc_view(game.contest, game.state, game.now)["key"]["note"] == NOTE
    game.at(1).do(OpenAnswers("s1"))
    game.at(60).tick()
    game.do(Reveal("s1"))
    for view in _views(game):
        text = json.dumps(view, ensure_ascii=False)
        assert view["reveal"] is not None
        assert "Nghị quyết 76/NQ-CP" in text  # the source is public after reveal
        assert NOTE not in text
    assert NOTE in json.dumps(mc_view(game.contest, game.state, game.now), ensure_ascii=False)


def test_board_shows_who_answered_never_what_until_time_up() -> None:
    game = Game(contest(("all", [q_single("s1", "C")], AllSettings())))
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    game.at(1).do(OpenAnswers("s1"))
    game.do(SubmitAnswer("s1", "t2", "A", T0 + 1.5))
    board = board_view(game.contest, game.state, game.now)
    assert [t["answered"] for t in board["teams"]] == [False, True, False, False]
    assert board["boards"] is None
    game.at(30).tick()
    board = board_view(game.contest, game.state, game.now)
    assert [b["answer"] for b in board["boards"]] == [None, "A", None, None]


def test_team_view_has_its_own_answer_only() -> None:
    game = Game(contest(("all", [q_single("s1", "C")], AllSettings())))
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    game.at(1).do(OpenAnswers("s1"))
    game.do(SubmitAnswer("s1", "t2", "A", T0 + 1.5, nonce="x"))
    mine = team_view(game.contest, game.state, "t2", game.now)
    other = team_view(game.contest, game.state, "t1", game.now)
    assert mine["my_answer"]["display"] == "A" and mine["my_answer"]["nonce"] == "x"
    assert other["my_answer"] is None and other["teams"] == []
    assert mine["clock"]["running"] and mine["clock"]["deadline"] == int((T0 + 21) * 1000)
    assert mine["clock"]["opened_at"] == int((T0 + 1) * 1000)


def test_opened_at_stays_when_the_clock_is_paused_and_extended() -> None:
    game = Game(contest(("all", [q_single("s1", "C")], AllSettings())))
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    game.at(1).do(OpenAnswers("s1"))
    game.at(3).do(PauseClock("s1"))
    game.at(8).do(AddTime("s1", 10))
    game.do(ResumeClock("s1"))
    clock = board_view(game.contest, game.state, game.now)["clock"]
    assert clock["opened_at"] == int((T0 + 1) * 1000)
    # deadline - limit would say 5 s later than answering really opened
    assert clock["deadline"] - clock["limit_ms"] == int((T0 + 6) * 1000)


def test_scoreboard_shows_rank_changes() -> None:
    game = Game(contest(("all", [q_single("s1", "C")], AllSettings())))
    game.do(AdjustScore("t4", 5, "điểm chào hỏi"))
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    game.at(1).do(OpenAnswers("s1"))
    game.do(SubmitAnswer("s1", "t2", "C", T0 + 1.5))
    game.at(30).tick()
    game.do(Reveal("s1"))
    rows = {r["team"]: r for r in board_view(game.contest, game.state, game.now)["scoreboard"]}
    assert (rows["t2"]["rank"], rows["t2"]["previous_rank"]) == (1, 2)
    assert (rows["t4"]["rank"], rows["t4"]["previous_rank"]) == (2, 1)


def test_next_step_walks_the_mc_through_the_round() -> None:
    game = Game(contest(("all", [q_single("s1")], None), ("buzzer", [q_single("b1")], None)))
    steps = []
    for _ in range(20):
        step = next_step(game.contest, game.state)
        steps.append(step["command"])
        if step["command"] is None:
            break
        if step["command"] == "start_round":
            game.do(StartRound(step.get("round")))
        elif step["command"] == "show":
            game.do(ShowQuestion(step["question"]))
        elif step["command"] == "open":
            game.do(OpenAnswers(step["question"]))
            game.at(game.now - 1_700_000_000 + 61).tick()
        elif step["command"] == "reveal":
            game.do(Reveal(step["question"]))
    assert steps == [
        "start_round",
        "show",
        "open",
        "reveal",
        "start_round",
        "show",
        "open",
        "reveal",
        "start_round",
        None,
    ]


def test_an_answer_set_by_hand_shows_as_answered_and_on_the_raised_boards() -> None:
    from quiz.rules.commands import SetAnswer

    game = Game(contest(("all", [q_single("s1", "C")], AllSettings())))
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    game.at(1).do(OpenAnswers("s1"))
    game.do(SetAnswer("s1", "t3", "Máy tính bảng hỏng, đội giơ bảng giấy", value="C"))
    board = board_view(game.contest, game.state, game.now)
    assert [t["answered"] for t in board["teams"]] == [False, False, True, False]
    mc = mc_view(game.contest, game.state, game.now)
    row = next(a for a in mc["answers"] if a["team"] == "t3")
    assert (row["answer"], row["correct"], row["by_hand"]) == ("C", True, True)
    assert mc["asked"][0]["choices"][2] == {"key": "C", "text": "Ba"}
    assert "answer" not in mc["asked"][0] and "key" not in mc["asked"][0]
    game.at(30).tick()
    boards = board_view(game.contest, game.state, game.now)["boards"]
    assert [b["answer"] for b in boards] == [None, None, "C", None]
