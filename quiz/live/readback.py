"""A journal read back without a server: the played contest, for the record.

`read_played(path, contest)` verifies the journal's chain exactly as `quiz
verify` does (journal.read_chain), checks that it belongs to this contest
(its id and fingerprint), and replays its events. It never writes, never
locks the data folder, and never cuts a torn last line off (that line, never
acknowledged, is simply not read), so it may run while the server runs. The
head hash it returns is the one `quiz verify` prints. Imports journal,
events, engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quiz.live.journal import FORMAT_VERSION, JournalError, fingerprint, read_chain
from quiz.rules import engine
from quiz.rules.events import Event, from_record
from quiz.rules.model import Contest
from quiz.rules.state import ContestState


@dataclass
class Played:
    state: ContestState
    events: list[Event]
    head: str  # the last good entry's hash, as `quiz verify` prints it
    entries: int  # events in the journal (the header not counted)
    created: float | None  # when the journal was begun


def read_played(path: Path, contest: Contest) -> Played:
    """The contest as its journal at `path` records it; JournalError says why not."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise JournalError(f"{path}: cannot read: {exc.strerror}") from None
    found = read_chain(raw)
    if found.bad_line and not found.torn:
        raise JournalError(f"{path}:{found.bad_line}: {found.why}")
    if not found.records:
        raise JournalError(f"{path}: empty, not a journal")
    header = found.records[0]
    if header.get("version") != FORMAT_VERSION:
        raise JournalError(
            f"{path}:1: journal format {header.get('version')!r}, not {FORMAT_VERSION} "
            "(no hash chain)"
        )
    if header.get("contest") != contest.id:
        raise JournalError(
            f"{path}: journal of contest '{header.get('contest')}', not '{contest.id}' "
            f"({contest.file or 'the contest file'}): name its contest file with --contest"
        )
    if header.get("fingerprint") != fingerprint(contest):
        raise JournalError(
            f"{path}: the contest's teams, rounds or questions changed since this journal "
            "began; its results cannot be read with this contest file"
        )
    events = []
    for number, record in enumerate(found.records[1:], start=2):
        record.pop("wall", None)
        try:
            events.append(from_record(record))
        except (ValueError, TypeError) as exc:
            raise JournalError(f"{path}:{number}: unreadable entry: {exc}") from exc
    created = header.get("created")
    return Played(
        state=engine.replay(contest, events),
        events=events,
        head=found.head,
        entries=len(found.records) - 1,
        created=float(created) if isinstance(created, int | float) else None,
    )
