"""The journal: durable appends, exact replay, torn lines, resume paused."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from support import T0, contest, q_single

from quiz.live.journal import Journal, JournalError, set_aside
from quiz.live.service import Service
from quiz.rules.commands import OpenAnswers, ShowQuestion, StartRound, SubmitAnswer, Tick
from quiz.rules.events import AnswerAccepted, QuestionShown
from quiz.rules.model import AllSettings, Phase, Team


class FakeClock:
    def __init__(self, t: float = T0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def _contest():  # type: ignore[no-untyped-def]
    return contest(("all", [q_single("s1"), q_single("s2", "C")], AllSettings()))


def test_events_survive_a_reopen_exactly(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal(path, _contest(), now=T0)
    events = [
        QuestionShown(at=T0, question="s1", index=0),
        AnswerAccepted(
            at=T0 + 1,
            question="s1",
            team="t1",
            value=["A", "C"],
            pressed=T0 + 1,
            time=0.5,
            nonce="n",
        ),
    ]
    journal.append(events)
    journal.close()
    again = Journal(path, _contest())
    assert again.events == events
    again.close()


def test_a_torn_last_line_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal(path, _contest(), now=T0)
    journal.append([QuestionShown(at=T0, question="s1", index=0)])
    journal.close()
    with open(path, "ab") as f:
        f.write(b'{"type":"AnswerAccepted","at":')
    again = Journal(path, _contest())
    again.close()
    assert len(again.events) == 1
    assert path.read_bytes().endswith(b"\n")


def test_a_journal_of_another_contest_or_changed_questions_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    Journal(path, _contest(), now=T0).close()
    changed = contest(("all", [q_single("s1", "A"), q_single("s2", "C")], AllSettings()))
    with pytest.raises(JournalError, match="changed"):
        Journal(path, changed)
    other = contest(("all", [q_single("s1")], None), teams=(Team("x", "X"), Team("y", "Y")))
    with pytest.raises(JournalError):
        Journal(path, other)


def test_set_aside_keeps_the_old_journal(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_text("old\n")
    moved = set_aside(path, T0)
    assert moved is not None and moved.read_text() == "old\n" and not path.exists()
    path.write_text("second\n")
    moved2 = set_aside(path, T0)
    assert moved2 is not None and moved2 != moved and moved.exists()


def test_service_writes_before_it_returns_and_resumes_exactly(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "journal.jsonl"
    service = Service(_contest(), path, clock=clock)
    service.handle(StartRound())
    service.handle(ShowQuestion())
    service.handle(OpenAnswers("s1"))
    clock.t += 4
    outcome = service.handle(SubmitAnswer("s1", "t1", "B", clock.t, nonce="n1"))
    assert outcome.ok
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["type"] == "AnswerAccepted"  # on disk when handle returns
    # the laptop dies 2 s later; it comes back 50 s after that
    clock.t += 2
    service.heartbeat()
    os.utime(service.alive_path, (clock.t, clock.t))
    service.close()
    clock.t += 50
    resumed = Service(_contest(), path, clock=clock)
    assert resumed.resumed
    assert resumed.state.phase == Phase.OPEN
    q = resumed.state.questions["s1"]
    assert q.answers["t1"].value == "B"
    assert q.clock is not None and not q.clock.running
    assert q.clock.remaining(clock.t) == pytest.approx(14.0)  # 20 s - 6 s before the crash
    resumed.handle(Tick())
    assert resumed.state.phase == Phase.OPEN  # paused: waits for the MC
    resumed.close()


def test_refused_commands_write_nothing(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    service = Service(_contest(), path, clock=FakeClock())
    size = path.stat().st_size
    outcome = service.handle(OpenAnswers("s1"))
    assert not outcome.ok and outcome.error is not None and outcome.error.code == "no_question"
    assert path.stat().st_size == size
    service.close()
