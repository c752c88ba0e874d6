"""Scenarios for format `elimination` (Rung chuông vàng): given events, when a
command, then the floor, the ranking and the team points."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from support import T0, Game, contest, q_single, q_tf

from quiz.rules import engine, views
from quiz.rules.commands import (
    CallRescue,
    OpenAnswers,
    ReinstatePlayer,
    Reveal,
    SetPlayerAnswer,
    ShowQuestion,
    StartRound,
    SubmitAnswer,
    Undo,
    VoidQuestion,
)
from quiz.rules.events import PlayerReinstated, RescueCalled, from_record, to_record
from quiz.rules.formats.elimination_floor import EliminationSettings, floor
from quiz.rules.model import Phase, Player, Team
from quiz.rules.scoring import standings

TEAMS = (Team("a", "Xã A"), Team("b", "Xã B"))


def players(n: int) -> tuple[Player, ...]:
    return tuple(
        Player(f"{i:03d}", f"Thí sinh {i}", "a" if i % 2 else "b") for i in range(1, n + 1)
    )


def game(n: int = 6, questions: int = 5, rescue: int = 2, **settings: Any) -> Game:
    qs = [q_single(f"e{i}", "B") for i in range(1, questions + 1)]
    rescue_qs = [q_tf(f"cuu-{i}", True) for i in range(1, rescue + 1)]
    s = EliminationSettings(
        rescue_questions=tuple(q.id for q in rescue_qs),
        **settings,
    )
    c = contest(("elimination", qs, s), teams=TEAMS)
    c = replace(c, players=players(n), questions={**c.questions, **{q.id: q for q in rescue_qs}})
    g = Game(c)
    g.at(0).do(StartRound())
    return g


def ask(g: Game, right: list[str], wrong: list[str] = (), value: Any = None) -> str:  # type: ignore[assignment]
    """Show the next question, open it, the players answer, time up, reveal."""
    start = g.now - T0 + 1
    g.at(start).do(ShowQuestion())
    qid = g.state.current
    assert qid is not None
    g.at(start + 1).do(OpenAnswers(qid))
    for i, number in enumerate(right):
        g.at(start + 2 + i * 0.01).do(SubmitAnswer(qid, number, value or "B", g.now, f"n{number}"))
    for i, number in enumerate(wrong):
        g.at(start + 3 + i * 0.01).do(SubmitAnswer(qid, number, "A", g.now, f"w{number}"))
    g.at(start + 40).tick()  # time up
    assert g.state.phase == Phase.CLOSED
    g.do(Reveal(qid))
    return qid


def on(g: Game) -> list[str]:
    return floor(g.contest, g.state).on_floor()


def test_wrong_and_missing_leave_the_floor_at_the_reveal_only() -> None:
    g = game()
    g.at(1).do(ShowQuestion())
    g.at(2).do(OpenAnswers("e1"))
    g.at(3).do(SubmitAnswer("e1", "001", "B", g.now, "x"))
    g.at(3).do(SubmitAnswer("e1", "002", "A", g.now, "y"))
    g.at(40).tick()
    assert on(g) == [p.number for p in g.contest.players]  # closed, not revealed yet
    g.do(Reveal("e1"))
    assert on(g) == ["001"]
    f = floor(g.contest, g.state)
    assert f.players["002"].out_at == 1 and f.players["003"].out_at == 1
    assert f.last_left == 5


def test_an_eliminated_player_may_not_answer_and_a_non_player_is_refused() -> None:
    g = game()
    ask(g, ["001", "002", "003"], ["004"])
    g.at(g.now - T0 + 1).do(ShowQuestion())
    g.do(OpenAnswers("e2"))
    g.refuse(SubmitAnswer("e2", "004", "B", g.now, "z"), "eliminated")
    g.refuse(SubmitAnswer("e2", "a", "B", g.now, "z"), "forbidden")
    g.do(SubmitAnswer("e2", "001", "B", g.now, "q"))
    g.refuse(SubmitAnswer("e2", "001", "A", g.now, "q2"), "locked")


def test_all_out_restore_puts_everyone_back() -> None:
    g = game(all_out="restore")
    ask(g, ["001", "002"])
    ask(g, [], ["001"])  # both wrong or missing
    assert on(g) == ["001", "002"]
    assert floor(g.contest, g.state).restored


def test_all_out_end_ends_the_round_with_nobody_winning() -> None:
    g = game(all_out="end")
    ask(g, ["001", "002"])
    ask(g, [], ["001", "002"])
    assert on(g) == []
    assert engine.FORMATS["elimination"].next_question(g.contest, g.state) is None
    step = views.next_step(g.contest, g.state)
    assert step["command"] == "start_round"
    part = views.board_view(g.contest, g.state, g.now)["floor"]
    assert part["over"] == "all_out" and part["winners"] == []


def test_last_player_wins_and_the_round_ends() -> None:
    g = game()
    ask(g, ["003"])
    assert on(g) == ["003"]
    g.refuse(ShowQuestion(), "round_over")
    board = views.board_view(g.contest, g.state, g.now)["floor"]
    assert board["over"] == "winner"
    assert board["winners"] == [{"number": "003", "name": "Thí sinh 3"}]


def test_play_to_end_and_the_golden_bell() -> None:
    g = game(questions=3, play_to_end=True)
    ask(g, ["003"])
    ask(g, ["003"])
    assert floor(g.contest, g.state).bell == []
    ask(g, ["003"])  # the final question, right
    f = floor(g.contest, g.state)
    assert f.bell == ["003"]
    assert views.board_view(g.contest, g.state, g.now)["floor"]["bell"][0]["number"] == "003"


def test_no_bell_when_the_last_player_misses_the_final_question() -> None:
    g = game(questions=2, play_to_end=True)
    ask(g, ["003"])
    ask(g, [])  # restore: the one player on the floor stays, but no bell
    assert floor(g.contest, g.state).bell == [] and on(g) == ["003"]


def test_rescue_all_within_its_limits() -> None:
    g = game(n=12, rescue_max=1, rescue_when_below=10, rescue_modes=("all", "pick"))
    ask(g, [f"{i:03d}" for i in range(1, 11)])  # 10 left: not below 10
    g.refuse(CallRescue("all"), "rescue_not_allowed")
    ask(g, ["001", "002", "003"])
    g.refuse(CallRescue("question"), "rescue_mode")
    events = g.do(CallRescue("all"))
    rescue = next(e for e in events if isinstance(e, RescueCalled))
    assert len(rescue.players) == 9
    assert len(on(g)) == 12
    f = floor(g.contest, g.state)
    assert f.players["012"].back == 1 and f.players["001"].back == 0
    g.refuse(CallRescue("all"), "rescue_not_allowed")  # max 1


def test_rescue_only_between_questions() -> None:
    g = game()
    ask(g, ["001", "002"])
    g.at(g.now - T0 + 1).do(ShowQuestion())
    g.refuse(CallRescue("all"), "rescue_not_allowed")


def test_rescue_question_only_the_eliminated_answer_and_the_right_come_back() -> None:
    g = game(n=6, rescue_max=2)
    ask(g, ["001", "002"])  # 003..006 out at 1
    g.at(g.now - T0 + 1).do(CallRescue("question"))
    assert g.state.current == "cuu-1" and g.state.phase == Phase.SHOWN
    g.do(OpenAnswers("cuu-1"))
    g.refuse(SubmitAnswer("cuu-1", "001", True, g.now, "r1"), "on_floor")
    g.do(SubmitAnswer("cuu-1", "003", True, g.now, "r3"))
    g.do(SubmitAnswer("cuu-1", "004", False, g.now, "r4"))
    g.at(g.now - T0 + 40).tick()
    assert on(g) == ["001", "002"]  # before the reveal, nothing changes
    g.do(Reveal("cuu-1"))
    assert on(g) == ["001", "002", "003"]
    # the next regular question is question 2
    g.at(g.now - T0 + 1).do(ShowQuestion())
    assert g.state.current == "e2"
    g.do(OpenAnswers("e2"))
    g.do(SubmitAnswer("e2", "003", "B", g.now, "e2-3"))


def test_rescue_question_runs_out() -> None:
    g = game(n=6, rescue=1, rescue_max=3)
    ask(g, ["001", "002"])
    g.at(g.now - T0 + 1).do(CallRescue("question"))
    g.do(OpenAnswers("cuu-1"))
    g.at(g.now - T0 + 40).tick()
    g.do(Reveal("cuu-1"))
    g.refuse(CallRescue("question"), "no_rescue_question")


def test_rescue_pick_needs_a_reason_and_eliminated_players() -> None:
    g = game(n=6)
    ask(g, ["001", "002"])
    g.refuse(CallRescue("pick", ("003",), ""), "reason_required")
    g.refuse(CallRescue("pick", ("001",), "trò chơi"), "on_floor")
    g.refuse(CallRescue("pick", ("999",), "trò chơi"), "unknown_player")
    g.do(CallRescue("pick", ("003", "005"), "thắng trò chơi trên sân khấu"))
    assert on(g) == ["001", "002", "003", "005"]


def test_ranking_later_elimination_then_correct_then_time() -> None:
    g = game(n=5, questions=4)
    ask(g, ["001", "002", "003", "004"])  # 005 out at 1
    ask(g, ["001", "002", "003"])  # 004 out at 2
    ask(g, ["002", "001"])  # 003 out at 3; 002 answered first this time
    f = floor(g.contest, g.state)
    ranks = {n: s.rank for n, s in f.players.items()}
    # on the floor: 001 and 002 with 3 right each; 001 took 0.01 s in all, 002 0.02 s
    assert ranks == {"001": 1, "002": 2, "003": 3, "004": 4, "005": 5}
    assert round(f.players["002"].time - f.players["001"].time, 3) == 0.01


def test_equal_players_share_a_place() -> None:
    g = game(n=4)
    ask(g, ["001", "002"])
    ranks = {n: s.rank for n, s in floor(g.contest, g.state).players.items()}
    assert ranks["003"] == ranks["004"] == 3


def test_team_points_add_right_answers_to_the_team() -> None:
    g = game(n=4, team_points=True)
    ask(g, ["001", "002", "003"])  # 001, 003 team a; 002 team b
    totals = {s.team: s.total for s in standings(g.contest, g.state)}
    assert totals == {"a": 20.0, "b": 10.0}
    g2 = game(n=4)
    ask(g2, ["001", "002", "003"])
    assert {s.team: s.total for s in standings(g2.contest, g2.state)} == {"a": 0.0, "b": 0.0}


def test_void_undoes_the_question_eliminations() -> None:
    g = game(n=5)
    ask(g, ["001", "002", "003"])
    ask(g, ["001"])  # one left: round would end
    assert on(g) == ["001"]
    g.do(VoidQuestion("e2", "câu hỏi sai đáp án"))
    assert on(g) == ["001", "002", "003"]
    assert engine.FORMATS["elimination"].next_question(g.contest, g.state) == 2
    g.do(Undo("nhầm"))
    assert on(g) == ["001"]


def test_set_answer_by_hand_and_reinstate_with_undo() -> None:
    g = game(n=5)
    ask(g, ["001", "002"])
    g.do(SetPlayerAnswer("e1", "003", "điện thoại hỏng, giơ bảng", value="B"))
    assert on(g) == ["001", "002", "003"]
    g.refuse(ReinstatePlayer("004", ""), "reason_required")
    g.refuse(ReinstatePlayer("001", "x"), "on_floor")
    events = g.do(ReinstatePlayer("004", "ban giám khảo chấp nhận khiếu nại"))
    assert isinstance(events[-1], PlayerReinstated)
    assert on(g) == ["001", "002", "003", "004"]
    g.do(Undo("nhầm thí sinh"))
    assert on(g) == ["001", "002", "003"]
    undo = views.undo_list(g.contest, g.state)
    assert undo and undo[0]["kind"] == "set_answer"


def test_replay_rebuilds_the_same_floor() -> None:
    g = game(n=8, rescue_max=2)
    ask(g, ["001", "002", "003"])
    g.at(g.now - T0 + 1).do(CallRescue("question"))
    g.do(OpenAnswers("cuu-1"))
    g.do(SubmitAnswer("cuu-1", "004", True, g.now, "r"))
    g.at(g.now - T0 + 40).tick()
    g.do(Reveal("cuu-1"))
    g.do(CallRescue("pick", ("008",), "trò chơi"))
    g.do(ReinstatePlayer("007", "khiếu nại"))
    ask(g, ["001", "004", "008"])
    records = [to_record(e) for e in g.log]
    replayed = engine.replay(g.contest, [from_record(r) for r in records])
    assert floor(g.contest, replayed).on_floor() == on(g) == ["001", "004", "008"]
    assert views.board_view(g.contest, replayed, g.now) == views.board_view(
        g.contest, g.state, g.now
    )


def test_the_views_keep_the_key_and_verdicts_from_phones_before_the_reveal() -> None:
    g = game(n=3)
    g.at(1).do(ShowQuestion())
    g.do(OpenAnswers("e1"))
    g.do(SubmitAnswer("e1", "001", "B", g.now, "x"))
    shared = views.player_shared(g.contest, g.state, g.now)
    mine = views.player_view(g.contest, g.state, "001", g.now, shared)
    assert mine["reveal"] is None and mine["result"] is None
    assert mine["my_answer"]["display"] and mine["status"] == "on"
    assert "players" not in mine and "key" not in mine
    assert "tiles" not in (mine["floor"] or {})
    board = views.board_view(g.contest, g.state, g.now)
    assert board["floor"]["answered"] == 1 and board["reveal"] is None
    assert len(board["floor"]["tiles"]) == 3
    mc = views.mc_view(g.contest, g.state, g.now)
    assert mc["players"][0]["correct"] is True


@pytest.mark.parametrize("mode", ["all", "pick"])
def test_eliminated_player_view_says_where_it_left(mode: str) -> None:
    g = game(n=3)
    ask(g, ["001", "002"])
    view = views.player_view(g.contest, g.state, "003", g.now)
    assert view["status"] == "out" and view["out_at"] == 1
    assert view["result"] is None  # it did not answer
    assert views.player_view(g.contest, g.state, "001", g.now)["result"] == {"correct": True}
