"""Shared fixtures: contests on disk and live servers started on loopback."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI_CONTEST = FIXTURES / "mini-contest.yaml"
DEMO_CONTEST = ROOT / "question_banks" / "kim-boi-2023.yaml"
START_TIMEOUT = 30.0

COMMUNES = [
    "Thị trấn Bo",
    "Xã Bình Sơn",
    "Xã Cuối Hạ",
    "Xã Đông Bắc",
    "Xã Đú Sáng",
    "Xã Hợp Tiến",
    "Xã Hùng Sơn",
    "Xã Kim Lập",
    "Xã Mi Hòa",
    "Xã Nam Thượng",
    "Xã Nuông Dăm",
    "Xã Sào Báy",
    "Xã Thượng Tiến",
    "Xã Tú Sơn",
    "Xã Vĩnh Đồng",
    "Xã Vĩnh Tiến",
    "Xã Xuân Thủy",
]
TEAM_IDS = [f"doi-{i + 1:02d}" for i in range(17)]


@dataclass
class LiveServer:
    """A `quiz serve` process on 127.0.0.1 with its URLs, PIN and team codes."""

    proc: subprocess.Popen[bytes]
    info: dict[str, Any]
    data: Path
    contest: Path
    log: Path
    async_mode: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.info['port']}"

    @property
    def pin(self) -> str:
        return str(self.info["pin"])

    @property
    def codes(self) -> dict[str, str]:
        return dict(self.info["codes"])

    def kill(self) -> None:
        """SIGKILL: the crash a power cut or a frozen laptop gives. With --workers N
        the authority (the process with the journal) is killed first, then the
        supervisor; the edges die with it (docs/scale.md). Returns once they are
        all gone, so a server started next finds the data folder free."""
        children = [self.info.get("authority_pid"), *self.info.get("edge_pids", [])]
        children = [int(pid) for pid in children if pid]
        if children and self.proc.poll() is None and _running(children[0], str(self.data)):
            _kill(children[0])
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        _wait_gone(children, str(self.data))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _wait_gone(pids: list[int], data: str, timeout: float = 10.0) -> None:
    """Until none of `pids` runs (they are the supervisor's children, not ours:
    no wait() for them); SIGKILL what is still there after `timeout`. A pid
    counts only while it is still that server's child (its command line names
    the server's data folder): a pid reused by another process is left alone."""
    for last in (False, True):
        deadline = time.monotonic() + timeout
        while alive := [p for p in pids if _running(p, data)]:
            if time.monotonic() > deadline:
                if last:
                    raise RuntimeError(f"still running after SIGKILL: {alive}")
                for pid in alive:
                    _kill(pid)
                break
            time.sleep(0.02)


def _running(pid: int, data: str) -> bool:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    if data.encode() not in argv:
        return False
    return state != "Z"  # a zombie waits for its reaper (init, once the supervisor is gone)


def write_contest(folder: Path) -> Path:
    """The mini bank played by 17 teams, as a contest file on disk."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "mini-bank.yaml", folder / "mini-bank.yaml")
    teams = "\n".join(
        f"  - {{id: {i}, name: {n}}}" for i, n in zip(TEAM_IDS, COMMUNES, strict=False)
    )
    text = (FIXTURES / "mini-contest.yaml").read_text(encoding="utf-8")
    head, _, rest = text.partition("teams:\n")
    _, _, rounds = rest.partition("rounds:\n")
    path = folder / "contest-17.yaml"
    path.write_text(f"{head}teams:\n{teams}\nrounds:\n{rounds}", encoding="utf-8")
    return path


PEOPLE = """\
judges:
  - {id: gk-a, name: Giám khảo A}
players:
  - {number: "001", name: Lê Văn An}
  - {number: "002", name: Trần Bình}
rounds:
  - id: chao-hoi
    title: Chào hỏi
    format: judged
"""


def write_people_contest(folder: Path) -> Path:
    """The 17-team contest with a judge, two listed players and a judged round first."""
    path = write_contest(folder)
    path.write_text(path.read_text("utf-8").replace("rounds:\n", PEOPLE, 1), encoding="utf-8")
    return path


def async_modes() -> list[str]:
    """Modes the live tests run under: QUIZ_ASYNC_MODES, default eventlet."""
    return os.environ.get("QUIZ_ASYNC_MODES", "eventlet").split(",")


def workers() -> int:
    """QUIZ_WORKERS: the live servers' `--workers` (default 1, a single process)."""
    return int(os.environ.get("QUIZ_WORKERS", "1") or 1)


def server_workers(extra: list[str] | None) -> list[str]:
    """QUIZ_WORKERS=N runs every live server as `quiz serve --workers N` (docs/scale.md),
    unless the test chose its own."""
    if workers() <= 1 or "--workers" in (extra or []):
        return []
    return ["--workers", str(workers())]


def start_server(
    contest: Path,
    data: Path,
    async_mode: str = "eventlet",
    extra: list[str] | None = None,
    timeout: float = START_TIMEOUT,
) -> LiveServer:
    ready = data / f"ready-{time.monotonic_ns()}.json"
    log = data / "server.log"
    data.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "quiz",
        "serve",
        str(contest),
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--data",
        str(data),
        "--async-mode",
        async_mode,
        "--ready-file",
        str(ready),
        *server_workers(extra),
        *(extra or []),
    ]
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=str(ROOT))
    if server_workers(extra):  # Redis, the authority, then the edges: three starts in turn
        timeout *= 3
    deadline = time.monotonic() + timeout
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait(timeout=10)
            raise RuntimeError(f"server did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.05)
    info = json.loads(ready.read_text())
    return LiveServer(proc, info, data, contest, log, async_mode)


@pytest.fixture(params=async_modes())
def async_mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def live_server(tmp_path: Path, async_mode: str) -> Iterator[LiveServer]:
    """The mini contest (3 teams, an `all` round and a `buzzer` round), served."""
    server = start_server(MINI_CONTEST, tmp_path / "data", async_mode)
    try:
        yield server
    finally:
        server.stop()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--crashes",
        type=int,
        default=None,
        help="SIGKILLs in tests/live/test_fault_crash.py (default: env QUIZ_CRASHES, else 20)",
    )
