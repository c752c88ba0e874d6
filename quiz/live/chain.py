"""The journal's hash chain: encoding a line, reading and verifying a journal's
lines, and checking an existing journal before it is resumed.

Every line ends with `"h":"<sha256>"`, the hash of the line's own content
(the line without its `h` field) after the previous line's hash (see
quiz/live/journal.py for what that guarantees). Imports events only.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quiz.rules.events import Event, from_record
from quiz.rules.model import Contest

FORMAT_VERSION = 2
HASH_LEN = 64  # hex digits of sha256
_H_OPEN = b',"h":"'
_TAIL = len(_H_OPEN) + HASH_LEN + 2  # ,"h":"<hash>"}
_sha256 = hashlib.sha256
GENESIS = ""  # the "previous hash" of the header line


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


# --- the chain ----------------------------------------------------------------------


def link_hash(prev: str, body: bytes) -> str:
    """The hash of one entry: its content (the line without `h`) after the previous hash."""
    return _sha256(prev.encode("ascii") + b"\n" + body).hexdigest()


def encode(record: dict[str, Any], prev: str) -> tuple[bytes, str]:
    """One chained journal line (with its newline) for `record`, and its hash."""
    body = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
    h = link_hash(prev, body)
    return body[:-1] + _H_OPEN + h.encode("ascii") + b'"}\n', h


def _unchain(line: bytes, prev: str) -> tuple[str | None, str]:
    """(the line's hash, "") if it verifies after `prev`, else (None, why)."""
    if line[-_TAIL : -HASH_LEN - 2] != _H_OPEN or line[-2:] != b'"}' or len(line) <= _TAIL:
        return None, "no hash at the end of the line (written by hand, or cut short)"
    h = line[-HASH_LEN - 2 : -2].decode("ascii", "replace")
    if _sha256(prev.encode("ascii") + b"\n" + line[:-_TAIL] + b"}").hexdigest() != h:
        return None, (
            "hash does not match: the entry was changed, or an entry before it "
            "was removed, added or moved"
        )
    return h, ""


@dataclass
class Verified:
    """What reading a journal's chain found."""

    records: list[dict[str, Any]]  # header first, each without its `h`
    head: str  # the last good entry's hash
    good_bytes: int  # length of the file up to and including the last good line
    bad_line: int = 0  # 1-based number of the first bad line, 0 if none
    why: str = ""
    torn: bool = False  # the bad line is the unterminated last one: cut it off
    missing_newline: bool = False  # the good last line has no newline
    old: bool = False  # a journal of an older format, without a chain


def read_chain(raw: bytes) -> Verified:
    """Parse and verify every line of a journal's bytes, stopping at the first bad one."""
    lines = raw.split(b"\n")
    unterminated = lines[-1] != b""
    if not unterminated:
        lines.pop()
    records: list[dict[str, Any]] = []
    prev = GENESIS
    offset = 0
    last = len(lines) - 1
    loads = json.JSONDecoder().decode
    for index, line in enumerate(lines):
        end = offset + len(line) + (0 if index == last and unterminated else 1)
        if not line.strip():
            offset = end
            continue
        h, why = _unchain(line, prev)
        record: Any = None
        try:
            record = loads(line.decode("utf-8"))
        except ValueError as exc:
            h, why = None, f"not JSON ({exc})"
        if h is not None and not isinstance(record, dict):
            h, why = None, "not a JSON object"
        if h is None and not records and isinstance(record, dict):
            version = record.get("version")
            if record.get("type") == "_journal" and version != FORMAT_VERSION:
                why = f"journal format {version!r}, not {FORMAT_VERSION}: it has no hash chain"
                return Verified(records, prev, offset, bad_line=index + 1, why=why, old=True)
        if h is None:
            return Verified(
                records,
                prev,
                offset,
                bad_line=index + 1,
                why=why,
                torn=index == last and unterminated,
            )
        del record["h"]
        if not records and record.get("type") != "_journal":
            return Verified(records, prev, offset, bad_line=index + 1, why="not a journal header")
        records.append(record)
        prev = h
        offset = end
    return Verified(records, prev, offset, missing_newline=unterminated and bool(records))


def verify_file(path: Path) -> tuple[bool, str]:
    """`quiz verify`: (ok, the line to print)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return False, f"{path}: cannot read: {exc.strerror}"
    found = read_chain(raw)
    if not found.records and not found.bad_line:
        return False, f"{path}: empty, not a journal"
    if found.records and found.records[0].get("version") != FORMAT_VERSION:
        return False, (
            f"{path}:1: journal format {found.records[0].get('version')!r}, "
            f"not {FORMAT_VERSION} (no hash chain)"
        )
    entries = max(0, len(found.records) - 1)
    if found.bad_line and not found.torn:
        return False, f"{path}:{found.bad_line}: {found.why}"
    note = ""
    if found.torn:
        note = (
            f" (line {found.bad_line}, unfinished when the server stopped, "
            "was never acknowledged and is ignored)"
        )
    return True, f"OK, {entries} entries, head {found.head}{note}"


# --- resuming ---------------------------------------------------------------------------


def load(path: Path, expected: dict[str, str]) -> tuple[list[Event], str]:
    """The events of the journal at `path` and its head, once its chain and its
    header are verified for this contest; a torn last line is cut off."""
    found = read_chain(path.read_bytes())
    _check(path, found, expected)
    events = []
    for number, record in enumerate(found.records[1:], start=2):
        record.pop("wall", None)
        try:
            events.append(from_record(record))
        except (ValueError, TypeError) as exc:
            raise JournalError(f"{path}:{number}: unreadable entry: {exc}") from exc
    _repair(path, found)
    return events, found.head


def _check(path: Path, found: Verified, expected: dict[str, str]) -> None:
    """Refuse (JournalError, naming the line) a changed chain, an old format,
    or the journal of another contest or of a changed one."""
    if found.old:
        raise JournalError(
            f"{path}:1: {found.why}; start a new journal with --fresh (this one is kept)"
        )
    if found.bad_line and not found.torn:
        raise JournalError(
            f"{path}:{found.bad_line}: {found.why}. The journal was changed after it "
            "was written; it is not resumed. `quiz verify` shows the same; restore "
            "the original file, or start a new journal with --fresh (this one is kept)."
        )
    if not found.records:
        raise JournalError(f"{path}:1: not a journal header")
    header = found.records[0]
    if header.get("version") != FORMAT_VERSION:
        raise JournalError(
            f"{path}:1: journal format {header.get('version')!r}, not {FORMAT_VERSION} "
            "(it has no hash chain); start a new journal with --fresh (this one is kept)"
        )
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


def _repair(path: Path, found: Verified) -> None:
    if found.torn:
        # The last line is unfinished: the process died while writing it, so
        # nothing in it was acknowledged. Cut it off.
        with open(path, "r+b") as f:
            f.truncate(found.good_bytes)
            os.fsync(f.fileno())
    elif found.missing_newline:
        # A complete, verified last line whose newline never reached the disk
        # is a complete entry: keep it, and end it.
        with open(path, "ab") as f:
            f.write(b"\n")
            f.flush()
            os.fsync(f.fileno())
