"""A small contest, played, for the official record's tests: a contest file, a
game with corrections, and its journal written as the server writes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from support import T0, Game

from quiz.files.bank import load_contest
from quiz.live.journal import Journal
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
from quiz.rules.model import Contest

TEAMS = [
    ("bo", "Thị trấn Bo"),
    ("binh-son", "Xã Bình Sơn"),
    ("cuoi-ha", "Xã Cuối Hạ"),
    ("nuong-dam", "Xã Nương Đăm"),
]
REASONS = [
    "Đội giơ bảng đáp án A, máy tính bảng mất kết nối",
    "Đội bấm chuông khi câu hỏi chưa đọc xong",
    "Trả lời đúng câu hỏi dành cho khán giả",
]


def write_contest(folder: Path, **extra: Any) -> Path:
    """A bank of three questions and a contest of two rounds (all, buzzer) with prizes."""
    folder.mkdir(parents=True, exist_ok=True)
    choices = {"A": "Bộ Nội vụ", "B": "Bộ Tư pháp", "C": "Văn phòng Chính phủ"}
    bank = {
        "bank": "ghi-nhan-bank",
        "title": "Câu hỏi kiểm thử",
        "defaults": {"time_limit": 20, "points": 10},
        "questions": [
            {"id": "q1", "type": "single", "text": "Cơ quan nào?", "choices": choices,
             "answer": "A"},
            {"id": "q2", "type": "text", "text": "Cơ chế gì?", "answer": ["một cửa"]},
            {"id": "b1", "type": "single", "text": "Bấm chuông: cơ quan nào?",
             "choices": choices, "answer": "C"},
        ],
    }  # fmt: skip
    (folder / "bank.yaml").write_text(yaml.safe_dump(bank, allow_unicode=True), encoding="utf-8")
    contest = {
        "contest": "ghi-nhan",
        "title": "Hội thi Cải cách hành chính huyện Kim Bôi",
        "subtitle": "Phần thi Hiểu biết",
        "organizer": "UBND huyện Kim Bôi",
        "date": "2023-08-29",
        "banks": ["bank.yaml"],
        "teams": [{"id": t, "name": n} for t, n in TEAMS],
        "rounds": [
            {"id": "chung", "title": "Câu hỏi chung", "format": "all", "questions": ["q1", "q2"]},
            {"id": "chuong", "title": "Giành quyền trả lời", "format": "buzzer",
             "questions": ["b1"]},
        ],
        "prizes": [{"name": "Giải Nhất", "count": 1}, {"name": "Giải Nhì", "count": 1},
                   {"name": "Giải Khuyến khích", "count": "rest"}],
        **extra,
    }  # fmt: skip
    path = folder / "ghi-nhan.yaml"
    path.write_text(yaml.safe_dump(contest, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def play(contest: Contest) -> Game:
    """Two rounds: answers, a hand-set answer, a buzz verdict undone, an adjustment.

    Totals: Thị trấn Bo 20, Xã Cuối Hạ 20 (ranked below Bo on answer time),
    Xã Bình Sơn 15 (10 + 5 adjusted), Xã Nương Đăm 10."""
    game = Game(contest)
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    game.at(1).do(OpenAnswers("q1"))
    for team, value, t in (("bo", "A", 2), ("binh-son", "A", 3), ("cuoi-ha", "B", 3.5)):
        game.at(1 + t).do(SubmitAnswer("q1", team, value, T0 + 1 + t))
    game.at(30).do(Reveal("q1"))
    game.at(31).do(SetAnswer("q1", "cuoi-ha", REASONS[0], value="A"))
    game.do(ShowQuestion())
    game.at(40).do(OpenAnswers("q2"))
    answers = (("bo", "một cửa", 4), ("binh-son", "một cửa liên thông", 5),
               ("cuoi-ha", "Một cửa", 5), ("nuong-dam", "một cửa", 6))  # fmt: skip
    for team, value, t in answers:
        game.at(40 + t).do(SubmitAnswer("q2", team, value, T0 + 40 + t))
    game.at(70).do(Reveal("q2"))
    game.at(80).do(StartRound())
    game.do(ShowQuestion())
    game.at(85).do(OpenAnswers("b1"))
    game.at(86).do(Buzz("b1", "nuong-dam", T0 + 86, 0.1))
    game.at(86.3).tick()
    game.at(88).do(Judge("b1", "nuong-dam", True))
    game.at(90).do(Undo(REASONS[1], question="b1", team="nuong-dam"))
    game.at(95).do(AdjustScore("binh-son", 5, REASONS[2]))
    return game


def played_journal(folder: Path) -> tuple[Path, Path, Game]:
    """The contest file, its journal of the played game, and the game."""
    contest_path = write_contest(folder / "contest")
    contest = load_contest(str(contest_path))
    game = play(contest)
    journal_path = folder / "data" / "journal.jsonl"
    journal = Journal(journal_path, contest, now=T0 - 60)
    journal.append(game.log, wall=T0 + 100)
    journal.close()
    return contest_path, journal_path, game
