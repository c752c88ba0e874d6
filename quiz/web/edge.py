"""An edge of `quiz serve --workers N`: it holds connections, the authority decides.

The socket handlers (quiz/web/sockets.py) are the single server's: they
parse, validate, refuse floods, and stamp each press with this edge's own
measured round trip, on this edge's reading of the authority's contest
clock (rpc.AuthorityClock). The hub they talk to here is `EdgeHub`, which
forwards each validated command to the authority (quiz/web/rpc.py) and
returns the authority's ack, so an ack still means the entry is on the
authority's disk. Views come back through Socket.IO's message queue.

This edge pings its own tablets (directly, not through the queue: a round
trip is this link's, not Redis's) and tells the authority who is connected,
every PRESENCE_EVERY seconds and on each change. When the authority is a new
run (restarted) or Redis is back after an outage, the edge asks for a
snapshot of every room it has members in and delivers it itself, so each
screen gets its full view even while the queue's subscriber reconnects.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from typing import Any

from flask_socketio import SocketIO
from socketio.exceptions import ConnectionRefusedError

from quiz.live.access import Access
from quiz.rules.commands import Command
from quiz.rules.model import Contest
from quiz.rules.text import N_, tr
from quiz.web.devices import DEVICE_ID, DeviceError, Devices
from quiz.web.hub import Conn, Hub, room_of
from quiz.web.practice import Practice, PracticeError
from quiz.web.protocol import error_ack
from quiz.web.rpc import CALL_TIMEOUT, Caller, Unavailable
from quiz.web.throttle import MAX_ADDRESSES, Throttle
from quiz.web.view_batch import ViewBatch

log = logging.getLogger(__name__)

PRESENCE_EVERY = 1.0  # seconds
PRESENCE_GAP = 0.25  # seconds: changes closer than this share one report
UNAVAILABLE_WAIT = 1.0  # seconds a secret's try waits while the authority does not answer
# message ids (N_), shown with tr()
UNAVAILABLE = N_("Máy chủ chính chưa trả lời — thao tác chưa được ghi nhận, hãy thử lại")
NOT_WITH_WORKERS = N_(
    "Chức năng này chưa dùng được khi máy chủ chạy nhiều tiến trình (--workers), "
    "hãy chạy máy chủ với một tiến trình"
)


class EdgeDevices(Devices):
    """Device approval needs every connection of a team in one place: with
    --workers N a team's devices may sit on different edges, so an edge notes
    each device (for the readiness grid) but never makes one wait, and refuses
    the MC's `device` decision (docs/scale.md, "Not yet with --workers")."""

    def arrive(self, sid: str, conn: Conn, auth: Any, address: str) -> bool:
        device = auth.get("device") if isinstance(auth, dict) else None
        if not isinstance(device, str) or not DEVICE_ID.fullmatch(device):
            device = "conn-" + sid
        conn.device, conn.address, conn.since = device, address, time.monotonic()
        return False

    def decide(self, wait_id: str, approve: bool) -> dict[str, Any]:
        raise DeviceError("not_available", tr(NOT_WITH_WORKERS))


class EdgePractice(Practice):
    """The practice question lives in one process; refused on an edge."""

    def available(self) -> None:
        raise PracticeError("not_available", tr(NOT_WITH_WORKERS))

    def start(self, phase: str) -> None:
        raise PracticeError("not_available", tr(NOT_WITH_WORKERS))

    def stop(self) -> None:
        raise PracticeError("not_available", tr(NOT_WITH_WORKERS))

    def answer(self, team: str, value: str) -> str:
        raise PracticeError("not_available", tr(NOT_WITH_WORKERS))


class SharedThrottle(Throttle):
    """The authority's throttle of one kind ("pin" or "code"), so a guesser
    gets no more tries for there being several edges: `wait` asks the
    authority, and the verdict goes back to it (`failed` waits for its reply,
    so the next try sees it). This edge runs one try per address at a time
    (wait ... verdict), as a single process does, so parallel tries from one
    address see each other's verdicts; over N edges at most N tries of one
    address are in flight. Unreachable authority: the try waits."""

    def __init__(self, caller: Caller, kind: str) -> None:
        super().__init__(overall=0)
        self.caller = caller
        self.kind = kind
        self._held: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _address_lock(self, address: str) -> threading.Lock:
        with self._guard:
            if len(self._held) > MAX_ADDRESSES:  # forget the idle ones
                self._held = {a: k for a, k in self._held.items() if k.locked()}
            return self._held.setdefault(address, threading.Lock())

    def wait(self, address: str) -> float:
        lock = self._address_lock(address)
        if not lock.acquire(timeout=CALL_TIMEOUT):
            return UNAVAILABLE_WAIT
        try:
            wait = float(self.caller.call("throttle_try", self._args(address)))
        except Unavailable:
            wait = UNAVAILABLE_WAIT
        if wait > 0:
            lock.release()  # no verdict follows
        return wait

    def failed(self, address: str) -> None:
        try:
            self.caller.call("throttle_failed", self._args(address))
        except Unavailable as exc:
            log.warning("throttle: %s", exc)
        finally:
            self._release(address)

    def succeeded(self, address: str) -> None:
        self.caller.tell("throttle_ok", self._args(address))
        self._release(address)

    def failures(self) -> dict[str, int]:
        return {}  # the authority's own throttles list them

    def _args(self, address: str) -> dict[str, str]:
        return {"kind": self.kind, "address": address}

    def _release(self, address: str) -> None:
        lock = self._held.get(address)
        if lock is not None and lock.locked():
            lock.release()


class RemoteService:
    """What the handlers and pages read of the service on an edge: the contest
    (loaded from the same file) and the authority's clock."""

    def __init__(self, contest: Contest, caller: Caller) -> None:
        self.contest = contest
        self.clock = caller.clock
        self.lock = threading.RLock()


class EdgeHub(Hub):
    def __init__(
        self,
        socketio: SocketIO,
        contest: Contest,
        caller: Caller,
        access: Access,
        urls: dict[str, str],
    ) -> None:
        self.remote = RemoteService(contest, caller)
        super().__init__(socketio, self.remote, access, urls)  # type: ignore[arg-type]
        self.caller = caller
        self._presence_due = False
        self.direct = {"ignore_queue": True}
        self.devices = EdgeDevices(self)
        self.pin_throttle = SharedThrottle(caller, "pin")
        self.code_throttle = SharedThrottle(caller, "code")
        self.practice = EdgePractice()
        self.view_batch = ViewBatch(caller, socketio.start_background_task, socketio.sleep)
        caller.on_new_run = self._new_run
        caller.on_recovered = self._recovered

    # the loops ------------------------------------------------------------------------

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self.socketio.start_background_task(self._pinger)
        self.socketio.start_background_task(self._presence_loop)

    def _presence_loop(self) -> None:
        while True:
            try:
                self.tell_presence(changed=False)
                self.caller.call("clock", {}, timeout=2.0)  # keeps the clock reading fresh
            except Unavailable as exc:
                log.warning("authority: %s", exc)
            except Exception:
                log.exception("presence")
            self.socketio.sleep(PRESENCE_EVERY)

    def tell_presence(self, changed: bool) -> None:
        conns = [
            {
                "sid": sid,
                "role": c.role,
                "team": c.team,
                "judge": c.judge,
                "rtts": list(c.link.rtts),
                "sound": c.sound,
                "device": c.device,
                "address": c.address,
                "age": time.monotonic() - c.since if c.since else None,
                "info": c.info,
            }
            for sid, c in list(self.conns.copy().items())
        ]
        failures = [
            {"kind": kind, "address": address, "count": count}
            for kind, throttle in (("pin", self.pin_throttle), ("code", self.code_throttle))
            for address, count in throttle.failures().items()
        ]
        hop = self.caller.clock.worst_trip
        args = {"conns": conns, "failures": failures, "changed": changed, "hop": hop}
        self.caller.tell("presence", args)

    def _new_run(self) -> None:
        """The authority restarted: tell it who is here, then refresh every screen."""
        self.socketio.start_background_task(self._resync)

    def _recovered(self) -> None:
        self.socketio.start_background_task(self._resync)

    def _resync(self) -> None:
        try:
            self.tell_presence(changed=True)
            rooms = sorted({room_of(c.role, c.team) for c in list(self.conns.copy().values())})
            for room, view in self.caller.call("snapshot", {"rooms": rooms}):
                self.socketio.emit("state", view, to=room, ignore_queue=True)
        except Unavailable as exc:
            log.warning("snapshot: %s", exc)

    # what the handlers ask for ----------------------------------------------------------

    def _ask(self, op: str, args: dict[str, Any]) -> dict[str, Any]:
        try:
            result = self.caller.call(op, args)
        except Unavailable as exc:
            log.warning("%s: %s", op, exc)
            return error_ack("unavailable", tr(UNAVAILABLE))
        return dict(result)

    def view_for(self, conn: Conn) -> dict[str, Any]:
        try:
            return self.view_batch.get((conn.role, conn.team, conn.judge))
        except Unavailable as exc:
            # The connect is refused with a code; the client tries again. A
            # refused connect never disconnects: forget it here.
            for sid, known in list(self.conns.copy().items()):
                if known is conn:
                    self.conns.pop(sid, None)
            message = tr(UNAVAILABLE)
            raise ConnectionRefusedError(
                message, {"code": "unavailable", "message": message}
            ) from exc

    def answer(
        self, team: str, data: dict[str, Any], at: float, timing: tuple[Any, ...] = ()
    ) -> dict[str, Any]:
        args = {"team": team, "data": data, "at": at, "timing": list(timing)}
        return self._ask("answer", args)

    def buzz(
        self, team: str, question: str, at: float, timing: tuple[Any, ...] = ()
    ) -> dict[str, Any]:
        args = {"team": team, "question": question, "at": at, "timing": list(timing)}
        return self._ask("buzz", args)

    def command(self, cmd: Command, payload: Any = None) -> dict[str, Any]:
        return self._ask("command", {"payload": payload})

    def jury(self, cmd: Command, payload: Any = None) -> dict[str, Any]:
        return self._ask("jury", {"payload": payload})

    def star(self, team: str) -> dict[str, Any]:
        return self._ask("star", {"team": team})

    def appeal(self, team: str, question: str, text: str) -> dict[str, Any]:
        return self._ask("appeal", {"team": team, "question": question, "text": text})

    def score(self, conn: Conn | None, payload: Any) -> dict[str, Any]:
        if conn is None or conn.role != "judge" or conn.judge is None:
            return super().score(conn, payload)  # refused here, before any command
        return self._ask("score", {"judge": conn.judge, "payload": payload})

    def players_play(self) -> bool:
        """Asked of the authority (a player's press: its time is already stamped)."""
        try:
            return bool(self.caller.call("players_play", {}))
        except Unavailable:
            return True  # the press goes on to the authority, which refuses what it must

    def was_shown(self, question: str) -> bool:
        try:
            return bool(self.caller.call("was_shown", {"question": question}))
        except Unavailable:
            return False

    def results_csv(self) -> str:
        return str(self.caller.call("results", {}))  # Unavailable: an error page

    def results_xlsx(self) -> bytes:
        return base64.b64decode(
            str(self.caller.call("results_xlsx", {}))
        )  # Unavailable: an error page

    def minutes_html(self, static: str) -> str:
        return str(self.caller.call("minutes", {"static": static}))

    def set_sound(self, on: bool) -> None:
        self.caller.tell("sound", {"on": on})

    def push(self, teams: set[str] | None = None, everyone: bool = True) -> None:
        self.caller.tell("push", {"teams": sorted(teams) if teams else None, "everyone": everyone})

    def push_mc(self) -> None:
        """Who is connected changed: tell the authority, at most every PRESENCE_GAP
        seconds (a thousand phones connecting at once must not each send the
        whole list)."""
        with self._pending_lock:
            if self._presence_due:
                return
            self._presence_due = True
        self.socketio.start_background_task(self._presence_later)

    def _presence_later(self) -> None:
        self.socketio.sleep(PRESENCE_GAP)
        with self._pending_lock:
            self._presence_due = False
        try:
            self.tell_presence(changed=True)
        except Exception:
            log.exception("presence")
