"""The contest's append-only journal: one JSON line per event, hash-chained, fsync'd.

The journal is the record of the contest: the state is whatever replaying it
gives. Every line ends with `"h":"<sha256>"`, the hash of the line's own
content (the line without its `h` field) after the previous line's hash, so
an edited, removed, added or reordered entry breaks the chain at that line,
and the last line's hash (the head, shown on the MC console and printed with
the results) stands for the whole record.

Entries are chained in the order `submit` is called (the decision order) and
written by one writer task, never on the caller's event loop: the writer takes
every entry queued while the previous sync ran, writes them with one write and
one fsync (group commit), and only then marks their tickets done. The write
and fsync run in a real OS thread (eventlet's tpool, gevent's threadpool, or
the writer thread itself in threading mode), so a slow disk stalls no push,
ping or other ack. `Ticket.wait` returns once the entry and every entry before
it is written and synced; anything acknowledged after it survives a crash.
`append` is submit + wait.

A write that fails (the disk is full, an I/O error) is truncated back, so the
file stays a valid journal, and every ticket of that group and of the groups
queued after it (their chain runs through the failed entries) raises
JournalWriteError. The journal is then `stale`: it refuses new entries until
`reset` puts its head back to the last synced entry (the service rebuilds its
state from `events`, the synced events, at the same time).

QUIZ_FSYNC_DELAY_MS (a test and bench knob, never for a contest) makes every
sync of the writer that many milliseconds slower, as a slow disk would.

On open, the whole chain is verified. A complete last line without its
newline is kept (the newline is added); only a last line that fails to parse
or to verify is torn (the process died writing it: it was never acknowledged)
and cut off. Any other bad line refuses the journal, naming the line.
Starting afresh renames an old journal aside; nothing here ever deletes one.
The chain itself (encoding, verifying, resuming) is in quiz/live/chain.py.
Imports events and the chain only.
"""

from __future__ import annotations

import errno
import os
import threading
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from quiz.live.chain import (
    FORMAT_VERSION,
    GENESIS,
    HASH_LEN,
    JournalError,
    Verified,
    encode,
    fingerprint,
    link_hash,
    read_chain,
    verify_file,
)
from quiz.live.chain import load as load_chain
from quiz.live.offload import offloader
from quiz.rules.events import Event, to_record
from quiz.rules.model import Contest

__all__ = [
    "DISK_FULL",
    "FORMAT_VERSION",
    "GENESIS",
    "HASH_LEN",
    "Journal",
    "JournalError",
    "JournalWriteError",
    "Ticket",
    "Verified",
    "encode",
    "fingerprint",
    "link_hash",
    "read_chain",
    "set_aside",
    "verify_file",
]

LOW_SPACE = 64 * 1024 * 1024  # bytes free below which the MC is warned
DISK_FULL = "Không ghi được nhật ký: đĩa đầy"
DELAY_ENV = "QUIZ_FSYNC_DELAY_MS"  # test/bench knob: every sync this much slower


class JournalWriteError(Exception):
    """An append that did not reach the disk; nothing of it is in the file."""

    def __init__(self, message: str, code: str = "journal_full") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- the writer -----------------------------------------------------------------------


class Ticket:
    """One submitted group of entries: wait() returns once they are on disk."""

    def __init__(self, events: list[Event], data: bytes, head: str) -> None:
        self.events = events
        self.data = data
        self.head = head  # the chain's head after these entries
        self.error: JournalWriteError | None = None
        self._done = threading.Event()  # green under eventlet and gevent

    def wait(self) -> None:
        """Block this task (not the event loop) until synced; raise if it was not."""
        self._done.wait()
        if self.error is not None:
            raise self.error

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def _finish(self, error: JournalWriteError | None) -> None:
        self.error = error
        self._done.set()


def _done_ticket() -> Ticket:
    ticket = Ticket([], b"", "")
    ticket._finish(None)
    return ticket


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get(DELAY_ENV, "0") or 0)) / 1000.0
    except ValueError:
        return 0.0


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
            self.events, self.head = load_chain(path, expected)
        else:
            header = {
                "type": "_journal",
                "version": FORMAT_VERSION,
                **expected,
                "created": now if now is not None else time.time(),
            }
            self._write_new(path, header)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        self._size = os.fstat(self._fd).st_size  # bytes synced (the writer's)
        self.entries = len(self.events)
        self.synced_head = self.head  # the last synced entry's hash
        self.stale = False  # a group failed: refuse entries until reset()
        self._code = "journal_full"
        self._queue: list[Ticket] = []
        self._cond = threading.Condition()
        self._closing = False
        self.syncs = 0  # fsyncs done by the writer (one per group)
        self._offload, self._sleep = offloader()
        self._delay = _delay()
        self._check_space()
        self._writer = threading.Thread(target=self._run, name="journal-writer", daemon=True)
        self._writer.start()

    def _write_new(self, path: Path, header: dict[str, Any]) -> None:
        line, self.head = encode(header, GENESIS)
        tmp = path.with_name(path.name + ".new")
        with open(tmp, "wb") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)

    def submit(self, events: Iterable[Event], wall: float | None = None) -> Ticket:
        """Chain `events` after the last submitted entry and queue them for the
        writer; returns at once. Raises JournalWriteError if the journal refuses
        entries now (a failed group not yet reset, or broken)."""
        if self.broken:
            raise JournalWriteError(self.error or DISK_FULL, "journal_broken")
        if self.stale:
            raise JournalWriteError(self.error or DISK_FULL, self._code)
        events = list(events)
        if not events:
            return _done_ticket()
        head = self.head
        chunks: list[bytes] = []
        label = round(wall if wall is not None else time.time(), 3)
        for event in events:
            record = to_record(event)
            record["wall"] = label
            line, head = encode(record, head)
            chunks.append(line)
        ticket = Ticket(events, b"".join(chunks), head)
        with self._cond:
            if self._closing:
                raise JournalWriteError("Nhật ký đã đóng", "journal_write")
            self._queue.append(ticket)
            self._cond.notify()
        self.head = head
        return ticket

    def append(self, events: Iterable[Event], wall: float | None = None) -> None:
        """Write events durably: returns once every byte is written and synced.

        Raises JournalWriteError, with the file cut back to what it was, if not."""
        self.submit(events, wall).wait()

    def tail(self) -> Ticket | None:
        """The last group submitted and not yet synced: once it is, all before it are."""
        with self._cond:
            return self._queue[-1] if self._queue else None

    def flush(self) -> None:
        """Wait until everything submitted so far is synced (raise if it was not)."""
        last = self.tail()
        if last is not None:
            last.wait()

    def reset(self) -> None:
        """After a failed group: chain new entries after the last synced one."""
        with self._cond:
            if self._queue:  # cannot happen: a failure fails every queued group
                return
            self.head = self.synced_head
            self.stale = False

    @property
    def pending(self) -> int:
        """Groups queued and not yet synced."""
        with self._cond:
            return len(self._queue)

    def _run(self) -> None:
        """The writer: one write and one fsync for everything queued meanwhile."""
        while True:
            with self._cond:
                while not self._queue and not self._closing:
                    self._cond.wait()
                if not self._queue:
                    return
                batch = list(self._queue)  # stay queued (pending) until synced
            data = b"".join(t.data for t in batch)
            failed = self._offload(partial(self._sync, data))
            with self._cond:
                if failed is None:
                    del self._queue[: len(batch)]
                    self._size += len(data)
                    self.synced_head = batch[-1].head
                    for ticket in batch:
                        self.events.extend(ticket.events)
                        self.entries += len(ticket.events)
                    self.error = None
                    error = None
                else:
                    batch = list(self._queue)  # every later group chains on the failed one
                    self._queue.clear()
                    error = self._failure(*failed)
            self._check_space()
            for ticket in batch:
                ticket._finish(error)

    def _sync(self, data: bytes) -> tuple[OSError, bool] | None:
        """Write and fsync (in a real OS thread); on failure cut the file back.
        None if done, else (the error, whether cutting back failed too)."""
        try:
            view = memoryview(data)
            while view:
                n = self._write(self._fd, view)
                if n <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                view = view[n:]
            if self._delay:
                self._sleep(self._delay)
            os.fsync(self._fd)
            self.syncs += 1
            return None
        except OSError as exc:
            try:
                os.ftruncate(self._fd, self._size)
                os.fsync(self._fd)
            except OSError:
                return exc, True
            return exc, False

    def _failure(self, exc: OSError, broken: bool) -> JournalWriteError:
        """Record a failed group (under the writer's lock); the error its tickets get."""
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # EFBIG: a size limit
        message = DISK_FULL if full else f"Không ghi được nhật ký: {exc.strerror or exc}"
        self.stale = True
        if broken:
            # The file may now end in part of an entry: a restart cuts it off as a
            # torn line, but no more may be appended to it from this process.
            self.broken = True
            self.error = message + " (khắc phục rồi khởi động lại máy chủ)"
            self._code = "journal_broken"
        else:
            self.error = message
            self._code = "journal_full" if full else "journal_write"
        failure = JournalWriteError(self.error, self._code)
        failure.__cause__ = exc
        return failure

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
            "head": self.synced_head,
            "entries": self.entries,
            "free_mb": None if self.free is None else round(self.free / 2**20, 1),
            "space_low": self.space_low,
            "error": self.error,
            "syncs": self.syncs,
        }

    def close(self) -> None:
        """Sync what is queued, stop the writer, close the file."""
        with self._cond:
            self._closing = True
            self._cond.notify()
        if self._writer.is_alive() and self._writer is not threading.current_thread():
            self._writer.join()
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
