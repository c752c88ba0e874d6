"""What one device may hold of the server: file descriptors, connections, time
to send its headers, and the size of a websocket message.

- At start the soft limit of open files is raised to the hard limit, and the
  connections are capped below it (RESERVE descriptors stay for the journal,
  the banks and the images). A connection over the cap gets a short 503 and
  is closed at once, so the accept loop never waits on a full pool.
- Out of descriptors anyway (EMFILE, ENFILE), the accept loop survives: it
  frees a descriptor kept in reserve, takes the waiting connection, refuses
  it the same way, and takes the reserve back (eventlet's loop exits on
  EMFILE otherwise, and the server with it).
- A request whose line and headers are not complete within HEADER_SECONDS
  is dropped (HeaderWatch), so half-sent requests cannot pile up.
- A websocket message, however many frames it comes in, may be at most
  MAX_MESSAGE bytes; a bigger one closes the connection that sent it (1009).
"""

from __future__ import annotations

import errno
import gc
import logging
import os
import random
import resource
import socket
import threading
import time
from typing import Any

log = logging.getLogger(__name__)

MAX_CONNECTIONS = 5000
RESERVE = 64  # descriptors kept for everything but connections
HEADER_SECONDS = 5.0
MAX_MESSAGE = 64 * 1024  # bytes, the whole message (every frame of it)
LOG_EVERY = 10.0  # seconds between two warnings of the same kind

# Sent before any contest page could say which language the reader reads: both.
REFUSAL_TEXT = (
    "Máy chủ đang có quá nhiều kết nối — hãy thử lại sau giây lát\n"
    "The server has too many connections — please try again in a moment\n"
).encode()
REFUSAL = (
    b"HTTP/1.1 503 Service Unavailable\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Retry-After: 5\r\nConnection: close\r\n"
    b"Content-Length: " + str(len(REFUSAL_TEXT)).encode() + b"\r\n\r\n" + REFUSAL_TEXT
)
OUT_OF_FILES = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)


def raise_fd_limit() -> int:
    """Raise the soft limit of open files to the hard limit; the soft limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if wanted > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            log.warning("could not raise the open-file limit above %d", soft)
    return int(soft)


def connection_cap(fd_limit: int, wanted: int = MAX_CONNECTIONS) -> int:
    """At most `wanted` connections, and RESERVE descriptors below the limit."""
    return max(16, min(wanted, fd_limit - RESERVE))


class _Every:
    """A warning at most once every LOG_EVERY seconds, with how many it stood for."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.count = 0
        self.last = 0.0

    def __call__(self, *args: Any) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self.last >= LOG_EVERY:
            log.warning(self.text + " (%d since the last warning)", *args, self.count)
            self.last = now
            self.count = 0


def refuse(conn: Any) -> None:
    """Tell a connection over the cap why, without ever waiting on it, and close it."""
    try:
        conn.settimeout(0)
        conn.send(REFUSAL)
    except OSError:
        pass
    try:
        conn.close()
    except OSError:
        pass


class GuardedListener:
    """Wraps a listening socket: TCP_NODELAY on each accepted connection, the cap
    (`active()` counts the connections being served), and EMFILE survived."""

    def __init__(self, sock: Any, cap: int, active: Any) -> None:
        self._sock = sock
        self.cap = cap
        self.active = active
        self.refused = 0
        self._reserve: int | None = _open_reserve()
        self._warn_full = _Every("connection cap of %d reached: connections refused")
        self._warn_files = _Every("out of file descriptors: connections refused")

    def accept(self) -> tuple[Any, Any]:
        while True:
            try:
                conn, addr = self._sock.accept()
            except OSError as exc:
                if exc.errno not in OUT_OF_FILES:
                    raise
                self._out_of_files()
                continue
            if self.active() >= self.cap:
                self.refused += 1
                self._warn_full(self.cap)
                refuse(conn)
                continue
            _nodelay(conn)
            return conn, addr

    def _out_of_files(self) -> None:
        """Take the waiting connection with the reserve descriptor and refuse it."""
        self._warn_files()
        if self._reserve is None:
            time.sleep(0.05)  # nothing to free: let connections close first
            self._reserve = _open_reserve()
            return
        os.close(self._reserve)
        self._reserve = None
        try:
            conn, _ = self._sock.accept()
        except OSError:
            time.sleep(0.05)
        else:
            self.refused += 1
            refuse(conn)
        self._reserve = _open_reserve()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def _open_reserve() -> int | None:
    try:
        return os.open(os.devnull, os.O_RDONLY)
    except OSError:
        return None


def _nodelay(sock: Any) -> None:
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        pass


class HeaderWatch:
    """Drops connections whose request line and headers take longer than
    HEADER_SECONDS: `start(conn)` when a request begins, `done(conn)` once its
    headers are read. One watcher task checks twice a second."""

    def __init__(self, seconds: float = HEADER_SECONDS) -> None:
        self.seconds = seconds
        self.dropped = 0
        self._lock = threading.Lock()
        self._deadlines: dict[int, tuple[float, Any]] = {}
        self._late: set[int] = set()
        self._started = False
        self._warn = _Every("request headers not complete in time: connection dropped")

    def start(self, conn: Any) -> None:
        with self._lock:
            self._late.discard(id(conn))
            self._deadlines[id(conn)] = (time.monotonic() + self.seconds, conn)
            if not self._started:
                self._started = True
                threading.Thread(target=self._run, name="header-watch", daemon=True).start()

    def done(self, conn: Any) -> bool:
        """The headers are read: False if the connection was dropped meanwhile
        (its reads then ended early, so what was read is not a request)."""
        with self._lock:
            self._deadlines.pop(id(conn), None)
            if id(conn) in self._late:
                self._late.discard(id(conn))
                return False
            return True

    def _run(self) -> None:
        while True:
            time.sleep(0.5)
            now = time.monotonic()
            with self._lock:
                late = [(k, c) for k, (at, c) in self._deadlines.items() if at <= now]
                for key, _ in late:
                    del self._deadlines[key]
                    self._late.add(key)
            for _, conn in late:
                self.dropped += 1
                self._warn()
                try:
                    conn.shutdown(socket.SHUT_RDWR)  # the blocked read returns: closed
                except OSError:
                    pass


def cap_websocket_messages(eio: Any) -> None:
    """Make the Engine.IO server's websockets refuse a message over MAX_MESSAGE
    bytes in total, and (under eventlet) read frames without starving others."""
    base = eio._async["websocket"]
    if base is None:
        return
    if eio.async_mode == "eventlet":
        capped = _eventlet_websocket(base)
    else:  # simple-websocket (threading, gevent): it counts a message's frames itself

        class capped(base):  # type: ignore[no-redef, valid-type, misc]
            def __init__(self, handler: Any, server: Any) -> None:
                super().__init__(handler, server)
                self.server_args["max_message_size"] = MAX_MESSAGE

    eio._async = {**eio._async, "websocket": capped}


MAX_FRAMES = 4096  # frames in one message


def _eventlet_websocket(base: Any) -> Any:
    import eventlet
    from eventlet.websocket import FailedConnectionError, RFC6455WebSocket

    class CappedWebSocket(RFC6455WebSocket):  # type: ignore[misc]
        """eventlet's websocket caps each frame only: endless continuation
        frames grew one message without bound, unmasked byte by byte in Python
        without ever yielding to the other connections."""

        def _recv_frame(self, message: Any = None) -> Any:
            before = len(message.data) if message is not None else 0
            got = super()._recv_frame(message=message)
            if not got.opcode & 8:
                if got is not message:
                    got.size, got.frames, before = 0, 0, 0
                got.size += sum(len(chunk) for chunk in got.data[before:])
                got.frames += 1
                if got.size > MAX_MESSAGE or got.frames > MAX_FRAMES:
                    raise FailedConnectionError(1009, "Message too big")
            eventlet.sleep(0)  # a sender that never pauses must not hold the hub
            return got

        @staticmethod
        def _apply_mask(
            data: bytes, mask: Any, length: int | None = None, offset: int = 0
        ) -> bytes:
            n = len(data) if length is None else length
            key = bytes(mask[(offset + i) % 4] for i in range(4))
            pad = (key * (n // 4 + 1))[:n]
            value = int.from_bytes(data[:n], "little") ^ int.from_bytes(pad, "little")
            return value.to_bytes(n, "little")

    class CappedWSGI(base):  # type: ignore[misc]
        def _handle_hybi_request(self, environ: Any) -> Any:
            ws = super()._handle_hybi_request(environ)
            ws.__class__ = CappedWebSocket
            return ws

    return CappedWSGI


PING_SPREAD = 0.5  # each Engine.IO ping comes after 50-100 % of the ping interval


def spread_pings(eio: Any) -> None:
    """Engine.IO pings every connection exactly `ping_interval` after the last
    one, so connections opened together are pinged together for ever: 2,000 of
    them stalled the hub for 0.6 s every interval (the MC's acks with them).
    Each ping is moved a random share earlier instead (never later, so no
    client's ping timeout is at risk), which spreads them over the interval.
    Engine.IO's socket waits out the interval with `server.sleep(ping_interval)`;
    only that wait is changed."""
    plain_sleep = eio.sleep

    def sleep(seconds: float = 0) -> Any:
        if seconds and seconds == eio.ping_interval:
            seconds *= 1 - PING_SPREAD * random.random()
        return plain_sleep(seconds)

    eio.sleep = sleep


GC_THRESHOLDS = (20_000, 50, 1000)


def tune_gc() -> None:
    """Fewer, not longer, garbage collections: a full collection walks every
    live object, and with 2,000 connections that stopped the server for up to
    0.7 s. What start-up loaded (the contest, the libraries) is frozen out of
    the collector's walks; young objects are collected in larger batches, and
    a full collection waits much longer."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
