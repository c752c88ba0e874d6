"""Real Socket.IO clients for live tests: a screen that records every frame."""

from __future__ import annotations

import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import socketio

WAIT = 10.0  # seconds: the longest any live test waits for one thing


class Screen:
    """One connected screen (board, team tablet or MC) and everything it received."""

    def __init__(
        self, url: str, auth: dict[str, Any], name: str = "", wait_view: bool = True
    ) -> None:
        self.name = name or str(auth.get("role"))
        if auth.get("role") in ("team", "player", "judge") and "device" not in auth:
            # Each Screen is one device (docs/protocol.md auth.device): its own
            # reconnects are the same device, another Screen is another.
            auth = {**auth, "device": uuid.uuid4().hex}
        self.frames: list[tuple[str, Any]] = []
        self.views: list[dict[str, Any]] = []
        self.latest: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self.sio = socketio.Client(
            reconnection=True,
            reconnection_delay=0.05,
            reconnection_delay_max=0.2,
            randomization_factor=0.0,
        )
        self.sio.on("state", self._on_state)
        self.sio.on("ping", self._on_ping)
        for event in ("device_wait", "device_replaced", "device_refused"):
            self.sio.on(event, self._recorder(event))
        self.url = url
        self.auth = auth
        self._setup()
        self.sio.connect(url, auth=auth, transports=["websocket"], wait_timeout=WAIT)
        if wait_view:
            self.wait(lambda v: True)

    def _recorder(self, event: str) -> Callable[[Any], None]:
        def record(data: Any) -> None:
            with self._changed:
                self.frames.append((event, data))
                self._changed.notify_all()

        return record

    def wait_frame(self, event: str, timeout: float = WAIT) -> Any:
        """The first frame of `event` received; fails after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for name, data in self.frames:
                    if name == event:
                        return data
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{self.name}: no {event} frame")
                self._changed.wait(left)

    def _setup(self) -> None:
        """Called before the first connect: a subclass registers its handlers here."""

    def _on_state(self, view: dict[str, Any]) -> None:
        with self._changed:
            self.frames.append(("state", view))
            self.views.append(view)
            if not self.latest or view["v"] >= self.latest["v"]:
                self.latest = view  # an equal version is a newer push (connections)
            self._changed.notify_all()

    def _on_ping(self, data: Any) -> dict[str, int]:
        with self._lock:
            self.frames.append(("ping", data))
        return {"c": int(time.time() * 1000)}

    @property
    def view(self) -> dict[str, Any]:
        with self._lock:
            return self.latest

    def wait(
        self, predicate: Callable[[dict[str, Any]], bool], timeout: float = WAIT
    ) -> dict[str, Any]:
        """The newest view once it satisfies `predicate`; fails after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                if self.latest and predicate(self.latest):
                    return self.latest
                left = deadline - time.monotonic()
                if left <= 0:
                    last = self.latest
                    raise AssertionError(f"{self.name}: condition not met; last view: {last}")
                self._changed.wait(left)

    def call(self, event: str, data: Any = None, timeout: float = WAIT) -> Any:
        return self.sio.call(event, data, timeout=timeout)

    def close(self) -> None:
        try:
            # shutdown(): disconnect, or, if the server is gone and the client is
            # trying to reconnect, stop trying (else it would retry for the rest
            # of the session).
            self.sio.shutdown()
        except Exception:
            pass


def mc_do(mc: Screen, name: str, settle: bool = True, **fields: Any) -> dict[str, Any]:
    """Send an MC command and insist it was accepted; with `settle`, return once the
    MC's view shows its outcome (what a test reads next, such as the next step)."""
    ack = mc.call("command", {"name": name, **fields})
    assert ack["ok"], (name, fields, ack)
    if not settle:
        return ack
    if isinstance(ack.get("v"), int) and isinstance((mc.latest or {}).get("v"), int):
        view = mc.wait(lambda v, done=ack["v"]: v["v"] >= done)
        if name == "open":
            # Answering opens a little ahead (docs/protocol.md "Opening time"): as a
            # tablet unlocks only then, a test's answers are sent from then on.
            opens = ((view.get("clock") or {}).get("opens_at") or 0) / 1000 - time.time()
            time.sleep(min(max(opens, 0.0), 1.5))
    return ack


def next_step(mc: Screen) -> dict[str, Any]:
    """Do the MC's one obvious next step, as the big button would."""
    step = mc.view["next"]
    fields = {k: step[k] for k in ("question", "round") if step.get(k) is not None}
    return mc_do(mc, step["command"], **fields)


# ---------------------------------------------------------------------------
# Additions for the fault and fairness tests (netem, crash, storm, hostile).
# ---------------------------------------------------------------------------

KEEP_SYNC_SAMPLES = 5  # Quiz.clock.KEEP in static/js/common.js
JS_SYNC_BURST = (30, 0.10)  # common.js: 30 syncs, 100 ms apart, on every connect
JS_RESYNC_S = 2.0  # common.js RESYNC_MS


class JsClock:
    """Quiz.clock and Countdown.remaining() of static/js/common.js, line for line.

    `skew_ms` is how wrong the simulated tablet's own clock is (its Date.now()
    minus true time), so that a test proves the offset is really estimated.
    """

    def __init__(self, skew_ms: float = 0.0, keep: int = KEEP_SYNC_SAMPLES) -> None:
        self.skew_ms = skew_ms
        self.keep = keep
        self.offset = 0.0  # server ms - client ms
        self.samples: list[tuple[float, float]] = []  # (rtt, offset), lowest rtt first
        self.synced = False
        self._lock = threading.Lock()

    def local_ms(self) -> int:
        """The tablet's Date.now(): integer ms on its own (skewed) clock."""
        return int(time.time() * 1000 + self.skew_ms)

    def add(self, t: float, server: float, now: float) -> None:
        rtt = now - t
        if rtt < 0 or not isinstance(server, int | float) or server != server:
            return
        with self._lock:
            self.samples.append((rtt, server - (t + now) / 2))
            self.samples.sort(key=lambda s: s[0])
            del self.samples[self.keep :]
            self.offset = self.samples[0][1]
            self.synced = True

    def hint(self, server_now: Any) -> None:
        """Before the first sync, a view's `now` gives a rough offset."""
        if not self.synced and isinstance(server_now, int | float):
            self.offset = server_now - self.local_ms()

    def reset(self) -> None:
        with self._lock:
            self.samples = []

    def server_now(self) -> int:
        """Quiz.serverNow(): Math.round(Date.now() + clock.offset)."""
        return int(round(self.local_ms() + self.offset))

    def remaining(self, clock: dict[str, Any] | None) -> float | None:
        """Countdown.remaining(): what the screen shows, in ms."""
        if not clock:
            return None
        if not clock.get("running") or clock.get("deadline") is None:
            return max(0.0, float(clock.get("remaining_ms") or 0))
        left = float(clock["deadline"]) - self.server_now()
        limit = clock.get("limit_ms")
        return max(0.0, min(float(limit), left) if isinstance(limit, int | float) else left)

    @property
    def error_ms(self) -> float:
        """How far the estimate of server time is off (same machine: true offset is -skew)."""
        return self.offset + self.skew_ms


class Tablet(Screen):
    """A Screen with what a real tablet does besides: clock sync, press stamps,
    requests that notice a dropped connection, abrupt drops, and a timeline
    of when each view arrived.

    `sync_burst` (count, spacing s) runs on every connect, `resync_every`
    seconds afterwards (common.js: 30 x 100 ms, then every 2 s).
    """

    def __init__(
        self,
        url: str,
        auth: dict[str, Any],
        name: str = "",
        *,
        skew_ms: float = 0.0,
        sync_burst: tuple[int, float] | None = None,
        resync_every: float | None = None,
        reconnection: bool = True,
        keep_samples: int = KEEP_SYNC_SAMPLES,
    ) -> None:
        self.clock = JsClock(skew_ms, keep_samples)
        self.timeline: list[tuple[float, dict[str, Any]]] = []
        self.connects: list[float] = []
        self.disconnects: list[float] = []
        self.disconnect_reasons: list[Any] = []
        self.sync_burst = sync_burst
        self.resync_every = resync_every
        self._pending: dict[int, tuple[threading.Event, list[Any]]] = {}
        self._pending_lock = threading.Lock()
        self._next_request = 0
        self._closed = threading.Event()
        self._generation = 0
        self._reconnection = reconnection
        super().__init__(url, auth, name)

    # Screen hooks --------------------------------------------------------------

    def _on_state(self, view: dict[str, Any]) -> None:
        self.clock.hint(view.get("now"))
        with self._lock:
            self.timeline.append((time.time(), view))
        super()._on_state(view)

    def _on_ping(self, data: Any) -> dict[str, int]:
        with self._lock:
            self.frames.append(("ping", data))
        return {"c": self.clock.local_ms()}

    def _on_connect(self) -> None:
        self.connects.append(time.time())
        self.clock.reset()
        self._generation += 1
        if self.sync_burst or self.resync_every:
            threading.Thread(
                target=self._sync_loop, args=(self._generation,), daemon=True, name="sync"
            ).start()

    def _on_disconnect(self, *reason: Any) -> None:
        self.disconnects.append(time.time())
        self.disconnect_reasons.append(reason)
        # python-engineio never closes its WebSocket when the server drops it; the
        # socket would be closed (with a ResourceWarning) only when collected.
        ws = getattr(self.sio.eio, "ws", None)
        if ws is not None:
            try:
                ws.shutdown()
            except Exception:
                pass
        with self._pending_lock:
            pending = list(self._pending.values())
            self._pending.clear()
        for event, _box in pending:
            event.set()  # the ack will never come on this connection

    # connection ------------------------------------------------------------------

    def _setup(self) -> None:
        self.sio.reconnection = self._reconnection
        self.sio.on("connect", self._on_connect)
        self.sio.on("disconnect", self._on_disconnect)

    @property
    def connected(self) -> bool:
        return bool(self.sio.connected)

    def drop(self) -> None:
        """Cut the connection abruptly, as a Wi-Fi drop does: no Socket.IO goodbye.
        The TCP socket is shut down with SO_LINGER 0 (a reset when it is closed)."""
        ws = getattr(self.sio.eio, "ws", None)
        sock = getattr(ws, "sock", None)
        if sock is None:
            return
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def reconnect(self, timeout: float = WAIT) -> None:
        """Connect again (a new sid) after a drop, once the old one is gone."""
        deadline = time.monotonic() + timeout
        while self.sio.connected and time.monotonic() < deadline:
            time.sleep(0.005)
        self.sio.connect(self.url, auth=self.auth, transports=["websocket"], wait_timeout=WAIT)

    def close(self) -> None:
        """Leave for good. The socket is cut first: under the threading server
        (werkzeug) a polite Socket.IO disconnect can leave the client's read loop
        waiting for the server to close, and `disconnect()` waits for that loop.
        Reconnection is switched off first, and a reconnection already under way
        (the server died) is stopped: no client outlives its test."""
        self._closed.set()
        self.sio.reconnection = False
        self.drop()
        try:
            self.sio.shutdown()
        except Exception:
            pass

    def wait_arrival(
        self, predicate: Callable[[dict[str, Any]], bool], since: int, timeout: float = WAIT
    ) -> float:
        """When the first view after timeline entry `since` that satisfies `predicate`
        arrived. Unlike `wait`, a view held from before (say, before a drop) never counts."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for at, view in self.timeline[since:]:
                    if predicate(view):
                        return at
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{self.name}: no such view after #{since}")
                self._changed.wait(left)

    # requests ---------------------------------------------------------------------

    def request(self, event: str, data: Any = None, timeout: float = WAIT) -> Any:
        """Emit with an ack; the ack, or None if the connection dropped or it timed out."""
        done = threading.Event()
        box: list[Any] = []
        with self._pending_lock:
            self._next_request += 1
            key = self._next_request
            self._pending[key] = (done, box)

        def callback(*args: Any) -> None:
            box.append(args[0] if len(args) == 1 else list(args))
            done.set()

        try:
            self.sio.emit(event, data, callback=callback)
        except Exception:
            with self._pending_lock:
                self._pending.pop(key, None)
            return None
        done.wait(timeout)
        with self._pending_lock:
            self._pending.pop(key, None)
        return box[0] if box else None

    # clock ------------------------------------------------------------------------

    def stamp(self) -> tuple[float, int]:
        """A press now: (true time in s, the tablet's stamp in server ms), from one
        clock reading, so the stamp's error is the offset estimate's alone."""
        true = time.time()
        local = int(true * 1000 + self.clock.skew_ms)
        return true, int(round(local + self.clock.offset))

    def sync_async(self) -> None:
        """One `sync` without waiting for its ack (common.js syncOnce)."""
        t = self.clock.local_ms()

        def done(ack: Any = None, *_: Any) -> None:
            if isinstance(ack, dict) and ack.get("ok"):
                self.clock.add(float(ack["t"]), float(ack["server"]), self.clock.local_ms())

        try:
            self.sio.emit("sync", {"t": t}, callback=done)
        except Exception:
            pass

    def sync_once(self, timeout: float = 5.0) -> bool:
        t = self.clock.local_ms()
        ack = self.request("sync", {"t": t}, timeout)
        if isinstance(ack, dict) and ack.get("ok"):
            self.clock.add(float(ack["t"]), float(ack["server"]), self.clock.local_ms())
            return True
        return False

    def _sync_loop(self, generation: int) -> None:
        # As common.js: the burst's syncs go out `spacing` apart without waiting
        # for each other's acks; then one every `resync_every` seconds.
        count, spacing = self.sync_burst or (0, 0.0)
        for _ in range(count):
            if self._closed.is_set() or generation != self._generation:
                return
            self.sync_async()
            self._closed.wait(spacing)
        while self.resync_every and not self._closed.wait(self.resync_every):
            if generation != self._generation:
                return
            self.sync_async()

    def server_now(self) -> int:
        return self.clock.server_now()


def write_generated_contest(
    folder: Any,
    contest_id: str,
    teams: list[tuple[str, str]],
    rounds: list[dict[str, Any]],
    questions: list[dict[str, Any]],
    defaults: dict[str, Any] | None = None,
) -> Any:
    """A bank and a contest written from Python data (docs/bank-format.md,
    docs/contest-format.md); returns the contest file's path."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    bank = {
        "bank": f"{contest_id}-bank",
        "title": "Câu hỏi sinh tự động",
        "defaults": defaults or {"time_limit": 20, "points": 10},
        "questions": questions,
    }
    (folder / "bank.yaml").write_text(
        yaml.safe_dump(bank, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    contest = {
        "contest": contest_id,
        "title": "Hội thi kiểm thử tự động",
        "banks": ["bank.yaml"],
        "teams": [{"id": t, "name": n} for t, n in teams],
        "rounds": rounds,
    }
    path = folder / f"{contest_id}.yaml"
    path.write_text(yaml.safe_dump(contest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def stop_stray_reconnects() -> int:
    """Stop every Socket.IO client of this process still trying to reconnect to a
    server that is gone (left by a test that did not close it): it would retry
    forever, and Hypothesis sees its use of the global `random` as flakiness."""
    from socketio import base_client

    stray = list(base_client.reconnecting_clients)
    for client in stray:
        abort = getattr(client, "_reconnect_abort", None)
        if abort is not None:
            abort.set()
    return len(stray)
