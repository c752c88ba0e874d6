"""The contest's append-only journal: one JSON line per event, fsync'd.

The journal is the record of the contest: the state is whatever replaying it
gives. `append` returns only once the lines are on disk (flush + fsync), so
anything acknowledged after it survives a crash. A torn last line (the process
died mid-write) is dropped on open. Starting afresh renames an old journal
aside; nothing here ever deletes one. Imports events only.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .events import Event, from_record, to_record
from .model import Contest

FORMAT_VERSION = 1


class JournalError(Exception):
    """A journal that cannot be used for this contest; the message says why."""


def fingerprint(contest: Contest) -> str:
    """A digest of what the results depend on: teams, rounds, questions, keys, points."""
    data: list[Any] = [[t.id for t in contest.teams]]
    for rnd in contest.rounds:
        data.append([rnd.id, rnd.format, repr(rnd.settings)])
        for qid in rnd.question_ids:
            q = contest.questions[qid]
            data.append(
                [
                    qid,
                    q.type,
                    repr(sorted(q.answer) if isinstance(q.answer, frozenset) else q.answer),
                    q.points,
                    q.time_limit,
                    q.tolerance,
                    q.ignore_diacritics,
                    [k for k, _ in q.choices or q.items],
                ]
            )
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


class Journal:
    """An open journal file for one contest."""

    def __init__(self, path: Path, contest: Contest, now: float | None = None) -> None:
        self.path = path
        self.events: list[Event] = []
        path.parent.mkdir(parents=True, exist_ok=True)
        expected = {"contest": contest.id, "fingerprint": fingerprint(contest)}
        if path.exists() and path.stat().st_size > 0:
            self.events = self._load(path, expected)
        else:
            header = {
                "type": "_journal",
                "version": FORMAT_VERSION,
                **expected,
                "created": now if now is not None else time.time(),
            }
            self._write_new(path, header)
        self._file = open(path, "ab", buffering=0)  # noqa: SIM115 - kept open for appends

    @staticmethod
    def _write_new(path: Path, header: dict[str, Any]) -> None:
        with open(path, "wb") as f:
            f.write(json.dumps(header, ensure_ascii=False).encode() + b"\n")
            f.flush()
            os.fsync(f.fileno())
        _fsync_dir(path.parent)

    @staticmethod
    def _load(path: Path, expected: dict[str, str]) -> list[Event]:
        raw = path.read_bytes()
        lines = raw.split(b"\n")
        if lines and lines[-1] != b"":
            # The last line has no newline: the process died while writing it.
            # Nothing in it was acknowledged, so it is dropped.
            torn = len(lines[-1])
            with open(path, "r+b") as f:
                f.truncate(len(raw) - torn)
                os.fsync(f.fileno())
        records = [line for line in lines[:-1] if line.strip()]
        if not records:
            raise JournalError(f"{path}: empty journal without a header")
        try:
            header = json.loads(records[0])
        except ValueError as exc:
            raise JournalError(f"{path}:1: not a journal header") from exc
        if header.get("type") != "_journal":
            raise JournalError(f"{path}:1: not a journal header")
        if header.get("contest") != expected["contest"]:
            raise JournalError(
                f"{path}: journal of contest '{header.get('contest')}', not '{expected['contest']}'"
            )
        if header.get("fingerprint") != expected["fingerprint"]:
            raise JournalError(
                f"{path}: the contest's teams, rounds or questions changed since this journal "
                "began; resuming would change recorded results. Restore the files, or start "
                "a new journal with --fresh (the old one is kept)."
            )
        events = []
        for number, line in enumerate(records[1:], start=2):
            try:
                events.append(from_record(json.loads(line)))
            except (ValueError, TypeError) as exc:
                raise JournalError(f"{path}:{number}: unreadable entry: {exc}") from exc
        return events

    def append(self, events: Iterable[Event]) -> None:
        """Write events durably: returns once they are on disk."""
        data = b"".join(
            json.dumps(to_record(e), ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
            for e in events
        )
        if not data:
            return
        self._file.write(data)
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def set_aside(path: Path, now: float) -> Path | None:
    """Rename an existing journal out of the way (for --fresh); never deletes."""
    if not path.exists():
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    target = path.with_name(f"{path.stem}-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}-{stamp}-{n}{path.suffix}")
        n += 1
    path.rename(target)
    return target
