"""What can be taken back: the corrections and buzz verdicts still in force.

Both change a team's score; the MC may undo any of them, with a reason.
`undoable(state)` lists them newest first. Imports state only.
"""

from __future__ import annotations

from dataclasses import dataclass

from quiz.rules.formats.buzzer_state import Attempt
from quiz.rules.state import ContestState, Correction


@dataclass(frozen=True)
class Undoable:
    """A correction (`correction`) or a judged buzz attempt (`question`, `index`)."""

    at: float
    correction: Correction | None = None
    question: str | None = None
    index: int = -1
    attempt: Attempt | None = None

    @property
    def key(self) -> str:
        """A stable name: `c3` for correction 3, `v:<question>:<index>` for a verdict."""
        if self.correction is not None:
            return f"c{self.correction.id}"
        return f"v:{self.question}:{self.index}"


def verdicts(state: ContestState) -> list[Undoable]:
    """Every judged buzz attempt, in force or not, oldest first."""
    found = []
    for qid, q in state.questions.items():
        for index, attempt in enumerate(q.attempts):
            if attempt.verdict is not None and attempt.judged_at is not None:
                found.append(
                    Undoable(attempt.judged_at, question=qid, index=index, attempt=attempt)
                )
    return found


def undoable(state: ContestState) -> list[Undoable]:
    """Corrections and verdicts still in force, newest first."""
    items = [Undoable(c.at, correction=c) for c in state.corrections if not c.undone]
    items += [v for v in verdicts(state) if v.attempt is not None and not v.attempt.undone]

    # Newest first; at equal times a correction (made by hand) before a verdict.
    def order(u: Undoable) -> tuple[float, bool, int]:
        return (u.at, u.correction is not None, u.correction.id if u.correction else u.index)

    return sorted(items, key=order, reverse=True)
