"""Thin Socket.IO handlers, one Namespace class: parse -> command -> hub.run -> ack.

Identity is bound at connect from the auth token (team code, or for the MC
the session cookie of the login page or a PIN; socket_auth.py) and never
taken from a payload. Wrong codes and PINs are throttled per address
(quiz/web/throttle.py) and a refused connect closes the whole connection, so
each guess costs a new one. Every handler answers with an ack, an error ack for anything malformed
or refused; nothing here decides contest rules.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from flask import request
from flask_socketio import Namespace, SocketIO, join_room
from socketio.exceptions import ConnectionRefusedError

from quiz.live.timing import trusted_press_at
from quiz.rules.text import tr
from quiz.web import venue
from quiz.web.hub import Conn, Hub, room_of
from quiz.web.protocol import (
    NOT_AN_OBJECT,
    AnswerMsg,
    AppealMsg,
    BuzzMsg,
    ProtocolError,
    StarMsg,
    SwitchMsg,
    SyncMsg,
    TimelineMsg,
    error_ack,
    parse,
    parse_command,
    parse_jury,
    press_seconds,
)
from quiz.web.socket_auth import JURY_COOKIE as JURY_COOKIE
from quiz.web.socket_auth import SESSION_COOKIE as SESSION_COOKIE
from quiz.web.socket_auth import client_address as client_address
from quiz.web.socket_auth import identify, refused
from quiz.web.socket_auth import wait_message as wait_message

CLOSE_AFTER_REFUSAL = 0.01  # seconds: lets the refusal go out first

log = logging.getLogger(__name__)


TIMELINE_LIMIT = 300  # journal entries a `timeline` ack carries at most


@dataclass(frozen=True)
class Timing:
    """One press as the jury sees it: when it arrived, what the tablet claimed,
    and the earliest press time its measured link allowed (server seconds)."""

    arrival: float
    claimed: float | None
    earliest: float

    def fields(self) -> tuple[float, float | None, float]:
        return self.arrival, self.claimed, self.earliest


def _sid() -> str:
    return str(request.sid)  # type: ignore[attr-defined]


EVENTS = (
    "sync",
    "answer",
    "buzz",
    "command",
    "board_sound",
    "sound",
    "score",
    "appeal",
    "jury",
    "timeline",
    "star",
    *venue.EVENTS,
)  # docs/protocol.md
CONNECTION_EVENTS = ("connect", "disconnect")


def register(socketio: SocketIO, hub: Hub) -> None:
    """Attach every handler of the wire contract (docs/protocol.md)."""
    # Each connection's messages are handled one after the other, by the task
    # that reads them, instead of each in a task of its own: a tablet that sends
    # 2,000 messages at once then gets them handled in turn with everyone
    # else's (see QuizNamespace.over_budget), rather than queueing 2,000 tasks
    # ahead of them.
    socketio.server.async_handlers = False
    socketio.on_namespace(QuizNamespace(hub))

    # Not an `error` method of the namespace: Flask-SocketIO's Namespace would
    # pass it a refused connect's ConnectionRefusedError too, and swallow the refusal.
    @socketio.on_error_default
    def on_error(exc: BaseException) -> dict[str, Any]:
        log.exception("handler failed", exc_info=exc)
        return error_ack("server_error", tr("Lỗi máy chủ — thao tác chưa được ghi nhận"))


class QuizNamespace(Namespace):  # type: ignore[misc]
    """The one namespace, "/": an `on_<event>` method per event of the contract.

    Only the contract's events (EVENTS) reach their method (trigger_event); any
    other name, even one that names another method, gets `unknown_event`.
    """

    def __init__(self, hub: Hub) -> None:
        super().__init__("/")
        self.hub = hub
        self.refused: set[str] = set()  # Engine.IO sessions refused once, closing

    def trigger_event(self, event: str, *args: Any) -> Any:
        """Dispatch to `on_<event>`; an event the contract does not name gets the
        `unknown_event` error ack (the base class would drop it unanswered)."""
        if event in EVENTS or event in CONNECTION_EVENTS:
            return super().trigger_event(event, *args)
        sid, *rest = args
        return super().trigger_event("unknown_event", sid, event, *rest)

    # Guards ---------------------------------------------------------------------

    def over_budget(self) -> dict[str, Any] | None:
        """An error ack if this tablet or board sends faster than its budget allows
        (hub.Budget): a flood from one tablet must not delay the others. A refused
        message also yields to the other connections before its ack, so a flood
        is read one message per turn."""
        conn = self.hub.conns.get(_sid())
        if conn is None or conn.role in ("mc", "jury") or conn.budget.take(time.monotonic()):
            return None
        self.socketio.sleep(0)
        return error_ack("rate_limited", tr("Gửi quá nhanh — hãy chờ giây lát rồi thử lại"))

    @staticmethod
    def only(extra: tuple[Any, ...]) -> None:
        """A message carries one payload; more arguments are malformed, not a crash."""
        if extra:
            raise ProtocolError(tr(NOT_AN_OBJECT))

    def conn_as(self, role: str, *others: str) -> Conn:
        conn = self.hub.conns.get(_sid())
        if conn is None:
            raise ProtocolError(tr("Chưa kết nối"), "not_connected")
        if conn.role != role and conn.role not in others:
            raise ProtocolError(tr("Màn hình này không được phép gửi lệnh đó"), "forbidden")
        return conn

    def close_later(self, eio_sid: str) -> None:
        self.socketio.sleep(CLOSE_AFTER_REFUSAL)
        try:
            self.socketio.server.eio.disconnect(eio_sid)
        finally:
            self.refused.discard(eio_sid)

    # Connections ------------------------------------------------------------------

    def on_connect(self, auth: Any = None) -> None:
        hub = self.hub
        hub.start()
        sid = _sid()
        eio_sid = self.socketio.server.manager.eio_sid_from_sid(sid, "/")
        if eio_sid in self.refused:  # another try on a connection already refused
            raise refused("closed", tr("Kết nối đã bị từ chối"))
        try:
            cookies = request.cookies
            conn = identify(
                hub, auth, client_address(), cookies.get(SESSION_COOKIE), cookies.get(JURY_COOKIE)
            )
        except ConnectionRefusedError:
            # Without this a client may try again on the same connection,
            # thousands of times a second.
            if eio_sid is not None:
                self.refused.add(eio_sid)
                self.socketio.start_background_task(self.close_later, eio_sid)
            raise
        if hub.devices.arrive(sid, conn, auth, client_address()):
            hub.conns[sid] = conn  # a team's extra device waits for the MC (devices.py)
            hub.devices.tell_waiting(sid, conn)
            return
        hub.conns[sid] = conn
        join_room(room_of(conn.role, conn.judge if conn.role == "judge" else conn.team))
        self.socketio.emit("state", hub.view_for(conn), to=sid)
        hub.quick_pings(sid)
        if conn.role in ("team", "player", "judge"):
            hub.push_mc()

    def on_disconnect(self, *_: Any) -> None:
        conn = self.hub.conns.pop(_sid(), None)
        if conn is not None and conn.role in ("team", "board", "waiting", "player", "judge"):
            self.hub.push_mc()

    # Events -----------------------------------------------------------------------

    def on_sync(self, payload: Any = None, *extra: Any) -> dict[str, Any]:
        if refused := self.over_budget():
            return refused
        try:
            self.only(extra)
            t = parse(SyncMsg, payload).t
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        # the contest clock (monotonic), which every deadline and press time uses
        return {"ok": True, "t": t, "server": int(self.hub.service.clock() * 1000)}

    def team_press(
        self, payload: Any, extra: tuple[Any, ...], model: type[AnswerMsg] | type[BuzzMsg]
    ) -> tuple[str, AnswerMsg | BuzzMsg, float, Timing]:
        """A tablet's answer or buzz: its team, the parsed payload, the press
        time (the tablet's stamp bounded by what its measured link allows) and
        what the jury sees of that timing."""
        arrival = self.hub.service.clock()
        self.only(extra)
        conn = self.conn_as("team", "player")  # a player answers as itself (its number)
        if conn.role == "player" and not self.hub.players_play():
            raise ProtocolError(tr("Phần thi này dành cho các đội thi"), "forbidden")
        message = parse(model, payload)
        assert conn.team is not None
        claimed = press_seconds(message.press)
        # What the jury sees of this press: arrival, claim and the bound (timing.py).
        timing = Timing(arrival, claimed, arrival - conn.link.trust)
        return conn.team, message, trusted_press_at(claimed, arrival, conn.link), timing

    def on_answer(self, payload: Any = None, *extra: Any) -> dict[str, Any]:
        if refused := self.over_budget():
            return refused
        try:
            team, message, at, t = self.team_press(payload, extra, AnswerMsg)
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        assert isinstance(message, AnswerMsg)
        data = {"question": message.question, "value": message.value, "nonce": message.id or ""}
        return self.hub.answer(team, data, at, t.fields())

    def on_buzz(self, payload: Any = None, *extra: Any) -> dict[str, Any]:
        if refused := self.over_budget():
            return refused
        try:
            team, message, at, t = self.team_press(payload, extra, BuzzMsg)
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        return self.hub.buzz(team, message.question, at, t.fields())

    def on_star(self, payload: Any = None, *extra: Any) -> dict[str, Any]:
        """The team in turn places its star of hope on its next question (turns)."""
        if refused := self.over_budget():
            return refused
        try:
            conn = self.conn_as("team")
            self.only(extra)
            parse(StarMsg, {} if payload is None else payload)
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        assert conn.team is not None
        return self.hub.star(conn.team)

    def on_command(self, payload: Any = None, *extra: Any) -> dict[str, Any]:
        if refused := self.over_budget():
            return refused
        try:
            self.conn_as("mc")
            self.only(extra)
            cmd = parse_command(payload)
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        return self.hub.command(cmd, payload)

    def on_board_sound(self, payload: Any = None, *extra: Any) -> dict[str, Any]:
        """A board says whether it can play sound now (enabled by a click, not muted)."""
        if refused := self.over_budget():
            return refused
        try:
            conn = self.conn_as("board")
            self.only(extra)
            on = parse(SwitchMsg, payload).on
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        conn.sound = on
        self.hub.push_mc()
        return {"ok": True}

    def on_sound(self, payload: Any = None, *extra: Any) -> dict[str, Any]:
        """The MC turns the boards' sound on or off."""
        try:
            self.conn_as("mc")
            self.only(extra)
            on = parse(SwitchMsg, payload).on
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        self.hub.set_sound(on)
        return {"ok": True}

    def on_appeal(self, payload: Any = None, *extra: Any) -> dict[str, Any]:
        """A team appeals a revealed question (khiếu nại) from its tablet."""
        if refused := self.over_budget():
            return refused
        try:
            self.only(extra)
            conn = self.conn_as("team")
            message = parse(AppealMsg, payload)
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        assert conn.team is not None
        return self.hub.appeal(conn.team, message.question, message.text)

    def on_jury(self, payload: Any = None, *extra: Any) -> dict[str, Any]:
        """The jury's commands (review, decide_appeal, sign_off, reopen, corrections)."""
        try:
            self.conn_as("jury")
            self.only(extra)
            cmd = parse_jury(payload)
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        return self.hub.jury(cmd, payload)

    def on_timeline(self, payload: Any = None, *extra: Any) -> dict[str, Any]:
        """The journal as a readable timeline, for the jury, filtered."""
        try:
            self.conn_as("jury")
            self.only(extra)
            message = parse(TimelineMsg, payload if payload is not None else {})
        except ProtocolError as exc:
            return error_ack(exc.code, exc.message)
        limit = int(message.limit) if message.limit is not None else TIMELINE_LIMIT
        return {"ok": True, **self.hub.timeline(message.team, message.question, limit)}

    def on_score(self, payload: Any = None, *extra: Any) -> dict[str, Any]:
        """A judge's score for the team called (judged rounds; judged_sockets.py)."""
        if refused := self.over_budget():
            return refused
        if extra:
            return error_ack("bad_request", tr(NOT_AN_OBJECT))
        return self.hub.score(self.hub.conns.get(_sid()), payload)

    # The venue's hour before the first question (quiz/web/venue.py).

    def on_device_info(self, payload: Any = None, *extra: Any) -> dict[str, Any]:
        return venue.device_info(self.hub, payload, extra)

    def on_device(self, payload: Any = None, *extra: Any) -> dict[str, Any]:
        return venue.device(self.hub, payload, extra)

    def on_practice(self, payload: Any = None, *extra: Any) -> dict[str, Any]:
        return venue.practice(self.hub, payload, extra)

    def on_practice_answer(self, payload: Any = None, *extra: Any) -> dict[str, Any]:
        return venue.practice_answer(self.hub, payload, extra)

    def on_unknown_event(self, event: Any = None, *_: Any) -> dict[str, Any]:
        """Any event the contract does not name (see trigger_event)."""
        if refused := self.over_budget():
            return refused
        return error_ack("unknown_event", tr("Sự kiện không được hỗ trợ"))
