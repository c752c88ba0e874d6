"""Resume: the time to rebuild the state from a journal of many entries.

A realistic journal is written directly (the engine's own event records, one
hash-chained JSON line each with its wall-time label, as quiz.live.journal writes
them): a 60-team contest whose
`answers` round (allow_change) is played question after question, every team
changing its answer a few times, with a score correction now and then. Each
question is closed and revealed, so opening the journal changes nothing.
Timed: `Service(contest, path)` (read, parse, replay, resume), and in the same
process the baseline, a plain `json.loads` of every line of the same file.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.contest import write_contest
from quiz.files.bank import load_contest
from quiz.live.journal import FORMAT_VERSION, encode, fingerprint
from quiz.live.service import Service
from quiz.rules.events import (
    AnswerAccepted,
    AnswersClosed,
    AnswersOpened,
    ClockStarted,
    Event,
    QuestionShown,
    Revealed,
    RoundStarted,
    ScoreAdjusted,
    to_record,
)
from quiz.rules.model import Contest

TEAMS = 60
CHANGES = 4  # answers per team per question
PER_QUESTION = TEAMS * CHANGES + 6
LETTERS = ("A", "B", "C", "D")


def _question_events(contest: Contest, qid: str, index: int, at: float) -> Iterator[Event]:
    limit = float(contest.questions[qid].time_limit)
    yield QuestionShown(at=at, question=qid, index=index)
    opened = at + 5.0
    yield AnswersOpened(at=opened, question=qid)
    yield ClockStarted(at=opened, question=qid, kind="answer", limit=limit)
    for change in range(CHANGES):
        for n, team in enumerate(contest.teams):
            pressed = opened + 1.0 + change * 3.0 + n * 0.01
            yield AnswerAccepted(
                at=pressed,
                question=qid,
                team=team.id,
                value=LETTERS[(n + change + index) % len(LETTERS)],
                pressed=pressed,
                time=pressed - opened,
                nonce=f"{team.id}-{qid}-{change}",
            )
    yield AnswersClosed(at=opened + limit, question=qid, reason="time")
    yield Revealed(at=opened + limit + 5.0, question=qid)


def _events(contest: Contest, questions: list[str], start: float) -> Iterator[Event]:
    yield RoundStarted(at=start, round=0)
    yield RoundStarted(at=start + 1.0, round=1)
    at = start + 10.0
    for index, qid in enumerate(questions):
        if index % 10 == 9:
            team = contest.teams[index % len(contest.teams)].id
            yield ScoreAdjusted(
                at=at + 700.0,
                id=index // 10 + 1,
                team=team,
                delta=5.0,
                reason="Phúc khảo: ban giám khảo chấm lại",
            )
        yield from _question_events(contest, qid, index, at)
        at += 720.0


def write_journal(folder: Path, entries: int) -> tuple[Contest, Path, int]:
    """A contest and a journal of at least `entries` events; returns the exact count."""
    questions = entries // PER_QUESTION + 2  # enough to pass `entries`
    layout = write_contest(folder, TEAMS, push=1, answers=questions, buzz=1)
    contest = load_contest(str(layout.path))
    path = folder / "journal.jsonl"
    start = time.time() - 30 * 86400
    header = {
        "type": "_journal",
        "version": FORMAT_VERSION,
        "contest": contest.id,
        "fingerprint": fingerprint(contest),
        "created": start,
    }
    count = 0
    with open(path, "wb") as f:
        line, head = encode(header, "")
        f.write(line)
        for event in _events(contest, layout.answers, start):
            line, head = encode({**to_record(event), "wall": round(event.at, 3)}, head)
            f.write(line)
            count += 1
            if count >= entries and isinstance(event, Revealed):
                break  # a whole question: the journal ends in a quiet state
    return contest, path, count


def _time_service(contest: Contest, path: Path) -> float:
    started = time.perf_counter()
    service = Service(contest, path)
    elapsed = time.perf_counter() - started
    service.close()
    return elapsed


def _time_json(path: Path) -> float:
    started = time.perf_counter()
    lines = path.read_bytes().split(b"\n")
    records = [json.loads(line) for line in lines if line]
    elapsed = time.perf_counter() - started
    assert records
    return elapsed


def measure(folder: Path, entries: int, repeats: int = 3) -> dict[str, Any]:
    """Median replay time of `Service` and of plain json.loads over the same journal."""
    contest, path, count = write_journal(folder, entries)
    size = path.stat().st_size
    service_s: list[float] = []
    json_s: list[float] = []
    for _ in range(repeats):  # alternated, so both see the same machine
        json_s.append(_time_json(path))
        service_s.append(_time_service(contest, path))
    check = Service(contest, path)
    assert len(check.journal.events) == count, "the journal changed when opened"
    check.close()
    service_med, json_med = statistics.median(service_s), statistics.median(json_s)
    return {
        "entries": count,
        "bytes": size,
        "repeats": repeats,
        "service_s": round(service_med, 4),
        "json_s": round(json_med, 4),
        "ratio": round(service_med / json_med, 2),
        "service_all_s": [round(s, 4) for s in service_s],
        "json_all_s": [round(s, 4) for s in json_s],
    }
