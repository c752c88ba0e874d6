"""The answer distribution after the reveal, and the results CSV an organiser reads."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from support import T0, Game, contest, q_multiple, q_single, q_tf

from quiz.files.bank import LoadError, load_contest
from quiz.files.results import results_csv
from quiz.rules.commands import (
    AdjustScore,
    Buzz,
    Judge,
    OpenAnswers,
    Reveal,
    SetAnswer,
    ShowQuestion,
    StartRound,
    SubmitAnswer,
    Undo,
)
from quiz.rules.model import AllSettings, BuzzerSettings, Prize
from quiz.rules.views import board_view, team_view

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def revealed(question, answers: dict[str, object], **settings: object) -> Game:  # type: ignore[no-untyped-def]
    game = Game(contest(("all", [question], AllSettings(**settings))))  # type: ignore[arg-type]
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    game.at(1).do(OpenAnswers(question.id))
    for i, (team, value) in enumerate(answers.items()):
        game.at(2 + i).do(SubmitAnswer(question.id, team, value, T0 + 2 + i))
    return game


def counts(game: Game) -> list[tuple[object, int]]:
    dist = board_view(game.contest, game.state, game.now)["reveal"]["distribution"]
    return [(o["key"], o["count"]) for o in dist["options"]]


def test_distribution_counts_each_option_only_after_the_reveal() -> None:
    game = revealed(q_single("s1"), {"t1": "B", "t2": "B", "t3": "C"})
    assert board_view(game.contest, game.state, game.now)["reveal"] is None
    game.at(30).do(Reveal("s1"))
    assert counts(game) == [("A", 0), ("B", 2), ("C", 1), ("D", 0)]
    dist = board_view(game.contest, game.state, game.now)["reveal"]["distribution"]
    assert (dist["answered"], dist["none"]) == (3, 1)
    assert "distribution" not in (team_view(game.contest, game.state, "t1", game.now)["reveal"])


def test_distribution_of_multiple_and_true_false() -> None:
    game = revealed(q_multiple("m1"), {"t1": ["A", "C"], "t2": ["A"]})
    game.at(30).do(Reveal("m1"))
    assert counts(game) == [("A", 2), ("B", 0), ("C", 1), ("D", 0)]
    game = revealed(q_tf("tf1"), {"t1": True, "t2": False, "t3": True})
    game.at(30).do(Reveal("tf1"))
    assert counts(game) == [(True, 2), (False, 1)]


def test_distribution_follows_a_hand_set_answer_and_can_be_turned_off() -> None:
    game = revealed(q_single("s1"), {"t1": "A"})
    game.at(20).do(SetAnswer("s1", "t1", "Đội giơ bảng B", value="B"))
    game.at(30).do(Reveal("s1"))
    assert counts(game)[:2] == [("A", 0), ("B", 1)]
    off = revealed(q_single("s1"), {"t1": "A"}, show_distribution=False)
    off.at(30).do(Reveal("s1"))
    assert board_view(off.contest, off.state, off.now)["reveal"]["distribution"] is None


def _contest_file(tmp_path: Path, line: str) -> Path:
    folder = tmp_path / "c"
    folder.mkdir(parents=True)
    for bank in FIXTURES.glob("*.yaml"):
        (folder / bank.name).write_text(bank.read_text(encoding="utf-8"), encoding="utf-8")
    path = folder / "mini-contest.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "format: all\n"
    assert marker in text
    indent = text.split(marker)[0].rsplit("\n", 1)[1]
    path.write_text(text.replace(marker, marker + indent + line + "\n", 1), encoding="utf-8")
    return path


def test_show_distribution_is_read_and_checked_with_its_line(tmp_path: Path) -> None:
    ok = load_contest(_contest_file(tmp_path / "a", "show_distribution: false"))
    assert ok.rounds[0].settings.show_distribution is False  # type: ignore[union-attr]
    with pytest.raises(LoadError) as info:
        load_contest(_contest_file(tmp_path / "b", "show_distribution: maybe"))
    assert "mini-contest.yaml:" in str(info.value) and "show_distribution" in str(info.value)


def _rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_results_csv_names_questions_the_organiser_way_and_records_every_change() -> None:
    c = contest(
        ("all", [q_single("s1")], AllSettings()),
        ("buzzer", [q_single("b1")], BuzzerSettings(wrong=-5, rebound=False)),
    )
    c = replace(c, prizes=(Prize("Giải Nhất", 1), Prize("Giải Khuyến khích", None)))
    game = Game(c)
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    game.at(1).do(OpenAnswers("s1"))
    game.at(2).do(SubmitAnswer("s1", "t1", "B", T0 + 2))
    game.at(3).do(SubmitAnswer("s1", "t2", "A", T0 + 3))
    game.at(30).do(Reveal("s1"))
    game.at(40).do(SetAnswer("s1", "t2", "Đội giơ bảng B", value="B"))
    game.do(StartRound())
    game.do(ShowQuestion())
    game.at(50).do(OpenAnswers("b1"))
    game.at(51).do(Buzz("b1", "t3", T0 + 51, 0.1))
    game.at(51.2).tick()
    game.at(52).do(Judge("b1", "t3", False))
    game.at(60).do(AdjustScore("t4", 3, "Trả lời câu hỏi phụ"))
    game.at(61).do(Undo("Nhầm đội", id=2))
    rows = _rows(results_csv(game.contest, game.state))
    head, ids = rows[0], rows[1]
    assert head[:7] == ["Hạng", "Đội thi", "Tổng điểm", "Số câu đúng", "Tổng thời gian (giây)",
                        "Điều chỉnh", "Giải"]  # fmt: skip
    assert head[7:] == ["Phần 1 – Câu 1", "Phần 2 – Câu 1"]
    assert ids[6:] == ["Mã câu hỏi", "s1", "b1"]
    teams = {r[1]: r for r in rows[2:6]}
    assert teams["Xã 2"][7] == "10"  # the hand-set answer's points
    assert teams["Xã 3"][8] == "-5"
    assert teams["Xã 1"][6] in ("Giải Nhất", "Giải Khuyến khích")
    start = next(i for i, r in enumerate(rows) if r and r[0] == "Nhật ký chấm điểm và điều chỉnh")
    record = rows[start + 2 :]
    kinds = [(r[2], r[3], r[4], r[7]) for r in record]
    assert kinds == [
        ("Nhập đáp án thay đội", "Xã 2", "Phần 1 – Câu 1", "10"),
        ("Chấm giành quyền trả lời", "Xã 3", "Phần 2 – Câu 1", "-5"),
        ("Điều chỉnh điểm", "Xã 4", "", "3"),
    ]
    assert record[0][6] == "đáp án B" and record[0][8] == "Đội giơ bảng B"
    assert record[1][6] == "Trả lời sai"
    assert record[2][9] != "" and record[2][10] == "Nhầm đội"  # undone, when and why
    assert all(len(r[1]) == 8 and r[1].count(":") == 2 for r in record)  # HH:MM:SS
