"""A full disk or a failed write: nothing is acknowledged that is not on disk
(issue 8, section 3).

Before: the journal ignored what os.write returned, so on a full disk a short
write left half an entry in the file, the command was acknowledged and applied,
and the next entry was glued onto the half line (the journal then failed to
load). Now a write is acknowledged only when every byte is written and synced;
a failed one is cut back off, the command is refused with "Không ghi được nhật
ký: đĩa đầy", and the journal stays valid for a restart.

The live test runs the real server with its data folder on a 1 MB tmpfs (the
tests run as root); where mounting is not allowed, the same scenario runs with
the kernel's file-size limit (RLIMIT_FSIZE) making the real write call fail.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from clients import Screen, mc_do
from conftest import MINI_CONTEST, ROOT, start_server
from support import T0, contest, q_single

from quiz.live.journal import DISK_FULL, verify_file
from quiz.live.service import RETRY_WRITE, Service
from quiz.rules.commands import AdjustScore, OpenAnswers, ShowQuestion, StartRound, Tick
from quiz.rules.model import AllSettings


class FakeClock:
    def __init__(self, t: float = T0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def _contest():  # type: ignore[no-untyped-def]
    return contest(("all", [q_single("s1"), q_single("s2", "C")], AllSettings()))


class ShortThenFull:
    """os.write as a full disk does it: part of the data, then ENOSPC."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, fd: int, data: Any) -> int:
        self.calls += 1
        if self.calls == 1:
            return os.write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_short_write_is_cut_back_and_the_command_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    clock = FakeClock()
    service = Service(_contest(), path, clock=clock)
    assert service.handle(AdjustScore("t1", 5, "Phúc khảo")).ok
    before = path.read_bytes()
    head = service.journal.head
    service.journal._write = ShortThenFull()
    outcome = service.handle(AdjustScore("t2", 7, "Phúc khảo"))
    assert not outcome.ok and outcome.error is not None
    assert outcome.error.code == "journal_full"
    assert outcome.error.message == DISK_FULL == "Không ghi được nhật ký: đĩa đầy"
    assert path.read_bytes() == before  # the half entry is gone
    assert [c.delta for c in service.state.corrections] == [5]  # nothing applied
    assert service.journal.head == head
    assert service.journal_status()["error"] == DISK_FULL
    assert verify_file(path)[0]
    # space is freed: the next command is written and the error clears
    service.journal._write = os.write
    assert service.handle(AdjustScore("t2", 7, "Phúc khảo")).ok
    assert service.journal_status()["error"] is None
    service.close()
    again = Service(_contest(), path, clock=clock)
    assert [c.delta for c in again.state.corrections] == [5, 7]
    again.close()


def test_a_failed_sync_is_cut_back_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "journal.jsonl"
    service = Service(_contest(), path, clock=FakeClock())
    before = path.read_bytes()

    real_fsync = os.fsync
    failures = {"left": 1}

    def broken_fsync(fd: int) -> None:
        if failures["left"] > 0:
            failures["left"] -= 1
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync(fd)

    with monkeypatch.context() as m:
        m.setattr(os, "fsync", broken_fsync)
        outcome = service.handle(AdjustScore("t1", 5, "Phúc khảo"))
        assert outcome.error is not None and outcome.error.code == "journal_write"
        assert outcome.error.message.startswith("Không ghi được nhật ký: ")
        assert path.read_bytes() == before and not service.state.corrections
        # when even cutting back fails, no more is appended from this process
        failures["left"] = 2
        outcome = service.handle(AdjustScore("t1", 5, "Phúc khảo"))
        assert outcome.error is not None and outcome.error.code == "journal_broken"
        assert "khởi động lại" in outcome.error.message
        outcome = service.handle(AdjustScore("t1", 6, "Phúc khảo"))
        assert outcome.error is not None and outcome.error.code == "journal_broken"
    assert not service.state.corrections
    service.close()
    assert verify_file(path)[0]


def test_due_events_the_journal_refused_are_retried_not_spun(tmp_path: Path) -> None:
    """The ticker asks `alarm()` when to tick next: after a refused write the
    answer is a second later, not at once again (a busy loop under eventlet)."""
    clock = FakeClock()
    service = Service(_contest(), tmp_path / "journal.jsonl", clock=clock)
    for command in (StartRound(), ShowQuestion(), OpenAnswers("s1")):
        assert service.handle(command).ok
    clock.t += 25  # the 20 s question ran out
    service.journal._write = ShortThenFull()
    assert service.handle(Tick()).error is not None
    alarm = service.alarm()
    assert alarm is not None and alarm >= clock.t + RETRY_WRITE - 1e-9
    service.journal._write = os.write
    assert service.handle(Tick()).ok
    assert service.state.phase.value == "closed"
    service.close()


# --- the real server on a small disk -------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path | None]:
    """A 1 MB tmpfs, or None where this machine does not allow mounting one."""
    where = tmp_path / "disk"
    where.mkdir()
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
            capture_output=True,
            timeout=30,
        ).returncode
        == 0
    )
    try:
        yield where if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=30)


def _fill(folder: Path) -> Path:
    """Write a file until the disk is full; returns it."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for _ in range(10_000):  # 10,000 x 4 KB is more than the 1 MB disk
            try:
                os.write(fd, b"\0" * 4096)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                break
        for _ in range(100):  # and the last bytes of its last block
            try:
                os.write(fd, b"\0" * 64)
            except OSError:
                break
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_on_the_real_server(small_disk: Path | None, tmp_path: Path) -> None:
    if small_disk is None:
        _full_disk_by_file_size_limit(tmp_path)
        return
    data = small_disk / "data"
    server = start_server(MINI_CONTEST, data)
    journal = data / "mini-contest" / "journal.jsonl"
    try:
        assert "warning: only" in server.log.read_text(encoding="utf-8")  # 1 MB is low
        mc = Screen(server.url, {"role": "mc", "pin": server.pin}, "mc")
        try:
            view = mc.wait(lambda v: "journal" in v)
            assert view["journal"]["space_low"] is True and view["journal"]["error"] is None
            filler = _fill(small_disk)
            acked: list[int] = []
            refused: dict[str, Any] | None = None
            for n in range(1, 2001):  # each entry is ~200 bytes: the last block fills fast
                ack = mc.call(
                    "command", {"name": "adjust", "team": "bo", "delta": n, "reason": "x"}
                )
                if not ack["ok"]:
                    refused = ack
                    break
                acked.append(n)
            assert refused is not None, "the disk never filled"
            assert refused["message"] == DISK_FULL, refused
            view = mc.wait(lambda v: (v.get("journal") or {}).get("error") == DISK_FULL)
            ok, line = verify_file(journal)
            assert ok and "ignored" not in line, line  # no half entry left behind
            on_disk = journal.read_text(encoding="utf-8").count('"type":"ScoreAdjusted"')
            assert on_disk == len(acked)  # every ack on disk, nothing else
            filler.unlink()
            mc_do(mc, "adjust", team="bo", delta=0.5, reason="sau khi dọn đĩa")
            mc.wait(lambda v: (v.get("journal") or {}).get("error") is None)
        finally:
            mc.close()
        server.kill()
        again = start_server(MINI_CONTEST, data)
        try:
            mc = Screen(again.url, {"role": "mc", "pin": again.pin}, "mc")
            try:
                view = mc.wait(lambda v: "journal" in v)
                assert view["journal"]["entries"] >= len(acked) + 1
            finally:
                mc.close()
        finally:
            again.stop()
        assert journal.read_text(encoding="utf-8").count('"type":"ScoreAdjusted"') == len(acked) + 1
    finally:
        server.stop()


def _full_disk_by_file_size_limit(tmp_path: Path) -> None:
    """The same, with the real write call failing at a file-size limit."""
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        from pathlib import Path
        sys.path.insert(0, {str(ROOT / "tests")!r})
        from support import contest, q_single
        from quiz.rules.commands import AdjustScore
        from quiz.rules.model import AllSettings
        from quiz.live.service import Service
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        path = Path({str(tmp_path / "journal.jsonl")!r})
        c = contest(("all", [q_single("s1")], AllSettings()))
        s = Service(c, path, clock=lambda: 1.7e9)
        limit = path.stat().st_size + 3000
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        n = 0
        while n < 1000:
            out = s.handle(AdjustScore("t1", n + 1, "x" * 50))
            if not out.ok:
                print(out.error.message, n)
                break
            n += 1
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=str(ROOT)
    )
    assert done.returncode == 0, done.stderr
    message, acked = done.stdout.strip().rsplit(" ", 1)
    assert message == DISK_FULL
    path = tmp_path / "journal.jsonl"
    assert verify_file(path)[0]
    assert path.read_text(encoding="utf-8").count('"ScoreAdjusted"') == int(acked) > 0
