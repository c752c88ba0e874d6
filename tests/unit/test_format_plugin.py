"""A round format is one module: a minimal one written here, registered once,
read from a contest file and played through the engine, with no edit to the
loader, the engine or the views.

The format `first` ("first correct answer wins"): every team may answer once
while answering is open; the first correct answer closes the question and
scores `prize` points (a key of its own, > 0); a team that answered wrong may
not answer again. Across the round it keeps the winners (its round state), and
its board part names the winner of the question.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from quiz.files.bank import LoadError, load_contest
from quiz.rules import engine, views
from quiz.rules.answers import BadAnswer, is_correct, parse
from quiz.rules.commands import (
    Command,
    OpenAnswers,
    Reveal,
    ShowQuestion,
    StartRound,
    SubmitAnswer,
)
from quiz.rules.events import AnswerAccepted, AnswersClosed, AnswersOpened, ClockStarted, Event
from quiz.rules.formats import FORMATS, register, unregister
from quiz.rules.formats.base import (
    Ctx,
    Fold,
    FormatBase,
    Rejected,
    TeamResult,
    Verdict,
    ViewCtx,
)
from quiz.rules.formats.fields import Fields
from quiz.rules.formats.presses import elapsed_at_press, expired
from quiz.rules.model import Phase
from quiz.rules.scoring import standings
from quiz.rules.state import ContestState, QuestionState
from tests.support import T0, Game

# --- the format: everything about it, in one place ---------------------------------


@dataclass(frozen=True)
class FirstSettings:
    prize: float = 10


@dataclass
class FirstQuestion:
    tried: dict[str, bool] = field(default_factory=dict)  # team -> answered correctly
    winner: str | None = None


@dataclass
class FirstRound:
    winners: list[str] = field(default_factory=list)


def _mine(q: QuestionState) -> FirstQuestion:
    assert isinstance(q.fmt, FirstQuestion)
    return q.fmt


def _on_answer(state: ContestState, q: QuestionState, e: AnswerAccepted) -> None:
    own = _mine(q)
    own.tried[e.team] = bool(e.value)
    if e.value and own.winner is None:
        own.winner = e.team
        assert isinstance(state.round_fmt, FirstRound)
        state.round_fmt.winners.append(e.team)


class FirstFormat(FormatBase):
    name = "first"
    title = "Nhanh nhất"
    round_keys = ("questions", "draw", "prize")
    folds: Mapping[type[Event], Fold] = {AnswerAccepted: _on_answer}

    def read_settings(self, fields: Fields) -> FirstSettings:
        prize = fields.number("prize", 0, strictly_above=True)
        if prize is not None and prize > 100:
            fields.problem("prize", "prize must be at most 100")
            prize = None
        return FirstSettings() if prize is None else FirstSettings(prize)

    def new_question_state(self) -> FirstQuestion:
        return FirstQuestion()

    def new_round_state(self) -> FirstRound:
        return FirstRound()

    def may_act(self, ctx: Ctx, team: str) -> bool:
        return team not in _mine(ctx.q).tried

    def open(self, ctx: Ctx, now: float) -> list[Event]:
        qid, limit = ctx.question.id, ctx.question.time_limit
        return [AnswersOpened(now, qid), ClockStarted(now, qid, kind="answer", limit=limit)]

    def close_early(self, ctx: Ctx, now: float) -> list[Event]:
        return [AnswersClosed(at=now, question=ctx.question.id, reason="mc")]

    def decide(self, ctx: Ctx, command: Command, now: float) -> list[Event]:
        if not isinstance(command, SubmitAnswer):
            raise Rejected("not_allowed", "Phần thi này không có thao tác đó")
        if ctx.state.phase != Phase.OPEN:
            raise Rejected("not_open", "Chưa được trả lời")
        if not self.may_act(ctx, command.team):
            raise Rejected("had_turn", "Đội đã trả lời câu này")
        try:
            value = parse(ctx.question, command.value)
        except BadAnswer as exc:
            raise Rejected("bad_answer", str(exc)) from exc
        elapsed = elapsed_at_press(ctx.q, command.at)
        right = is_correct(ctx.question, value)
        qid = ctx.question.id
        # the value it records is whether the answer was right: all its fold needs
        accepted = AnswerAccepted(now, qid, command.team, right, command.at, elapsed, "")
        return [accepted, AnswersClosed(now, qid, "answered")] if right else [accepted]

    def tick(self, ctx: Ctx, now: float) -> list[Event]:
        deadline = expired(ctx.q, now) if ctx.state.phase == Phase.OPEN else None
        return [] if deadline is None else [AnswersClosed(deadline, ctx.question.id, "time")]

    def alarm(self, ctx: Ctx) -> float | None:
        clock = ctx.q.clock
        return clock.deadline() if ctx.state.phase == Phase.OPEN and clock else None

    def score(
        self, ctx: Ctx, overrides: dict[str, Verdict], team_ids: list[str]
    ) -> dict[str, TeamResult]:
        settings = ctx.round.settings
        assert isinstance(settings, FirstSettings)
        own = _mine(ctx.q)
        results = {team: TeamResult() for team in team_ids}
        for team, right in own.tried.items():
            if team in results and ctx.q.revealed:
                results[team].correct = right
                results[team].points = settings.prize if team == own.winner else 0.0
        return results

    def board(self, v: ViewCtx) -> dict[str, Any]:
        return {"first": _mine(v.ctx.q).winner}


# --- registered once -------------------------------------------------------------------


@pytest.fixture
def first() -> Iterator[FirstFormat]:
    fmt = FirstFormat()
    register(fmt)
    yield fmt
    unregister(fmt.name)


BANK = """\
bank: demo
title: Demo
questions:
  - {id: a1, type: single, text: "Một?", choices: {A: x, B: y}, answer: A, time_limit: 20}
  - {id: a2, type: true_false, text: "Hai?", answer: true}
"""


def contest_file(folder: Path, round_keys: str) -> str:
    (folder / "bank.yaml").write_text(BANK, encoding="utf-8")
    text = textwrap.dedent(
        """\
        contest: thu
        title: Hội thi
        banks: [bank.yaml]
        teams:
          - {id: bo, name: Thị trấn Bo}
          - {id: binh-son, name: Xã Bình Sơn}
        rounds:
          - id: nhanh
            title: Ai nhanh hơn
            format: first
            questions: [a1, a2]
        """
    )
    path = folder / "contest.yaml"
    path.write_text(text + textwrap.indent(textwrap.dedent(round_keys), "    "), encoding="utf-8")
    return str(path)


# --- the contest file --------------------------------------------------------------------


def test_the_loader_reads_the_format_s_own_setting(tmp_path: Path, first: FirstFormat) -> None:
    contest = load_contest(contest_file(tmp_path, "prize: 25\n"))
    assert contest.rounds[0].format == "first"
    assert contest.rounds[0].settings == FirstSettings(25)


def test_a_bad_setting_names_file_and_line(tmp_path: Path, first: FirstFormat) -> None:
    path = contest_file(tmp_path, "prize: -3\n")  # line 12
    with pytest.raises(LoadError) as info:
        load_contest(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:12: round 'nhanh': prize must be a number > 0, not '-3'"
    ]


def test_the_format_s_own_rule_names_file_and_line(tmp_path: Path, first: FirstFormat) -> None:
    path = contest_file(tmp_path, "prize: 500\n")
    with pytest.raises(LoadError) as info:
        load_contest(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:12: round 'nhanh': prize must be at most 100"
    ]


def test_another_format_s_key_is_refused_as_misplaced(tmp_path: Path, first: FirstFormat) -> None:
    path = contest_file(tmp_path, "buzz_window: 5\n")
    with pytest.raises(LoadError) as info:
        load_contest(path)
    (problem,) = info.value.problems
    assert str(problem).startswith(f"{path}:12: ")
    assert "'buzz_window' is a setting of buzzer and tiebreak rounds, not of first rounds" in str(
        problem
    )


def test_unregistered_it_is_an_unknown_format(tmp_path: Path) -> None:
    assert "first" not in FORMATS
    path = contest_file(tmp_path, "prize: 25\n")
    with pytest.raises(LoadError) as info:
        load_contest(path)
    assert any(
        str(p).startswith(f"{path}:10: ") and "format must be one of all, buzzer" in str(p)
        for p in info.value.problems
    ), info.value.problems


# --- played through the engine -----------------------------------------------------------


def phase(game: Game) -> Phase:
    return game.state.phase


def test_played_through_decide_and_apply(tmp_path: Path, first: FirstFormat) -> None:
    game = Game(load_contest(contest_file(tmp_path, "prize: 25\n")))
    game.at(0).do(StartRound())
    game.at(1).do(ShowQuestion())
    game.at(2).do(OpenAnswers("a1"))
    game.at(3).do(SubmitAnswer("a1", "bo", "B", T0 + 3))  # wrong: bo is out
    assert phase(game) == Phase.OPEN
    game.refuse(SubmitAnswer("a1", "bo", "A", T0 + 4), "had_turn")
    events = game.at(5).do(SubmitAnswer("a1", "binh-son", "A", T0 + 5))
    assert [type(e) for e in events] == [AnswerAccepted, AnswersClosed]
    assert phase(game) == Phase.CLOSED
    board = views.board_view(game.contest, game.state, game.now)
    assert board["first"] == "binh-son"
    assert board["round"]["format_title"] == "Nhanh nhất"
    game.at(6).do(Reveal("a1"))
    assert game.totals() == {"binh-son": 25, "bo": 0}
    assert game.state.round_fmt == FirstRound(["binh-son"])
    json.dumps(views.mc_view(game.contest, game.state, game.now))  # the views stay JSON
    game.at(7).do(ShowQuestion())  # the next in the list, by the default next_question
    assert game.state.current == "a2"
    game.at(8).do(OpenAnswers("a2"))
    game.at(40).tick()  # time up, nobody right
    assert game.state.question is not None and game.state.question.close_reason == "time"


def test_a_replay_of_its_journal_rebuilds_its_state(tmp_path: Path, first: FirstFormat) -> None:
    game = Game(load_contest(contest_file(tmp_path, "prize: 25\n")))
    game.at(0).do(StartRound())
    game.at(1).do(ShowQuestion())
    game.at(2).do(OpenAnswers("a1"))
    game.at(3).do(SubmitAnswer("a1", "bo", "A", T0 + 3))
    again = engine.replay(game.contest, game.log)
    assert again == game.state
    assert _mine(again.questions["a1"]) == FirstQuestion({"bo": True}, "bo")
    assert {s.team: s.total for s in standings(game.contest, again)} == {"bo": 0, "binh-son": 0}
