"""The rehearsal's server: `quiz serve` on 127.0.0.1 in a throwaway folder, killed
and started again on its journal when the `restart` fault asks."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

START_TIMEOUT = 30.0


class RehearsalError(Exception):
    pass


@dataclass
class Server:
    contest: Path
    data: Path
    pin: str
    port: int = 0
    codes: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    def start(self) -> None:
        ready = self.data / f"ready-{self.starts}.json"
        self.starts += 1
        log = open(self.data / "server.log", "ab")  # noqa: SIM115 (the process keeps it)
        cmd = [
            sys.executable,
            "-m",
            "quiz",
            "serve",
            str(self.contest),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--data",
            str(self.data),
            "--pin",
            self.pin,
            "--ready-file",
            str(ready),
        ]
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while not ready.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                text = (self.data / "server.log").read_text("utf-8", errors="replace")
                raise RehearsalError(f"the server did not start:\n{text[-2000:]}")
            time.sleep(0.05)
        info = json.loads(ready.read_text("utf-8"))
        self.port, self.codes = int(info["port"]), dict(info["codes"])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL, as a power cut would."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
