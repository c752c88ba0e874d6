"""The baseline: a bare Flask-SocketIO server that only broadcasts.

Run as `python -m bench.baseline --port 0 --async-mode eventlet --ready-file F`.
Served exactly as ours is (quiz.web.server.serve: same web server, backlog and
TCP_NODELAY on every accepted connection), with the same engine.io settings.
A client connects with `auth {role}` and joins that room. `setup` stores one
payload per role (the harness sends the views our server pushed, so the
sizes and shapes match); `go {seq}` emits each room its payload, tagged with
`bseq`, then acks, like the MC's `command`. Only the standard library is
imported before monkey-patching.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

ROLES = ("team", "board", "mc", "player")


def _patch(mode: str) -> None:
    if mode == "eventlet":
        import warnings

        warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")
        import eventlet

        eventlet.monkey_patch()
    elif mode == "gevent":
        from gevent import monkey

        monkey.patch_all()


def build(async_mode: str) -> tuple[Any, Any]:
    """The Flask app and its SocketIO server with the broadcast handlers."""
    from flask import Flask, request
    from flask_socketio import SocketIO, join_room

    app = Flask(__name__)
    socketio = SocketIO(
        app, async_mode=async_mode, ping_interval=5, ping_timeout=10, max_http_buffer_size=1 << 20
    )
    templates: dict[str, dict[str, Any]] = {}

    @socketio.on("connect")  # type: ignore[untyped-decorator]
    def on_connect(auth: Any = None) -> None:
        role = auth.get("role") if isinstance(auth, dict) else None
        join_room(role if role in ROLES else "board")
        socketio.emit("state", {"role": role, "v": 0}, to=request.sid)  # type: ignore[attr-defined]

    @socketio.on("setup")  # type: ignore[untyped-decorator]
    def on_setup(payload: Any = None) -> dict[str, Any]:
        if isinstance(payload, dict):
            templates.update({k: v for k, v in payload.items() if k in ROLES})
        return {"ok": True, "roles": sorted(templates)}

    @socketio.on("go")  # type: ignore[untyped-decorator]
    def on_go(payload: Any = None) -> dict[str, Any]:
        seq = payload.get("seq") if isinstance(payload, dict) else None
        for role, template in templates.items():
            socketio.emit("state", {**template, "bseq": seq}, to=role)
        return {"ok": True, "v": seq}

    return app, socketio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.baseline")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--async-mode", default="eventlet")
    parser.add_argument("--ready-file", required=True)
    args = parser.parse_args(argv)
    _patch(args.async_mode)
    from quiz.web.server import serve

    app, socketio = build(args.async_mode)

    def ready(sockname: tuple[str, int]) -> None:
        tmp = args.ready_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"port": sockname[1], "pid": os.getpid()}, f)
        os.replace(tmp, args.ready_file)

    try:
        serve(app, socketio, args.host, args.port, ready=ready)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
