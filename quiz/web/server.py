"""Serving the app: the web server of the chosen async mode, TCP_NODELAY on
every accepted connection, and the venue LAN address for the printed URLs.

Small messages sent back to back stall about 40 ms without TCP_NODELAY
(Nagle's algorithm meeting delayed ACKs), so it is set on each connection
whichever server runs. The caller has already monkey-patched for eventlet or
gevent before importing this module.
"""

from __future__ import annotations

import socket
from typing import Any

from flask import Flask
from flask_socketio import SocketIO

from quiz.web import limits

BACKLOG = 1024
MAX_CONNECTIONS = limits.MAX_CONNECTIONS
THREADED_MAX_CONNECTIONS = 500


def lan_address() -> str:
    """The machine's address on the venue network, or 127.0.0.1 if it has none."""
    candidates: list[str] = []
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            candidates.append(str(info[4][0]))
    except OSError:
        pass
    try:
        # A UDP "connect" sends no packet; it only asks the kernel which local
        # address would route to a documentation-range address (TEST-NET-1).
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            candidates.insert(0, str(probe.getsockname()[0]))
    except OSError:
        pass
    for address in candidates:
        if not address.startswith("127.") and address != "0.0.0.0":
            return address
    return "127.0.0.1"


def _nodelay(sock: Any) -> None:
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        pass


class _NodelayListener:
    """Wraps a listening socket so every accepted connection gets TCP_NODELAY."""

    def __init__(self, sock: Any) -> None:
        self._sock = sock

    def accept(self) -> tuple[Any, Any]:
        conn, addr = self._sock.accept()
        _nodelay(conn)
        return conn, addr

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def serve(
    app: Flask,
    socketio: SocketIO,
    host: str,
    port: int,
    ready: Any = None,
    max_connections: int | None = None,
    reuse_port: bool = False,
) -> None:
    """Run until interrupted, under the async mode the SocketIO server was built
    with, within the limits of quiz/web/limits.py (`max_connections`, if given,
    replaces the cap worked out from the open-file limit). `reuse_port`: listen
    with SO_REUSEPORT beside the other edges of `--workers N` (eventlet, gevent)."""
    fd_limit = limits.raise_fd_limit()
    cap = max_connections or limits.connection_cap(fd_limit)
    mode = socketio.async_mode
    if mode == "threading":  # a thread per connection, and one more per websocket
        cap = min(cap, THREADED_MAX_CONNECTIONS)
    print(f"  Connections: at most {cap} (open-file limit {fd_limit}).", flush=True)
    limits.tune_gc()
    watch = limits.HeaderWatch()
    if mode == "eventlet":
        _serve_eventlet(app, host, port, ready, cap, watch, reuse_port)
    elif mode == "gevent":
        _serve_gevent(app, host, port, ready, cap, watch, reuse_port)
    else:
        _serve_threading(app, host, port, ready, cap, watch)


def _serve_eventlet(
    app: Flask,
    host: str,
    port: int,
    ready: Any,
    cap: int,
    watch: limits.HeaderWatch,
    reuse_port: bool,
) -> None:
    """eventlet's WSGI server, its pool one slot over the cap."""
    import eventlet
    import eventlet.wsgi

    class Protocol(eventlet.wsgi.HttpProtocol):  # type: ignore[misc]
        """Each request's line and headers must arrive within HEADER_SECONDS."""

        def handle_one_request(self) -> None:
            watch.start(self.connection)
            try:
                super().handle_one_request()
            finally:
                watch.done(self.connection)

        def parse_request(self) -> bool:
            ok = bool(super().parse_request())
            # Headers complete: the app takes its time. Dropped as too
            # slow, what was read is no request: never run the app on it.
            if not watch.done(self.connection):
                self.close_connection = True
                return False
            return ok

    listener = eventlet.listen((host, port), backlog=BACKLOG, reuse_port=reuse_port or None)
    _nodelay(listener)
    if ready:
        ready(listener.getsockname())
    # One slot more than the cap: the guarded listener refuses the
    # connection over it, so spawning never waits for a free slot.
    pool = eventlet.GreenPool(cap + 1)
    eventlet.wsgi.server(
        limits.GuardedListener(listener, cap, pool.running),
        app,
        log_output=False,
        custom_pool=pool,
        protocol=Protocol,
    )


def _serve_gevent(
    app: Flask,
    host: str,
    port: int,
    ready: Any,
    cap: int,
    watch: limits.HeaderWatch,
    reuse_port: bool,
) -> None:
    """gevent's WSGI server (with SO_REUSEPORT, on a socket of our own)."""
    from gevent import pywsgi
    from gevent.pool import Pool

    # Room beyond the cap: the connections over it are taken and refused
    # (gevent stops accepting while its pool is full).
    gpool = Pool(cap + limits.RESERVE)

    class Handler(pywsgi.WSGIHandler):  # type: ignore[misc]
        def __init__(self, sock: Any, address: Any, server: Any, *args: Any) -> None:
            _nodelay(sock)
            super().__init__(sock, address, server, *args)

        def read_requestline(self) -> Any:
            watch.start(self.socket)
            return super().read_requestline()

        def read_request(self, raw_requestline: Any) -> Any:
            ok = super().read_request(raw_requestline)
            if not watch.done(self.socket):
                self.close_connection = True
                return False
            return ok

        def handle(self) -> None:
            if len(gpool) > cap:
                limits.refuse(self.socket)
                return
            try:
                super().handle()
            finally:
                watch.done(self.socket)

    server = pywsgi.WSGIServer(
        _reused_listener(host, port) if reuse_port else (host, port),
        app,
        handler_class=Handler,
        log=None,
        backlog=None if reuse_port else BACKLOG,
        spawn=gpool,
    )
    server.init_socket()
    if ready:
        ready(server.socket.getsockname())
    server.serve_forever()


def _reused_listener(host: str, port: int) -> socket.socket:
    """A listening socket with SO_REUSEPORT, beside the other edges (gevent's
    server takes a socket, not the option)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(BACKLOG)
    sock.setblocking(False)
    return sock


def _serve_threading(
    app: Flask, host: str, port: int, ready: Any, cap: int, watch: limits.HeaderWatch
) -> None:
    """Werkzeug's threaded server: a thread per connection."""
    import threading

    from werkzeug.serving import WSGIRequestHandler, make_server

    active = [0]
    count_lock = threading.Lock()

    class NodelayHandler(WSGIRequestHandler):
        disable_nagle_algorithm = True

        def setup(self) -> None:
            with count_lock:
                active[0] += 1
            super().setup()

        def finish(self) -> None:
            try:
                super().finish()
            finally:
                with count_lock:
                    active[0] -= 1

        def handle_one_request(self) -> None:
            watch.start(self.connection)
            try:
                super().handle_one_request()
            finally:
                watch.done(self.connection)

        def parse_request(self) -> bool:
            ok = bool(super().parse_request())
            if not watch.done(self.connection):
                self.close_connection = True
                return False
            return ok

    httpd = make_server(host, port, app, threaded=True, request_handler=NodelayHandler)
    guarded = limits.GuardedListener(httpd.socket, cap, lambda: active[0])
    httpd.get_request = guarded.accept  # type: ignore[method-assign]
    if ready:
        ready(httpd.socket.getsockname())
    httpd.serve_forever()
