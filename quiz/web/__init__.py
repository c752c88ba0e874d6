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

from quiz.files.bank import load_contest
from quiz.live.access import load_access
from quiz.live.service import Service
from quiz.web import errors, i18n, pages, sockets, wire_json
from quiz.web.headers import SecurityHeaders
from quiz.web.hub import Hub
from quiz.web.limits import cap_websocket_messages, spread_pings
from quiz.web.readiness import build_id

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
    jury_pin: str | None = None
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
    access = load_access(folder / "access.json", contest, pin=config.pin, jury_pin=config.jury_pin)
    app, socketio = make_shell(config)
    urls = dict(config.urls)
    urls.setdefault("base", "")
    hub = Hub(socketio, service, access, urls)
    wire(app, socketio, hub)
    return App(app, socketio, hub, service)


def make_shell(config: Config, **socketio_options: Any) -> tuple[Flask, SocketIO]:
    """The Flask app and its SocketIO server (`socketio_options`: an edge's
    message queue and channel, docs/scale.md)."""
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
        json=wire_json,
        **socketio_options,
    )
    return app, socketio


def wire(app: Flask, socketio: SocketIO, hub: Hub) -> None:
    """Pages, error pages, socket handlers and limits, all talking to `hub`."""
    hub.build = build_id(ROOT)
    app.jinja_env.globals["build"] = hub.build  # each page carries it (data-build)
    app.extensions["quiz_hub"] = hub
    i18n.register(app, hub.service.contest.language)
    app.register_blueprint(pages.bp)
    errors.register(app)  # every error page in Vietnamese
    sockets.register(socketio, hub)
    cap_websocket_messages(socketio.server.eio)
    spread_pings(socketio.server.eio)
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # type: ignore[method-assign]
