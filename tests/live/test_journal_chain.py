"""The journal's hash chain, `quiz verify`, the unterminated last line, the wall
clock, and one server per contest (issue 8, section 3).

Before: an entry edited with `sed` (a score of 5 made 50) was resumed silently,
a complete last line without its newline (an acknowledged correction) was cut
off, and a second `quiz serve` on a running contest appended a ClockPaused to
its journal before it died on the port.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI_CONTEST, ROOT, start_server
from support import T0, contest, q_single

from quiz.live.clock import ContestClock
from quiz.live.journal import Journal, JournalError, verify_file
from quiz.live.service import Service
from quiz.rules.commands import AdjustScore, OpenAnswers, ShowQuestion, StartRound, SubmitAnswer
from quiz.rules.events import ScoreAdjusted
from quiz.rules.model import AllSettings


class FakeClock:
    def __init__(self, t: float = T0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def _contest():  # type: ignore[no-untyped-def]
    return contest(("all", [q_single("s1"), q_single("s2", "C")], AllSettings()))


def _played(path: Path) -> Service:
    """A journal with an answer and two score corrections (+5 for t1, -3 for t2)."""
    clock = FakeClock()
    service = Service(_contest(), path, clock=clock)
    for command in (StartRound(), ShowQuestion(), OpenAnswers("s1")):
        assert service.handle(command).ok
    clock.t += 3
    assert service.handle(SubmitAnswer("s1", "t1", "B", clock.t, nonce="a")).ok
    assert service.handle(AdjustScore("t1", 5, "Phúc khảo")).ok
    assert service.handle(AdjustScore("t2", -3, "Nhắc nhở")).ok
    return service


def quiz_verify(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quiz", "verify", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(ROOT),
    )


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_verify_prints_the_head_that_the_service_shows(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    service = _played(path)
    head, entries = service.journal.head, len(service.journal.events) + 0
    status = service.journal_status()
    service.close()
    assert status["head"] == head and len(head) == 64
    entries = len(path.read_text(encoding="utf-8").splitlines()) - 1
    assert status["entries"] == entries
    done = quiz_verify(path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"OK, {entries} entries, head {head}"
    # every line carries its hash and a wall-time label
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        record = json.loads(line)
        assert len(record["h"]) == 64 and isinstance(record["wall"], float)


def test_a_score_edited_by_hand_is_refused_on_resume_and_by_verify(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    _played(path).close()
    text = path.read_text(encoding="utf-8")
    assert text.count('"delta":5') == 1
    bad = _line_of(path, '"delta":5')
    path.write_text(text.replace('"delta":5', '"delta":50'), encoding="utf-8")  # the sed
    done = quiz_verify(path)
    assert done.returncode == 1
    assert f"journal.jsonl:{bad}: hash does not match" in done.stderr, done.stderr
    with pytest.raises(JournalError, match=rf"journal.jsonl:{bad}: hash does not match"):
        Service(_contest(), path, clock=FakeClock())
    assert path.read_text(encoding="utf-8") == text.replace('"delta":5', '"delta":50')


@pytest.mark.parametrize("edit", ["remove", "swap", "rehash", "append_plain", "blank_hash"])
def test_removed_moved_or_forged_entries_break_the_chain(tmp_path: Path, edit: str) -> None:
    from quiz.live.journal import encode

    path = tmp_path / "journal.jsonl"
    _played(path).close()
    lines = path.read_bytes().split(b"\n")[:-1]
    n = len(lines)
    if edit == "remove":  # an answer taken out: the line after it breaks
        del lines[n - 3]
        expected = n - 2
    elif edit == "swap":
        lines[n - 2], lines[n - 1] = lines[n - 1], lines[n - 2]
        expected = n - 1
    elif edit == "rehash":
        # the forger edits the entry and recomputes its own hash: the next breaks
        record = json.loads(lines[n - 2])
        del record["h"]
        record["delta"] = 50
        prev = json.loads(lines[n - 3])["h"]
        lines[n - 2] = encode(record, prev)[0].rstrip(b"\n")
        expected = n
    elif edit == "append_plain":  # an entry written by hand, without a hash
        lines.append(b'{"type":"ScoreAdjusted","at":1,"id":9,"team":"t1","delta":9,"reason":"x"}')
        expected = n + 1
    else:
        lines[n - 1] = lines[n - 1].replace(b'"h":"', b'"h":"0')[:-2] + b'"}'
        expected = n
    path.write_bytes(b"\n".join(lines) + b"\n")
    ok, line = verify_file(path)
    assert not ok and f":{expected}: " in line, line
    with pytest.raises(JournalError, match=rf":{expected}: "):
        Journal(path, _contest())


def test_a_complete_last_line_without_its_newline_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    service = _played(path)
    head = service.journal.head
    service.close()
    raw = path.read_bytes()
    path.write_bytes(raw[:-1])  # the acked correction's newline never reached the disk
    again = Journal(path, _contest())
    again.close()
    assert isinstance(again.events[-1], ScoreAdjusted)
    assert again.events[-1].delta == -3  # the last correction is kept
    assert again.head == head
    assert path.read_bytes() == raw  # its newline is restored, nothing else changed
    assert verify_file(path) == (True, f"OK, {len(raw.splitlines()) - 1} entries, head {head}")
    path.write_bytes(raw[:-1])
    resumed = Service(_contest(), path, clock=FakeClock())
    assert resumed.state.corrections[-1].delta == -3
    resumed.close()


def test_only_an_unfinished_or_unverifiable_last_line_is_torn(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    service = _played(path)
    head = service.journal.head
    service.close()
    raw = path.read_bytes()
    last = raw[:-1].rsplit(b"\n", 1)[1]
    for torn in (last[: len(last) // 2], last[:-3]):  # cut short, at any byte
        path.write_bytes(raw[: -len(last) - 1] + torn)
        ok, line = verify_file(path)
        assert ok and "ignored" in line, line
        again = Journal(path, _contest())
        again.close()
        assert len(again.events) == len(raw.splitlines()) - 2
        assert path.read_bytes() == raw[: -len(last) - 1]  # cut back to the entry before
        path.write_bytes(raw)
    # a complete line that does not verify is not torn when it has its newline
    forged = raw[: -len(last) - 1] + last.replace(b'"delta":-3', b'"delta":-30') + b"\n"
    path.write_bytes(forged)
    with pytest.raises(JournalError, match="hash does not match"):
        Journal(path, _contest())
    assert path.read_bytes() == forged
    assert head


def test_an_old_unchained_journal_is_refused_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    Journal(path, _contest(), now=T0).close()
    header = json.loads(path.read_text(encoding="utf-8"))
    del header["h"]
    header["version"] = 1
    path.write_text(json.dumps(header) + "\n", encoding="utf-8")
    ok, line = verify_file(path)
    assert not ok and ":1: " in line, line
    with pytest.raises(JournalError, match="no hash chain"):
        Journal(path, _contest())


# --- the clock ------------------------------------------------------------------------


class Wall:
    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> float:
        return self.t


def test_a_wall_clock_jump_does_not_move_the_open_question(tmp_path: Path) -> None:
    """The machine's clock is set an hour ahead, then two hours back, while a
    20 s question is open: its remaining time follows only the elapsed seconds."""
    wall, mono = Wall(), Wall()
    mono.t = 1000.0
    clock = ContestClock(wall=wall, mono=mono)
    service = Service(_contest(), tmp_path / "journal.jsonl", clock=clock)
    for command in (StartRound(), ShowQuestion(), OpenAnswers("s1")):
        assert service.handle(command).ok
    q = service.state.questions["s1"]
    assert q.clock is not None
    mono.t += 3
    assert q.clock.remaining(service.clock()) == pytest.approx(17.0)
    wall.t += 3600  # NTP, a hand edit, a laptop waking up
    assert q.clock.remaining(service.clock()) == pytest.approx(17.0)
    assert service.alarm() == pytest.approx(service.clock() + 17.0)
    mono.t += 1
    wall.t -= 7200
    assert q.clock.remaining(service.clock()) == pytest.approx(16.0)
    outcome = service.handle(SubmitAnswer("s1", "t1", "B", service.clock(), nonce="a"))
    assert outcome.ok and service.state.phase.value == "open"  # not closed by the jump
    assert service.state.questions["s1"].answers["t1"].time == pytest.approx(4.0)
    record = json.loads(service.journal.path.read_text(encoding="utf-8").splitlines()[-1])
    assert record["wall"] == pytest.approx(T0 - 3600)  # the wall time: only a label
    assert record["at"] == pytest.approx(T0 + 4)
    service.close()
    # Before: the service read the wall clock itself; the same jump ends the question.
    old = Service(_contest(), tmp_path / "old.jsonl", clock=wall)
    for command in (StartRound(), ShowQuestion(), OpenAnswers("s1")):
        assert old.handle(command).ok
    wall.t += 3600
    q = old.state.questions["s1"]
    assert q.clock is not None and q.clock.remaining(old.clock()) == 0.0
    old.close()


def test_after_a_restart_with_the_wall_clock_set_back_times_never_go_backwards(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.jsonl"
    wall, mono = Wall(), Wall()
    service = Service(_contest(), path, clock=ContestClock(wall=wall, mono=mono))
    for command in (StartRound(), ShowQuestion(), OpenAnswers("s1")):
        assert service.handle(command).ok
    mono.t += 5
    service.heartbeat()
    last = service.clock()
    service.close()
    wall.t -= 600  # the laptop restarts with its clock ten minutes behind
    mono.t = 0.0  # and a new monotonic clock
    again = Service(_contest(), path, clock=ContestClock(wall=wall, mono=mono))
    assert again.clock() >= last
    q = again.state.questions["s1"]
    assert q.clock is not None and not q.clock.running  # resumed paused
    assert q.clock.remaining(again.clock()) == pytest.approx(15.0)  # 20 s - 5 s, exactly
    at = [e.at for e in again.journal.events]
    assert at == sorted(at)
    again.close()


# --- one server per contest ---------------------------------------------------------------


def _serve(data: Path, port: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "quiz",
            "serve",
            str(MINI_CONTEST),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--data",
            str(data),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(ROOT),
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_second_server_on_a_running_contest_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = start_server(MINI_CONTEST, data)
    try:
        contest_dir = data / "mini-contest"
        journal = contest_dir / "journal.jsonl"
        before = _tree(contest_dir)
        assert "journal.jsonl" in before
        # on the same data folder (a free port)
        done = _serve(data, 0)
        assert done.returncode == 1
        assert "already running this contest" in done.stderr and "Traceback" not in done.stderr
        # on the same data folder and the same port: the port is checked first
        done = _serve(data, first.info["port"])
        assert done.returncode == 1 and "cannot listen on" in done.stderr, done.stderr
        # `--fresh` changes nothing either
        done = subprocess.run(
            [sys.executable, "-m", "quiz", "serve", str(MINI_CONTEST), "--host", "127.0.0.1"]
            + ["--port", "0", "--data", str(data), "--fresh"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=str(ROOT),
        )
        assert done.returncode == 1 and "already running" in done.stderr
        after = _tree(contest_dir)
        after.pop("journal.alive", None)
        before.pop("journal.alive", None)
        assert after == before  # not a byte written: no ClockPaused, nothing set aside
        assert journal.read_bytes() == before["journal.jsonl"]
        # another contest folder on the port in use: refused before anything exists
        other = tmp_path / "other"
        done = _serve(other, first.info["port"])
        assert done.returncode == 1 and "cannot listen on" in done.stderr, done.stderr
        assert not (other / "mini-contest").exists()
    finally:
        first.stop()
    # once the first has stopped, the contest can be served again
    second = start_server(MINI_CONTEST, data)
    second.stop()
    assert verify_file(data / "mini-contest" / "journal.jsonl")[0]
