"""Real Socket.IO clients for live tests: a screen that records every frame."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import socketio

WAIT = 10.0  # seconds: the longest any live test waits for one thing


class Screen:
    """One connected screen (board, team tablet or MC) and everything it received."""

    def __init__(self, url: str, auth: dict[str, Any], name: str = "") -> None:
        self.name = name or str(auth.get("role"))
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
        self.url = url
        self.auth = auth
        self.sio.connect(url, auth=auth, transports=["websocket"], wait_timeout=WAIT)
        self.wait(lambda v: True)

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
            self.sio.disconnect()
        except Exception:
            pass


def mc_do(mc: Screen, name: str, **fields: Any) -> dict[str, Any]:
    """Send an MC command and insist it was accepted."""
    ack = mc.call("command", {"name": name, **fields})
    assert ack["ok"], (name, fields, ack)
    return ack


def next_step(mc: Screen) -> dict[str, Any]:
    """Do the MC's one obvious next step, as the big button would."""
    step = mc.view["next"]
    fields = {k: step[k] for k in ("question", "round") if step.get(k) is not None}
    return mc_do(mc, step["command"], **fields)
