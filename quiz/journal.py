"""The contest's append-only journal: one JSON line per event, hash-chained, fsync'd.

The journal is the record of the contest: the state is whatever replaying it
gives. Every line ends with `"h":"<sha256>"`, the hash of the line's own
content (the line without its `h` field) after the previous line's hash, so
an edited, removed, added or reordered entry breaks the chain at that line,
and the last line's hash (the head, shown on the MC console and printed with
the results) stands for the whole record.

`append` returns only once every byte is written and synced (write + fsync);
anything acknowledged after it survives a crash. A write that fails (the disk
is full, an I/O error) is truncated back, so the file stays a valid journal,
and raises JournalWriteError: the command is refused, nothing is applied.

On open, the whole chain is verified. A complete last line without its
newline is kept (the newline is added); only a last line that fails to parse
or to verify is torn (the process died writing it: it was never acknowledged)
and cut off. Any other bad line refuses the journal, naming the line.
Starting afresh renames an old journal aside; nothing here ever deletes one.
Imports events only.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .events import Event, from_record, to_record
from .model import Contest

FORMAT_VERSION = 2
HASH_LEN = 64  # hex digits of sha256
_H_OPEN = b',"h":"'
_TAIL = len(_H_OPEN) + HASH_LEN + 2  # ,"h":"<hash>"}
_sha256 = hashlib.sha256
GENESIS = ""  # the "previous hash" of the header line
LOW_SPACE = 64 * 1024 * 1024  # bytes free below which the MC is warned
DISK_FULL = "Không ghi được nhật ký: đĩa đầy"


class JournalError(Exception):
    """A journal that cannot be used for this contest; the message says why."""


class JournalWriteError(Exception):
    """An append that did not reach the disk; nothing of it is in the file."""

    def __init__(self, message: str, code: str = "journal_full") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


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


# --- the file -------------------------------------------------------------------------


class Journal:
    """An open journal file for one contest."""

    def __init__(self, path: Path, contest: Contest, now: float | None = None) -> None:
        self.path = path
        self.events: list[Event] = []
        self.head = GENESIS
        self.entries = 0  # events in the file (the header not counted)
        self.error: str | None = None  # why the last append failed, until one succeeds
        self.broken = False  # a failed append could not be cut back: no more appends
        self.low_space = LOW_SPACE
        self.free: int | None = None
        self._write = os.write  # the one write call (a test injects a failing one)
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
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        self._size = os.fstat(self._fd).st_size
        self.entries = len(self.events)
        self._check_space()

    def _write_new(self, path: Path, header: dict[str, Any]) -> None:
        line, self.head = encode(header, GENESIS)
        tmp = path.with_name(path.name + ".new")
        with open(tmp, "wb") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)

    def _load(self, path: Path, expected: dict[str, str]) -> list[Event]:
        raw = path.read_bytes()
        found = read_chain(raw)
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
        events = []
        for number, record in enumerate(found.records[1:], start=2):
            record.pop("wall", None)
            try:
                events.append(from_record(record))
            except (ValueError, TypeError) as exc:
                raise JournalError(f"{path}:{number}: unreadable entry: {exc}") from exc
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
        self.head = found.head
        return events

    def append(self, events: Iterable[Event], wall: float | None = None) -> None:
        """Write events durably: returns once every byte is written and synced.

        Raises JournalWriteError, with the file cut back to what it was, if not."""
        if self.broken:
            raise JournalWriteError(self.error or DISK_FULL, "journal_broken")
        head = self.head
        chunks: list[bytes] = []
        label = round(wall if wall is not None else time.time(), 3)
        for event in events:
            record = to_record(event)
            record["wall"] = label
            line, head = encode(record, head)
            chunks.append(line)
        if not chunks:
            return
        data = b"".join(chunks)
        try:
            view = memoryview(data)
            while view:
                n = self._write(self._fd, view)
                if n <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                view = view[n:]
            os.fsync(self._fd)
        except OSError as exc:
            self._undo(exc)
        self._size += len(data)
        self.head = head
        self.entries += len(chunks)
        self.error = None
        self._check_space()

    def _undo(self, exc: OSError) -> None:
        """Cut a failed append back off the file, then raise JournalWriteError."""
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # EFBIG: a size limit
        message = DISK_FULL if full else f"Không ghi được nhật ký: {exc.strerror or exc}"
        try:
            os.ftruncate(self._fd, self._size)
            os.fsync(self._fd)
        except OSError:
            # The file may now end in part of an entry: a restart cuts it off as a
            # torn line, but no more may be appended to it from this process.
            self.broken = True
            self.error = message + " (khắc phục rồi khởi động lại máy chủ)"
            raise JournalWriteError(self.error, "journal_broken") from exc
        self.error = message
        self._check_space()
        raise JournalWriteError(message, "journal_full" if full else "journal_write") from exc

    def _check_space(self) -> None:
        try:
            st = os.fstatvfs(self._fd)
        except OSError:
            self.free = None
            return
        self.free = st.f_bavail * st.f_frsize

    @property
    def space_low(self) -> bool:
        return self.free is not None and self.free < self.low_space

    def status(self) -> dict[str, Any]:
        """What the MC console shows of the journal."""
        return {
            "head": self.head,
            "entries": self.entries,
            "free_mb": None if self.free is None else round(self.free / 2**20, 1),
            "space_low": self.space_low,
            "error": self.error,
        }

    def close(self) -> None:
        try:
            os.close(self._fd)
        except OSError:
            pass


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
