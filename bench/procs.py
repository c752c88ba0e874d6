"""Server processes the harness starts: ours (`quiz serve`) and the bare baseline.

Both listen on 127.0.0.1 on a free port and write a ready file (JSON with the
port and pid) once listening. A `Servers` registry kills every process it
started when the run ends, even on error.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
HOST = "127.0.0.1"


@dataclass
class Server:
    """A running server process and what it said when it became ready."""

    name: str
    proc: subprocess.Popen[bytes]
    info: dict[str, Any]
    log: Path
    journal: Path | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.info['port']}"

    @property
    def pid(self) -> int:
        return int(self.info["pid"])

    @property
    def pids(self) -> list[int]:
        """The server's processes: with --workers N, the supervisor, the authority,
        the edges and the private redis-server."""
        more = [self.info.get("authority_pid"), *self.info.get("edge_pids", [])]
        more.append(self.info.get("redis_pid"))
        return [self.pid, *(int(p) for p in more if p)]

    def rss_mb(self) -> float:
        """Resident memory (VmRSS) of the server's processes together, in MiB."""
        return sum(rss_mb(pid) for pid in self.pids)

    def cpu_s(self) -> float:
        """CPU seconds (user + system) the server's processes have used."""
        return sum(cpu_s(pid) for pid in self.pids)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT)


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError(f"no VmRSS for pid {pid}")


def cpu_s(pid: int) -> float:
    """utime + stime of one process, in seconds (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Servers:
    """Starts server processes and stops all of them at the end of the run."""

    folder: Path
    started: list[Server] = field(default_factory=list)

    def ours(
        self,
        name: str,
        contest: Path,
        contest_id: str,
        async_mode: str,
        extra: list[str] | None = None,
        env: dict[str, str] | None = None,
    ) -> Server:
        """`quiz serve`; `extra` adds arguments (--workers), `env` adds to the
        environment (QUIZ_FSYNC_DELAY_MS)."""
        data = self.folder / name
        cmd = [sys.executable, "-m", "quiz", "serve", str(contest), "--host", HOST]
        cmd += ["--port", "0", "--data", str(data), "--async-mode", async_mode, *(extra or [])]
        server = self._start(name, cmd, data, env)
        server.journal = data / contest_id / "journal.jsonl"
        return server

    def baseline(self, name: str, async_mode: str) -> Server:
        data = self.folder / name
        cmd = [sys.executable, "-m", "bench.baseline", "--host", HOST, "--port", "0"]
        cmd += ["--async-mode", async_mode]
        return self._start(name, cmd, data)

    def _start(
        self, name: str, cmd: list[str], data: Path, env: dict[str, str] | None = None
    ) -> Server:
        data.mkdir(parents=True, exist_ok=True)
        ready = data / "ready.json"
        log = data / "server.log"
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                [*cmd, "--ready-file", str(ready)],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=str(ROOT),
                env={**os.environ, **(env or {})},
            )
        server = Server(name, proc, {}, log)
        self.started.append(server)
        deadline = time.monotonic() + START_TIMEOUT
        while not ready.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                server.stop()
                tail = log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{name} did not start:\n{tail}")
            time.sleep(0.05)
        server.info = json.loads(ready.read_text(encoding="utf-8"))
        return server

    def stop_all(self) -> None:
        for server in self.started:
            try:
                server.stop()
            except Exception:  # keep stopping the others
                server.proc.kill()
