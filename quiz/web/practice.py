"""The practice question, played before the first round (nothing is scored).

The bank format defines no practice questions, so the question is built in:
one single-choice question every tablet shows while the MC runs it. It lives
only in the server's memory: it is not journalled, not scored, and counts in
no total, ranking or result. Teams answer it with `practice_answer`; the
readiness grid shows who answered (docs/protocol.md).
"""

from __future__ import annotations

from typing import Any

from quiz.rules.text import N_, tr

QUESTION: dict[str, Any] = {
    "id": "practice",
    # message ids (N_), shown in the contest's language (_shown)
    "text": N_("“CCHC” là viết tắt của cụm từ nào?"),  # the screens add "Câu hỏi thử"
    "choices": [
        {"key": "A", "text": N_("Cải cách hành chính")},
        {"key": "B", "text": N_("Công chức hành chính")},
        {"key": "C", "text": N_("Cơ chế hành chính")},
        {"key": "D", "text": N_("Chương trình hành chính")},
    ],
    "answer": "A",
}


def _shown() -> dict[str, Any]:
    """The question's text and choices in the contest's language."""
    choices = [{"key": c["key"], "text": tr(c["text"])} for c in QUESTION["choices"]]
    return {"text": tr(QUESTION["text"]), "choices": choices}


class PracticeError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Practice:
    def __init__(self) -> None:
        self.active = False
        self.answers: dict[str, str] = {}  # team id -> its latest choice

    def available(self) -> None:
        """Raises PracticeError where no practice question can run (an edge)."""

    def start(self, phase: str) -> None:
        if phase != "lobby":
            raise PracticeError("not_lobby", tr("Chỉ chơi câu hỏi thử trước phần thi đầu tiên"))
        self.active = True
        self.answers.clear()

    def stop(self) -> None:
        self.active = False

    def answer(self, team: str, value: str) -> str:
        """Record a team's choice (a letter); returns it. Raises PracticeError."""
        if not self.active:
            raise PracticeError("no_practice", tr("Không có câu hỏi thử lúc này"))
        keys = [c["key"] for c in QUESTION["choices"]]
        if value not in keys:
            message = tr("Đáp án phải là một trong {keys}", keys=", ".join(keys))
            raise PracticeError("bad_answer", message)
        self.answers[team] = value
        return value

    def answered_teams(self) -> set[str]:
        return set(self.answers) if self.active else set()

    def summary(self, teams: int) -> dict[str, Any]:
        return {
            "on": self.active,
            "answered": len(self.answers) if self.active else 0,
            "of": teams,
            "question": {**_shown(), "answer": QUESTION["answer"]},
        }

    def team_view(self, team: str) -> dict[str, Any] | None:
        """What a team's tablet shows of it (the `practice` field of its view)."""
        if not self.active:
            return None
        return {**_shown(), "answer": self.answers.get(team)}

    def board_view(self, teams: int) -> dict[str, Any] | None:
        if not self.active:
            return None
        return {**_shown(), "answered": len(self.answers), "of": teams}
