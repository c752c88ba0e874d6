"""Thin Socket.IO handlers: parse -> command -> hub.run -> ack.

Identity is bound at connect from the auth token (team code, or for the MC
the session cookie of the login page or a PIN) and never taken from a
payload. Wrong codes and PINs are throttled per address (quiz/web/throttle.py)
and a refused connect closes the whole connection, so each guess costs a new
one. Every handler answers with an ack, an error ack for anything malformed
or refused; nothing here decides contest rules.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from flask import request
from flask_socketio import SocketIO, join_room
from socketio.exceptions import ConnectionRefusedError

from ..answers import display
from ..commands import Buzz, SubmitAnswer
from ..events import BuzzLockedOut, BuzzRecorded
from ..timing import press_time, settle_time
from .hub import Conn, Hub, room_of
from .protocol import (
    ProtocolError,
    error_ack,
    parse_answer,
    parse_buzz,
    parse_command,
    parse_switch,
    parse_sync,
)
from .throttle import Throttle

SESSION_COOKIE = "quiz_mc"
CLOSE_AFTER_REFUSAL = 0.01  # seconds: lets the refusal go out first

log = logging.getLogger(__name__)


def _sid() -> str:
    return str(request.sid)  # type: ignore[attr-defined]


def register(socketio: SocketIO, hub: Hub) -> None:
    """Attach every handler of the wire contract (docs/protocol.md)."""
    # Each connection's messages are handled one after the other, by the task
    # that reads them, instead of each in a task of its own: a tablet that sends
    # 2,000 messages at once then gets them handled in turn with everyone
    # else's (see over_budget), rather than queueing 2,000 tasks ahead of them.
    socketio.server.async_handlers = False

    def over_budget() -> dict[str, Any] | None:
        """An error ack if this tablet or board sends faster than its budget allows
        (hub.Budget): a flood from one tablet must not delay the others. A refused
        message also yields to the other connections before its ack, so a flood
        is read one message per turn."""
        conn = hub.conns.get(_sid())
        if conn is None or conn.role == "mc" or conn.budget.take(time.monotonic()):
            return None
        socketio.sleep(0)
        return error_ack("rate_limited", "Gửi quá nhanh — hãy chờ giây lát rồi thử lại")

    def only(extra: tuple[Any, ...]) -> None:
        """A message carries one payload; more arguments are malformed, not a crash."""
        if extra:
            raise ProtocolError("Dữ liệu gửi lên phải là một đối tượng")

    def conn_as(role: str) -> Conn:
        conn = hub.conns.get(_sid())
        if conn is None:
            raise ProtocolError("Chưa kết nối", "not_connected")
        if conn.role != role:
            raise ProtocolError("Màn hình này không được phép gửi lệnh đó", "forbidden")
        return conn

    refused: set[str] = set()  # Engine.IO sessions refused once, closing

    def close_later(eio_sid: str) -> None:
        socketio.sleep(CLOSE_AFTER_REFUSAL)
        try:
            socketio.server.eio.disconnect(eio_sid)
        finally:
            refused.discard(eio_sid)

    @socketio.on("connect")
    def on_connect(auth: Any = None) -> None:
        hub.start()
        sid = _sid()
        eio_sid = socketio.server.manager.eio_sid_from_sid(sid, "/")
        if eio_sid in refused:  # another try on a connection already refused
            raise _refused("closed", "Kết nối đã bị từ chối")
        try:
            conn = _identify(hub, auth, client_address(), request.cookies.get(SESSION_COOKIE))
        except ConnectionRefusedError:
            # Without this a client may try again on the same connection,
            # thousands of times a second.
            if eio_sid is not None:
                refused.add(eio_sid)
                socketio.start_background_task(close_later, eio_sid)
            raise
        hub.conns[sid] = conn
        join_room(room_of(conn.role, conn.team))
        socketio.emit("state", hub.view_for(conn), to=sid)
        hub.quick_pings(sid)
        if conn.role == "team":
            hub.push_mc()

    @socketio.on("disconnect")
    def on_disconnect(*_: Any) -> None:
        conn = hub.conns.pop(_sid(), None)
        if conn is not None and conn.role in ("team", "board"):
            hub.push_mc()

    @socketio.on("sync")
    def on_sync(payload: Any = None, *extra: Any) -> dict[str, Any]:
        if refused := over_budget():
            return refused
        try:
            only(extra)
            t = parse_sync(payload)
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        # the contest clock (monotonic), which every deadline and press time uses
        return {"ok": True, "t": t, "server": int(hub.service.clock() * 1000)}

    def team_press(
        payload: Any, extra: tuple[Any, ...], parse: Callable[[object], dict[str, Any]]
    ) -> tuple[str, dict[str, Any], float]:
        """A tablet's answer or buzz: its team, the parsed payload, and the press
        time, the tablet's stamp bounded by what its measured link allows."""
        arrival = hub.service.clock()
        only(extra)
        conn = conn_as("team")
        data = parse(payload)
        assert conn.team is not None
        return conn.team, data, press_time(data["press"], arrival, conn.link)

    @socketio.on("answer")
    def on_answer(payload: Any = None, *extra: Any) -> dict[str, Any]:
        if refused := over_budget():
            return refused
        try:
            team, data, at = team_press(payload, extra, parse_answer)
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        cmd = SubmitAnswer(data["question"], team, data["value"], at, data["nonce"])
        outcome = hub.run(cmd)
        if outcome.error is not None:
            return error_ack(outcome.error.code, outcome.error.message)
        return {
            "ok": True,
            "v": hub.service.state.seq,
            "received": True,
            "answer": _my_answer(hub, team, data["question"]),
        }

    @socketio.on("buzz")
    def on_buzz(payload: Any = None, *extra: Any) -> dict[str, Any]:
        if refused := over_budget():
            return refused
        try:
            team, data, at = team_press(payload, extra, parse_buzz)
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        links = [c.link for c in list(hub.conns.values()) if c.role == "team"]
        outcome = hub.run(Buzz(data["question"], team, at, settle_time(links)))
        if outcome.error is not None:
            return error_ack(outcome.error.code, outcome.error.message)
        status = "buzzed"
        if any(isinstance(e, BuzzLockedOut) for e in outcome.events):
            status = "locked_out"
        elif any(isinstance(e, BuzzRecorded) and e.late for e in outcome.events):
            status = "late"  # kept in the order; another team is answering
        elif not outcome.events:
            status = "duplicate"
        return {"ok": True, "v": hub.service.state.seq, "status": status}

    @socketio.on("command")
    def on_command(payload: Any = None, *extra: Any) -> dict[str, Any]:
        if refused := over_budget():
            return refused
        try:
            conn_as("mc")
            only(extra)
            cmd = parse_command(payload)
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        outcome = hub.run(cmd)
        if outcome.error is not None:
            return error_ack(outcome.error.code, outcome.error.message)
        return {"ok": True, "v": hub.service.state.seq}

    @socketio.on("board_sound")
    def on_board_sound(payload: Any = None, *extra: Any) -> dict[str, Any]:
        """A board says whether it can play sound now (enabled by a click, not muted)."""
        if refused := over_budget():
            return refused
        try:
            conn = conn_as("board")
            only(extra)
            on = parse_switch(payload)
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        conn.sound = on
        hub.push_mc()
        return {"ok": True}

    @socketio.on("sound")
    def on_sound(payload: Any = None, *extra: Any) -> dict[str, Any]:
        """The MC turns the boards' sound on or off."""
        try:
            conn_as("mc")
            only(extra)
            on = parse_switch(payload)
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        hub.sound = on
        hub.push(everyone=False)
        return {"ok": True}

    @socketio.on("*")
    def on_unknown(event: Any, *_: Any) -> dict[str, Any]:
        if refused := over_budget():
            return refused
        return error_ack("unknown_event", "Sự kiện không được hỗ trợ")

    @socketio.on_error_default
    def on_error(exc: BaseException) -> dict[str, Any]:
        log.exception("handler failed", exc_info=exc)
        return error_ack("server_error", "Lỗi máy chủ — thao tác chưa được ghi nhận")


def _refused(code: str, message: str) -> ConnectionRefusedError:
    """The client's connect_error gets `message` and `data: {code, message}`."""
    return ConnectionRefusedError(message, {"code": code, "message": message})


def client_address() -> str:
    return str(request.remote_addr or "?")


def wait_message(seconds: float) -> str:
    return f"Nhập sai quá nhiều lần — hãy chờ {max(1, round(seconds))} giây rồi thử lại"


def throttled(hub: Hub, throttle: Throttle, address: str, check: Callable[[], bool]) -> bool:
    """Run `check` (a comparison with a secret) unless `address` must wait first.
    Raises the rate_limited refusal while it must wait."""
    wait = throttle.wait(address)
    if wait > 0:
        raise ConnectionRefusedError(
            wait_message(wait),
            {"code": "rate_limited", "message": wait_message(wait), "retry_after": round(wait, 1)},
        )
    if check():
        throttle.succeeded(address)
        return True
    throttle.failed(address)
    log.warning("wrong secret from %s", address)
    hub.push_mc()  # the MC console lists failed logins
    return False


def _identify(hub: Hub, auth: Any, address: str, cookie: str | None) -> Conn:
    if not isinstance(auth, dict):
        auth = {"role": "board"}
    role = auth.get("role")
    if role == "board":
        return Conn("board")
    if role == "team":
        found: list[str] = []

        def check_code() -> bool:
            team = hub.access.team_for(auth.get("code"))
            found.extend([team] if team else [])
            return team is not None

        if not throttled(hub, hub.code_throttle, address, check_code):
            raise _refused("bad_code", "Mã tham gia không đúng")
        return Conn("team", found[0])
    if role == "mc":
        if "pin" not in auth:
            # A browser: the session cookie of the login page (POST /mc).
            if hub.access.session_ok(cookie):
                return Conn("mc")
            raise _refused("login_required", "Hãy đăng nhập bằng mã PIN")
        if not throttled(hub, hub.pin_throttle, address, lambda: hub.access.pin_ok(auth["pin"])):
            raise _refused("bad_pin", "Mã PIN không đúng")
        return Conn("mc")
    raise _refused("bad_auth", "Vai trò không hợp lệ")


def _my_answer(hub: Hub, team: str, question: str) -> dict[str, Any] | None:
    """The team's recorded answer to `question`, as its ack reports it."""
    svc = hub.service
    with svc.lock:
        q = svc.state.questions.get(question)
        if q is None:
            return None
        shown = svc.contest.questions[question]
        record = q.answers.get(team)
        if record is not None:
            return {
                "display": display(shown, record.value),
                "time_ms": int(round(record.time * 1000)),
                "nonce": record.nonce,
            }
        for attempt in reversed(q.attempts):  # a buzz winner's answer typed on the tablet
            if attempt.team == team and attempt.value is not None:
                return {"display": display(shown, attempt.value), "time_ms": None, "nonce": ""}
        return None
