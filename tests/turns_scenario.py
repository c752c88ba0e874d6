"""A `turns` round for 17 teams, played over real sockets by tests/live and
tests/browser: each team in turn answers its package of two questions on its
tablet, with the star of hope and the steal (take_from_owner), one package
picked by value, and the last team skipped as absent.

The script, team i (0-based, doi-01 is 0) in contest order, package i+1:
- question 1 (10 points; team 0 picks 20 first, then 10): right when i is even;
  wrong otherwise, and the steal opens: team (i+1) % 16 buzzes first (another
  team a little later) and answers right when i % 4 == 1, wrong when i % 4 == 3;
- question 2 (20 points): the star on it when i % 3 == 0 (placed from the
  tablet when i is even, by the MC otherwise); right unless i % 3 == 2 or i is
  9; when wrong the steal opens and the MC closes it with no buzz;
- team 16 (doi-17) is skipped: "Đội vắng mặt".
Scoring: star right x2, star wrong x-1; steal right x1 (taken from the owner
too), steal wrong x-0.5.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clients import write_generated_contest
from conftest import COMMUNES, TEAM_IDS

PLAYING = 16  # the 17th team is absent
RIGHT, WRONG = "B", "A"

# Worked out by hand from the script above (see the module docstring):
#   t0  Q1 20 right +20, Q2 10 star right +20, steal of t15 wrong -5      = 35
#   t1  Q1 wrong, t2 steals right: -10; Q2 right +20                     = 10
#   t2  Q1 right +10, Q2 wrong 0, steal +10                              = 20
#   t3  Q1 wrong, t4 steals wrong: 0; Q2 star right +40                  = 40
#   t4  Q1 +10, Q2 +20, steal wrong -5                                   = 25
#   t5  Q1 wrong, t6 steals right: -10; Q2 wrong 0                       = -10
#   t6  Q1 +10, Q2 star right +40, steal +10                             = 60
#   t7  Q1 wrong, t8 steals wrong: 0; Q2 +20                             = 20
#   t8  Q1 +10, Q2 wrong 0, steal wrong -5                               = 5
#   t9  Q1 wrong, t10 steals right: -10; Q2 star wrong -20               = -30
#   t10 Q1 +10, Q2 +20, steal +10                                        = 40
#   t11 Q1 wrong, t12 steals wrong: 0; Q2 wrong 0                        = 0
#   t12 Q1 +10, Q2 star right +40, steal wrong -5                        = 45
#   t13 Q1 wrong, t14 steals right: -10; Q2 +20                          = 10
#   t14 Q1 +10, Q2 wrong 0, steal +10                                    = 20
#   t15 Q1 wrong, t0 steals wrong: 0; Q2 star right +40                  = 40
#   t16 skipped                                                          = 0
EXPECTED = dict(
    zip(
        TEAM_IDS,
        [35, 10, 20, 40, 25, -10, 60, 20, 5, -30, 40, 0, 45, 10, 20, 40, 0],
        strict=True,
    )
)


def q1_right(i: int) -> bool:
    return i % 2 == 0


def stealer(i: int) -> int:
    return (i + 1) % PLAYING


def steal_right(i: int) -> bool:
    return i % 4 == 1


def starred(i: int) -> bool:
    return i % 3 == 0


def star_from_tablet(i: int) -> bool:
    return i % 2 == 0


def q2_right(i: int) -> bool:
    return i % 3 != 2 and i != 9


def question(qid: str, points: int) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "single",
        "text": f"Câu hỏi {qid}: văn bản nào ban hành Chương trình tổng thể cải cách hành chính?",
        "choices": {
            "A": "Nghị quyết 30c/NQ-CP",
            "B": "Nghị quyết 76/NQ-CP",
            "C": "Quyết định 136/2001/QĐ-TTg",
            "D": "Nghị định 61/2018/NĐ-CP",
        },
        "answer": RIGHT,
        "points": points,
        "time_limit": 60,
        "explanation": "Nghị quyết 76/NQ-CP ngày 15/7/2021.",
        "source": "Nghị quyết 76/NQ-CP",
    }


def write_turns_contest(folder: Path, answer_on: str = "tablet") -> Path:
    questions = [question("p1-10a", 10), question("p1-10b", 10), question("p1-20", 20)]
    packages: list[dict[str, Any]] = [
        {
            "id": "goi-01",
            "questions": ["p1-10a", "p1-10b", "p1-20"],
            "pick": {"points": [10, 20], "count": 2},
        },
    ]
    for k in range(2, 18):
        questions += [question(f"p{k}-10", 10), question(f"p{k}-20", 20)]
        packages.append({"id": f"goi-{k:02d}", "questions": [f"p{k}-10", f"p{k}-20"]})
    rounds = [
        {
            "id": "goi",
            "title": "Câu hỏi riêng",
            "format": "turns",
            "assign": "in_order",
            "answer_on": answer_on,
            "star": {"enabled": True, "correct": 2, "wrong": -1},
            "steal": {
                "enabled": True,
                "window": 10,
                "correct": 1,
                "wrong": -0.5,
                "take_from_owner": True,
            },
            "packages": packages,
        }
    ]
    teams = list(zip(TEAM_IDS, COMMUNES, strict=True))
    return Path(write_generated_contest(folder, "goi-17", teams, rounds, questions))
