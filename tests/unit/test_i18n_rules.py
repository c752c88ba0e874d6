"""The rules speak English when the contest does: short contests of every
format, played through the engine with `locale.install("en")`, and every text
in every audience's view (board, tablets, players, judges, MC, jury, the
journal's timeline) and every refusal has no Vietnamese letter in it. The
contests' own data is English, so any Vietnamese left would be the rules'.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from support import T0, Game, contest

from quiz.files import locale
from quiz.files.bank import load_contest
from quiz.rules import engine
from quiz.rules import text as rules_text
from quiz.rules.answers import display, format_number, key_display
from quiz.rules.commands import (
    AddTime,
    AdjustScore,
    Buzz,
    CallRescue,
    CeremonyNext,
    ChoosePackage,
    Command,
    DecideAppeal,
    DecideOrder,
    DrawLots,
    FileAppeal,
    Judge,
    OpenAnswers,
    OpenSteal,
    PauseClock,
    PlaceStar,
    ReinstatePlayer,
    ResumeClock,
    Reveal,
    ReviewCorrection,
    ScoreTeam,
    SelectTiebreak,
    SetAnswer,
    SetJudgeScore,
    ShowQuestion,
    ShowRoundSummary,
    SignOff,
    StartRound,
    SubmitAnswer,
    Undo,
    VoidQuestion,
)
from quiz.rules.formats.elimination_floor import EliminationSettings
from quiz.rules.formats.tiebreak_state import TiebreakSettings
from quiz.rules.formats.turns import Package, TurnsSettings
from quiz.rules.judge_view import judge_view
from quiz.rules.jury_view import board_part, jury_view, mc_part, team_part, timeline
from quiz.rules.model import (
    AllSettings,
    BuzzerSettings,
    Contest,
    JurySettings,
    Phase,
    Player,
    Prize,
    Question,
    Team,
)
from quiz.rules.views import board_view, mc_view, next_step, player_shared, player_view, team_view

VIETNAMESE = locale._VIETNAMESE
TEAMS = (Team("t1", "North Town"), Team("t2", "South Town"), Team("t3", "East Town"))
CHOICES = (("A", "One"), ("B", "Two"), ("C", "Three"), ("D", "Four"))


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    locale.install("en")
    try:
        yield
    finally:
        locale.install("vi")


def single(qid: str, answer: str = "B", **kw: Any) -> Question:
    return Question(id=qid, type="single", text=f"Which one, {qid}?", answer=answer,
                    choices=CHOICES, **kw)  # fmt: skip


def true_false(qid: str, answer: bool = True) -> Question:
    return Question(id=qid, type="true_false", text=f"Is {qid} so?", answer=answer)


def number(qid: str, answer: float = 41.0) -> Question:
    return Question(id=qid, type="number", text=f"How many, {qid}?", answer=answer, unit="km")


def english_contest(*rounds: tuple[str, list[Question], Any], **kw: Any) -> Contest:
    c = contest(*rounds, teams=kw.pop("teams", TEAMS), **kw)
    titled = tuple(replace(r, title=f"Round {i + 1}") for i, r in enumerate(c.rounds))
    return replace(c, title="Quiz Cup", rounds=titled)


def strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text in a view, with where it is."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key, f"{path}/<key>")
            yield from strings(item, f"{path}/{key}")
    elif isinstance(value, list | tuple | set | frozenset):
        for i, item in enumerate(value):
            yield from strings(item, f"{path}[{i}]")


class Watched(Game):
    """A game whose every step's views are checked for Vietnamese."""

    def __init__(self, c: Contest) -> None:
        super().__init__(c)
        self.seen: set[str] = set()  # every label the MC was offered

    def do(self, command: Command) -> list[Any]:
        events = super().do(command)
        self.check()
        return events

    def views(self) -> dict[str, Any]:
        c, s, now = self.contest, self.state, self.now
        found: dict[str, Any] = {
            "board": board_view(c, s, now),
            "mc": mc_view(c, s, now),
            "jury": jury_view(c, s, now),
            "mc_part": mc_part(c, s),
            "board_part": board_part(c, s),
            "timeline": timeline(c, self.log),
        }
        for t in c.teams:
            found[f"team {t.id}"] = team_view(c, s, t.id, now)
            found[f"team_part {t.id}"] = team_part(c, s, t.id, now)
        if c.players:
            shared = player_shared(c, s, now)
            for p in c.players:
                found[f"player {p.number}"] = player_view(c, s, p.number, now, shared)
        for j in c.judges:
            found[f"judge {j.id}"] = judge_view(c, s, j.id, now)
        return found

    def check(self) -> None:
        for name, view in self.views().items():
            for where, text in strings(view):
                assert not VIETNAMESE.search(text), f"{name}{where}: {text!r}"
        self.seen.add(str(next_step(self.contest, self.state)["label"]))

    def refused(self, command: Command, code: str | None = None) -> str:
        """The command is refused, in English."""
        message = self.refuse(command, code).message
        assert message and not VIETNAMESE.search(message), (command, message)
        return message


def submit(g: Watched, qid: str, team: str, value: Any, t: float) -> None:
    g.at(t).do(SubmitAnswer(qid, team, value, T0 + t))


def test_all_and_buzzer_rounds_corrections_jury_and_ceremony_in_english() -> None:
    c = english_contest(
        ("all", [single("s1"), true_false("s2")], AllSettings()),
        ("buzzer", [single("b1"), single("b2")], BuzzerSettings()),
    )
    prizes = (Prize("First prize", 1), Prize("Second prize", 1), Prize("Third prize", None))
    c = replace(c, prizes=prizes, jury=JurySettings(approve_corrections=True))
    g = Watched(c)
    assert next_step(c, g.state)["label"] == "Start the round"
    g.refused(ShowQuestion(), "busy")
    g.at(0).do(StartRound())
    assert next_step(c, g.state)["label"] == "Show the question (Question 1/2)"
    g.at(1).do(ShowQuestion())
    g.refused(SubmitAnswer("s1", "t1", "B", T0 + 1), "not_open")
    g.at(2).do(OpenAnswers("s1"))
    assert "choose one of the options A, B, C, D" in g.refused(
        SubmitAnswer("s1", "t1", "Z", T0 + 2), "bad_answer"
    )
    g.at(3).do(PauseClock("s1"))
    g.refused(PauseClock("s1"), "paused")
    g.at(4).do(AddTime("s1", 10))
    g.at(5).do(ResumeClock("s1"))
    submit(g, "s1", "t1", "B", 6)
    submit(g, "s1", "t2", "A", 7)
    g.at(60).tick()
    g.do(Reveal("s1"))
    g.at(61).do(ShowQuestion())
    g.at(62).do(OpenAnswers("s2"))
    submit(g, "s2", "t1", True, 63)
    submit(g, "s2", "t3", False, 64)
    g.at(100).tick()
    g.do(Reveal("s2"))
    # an appeal, a correction waiting for the jury, one approved, an undo, a void
    g.at(101).do(FileAppeal("t2", "s2", "We raised our board in time"))
    g.do(DecideAppeal(1, False, "The video shows it late"))
    g.do(AdjustScore("t3", 5, "Spoken answer was right"))
    assert "Score adjustment" in g.views()["mc_part"]["proposals"][0]["label"]
    g.do(ReviewCorrection(1, True, "Agreed"))
    g.do(SetAnswer("s1", "t2", "Board misread", value="B", by="jury"))
    g.do(VoidQuestion("s2", "Two answers are right", by="jury"))
    g.do(Undo("Void by mistake", id=3, by="jury"))
    g.do(ShowRoundSummary(True))
    g.do(ShowRoundSummary(False))
    # the buzzer round: an early buzz, a win, a wrong answer, time up
    g.at(110).do(StartRound())
    g.at(111).do(ShowQuestion())
    g.at(111.5).do(Buzz("b1", "t3", T0 + 111.5, 0.2))
    g.at(112).do(OpenAnswers("b1"))
    g.refused(Buzz("b1", "t3", T0 + 112.5, 0.2), "locked_out")
    g.at(113).do(Buzz("b1", "t1", T0 + 113, 0.2))
    g.at(113.5).tick()
    g.refused(Judge("b1", "t2", True, "correct"), "not_your_turn")
    g.do(Judge("b1", "t1", False, "wrong"))
    g.at(114).do(Buzz("b1", "t2", T0 + 114, 0.2))
    g.at(114.5).tick()
    g.do(Judge("b1", "t2", True, "correct"))
    g.do(Reveal("b1"))
    g.do(Undo("Wrong team judged", question="b1", team="t2"))  # waits for the jury
    assert "Undo the verdict" in g.views()["jury"]["proposals"][1]["label"]
    g.do(ReviewCorrection(2, False, "The verdict was right"))
    g.at(120).do(ShowQuestion())
    g.do(OpenAnswers("b2"))
    g.at(180).tick()
    g.do(Reveal("b2"))
    g.at(181).do(StartRound())  # the contest ends: the ceremony
    assert g.state.phase == Phase.FINISHED
    while g.state.ceremony < 3:
        g.do(CeremonyNext())
    g.refused(CeremonyNext(), "ceremony_done")
    g.do(SignOff())
    g.refused(AdjustScore("t1", 1, "Late"), "signed_off")
    assert "The contest is over" in g.seen
    assert any(line.startswith("Announce ") for line in g.seen), g.seen
    entries = g.views()["timeline"]["entries"]
    assert any(e["what"] == "Appeal" for e in entries)


def test_turns_round_with_star_and_steal_in_english() -> None:
    qs = [single(f"{p}{v}", points=v, time_limit=10) for p in "ab" for v in (10, 20)]
    packages = (Package("pack-a", ("a10", "a20")), Package("pack-b", ("b10", "b20")))
    settings = TurnsSettings(packages=packages, order="draw", seed=3, star=True, steal=True)
    g = Watched(english_contest(("turns", qs, settings), teams=TEAMS[:2]))
    g.at(0).do(StartRound())
    assert next_step(g.contest, g.state)["label"] == "Draw lots for the order"
    g.do(DecideOrder())
    g.refused(DecideOrder(), "ordered")
    first = next_step(g.contest, g.state)["team"]
    other = "t2" if first == "t1" else "t1"
    g.do(ChoosePackage(first, "pack-a"))
    g.refused(ChoosePackage(first, "pack-b"), "has_package")
    g.do(PlaceStar(first))
    for t in (1.0, 30.0):
        step = next_step(g.contest, g.state)
        assert step["command"] == "show", step
        g.at(t).do(ShowQuestion(step["question"]))
        g.at(t + 1).do(OpenAnswers(step["question"]))
        g.at(t + 2).do(Judge(step["question"], first, False, "wrong"))
        g.do(OpenSteal(step["question"]))
        g.at(t + 3).do(Buzz(step["question"], other, T0 + t + 3, 0.2))
        g.at(t + 3.5).tick()
        g.do(Judge(step["question"], other, True, "correct"))
        g.do(Reveal(step["question"]))
    assert any(label.startswith("Choose a package — ") for label in g.seen), g.seen
    assert "Open the steal" in g.seen and "Place the star of hope" not in g.seen, g.seen


def test_tiebreak_round_and_lots_in_english() -> None:
    c = english_contest(
        ("all", [single("s1")], AllSettings()),
        ("tiebreak", [number("x1")], TiebreakSettings(mode="closest")),
        tiebreak=("correct_count", "tiebreak_round"),
    )
    c = replace(c, prizes=(Prize("First prize", 1), Prize("Second prize", 2)))
    g = Watched(c)
    g.at(0).do(StartRound())
    g.at(1).do(ShowQuestion())
    g.at(2).do(OpenAnswers("s1"))
    submit(g, "s1", "t1", "B", 3)
    submit(g, "s1", "t2", "B", 3)
    g.at(60).tick()
    g.do(Reveal("s1"))
    g.at(61).do(StartRound())
    assert next_step(g.contest, g.state)["label"] == "Confirm the tie-break teams"
    g.do(SelectTiebreak((("t1", "t2"),)))
    g.at(62).do(ShowQuestion())
    g.at(63).do(OpenAnswers("x1"))
    g.refused(SubmitAnswer("x1", "t3", 40, T0 + 63), "not_playing")
    assert "the answer must be a number" in g.refused(
        SubmitAnswer("x1", "t1", "many", T0 + 64), "bad_answer"
    )
    g.at(120).tick()
    g.do(Reveal("x1"))
    assert next_step(g.contest, g.state)["label"] == "No tie-break questions left — draw lots"
    g.do(DrawLots(seed=5))
    settled = g.views()["board"]["tiebreaks"][0]["settled"]
    assert "drawing of lots, seed 5" in settled[0], settled
    g.at(130).do(StartRound())


def test_elimination_round_with_rescue_in_english() -> None:
    qs = [single(f"e{i}") for i in range(1, 4)]
    rescue = [true_false("r1")]
    settings = EliminationSettings(rescue_questions=("r1",), rescue_when_below=10)
    c = english_contest(("elimination", qs, settings))
    people = tuple(Player(f"{i:03d}", f"Player {i}", "t1" if i % 2 else "t2") for i in (1, 2, 3))
    c = replace(c, players=people, questions={**c.questions, "r1": rescue[0]})
    g = Watched(c)
    g.at(0).do(StartRound())
    g.at(1).do(ShowQuestion())
    g.at(2).do(OpenAnswers("e1"))
    g.at(3).do(SubmitAnswer("e1", "001", "B", T0 + 3, "n1"))
    g.at(3).do(SubmitAnswer("e1", "002", "A", T0 + 3, "n2"))
    g.refused(SubmitAnswer("e1", "t1", "B", T0 + 3, "n3"), "forbidden")
    g.at(60).tick()
    g.do(Reveal("e1"))
    g.refused(ReinstatePlayer("001", "Back"), "on_floor")
    g.do(ReinstatePlayer("002", "Misjudged"))
    label = g.views()["mc"]["undoable"][0]["label"]
    assert label.startswith("Player returned to the floor") and "No. 002 Player 2" in label
    g.do(Undo("Not this one", id=g.state.corrections[-1].id))
    g.do(CallRescue("all", reason="Too few left"))
    g.at(70).do(ShowQuestion())
    g.do(OpenAnswers(g.state.current or ""))
    g.at(130).tick()
    g.do(Reveal(g.state.current or ""))


BANK = """\
bank: demo
title: Demo
questions:
  - {id: a1, type: true_false, text: Yes, answer: true}
"""
JUDGED = """\
contest: cup
title: Quiz Cup
banks: [bank.yaml]
teams:
  - {id: t1, name: North Town}
  - {id: t2, name: South Town}
judges:
  - {id: j1, name: Judge One}
  - {id: j2, name: Judge Two}
  - {id: j3, name: Judge Three}
rounds:
  - id: talk
    title: The talk
    format: judged
    combine: trimmed_mean
    criteria:
      - {id: content, title: Content, max: 6}
      - {id: delivery, title: Delivery, max: 4}
"""


def test_judged_round_in_english(tmp_path: Path) -> None:
    (tmp_path / "bank.yaml").write_text(BANK, encoding="utf-8")
    (tmp_path / "contest.yaml").write_text(textwrap.dedent(JUDGED), encoding="utf-8")
    g = Watched(load_contest(str(tmp_path / "contest.yaml")))
    g.at(0).do(StartRound())
    assert next_step(g.contest, g.state)["label"] == "Call up: North Town (1/2)"
    g.at(1).do(ShowQuestion())
    turn = g.state.current or ""
    assert "Content" in g.refused(ScoreTeam(turn, "j1", parts={"delivery": 3}), "bad_score")
    g.refused(ScoreTeam(turn, "j1", parts={"content": 9, "delivery": 3}), "bad_score")
    for i, judge in enumerate(("j1", "j2"), start=1):
        g.at(2).do(ScoreTeam(turn, judge, parts={"content": 4 + i, "delivery": 3}))
    assert next_step(g.contest, g.state)["label"] == "Stop scoring (1 still to score)"
    g.do(ScoreTeam(turn, "j3", parts={"content": 6, "delivery": 4}))
    g.do(Reveal(turn))
    g.refused(ScoreTeam(turn, "j1", parts={"content": 1, "delivery": 1}), "shown")
    g.do(SetJudgeScore(turn, "j1", "Typed wrong", parts={"content": 2, "delivery": 2}))
    g.at(5).do(ShowQuestion())


def test_vietnamese_is_back_after_install_vi() -> None:
    c = english_contest(("all", [single("s1")], AllSettings()))
    locale.install("vi")
    assert next_step(c, Game(c).state)["label"] == "Bắt đầu phần thi"
    with pytest.raises(engine.Rejected) as info:
        engine.decide(c, Game(c).state, ShowQuestion(), T0)
    assert info.value.message == "Chưa thể chuyển câu hỏi lúc này"


def test_numbers_take_the_languages_marks() -> None:
    answer = replace(number("n1", 4200.5), unit=None)
    assert (format_number(4200), format_number(87.06)) == ("4,200", "87.06")
    assert key_display(answer) == "4,200.5"
    locale.install("vi")
    assert (format_number(4200), format_number(87.06)) == ("4.200", "87,06")
    assert key_display(answer) == "4.200,5"


def test_a_true_false_answer_reads_true_or_false_not_the_verdicts_words() -> None:
    q = true_false("tf1", answer=False)
    assert (display(q, True), display(q, False), key_display(q)) == ("True", "False", "False")
    locale.install("vi")
    assert (display(q, True), key_display(q)) == ("Đúng", "Sai")
    rules_text.install({})  # no catalogue at all (tools, tests): still the Vietnamese words
    assert (display(q, True), display(q, False)) == ("Đúng", "Sai")
