"""The journal's writer: group commit, order and chain, the durability wait,
a failed group, and an event loop that a slow sync does not block (issue 11)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import T0, contest, q_single

from quiz.live.journal import DISK_FULL, Journal, JournalWriteError, read_chain, verify_file
from quiz.live.service import Service
from quiz.rules.commands import AdjustScore
from quiz.rules.events import ScoreAdjusted
from quiz.rules.model import AllSettings

ROOT = Path(__file__).resolve().parents[2]
WAIT = 10.0  # seconds: the most any step here may take before the test fails


def _contest():  # type: ignore[no-untyped-def]
    return contest(("all", [q_single("s1")], AllSettings()))


def _adjust(n: int) -> ScoreAdjusted:
    return ScoreAdjusted(at=T0 + n, id=n, team="t1", delta=float(n), reason=f"r{n}")


class Gate:
    """os.fsync that holds the writer until opened, counting its calls."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.entered = threading.Event()
        self.calls = 0
        self.fail: list[int] = []  # errnos to raise, one per call, before syncing
        self.real = os.fsync
        self.armed = False  # off while the journal writes its header

    def __call__(self, fd: int) -> None:
        if not self.armed:
            self.real(fd)
            return
        self.calls += 1
        self.entered.set()
        assert self.open.wait(WAIT), "the test never opened the gate"
        if self.fail:
            raise OSError(self.fail.pop(0), "injected")
        self.real(fd)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    g = Gate()
    monkeypatch.setattr(os, "fsync", g)
    yield g
    g.open.set()


def test_appends_arriving_during_a_sync_share_the_next_one(tmp_path: Path, gate: Gate) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal(path, _contest(), now=T0)
    gate.armed = True
    first = journal.submit([_adjust(0)])
    assert gate.entered.wait(WAIT)  # the writer is syncing the first entry
    tickets = [journal.submit([_adjust(n)]) for n in range(1, 21)]
    assert not first.done and not any(t.done for t in tickets)
    assert journal.pending == 21
    gate.open.set()
    for ticket in [first, *tickets]:
        ticket.wait()
    assert gate.calls == 2  # one sync for the first, one for the twenty behind it
    assert journal.syncs == 2 and journal.pending == 0
    journal.close()
    found = read_chain(path.read_bytes())
    assert [r["delta"] for r in found.records[1:]] == [float(n) for n in range(21)]
    assert found.head == journal.head == journal.synced_head
    assert verify_file(path) == (True, f"OK, 21 entries, head {journal.head}")


def test_concurrent_threads_get_their_own_entries_synced(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal(path, _contest(), now=T0)
    lock = threading.Lock()  # the service's lock: the chain order is the submit order
    order: list[float] = []

    def one(n: int) -> None:
        with lock:
            ticket = journal.submit([_adjust(n)])
            order.append(float(n))
        ticket.wait()
        assert ticket.done  # on disk: the file already holds it
        assert f'"delta":{float(n)}'.encode() in path.read_bytes()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT)
    journal.close()
    assert [r["delta"] for r in read_chain(path.read_bytes()).records[1:]] == order
    assert journal.syncs <= 40 and journal.entries == 40
    assert verify_file(path)[0]


def test_wait_returns_only_once_the_entry_is_synced(tmp_path: Path, gate: Gate) -> None:
    journal = Journal(tmp_path / "j.jsonl", _contest(), now=T0)
    gate.armed = True
    ticket = journal.submit([_adjust(1)])
    waited = threading.Event()

    def waiter() -> None:
        ticket.wait()
        waited.set()

    thread = threading.Thread(target=waiter)
    thread.start()
    assert gate.entered.wait(WAIT)
    assert not waited.wait(0.2) and not ticket.done  # written, not yet synced
    assert journal.status()["entries"] == 0  # the console counts synced entries
    gate.open.set()
    assert waited.wait(WAIT)
    thread.join(WAIT)
    assert journal.status()["entries"] == 1
    journal.close()


def test_a_failed_sync_fails_its_group_and_every_group_after_it(tmp_path: Path, gate: Gate) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal(path, _contest(), now=T0)
    gate.armed = True
    gate.open.set()
    journal.append([_adjust(1)])
    before, head = path.read_bytes(), journal.head
    gate.open.clear()
    gate.entered.clear()
    gate.fail = [errno.ENOSPC]
    failing = journal.submit([_adjust(2)])
    assert gate.entered.wait(WAIT)
    behind = journal.submit([_adjust(3)])  # chained on the failing entry
    gate.open.set()
    for ticket in (failing, behind):
        with pytest.raises(JournalWriteError) as caught:
            ticket.wait()
        assert caught.value.code == "journal_full" and caught.value.message == DISK_FULL
    assert path.read_bytes() == before  # cut back
    assert journal.stale and journal.synced_head == head
    with pytest.raises(JournalWriteError):  # nothing more is chained on the failed head
        journal.submit([_adjust(4)])
    journal.reset()
    assert journal.head == head and not journal.stale
    journal.append([_adjust(5)])
    assert journal.status()["error"] is None
    journal.close()
    found = read_chain(path.read_bytes())
    assert [r["delta"] for r in found.records[1:]] == [1.0, 5.0]
    assert verify_file(path)[0]
    assert [e.delta for e in Journal(path, _contest()).events] == [1.0, 5.0]  # type: ignore[attr-defined]


def test_a_service_undoes_the_refused_command_and_those_decided_after_it(
    tmp_path: Path, gate: Gate
) -> None:
    path = tmp_path / "j.jsonl"
    service = Service(_contest(), path, clock=lambda: T0)
    gate.armed = True
    gate.open.set()
    assert service.handle(AdjustScore("t1", 1, "a")).ok
    gate.open.clear()
    gate.entered.clear()
    gate.fail = [errno.EIO]
    first = service.submit(AdjustScore("t1", 2, "b"))
    assert gate.entered.wait(WAIT)
    second = service.submit(AdjustScore("t2", 3, "c"))
    # decided and folded in, in order, while the sync runs; acks read only what is synced
    assert first.outcome.ok and second.outcome.ok
    assert [c.delta for c in service.decided.corrections] == [1, 2, 3]
    assert [c.delta for c in service.state.corrections] == [1]
    gate.open.set()
    for pending in (first, second):
        outcome = pending.wait()
        assert outcome.error is not None and outcome.error.code == "journal_write"
        assert not outcome.events
    assert [c.delta for c in service.decided.corrections] == [1]  # undone, both
    assert [c.delta for c in service.state.corrections] == [1]
    assert service.journal_status()["error"].startswith("Không ghi được nhật ký")  # type: ignore[union-attr]
    assert service.handle(AdjustScore("t2", 4, "d")).ok  # the next one is written
    assert [c.delta for c in service.state.corrections] == [1, 4]
    assert [c.delta for c in service.decided.corrections] == [1, 4]
    service.close()
    again = Service(_contest(), path, clock=lambda: T0)
    assert [c.delta for c in again.state.corrections] == [1, 4]
    again.close()


LOOP_SCRIPT = """
import os, sys, time
mode = sys.argv[1]
if mode == "eventlet":
    import eventlet
    eventlet.monkey_patch()
    spawn, sleep = eventlet.spawn, eventlet.sleep
else:
    from gevent import monkey
    monkey.patch_all()
    import gevent
    spawn, sleep = gevent.spawn, gevent.sleep
sys.path.insert(0, {tests!r})
from pathlib import Path
from support import contest, q_single
from quiz.live.journal import Journal
from quiz.rules.events import ScoreAdjusted
from quiz.rules.model import AllSettings
os.environ["QUIZ_FSYNC_DELAY_MS"] = "400"
journal = Journal(Path({path!r}), contest(("all", [q_single("s1")], AllSettings())), now=1.0)
beats = []
def beat():
    for _ in range(200):
        beats.append(time.monotonic())
        sleep(0.01)
spawn(beat)
sleep(0)
started = time.monotonic()
journal.append([ScoreAdjusted(at=2.0, id=1, team="t1", delta=1.0, reason="x")])
took = time.monotonic() - started
during = sum(1 for b in beats if started < b < started + took)
print(round(took, 3), during)
"""


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_a_slow_sync_does_not_stop_the_event_loop(tmp_path: Path, mode: str) -> None:
    script = LOOP_SCRIPT.format(tests=str(ROOT / "tests"), path=str(tmp_path / "j.jsonl"))
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", textwrap.dedent(script), mode],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(ROOT),
    )
    assert done.returncode == 0, done.stderr
    took, during = done.stdout.split()
    assert float(took) >= 0.4  # the append waited for its slow sync...
    assert int(during) >= 5  # ...while another green thread kept running
