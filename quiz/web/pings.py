"""The server's pings: each link's round trip and clock offset (quiz/live/timing.py),
the part of `Hub` that measures them. Tablets are pinged every beat (their round
trips time buzzes and answers); players' phones less often (theirs only set the
opening time, docs/protocol.md "Opening time")."""

from __future__ import annotations

import itertools
import logging
import time
from typing import TYPE_CHECKING, Any

from quiz.web.conn import Conn, clock_error

if TYPE_CHECKING:
    from flask_socketio import SocketIO

    from quiz.live.service import Service

log = logging.getLogger(__name__)

PING_EVERY = 2.0  # seconds between beats
QUICK_PINGS = 5  # right after a tablet connects, 0.2 s apart
QUICK_PLAYER_PINGS = 2  # after a phone connects: hundreds may connect at once
# Each phone every 4th beat (8 s), ten at a time 20 ms apart.
PLAYER_PING_BEATS, PLAYER_PING_BATCH, PLAYER_PING_GAP = 4, 10, 0.02


class Pings:
    """The pinging half of `Hub`; its state is the hub's."""

    conns: dict[str, Conn]
    socketio: SocketIO
    service: Service
    direct: dict[str, Any]

    def push_mc(self) -> None:
        raise NotImplementedError

    def _pinger(self) -> None:
        # A quarter of the phones a beat, a few at a time: a burst of 500 pings
        # delayed the pushes it met (bench players stage: p99 98-150 ms, not 90-99).
        for beat in itertools.count():
            try:
                conns = list(self.conns.copy().items())
                for sid in [s for s, c in conns if c.role == "team"]:
                    self.ping(sid)
                phones = [s for s, c in conns if c.role == "player"]
                for i, sid in enumerate(phones[beat % PLAYER_PING_BEATS :: PLAYER_PING_BEATS]):
                    self.ping(sid)
                    if i % PLAYER_PING_BATCH == PLAYER_PING_BATCH - 1:
                        self.socketio.sleep(PLAYER_PING_GAP)
            except Exception:
                log.exception("pinger")
            self.socketio.sleep(PING_EVERY)

    def ping(self, sid: str) -> None:
        sent = time.monotonic()  # a round trip: immune to wall-clock changes
        stamp = self.service.clock()

        def pong(*args: Any) -> None:
            conn = self.conns.get(sid)
            if conn is not None:
                was = conn.link.odd
                rtt = time.monotonic() - sent
                conn.link.add(rtt)
                conn.offset = clock_error(args, stamp, rtt, conn.offset)
                if conn.link.odd != was and conn.role == "team":
                    self.push_mc()  # the MC console flags the link (or clears it)

        self.socketio.emit("ping", {"s": int(stamp * 1000)}, to=sid, callback=pong, **self.direct)

    def quick_pings(self, sid: str) -> None:
        conn = self.conns.get(sid)
        if conn is None or conn.role not in ("team", "player"):
            return

        count = QUICK_PINGS if conn.role == "team" else QUICK_PLAYER_PINGS

        def run() -> None:
            for _ in range(count):
                if sid not in self.conns:
                    return
                self.ping(sid)
                self.socketio.sleep(0.2)

        self.socketio.start_background_task(run)
