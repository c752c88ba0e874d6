"""The rehearsal's Socket.IO clients: the simulated teams (`Bot`) and the
scripted MC (`Mc`), each keeping the latest view; and the `Log` of what happened."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

import socketio

from quiz.rehearse.plan import Plan
from quiz.rehearse.server import RehearsalError

WAIT = 20.0  # seconds: the longest the MC script waits for any one thing
RETRY = 0.2


class Client:
    """One Socket.IO connection that keeps the latest view and reconnects by itself."""

    def __init__(self, url: str, auth: dict[str, Any]) -> None:
        self.latest: dict[str, Any] = {}
        self.changed = threading.Condition()
        self.connects = 0
        self.sio = socketio.Client(
            reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1.0
        )
        self.sio.on("state", self._state)
        self.sio.on("ping", lambda data: {"c": int(time.time() * 1000)})
        self.sio.on("connect", self._connected)
        self.sio.connect(url, auth=auth, transports=["websocket"], wait_timeout=10)

    def _connected(self) -> None:
        self.connects += 1

    def _state(self, view: dict[str, Any]) -> None:
        with self.changed:
            if not self.latest or view["v"] >= self.latest["v"]:
                self.latest = view
            self.changed.notify_all()
        self.on_view(view)

    def on_view(self, view: dict[str, Any]) -> None:
        """A subclass reacts to each view here."""

    def wait(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = WAIT) -> bool:
        deadline = time.monotonic() + timeout
        with self.changed:
            while not (self.latest and predicate(self.latest)):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(min(left, 0.5))
        return True

    def call(self, event: str, data: Any, timeout: float = 5.0) -> dict[str, Any]:
        try:
            ack = self.sio.call(event, data, timeout=timeout)
        except Exception as exc:  # not connected, timed out: the caller retries
            return {"ok": False, "error": "transport", "message": str(exc)}
        return ack if isinstance(ack, dict) else {"ok": False, "error": "no_ack"}

    def close(self) -> None:
        try:
            self.sio.shutdown()
        except Exception:
            pass


class Bot(Client):
    """A simulated team: answers and buzzes as its plan says, and retries until
    the server acknowledges (over drops, slow links and a restart)."""

    def __init__(self, url: str, code: str, team: str, plan: Plan, log: Log) -> None:
        self.team, self.plan, self.log = team, plan, log
        self.done: set[tuple[str, int]] = set()  # (question, opening) handled
        self.retries = 0
        self.lock = threading.Lock()
        super().__init__(url, {"role": "team", "code": code, "device": f"rehearse-{team}"})

    def on_view(self, view: dict[str, Any]) -> None:
        q = view.get("question")
        if not q or view.get("phase") != "open":
            return
        qp = self.plan.questions.get(q["id"])
        if qp is None:
            return
        if qp.buzzer:
            buzz = view.get("buzz") or {}
            opening = int(buzz.get("opening") or 0)
            press = next((p for p in qp.presses if p.team == self.team), None)
            if press is None or view.get("buzzer") != "open":
                return
            self._once((q["id"], opening), lambda: self._buzz(q["id"], press.delay))
        elif self.team in qp.answers and view.get("my_answer") is None:
            answer = qp.answers[self.team]
            self._once((q["id"], 0), lambda: self._answer(q["id"], answer.value, answer.delay))

    def _once(self, key: tuple[str, int], job: Callable[[], None]) -> None:
        with self.lock:
            if key in self.done:
                return
            self.done.add(key)
        threading.Thread(target=job, daemon=True).start()

    def _current(self, qid: str) -> bool:
        view = self.latest
        return bool(view.get("question")) and view["question"]["id"] == qid

    def _answer(self, qid: str, value: Any, delay: float) -> None:
        time.sleep(delay)
        nonce = secrets.token_hex(6)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self._current(qid):
            ack = self.call("answer", {"question": qid, "value": value, "id": nonce})
            if ack.get("ok"):
                return
            if ack.get("error") in ("late", "closed", "stale", "revealed", "not_open"):
                self.log.note(f"{self.team}: answer to {qid} refused ({ack.get('error')})")
                return
            self.retries += 1
            time.sleep(RETRY)

    def _buzz(self, qid: str, delay: float) -> None:
        time.sleep(delay)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self._current(qid):
            ack = self.call("buzz", {"question": qid})
            if ack.get("ok") or ack.get("error") in ("locked", "had_turn", "closed", "stale"):
                return
            self.retries += 1
            time.sleep(RETRY)


@dataclass
class Log:
    out: IO[str]
    quiet: bool = False
    notes: list[str] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        self.notes.append(text)
        if not self.quiet:
            print(f"  · {text}", file=self.out, flush=True)

    def fault(self, text: str) -> None:
        self.faults.append(text)
        if not self.quiet:
            print(f"  ! {text}", file=self.out, flush=True)


class Mc(Client):
    """The MC's steps, scripted: the next step each time, judging as planned."""

    def __init__(self, url: str, pin: str) -> None:
        super().__init__(url, {"role": "mc", "pin": pin})

    def do(self, name: str, **fields: Any) -> None:
        deadline = time.monotonic() + WAIT
        while True:
            ack = self.call("command", {"name": name, **fields})
            if ack.get("ok"):
                return
            if ack.get("error") not in ("transport", "no_ack", "not_connected"):
                raise RehearsalError(f"MC command {name} {fields} refused: {ack}")
            if time.monotonic() > deadline:
                raise RehearsalError(f"MC command {name} got no answer: {ack}")
            time.sleep(RETRY)
