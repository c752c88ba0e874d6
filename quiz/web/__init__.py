"""The shell: everything that knows about HTTP and Socket.IO. Wiring only.

`create_app(config)` builds the Flask app with its SocketIO server, the
contest service, the access codes and the hub. The async mode is always
passed explicitly; only quiz.web.server (the entry point) imports eventlet
or gevent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from flask_socketio import SocketIO
from socketio.packet import Packet

from ..access import load_access
from ..bank import load_contest
from ..service import Service
from . import errors, pages, sockets
from .headers import SecurityHeaders
from .hub import Hub
from .limits import cap_websocket_messages, spread_pings

ROOT = Path(__file__).resolve().parent.parent.parent


class ViewPacket(Packet):  # type: ignore[misc]
    """Our payloads are plain JSON data, never bytes: skip python-socketio's walk
    of every emitted view looking for binary attachments (measured: it cost more
    than building the views)."""

    @classmethod
    def data_is_binary(cls, data: Any) -> bool:
        return isinstance(data, bytes | bytearray)


@dataclass
class Config:
    contest_path: Path
    data_dir: Path
    async_mode: str = "threading"
    pin: str | None = None
    urls: dict[str, str] = field(default_factory=dict)
    ping_interval: float = 5
    ping_timeout: float = 10


@dataclass
class App:
    flask: Flask
    socketio: SocketIO
    hub: Hub
    service: Service


def data_folder(config: Config, contest_id: str) -> Path:
    return config.data_dir / contest_id


def create_app(config: Config, contest: Any = None) -> App:
    contest = contest or load_contest(str(config.contest_path))
    folder = data_folder(config, contest.id)
    service = Service(contest, folder / "journal.jsonl")
    access = load_access(folder / "access.json", contest, pin=config.pin)
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        static_url_path="/static",
    )
    app.config["JSON_AS_ASCII"] = False
    socketio = SocketIO(
        app,
        async_mode=config.async_mode,
        ping_interval=config.ping_interval,
        ping_timeout=config.ping_timeout,
        max_http_buffer_size=64 * 1024,
        serializer=ViewPacket,
    )
    urls = dict(config.urls)
    urls.setdefault("base", "")
    hub = Hub(socketio, service, access, urls)
    app.extensions["quiz_hub"] = hub
    app.register_blueprint(pages.bp)
    errors.register(app)  # every error page in Vietnamese
    sockets.register(socketio, hub)
    cap_websocket_messages(socketio.server.eio)
    spread_pings(socketio.server.eio)
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # type: ignore[method-assign]
    return App(app, socketio, hub, service)
