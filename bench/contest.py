"""Generated contests for the benchmark: T teams and a bank of simple questions.

Every contest has three rounds, played (or skipped) by the harness's MC:
`push` (format `all`) whose questions are shown one after another, `answers`
(format `all`, `allow_change: true`, the longest time limit) where tablets
answer as often as they like, and `buzz` (format `buzzer`). Texts are
Vietnamese-sized so the views weigh what a real contest's do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_TEAMS = 60  # the contest format's limit
ANSWER_TIME_LIMIT = 600  # seconds: the longest a bank allows
CHOICES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Layout:
    """What a generated contest holds, so the MC knows the ids to expect."""

    path: Path
    contest_id: str
    teams: list[str]
    push: list[str]
    answers: list[str]
    buzz: list[str]


def team_ids(count: int) -> list[str]:
    if not 2 <= count <= MAX_TEAMS:
        raise ValueError(f"a contest has 2 to {MAX_TEAMS} teams, not {count}")
    return [f"doi-{i + 1:02d}" for i in range(count)]


def _question(qid: str, number: int, time_limit: int | None = None) -> str:
    lines = [
        f"  - id: {qid}",
        "    type: single",
        f"    text: Câu hỏi số {number} về cải cách hành chính — văn bản nào quy định "
        "cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính?",
        "    choices:",
        *(
            f"      {k}: Nghị định số {number + i}/2018/NĐ-CP của Chính phủ"
            for i, k in enumerate(CHOICES)
        ),
        f"    answer: {CHOICES[number % len(CHOICES)]}",
        "    explanation: Nghị định 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ.",
        "    source: Nghị định 61/2018/NĐ-CP",
    ]
    if time_limit is not None:
        lines.append(f"    time_limit: {time_limit}")
    return "\n".join(lines)


def _bank(push: list[str], answers: list[str], buzz: list[str]) -> str:
    parts = ["bank: bench", "title: Câu hỏi đo hiệu năng", "defaults: {time_limit: 60, points: 10}"]
    parts.append("questions:")
    number = 0
    for qid in push + buzz:
        number += 1
        parts.append(_question(qid, number))
    for qid in answers:
        number += 1
        parts.append(_question(qid, number, ANSWER_TIME_LIMIT))
    return "\n".join(parts) + "\n"


# The burst puts several tablets on each team (1000 over 60: up to 17), which
# join freely only up to devices_per_team (beyond it they wait for the MC).
MAX_DEVICES_PER_TEAM = 20


def _contest(
    contest_id: str, teams: list[str], push: list[str], answers: list[str], buzz: list[str]
) -> str:
    team_lines = "\n".join(f"  - {{id: {t}, name: Xã Thử Nghiệm {t[-2:]}}}" for t in teams)
    return f"""contest: {contest_id}
title: Hội thi đo hiệu năng
subtitle: Phần thi Hiểu biết
organizer: Ban tổ chức
date: 2023-08-29
banks: [bench-bank.yaml]
devices_per_team: {MAX_DEVICES_PER_TEAM}
teams:
{team_lines}
rounds:
  - id: push
    title: Câu hỏi chung
    format: all
    questions: [{", ".join(push)}]
  - id: answers
    title: Trả lời liên tục
    format: all
    allow_change: true
    questions: [{", ".join(answers)}]
  - id: buzz
    title: Giành quyền trả lời
    format: buzzer
    buzz_window: 30
    answer_time: 30
    rebound: false
    questions: [{", ".join(buzz)}]
"""


def write_contest(folder: Path, teams: int, push: int, answers: int = 2, buzz: int = 1) -> Layout:
    """Write a contest file and its bank into `folder`; return what it holds."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = team_ids(teams)
    push_ids = [f"p{i + 1:03d}" for i in range(max(1, push))]
    answer_ids = [f"a{i + 1:03d}" for i in range(max(1, answers))]
    buzz_ids = [f"b{i + 1:03d}" for i in range(max(1, buzz))]
    contest_id = f"bench-{teams}"
    (folder / "bench-bank.yaml").write_text(_bank(push_ids, answer_ids, buzz_ids), encoding="utf-8")
    path = folder / f"{contest_id}.yaml"
    path.write_text(_contest(contest_id, ids, push_ids, answer_ids, buzz_ids), encoding="utf-8")
    return Layout(path, contest_id, ids, push_ids, answer_ids, buzz_ids)
