"""One device must not freeze or kill the server: bare connections up to and
past the open-file limit, half-sent requests, an endless websocket message,
and a crowd of idle connections; each against a real server on 127.0.0.1.

Loops are bounded in count and time; the figures are printed (pytest -s).
"""

from __future__ import annotations

import base64
import json
import os
import resource
import selectors
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websocket
from clients import Screen, Tablet
from conftest import MINI_CONTEST, ROOT, START_TIMEOUT, LiveServer, server_workers, workers

pytestmark = pytest.mark.live


@pytest.fixture(autouse=True, scope="module")
def _enough_files_for_the_attacker() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < min(hard, 8192):
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))


def start_limited(
    data: Path, async_mode: str, nofile: tuple[int, int] | None = None, extra: list[str] = ()
) -> LiveServer:
    """`quiz serve` on the mini contest, with an open-file limit (soft, hard) if given."""
    ready = data / f"ready-{time.monotonic_ns()}.json"
    log = data / "server.log"
    data.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "quiz", "serve", str(MINI_CONTEST), "--host", "127.0.0.1"]
    cmd += ["--port", "0", "--data", str(data), "--async-mode", async_mode]
    cmd += ["--ready-file", str(ready), *server_workers(list(extra)), *extra]
    if nofile is not None:
        cmd = ["prlimit", f"--nofile={nofile[0]}:{nofile[1]}", *cmd]
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=str(ROOT))
    deadline = time.monotonic() + START_TIMEOUT * (3 if server_workers(list(extra)) else 1)
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait(timeout=10)
            raise RuntimeError(f"server did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.05)
    info = json.loads(ready.read_text())
    return LiveServer(proc, info, data, MINI_CONTEST, log, async_mode)


@pytest.fixture
def limited(tmp_path: Path, async_mode: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    servers: list[LiveServer] = []

    def start(nofile: tuple[int, int] | None = None, extra: list[str] = ()) -> LiveServer:
        server = start_limited(tmp_path / f"data{len(servers)}", async_mode, nofile, list(extra))
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


def http_get(url: str, path: str = "/board", timeout: float = 3.0) -> int:
    """The status of a fresh GET, or 0 if none came within `timeout`."""
    host, port = url.removeprefix("http://").split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=timeout) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            head = s.recv(64)
    except OSError:
        return 0
    try:
        return int(head.split()[1])
    except (IndexError, ValueError):
        return 0


def _port(server: LiveServer) -> int:
    return int(server.info["port"])


def _open_many(port: int, count: int, first: bytes = b"") -> list[socket.socket]:
    socks = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        if first:
            s.sendall(first)
        socks.append(s)
    return socks


def _answers(socks: list[socket.socket], wait: float) -> dict[str, int]:
    """What each socket got within `wait` seconds: a 503, closed, or nothing yet."""
    seen: dict[int, str] = {}
    sel = selectors.DefaultSelector()
    for s in socks:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    deadline = time.monotonic() + wait
    while len(seen) < len(socks) and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.1):
            s = key.fileobj
            assert isinstance(s, socket.socket)
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            seen[s.fileno()] = "503" if data.startswith(b"HTTP/1.1 503") else "closed"
            sel.unregister(s)
    sel.close()
    counts = {"503": 0, "closed": 0, "open": len(socks) - len(seen)}
    for what in seen.values():
        counts[what] += 1
    return counts


def _close_all(socks: list[socket.socket]) -> None:
    for s in socks:
        try:
            s.close()
        except OSError:
            pass


def _proc_limit(pid: int) -> tuple[int, int]:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            parts = line.split()
            return int(parts[3]), int(parts[4])
    raise AssertionError("no open-file limit")


def _server_pid(server: LiveServer) -> int:
    """The process holding the connections: with --workers N, the first edge."""
    return int((server.info.get("edge_pids") or [server.info["pid"]])[0])


# --- file descriptors ------------------------------------------------------------

# These count the refusals of one process at its own cap. With --workers N every
# edge runs the same server code (quiz/web/server.py) with its own cap, and the
# kernel spreads new connections over the edges by a hash (SO_REUSEPORT), so which
# connection meets which edge's cap is not a count a test can state.
one_process = pytest.mark.skipif(
    workers() > 1, reason="one process's descriptor cap: each edge has its own (QUIZ_WORKERS)"
)


@one_process
def test_fd_limit_is_raised_and_connections_over_the_cap_are_refused(limited: Any) -> None:
    server = limited(nofile=(200, 400))
    soft, hard = _proc_limit(_server_pid(server))
    assert soft == hard == 400
    cap = 400 - 64
    assert f"at most {cap}" in server.log.read_text()
    socks = _open_many(_port(server), 500)
    try:
        got = _answers(socks[cap + 20 :], wait=3.0)
        status = http_get(server.url)  # a new connection, the cap still reached
        print(f"\n{server.async_mode}: 500 bare connections, cap {cap}: beyond it {got}")
        assert got["503"] >= 500 - cap - 20 - 15, got  # a few may meet EMFILE first
        assert status in (503, 0)
    finally:
        _close_all(socks)
    time.sleep(0.5)
    assert http_get(server.url) == 200
    assert server.proc.poll() is None


@one_process
def test_the_server_survives_running_out_of_descriptors(limited: Any) -> None:
    # A cap above the open-file limit: the server meets EMFILE itself.
    server = limited(nofile=(128, 128), extra=["--max-connections", "1000"])
    socks = _open_many(_port(server), 300)
    try:
        got = _answers(socks[200:], wait=3.0)
        print(f"\n{server.async_mode}: 300 connections, 128 descriptors: the last 100 {got}")
        if server.async_mode != "gevent":  # gevent's server pauses accepting instead
            assert got["503"] + got["closed"] >= 90, got
    finally:
        _close_all(socks)
    # Once the server has seen those connections close, it serves again.
    deadline = time.monotonic() + 5
    while http_get(server.url) != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    statuses = [http_get(server.url) for _ in range(5)]
    assert statuses == [200] * 5, statuses
    assert server.proc.poll() is None


# --- slow clients ------------------------------------------------------------------


def test_half_sent_requests_are_dropped(limited: Any) -> None:
    server = limited(nofile=(600, 600))  # a cap of 536 connections
    socks = _open_many(_port(server), 700, first=b"GET /board HTTP/1.1\r\nHost: x\r\n")
    started = time.monotonic()
    try:
        stop = threading.Event()

        def trickle() -> None:  # one more header line a second, never the blank line
            while not stop.wait(1.0):
                for s in socks:
                    try:
                        s.send(b"X-Slow: 1\r\n")
                    except OSError:
                        pass

        feeder = threading.Thread(target=trickle, daemon=True)
        feeder.start()
        got = _answers(socks, wait=9.0)
        elapsed = time.monotonic() - started
        stop.set()
        feeder.join(3)
        status = http_get(server.url, timeout=3.0)
        print(
            f"\n{server.async_mode}: 700 half-sent requests, after {elapsed:.1f} s: {got}; "
            f"a new request then: {status}"
        )
        assert got["open"] == 0, got
        assert status == 200
    finally:
        _close_all(socks)


# --- websocket messages ------------------------------------------------------------


def _acks_while(tablet: Tablet, busy: threading.Event, out: list[float]) -> None:
    while busy.is_set():
        started = time.perf_counter()
        ack = tablet.request("sync", {"t": 1}, timeout=30)
        out.append((time.perf_counter() - started) * 1000)
        assert ack and ack.get("ok"), ack
        time.sleep(0.12)


def test_an_endless_websocket_message_disconnects_its_sender(live_server: LiveServer) -> None:
    url = live_server.url
    tablet = Tablet(url, {"role": "team", "code": live_server.codes["bo"]}, "bo")
    acks: list[float] = []
    busy = threading.Event()
    busy.set()
    watcher = threading.Thread(target=_acks_while, args=(tablet, busy, acks), daemon=True)
    ws = websocket.create_connection(
        url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket", timeout=5
    )
    sent = 0
    closed_after = None
    try:
        ws.recv()
        ws.send('40{"role": "board"}')
        watcher.start()
        time.sleep(0.5)
        started = time.monotonic()
        chunk = b"x" * 60_000
        first = websocket.ABNF(0, 0, 0, 0, websocket.ABNF.OPCODE_TEXT, 1, b'42["sync",')
        ws.send_frame(first)
        for _ in range(400):  # up to 24 MB in one message
            if time.monotonic() - started > 20:
                break
            frame = websocket.ABNF(0, 0, 0, 0, websocket.ABNF.OPCODE_CONT, 1, chunk)
            try:
                ws.send_frame(frame)
            except (OSError, websocket.WebSocketException):
                closed_after = sent
                break
            sent += 1
        else:
            closed_after = None
        elapsed = time.monotonic() - started
        time.sleep(0.5)
        busy.clear()
        watcher.join(35)
        worst = max(acks)
        print(
            f"\n{live_server.async_mode}: continuation frames of 60 KB: sender cut after "
            f"{closed_after} frames ({elapsed:.1f} s); the tablet's acks meanwhile: "
            f"{len(acks)}, max {worst:.1f} ms"
        )
        # The server cuts the message at its 64 KB cap; the sender learns it only
        # once the loopback's socket buffers (several MB each way) are full:
        # cut within 100 frames (6 MB) of the 400 (24 MB) it would send.
        assert closed_after is not None and closed_after <= 100, closed_after
        assert worst < 250, acks
        assert tablet.connected
    finally:
        busy.clear()
        ws.close(timeout=0.2)
        tablet.close()


# --- idle connections --------------------------------------------------------------


class IdleCrowd:
    """Many Socket.IO board connections that do nothing but answer pings, as
    cheaply as possible: raw sockets, one selector thread."""

    def __init__(self, port: int, count: int) -> None:
        self.socks: list[socket.socket] = []
        self.stop = threading.Event()
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(request + _masked(b'40{"role": "board"}'))
            self.socks.append(s)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        sel = selectors.DefaultSelector()
        for s in self.socks:
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
        while not self.stop.is_set():
            for key, _ in sel.select(timeout=0.2):
                s = key.fileobj
                assert isinstance(s, socket.socket)
                try:
                    data = s.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:
                    sel.unregister(s)
                    continue
                if b"\x81\x012" in data:  # an Engine.IO ping: answer it
                    try:
                        s.send(_masked(b"3"))
                    except OSError:
                        pass
        sel.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        _close_all(self.socks)


def _masked(payload: bytes) -> bytes:
    mask = os.urandom(4)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    assert len(payload) < 126
    return struct.pack("!BB", 0x81, 0x80 | len(payload)) + mask + body


def _mc_acks(mc: Screen, count: int) -> list[float]:
    times = []
    for i in range(count):
        started = time.perf_counter()
        ack = mc.call("sync", {"t": i})
        times.append((time.perf_counter() - started) * 1000)
        assert ack["ok"], ack
        time.sleep(0.02)
    return times


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def run_crowd(port: int, count: int) -> None:
    """The crowd in a process of its own (its Python must not slow the MC client's)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    crowd = IdleCrowd(port, count)
    print("ready", flush=True)
    sys.stdin.read()  # until the test closes our stdin
    crowd.close()


def test_two_thousand_idle_connections_do_not_slow_the_mc(live_server: LiveServer) -> None:
    mc = Screen(live_server.url, {"role": "mc", "pin": live_server.pin}, "mc")
    crowd = None
    try:
        calm = _mc_acks(mc, 50)
        crowd = subprocess.Popen(
            [sys.executable, __file__, "crowd", str(_port(live_server)), "2000"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=str(ROOT / "tests"),
            # The script imports the shared test helpers (clients, conftest) from tests/.
            env={**os.environ, "PYTHONPATH": str(ROOT / "tests")},
        )
        assert crowd.stdout is not None and crowd.stdout.readline() == b"ready\n"
        time.sleep(6.0)  # every idle connection has had its first ping
        crowded = _mc_acks(mc, 400)
        print(
            f"\n{live_server.async_mode}: MC acks alone p50 {_percentile(calm, 0.5):.1f} ms; "
            f"with 2,000 idle connections p50 {_percentile(crowded, 0.5):.1f} ms, "
            f"p99 {_percentile(crowded, 0.99):.1f} ms"
        )
        # Bounds for a shared 2-core CI machine (about 2.5 / 14 ms on a quiet one): an MC
        # frozen by 2,000 connections' upkeep would wait seconds, not tens of ms.
        assert _percentile(crowded, 0.5) < 25
        assert _percentile(crowded, 0.99) < 150
    finally:
        if crowd is not None:
            assert crowd.stdin is not None
            crowd.stdin.close()
            try:
                crowd.wait(30)  # 2,000 sockets to close on a busy machine
            except subprocess.TimeoutExpired:
                crowd.kill()
                crowd.wait(10)
            assert crowd.stdout is not None
            crowd.stdout.close()
        mc.close()


if __name__ == "__main__" and sys.argv[1:2] == ["crowd"]:
    run_crowd(int(sys.argv[2]), int(sys.argv[3]))
