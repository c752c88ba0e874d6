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

BACKLOG = 1024
MAX_CONNECTIONS = 5000


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


def serve(app: Flask, socketio: SocketIO, host: str, port: int, ready: Any = None) -> None:
    """Run until interrupted, under the async mode the SocketIO server was built with."""
    mode = socketio.async_mode
    if mode == "eventlet":
        import eventlet
        import eventlet.wsgi

        listener = eventlet.listen((host, port), backlog=BACKLOG)
        _nodelay(listener)
        if ready:
            ready(listener.getsockname())
        eventlet.wsgi.server(
            _NodelayListener(listener), app, log_output=False, max_size=MAX_CONNECTIONS
        )
    elif mode == "gevent":
        from gevent import pywsgi

        class Handler(pywsgi.WSGIHandler):  # type: ignore[misc]
            def __init__(self, sock: Any, address: Any, server: Any, *args: Any) -> None:
                _nodelay(sock)
                super().__init__(sock, address, server, *args)

        server = pywsgi.WSGIServer(
            (host, port),
            app,
            handler_class=Handler,
            log=None,
            backlog=BACKLOG,
            spawn=MAX_CONNECTIONS,
        )
        server.init_socket()
        if ready:
            ready(server.socket.getsockname())
        server.serve_forever()
    else:
        from werkzeug.serving import WSGIRequestHandler, make_server

        class NodelayHandler(WSGIRequestHandler):
            disable_nagle_algorithm = True

        httpd = make_server(host, port, app, threaded=True, request_handler=NodelayHandler)
        if ready:
            ready(httpd.socket.getsockname())
        httpd.serve_forever()
